"""The build cache: scores and rendered, compressed team reports kept from one build to the next.

A build after a program edit, with the survey data unchanged, would otherwise read and score
the survey and render every report again. The scores are stored under a hash of the survey
files' bytes and the code version; each page under a hash of everything it is rendered from
(see reports/pages.py: its scores, readers, trend, the options, the templates and the code
version), so a changed input renders again exactly the reports it changes.

The cache holds private data, so it is kept like the keystore: a folder beside it
(`<keystore file name>.lchc-cache/`), each file encrypted with AES-256-GCM under a key held
in the keystore (`cache_key`, made on first use), written 0600 and atomically, and not used
where the keystore itself would be refused (inside docs_dir or site_dir, tracked or not
ignored by git). Nothing in it is readable without the keystore. What is published stays per
publication: ids, content keys, padding and encryption are new with every build.

Files: MAGIC, a 12-byte nonce, then AES-GCM(cache key, content, AAD = MAGIC + file name).
`reports`: records of a 32-byte page key, a 4-byte big-endian length and the compressed page,
one after another. `scores`: the hex key, a newline, and the pickled scores (read only once
authenticated, so only a holder of the keystore could have written them). A file that cannot
be opened (damaged, or written under another keystore's key) is ignored with a note, and
replaced at the end of the build.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
import struct
from dataclasses import replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Callable, TypeVar

from .. import __version__
from ..problems import Problem
from .crypto import random_key, seal, unseal
from .errors import AccessError
from .keystore import Keystore, check_keystore_location, load_keystore, save_keystore, write_private

MAGIC = b"lchc-cache\x001\x00"
SUFFIX = ".lchc-cache"
_RECORD = struct.Struct(">32sI")
T = TypeVar("T")


def cache_path(keystore_path: Path) -> Path:
    """The cache folder beside the keystore."""
    return keystore_path.with_name(keystore_path.name + SUFFIX)


@lru_cache(maxsize=1)
def code_version() -> str:
    """The package version and a hash of its source and shipped templates: any change to the
    code that renders a page is a new version, released or not."""
    h = hashlib.sha256(__version__.encode() + b"\0")
    for package in ("lchc_gen", "lchc_gen.templates"):
        root = Path(str(files(package)))
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".j2", ".js", ".css") and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{__version__}+{h.hexdigest()[:16]}"


def with_cache_key(keystore_path: Path, keystore: Keystore) -> Keystore:
    """The keystore with a cache key: one it holds, or a new one written into it (read again
    from disk first, so that nothing written there since is lost)."""
    if keystore.cache_key is not None:
        return keystore
    on_disk = load_keystore(keystore_path)
    if on_disk.cache_key is None:
        on_disk = replace(on_disk, cache_key=random_key())
        save_keystore(keystore_path, on_disk)
    return replace(keystore, cache_key=on_disk.cache_key)


def check_cache_location(path: Path, docs_dir: Path, site_dir: Path | None) -> Problem | None:
    """Where the keystore would be refused, so is the cache (the same checks, inputs.py)."""
    return check_keystore_location(path, docs_dir, None, site_dir=site_dir, what="cache")


def _read(path: Path, key: bytes, notes: list[str]) -> bytes | None:
    """A cache file's content, or None (and a note, unless there was no file)."""
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        notes.append(f"the cache file {path} could not be read ({exc.strerror}); its content is made again")
        return None
    try:
        if not blob.startswith(MAGIC):
            raise AccessError("not a cache file")
        body = blob[len(MAGIC):]
        return unseal(key, body[:12], body[12:], MAGIC + path.name.encode())
    except (AccessError, ValueError):
        notes.append(
            f"the cache file {path} was ignored: it is damaged or was written under another keystore's key; "
            "its content is made again and the file written afresh"
        )
        return None


def _write(path: Path, key: bytes, content: bytes) -> None:
    nonce, ct = seal(key, content, MAGIC + path.name.encode())
    write_private(path, MAGIC + nonce + ct)


class ReportCache:
    """Compressed pages by key. Only what a build used or made is written back, so pages no
    build asks for any more leave the cache at the next save."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path, self._key = path, key
        self.notes: list[str] = []
        self._old: dict[str, bytes] = {}
        self._new: dict[str, bytes] = {}
        self.hits = self.misses = 0
        self._load()

    def _load(self) -> None:
        records = _read(self.path, self._key, self.notes)
        try:
            self._old = _parse(records) if records is not None else {}
        except (AccessError, struct.error):
            self.notes.append(f"the cache file {self.path} was ignored: its records are damaged")

    def get(self, key: str) -> bytes | None:
        data = self._new.get(key) or self._old.get(key)
        if data is None:
            self.misses += 1
            return None
        self.hits += 1
        self._new[key] = data
        return data

    def put(self, key: str, data: bytes) -> None:
        self._new[key] = data

    def save(self) -> None:
        _write(self.path, self._key, b"".join(_RECORD.pack(bytes.fromhex(k), len(v)) + v for k, v in sorted(self._new.items())))

    def close(self) -> list[str]:
        """Save what this build used or made (if it asked for anything); what to tell the reader."""
        if not self.hits + self.misses:
            return self.notes
        self.save()
        return [*self.notes, f"reused {self.hits:,} of {self.hits + self.misses:,} team reports from the cache"]


def open_cache(keystore_path: Path, keystore: Keystore, docs_dir: Path, site_dir: Path | None) -> tuple[Path | None, bytes, list[str]]:
    """The cache folder beside the keystore and its key, or None and why not."""
    path = cache_path(keystore_path)
    problem = check_cache_location(path, docs_dir, site_dir)
    if problem is not None:
        return None, b"", [f"no cache: {problem.message} ({path})"]
    keystore = with_cache_key(keystore_path, keystore)
    assert keystore.cache_key is not None
    return path, keystore.cache_key, []


def open_report_cache(
    keystore_path: Path, keystore: Keystore, docs_dir: Path, site_dir: Path | None
) -> tuple[ReportCache | None, list[str]]:
    """The team reports' cache beside the keystore, or None and why not."""
    folder, key, notes = open_cache(keystore_path, keystore, docs_dir, site_dir)
    return (ReportCache(folder / "reports", key) if folder is not None else None), notes


def cached_scores(folder: Path, key: bytes, inputs_key: str, compute: Callable[[], T], notes: list[str]) -> T:
    """Scores read from the cache when the survey files and the code are those they were
    computed from; else computed and stored."""
    path, wanted = folder / "scores", f"{inputs_key}:{code_version()}".encode()
    content = _read(path, key, notes)
    if content is not None:
        stored, _, data = content.partition(b"\n")
        if stored == wanted:
            notes.append("survey files unchanged since the last build: scores read from the cache")
            return pickle.loads(data)
    value = compute()
    _write(path, key, wanted + b"\n" + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


def _parse(records: bytes) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    at = 0
    while at < len(records):
        key, length = _RECORD.unpack_from(records, at)
        at += _RECORD.size
        if at + length > len(records):
            raise AccessError("truncated record")
        out[key.hex()] = records[at:at + length]
        at += length
    return out


def clear_cache(keystore_path: Path) -> bool:
    """Delete the cache beside this keystore; False if there was none."""
    path = cache_path(keystore_path)
    if not path.exists():
        return False
    shutil.rmtree(path)
    return True
