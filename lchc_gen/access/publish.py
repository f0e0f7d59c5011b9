"""Turn protected pages and a keystore into the encrypted files of one build.

Nothing is written here: the caller gets (relative path, bytes) pairs to place under
site_dir. Layout, under `root` (default "_access"):
    p/<page id>.json    page blob (see blobs.py)
    k/<locator>.json    one keyring per keystore reader, padded to a size class

Every page blob of a size group (say, every team report) is padded to one size: that of the
group's largest page, rounded up to a size class; so a blob's size tells nothing about its
report's content. Files come sorted by path: the ids are keyed hashes that change with every
publication, so that order says nothing about teams or cycles.

Every reader in the keystore gets a keyring, even one that opens nothing, so the set
of keyrings reflects the keystore, not who may read which report. A keyring is padded to
a size class: the smallest power of two, at least KEYRING_MIN_BYTES, that holds it. Every
reader who opens fewer than about 20 reports has a keyring of the minimum size; only those
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
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from .blobs import KeyringEntry, build_keyring, deflate, keyring_locator, padded_size, seal_page
from .crypto import random_key
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
    size_group: str = ""  # pages of one group are padded to one size (e.g. "team", "overview")
    # For "My reports", only ever stored encrypted in each reader's keyring: what the page is
    # (e.g. cycle, kind), and whose own page it is (that reader's entry says "own": true).
    info: Mapping[str, Any] = field(default_factory=dict)
    owner: str | None = None
    deflated: bytes | None = None  # the HTML already compressed (blobs.deflate); `html` is then unused


@dataclass(frozen=True)
class OutputFile:
    path: str  # POSIX path relative to site_dir
    data: bytes


@dataclass(frozen=True)
class Publication:
    build_id: str
    files: tuple[OutputFile, ...]
    # Authorised readers with no keystore entry (and not revoked) -> the pages they cannot open (warn).
    missing_readers: Mapping[str, tuple[str, ...]]


def new_build_id() -> str:
    return secrets.token_hex(16)


def page_blob_path(page_id: str, root: str = ACCESS_ROOT) -> str:
    return f"{root}/p/{page_id}.json"


def linked_blob_path(page_id: str, root: str = ACCESS_ROOT) -> str:
    """Pages opened by the key in their link (teams' own pages), apart from the reports."""
    return f"{root}/t/{page_id}.json"


def keyring_path(build_id: str, reader_id: str, root: str = ACCESS_ROOT) -> str:
    return f"{root}/k/{keyring_locator(build_id, reader_id)}.json"


def publish(
    build_id: str,
    pages: Iterable[ProtectedPage],
    keystore: Keystore,
    *,
    root: str = ACCESS_ROOT,
    names: Mapping[str, str] | None = None,
    cycles: Sequence[str] = (),
) -> Publication:
    """`names`: readers' display names, and `cycles`: the labels that pages' info["cycle"]
    indexes; both carried inside every keyring (never in plaintext)."""
    pages = list(pages)
    _check_inputs(build_id, pages)
    compressed = [page.deflated if page.deflated is not None else deflate(page.html.encode("utf-8")) for page in pages]
    sizes: dict[str, list[int]] = {}
    for page, data in zip(pages, compressed):
        sizes.setdefault(page.size_group, []).append(len(data))
    size_of = {group: padded_size(lengths) for group, lengths in sizes.items()}
    files: list[OutputFile] = []
    entries: dict[str, list[KeyringEntry]] = {rid: [] for rid in keystore.readers}
    missing: dict[str, list[str]] = {}
    for page, data in zip(pages, compressed):
        key = random_key()
        blob = seal_page(key, data, build_id, page.url, size=size_of[page.size_group])
        files.append(OutputFile(page_blob_path(page.page_id, root), blob))
        for rid in sorted(page.readers):
            if rid in entries:
                info = {**page.info, "own": rid == page.owner} if page.info else None
                entries[rid].append(KeyringEntry(page.page_id, page.url, page.label, key, info))
            elif rid not in keystore.revoked:
                missing.setdefault(rid, []).append(page.page_id)
    for rid, reader_entries in sorted(entries.items()):
        r = keystore.readers[rid]
        blob = build_keyring(r.kek, r.salt, r.iterations, build_id, rid, reader_entries, name=(names or {}).get(rid), cycles=cycles)
        files.append(OutputFile(keyring_path(build_id, rid, root), blob))
    return Publication(
        build_id=build_id,
        files=tuple(sorted(files, key=lambda f: f.path)),
        missing_readers={rid: tuple(ids) for rid, ids in sorted(missing.items())},
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


@dataclass(frozen=True)
class LinkedPage:
    """A page opened by a key that travels in its link (the URL's #fragment), not by a keyring:
    a team's own page, for its members, who have no reader id. The key is in no keystore."""

    page_id: str  # opaque, names the blob file
    url: str  # the site-relative address the blob is bound to (its additional data)
    html: str


def seal_linked(build_id: str, pages: Sequence[LinkedPage], keys: Mapping[str, bytes], *, root: str = ACCESS_ROOT) -> tuple[OutputFile, ...]:
    """The same page format as the reports (compressed, padded, AES-256-GCM bound to address and
    build), each under its own key from ``keys`` (page id -> 32 random bytes, made per
    publication by the caller), every page padded to one size so none shows its length."""
    _check_inputs(build_id, list(pages))  # type: ignore[arg-type]  # the same id and url rules
    compressed = [deflate(p.html.encode("utf-8")) for p in pages]
    size = padded_size(len(c) for c in compressed)
    return tuple(
        OutputFile(linked_blob_path(p.page_id, root), seal_page(keys[p.page_id], data, build_id, p.url, size=size))
        for p, data in zip(pages, compressed)
    )
