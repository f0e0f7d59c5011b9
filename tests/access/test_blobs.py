"""Page blobs and keyrings: fixed-input known answers, round trips and tamper tests."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import zlib

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lchc_gen.access.blobs import (
    KeyringEntry,
    build_keyring,
    decrypt_page,
    encrypt_page,
    keyring_locator,
    open_keyring,
    unlock_keyring,
)
from lchc_gen.access.crypto import normalize_passphrase
from lchc_gen.access.errors import AccessError, DecryptError, FormatError

BUILD = "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
URL = "r/7f3a9c/"
PAGE_KEY = bytes(range(32))
NONCE = bytes(range(100, 112))
SALT = b"sixteen byte salt"[:16]
ITER = 1000
PASSPHRASE = "Abacus Yo-Yo carat"
ENTRIES = [
    KeyringEntry("7f3a9c", "r/7f3a9c/", "Team report 2", PAGE_KEY),
    KeyringEntry("11aa22", "r/11aa22/", "Team report 1", bytes(32)),
]

# SHA-256 of build_keyring(KEK(PASSPHRASE), SALT, ITER, BUILD, "alice", ENTRIES, nonce=NONCE),
# committed so any change to the published format shows up here.
KEYRING_SHA256 = "deab510124f74079c5ad3345cab5c74329c4c814590f72cae7343631dc5c5638"


def kek() -> bytes:
    # Independent of the code under test: hashlib, not lchc_gen's derive_kek.
    return hashlib.pbkdf2_hmac("sha256", b"abacus yo-yo carat", SALT, ITER)


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def fixed_keyring() -> bytes:
    return build_keyring(kek(), SALT, ITER, BUILD, "alice", ENTRIES, nonce=NONCE)


def test_keyring_known_answer_built_independently() -> None:
    """Rebuild the expected keyring by hand from the documented format and compare."""
    doc = json.loads(fixed_keyring())
    assert doc == {
        "v": 1,
        "kdf": "PBKDF2-HMAC-SHA256",
        "salt": base64.urlsafe_b64encode(SALT).decode().rstrip("="),
        "iterations": ITER,
        "nonce": base64.urlsafe_b64encode(NONCE).decode().rstrip("="),
        "ct": doc["ct"],
    }
    inner = (
        '{"pages":['
        '{"id":"11aa22","key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",'
        '"label":"Team report 1","url":"r/11aa22/"},'
        '{"id":"7f3a9c","key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",'
        '"label":"Team report 2","url":"r/7f3a9c/"}'
        '],"v":1}'
    ).encode()
    padded = inner + b"\x80" + bytes(4096 - len(inner) - 1)
    aad = b"\x00".join(
        [
            b"lchc-keyring",
            b"1",
            BUILD.encode(),
            b"alice",
            b"PBKDF2-HMAC-SHA256",
            doc["salt"].encode(),
            b"1000",
        ]
    )
    assert unb64(doc["ct"]) == AESGCM(kek()).encrypt(NONCE, padded, aad)
    assert hashlib.sha256(fixed_keyring()).hexdigest() == KEYRING_SHA256


def test_keyring_round_trip_with_passphrase() -> None:
    entries = unlock_keyring(fixed_keyring(), PASSPHRASE, BUILD, "alice")
    assert sorted(entries, key=lambda e: e.page_id) == sorted(ENTRIES, key=lambda e: e.page_id)
    assert normalize_passphrase(PASSPHRASE) == b"abacus yo-yo carat"


def test_wrong_passphrase_fails_cleanly() -> None:
    with pytest.raises(DecryptError):
        unlock_keyring(fixed_keyring(), "abacus yo-yo karat", BUILD, "alice")


@pytest.mark.parametrize("build, reader", [(BUILD[::-1], "alice"), (BUILD, "bob")])
def test_keyring_is_bound_to_build_and_reader(build: str, reader: str) -> None:
    with pytest.raises(DecryptError):
        open_keyring(fixed_keyring(), kek(), build, reader)


# "<p>Score 4.2</p>" as raw DEFLATE (RFC 1951), pinned as zlib wrote it at level 1; the test
# checks it by inflating it, so the expected bytes do not come from the code under test.
DEFLATED = bytes.fromhex("b329b00b4ece2f4a5530d133b2d12fb00300")


def test_page_known_answer_built_independently() -> None:
    blob = encrypt_page(PAGE_KEY, "<p>Score 4.2</p>", BUILD, URL, nonce=NONCE)
    doc = json.loads(blob)
    assert set(doc) == {"v", "nonce", "ct"} and doc["v"] == 2
    assert zlib.decompress(DEFLATED, -15) == b"<p>Score 4.2</p>"
    padded = DEFLATED + b"\x80" + bytes(8 * 1024 - len(DEFLATED) - 1)
    aad = b"lchc-page\x002\x00" + BUILD.encode() + b"\x00" + URL.encode()
    assert unb64(doc["ct"]) == AESGCM(PAGE_KEY).encrypt(NONCE, padded, aad)
    assert decrypt_page(blob, PAGE_KEY, BUILD, URL) == "<p>Score 4.2</p>"


def test_page_size_reveals_only_a_bucket() -> None:
    # A short page and a long, compressible one land in the same size class; random text of
    # the same length does not compress and needs a larger one.
    short = encrypt_page(PAGE_KEY, "x", BUILD, URL)
    longer = encrypt_page(PAGE_KEY, "<td>4.20</td>" * 2_000, BUILD, URL)
    assert len(short) == len(longer)
    noise = encrypt_page(PAGE_KEY, os.urandom(13_000).hex(), BUILD, URL)
    assert len(noise) > len(short)


def test_a_version_1_page_is_refused() -> None:
    doc = json.loads(encrypt_page(PAGE_KEY, "<p>x</p>", BUILD, URL))
    with pytest.raises(FormatError, match="version"):
        decrypt_page(json.dumps({**doc, "v": 1}).encode(), PAGE_KEY, BUILD, URL)


@pytest.mark.parametrize("build, url", [(BUILD, "r/other/"), (BUILD[::-1], URL)])
def test_page_is_bound_to_path_and_build(build: str, url: str) -> None:
    blob = encrypt_page(PAGE_KEY, "<p>x</p>", BUILD, URL)
    with pytest.raises(DecryptError):
        decrypt_page(blob, PAGE_KEY, build, url)


def flipped_text_positions(blob: bytes, samples: int = 300) -> list[int]:
    """Every byte of the JSON frame and the tag region, plus random ones in between."""
    rng = random.Random(7)
    ends = list(range(min(len(blob), 120))) + list(range(max(0, len(blob) - 120), len(blob)))
    return sorted(set(ends + rng.sample(range(len(blob)), min(samples, len(blob)))))


def flip(data: bytes, pos: int, bit: int) -> bytes:
    return data[:pos] + bytes([data[pos] ^ (1 << bit)]) + data[pos + 1 :]


def test_any_flipped_bit_in_a_page_blob_fails_cleanly() -> None:
    blob = encrypt_page(PAGE_KEY, "<p>secret</p>", BUILD, URL)
    for pos in flipped_text_positions(blob):
        with pytest.raises(AccessError):
            decrypt_page(flip(blob, pos, pos % 8), PAGE_KEY, BUILD, URL)


def test_any_flipped_bit_in_page_ciphertext_or_nonce_is_a_decrypt_error() -> None:
    doc = json.loads(encrypt_page(PAGE_KEY, "<p>secret</p>", BUILD, URL))
    for field in ("nonce", "ct"):
        raw = unb64(doc[field])
        for pos in [0, len(raw) // 2, len(raw) - 1]:  # start, middle, and the tag
            for bit in range(8):
                bad = dict(doc, **{field: base64.urlsafe_b64encode(flip(raw, pos, bit)).decode().rstrip("=")})
                with pytest.raises(DecryptError):
                    decrypt_page(json.dumps(bad).encode(), PAGE_KEY, BUILD, URL)


def test_any_flipped_bit_in_a_keyring_fails_cleanly() -> None:
    blob = fixed_keyring()
    for pos in flipped_text_positions(blob):
        with pytest.raises(AccessError):
            open_keyring(flip(blob, pos, pos % 8), kek(), BUILD, "alice")


def test_locator_is_sha256_of_build_and_reader() -> None:
    expected = hashlib.sha256(b"lchc-keyring-locator\x00" + BUILD.encode() + b"\x00alice").hexdigest()[:32]
    assert keyring_locator(BUILD, "alice") == expected
    assert keyring_locator(BUILD[::-1], "alice") != expected


def test_a_reader_id_opens_its_keyring_in_any_case() -> None:
    """Sign-in takes "P00007" for "p00007": the keyring's file name and its additional data bind
    the id in lower case, as lchc-access.js does with what the reader types."""
    ring = build_keyring(kek(), SALT, ITER, BUILD, "p00007", ENTRIES, nonce=NONCE)
    assert keyring_locator(BUILD, "P00007") == keyring_locator(BUILD, "p00007") == keyring_locator(BUILD, " p00007 ")
    assert [e.page_id for e in open_keyring(ring, kek(), BUILD, "P00007")] == ["11aa22", "7f3a9c"]
