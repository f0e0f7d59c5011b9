"""Diceware-style passphrases from the EFF large word list (7,776 words).

The list comes from the `xkcdpass` package, which ships it as package data
(xkcdpass/static/eff-long); we read it rather than keep a copy.
"""

from __future__ import annotations

import math
import secrets
from functools import lru_cache
from importlib import resources

from .errors import AccessError

MIN_ENTROPY_BITS = 70.0
DEFAULT_WORDS = 6  # 6 x log2(7776) = 77.5 bits; 5 words would give only 64.6
EFF_LARGE_SIZE = 7776


@lru_cache(maxsize=1)
def word_list() -> tuple[str, ...]:
    """The EFF large word list, checked so a damaged or substituted file cannot
    silently lower the entropy of every passphrase."""
    try:
        text = resources.files("xkcdpass").joinpath("static", "eff-long").read_text("utf-8")
    except ModuleNotFoundError:
        raise AccessError("the xkcdpass package (EFF word list) is not installed") from None
    words = tuple(text.split())
    if len(words) != EFF_LARGE_SIZE or len(set(words)) != EFF_LARGE_SIZE:
        raise AccessError("the EFF word list is not the expected 7,776 distinct words")
    if any(not w.isascii() or w != w.lower() for w in words):
        raise AccessError("the EFF word list has unexpected characters")
    return words


def entropy_bits(n_words: int, list_size: int) -> float:
    return n_words * math.log2(list_size)


def new_passphrase(n_words: int = DEFAULT_WORDS) -> str:
    """Words chosen uniformly and independently with `secrets`, joined by spaces
    (some EFF words contain hyphens, so a hyphen would be ambiguous)."""
    words = word_list()
    if entropy_bits(n_words, len(words)) < MIN_ENTROPY_BITS:
        raise ValueError(f"{n_words} words give less than {MIN_ENTROPY_BITS:g} bits of entropy")
    return " ".join(secrets.choice(words) for _ in range(n_words))
