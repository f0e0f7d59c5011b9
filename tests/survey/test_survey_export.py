"""The export holds exactly the numbers the reports show, suppression included."""

from __future__ import annotations

import io
import json
import math

import pandas as pd
import pytest

from lchc_gen.survey.export import run_scores_command, scores_table, write_scores
from lchc_gen.survey.load import load_survey
from lchc_gen.survey.score import compute_scores

from survey_fixtures import write_inputs
from test_survey_score import H1, H2


@pytest.fixture
def inputs(root):
    return write_inputs(root, {"2026-H1": H1, "2026-H2": H2})


@pytest.fixture
def scores(root, inputs):
    return compute_scores(load_survey(inputs, root))


def same(table_value, report_value) -> bool:
    if report_value is None:
        return table_value is None or (isinstance(table_value, float) and math.isnan(table_value)) or table_value is pd.NA
    return table_value == report_value


def test_table_equals_team_reports_for_every_team_and_item(scores):
    for cycle in ("2026-H1", "2026-H2"):
        table = scores_table(scores, cycle).set_index("team")
        reports = scores.team_reports(cycle)
        assert list(table.index) == [r.team_id for r in reports]
        for r in reports:
            row = table.loc[r.team_id]
            for name in ("team_score", "self_score", "self_awareness", "benchmark", "percentile",
                         "trend_team_score", "trend_self_awareness", "suppressed", "has_self"):
                assert same(row[name], getattr(r, name)), (cycle, r.team_id, name)
            assert (row["members"], row["invited"]) == (r.participation.members, r.participation.invited)
            for i in r.items:
                for name in ("status", "answers", "mean", "sd", "na_rate", "self_value", "gap", "flag"):
                    assert same(row[f"{i.question_id}_{name}"], getattr(i, name)), (r.team_id, i.question_id, name)
                counts = {c.value: c.count for c in i.distribution} if i.distribution else {}
                for v in range(1, 6):
                    assert same(row[f"{i.question_id}_n_{v}"], counts.get(v)), (r.team_id, i.question_id, v)


def test_csv_leaves_suppressed_and_hidden_values_empty(scores):
    out = io.StringIO()
    write_scores(scores, "2026-H1", "csv", out)
    table = pd.read_csv(io.StringIO(out.getvalue()), dtype=str, keep_default_na=False).set_index("team")
    c = table.loc["c"]
    assert (c["members"], c["invited"], c["suppressed"]) == ("2", "4", "True")
    hidden = [col for col in table.columns if col.startswith("q0") and not col.endswith("_status")]
    assert all(c[col] == "" for col in [*hidden, "team_score", "self_awareness", "benchmark"])
    assert table.loc["a", "q03_status"] == "not enough answers" and table.loc["a", "q03_mean"] == ""
    assert table.loc["a", "q03_answers"] == "1"
    assert table.loc["a", "q01_mean"] == "4.0" and table.loc["a", "q01_flag"] == "blind spot"
    assert table.loc["b", "q01_n_5"] == "2" and table.loc["a", "q01_n_5"] == ""  # 5 answers vs 4


def test_json_mirrors_the_reports(scores):
    out = io.StringIO()
    write_scores(scores, "2026-H1", "json", out)
    doc = json.loads(out.getvalue())
    assert doc["cycle"] == "2026-H1" and doc["min_responses"] == 3
    teams = {t["team"]: t for t in doc["teams"]}
    assert teams["c"]["team_score"] is None and teams["c"]["items"]["q01"]["mean"] is None
    assert teams["c"]["participation"] == 2 / 4
    a = scores.team_report("2026-H1", "a")
    assert teams["a"]["team_score"] == a.team_score
    assert teams["a"]["items"]["q02"]["mean"] == items_mean(a, "q02")
    assert teams["b"]["items"]["q01"]["distribution"] == {"Never": 1, "Rarely": 2, "Sometimes": 0, "Often": 0, "Always": 2}


def items_mean(report, question_id):
    return next(i.mean for i in report.items if i.question_id == question_id)


def test_unknown_format_is_rejected(scores):
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        write_scores(scores, "2026-H1", "xml", io.StringIO())  # type: ignore[arg-type]


def test_scores_command_defaults_to_the_latest_cycle(root, inputs):
    out, err = io.StringIO(), io.StringIO()
    assert run_scores_command(inputs, root, None, "csv", out, err) == 0
    table = pd.read_csv(io.StringIO(out.getvalue()))
    assert list(table["team"]) == ["a", "b", "c"] and set(table["cycle"]) == {"2026-H2"}


def test_scores_command_unknown_cycle_and_input_errors(root, inputs):
    out, err = io.StringIO(), io.StringIO()
    assert run_scores_command(inputs, root, "2030-H1", "json", out, err) == 2
    assert err.getvalue() == "unknown cycle '2030-H1'; the configured cycles are: 2026-H1, 2026-H2\n"
    (root / "responses" / "2026-H2.csv").write_text("team,respondent,role,q01,q02,q03\nzz,m,member,1,1,1\n")
    out, err = io.StringIO(), io.StringIO()
    assert run_scores_command(inputs, root, "2026-H1", "json", out, err) == 1
    assert "responses/2026-H2.csv:2:team: unknown team 'zz'" in err.getvalue()
    assert out.getvalue() == ""


def test_csv_names_that_look_like_formulas_are_quoted_and_numbers_stay_numbers(root):
    from survey_fixtures import ORGANISATION

    org = (ORGANISATION.replace("name: Ann Example", "name: '=HYPERLINK(\"http://evil.example/\",\"Ann\")'")
           .replace("name: Team A", "name: '+cmd|'' /C calc''!A0'").replace("name: Team B", "name: '@SUM(1+1)'")
           .replace("name: Bo Example", "name: \"\\t=1+1\"").replace("name: Team C", "name: '-1+1'"))
    inputs = write_inputs(root, {"2026-H1": H1, "2026-H2": H2}, organisation=org)
    out = io.StringIO()
    write_scores(compute_scores(load_survey(inputs, root)), "2026-H2", "csv", out)
    table = pd.read_csv(io.StringIO(out.getvalue()), dtype=str, keep_default_na=False)
    assert set(table["team_name"]) >= {"'+cmd|' /C calc'!A0", "'@SUM(1+1)", "'-1+1"}
    assert set(table["manager_name"]) >= {"'=HYPERLINK(\"http://evil.example/\",\"Ann\")", "'\t=1+1"}
    for c in table.columns:  # anything else that starts like a formula is a plain number
        for v in table[c]:
            assert not v.startswith(("=", "+", "-", "@", "\t", "\r")) or float(v) == float(v), (c, v)
    # (negative numbers, left as they are: tests/expected/scores-*.csv, unchanged)
