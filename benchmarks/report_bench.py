"""Benchmark: render, compress and encrypt every report of 1,000 teams x 2 cycles.

Run with ``python benchmarks/report_bench.py``. Prints the median wall time of several runs
of each step, in one process (the steps the plugin runs in on_pre_build), and the sizes of
what they produce.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from lchc_gen.access.keystore import Keystore, ReaderKey, opaque_id
from lchc_gen.access.publish import ProtectedPage, new_build_id, publish
from lchc_gen.access.crypto import random_key, random_salt
from lchc_gen.render import make_env
from lchc_gen.reports.pages import ReportOptions, build_report_pages, page_id
from lchc_gen.survey.demo import generate
from lchc_gen.survey.load import load_survey
from lchc_gen.survey.score import compute_scores

TEAMS, CYCLES, RUNS = 1000, 2, 5


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        scores = compute_scores(load_survey(generate(root, teams=TEAMS, cycles=CYCLES, seed=3), root))
    org = scores.data.organisation
    readers = sorted({t.manager for t in org.teams} | set(org.admins))
    # Random KEKs stand in for derived ones: publishing never runs the KDF.
    keystore = Keystore(id_key=random_key(), readers={
        r: ReaderKey(salt=random_salt(), iterations=600_000, kek=random_key(), issued="2026-01-01T00:00:00Z")
        for r in readers
    })
    build = new_build_id()
    opts = ReportOptions(opaque=lambda name: opaque_id(keystore, build, name), viewer="reports/index.md")
    env = make_env(None)
    renders, publishes = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        pages = build_report_pages(scores, env, opts)
        rendered = time.perf_counter()
        # Size groups as the plugin makes them: team reports are padded among themselves, not
        # to the size of an overview of every team.
        protected = [ProtectedPage(page_id(p.src), f"reports/#{page_id(p.src)}", p.html, p.label, p.readers,
                                   size_group=p.info.get("kind", ""), info=p.info, owner=p.owner)
                     for p in pages]
        pub = publish(build, protected, keystore, names={p.id: p.name for p in scores.data.organisation.people},
                      cycles=[c.label for c in scores.data.inputs.cycles])
        done = time.perf_counter()
        renders.append(rendered - start)
        publishes.append(done - rendered)
    n = len(pages)
    blobs = [f for f in pub.files if "/p/" in f.path]
    rings = [f for f in pub.files if "/k/" in f.path]
    print(f"{TEAMS} teams x {CYCLES} cycles: {n} reports, {len(readers)} readers; median of {RUNS} runs:")
    print(f"  render (HTML, charts)       {statistics.median(renders):.2f} s  "
          f"({statistics.median(renders) / n * 1000:.2f} ms a report)")
    print(f"  compress, encrypt, keyrings {statistics.median(publishes):.2f} s  "
          f"({statistics.median(publishes) / n * 1000:.2f} ms a report)")
    print(f"  report HTML   median {statistics.median(len(p.html) for p in pages) / 1024:.1f} KiB")
    print(f"  encrypted     {sum(len(f.data) for f in blobs) / 2**20:.1f} MiB in {len(blobs)} files, "
          f"keyrings {sum(len(f.data) for f in rings) / 2**20:.1f} MiB in {len(rings)} files")


if __name__ == "__main__":
    main()
