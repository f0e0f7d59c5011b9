"""The demo site's keystore: every reader gets a FIXED passphrase, so the README can say
which ones to try. Never use this for real readers: `lchc-gen keys issue` gives random ones."""

from __future__ import annotations

import random
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from .crypto import DEFAULT_ITERATIONS, derive_kek, normalize_passphrase, random_salt
from .keystore import Keystore, Progress, ReaderKey, load_keystore, new_keystore, save_keystore, write_private
from .passphrase import word_list


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
    """Create the demo keystore unless it already covers every reader; True if (re)written."""
    wanted = sorted(set(reader_ids))
    if path.exists():
        existing = load_keystore(path)
        if set(wanted) <= set(existing.readers):
            return False
    store: Keystore = new_keystore()
    readers: dict[str, ReaderKey] = {}
    issued = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for done, rid in enumerate(wanted, start=1):
        salt = random_salt()
        kek = derive_kek(normalize_passphrase(demo_passphrase(rid)), salt, iterations)
        readers[rid] = ReaderKey(salt=salt, iterations=iterations, kek=kek, issued=issued)
        if progress:
            progress(done, len(wanted), rid)
    write_private(handout, "".join(f"{rid}\t{demo_passphrase(rid)}\n" for rid in wanted).encode())
    save_keystore(path, Keystore(id_key=store.id_key, readers=readers))
    return True
