"""Bad tool exports: every problem names the file, row (and sheet) and the tool's own heading."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lchc_gen.feedback.load import load_feedback
from lchc_gen.problems import InputError
from lchc_gen.programs.load import load_programs
from lchc_gen.project import feedback_inputs, read_config, survey_inputs
from lchc_gen.survey.load import load_survey
from tests.tabular.exports import project

Q01 = "How often does your manager communicate the team's vision?"


def _survey_problems(root: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_survey(survey_inputs(read_config(root / "mkdocs.yml")), root)
    return [str(p) for p in caught.value.problems]


def _edit_csv(path: Path, edit) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def test_a_reworded_question_is_listed_with_the_closest_question(tmp_path: Path) -> None:
    root = project(tmp_path, survey_tools=["google-forms"])
    reworded = "How often does your manager communicate our team's vision?"

    def edit(rows):
        rows[0][rows[0].index(Q01)] = reworded
    _edit_csv(root / "google-forms.csv", edit)
    problems = _survey_problems(root)
    # The self wording of q01 is matched; the reworded member wording is named, with the closest question.
    assert f"google-forms.csv:1:{reworded}: matches no question (closest: q01 {Q01!r} (already matched by another column))" in problems
    assert len(problems) == 1


def test_a_question_with_no_column_names_the_columns_left_over(tmp_path: Path) -> None:
    root = project(tmp_path, survey_tools=["limesurvey"])
    reworded = "Does your manager tell you about the team's vision?"

    def edit(rows):
        rows[0][rows[0].index(Q01)] = reworded
    _edit_csv(root / "limesurvey.csv", edit)
    problems = _survey_problems(root)
    assert any(p.startswith(f"limesurvey.csv:1:q01: no column for question q01 ({Q01!r})") for p in problems), problems
    assert not any(reworded in p and "matches no question" in p for p in problems)  # not close enough to be one


def test_headings_match_whatever_their_case_spacing_and_punctuation(tmp_path: Path) -> None:
    root = project(tmp_path, survey_tools=["limesurvey"])

    def edit(rows):
        rows[0][rows[0].index(Q01)] = "  HOW OFTEN does your manager communicate the team’s   vision "
    _edit_csv(root / "limesurvey.csv", edit)
    data = load_survey(survey_inputs(read_config(root / "mkdocs.yml")), root)
    assert data.responses.question.nunique() == 12


def test_cell_problems_name_the_tools_heading_and_row(tmp_path: Path) -> None:
    root = project(tmp_path, survey_tools=["google-forms", "qualtrics"])

    def google(rows):
        rows[2][0] = "yesterday at noon"
        rows[3][rows[0].index(Q01)] = "Oftne"

    def qualtrics(rows):
        rows[4][rows[0].index("Q1")] = "7"  # the first answers are on line 4, below three header rows
    _edit_csv(root / "google-forms.csv", google)
    _edit_csv(root / "qualtrics.csv", qualtrics)
    problems = _survey_problems(root)
    assert "google-forms.csv:3:Timestamp: not a Google Forms timestamp: 'yesterday at noon'" in problems
    assert any(p.startswith(f"google-forms.csv:4:{Q01}: value 'Oftne'") and "did you mean 'Often'" in p for p in problems)
    assert any(p.startswith("qualtrics.csv:5:Q1: value '7' is not a scale value") for p in problems), problems


def test_workbook_problems_name_the_sheet(tmp_path: Path) -> None:
    root = project(tmp_path, survey_tools=["microsoft-forms"])
    book = load_workbook(root / "microsoft-forms.xlsx")
    sheet = book.active
    header = [c.value for c in sheet[1]]
    sheet.cell(row=6, column=header.index(Q01) + 1, value="Sometimez")
    sheet.cell(row=3, column=header.index("Team") + 1, value="support-mars")
    book.save(root / "microsoft-forms.xlsx")
    problems = _survey_problems(root)
    assert any(p.startswith(f"microsoft-forms.xlsx:Sheet1:6:{Q01}: value 'Sometimez'") for p in problems), problems
    assert any(p.startswith("microsoft-forms.xlsx:Sheet1:3:Team: unknown team 'support-mars'") for p in problems)


def test_an_identity_column_cannot_be_mapped_to_a_kept_one(tmp_path: Path) -> None:
    root = project(tmp_path, survey_tools=["microsoft-forms"])
    text = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(text.replace("format: microsoft-forms", "format: microsoft-forms\n        columns: {respondent: Email}"))
    problems = _survey_problems(root)
    assert "microsoft-forms.xlsx:Sheet1:1:Email: an identity column cannot be mapped: it is dropped and never kept" in problems


def test_feedback_problems_name_the_sheet_and_heading(tmp_path: Path) -> None:
    root = project(tmp_path, feedback_tools=["microsoft-forms"])
    book = load_workbook(root / "feedback-microsoft-forms.xlsx")
    sheet = book.active
    header = [c.value for c in sheet[1]]
    nps = "How likely are you to recommend this program to a colleague?"
    sheet.cell(row=4, column=header.index(nps) + 1, value=11)
    book.save(root / "feedback-microsoft-forms.xlsx")
    programs = load_programs(root / "programs", root)
    with pytest.raises(InputError) as caught:
        load_feedback(feedback_inputs(read_config(root / "mkdocs.yml")), programs, root)
    assert [str(p) for p in caught.value.problems] == [
        f"feedback-microsoft-forms.xlsx:Sheet1:4:{nps}: value '11' is not a whole number from 0 to 10"
    ]


def test_a_google_confidence_label_counts_by_its_number(tmp_path: Path) -> None:
    """Linear-scale labels ("5 - Completely confident") are read as their number."""
    root = project(tmp_path, feedback_tools=["google-forms"])
    text = (root / "feedback-google-forms.csv").read_text()
    assert "5 - Completely confident" in text
    programs = load_programs(root / "programs", root)
    data = load_feedback(feedback_inputs(read_config(root / "mkdocs.yml")), programs, root)
    assert any(5 in s.confidence.values() for s in data.submissions)
    assert any("identity columns dropped, never kept: Email Address" in n for n in data.notes)
