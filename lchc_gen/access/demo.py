"""The demo site's keystore: every reader gets a FIXED passphrase, so the README can say
which ones to try. Never use this for real readers: `lchc-gen keys issue` gives random ones.

The keystore is marked as a demo one. `demo_keystore` replaces only a demo keystore and a
hand-out file that holds nothing but demo passphrases: a real keystore, or a hand-out file
with passphrases not yet delivered, is never overwritten.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Iterable

from ..problems import InputError
from .crypto import DEFAULT_ITERATIONS, derive_kek, normalize_passphrase, random_salt
from .errors import AccessError
from .keystore import Keystore, Progress, ReaderKey, load_keystore, new_keystore, save_keystore, utc_stamp, write_private
from .passphrase import word_list

HANDOUT_HEADER = "# demo passphrases (published in the README): not secret"


def demo_passphrase(reader_id: str) -> str:
    """Six words chosen by a generator seeded with the reader id: the same on every machine."""
    rng = random.Random(f"lchc-demo:{reader_id}")
    words = word_list()
    return " ".join(rng.choice(words) for _ in range(6))


def demo_keystore(
    path: Path,
    handout: Path,
    reader_ids: Iterable[str],
    *,
    iterations: int = DEFAULT_ITERATIONS,
    progress: Progress | None = None,
) -> bool:
    """Create the demo keystore unless it already covers every reader; True if (re)written.
    AccessError, before anything is written, if either file is not a demo one."""
    wanted = sorted(set(reader_ids))
    if path.exists():
        try:
            existing = load_keystore(path)
        except InputError as exc:
            raise AccessError(f"{path} is not a keystore this tool can read, so it is left alone: {exc.report()}") from None
        if not existing.demo and not _is_unmarked_demo(existing):
            raise AccessError(
                f"{path} is a real keystore (not made by `lchc-gen keys demo`); it is left alone. "
                "Give the demo keystore another path (--keystore), or move this one away first"
            )
        if set(wanted) <= set(existing.readers):
            return False
    if handout.exists() and not _is_demo_handout(handout):
        raise AccessError(
            f"{handout} holds passphrases that are not demo ones (perhaps not yet handed out); it is left "
            "alone. Hand it out and delete it, or pass --handout <another path>"
        )
    store: Keystore = new_keystore()
    readers: dict[str, ReaderKey] = {}
    issued = utc_stamp()
    for done, rid in enumerate(wanted, start=1):
        salt = random_salt()
        kek = derive_kek(normalize_passphrase(demo_passphrase(rid)), salt, iterations)
        readers[rid] = ReaderKey(salt=salt, iterations=iterations, kek=kek, issued=issued)
        if progress:
            progress(done, len(wanted), rid)
    lines = [HANDOUT_HEADER, *(f"{rid}\t{demo_passphrase(rid)}" for rid in wanted)]
    write_private(handout, ("\n".join(lines) + "\n").encode())
    save_keystore(path, Keystore(id_key=store.id_key, readers=readers, demo=True))
    return True


def _is_unmarked_demo(keystore: Keystore) -> bool:
    """A demo keystore made before demo keystores were marked: every key derives from its
    reader's demo passphrase. For a real keystore this costs one key derivation."""
    return bool(keystore.readers) and all(
        derive_kek(normalize_passphrase(demo_passphrase(rid)), r.salt, r.iterations) == r.kek
        for rid, r in keystore.readers.items()
    )


def _is_demo_handout(path: Path) -> bool:
    """True if every line is a demo passphrase (or the demo header): nothing is lost by
    writing it again. Older demo hand-out files have no header and count as well."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    for line in lines:
        if line in ("", HANDOUT_HEADER):
            continue
        rid, _, phrase = line.partition("\t")
        if phrase != demo_passphrase(rid):
            return False
    return True
