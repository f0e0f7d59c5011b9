"""What time off the floor costs and saves, and the agents each month makes ready, by hand."""

from __future__ import annotations

import datetime as dt

from lchc_gen.programs.floor_costs import cost_rows, savings
from lchc_gen.programs.ramp import ramp
from tests.programs.floor_fixtures import FLOOR, PROGRAM_A, PROGRAM_B
from tests.programs.test_floor_away import _load

MARCH, APRIL = dt.date(2027, 3, 1), dt.date(2027, 4, 1)


def test_costs_per_program_cohort_location_and_month(tmp_path) -> None:
    rows = cost_rows(_load(tmp_path, {"_floor.yml": FLOOR, "a.yml": PROGRAM_A, "b.yml": PROGRAM_B}))
    got = {(r.program_id, r.cohort, r.location, r.month): (r.hours, r.cost, r.currency) for r in rows}
    assert got == {
        # Wave 1: two 90-minute sessions and two 30-minute recaps, 4 hours each, all in March.
        ("a", "Wave 1", "Dublin", MARCH): (24, 960, "EUR"),  # 6 x 4 h x 40
        ("a", "Wave 1", "Manila", MARCH): (40, 500, "EUR"),  # 10 x 4 h x 12.50
        # Everyone: the launch (1 h each) and one clinic date each (half on 31 March, half on 1 April).
        ("b", "everyone", "Dublin", MARCH): (6, 240, "EUR"),  # 4 x 1 h + 2 x 1 h
        ("b", "everyone", "Dublin", APRIL): (2, 80, "EUR"),
        ("b", "everyone", "Manila", MARCH): (12, 150, "EUR"),  # 8 x 1 h + 4 x 1 h
        ("b", "everyone", "Manila", APRIL): (4, 50, "EUR"),
    }


def test_savings_against_the_design_it_replaces(tmp_path) -> None:
    got = {s.location: s for s in savings(_load(tmp_path, {"_floor.yml": FLOOR, "a.yml": PROGRAM_A, "b.yml": PROGRAM_B}))}
    assert set(got) == {"Dublin", "Manila"}  # only A says what it replaces
    dublin, manila = got["Dublin"], got["Manila"]
    assert (dublin.learners, dublin.hours_before, dublin.hours_then, dublin.hours) == (6, 16, 96, 24)  # 2 days of 8 hours
    assert (dublin.hours_saved, dublin.cost_saved) == (72, 2880)
    assert (manila.hours_saved, manila.cost_saved) == (120, 1500)


def test_agents_ready_per_month_cumulative(tmp_path) -> None:
    a = PROGRAM_A.replace("reinforcement:", '  - {id: wave-2, title: Basics, date: 2027-04-20, start: "09:00", duration: 90, cohort: Wave 2, rationale: The April intake.}\nreinforcement:')
    a = a.replace("    - {cohort: Wave 1, location: Manila, count: 10}", "    - {cohort: Wave 1, location: Manila, count: 10}\n    - {cohort: Wave 2, location: Dublin, channel: chat, count: 5}")
    got = ramp(_load(tmp_path, {"_floor.yml": FLOOR, "a.yml": a, "b.yml": PROGRAM_B}))
    dublin = got["Dublin"]
    # Wave 1 finishes Tue 30 March 10:30 Dublin time; Wave 2 on 20 April. B says nobody becomes ready.
    assert [(m.month, m.ready, m.cumulative, m.headcount) for m in dublin] == [(MARCH, 6, 6, 30), (APRIL, 5, 11, 30)]
    assert dublin[0].finishing[0].last == dt.datetime(2027, 3, 30, 10, 30, tzinfo=dublin[0].finishing[0].last.tzinfo)
    assert [(m.month, m.ready, m.cumulative) for m in got["Manila"]] == [(MARCH, 10, 10)]
    assert dublin[0].finishing[0].ready == "take customer calls"
