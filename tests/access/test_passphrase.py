"""Passphrases: real EFF words, enough entropy, drawn with `secrets`."""

from __future__ import annotations

import math

import pytest

from lchc_gen.access.passphrase import (
    DEFAULT_WORDS,
    MIN_ENTROPY_BITS,
    entropy_bits,
    new_passphrase,
    word_list,
)


def test_word_list_is_the_eff_large_list() -> None:
    words = word_list()
    assert len(words) == len(set(words)) == 7776
    assert words[0] == "abacus" and words[-1] == "zoom"


def test_default_passphrase_has_at_least_70_bits() -> None:
    bits = DEFAULT_WORDS * math.log2(7776)  # computed here, not by the code under test
    assert bits >= 70 and MIN_ENTROPY_BITS >= 70
    assert entropy_bits(DEFAULT_WORDS, 7776) == pytest.approx(bits)


def test_passphrases_are_words_from_the_list() -> None:
    vocabulary = set(word_list())
    phrases = [new_passphrase() for _ in range(50)]
    assert len(set(phrases)) == 50
    for phrase in phrases:
        words = phrase.split(" ")
        assert len(words) == DEFAULT_WORDS and set(words) <= vocabulary


def test_too_few_words_are_refused() -> None:
    with pytest.raises(ValueError):
        new_passphrase(5)  # 64.6 bits
