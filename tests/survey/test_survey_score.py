"""Scoring rules on a tiny dataset; every expected number is worked out by hand below."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from lchc_gen.survey.load import load_survey
from lchc_gen.survey.model import SurveyInputs
from lchc_gen.survey.score import compute_scores

from survey_fixtures import write_inputs

H1 = """\
team,respondent,role,q01,q02,q03
a,m1,member,4,5,N/A
a,m2,member,5,3,2
a,m3,member,3,3,
a,m4,member,4,N/A,N/A
a,s,self,5,2,4
b,m1,member,1,3,N/A
b,m2,member,2,3,N/A
b,m3,member,2,3,N/A
b,m4,member,5,3,N/A
b,m5,member,5,3,N/A
c,m1,member,4,4,4
c,m2,member,5,5,5
c,s,self,3,3,3
d,m1,member,2,4,3
d,m2,member,2,4,3
d,m3,member,2,4,3
d,m4,member,2,4,3
d,m5,member,2,4,3
d,m6,member,2,4,3
"""
H2 = """\
team,respondent,role,q01,q02,q03
a,x1,member,3,4,4
a,x2,member,4,4,4
a,x3,member,5,4,4
a,s,self,5,5,5
b,x1,member,4,4,4
b,x2,member,4,4,4
b,x3,member,4,4,4
c,x1,member,3,3,3
c,x2,member,3,3,3
c,x3,member,3,3,3
"""


@pytest.fixture
def scores(root):
    # Three teams are not suppressed in 2026-H1: the lowest benchmark threshold allowed shows them.
    return compute_scores(load_survey(write_inputs(root, {"2026-H1": H1, "2026-H2": H2}, benchmark_min_teams=3), root))


def items(report):
    return {i.question_id: i for i in report.items}


def test_participation_counts_member_respondents_including_all_na_rows(scores):
    a = scores.team_report("2026-H1", "a")
    assert (a.participation.members, a.participation.invited) == (4, 5)  # m4 answered N/A twice, still counts
    assert a.participation.rate == 4 / 5
    assert str(a.participation) == "4 of 5 (80%)"


@pytest.mark.parametrize(
    ("team", "label"), [("a", "strong"), ("b", "strong"), ("c", "low: read with care"), ("d", "moderate")]
)
def test_participation_labels(scores, team, label):
    # a 4/5 = 80%, b 5/6 = 83%, c 2/4 = 50%, d 6/10 = 60% (exactly the border: moderate)
    assert scores.team_report("2026-H1", team).participation.label == label


def test_participation_label_borders(root):
    people = "people:\n  - {id: p, name: Pat Example}\n"
    teams = "teams:\n" + "".join(f"  - {{id: t{n}, name: T{n}, manager: p, invited: {n}}}\n" for n in (4, 5, 6))
    rows = "".join(f"t{n},m{i},member,3,3,3\n" for n in (4, 5, 6) for i in range(3))
    inputs = write_inputs(root, {"2026-H1": "team,respondent,role,q01,q02,q03\n" + rows}, organisation=people + teams)
    scores = compute_scores(load_survey(inputs, root))
    got = [(str(r.participation), r.participation.label) for r in scores.team_reports("2026-H1")]
    assert got == [("3 of 4 (75%)", "strong"), ("3 of 5 (60%)", "moderate"), ("3 of 6 (50%)", "low: read with care")]


def test_item_means_sd_na_rate_and_status(scores):
    a = items(scores.team_report("2026-H1", "a"))
    assert a["q01"].mean == (4 + 5 + 3 + 4) / 4
    assert a["q01"].sd is None  # 4 answers: with the mean, an SD would rebuild them
    b = items(scores.team_report("2026-H1", "b"))
    assert b["q01"].sd == pytest.approx(math.sqrt((4 + 1 + 1 + 4 + 4) / 5))  # population SD of 1, 2, 2, 5, 5 (mean 3)
    assert a["q01"].na_rate == 0 / 4
    assert a["q02"].mean == pytest.approx((5 + 3 + 3) / 3)
    assert a["q02"].sd is None
    assert a["q02"].na_rate == 1 / 4
    assert a["q02"].answers == 3 and a["q02"].status == "shown"


def test_item_with_fewer_than_k_answers_is_not_enough_answers_and_differs_from_no_data(scores):
    a = items(scores.team_report("2026-H1", "a"))
    assert a["q03"].status == "not enough answers"  # only m2 answered
    assert (a["q03"].answers, a["q03"].mean, a["q03"].sd, a["q03"].gap) == (1, None, None, None)
    assert a["q03"].na_rate == 3 / 4
    b = items(scores.team_report("2026-H1", "b"))
    assert b["q03"].status == "no data"  # every member said N/A
    assert (b["q03"].answers, b["q03"].mean) == (0, None)


def test_team_score_is_mean_of_shown_item_means(scores):
    assert scores.team_report("2026-H1", "a").team_score == pytest.approx((4 + 11 / 3) / 2)
    assert scores.team_report("2026-H1", "b").team_score == pytest.approx((3 + 3) / 2)
    assert scores.team_report("2026-H1", "d").team_score == pytest.approx((2 + 4 + 3) / 3)


def test_self_items_self_score_gaps_and_self_awareness(scores):
    a = scores.team_report("2026-H1", "a")
    by_q = items(a)
    assert [by_q[q].self_value for q in ("q01", "q02", "q03")] == [5, 2, 4]
    assert by_q["q01"].self_label == "Always"
    assert a.self_score == (5 + 2) / 2  # q03 is not shown, so its self item does not count
    assert by_q["q01"].gap == 5 - 4
    assert by_q["q02"].gap == pytest.approx(2 - 11 / 3)
    assert by_q["q03"].gap is None
    assert a.self_awareness == pytest.approx((1 + (2 - 11 / 3)) / 2)
    assert a.self_awareness_words == "On average, you rate yourself 0.33 points lower than your team rates you."


def test_blind_spot_at_threshold_and_hidden_strength(scores):
    a = scores.team_report("2026-H1", "a")
    assert [i.question_id for i in a.blind_spots] == ["q01"]  # gap exactly +1.0
    assert [i.question_id for i in a.hidden_strengths] == ["q02"]  # gap -5/3


@pytest.mark.parametrize(("threshold", "blind", "hidden"), [(2.0, [], []), (0.5, ["q01"], ["q02"]), (1.7, [], [])])
def test_gap_threshold_is_configurable(root, threshold, blind, hidden):
    inputs = write_inputs(root, {"2026-H1": H1}, gap_threshold=threshold)
    a = compute_scores(load_survey(inputs, root)).team_report("2026-H1", "a")
    assert [i.question_id for i in a.blind_spots] == blind
    assert [i.question_id for i in a.hidden_strengths] == hidden


def test_no_self_row_means_no_self_numbers(scores):
    b = scores.team_report("2026-H1", "b")
    assert b.has_self is False
    assert (b.self_score, b.self_awareness) == (None, None)
    assert all(i.self_value is None and i.gap is None for i in b.items)
    assert b.team_score == 3


def test_team_below_k_members_is_suppressed_but_participation_is_shown(scores):
    c = scores.team_report("2026-H1", "c")
    assert c.suppressed is True
    assert str(c.participation) == "2 of 4 (50%)"
    assert "2 team members answered" in c.suppressed_reason and "at least 3" in c.suppressed_reason
    numbers = (c.team_score, c.self_score, c.self_awareness, c.benchmark, c.percentile, c.trend_team_score)
    assert numbers == (None,) * 6
    for i in c.items:
        assert i.status == "suppressed"
        assert (i.answers, i.mean, i.sd, i.na_rate, i.distribution, i.self_value, i.gap, i.flag, i.benchmark) == (
            None, None, None, None, None, None, None, None, None)


def test_min_responses_is_configurable_and_never_below_3(root):
    inputs = write_inputs(root, {"2026-H1": H1}, min_responses=4)
    scores = compute_scores(load_survey(inputs, root))
    assert items(scores.team_report("2026-H1", "a"))["q02"].status == "not enough answers"  # 3 answers < 4
    assert scores.team_report("2026-H1", "a").team_score == 4  # only q01 is left
    for bad in (2, 0, -1):
        with pytest.raises(ValidationError, match="cannot be below 3"):
            SurveyInputs(min_responses=bad)


def test_distribution_only_from_5_answers(scores):
    b = items(scores.team_report("2026-H1", "b"))
    assert [(c.label, c.count) for c in b["q01"].distribution] == [
        ("Never", 1), ("Rarely", 2), ("Sometimes", 0), ("Often", 0), ("Always", 2)]
    assert items(scores.team_report("2026-H1", "a"))["q01"].distribution is None  # 4 answers


def test_benchmark_per_item_and_overall_over_non_suppressed_teams(scores):
    # The numbers as computed; which reports show them is the disclosure check's (tests/disclosure).
    bench = scores.benchmark_items.loc["2026-H1"]
    # Teams a, b and d count (c is suppressed); an item counts only where it is shown.
    assert bench["q01"] == pytest.approx((4 + 3 + 2) / 3)
    assert bench["q02"] == pytest.approx((11 / 3 + 3 + 4) / 3)
    # q03 is shown for team d only: its "benchmark" would be team d's own mean, so none is shown.
    assert math.isnan(bench["q03"])
    # Overall: the mean of the question benchmarks there are.
    assert scores.benchmark["2026-H1"] == pytest.approx(((4 + 3 + 2) / 3 + (11 / 3 + 3 + 4) / 3) / 2)
    # Three teams with numbers, and the manager of a also opens b and c (share_up): a benchmark of
    # three minus two known means is the third team's. So no report shows these benchmarks.
    a = scores.team_report("2026-H1", "a")
    assert a.benchmark is None and "benchmark" in a.protects
    assert all(i.benchmark is None and (i.benchmark_protects or i.question_id == "q03") for i in a.items)


@pytest.mark.parametrize(("teams", "shown"), [(4, False), (5, True)])
def test_benchmark_needs_5_teams_by_default(root, teams, shown):
    values = {f"t{i:02d}": 1 + i % 5 for i in range(teams)}
    scores = compute_scores(load_survey(_percentile_inputs(root, values, suppressed=("t98", "t99")), root))
    report = scores.team_report("2026-H1", "t00")
    assert (report.benchmark is not None) is shown
    assert all((i.benchmark is not None) is shown for i in report.items)
    assert (scores.overview("2026-H1").benchmark is not None) is shown
    if shown:
        assert report.benchmark == pytest.approx(sum(values.values()) / teams)


def test_benchmark_threshold_is_configurable_but_never_below_3(root):
    values = {f"t{i:02d}": 1 + i % 5 for i in range(3)}
    inputs = _percentile_inputs(root, values)
    three = compute_scores(load_survey(inputs.model_copy(update={"benchmark_min_teams": 3}), root))
    assert three.team_report("2026-H1", "t00").benchmark == pytest.approx(2)
    with pytest.raises(ValidationError, match="benchmark_min_teams .* cannot be below 3"):
        SurveyInputs(benchmark_min_teams=2)


def test_no_percentile_below_10_teams(scores):
    assert scores.team_report("2026-H1", "a").percentile is None


def test_trend_against_previous_cycle(scores):
    a = scores.team_report("2026-H2", "a")
    assert a.previous_cycle_id == "2026-H1"
    assert a.team_score == pytest.approx((4 + 4 + 4) / 3)
    assert a.trend_team_score == pytest.approx((4 + 4 + 4) / 3 - (4 + 11 / 3) / 2)
    assert a.self_awareness == pytest.approx((1 + 1 + 1) / 3)
    assert a.trend_self_awareness == pytest.approx((1 + 1 + 1) / 3 - (1 + (2 - 11 / 3)) / 2)
    b = scores.team_report("2026-H2", "b")
    assert b.trend_team_score == pytest.approx(4 - 3)
    assert b.trend_self_awareness is None  # no self-assessment in either cycle
    assert scores.team_report("2026-H2", "c").trend_team_score is None  # suppressed in 2026-H1
    assert scores.team_report("2026-H1", "a").trend_team_score is None  # no previous cycle
    assert scores.team_ids("2026-H2") == ["a", "b", "c"]  # d was not invited in 2026-H2


def test_team_report_carries_line_management_data(scores):
    d = scores.team_report("2026-H1", "d")
    assert (d.manager_id, d.manager_name, d.parent_team_id, d.parent_manager_id) == ("p4", "Di Example", "b", "p2")
    assert scores.team_report("2026-H1", "a").parent_manager_id is None
    assert [theme for theme, _ in d.themes] == ["Vision", "Trust"]


def test_batch_reports_equal_single_reports(scores):
    assert scores.team_reports("2026-H1") == [scores.team_report("2026-H1", t) for t in ("a", "b", "c", "d")]


def _percentile_inputs(root, scores_by_team, suppressed=("t99",)):
    """Teams whose 5 members all answer the same value, so the team score is that value (five, so
    that the mean is shown: of fewer, "everyone said Always" would give every answer away)."""
    people = "people:\n  - {id: p, name: Pat Example}\n"
    teams = "teams:\n" + "".join(
        f"  - {{id: {t}, name: Team {t}, manager: p, invited: 5}}\n" for t in [*scores_by_team, *suppressed]
    )
    rows = ["team,respondent,role,q01,q02,q03"]
    for t, v in scores_by_team.items():
        rows += [f"{t},m{i},member,{v},{v},{v}" for i in range(5)]
    for t in suppressed:
        rows += [f"{t},m{i},member,1,1,1" for i in range(2)]  # 2 members: suppressed, must not count
    return write_inputs(root, {"2026-H1": "\n".join(rows) + "\n"}, organisation=people + teams)


def test_percentile_formula_with_ties(root):
    values = {"t01": 1, "t02": 2, "t03": 2, "t04": 3, "t05": 3, "t06": 3, "t07": 4, "t08": 4, "t09": 4,
              "t10": 5, "t11": 5}
    scores = compute_scores(load_survey(_percentile_inputs(root, values), root))
    got = {t: scores.team_report("2026-H1", t).percentile for t in values}
    n = 11  # non-suppressed teams
    assert got["t01"] == 100 * (0 + 0.5 * 0) / (n - 1)
    assert got["t02"] == got["t03"] == pytest.approx(100 * (1 + 0.5 * 1) / (n - 1))
    assert got["t04"] == pytest.approx(100 * (3 + 0.5 * 2) / (n - 1))
    assert got["t07"] == pytest.approx(100 * (6 + 0.5 * 2) / (n - 1))
    assert got["t10"] == got["t11"] == pytest.approx(100 * (9 + 0.5 * 1) / (n - 1))
    assert scores.team_report("2026-H1", "t99").percentile is None


@pytest.mark.parametrize(("teams", "shown"), [(9, False), (10, True)])
def test_percentile_needs_10_non_suppressed_teams(root, teams, shown):
    values = {f"t{i:02d}": 1 + i % 5 for i in range(teams)}
    scores = compute_scores(load_survey(_percentile_inputs(root, values, suppressed=("t98", "t99")), root))
    assert (scores.team_report("2026-H1", "t00").percentile is not None) is shown


def test_cronbach_alpha_over_complete_member_rows(root):
    csv = """\
