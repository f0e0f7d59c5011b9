"""Placing the encrypted files in site/, and clearing what earlier builds left there.

`mkdocs build` writes them. `mkdocs serve` empties site/ before every rebuild, and creating
thousands of files right after deleting them can cost seconds on some filesystems (over a
second for 3,000 files, measured), so while serving they are written once to a private folder
beside site/ and hard-linked into each rebuilt site, which is cheap. Where a link is not
possible (another filesystem, no link support) the file is written instead.

Files are written in the order of their paths (opaque ids that change with each publication)
and all get one modification time, so neither the order nor the times in a listing of the
host's folder say which file belongs to which team or cycle.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Sequence

from ..access.publish import OutputFile
from .output import make_folders, remove_stale, write_files, write_one

__all__ = ["LinkedOutput", "remove_stale", "write_files"]


class LinkedOutput:
    """The files of one publication, kept in a private folder and linked into each rebuild."""

    def __init__(self) -> None:
        self.folder: str | None = None
        self.source: Sequence[OutputFile] | None = None
        self.stamp = 0

    def place(self, files: Sequence[OutputFile], site_dir: str) -> None:
        if self.source is not files:  # a new publication (close() clears both)
            self.close()
            # Beside site/, so that both are on one filesystem; private, like a build folder.
            self.folder = tempfile.mkdtemp(prefix="lchc-serve-", dir=os.path.dirname(os.path.abspath(site_dir)))
            self.stamp = write_files(files, self.folder)
            self.source = files
        make_folders(files, site_dir)
        for f in sorted(files, key=lambda f: f.path):
            target = os.path.join(site_dir, f.path)
            try:
                os.link(os.path.join(self.folder, f.path), target)  # shares the copy's time
            except OSError:
                write_one(target, f.data, self.stamp)

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.folder, self.source = None, None
