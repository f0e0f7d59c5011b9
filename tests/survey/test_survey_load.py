"""Loading and cleaning responses: every rule of the contract, every bad input with its place."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from lchc_gen.problems import InputError
from lchc_gen.survey.load import load_survey

from survey_fixtures import write_inputs

HEADER = "team,respondent,role,q01,q02,q03\n"


def answers(data, team: str = "a") -> dict[tuple[str, str], float]:
    r = data.responses
    rows = r[r["team"] == team]
    return {(resp, q): v for resp, q, v in zip(rows["respondent"], rows["question"], rows["value"])}


def errors(root: Path, responses: dict[str, str | bytes], **kw) -> list[str]:
    with pytest.raises(InputError) as info:
        load_survey(write_inputs(root, responses, **kw), root)
    return [str(p) for p in info.value.problems]


def test_long_frame_has_one_row_per_submission_and_question(root):
    data = load_survey(write_inputs(root, {"2026-H1": HEADER + "a,m1,member,4,5,\na,s,self,3,N/A,2\n"}), root)
    assert list(data.responses.columns) == ["cycle", "team", "respondent", "role", "question", "value"]
    assert len(data.responses) == 2 * 3
    assert set(data.responses["cycle"]) == {"2026-H1"}
    got = answers(data)
    assert got[("m1", "q01")] == 4 and got[("m1", "q02")] == 5 and math.isnan(got[("m1", "q03")])
    assert got[("s", "q01")] == 3 and math.isnan(got[("s", "q02")])


def test_labels_ignore_case_and_surrounding_spaces_and_na_labels_and_empty_mean_na(root):
    csv = HEADER + "a,m1,member, often ,ALWAYS,never\na,m2,member,n/a,Don't know,\na,m3,member, Sometimes,NA, 2 \n"
    got = answers(load_survey(write_inputs(root, {"2026-H1": csv}), root))
    assert (got[("m1", "q01")], got[("m1", "q02")], got[("m1", "q03")]) == (4, 5, 1)
    assert all(math.isnan(got[("m2", q)]) for q in ("q01", "q02", "q03"))
    assert got[("m3", "q01")] == 3 and math.isnan(got[("m3", "q02")]) and got[("m3", "q03")] == 2


def test_bom_and_crlf_are_accepted_and_rows_still_counted_from_the_header(root):
    good = ("\ufeff" + HEADER + "a,m1,member,4,4,4\n").replace("\n", "\r\n").encode("utf-8")
    data = load_survey(write_inputs(root, {"2026-H1": good}), root)
    assert answers(data)[("m1", "q01")] == 4
    bad = ("\ufeff" + HEADER + "a,m1,member,4,4,4\na,m2,member,4,9,4\n").replace("\n", "\r\n").encode("utf-8")
    assert errors(root, {"2026-H1": bad}) == [
        "responses/2026-H1.csv:3:q02: value '9' is not a scale value, scale label or N/A label"
        " (scale: 1=Never, 2=Rarely, 3=Sometimes, 4=Often, 5=Always)"
    ]


def test_headers_ignore_case_and_spaces(root):
    data = load_survey(write_inputs(root, {"2026-H1": " Team ,RESPONDENT,Role,Q01,q02,q03\na,m1,Member,4,4,4\n"}), root)
    assert answers(data)[("m1", "q01")] == 4
    assert set(data.responses["role"]) == {"member"}


def test_extra_columns_are_ignored_with_a_note_naming_them(root):
    csv = "team,respondent,comment,role,q01,q02,q03,Email\na,m1,great,member,4,4,4,x@example.org\n"
    data = load_survey(write_inputs(root, {"2026-H1": csv}), root)
    assert data.notes == ["responses/2026-H1.csv: ignored columns not in the questionnaire: comment, Email"]
    assert "comment" not in data.responses.columns


def test_duplicates_keep_latest_timestamp_else_last_in_file_and_report_the_count(root):
    csv = (
        "submitted_at,team,respondent,role,q01,q02,q03\n"
        "2026-03-02T10:00:00,a,m1,member,1,1,1\n"   # row 2: kept (later than row 3)
        "2026-03-01T10:00:00,a,m1,member,2,2,2\n"   # row 3: earlier, dropped although later in file
        ",a,m2,member,3,3,3\n"                      # row 4: no timestamps: the last in file wins
        ",a,m2,member,4,4,4\n"                      # row 5: kept
        "2026-03-02T10:00:00,a,m3,member,5,5,5\n"   # row 6: equal timestamps: the last in file wins
        "2026-03-02T10:00:00,a,m3,member,4,4,4\n"   # row 7: kept
    )
    data = load_survey(write_inputs(root, {"2026-H1": csv}), root)
    got = answers(data)
    assert (got[("m1", "q01")], got[("m2", "q01")], got[("m3", "q01")]) == (1, 4, 4)
    assert len(data.responses) == 3 * 3
    assert data.notes == [
        "responses/2026-H1.csv: dropped 3 duplicate submissions (same team and respondent;"
        " the latest was kept): rows 3, 4, 6"
    ]


def test_duplicates_are_per_team(root):
    data = load_survey(write_inputs(root, {"2026-H1": HEADER + "a,m1,member,1,1,1\nb,m1,member,2,2,2\n"}), root)
    assert answers(data, "a")[("m1", "q01")] == 1 and answers(data, "b")[("m1", "q01")] == 2
    assert data.notes == []


def test_more_than_one_self_row_keeps_the_latest_and_reports_it(root):
    csv = (
        "submitted_at,team,respondent,role,q01,q02,q03\n"
        "2026-03-02T09:00:00,a,boss1,self,1,1,1\n"   # row 2
        "2026-03-02T11:00:00,a,boss2,self,5,5,5\n"   # row 3: the latest, kept
        "2026-03-02T08:00:00,a,boss3,self,3,3,3\n"   # row 4
        "2026-03-02T08:00:00,a,m1,member,3,3,3\n"
    )
    data = load_survey(write_inputs(root, {"2026-H1": csv}), root)
    selfs = data.responses[data.responses["role"] == "self"]
    assert set(selfs["respondent"]) == {"boss2"} and set(selfs["value"]) == {5}
    assert data.notes == ["responses/2026-H1.csv: team 'a' has 3 self-assessments; kept the latest (row 3), dropped rows 2, 4"]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("zz,m1,member,4,4,4", "responses/2026-H1.csv:3:team: unknown team 'zz' (not in the organisation file)"),
        ("a,m1,boss,4,4,4", "responses/2026-H1.csv:3:role: unknown role 'boss' (expected 'self' or 'member')"),
        ("a,m1,member,7,4,4", "responses/2026-H1.csv:3:q01: value '7' is not a scale value, scale label or N/A label"
                              " (scale: 1=Never, 2=Rarely, 3=Sometimes, 4=Often, 5=Always)"),
        ("a,m1,member,4,Oftne,4", "responses/2026-H1.csv:3:q02: value 'Oftne' is not a scale value, scale label"
                                  " or N/A label (did you mean 'Often'?)"),
        ("a,m1,member,4,4,4.0", "responses/2026-H1.csv:3:q03: value '4.0' is not a scale value, scale label"
                                " or N/A label (scale: 1=Never, 2=Rarely, 3=Sometimes, 4=Often, 5=Always)"),
        (",m1,member,4,4,4", "responses/2026-H1.csv:3:team: team is empty"),
        ("a,,member,4,4,4", "responses/2026-H1.csv:3:respondent: respondent is empty"),
    ],
)
def test_bad_cells_name_file_row_and_column(root, row, expected):
    assert errors(root, {"2026-H1": HEADER + "a,m0,member,4,4,4\n" + row + "\n"}) == [expected]


def test_team_not_invited_in_a_cycle_is_an_error(root):
    csv = HEADER + "a,m1,member,4,4,4\n"
    assert errors(root, {"2026-H1": csv, "2026-H2": csv + "d,m1,member,4,4,4\n"}) == [
        "responses/2026-H2.csv:3:team: team 'd' was not invited in cycle 2026-H2 (no 'invited' count for it)"
    ]


def test_missing_question_column_and_q13_like_column(root):
    assert errors(root, {"2026-H1": "team,respondent,role,q01,q02,q13\na,m1,member,4,4,4\n"}) == [
        "responses/2026-H1.csv:1:q03: required column is missing",
        "responses/2026-H1.csv:1:q13: not a question of questionnaire 'lchc-mini' (its questions are q01, q02, q03)",
    ]


def test_missing_key_column_and_bad_timestamp(root):
    csv = "submitted_at,team,role,q01,q02,q03\nyesterday,a,member,4,4,4\n"
    assert errors(root, {"2026-H1": csv}) == [
        "responses/2026-H1.csv:1:respondent: required column is missing",
        "responses/2026-H1.csv:2:submitted_at: not an ISO 8601 timestamp: 'yesterday'",
    ]


def test_every_problem_in_every_file_is_reported_in_one_run(root):
    first = (
        HEADER
        + "a,m1,member,4,5,N/A\n"
        + "zz,m2,member,4,4,4\n"       # row 3: unknown team
        + "a,m3,boss,4,4,4\n"          # row 4: unknown role
        + "a,m4,member,7,4,4\n"        # row 5: out of scale
        + "a,m5,member,4,Oftne,4\n"    # row 6: misspelled label
    )
    second = "team,respondent,role,q01,q02,q13\na,m1,member,4,4,4\n"  # q03 missing, q13 undefined
    with pytest.raises(InputError) as info:
        load_survey(write_inputs(root, {"2026-H1": first, "2026-H2": second}), root)
    assert [str(p) for p in info.value.problems] == [
        "responses/2026-H1.csv:3:team: unknown team 'zz' (not in the organisation file)",
        "responses/2026-H1.csv:4:role: unknown role 'boss' (expected 'self' or 'member')",
        "responses/2026-H1.csv:5:q01: value '7' is not a scale value, scale label or N/A label"
        " (scale: 1=Never, 2=Rarely, 3=Sometimes, 4=Often, 5=Always)",
        "responses/2026-H1.csv:6:q02: value 'Oftne' is not a scale value, scale label or N/A label"
        " (did you mean 'Often'?)",
        "responses/2026-H2.csv:1:q03: required column is missing",
        "responses/2026-H2.csv:1:q13: not a question of questionnaire 'lchc-mini' (its questions are q01, q02, q03)",
    ]
    assert str(info.value).startswith("6 problems in the input files:")


def test_rows_are_file_lines_even_with_quoted_line_breaks_and_blank_lines(root):
    csv = (
        "team,respondent,role,q01,q02,q03,comment\n"
        'a,m1,member,4,4,4,"two\nlines"\n'   # lines 2-3
        "\n"                                 # line 4: blank
        "a,m2,member,4,4,x\n"                # line 5
    )
    assert errors(root, {"2026-H1": csv})[0].startswith("responses/2026-H1.csv:5:q03: value 'x'")


def test_yaml_and_csv_problems_are_reported_together(root):
    org = "people:\n  - {id: p1, name: Ann}\nteams:\n  - {id: a, name: A, manager: nobody, invited: 5}\n"
    assert errors(root, {"2026-H1": HEADER + "b,m1,member,4,4,4\n"}, organisation=org) == [
        "org.yml:4: teams[0].manager: unknown person 'nobody'",
        "responses/2026-H1.csv:2:team: unknown team 'b' (not in the organisation file)",
    ]


def test_missing_responses_file_is_a_problem(root):
    inputs = write_inputs(root, {"2026-H1": HEADER})
    (root / "responses" / "2026-H1.csv").unlink()
    with pytest.raises(InputError) as info:
        load_survey(inputs, root)
    assert [(p.path, p.line, p.field) for p in info.value.problems] == [("responses/2026-H1.csv", 1, "(file)")]
    assert info.value.problems[0].message.startswith("cannot read:")


def test_invited_frame_lists_teams_per_cycle(root):
    csv = HEADER + "a,m1,member,4,4,4\n"
    data = load_survey(write_inputs(root, {"2026-H1": csv, "2026-H2": csv}), root)
    got = {(c, t): n for c, t, n in data.invited.itertuples(index=False)}
    assert got == {
        ("2026-H1", "a"): 5, ("2026-H1", "b"): 6, ("2026-H1", "c"): 4, ("2026-H1", "d"): 10,
        ("2026-H2", "a"): 5, ("2026-H2", "b"): 6, ("2026-H2", "c"): 4,
    }
