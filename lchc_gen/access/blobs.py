"""The two published file formats: page blobs (version 2) and reader keyrings (version 1).

Page blob (JSON):    {"v": 2, "nonce": b64u, "ct": b64u}
    ct = AES-256-GCM(content key, padded raw-DEFLATE (RFC 1951) of the UTF-8 HTML,
                     AAD = "lchc-page" NUL "2" NUL build id NUL page URL)
    Version 1 (no compression) is no longer written or read.
Keyring (JSON):      {"v": 1, "kdf": "PBKDF2-HMAC-SHA256", "salt": b64u, "iterations": int,
                      "nonce": b64u, "ct": b64u}
    ct = AES-256-GCM(KEK, padded JSON {"v": 1, "pages": [{"id", "url", "label", "key"[, "info"]}][, "name"][, "cycles"]},
                     AAD = "lchc-keyring" NUL "1" NUL build id NUL reader id
                           NUL kdf NUL salt (b64u) NUL iterations (decimal))
    Optional, and only ever inside the ciphertext: "name", the reader's display name; "cycles",
    the cycles' labels in order; and per page "info", a small object that says what the page is
    to this reader (for "My reports"), e.g. {"cycle": 1, "kind": "team", "own": true}, "cycle"
    being an index into "cycles". Kept small: every byte counts against the size class.
Padding is ISO/IEC 7816-4 (0x80 then zeros) so lengths reveal only a size bucket.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from .crypto import (
    KEY_BYTES,
    b64u,
    bind,
    bucket,
    derive_kek,
    digest_hex,
    normalize_passphrase,
    pad,
    seal,
    unb64u,
    unpad,
    unseal,
)
from .errors import FormatError

VERSION = 1  # keyrings
PAGE_VERSION = 2
KDF_NAME = "PBKDF2-HMAC-SHA256"
# A compressed team report is 1 to 5 KiB; publish() pads every team report of a build to the
# size class of the largest, so long questions move all of them, suppressed or not, together.
PAGE_MIN_BYTES = 8 * 1024
# Room for about 20 reports (with "My reports" info): every keyring of a reader who opens fewer has this same size.
KEYRING_MIN_BYTES = 4 * 1024


@dataclass(frozen=True)
class KeyringEntry:
    """One page a reader may open. The label is encrypted, so it may name the team."""

    page_id: str
    url: str
    label: str
    key: bytes
    info: Mapping[str, Any] | None = None  # e.g. cycle, kind and whether it is the reader's own team


def reader_key(reader_id: str) -> str:
    """A reader id as keyrings bind it: trimmed and lower-case, as the sign-in form takes what the
    reader types (lchc-access.js), so "P00007" and "p00007" open the same keyring."""
    return reader_id.strip().lower()


def keyring_locator(build_id: str, reader_id: str) -> str:
    """File name of a reader's keyring: unlinkable across builds, computable in the browser."""
    return digest_hex("lchc-keyring-locator", build_id, reader_key(reader_id))[:32]


def page_aad(build_id: str, url: str) -> bytes:
    return bind("lchc-page", str(PAGE_VERSION), build_id, url)


def keyring_aad(build_id: str, reader_id: str, salt: bytes, iterations: int) -> bytes:
    # The KDF parameters travel in clear, so they are authenticated too.
    return bind("lchc-keyring", str(VERSION), build_id, reader_key(reader_id), KDF_NAME, b64u(salt), str(iterations))


def deflate(data: bytes) -> bytes:
    """Raw DEFLATE, the format the browser's DecompressionStream("deflate-raw") reads. Level 1:
    after padding to a size class, stronger compression would rarely save a byte."""
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def inflate(data: bytes) -> bytes:
    unpacker = zlib.decompressobj(-15)
    try:
        out = unpacker.decompress(data) + unpacker.flush()
    except zlib.error:
        raise FormatError("page content is not valid DEFLATE data") from None
    if not unpacker.eof or unpacker.unused_data:
        raise FormatError("page content is not one complete DEFLATE stream")
    return out


def encrypt_page(
    key: bytes, html: str, build_id: str, url: str, *, size: int | None = None, nonce: bytes | None = None
) -> bytes:
    # Compressed before encryption: a report is mostly repetitive table and SVG markup, and a
    # thousand teams' reports would otherwise be most of the site's bytes. Padding afterwards
    # keeps the compressed length from showing.
    return seal_page(key, deflate(html.encode("utf-8")), build_id, url, size=size, nonce=nonce)


def seal_page(
    key: bytes, compressed: bytes, build_id: str, url: str, *, size: int | None = None, nonce: bytes | None = None
) -> bytes:
    """Seal compressed page content padded to `size` bytes (default: its own size class).
    publish() passes one size for a whole group of pages, so that they all look alike."""
    padded = pad(compressed, size if size is not None else padded_size([len(compressed)]))
    nonce, ct = seal(key, padded, page_aad(build_id, url), nonce)
    return _dump({"v": PAGE_VERSION, "nonce": b64u(nonce), "ct": b64u(ct)})


