"""Random small organisations: no reader's view pins down any team they cannot open, and every
figure the check keeps is the figure the report shows."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.disclosure.attacker import narrowest, views
from tests.disclosure.orgs import write_project

QUESTIONS = 3


@st.composite
def organisations(draw):
    n = draw(st.integers(2, 12))
    teams = [("t0", None)] + [(f"t{i}", f"t{draw(st.integers(0, i - 1))}") for i in range(1, n)]
    answer = st.one_of(st.none(), st.integers(1, 5)) if draw(st.booleans()) else st.integers(1, 5)
    cycles = {}
    for cycle in ("c1", "c2")[: draw(st.integers(1, 2))]:
        cycles[cycle] = {
            t: draw(st.lists(st.lists(answer, min_size=QUESTIONS, max_size=QUESTIONS), min_size=1, max_size=7))
            for t, _ in teams
        }
    options = {"share_up": draw(st.integers(0, 2)), "benchmark_min_teams": draw(st.integers(3, 5))}
    return teams, cycles, options


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_no_reader_can_work_out_a_team_they_cannot_open(org) -> None:
    teams, cycles, options = org
    with tempfile.TemporaryDirectory() as tmp:
        scores = write_project(Path(tmp), teams, cycles, questions=QUESTIONS, **options)
        for reader, by_cycle in views(scores).items():
            for cycle, opened in by_cycle.items():
                if len(opened) == len(scores.team_ids(cycle)):
                    continue  # an admin opens every report: nothing is hidden from them
                width, what = narrowest(scores, cycle, opened)
                assert width >= 1.0 - 1e-6, f"{reader} {cycle}: {what} within {width:.3f}"
        for cycle in scores.cycle_ids:
            bench = scores.benchmark_items
            for report in scores.team_reports(cycle):
                for item in report.items:
                    kept = (cycle, item.question_id) in bench.index and not math.isnan(bench[(cycle, item.question_id)])
                    expected = kept and not report.suppressed and not item.benchmark_protects
                    assert (item.benchmark is not None) == expected
