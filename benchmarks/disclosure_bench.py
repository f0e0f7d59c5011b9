"""Benchmark: what the disclosure check adds to a full `mkdocs build`.

    python benchmarks/disclosure_bench.py                  # 1,000 and 5,000 teams
    python benchmarks/disclosure_bench.py --teams 5000 --runs 5

The site is the one `build_bench.py` builds as ours (the demo programs, N teams x 2 cycles of
synthetic survey data, every report encrypted). Each build is a separate process, run in turn:
each from nothing (the build cache removed first): the real build, and the same build with the check left out (no small-group means withheld, no
benchmark or percentile hidden, no final check), which is only possible in this benchmark. It
prints the medians of each and of the per-pair ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The build without the check: scoring as before the anonymity work, nothing else changed.
WITHOUT = """
import runpy, sys
import lchc_gen.survey.score as s
def _no_check(self):
    self.protected, self.privacy = {}, {c: {} for c in self.cycle_ids}
s.Scores._protect = _no_check
s.Scores._withheld = lambda self, answered, items: items.index[:0]
sys.argv = ["mkdocs", *sys.argv[1:]]
runpy.run_module("mkdocs", run_name="__main__")
"""


def build(config: Path, check: bool) -> tuple[float, float, float]:
    site = config.parent / "site"
    # From nothing: the build cache would hand one variant's scores to the other.
    shutil.rmtree(config.parent / "secrets" / "keystore.json.lchc-cache", ignore_errors=True)
    args = ["build", "-q", "-f", str(config), "-d", str(site)]
    command = [sys.executable, "-m", "mkdocs", *args] if check else [sys.executable, "-c", WITHOUT, *args]
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=config.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed ({'with' if check else 'without'} the check):\n{proc.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="prepare the sites here, or reuse those prepared there before")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for teams in args.teams:
            root = (args.keep or Path(tmp)) / f"n{teams}"
            if not (root / "ours" / "mkdocs.yml").exists():
                print(f"N = {teams}: preparing the site ...", file=sys.stderr, flush=True)
                shutil.rmtree(root, ignore_errors=True)
                subprocess.run([sys.executable, str(HERE / "build_bench.py"), "--prepare-only", str(root), "--teams",
                                str(teams), "--seed", str(args.seed)], check=True, capture_output=True)
                shutil.rmtree(root / "baseline")
            config = root / "ours" / "mkdocs.yml"
            build(config, True), build(config, False)  # warm-up
            pairs = []
            for i in range(args.runs):
                pairs.append((build(config, True), build(config, False)))
                a, b = pairs[-1]
                print(f"  run {i + 1}/{args.runs}: with {a[0]:.2f} s ({a[1]:.2f} s CPU), without {b[0]:.2f} s ({b[1]:.2f} s CPU)",
                      file=sys.stderr, flush=True)
            med = lambda f: statistics.median(f(a, b) for a, b in pairs)  # noqa: E731
            rows.append((teams, med(lambda a, b: a[0]), med(lambda a, b: b[0]), med(lambda a, b: a[0] / b[0]),
                         med(lambda a, b: a[1]), med(lambda a, b: b[1]), med(lambda a, b: a[1] / b[1]),
                         med(lambda a, b: a[2]), med(lambda a, b: b[2])))
    print(f"\nFull builds, 2 cycles, median of {args.runs} builds each, run in turn (wall time, and CPU time:"
          " user + system, which other work on a shared machine disturbs less):\n")
    print("| teams | with the check (s) | without it (s) | ratio | CPU with / without (s) | CPU ratio | peak memory with / without (MiB) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for teams, a, b, ratio, ca, cb, cratio, ma, mb in rows:
        print(f"| {teams:,} | {a:.2f} | {b:.2f} | {ratio:.2f} | {ca:.2f} / {cb:.2f} | {cratio:.2f} | {ma:.0f} / {mb:.0f} |")

if __name__ == "__main__":
    main()