def padded_size(lengths: Iterable[int]) -> int:
    """The one padded size that holds every one of these compressed pages."""
    return bucket(max(lengths, default=0), PAGE_MIN_BYTES)


def decrypt_page(blob: bytes, key: bytes, build_id: str, url: str) -> str:
    doc = _load(blob, {"v", "nonce", "ct"}, PAGE_VERSION)
    padded = unseal(key, unb64u(doc["nonce"]), unb64u(doc["ct"]), page_aad(build_id, url))
    return inflate(unpad(padded)).decode("utf-8")


def keyring_plaintext(entries: Iterable[KeyringEntry], name: str | None = None, cycles: Sequence[str] = ()) -> bytes:
    """The unpadded keyring JSON."""
    pages = [
        {"id": e.page_id, "url": e.url, "label": e.label, "key": b64u(e.key), **({"info": dict(e.info)} if e.info else {})}
        for e in sorted(entries, key=lambda e: (e.label, e.page_id))
    ]
    return _dump({"v": VERSION, "pages": pages, **({"name": name} if name else {}), **({"cycles": list(cycles)} if cycles else {})})


def build_keyring(
    kek: bytes,
    salt: bytes,
    iterations: int,
    build_id: str,
    reader_id: str,
    entries: Iterable[KeyringEntry],
    *,
    name: str | None = None,
    cycles: Sequence[str] = (),
    nonce: bytes | None = None,
) -> bytes:
    """Seal a reader's keyring, padded to its size class."""
    plain = keyring_plaintext(entries, name, cycles)
    padded = pad(plain, bucket(len(plain), KEYRING_MIN_BYTES))
    nonce, ct = seal(kek, padded, keyring_aad(build_id, reader_id, salt, iterations), nonce)
    return _dump(
        {
            "v": VERSION,
            "kdf": KDF_NAME,
            "salt": b64u(salt),
            "iterations": iterations,
            "nonce": b64u(nonce),
            "ct": b64u(ct),
        }
    )


def open_keyring(blob: bytes, kek: bytes, build_id: str, reader_id: str) -> list[KeyringEntry]:
    return open_keyring_with_name(blob, kek, build_id, reader_id)[0]


def open_keyring_with_name(blob: bytes, kek: bytes, build_id: str, reader_id: str) -> tuple[list[KeyringEntry], str | None]:
    """The keyring's entries and the reader's display name (None when it carries none)."""
    doc = _load_keyring(blob)
    aad = keyring_aad(build_id, reader_id, unb64u(doc["salt"]), doc["iterations"])
    padded = unseal(kek, unb64u(doc["nonce"]), unb64u(doc["ct"]), aad)
    inner = _load(unpad(padded), {"v", "pages"}, optional={"name", "cycles"})
    try:
        entries = [KeyringEntry(p["id"], p["url"], p["label"], unb64u(p["key"]), p.get("info")) for p in inner["pages"]]
    except (KeyError, TypeError, AttributeError):
        raise FormatError("malformed keyring entry") from None
    if any(len(e.key) != KEY_BYTES for e in entries):
        raise FormatError("keyring holds a key of the wrong length")
    name = inner.get("name")
    if name is not None and not isinstance(name, str):
        raise FormatError("malformed reader name")
    return entries, name


def unlock_keyring(blob: bytes, passphrase: str, build_id: str, reader_id: str) -> list[KeyringEntry]:
    """What the browser does, in Python: derive the KEK from the keyring's own KDF
    parameters, then open it. Raises DecryptError for a wrong passphrase."""
    doc = _load_keyring(blob)
    kek = derive_kek(normalize_passphrase(passphrase), unb64u(doc["salt"]), doc["iterations"])
    return open_keyring(blob, kek, build_id, reader_id)


def _load_keyring(blob: bytes) -> dict[str, Any]:
    doc = _load(blob, {"v", "kdf", "salt", "iterations", "nonce", "ct"})
    iterations = doc["iterations"]
    if doc["kdf"] != KDF_NAME or not isinstance(iterations, int) or iterations < 1:
        raise FormatError("unsupported key derivation")
    return doc


def _dump(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _load(data: bytes, fields: set[str], expected_version: int = VERSION, optional: set[str] = frozenset()) -> dict[str, Any]:
    try:
        doc = json.loads(data)
    except ValueError:  # includes invalid UTF-8
        raise FormatError("not valid JSON") from None
    if not isinstance(doc, dict):
        raise FormatError("expected a JSON object")
    version = doc.get("v")
    if version != expected_version or isinstance(version, bool):
        raise FormatError(f"unsupported format version {version!r}")
    if not fields <= set(doc) <= fields | optional:
        raise FormatError("unexpected fields")
    return doc
