"""The build cache: scores and rendered, compressed team reports kept from one build to the next.

A build after a program edit, with the survey data unchanged, would otherwise read and score
the survey and render every report again. The scores are stored under a hash of the survey
files' bytes and the code version; each page under a hash of everything it is rendered from
(see reports/pages.py: its scores, readers, trend, the options, the templates and the code
version), so a changed input renders again exactly the reports it changes.

The cache holds private data, so it is kept like the keystore: a folder beside it
(`<keystore file name>.lchc-cache/`), each file encrypted with AES-256-GCM under a key held
derived from the keystore's `id_key` (HKDF-SHA256, its own label, so a build never writes the
keystore and a new id key makes the old cache unreadable), written 0600 and atomically, and not used
where the keystore itself would be refused (inside docs_dir or site_dir, tracked or not
ignored by git). Nothing in it is readable without the keystore. What is published stays per
publication: ids, content keys, padding and encryption are new with every build.

Files start with MAGIC. `reports`: records of a 32-byte page key, a 4-byte big-endian length
and a 12-byte nonce with AES-GCM(cache key, compressed page, AAD = MAGIC, "reports", page key),
so a build reads only the pages it asks for, one at a time. `scores`: a 2-byte length, the key
of the survey files and code they were computed from, a nonce and AES-GCM(cache key, pickled
scores, AAD = MAGIC, "scores", that key); unpickled only once authenticated, so only a holder
of the keystore could have written them. What cannot be opened (damaged, or written under
another keystore's key) is ignored with a note, made again and written afresh.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
import struct
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import BinaryIO, Callable, TypeVar

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .. import __version__
from ..problems import Problem
from .crypto import seal, unseal
from .errors import AccessError
from .keystore import Keystore, check_keystore_location, write_private

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


def cache_key(keystore: Keystore) -> bytes:
    """The cache's key, derived from the keystore's id key: held by nothing but the keystore."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"lchc-gen build cache v1").derive(keystore.id_key)


def check_cache_location(path: Path, docs_dir: Path, site_dir: Path | None) -> Problem | None:
    """Where the keystore would be refused, so is the cache (the same checks, inputs.py)."""
    return check_keystore_location(path, docs_dir, None, site_dir=site_dir, what="cache")


def _unreadable(path: Path) -> str:
    return (
        f"the cache file {path} was ignored: it is damaged or was written under another keystore's key; "
        "what it held is made again and the file written afresh"
    )


class ReportCache:
    """Compressed pages by key, read one at a time as they are asked for. Only what a build used
    or made is written back, so pages no build asks for any more leave the cache at the next save."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path, self._key = path, key
        self.notes: list[str] = []
        self._index: dict[bytes, tuple[int, int]] = {}  # page key -> where its sealed page is
        self._file: BinaryIO | None = None
        self._new: dict[str, bytes] = {}
        self.hits = self.misses = 0
        self._broken = False
        self._open()

    def _open(self) -> None:
        try:
            self._file = open(self.path, "rb")
        except FileNotFoundError:
            return
        except OSError as exc:
            self.notes.append(f"the cache file {self.path} could not be read ({exc.strerror}); every report is rendered again")
            return
        if self._file.read(len(MAGIC)) != MAGIC:
            self._fail()
            return
        at = len(MAGIC)
        while header := self._file.read(_RECORD.size):
            if len(header) < _RECORD.size:
                self._fail()
                return
            key, length = _RECORD.unpack(header)
            self._index[key] = (at + _RECORD.size, length)
            at = self._file.seek(length, 1)
        if at > self.path.stat().st_size:
            self._fail()  # the last record is cut short

    def _fail(self) -> None:
        if not self._broken:
            self._broken = True
            self.notes.append(_unreadable(self.path))

    def get(self, key: str) -> bytes | None:
        data = self._new.get(key) or self._read(key)
        if data is None:
            self.misses += 1
            return None
        self.hits += 1
        self._new[key] = data
        return data

    def _read(self, key: str) -> bytes | None:
        raw = bytes.fromhex(key)
        where = self._index.get(raw)
        if where is None or self._file is None:
            return None
        self._file.seek(where[0])
        sealed = self._file.read(where[1])
        try:
            return unseal(self._key, sealed[:12], sealed[12:], MAGIC + b"reports\0" + raw)
        except (AccessError, ValueError):
            self._fail()
            return None

    def put(self, key: str, data: bytes) -> None:
        self._new[key] = data

    def save(self) -> None:
        parts = [MAGIC]
        for k, page in sorted(self._new.items()):
            raw = bytes.fromhex(k)
            nonce, ct = seal(self._key, page, MAGIC + b"reports\0" + raw)
            parts += [_RECORD.pack(raw, len(nonce) + len(ct)), nonce, ct]
        write_private(self.path, parts)

    def close(self) -> list[str]:
        """Save what this build used or made (if it asked for anything); what to tell the reader."""
        if self._file is not None:
            self._file.close()
            self._file = None
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
    return path, cache_key(keystore), []


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
    aad = MAGIC + b"scores\0" + wanted
    try:
        with open(path, "rb") as f:
            head = f.read(len(MAGIC) + 2)
            if not head.startswith(MAGIC) or len(head) < len(MAGIC) + 2:
                raise AccessError("not a cache file")
            if f.read(int.from_bytes(head[len(MAGIC):], "big")) == wanted:
                nonce = f.read(12)
                value = pickle.loads(unseal(key, nonce, f.read(), aad))
                notes.append("survey files unchanged since the last build: scores read from the cache")
                return value
    except FileNotFoundError:
        pass
    except (OSError, AccessError, ValueError):
        notes.append(_unreadable(path))
    value = compute()
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    nonce, ct = seal(key, data, aad)
    del data
    write_private(path, [MAGIC, len(wanted).to_bytes(2, "big"), wanted, nonce, ct])
    return value


def clear_cache(keystore_path: Path) -> bool:
    """Delete the cache beside this keystore; False if there was none."""
    path = cache_path(keystore_path)
    if not path.exists():
        return False
    shutil.rmtree(path)
    return True
