"""Benchmark: load and score learner feedback for the four demo programs, 5 runs of 10,000
submissions each (200,000 submissions), and render the program pages with it.

Run with ``python benchmarks/feedback_bench.py`` from the repository root. Prints the median
wall time of several runs (load = CSV parsing, checks and the latest submission per respondent;
score = every figure by run with the threshold; pages = the program pages and calendars).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from lchc_gen.feedback.demo import generate_sized
from lchc_gen.feedback.load import load_feedback
from lchc_gen.feedback.model import FeedbackInputs
from lchc_gen.feedback.score import FeedbackScores
from lchc_gen.feedback.views import loop_views
from lchc_gen.programs.load import load_programs
from lchc_gen.programs.pages import PageOptions, build_program_files
from lchc_gen.render import make_env

ROWS, RUNS_PER_PROGRAM, REPEAT = 10_000, 5, 5


def main() -> None:
    programs = load_programs(Path("programs"), Path.cwd())
    env = make_env(Path("templates"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        entries = generate_sized(root, programs, ROWS, RUNS_PER_PROGRAM)
        size = sum((root / Path(str(e["path"])).name).stat().st_size for e in entries)
        inputs = FeedbackInputs(files=entries)
        loads, scores, pages = [], [], []
        for _ in range(REPEAT):
            start = time.perf_counter()
            data = load_feedback(inputs, programs, root)
            loaded = time.perf_counter()
            result = FeedbackScores(data, programs)
            scored = time.perf_counter()
            build_program_files(programs, env, PageOptions(), loop=loop_views(programs, result))
            done = time.perf_counter()
            loads.append(loaded - start)
            scores.append(scored - loaded)
            pages.append(done - scored)
        print(f"{len(programs)} programs x {RUNS_PER_PROGRAM} runs x {ROWS:,} submissions "
              f"({len(data.submissions):,} kept, {size / 2**20:.1f} MiB of CSV), median of {REPEAT} runs:")
        print(f"  load  {statistics.median(loads):.3f} s")
        print(f"  score {statistics.median(scores):.3f} s")
        print(f"  pages {statistics.median(pages):.3f} s (all program pages and calendars)")


if __name__ == "__main__":
    main()
