"""Render many pages: from a cache where their inputs are unchanged, the rest over the cores.

Rendering is most of a large build's time and needs no shared state, so it is spread over
worker processes. They are forked: each starts with the scores and templates it needs
already in memory, and only the finished pages (compressed, so small) come back. Fork is used
only where it is safe (a POSIX system, a process running one thread); elsewhere, and for a
handful of pages, everything is rendered here.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from typing import Callable, Protocol, Sequence

from ..access.blobs import deflate

# Below this many pages to render, starting processes costs more than it saves.
MIN_PARALLEL = 64
# Pages per task: large enough that handing results back is cheap, small enough to balance.
CHUNK = 32


class PageStore(Protocol):
    """Compressed pages by a hash of everything they are rendered from (access/cache.py)."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...


# What a forked worker renders: set just before the pool starts, read by the workers.
_render: Callable[[int], str] | None = None
_deflated = False


def _finish(html: str) -> str | bytes:
    return deflate(html.encode("utf-8")) if _deflated else html


def _work(indexes: Sequence[int]) -> list[tuple[int, str | bytes]]:
    assert _render is not None
    return [(i, _finish(_render(i))) for i in indexes]


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not every system can say which cores the process may use
        return os.cpu_count() or 1


def can_fork() -> bool:
    # A fork copies only the calling thread: with others running (mkdocs serve's file watcher
    # and server), a lock one of them holds would stay locked in the child forever.
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def render_all(
    count: int,
    render: Callable[[int], str],
    keys: Sequence[str] | None = None,
    *,
    deflated: bool = False,
    cache: PageStore | None = None,
    workers: int | None = None,
) -> list[str | bytes]:
    """`render(i)` for i in range(count): HTML, or compressed HTML with `deflated`. With a
    cache (compressed pages only) and each page's key, pages found there are not rendered, and
    every page rendered is stored."""
    global _render, _deflated
    out: list[str | bytes | None] = [None] * count
    use_cache = cache is not None and keys is not None and deflated
    if use_cache:
        for i, key in enumerate(keys):  # type: ignore[arg-type]
            out[i] = cache.get(key)  # type: ignore[union-attr]
    todo = [i for i in range(count) if out[i] is None]
    n = default_workers() if workers is None else workers
    _render, _deflated = render, deflated
    try:
        if n > 1 and len(todo) >= MIN_PARALLEL and can_fork():
            chunks = [todo[k:k + CHUNK] for k in range(0, len(todo), CHUNK)]
            with multiprocessing.get_context("fork").Pool(min(n, len(chunks))) as pool:
                for done in pool.imap_unordered(_work, chunks):
                    for i, page in done:
                        out[i] = page
        else:
            for i, page in _work(todo):
                out[i] = page
    finally:
        _render = None
    if use_cache:
        for i in todo:
            cache.put(keys[i], out[i])  # type: ignore[index, union-attr, arg-type]
    return out  # type: ignore[return-value]
