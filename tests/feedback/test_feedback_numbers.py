"""Every number of the feedback spec, on small hand-computed data."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from pydantic import ValidationError

from lchc_gen.feedback.load import load_feedback
from lchc_gen.feedback.model import FeedbackInputs
from lchc_gen.feedback.score import FeedbackScores, nps_margin, nps_value, whole
from lchc_gen.programs.load import load_programs
from tests.conftest import REPO, write

PROGRAM = "sales-discovery-calls"  # audience size 14; objectives know-question-types, believe-listening, do-ask-first


@pytest.fixture(scope="module")
def programs():
    return load_programs(REPO / "programs", REPO)


def scores_for(tmp_path: Path, programs, csv_text: str, k: int = 5, **file_options) -> FeedbackScores:
    write(tmp_path / "fb.csv", csv_text)
    inputs = FeedbackInputs(k_feedback=k, files=[{"path": "fb.csv", "run": "Run A", "program": PROGRAM, **file_options}])
    return FeedbackScores(load_feedback(inputs, programs, tmp_path), programs)


def nps_rows(values: list[int | str]) -> str:
    return "nps\n" + "".join(f"{v}\n" for v in values)


def test_nps_and_margin_hand_computed(tmp_path: Path, programs) -> None:
    # 5 promoters (9, 10), 2 passives (7, 8), 3 detractors (0, 3, 6) of 10 answers.
    run = scores_for(tmp_path, programs, nps_rows([10, 9, 9, 8, 7, 6, 0, 3, 10, 10])).get(PROGRAM).runs[0]
    assert (run.nps.promoters, run.nps.detractors, run.nps.answers) == (5, 3, 10)
    assert run.nps.score == pytest.approx(20.0)
    # 1.96 x 100 x sqrt((0.5 + 0.3 - 0.2^2) / 10) = 1.96 x 100 x sqrt(0.076) = 54.03...
    assert run.nps.margin == pytest.approx(1.96 * 100 * math.sqrt(0.076))
    assert run.nps.text == "+20 \u00b1 54"


def test_empty_nps_cells_are_not_answers(tmp_path: Path, programs) -> None:
    text = "nps,comment\n" + "".join(f"{v},c\n" for v in [10, "", 10, 10, 10, "", 10])
    run = scores_for(tmp_path, programs, text).get(PROGRAM).runs[0]
    assert run.nps.answers == 5 and run.submissions == 7


@pytest.mark.parametrize(
    ("values", "text"),
    [([9, 10, 9, 10, 10], "+100 \u00b1 0"), ([0, 6, 3, 5, 1], "-100 \u00b1 0"), ([7, 8, 7, 8, 8], "0 \u00b1 0")],
    ids=["all promoters", "all detractors", "all passives"],
)
def test_nps_edges(tmp_path: Path, programs, values: list[int], text: str) -> None:
    assert scores_for(tmp_path, programs, nps_rows(values)).get(PROGRAM).runs[0].nps.text == text


def test_threshold_k_minus_one_hides_and_k_shows(tmp_path: Path, programs) -> None:
    hidden = scores_for(tmp_path, programs, nps_rows([10, 9, 0, 8])).get(PROGRAM).runs[0].nps
    assert not hidden.shown and hidden.promoters is None and hidden.text == "not enough answers (4 people of at least 5)"
    shown = scores_for(tmp_path, programs, nps_rows([10, 9, 0, 8, 7])).get(PROGRAM).runs[0].nps
    assert shown.shown and shown.text == "+20 \u00b1 " + str(whole(nps_margin(2, 1, 5)))


def test_k_feedback_can_be_raised_not_lowered_below_three(tmp_path: Path, programs) -> None:
    run = scores_for(tmp_path, programs, nps_rows([10] * 6), k=7).get(PROGRAM).runs[0]
    assert run.nps.text == "not enough answers (6 people of at least 7)"
    assert FeedbackInputs(k_feedback=3).k_feedback == 3
    with pytest.raises(ValidationError, match="cannot be below 3"):
        FeedbackInputs(k_feedback=2)


def test_formula_functions() -> None:
    assert nps_value(3, 1, 8) == 25.0
    assert nps_margin(10, 0, 10) == 0.0  # everyone agrees: no spread, no negative under the root
    assert whole(12.5) == 13 and whole(-12.5) == -13 and whole(13.5) == 14


def test_response_rate_counts_distinct_respondents_and_rows_without_ids(tmp_path: Path, programs) -> None:
    text = "respondent,submitted_at,nps\nr1,2026-01-01T10:00:00,5\nr1,2026-01-01T11:00:00,9\nr2,,9\n,,7\n,,8\n"
    run = scores_for(tmp_path, programs, text).get(PROGRAM).runs[0]
    assert run.respondents == 4 and run.submissions == 4  # r1 once (latest), r2, two without an id
    # The program's audience.size (14) is its planned run's size, not this run's: no rate, and why.
    assert run.invited is None and run.response_rate is None
    assert run.response_text == "4 responded (no response rate: this run's group size is not known)"
    run = scores_for(tmp_path, programs, text, invited=5).get(PROGRAM).runs[0]
    assert run.response_rate == pytest.approx(0.8) and run.response_text == "4 of 5 (80%)"
    scores = scores_for(tmp_path, programs, text, invited=3)
    assert scores.get(PROGRAM).runs[0].response_text == "4 of 3 (133%)"  # shown as counted, and noted at build
    assert scores.notes == ["feedback: sales-discovery-calls, run 'Run A': 4 respondents but 3 people in the run "
                            "(check the file's `invited`)"]


def test_latest_submission_per_respondent_wins(tmp_path: Path, programs) -> None:
    # r1's later timestamp wins though it comes first in the file; r2 has no times: the later row wins.
    text = (
        "respondent,submitted_at,nps\n"
        "r1,2026-01-02T09:00:00Z,10\nr1,2026-01-01T09:00:00Z,0\n"
        "r2,,0\nr2,,10\n"
        "r3,,10\nr4,,10\nr5,,10\n"
    )
    run = scores_for(tmp_path, programs, text).get(PROGRAM).runs[0]
    assert run.nps.answers == 5 and run.nps.text == "+100 \u00b1 0"


def test_same_respondent_in_two_sessions_counts_once_with_the_latest_answer(tmp_path: Path, programs) -> None:
    # Thresholds count people: r1 answered after two sessions and is one person, with the later answer.
    text = "session,respondent,nps\ntuesday-practice,r1,10\nthursday-unpack,r1,0\n" + "".join(f"tuesday-practice,r{i},0\n" for i in range(2, 6))
    run = scores_for(tmp_path, programs, text).get(PROGRAM).runs[0]
    assert run.nps.answers == 5 and run.respondents == 5 and run.submissions == 6
    assert run.nps.text == "-100 \u00b1 0"


def test_objective_confidence_mean_count_and_threshold(tmp_path: Path, programs) -> None:
    text = "nps,obj:know-question-types,obj:do-ask-first\n" + "".join(
        f"9,{a},{b}\n" for a, b in [(5, 1), (4, 2), (4, ""), (3, 3), (2, "")]
    )
    run = scores_for(tmp_path, programs, text).get(PROGRAM).runs[0]
    know, do = run.confidence["know-question-types"], run.confidence["do-ask-first"]
    assert know.mean == pytest.approx(3.6) and know.answers == 5 and know.text == "3.6 of 5 (5 people)"
    assert do.mean is None and do.answers == 3 and do.text == "not enough answers (3 people of at least 5)"
    assert run.confidence["believe-listening"].answers == 0


def test_comments_only_from_k_submissions_and_sorted(tmp_path: Path, programs) -> None:
    few = scores_for(tmp_path, programs, "nps,comment\n9,Zebra\n9,apple\n9,\n9,Mango\n").get(PROGRAM).runs[0]
    assert few.comments is None
    enough = scores_for(tmp_path, programs, "nps,comment\n9,Zebra\n9,apple\n9,\n9,Mango\n9,\n").get(PROGRAM).runs[0]
    assert enough.comments == ("apple", "Mango", "Zebra")


def test_trend_is_by_run_in_configured_order(tmp_path: Path, programs) -> None:
    write(tmp_path / "a.csv", nps_rows([10] * 5))
    write(tmp_path / "b.csv", "program,nps\n" + f"{PROGRAM},0\n" * 5 + "support-onboarding,9\n")
    inputs = FeedbackInputs(files=[{"path": "b.csv", "run": "Later"}, {"path": "a.csv", "run": "Earlier", "program": PROGRAM}])
    scores = FeedbackScores(load_feedback(inputs, programs, tmp_path), programs)
    assert [(r.label, r.nps.text) for r in scores.get(PROGRAM).runs] == [("Later", "-100 \u00b1 0"), ("Earlier", "+100 \u00b1 0")]
    assert [r.label for r in scores.get("support-onboarding").runs] == ["Later"]
    assert scores.get("safety-refresher") is None


def test_a_file_without_a_run_name_splits_into_the_programs_cohorts(tmp_path: Path, programs) -> None:
    # Leadership Development: one session per cycle, each with its cohort; rows in any order.
    text = "session,nps\n" + "reflection-2026-h2,10\n" * 5 + "reflection-2026-h1,0\n" * 6 + "reflection-2027-h1@2027-07-13,9\n"
    write(tmp_path / "all.csv", text)
    inputs = FeedbackInputs(files=[{"path": "all.csv", "program": "leadership-development"}])
    runs = FeedbackScores(load_feedback(inputs, programs, tmp_path), programs).get("leadership-development").runs
    assert [(r.label, r.submissions, r.nps.text) for r in runs] == [
        ("Managers who received a report in the 2026-H1 cycle", 6, "-100 \u00b1 0"),
        ("Managers who received a report in the 2026-H2 cycle", 5, "+100 \u00b1 0"),
        ("Managers who received a report in the 2027-H1 cycle", 1, "not enough answers (1 person of at least 5)"),
    ]


def test_cohort_runs_need_a_session_with_a_cohort(tmp_path: Path, programs) -> None:
    from lchc_gen.problems import InputError

    write(tmp_path / "s.csv", "session,nps\ntuesday-practice,9\n,9\n")
    with pytest.raises(InputError) as caught:
        load_feedback(FeedbackInputs(files=[{"path": "s.csv", "program": PROGRAM}]), programs, tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "s.csv:2:session: session 'tuesday-practice' has no `cohort`: give it one, or give the file a `run`",
        "s.csv:3:session: the file has no `run`, so each row needs a session: its cohort is the run",
    ]


def test_csv_export_quotes_what_looks_like_a_formula_and_keeps_numbers(tmp_path: Path, programs) -> None:
    import csv
    import io

    from lchc_gen.feedback.export import feedback_csv

    run = '=HYPERLINK("http://evil.example/","Run A")'
    scores = scores_for(tmp_path, programs, nps_rows([0, 1, 2, 9, 10, 3]), run=run, closes="2026-01-31")
    rows = list(csv.DictReader(io.StringIO(feedback_csv(scores))))
    nps = next(r for r in rows if r["measure"] == "nps")
    assert nps["run"] == "'" + run
    assert nps["value"] == "-33" and nps["margin"].isdigit()  # numbers stay numbers
    assert nps["text"] == f"'-33 \u00b1 {nps['margin']}"  # our own text is no formula either
    fields = [v for r in rows for v in r.values()]
    assert [v for v in fields if v.startswith(("=", "+", "@", "\t", "\r"))] == []
    assert all(v.lstrip("-").isdigit() for v in fields if v.startswith("-"))


def test_small_groups_do_not_print_figures_that_rebuild_their_answers(tmp_path: Path, programs) -> None:
    # k_feedback 3: three people. NPS, margin and n decode 2 promoters and 1 detractor: withheld.
    run = scores_for(tmp_path, programs, nps_rows([10, 9, 0]), k=3).get(PROGRAM).runs[0]
    assert run.nps.score is None and run.nps.text == "not shown: with answers from 3 people it would give away how they answered"
    # Confidence 5.0 from three people can only be 5, 5, 5; 3.5 from four leaves many answer sets.
    text = "nps,obj:know-question-types,obj:do-ask-first\n" + "".join(f"9,5,{b}\n" for b in (2, 3, 4)) + "9,,5\n"
    run = scores_for(tmp_path, programs, text, k=3).get(PROGRAM).runs[0]
    assert run.confidence["know-question-types"].text == "not shown: with answers from 3 people it would give away how they answered"
    assert run.confidence["do-ask-first"].text == "3.5 of 5 (4 people)"


def test_rows_without_respondent_over_several_sessions_are_refused(tmp_path: Path, programs) -> None:
    from lchc_gen.problems import InputError

    text = "session,respondent,nps\ntuesday-practice,r1,9\nthursday-unpack,,9\nthursday-unpack,,7\n"
    with pytest.raises(InputError) as caught:
        scores_for(tmp_path, programs, text)
    (problem,) = caught.value.problems
    assert str(problem).startswith("fb.csv:3:respondent: run 'Run A' of program 'sales-discovery-calls' has rows for "
                                   "several sessions (thursday-unpack, tuesday-practice), and 2 of them have no respondent id")
    assert "add a respondent column" in str(problem)
    # One session without ids: the form asks each person once, so each row is a person.
    run = scores_for(tmp_path, programs, "session,nps\n" + "tuesday-practice,9\n" * 5).get(PROGRAM).runs[0]
    assert run.respondents == 5 and run.nps.text == "+100 \u00b1 0"


def test_a_run_closes_on_its_day_and_later_answers_are_left_out(tmp_path: Path, programs) -> None:
    import datetime as dt

    text = "submitted_at,nps\n" + "2026-05-10T10:00:00Z,10\n" * 5 + "2026-06-01T08:00:00Z,0\n"
    write(tmp_path / "fb.csv", text)
    inputs = FeedbackInputs(files=[{"path": "fb.csv", "run": "Run A", "program": PROGRAM, "closes": "2026-05-31"}])
    data = load_feedback(inputs, programs, tmp_path)
    open_run = FeedbackScores(data, programs, dt.date(2026, 5, 31)).get(PROGRAM).runs[0]
    assert open_run.open and open_run.nps.text == "+100 \u00b1 0"  # the admin view's figure, marked open
    assert open_run.public().nps.text == "the run is still open: results from Mon 1 Jun 2026"
    scores = FeedbackScores(data, programs, dt.date(2026, 6, 1))
    closed = scores.get(PROGRAM).runs[0]
    assert not closed.open and closed.public().nps.text == "+100 \u00b1 0" and closed.late == 1
    assert "feedback: sales-discovery-calls, run 'Run A': 1 submission after the run closed on 2026-05-31 left out" in scores.notes
    # Without `closes`: the program's last session (4 November 2027) plus close_after_days.
    inputs = FeedbackInputs(close_after_days=3, files=[{"path": "fb.csv", "run": "Run A", "program": PROGRAM}])
    run = FeedbackScores(load_feedback(inputs, programs, tmp_path), programs, dt.date(2027, 11, 7)).get(PROGRAM).runs[0]
    assert run.closes == dt.date(2027, 11, 7) and run.open


def test_a_tool_export_that_cannot_be_counted_as_people_names_its_own_column(tmp_path: Path, programs) -> None:
    from lchc_gen.problems import InputError

    write(tmp_path / "form.csv", (
        "Timestamp,Which session?,Your learner code,How likely are you to recommend this program to a colleague?\n"
        "2026/03/28 11:47:00 AM GMT+2,tuesday-practice,L1,8\n"
        "2026/03/28 11:59:00 AM GMT+2,thursday-unpack,,10\n"
    ))
    columns = {"session": "Which session?", "respondent": "Your learner code"}
    with pytest.raises(InputError) as caught:
        scores_for(tmp_path, programs, (tmp_path / "form.csv").read_text(), format="google-forms", columns=columns)
    (problem,) = caught.value.problems
    assert str(problem).startswith("fb.csv:3:Your learner code: run 'Run A' of program 'sales-discovery-calls' has rows for several sessions")


def test_the_chart_says_what_the_table_says_of_a_run_with_too_few_people(tmp_path: Path, programs) -> None:
    from lchc_gen.feedback.charts import nps_chart

    run = scores_for(tmp_path, programs, nps_rows([9, 10, 3]), closes="2026-01-31").get(PROGRAM).runs[0]
    assert run.nps.text.startswith("not enough answers")
    chart = str(nps_chart([run], "t"))
    assert ">not enough answers<" in chart and "n &lt;" not in chart


def test_a_runs_rate_comes_only_from_its_own_group(tmp_path: Path, programs) -> None:
    """audience.size is the size of the run the program file plans: rows that name its sessions
    take it; a file of an earlier run (no sessions named) without `invited` has no rate."""
    text = "session,nps\n" + "tuesday-practice@2027-10-12,9\n" * 3
    assert scores_for(tmp_path, programs, text).get(PROGRAM).runs[0].response_text == "3 of 14 (21%)"
    earlier = scores_for(tmp_path, programs, "nps\n9\n9\n9\n").get(PROGRAM).runs[0]
    assert earlier.invited is None and earlier.response_text.endswith("(no response rate: this run's group size is not known)")
    assert scores_for(tmp_path, programs, "nps\n9\n", invited=9).get(PROGRAM).runs[0].response_text == "1 of 9 (11%)"