team,respondent,role,q01,q02,q03
a,r1,member,1,2,2
a,r2,member,2,3,3
c,r3,member,3,3,4
c,r4,member,4,5,5
a,r5,member,5,N/A,5
a,s,self,1,5,1
"""
    scores = compute_scores(load_survey(write_inputs(root, {"2026-H1": csv}), root))
    # Complete member rows r1..r4 (r5 has an N/A, the self row is not a member answer).
    # Item variances (n-1): q01 5/3, q02 4.75/3, q03 5/3; totals 5, 8, 10, 14 have variance 42.75/3.
    expected = (3 / 2) * (1 - (5 / 3 + 4.75 / 3 + 5 / 3) / (42.75 / 3))
    assert scores.alpha["2026-H1"] == pytest.approx(expected)
    overview = scores.overview("2026-H1")
    assert overview.alpha == pytest.approx(expected) and overview.alpha_rows == 4


def test_overview_participation_heatmap_and_self_awareness(scores):
    o = scores.overview("2026-H1")
    assert [t.team_id for t in o.teams] == ["a", "b", "c", "d"]
    assert [str(t.participation) for t in o.teams] == ["4 of 5 (80%)", "5 of 6 (83%)", "2 of 4 (50%)", "6 of 10 (60%)"]
    assert [t.suppressed for t in o.teams] == [False, False, True, False]
    assert [q.id for q in o.questions] == ["q01", "q02", "q03"]
    rows = {r.team_id: r for r in o.heatmap}
    assert rows["a"].statuses == ["shown", "shown", "not enough answers"]
    assert rows["a"].means[:2] == [4, pytest.approx(11 / 3)] and rows["a"].means[2] is None
    assert rows["b"].statuses[2] == "no data"
    assert rows["c"].statuses == ["suppressed"] * 3 and rows["c"].means == [None] * 3
    # Only team a has both a self-assessment and shown items: one score, in a half-point bin.
    assert o.self_awareness == [pytest.approx(-1 / 3)]
    assert [(b.lower, b.upper, b.count) for b in o.self_awareness_bins] == [(-0.5, 0.0, 1)]
    assert o.member_respondents == 4 + 5 + 2 + 6
    assert o.benchmark == pytest.approx(((4 + 11 / 3) / 2 + 3 + 3) / 3)
