"""Benchmark: load and score 1,000 teams x 2 cycles x 12 questions of synthetic data.

Run with ``python benchmarks/score_bench.py``. Prints the median wall time of several runs
(load = YAML + CSV parsing and cleaning; score = every number of every team and cycle).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from lchc_gen.survey.demo import generate
from lchc_gen.survey.load import load_survey
from lchc_gen.survey.score import compute_scores

TEAMS, CYCLES, RUNS = 1000, 2, 7


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs = generate(root, teams=TEAMS, cycles=CYCLES, seed=7)
        loads, scores, totals = [], [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            data = load_survey(inputs, root)
            loaded = time.perf_counter()
            result = compute_scores(data)
            done = time.perf_counter()
            loads.append(loaded - start)
            scores.append(done - loaded)
            totals.append(done - start)
        rows = len(data.responses)
        print(f"{TEAMS} teams x {CYCLES} cycles x {len(data.questionnaire.questions)} questions "
              f"({rows} answers, {len(result.teams)} team-cycles), median of {RUNS} runs:")
        print(f"  load  {statistics.median(loads):.3f} s")
        print(f"  score {statistics.median(scores):.3f} s")
        print(f"  total {statistics.median(totals):.3f} s")


if __name__ == "__main__":
    main()
