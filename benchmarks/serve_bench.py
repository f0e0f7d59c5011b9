"""Benchmark: an `mkdocs serve` rebuild after editing one program file.

    python benchmarks/serve_bench.py --teams 1000 --runs 7

Prepares the same site as build_bench.py, then does in one process what `mkdocs serve` does:
a first build, and on every change a fresh config and a full build into the same folder. Each
run edits a program's title first. It prints the first build and the median rebuild (wall
time); the file watcher's own delay before a rebuild starts is not included.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import prepare  # noqa: E402

SERVE_URL = "http://127.0.0.1:8000/"


def _build(config_file: Path, site: Path) -> float:
    start = time.perf_counter()
    cfg = load_config(str(config_file), site_dir=str(site))
    build(cfg, serve_url=SERVE_URL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--cycles", type=int, default=2)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        print(f"N = {args.teams}: preparing the site ...", file=sys.stderr, flush=True)
        config_file, _, reports = prepare(Path(tmp), args.teams, args.cycles, args.seed)
        site = Path(tmp) / "served"
        cfg = load_config(str(config_file), site_dir=str(site))
        cfg.plugins.on_startup(command="serve", dirty=False)
        first = _build(config_file, site)
        program = config_file.parent / "programs" / "sales-discovery-calls.yml"
        text = program.read_text(encoding="utf-8")
        rebuilds = []
        for i in range(args.runs):
            program.write_text(text.replace("title: Better discovery calls", f"title: Discovery calls, edit {i}"),
                               encoding="utf-8")
            rebuilds.append(_build(config_file, site))
            print(f"  rebuild {i + 1}/{args.runs}: {rebuilds[-1]:.2f} s", file=sys.stderr, flush=True)
            if f"edit {i}" not in (site / "programs" / "sales-discovery-calls" / "index.html").read_text():
                raise SystemExit("the edit did not reach the rebuilt site")
        cfg.plugins.on_shutdown()
    print(f"\n{args.teams:,} teams x {args.cycles} cycles ({reports:,} encrypted reports):")
    print(f"  first build             {first:.2f} s")
    print(f"  rebuild after an edit   {statistics.median(rebuilds):.2f} s (median of {args.runs})")


if __name__ == "__main__":
    main()
