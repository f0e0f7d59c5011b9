"""Known-answer tests for the primitives, with vectors from their specifications."""

from __future__ import annotations

import pytest

from lchc_gen.access.crypto import (
    b64u,
    bucket,
    derive_kek,
    normalize_passphrase,
    pad,
    seal,
    unb64u,
    unpad,
    unseal,
)
from lchc_gen.access.errors import DecryptError, FormatError

# RFC 7914 section 11: PBKDF2-HMAC-SHA256 with dkLen = 64. PBKDF2 output blocks are
# independent, so our 32-byte KEK is the first half of each.
RFC7914_PBKDF2 = [
    (
        b"passwd",
        b"salt",
        1,
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
    ),
    (
        b"Password",
        b"NaCl",
        80000,
        "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
        "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d",
    ),
]

# The GCM specification (McGrew and Viega), test case 16: AES-256, 96-bit IV, with AAD.
GCM16 = {
    "key": "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
    "iv": "cafebabefacedbaddecaf888",
    "pt": "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
    "aad": "feedfacedeadbeeffeedfacedeadbeefabaddad2",
    "ct": "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
    "tag": "76fc6ece0f4e1768cddf8853bb2d551b",
}


@pytest.mark.parametrize("password, salt, iterations, expected", RFC7914_PBKDF2)
def test_kdf_matches_rfc7914(password: bytes, salt: bytes, iterations: int, expected: str) -> None:
    assert derive_kek(password, salt, iterations).hex() == expected[:64]


def test_kdf_rejects_zero_iterations() -> None:
    with pytest.raises(ValueError):
        derive_kek(b"x", b"salt", 0)


def test_aead_matches_gcm_spec_test_case_16() -> None:
    v = {k: bytes.fromhex(x) for k, x in GCM16.items()}
    nonce, ct = seal(v["key"], v["pt"], v["aad"], nonce=v["iv"])
    assert nonce == v["iv"]
    assert ct == v["ct"] + v["tag"]
    assert unseal(v["key"], v["iv"], ct, v["aad"]) == v["pt"]


def test_aead_fails_cleanly_on_any_change() -> None:
    v = {k: bytes.fromhex(x) for k, x in GCM16.items()}
    ct = v["ct"] + v["tag"]
    flipped = bytes([ct[0] ^ 1]) + ct[1:]
    for key, nonce, data, aad in [
        (v["key"], v["iv"], flipped, v["aad"]),
        (v["key"], v["iv"], ct, v["aad"] + b"x"),
        (v["key"], bytes(12), ct, v["aad"]),
        (bytes(32), v["iv"], ct, v["aad"]),
    ]:
        with pytest.raises(DecryptError):
            unseal(key, nonce, data, aad)


def test_random_nonces_differ() -> None:
    key = bytes(32)
    assert seal(key, b"m", b"")[0] != seal(key, b"m", b"")[0]


def test_base64url_is_strict() -> None:
    assert unb64u(b64u(b"\x00\xff\xfe")) == b"\x00\xff\xfe"
    for bad in ["AP_-=", "AP+/", "A", "AB", 3]:  # padding, wrong alphabet, bad length, type
        with pytest.raises(FormatError):
            unb64u(bad)
    # "AB" would decode with its unused low bits ignored; only "AA" is canonical for b"\0".
    assert b64u(b"\x00") == "AA"


def test_padding_round_trip_and_buckets() -> None:
    assert unpad(pad(b"abc\x00", 16)) == b"abc\x00"
    assert len(pad(b"abc", 16)) == 16
    assert bucket(15, 16) == 16 and bucket(16, 16) == 32 and bucket(100, 16) == 128
    with pytest.raises(FormatError):
        unpad(b"abc\x00\x00")
    with pytest.raises(ValueError):
        pad(b"x" * 16, 16)


def test_passphrase_normalisation_forgives_case_and_spacing() -> None:
    assert normalize_passphrase("  Yo-Yo\tcarat  JUNKIE \n") == b"yo-yo carat junkie"
