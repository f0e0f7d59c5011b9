"""Measured results (change, target met), and the LCHC link's groups on hand-made scores."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from lchc_gen.feedback.link import MIN_GROUP, Attendance, lchc_link
from lchc_gen.feedback.model import LchcLink
from lchc_gen.feedback.results import MeasureView
from lchc_gen.programs.model import Measurement


def measure(better: str, baseline: float, target: float | None, *results: float, unit: str = "%") -> MeasureView:
    m = Measurement(
        level=4, what="x", how="y", unit=unit, better=better, source="CRM",
        baseline={"value": baseline, "date": "2026-01-01"}, target=target,
        results=[{"value": v, "date": f"2026-0{i + 2}-01"} for i, v in enumerate(results)],
    )
    return MeasureView(m, m.baseline, m.latest, None)


def test_change_and_target_in_both_directions() -> None:
    up = measure("higher", 22, 31, 25, 31)
    assert up.change == 9 and up.target_met is True
    assert up.change_text == "up 9 percentage points (better)" and up.target_text == "target 31% (or more): met"
    down = measure("lower", 34, 20, 27, 23)
    assert down.change == -11 and down.target_met is False
    assert down.change_text == "down 11 percentage points (better)" and down.target_text == "target 20% (or less): not met yet"
    worse = measure("lower", 10, None, 12, unit="incidents")
    assert worse.change_text == "up 2 incidents (worse)" and worse.target_text == "no target set"
    assert measure("higher", 5, 6).change_text == "not measured yet"


def test_measure_numbers_must_hang_together() -> None:
    with pytest.raises(ValidationError, match="needs better, source"):
        Measurement(level=3, what="x", how="y", baseline={"value": 1, "date": "2026-01-01"})
    with pytest.raises(ValidationError, match="after the baseline"):
        Measurement(level=3, what="x", how="y", better="higher", source="s",
                    baseline={"value": 1, "date": "2026-01-01"}, results=[{"value": 2, "date": "2025-12-01"}])
    assert Measurement(level=3, what="x", how="y").baseline is None  # a plan in words stays valid


def report(team: str, manager: str, score: float | None, sa: float | None, suppressed: bool = False):
    return SimpleNamespace(team_id=team, manager_id=manager, team_score=score, self_awareness=sa, suppressed=suppressed)


class FakeScores:
    """Two cycles of team reports, as Scores offers them."""

    def __init__(self, first: list, second: list):
        cycles = [SimpleNamespace(id="c1", label="Cycle 1"), SimpleNamespace(id="c2", label="Cycle 2")]
        self.data = SimpleNamespace(inputs=SimpleNamespace(cycles=cycles))
        self._reports = {"c1": first, "c2": second}

    def team_reports(self, cycle_id: str) -> list:
        return self._reports[cycle_id]


LINK = LchcLink(program="p", attendance="a.csv", cycle_dates={"c1": dt.date(2026, 3, 31), "c2": dt.date(2026, 9, 30)})


def test_groups_compare_means_of_change_and_hide_small_groups() -> None:
    first = [report(f"t{i}", f"m{i}", 3.0, 0.5) for i in range(12)]
    second = [report(f"t{i}", f"m{i}", 3.0 + (0.5 if i < 6 else 0.1), 0.5 - (0.2 if i < 6 else 0.0)) for i in range(12)]
    second[11] = report("t11", "m11", None, None, suppressed=True)  # suppressed in one cycle: left out
    went = [Attendance(f"m{i}", dt.date(2026, 7, 14)) for i in range(6)]
    went.append(Attendance("m7", dt.date(2026, 3, 1)))  # before the first cycle closed: not "between"
    (pair,) = lchc_link(LINK, went, FakeScores(first, second))
    assert pair.attended.managers == 6 and pair.did_not.managers == 5
    assert pair.attended.team_change == pytest.approx(0.5) and pair.did_not.team_change == pytest.approx(0.1)
    assert pair.attended.self_awareness_change == pytest.approx(-0.2) and pair.did_not.self_awareness_change == pytest.approx(0.0)
    assert pair.attendees == 6 and pair.left_out == 1  # m7 attended before the first cycle closed; t11 is suppressed


def test_a_group_below_five_managers_shows_no_mean() -> None:
    first = [report(f"t{i}", f"m{i}", 3.0, 0.5) for i in range(9)]
    second = [report(f"t{i}", f"m{i}", 3.5, 0.5) for i in range(9)]
    went = [Attendance(f"m{i}", dt.date(2026, 7, 14)) for i in range(MIN_GROUP - 1)]
    (pair,) = lchc_link(LINK, went, FakeScores(first, second))
    assert pair.attended.managers == 4 and pair.attended.team_change is None and pair.attended.self_awareness_change is None
    assert pair.did_not.managers == 5 and pair.did_not.team_change == pytest.approx(0.5)


def test_a_manager_with_two_teams_counts_once() -> None:
    first = [report(f"t{i}", f"m{i}", 3.0, 0.5) for i in range(6)] + [report("t9", "m0", 3.0, 0.5)]
    second = [report(f"t{i}", f"m{i}", 3.5, 0.5) for i in range(6)] + [report("t9", "m0", 4.1, 0.5)]
    went = [Attendance(f"m{i}", dt.date(2026, 7, 14)) for i in range(5)]
    (pair,) = lchc_link(LINK, went, FakeScores(first, second))
    assert pair.attended.managers == 5 and pair.attended.members == {f"m{i}" for i in range(5)}
    # m0's two teams moved +0.5 and +1.1: m0 counts once, with +0.8
    assert pair.attended.team_change == pytest.approx((0.8 + 4 * 0.5) / 5)


def test_the_record_keeps_a_figure_until_its_group_changes_by_k_people(tmp_path) -> None:
    from lchc_gen.disclosure.published import PublicationRecord
    from lchc_gen.problems import InputError

    path = tmp_path / "keystore.published.json"
    day1, day2 = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
    record = PublicationRecord.load(path)
    group = [f"m{i}" for i in range(8)]
    assert record.settle("f", group, {"change": 0.1}, day1, 5) == ({"change": 0.1}, None)
    record.save()
    assert "m0" not in path.read_text() and (path.stat().st_mode & 0o777) == 0o600  # members only as keyed hashes
    record = PublicationRecord.load(path)
    assert record.settle("f", [*group, "m8"], {"change": 0.2}, day2, 5) == ({"change": 0.1}, day1)  # one more: kept
    assert record.settle("f", group[:4], {"change": 0.3}, day2, 5) == ({"change": 0.1}, day1)  # four fewer: kept
    assert record.settle("f", group[:3], {"change": 0.3}, day2, 5) == ({"change": 0.3}, None)  # five fewer: new
    assert record.settle("f", [*group, *(f"n{i}" for i in range(5))], {"change": 0.4}, day2, 5) == ({"change": 0.4}, None)
    path.write_text("{not json")
    with pytest.raises(InputError, match="cannot read the record of published figures"):
        PublicationRecord.load(path)
