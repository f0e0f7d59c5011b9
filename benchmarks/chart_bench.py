"""Per-report cost of the inline SVG charts (item chart + trend chart), median of several runs.

Run: python benchmarks/chart_bench.py
"""

from __future__ import annotations

import random
import statistics
import time

from lchc_gen.reports.charts import ItemPoint, item_chart, trend_chart

SCALE = [(1, "Never"), (2, "Rarely"), (3, "Sometimes"), (4, "Often"), (5, "Always")]
REPORTS = 1000
RUNS = 7


def one_report(rng: random.Random, i: int) -> int:
    points = [
        ItemPoint(f"q{q:02d}", f"How often does your manager do thing {q}?", rng.uniform(1, 5), rng.randint(1, 5), rng.uniform(2.5, 4), "shown")
        for q in range(1, 13)
    ]
    a = item_chart(points, SCALE, f"items-{i}")
    b = trend_chart(["2026-H1", "2026-H2"], [rng.uniform(1, 5), rng.uniform(1, 5)], [rng.uniform(1, 5), rng.uniform(1, 5)], SCALE, f"trend-{i}")
    return len(a) + len(b)


def main() -> None:
    timings, size = [], 0
    for _ in range(RUNS):
        rng = random.Random(1)
        start = time.perf_counter()
        size = sum(one_report(rng, i) for i in range(REPORTS))
        timings.append(time.perf_counter() - start)
    per_report_ms = statistics.median(timings) / REPORTS * 1000
    print(f"{REPORTS} reports x 2 charts: median {statistics.median(timings):.3f} s over {RUNS} runs")
    print(f"per report: {per_report_ms:.2f} ms, {size / REPORTS / 1024:.1f} KiB of SVG")


if __name__ == "__main__":
    main()
