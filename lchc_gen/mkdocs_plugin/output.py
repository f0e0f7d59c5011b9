"""Placing the encrypted files in site/.

`mkdocs build` writes them. `mkdocs serve` empties site/ before every rebuild, and creating
thousands of files right after deleting them can cost seconds on some filesystems (over a
second for 3,000 files, measured), so while serving they are written once to a private folder
beside site/ and hard-linked into each rebuilt site, which is cheap. Where a link is not
possible (another filesystem, no link support) the file is written instead.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from typing import Sequence

from ..access.publish import OutputFile


def _make_folders(files: Sequence[OutputFile], site_dir: str) -> None:
    for folder in sorted({posixpath.dirname(f.path) for f in files}):
        os.makedirs(os.path.join(site_dir, folder), exist_ok=True)


def write_files(files: Sequence[OutputFile], site_dir: str) -> None:
    _make_folders(files, site_dir)
    for f in files:
        with open(os.path.join(site_dir, f.path), "wb") as out:
            out.write(f.data)


class LinkedOutput:
    """The files of one publication, kept in a private folder and linked into each rebuild."""

    def __init__(self) -> None:
        self.folder: str | None = None
        self.source: Sequence[OutputFile] | None = None

    def place(self, files: Sequence[OutputFile], site_dir: str) -> None:
        if self.source is not files:  # a new publication (close() clears both)
            self.close()
            # Beside site/, so that both are on one filesystem; private, like a build folder.
            self.folder = tempfile.mkdtemp(prefix="lchc-serve-", dir=os.path.dirname(os.path.abspath(site_dir)))
            write_files(files, self.folder)
            self.source = files
        _make_folders(files, site_dir)
        for f in files:
            target = os.path.join(site_dir, f.path)
            try:
                os.link(os.path.join(self.folder, f.path), target)
            except OSError:
                with open(target, "wb") as out:
                    out.write(f.data)

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.folder, self.source = None, None
