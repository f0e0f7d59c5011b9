"""Turn protected pages and a keystore into the encrypted files of one build.

Nothing is written here: the caller gets (relative path, bytes) pairs to place under
site_dir. Layout, under `root` (default "_access"):
    p/<page id>.json    page blob (see blobs.py)
    k/<locator>.json    one keyring per keystore reader, padded to a size class

Every reader in the keystore gets a keyring, even one that opens nothing, so the set
of keyrings reflects the keystore, not who may read which report. A keyring is padded to
a size class: the smallest power of two, at least KEYRING_MIN_BYTES, that holds it. Every
reader who opens fewer than about 25 reports has a keyring of the minimum size; only those
who open more (admins, managers of many teams) fall in larger classes. Padding every keyring
to the largest one would hide that too, but costs readers x reports: 5,000 keyrings of
1.5 MB each (7.5 GB) for a 5,000-team organisation.
No dummy keyrings: a locator is computable from a reader id and the public build id,
so anyone holding a list of ids can tell real keyrings from dummies anyway; the count
of keyrings therefore reveals only the size of the keystore.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Iterable, Mapping

from .blobs import KeyringEntry, build_keyring, encrypt_page, keyring_locator
from .crypto import MIN_ITERATIONS, random_key
from .keystore import Keystore

ACCESS_ROOT = "_access"
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class ProtectedPage:
    page_id: str  # opaque, names the blob file
    url: str  # opaque site-relative URL of the page; bound into the blob's additional data
    html: str  # the plaintext report
    label: str  # shown under "My reports"; only ever stored encrypted
    readers: frozenset[str]


@dataclass(frozen=True)
class OutputFile:
    path: str  # POSIX path relative to site_dir
    data: bytes


@dataclass(frozen=True)
class Publication:
    build_id: str
    files: tuple[OutputFile, ...]
    # Authorised readers with no keystore entry -> the pages they cannot open (warn).
    missing_readers: Mapping[str, tuple[str, ...]]
    # Readers whose KDF is below the current minimum (warn: re-issue them).
    weak_kdf_readers: tuple[str, ...]


def new_build_id() -> str:
    return secrets.token_hex(16)


def page_blob_path(page_id: str, root: str = ACCESS_ROOT) -> str:
    return f"{root}/p/{page_id}.json"


def keyring_path(build_id: str, reader_id: str, root: str = ACCESS_ROOT) -> str:
    return f"{root}/k/{keyring_locator(build_id, reader_id)}.json"


def publish(
    build_id: str,
    pages: Iterable[ProtectedPage],
    keystore: Keystore,
    *,
    root: str = ACCESS_ROOT,
) -> Publication:
    pages = list(pages)
    _check_inputs(build_id, pages)
    files: list[OutputFile] = []
    entries: dict[str, list[KeyringEntry]] = {rid: [] for rid in keystore.readers}
    missing: dict[str, list[str]] = {}
    for page in pages:
        key = random_key()
        files.append(
            OutputFile(page_blob_path(page.page_id, root), encrypt_page(key, page.html, build_id, page.url))
        )
        for rid in sorted(page.readers):
            if rid in entries:
                entries[rid].append(KeyringEntry(page.page_id, page.url, page.label, key))
            else:
                missing.setdefault(rid, []).append(page.page_id)
    for rid, reader_entries in sorted(entries.items()):
        r = keystore.readers[rid]
        blob = build_keyring(r.kek, r.salt, r.iterations, build_id, rid, reader_entries)
        files.append(OutputFile(keyring_path(build_id, rid, root), blob))
    return Publication(
        build_id=build_id,
        files=tuple(files),
        missing_readers={rid: tuple(ids) for rid, ids in sorted(missing.items())},
        weak_kdf_readers=tuple(
            sorted(rid for rid, r in keystore.readers.items() if r.iterations < MIN_ITERATIONS)
        ),
    )


def _check_inputs(build_id: str, pages: list[ProtectedPage]) -> None:
    if not _TOKEN.fullmatch(build_id):
        raise ValueError("build id must be letters, digits, '-' or '_'")
    for page in pages:
        if not _TOKEN.fullmatch(page.page_id):
            raise ValueError(f"page id {page.page_id!r} must be letters, digits, '-' or '_'")
    for what in ("page_id", "url"):
        values = [getattr(p, what) for p in pages]
        if len(set(values)) != len(values):
            raise ValueError(f"protected pages must have distinct {what}s")
