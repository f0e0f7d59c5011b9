"""What docs_dir reaches: every site generator publishes the files there as they are, and
follows symbolic links to do it (MkDocs walks docs_dir with followlinks). A raw input (survey
answers, the organisation, feedback, attendance, the keystore) must not be among them, whether
it lies inside docs_dir, a link there points at it or at a folder holding it, or a hard link
shares its bytes. Files are compared by device and inode, so every path to one file counts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .site.output import link_on_path


@dataclass
class DocsReach:
    """Every regular file reachable from docs_dir, by (device, inode): the first path to it."""

    docs: Path
    files: dict[tuple[int, int], Path] = field(default_factory=dict)

    @classmethod
    def walk(cls, docs: Path) -> DocsReach:
        reach = cls(docs)
        seen = {os.path.realpath(docs)}
        for here, dirs, names in os.walk(docs, followlinks=True):
            # A link back up the tree would make the walk endless: each real folder once.
            for name in list(dirs):
                real = os.path.realpath(os.path.join(here, name))
                if real in seen:
                    dirs.remove(name)
                seen.add(real)
            for name in names:
                path = Path(here, name)
                try:
                    st = path.stat()
                except OSError:  # a dangling link publishes nothing
                    continue
                reach.files.setdefault((st.st_dev, st.st_ino), path)
        return reach

    def how(self, path: Path) -> str | None:
        """How docs_dir reaches the file at `path` ("is inside docs_dir", "is reached from
        docs_dir through LINK (a link to TARGET)", ...), or None if it does not."""
        if path.resolve().is_relative_to(self.docs.resolve()):
            return "is inside docs_dir"
        try:
            st = path.stat()
        except OSError:  # missing: the loader says so
            return None
        hit = self.files.get((st.st_dev, st.st_ino))
        if hit is None:
            return None
        link = link_on_path(self.docs, hit.relative_to(self.docs).parts)
        if link is not None:
            return f"is reached from docs_dir through {link} (a link to {os.readlink(link)})"
        return f"is the same file as {hit} in docs_dir (a hard link)"
