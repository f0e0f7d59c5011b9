"""Error types of the access core."""

from __future__ import annotations


class AccessError(Exception):
    """Base of every error raised by lchc_gen.access."""


class DecryptError(AccessError):
    """Authentication failed: wrong key (or passphrase) or data tampered with.

    AES-GCM cannot tell the two apart, and we deliberately do not try.
    """


class FormatError(AccessError):
    """A blob, keyring or keystore is malformed or of an unsupported version."""


class UnknownReader(AccessError):
    """A keystore operation named a reader the keystore does not hold."""
