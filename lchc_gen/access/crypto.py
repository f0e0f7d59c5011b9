"""Primitives: PBKDF2-HMAC-SHA256 key derivation and AES-256-GCM, via `cryptography`.

Everything here mirrors what the browser does with WebCrypto in assets/lchc-access.js;
a change to any constant or encoding must be made on both sides.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import unicodedata

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from .errors import DecryptError, FormatError

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # 96-bit GCM nonce, the size GCM is specified for
SALT_BYTES = 16
MIN_ITERATIONS = 600_000  # OWASP's floor for PBKDF2-HMAC-SHA256
DEFAULT_ITERATIONS = MIN_ITERATIONS

_B64U = re.compile(r"[A-Za-z0-9_-]*")


def random_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def random_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def normalize_passphrase(passphrase: str) -> bytes:
    """Forgive case and spacing when a reader types their passphrase.

    The words are lower-case ASCII, so folding case and collapsing whitespace loses no
    entropy; the browser applies the same rule before deriving the key.
    """
    text = unicodedata.normalize("NFC", passphrase)
    return " ".join(text.split()).lower().encode("utf-8")


def derive_kek(secret: bytes, salt: bytes, iterations: int) -> bytes:
    """Key-encryption key: PBKDF2-HMAC-SHA256(secret, salt, iterations), 256 bits."""
    if iterations < 1:
        raise ValueError("iterations must be positive")
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, iterations=iterations)
    return kdf.derive(secret)


def seal(key: bytes, plaintext: bytes, aad: bytes, nonce: bytes | None = None) -> tuple[bytes, bytes]:
    """AES-256-GCM encrypt; returns (nonce, ciphertext with its 16-byte tag appended).

    `nonce` exists for known-answer tests only: every real call draws a random one,
    which is safe because each key seals at most a handful of messages.
    """
    _check_key(key)
    nonce = secrets.token_bytes(NONCE_BYTES) if nonce is None else nonce
    if len(nonce) != NONCE_BYTES:
        raise ValueError("nonce must be 12 bytes")
    return nonce, AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    """AES-256-GCM decrypt; DecryptError on a wrong key or any altered byte."""
    _check_key(key)
    if len(nonce) != NONCE_BYTES:
        raise DecryptError("nonce has the wrong length")
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except InvalidTag:
        raise DecryptError("authentication failed: wrong key or tampered data") from None


def bind(*parts: str) -> bytes:
    """Additional data from labelled parts, NUL-separated (parts may not contain NUL)."""
    if any("\0" in part for part in parts):
        raise ValueError("additional-data parts may not contain NUL")
    return "\0".join(parts).encode("utf-8")


def digest_hex(*parts: str) -> str:
    return hashlib.sha256(bind(*parts)).hexdigest()


def pad(data: bytes, size: int) -> bytes:
    """ISO/IEC 7816-4 padding (0x80 then zeros) to exactly `size` bytes."""
    if size < len(data) + 1:
        raise ValueError("padding target smaller than the data")
    return data + b"\x80" + bytes(size - len(data) - 1)


def unpad(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        raise FormatError("bad padding")
    return stripped[:-1]


def bucket(length: int, minimum: int) -> int:
    """Smallest power of two that holds `length` plus the padding marker, at least `minimum`."""
    size = minimum
    while size < length + 1:
        size *= 2
    return size


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64u(text: object) -> bytes:
    """Strict base64url: only the canonical encoding of some bytes is accepted, so no
    edit to a blob's text can leave the decoded bytes unchanged."""
    if not isinstance(text, str) or not _B64U.fullmatch(text):
        raise FormatError("expected a base64url string")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raise FormatError("invalid base64url") from None
    if b64u(data) != text:
        raise FormatError("non-canonical base64url")
    return data


def _check_key(key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError("key must be 32 bytes")
