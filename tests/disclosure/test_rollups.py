"""Department roll-ups: hand-computed figures, and a department head mounting the attack."""

from __future__ import annotations

import numpy as np

from lchc_gen.access.authz import department_crews
from lchc_gen.disclosure.rollups import HIDDEN_DERIVABLE, HIDDEN_TOO_FEW, Crew, protect_rollups, uncertainty
from lchc_gen.survey.department import department_cycles
from tests.disclosure.attacker import department_views, narrowest, views
from tests.disclosure.orgs import manager, write_project

DEPT = [("dept", None), ("crew1", "dept"), ("crew2", "dept"), ("crew3", "dept")]
SCALE = (1, 2, 3, 4, 5)


def test_a_department_figure_by_hand(tmp_path) -> None:
    # dept 4, 3, 5 (12); crew1 3, 3, 3, 4 (13); crew2 2, 4 and crew3 5, 1 are too few to show.
    answers = {"c1": {"dept": [[4], [3], [5]], "crew1": [[3], [3], [3], [4]], "crew2": [[2], [4]], "crew3": [[5], [1]]}}
    scores = write_project(tmp_path, DEPT, answers, questions=1)
    dept = department_cycles(scores)["c1"]["dept"]
    assert [c.team_id for c in dept.crews] == ["dept", "crew1", "crew2", "crew3"]
    item = dept.items[0]
    # Every answer counts once: (12 + 13 + 6 + 6) / 11, not the mean of the two shown crews' means.
    assert item.answers == 11 and item.reason is None
    assert abs(item.mean - 37 / 11) < 1e-12
    assert abs(dept.score - 37 / 11) < 1e-12
    assert (dept.participation.members, dept.participation.invited) == (11, 48)
    assert [c.suppressed for c in dept.crews] == [False, False, True, True]


def test_one_hidden_crew_hides_the_department_figure(tmp_path) -> None:
    # crew3 now shows: the department minus three shown crews would be crew2's two answers.
    answers = {"c1": {"dept": [[4], [3], [5]], "crew1": [[3], [3], [3], [4]], "crew2": [[2], [4]], "crew3": [[5], [1], [3]]}}
    scores = write_project(tmp_path, DEPT, answers, questions=1)
    dept = department_cycles(scores)["c1"]["dept"]
    assert dept.items[0].mean is None and dept.items[0].reason == HIDDEN_TOO_FEW
    assert dept.score is None
    page = department_views(scores)[manager("dept")]["c1"][0]
    assert page.means == {}


def test_witness_trade_by_hand() -> None:
    low, high = Crew((1, 1, 1), False), Crew((5, 5, 5), False)
    # A crew at the bottom can only go up, by as much as its partner can come down.
    assert uncertainty(low, [high], 1, 5) == 4
    assert uncertainty(low, [Crew((2,), False)], 1, 5) == 1 / 3  # one answer one step down: a third of a step
    # Six answers against one: the one can absorb a move of a third of a step either way.
    crews = {"a": Crew((3,) * 6, False), "b": Crew((3,), False), "s": Crew((3, 3, 3), True)}
    assert uncertainty(crews["a"], [crews["b"]], 1, 5) == 2 / 3
    assert protect_rollups({"d": ["a", "b", "s"]}, crews, SCALE, 1.0, 3) == {"d": HIDDEN_DERIVABLE}
    crews["b"] = Crew((2, 3, 4), False)
    assert protect_rollups({"d": ["a", "b", "s"]}, crews, SCALE, 1.0, 3) == {"d": None}


def test_a_crew_in_two_departments_is_hidden_in_one_of_them() -> None:
    # "y" heads a sub-department and is a crew of the department above: the two figures subtracted
    # would leave it alone unless its partners are in both.
    crews = {c: Crew((2, 3, 4), False) for c in ("y", "p", "q")} | {"s": Crew((3, 3, 3), True)}
    verdict = protect_rollups({"x": ["x0", "y", "p"], "y": ["y", "q", "s"]}, crews | {"x0": Crew((4, 4, 4), True)}, SCALE, 1.0, 3)
    assert verdict == {"x": HIDDEN_DERIVABLE, "y": None}  # a tie (two hidden crews each): by name


def test_departments_follow_the_reports_their_head_opens() -> None:
    teams = {"top": ("a", None), "d": ("b", "top"), "c1": ("c", "d"), "c2": ("e", "c1")}
    assert department_crews("d", teams) == ["d", "c1"]
    assert department_crews("d", teams, share_up=2) == ["d", "c1", "c2"]
    assert department_crews("c2", teams) == ["c2"]
    assert department_crews("top", teams, share_up=0) == ["top"]


def _org(seed: int, teams, hidden: set[str]) -> dict:
    rng = np.random.default_rng(seed)
    return {t: rng.integers(1, 6, size=(2 if t in hidden else 6, 6)).tolist() for t, _ in teams}


BIG = [("top", None), ("dept", "top"), *[(f"crew{i}", "dept") for i in range(1, 7)], ("other", "top"),
       *[(f"o{i}", "other") for i in range(1, 4)]]


def test_a_department_head_cannot_work_out_a_hidden_crew(tmp_path) -> None:
    # Two or three crews of six are suppressed in each cycle: the department figure, the benchmark
    # and every report the head opens, solved together, still leave each of them a step wide.
    answers = {"c1": _org(1, BIG, {"crew2", "crew5"}), "c2": _org(2, BIG, {"crew1", "crew3", "crew6"})}
    scores = write_project(tmp_path, BIG, answers, questions=6)
    depts = department_views(scores)
    reports = views(scores)
    published = 0
    for reader in (manager("dept"), manager("top"), "admin"):
        for cycle, opened in reports[reader].items():
            mine = depts[reader].get(cycle, [])
            published += sum(len(d.means) for d in mine)
            width, what = narrowest(scores, cycle, opened, mine)
            assert width >= 1.0 - 1e-6, f"{reader} {cycle}: {what} is pinned to within {width:.3f}"
    assert published > 0  # the figures are not simply all hidden


def test_without_the_check_the_attack_works(tmp_path, monkeypatch) -> None:
    # The same attack on a department with one hidden crew, had the figure been published.
    import lchc_gen.survey.department as department

    monkeypatch.setattr(department, "protect_rollups", lambda rollups, *a, **k: {n: None for n in rollups})
    answers = {"c1": _org(3, BIG, {"crew4"})}
    scores = write_project(tmp_path, BIG, answers, questions=6)
    opened = views(scores)[manager("dept")]["c1"]
    width, what = narrowest(scores, "c1", opened, department_views(scores)[manager("dept")]["c1"])
    assert width < 0.5 and "crew4" in what  # within rounding of two decimals


def test_the_privacy_summary_counts_the_department_view(tmp_path) -> None:
    from lchc_gen.survey.privacy import reader_views

    answers = {"c1": {"dept": [[4], [3], [5]], "crew1": [[3], [3], [3], [4]], "crew2": [[2], [4]], "crew3": [[5], [1], [3]]}}
    scores = write_project(tmp_path, DEPT, answers, questions=1)
    without = {v.reader: v for v in reader_views(scores)}
    head = without[manager("dept")]
    # Its own report, three crews' and the department view, whose one figure protects crew2.
    assert head.reports == 5 and head.protecting == 1
    assert without[manager("crew1")].reports == 1
