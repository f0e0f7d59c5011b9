"""What `lchc-gen demo-data` writes: marked as its own, and never written over anything else.

Each output folder gets a mark, `.lchc-demo-data.json`, with the SHA-256 of every file the
command wrote there. A file counts as demo output while its bytes still have that hash: real
data put in its place, or a demo file edited by hand, is left alone (as `keys demo` leaves a
real keystore alone). Every target is checked before anything is written.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Mapping

MARK = ".lchc-demo-data.json"
NOTE = (
    "SYNTHETIC demo data: every person, team and answer in these files is fictional. "
    "`lchc-gen demo-data` replaces a file only while it is listed here with these contents."
)


class NotDemoOutput(Exception):
    """Files that exist and were not made by `demo-data` (or were changed since)."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def demo_hashes(folder: Path) -> dict[str, str]:
    """The folder's mark: file (relative, with /) -> SHA-256; empty if there is none or it is unreadable."""
    try:
        doc = json.loads((folder / MARK).read_text(encoding="utf-8"))
        files = doc["files"]
    except (OSError, ValueError, TypeError, KeyError):
        return {}
    return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(files, dict) else {}


def is_demo_output(folder: Path, name: str, marked: Mapping[str, str] | None = None) -> bool:
    path = folder / name
    if path.is_symlink() or not path.is_file():
        return False
    marked = demo_hashes(folder) if marked is None else marked
    return marked.get(name) == _digest(path.read_bytes())


def write_demo_files(folder: Path, files: Mapping[str, bytes], force: bool = False) -> None:
    """Write `files` (relative name -> bytes) under `folder` and mark them; NotDemoOutput, before
    anything is written, if a target exists that is not demo output (unless `force`)."""
    marked = demo_hashes(folder)
    taken = [name for name in files
             if ((folder / name).exists() or (folder / name).is_symlink()) and not is_demo_output(folder, name, marked)]
    if taken and not force:
        shown = "\n".join(f"  {(folder / name).as_posix()}" for name in taken)
        raise NotDemoOutput(
            f"these files exist and were not made by `lchc-gen demo-data` (or were changed since):\n{shown}\n"
            "They are left alone, and nothing was written. Write the demo data elsewhere (--out <another folder>), "
            "move these files away, or pass --force to replace them."
        )
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():  # --force replaces the link, never the file it points to
            path.unlink()
        path.write_bytes(data)
        marked[name] = _digest(data)
    doc = {"made_by": "lchc-gen demo-data", "note": NOTE, "files": dict(sorted(marked.items()))}
    (folder / MARK).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
