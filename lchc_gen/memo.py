"""Results kept between rebuilds in one process (`mkdocs serve`), keyed on their inputs' bytes.

A key is a SHA-256 over the input files' contents and any settings that shape the result,
so an edit to a file, even one that keeps its size and modification time, is a new key.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Generic, Iterable, TypeVar

T = TypeVar("T")


def digest(paths: Iterable[Path], *settings: str) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(str(path).encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"\0missing\0")  # the loader reports it; the key just has to differ
        h.update(b"\0")
    for value in settings:
        h.update(value.encode() + b"\0")
    return h.hexdigest()


class Memo(Generic[T]):
    """One remembered result; computed again whenever its key changes."""

    def __init__(self) -> None:
        self.key: str | None = None
        self.value: T | None = None
        self.hits = 0

    def get(self, key: str, compute: Callable[[], T]) -> T:
        if key != self.key or self.value is None:
            self.key, self.value = None, None  # a failed compute leaves nothing stale behind
            self.value = compute()
            self.key = key
        else:
            self.hits += 1
        return self.value
