"""Exports as the tools really write them (fixtures modelled on files from public repositories):
quizzes, Qualtrics' legacy layout, LimeSurvey's "code. text" headings, localised and anonymised
exports, question codes, repeated headings and incomplete responses. Each gives the native
file's numbers, and every row of the file is accounted for in the build log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lchc_gen import limits
from lchc_gen.project import read_config, survey_inputs
from lchc_gen.survey.load import load_survey, response_targets
from lchc_gen.survey.model import Questionnaire
from lchc_gen.tabular import read_grid, to_canonical
from tests.tabular.exports import FIXTURES, LAYOUTS, SURVEY, project
from tests.tabular.test_tool_exports import _run, _scores

# What each file holds: data rows, incomplete responses among them, real timestamps, respondents.
COUNTS = {
    "microsoft-forms-quiz": (11, 0, 11, 11),
    "qualtrics-legacy": (12, 1, 11, 11),
    "limesurvey-code-text": (13, 2, 11, 11),
    "limesurvey-de": (12, 1, 11, 11),
    "limesurvey-fr": (12, 1, 11, 11),
    "limesurvey-es": (12, 1, 11, 11),
    "limesurvey-anonymised": (11, 0, 0, 11),
    "limesurvey-abbreviated": (11, 0, 11, 11),
    "limesurvey-codes": (11, 0, 11, 11),
    "google-forms-repeated": (11, 0, 11, 11),
}


def _canonical(layout: str, drop: str | None = None):
    """The layout's file matched to the questionnaire, optionally without the column `drop`."""
    import yaml

    questionnaire = Questionnaire.model_validate(yaml.safe_load((FIXTURES / "lchc.yml").read_text()))
    config = SURVEY[layout]
    problems: list = []
    grid = read_grid(FIXTURES / config["responses"], config["responses"], problems, None, limits.RESPONSES)
    assert grid is not None and not problems
    if drop is not None:
        at = grid.rows[0][1].index(drop)
        grid.rows = [(n, cells[:at] + cells[at + 1:]) for n, cells in grid.rows]
    columns = dict(config.get("columns", {}))
    roles = config.get("roles", {})
    return to_canonical(grid, config["format"], response_targets(questionnaire), columns,
                        {"role": roles, "team": {"Support EMEA": "support-emea", "Support APAC": "support-apac"}},
                        questionnaire.looks_like_question, config.get("codes"), "skip"), grid


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_each_layout_scores_as_the_native_file(capsys, tmp_path: Path, layout: str) -> None:
    native, _ = _scores(capsys, tmp_path, "native")
    theirs, notes = _scores(capsys, tmp_path, layout)
    assert theirs == native, notes


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_row_is_read_or_skipped_with_its_reason(layout: str) -> None:
    rows, incomplete, stamps, respondents = COUNTS[layout]
    table, grid = _canonical(layout)
    assert table.problems == [] and table.columns_ok
    header_rows = len(grid.rows) - rows
    assert header_rows in (1, 2)  # the file holds exactly `rows` data rows below its headings
    used = rows - incomplete
    assert len(table.rows) == used
    said = next(n for n in table.notes if " data row" in n)
    assert said.startswith(f"{grid.shown}: {rows} data rows read, {used} used"), said
    if incomplete:
        m = re.search(r"(\d+) incomplete responses? skipped \(rows? ([\d, ]+);", said)
        assert m and int(m.group(1)) == incomplete and len(m.group(2).split(", ")) == incomplete
    else:
        assert "skipped" not in said
    stamp_cells = [cells[table.header.index("submitted_at")] for _, cells in table.rows] if "submitted_at" in table.header else []
    assert sum(1 for s in stamp_cells if s) == stamps
    assert len({cells[table.header.index("respondent")] for _, cells in table.rows}) == respondents


def test_quiz_columns_are_ignored_with_a_note(capsys, tmp_path: Path) -> None:
    """Points and feedback columns beside each scored question used to be taken for a second
    answer to the question (feedback) or a reworded question (survey)."""
    table, _ = _canonical("microsoft-forms-quiz")
    quiz = next(n for n in table.notes if "quiz columns" in n)
    assert quiz.count("Points - ") == 12 and quiz.count("Feedback - ") == 12
    assert any("identity columns dropped, never kept: Email, Name" in n for n in table.notes)


def test_a_quiz_feedback_file_gives_the_native_numbers(capsys, tmp_path: Path) -> None:
    native, _ = _run(capsys, project(tmp_path / "native", feedback_tools=["native"]), "feedback", "--format", "csv")
    root = project(tmp_path / "quiz", feedback_tools=["microsoft-forms-quiz"])
    quiz, _ = _run(capsys, root, "feedback", "--format", "csv")
    assert quiz == native.replace(",native,", ",microsoft-forms-quiz,")
    from lchc_gen.feedback.load import load_feedback
    from lchc_gen.programs.load import load_programs
    from lchc_gen.project import feedback_inputs

    data = load_feedback(feedback_inputs(read_config(root / "mkdocs.yml")), load_programs(root / "programs", root), root)
    assert any("quiz columns (points and feedback per question) ignored: Points - How likely" in n for n in data.notes)


def test_qualtrics_legacy_keeps_its_first_response_and_drops_identity() -> None:
    table, _ = _canonical("qualtrics-legacy")
    assert table.rows[0][0] == 3  # the first response, on line 3 below the two header rows
    dropped = next(n for n in table.notes if "identity columns dropped" in n)
    for name in ("V3 (Name)", "V4 (ExternalDataReference)", "V5 (EmailAddress)", "V6 (IPAddress)", "LocationLatitude"):
        assert name in dropped, dropped
    kept = " ".join(" ".join(cells) for _, cells in table.rows)
    assert "example.org" not in kept and "203.0.113" not in kept and "Keller" not in kept


@pytest.mark.parametrize("heading", ["EmailAddress", "IPAddress", "Name", "ExternalDataReference"])
def test_qualtrics_identity_columns_cannot_be_mapped_to_respondent(tmp_path: Path, heading: str) -> None:
    from lchc_gen.problems import InputError

    root = project(tmp_path, survey_tools=["qualtrics-legacy"])
    text = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(text.replace("format: qualtrics", f"format: qualtrics\n        columns: {{respondent: {heading}}}"))
    with pytest.raises(InputError) as caught:
        load_survey(survey_inputs(read_config(root / "mkdocs.yml")), root)
    assert any("an identity column cannot be mapped" in str(p) for p in caught.value.problems)


def test_limesurvey_code_text_headings_find_id_date_and_identity() -> None:
    table, _ = _canonical("limesurvey-code-text", drop="respondent. Respondent")
    assert table.headings["respondent"] == "id. Response ID"
    assert table.headings["submitted_at"] == "submitdate. Date submitted"
    dropped = next(n for n in table.notes if "identity columns dropped" in n)
    assert "token. Access code" in dropped and "ipaddr. IP address" in dropped
    # q13 is a free-text question the questionnaire does not have: a note, not a refusal
    assert any("question codes not in the questionnaire ignored" in n and "q13. Anything else" in n for n in table.notes)


@pytest.mark.parametrize("layout,stamp,rid", [
    ("limesurvey-de", "Datum Abgeschickt", "Antwort ID"),
    ("limesurvey-fr", "Date de soumission", "ID de la réponse"),
    ("limesurvey-es", "Fecha de envío", "ID de respuesta"),
])
def test_localised_limesurvey_exports_find_their_own_columns(layout: str, stamp: str, rid: str) -> None:
    table, _ = _canonical(layout, drop="Respondent")
    assert table.headings["submitted_at"] == stamp and table.headings["respondent"] == rid
    first = table.rows[0][1][table.header.index("submitted_at")]
    assert first.startswith("2026-03-02T08:05")


def test_anonymised_stamps_are_no_time_with_a_note() -> None:
    table, _ = _canonical("limesurvey-anonymised")
    assert all(cells[table.header.index("submitted_at")] == "" for _, cells in table.rows)
    assert any("11 timestamps are the placeholder an anonymised LimeSurvey survey writes" in n for n in table.notes)


def test_incomplete_responses_can_be_kept(tmp_path: Path) -> None:
    """`incomplete: keep` reads them like the others: here their empty team is a problem."""
    from lchc_gen.problems import InputError

    root = project(tmp_path, survey_tools=["limesurvey-de"])
    text = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(text.replace("format: limesurvey", "format: limesurvey\n        incomplete: keep"))
    data = load_survey(survey_inputs(read_config(root / "mkdocs.yml")), root)
    assert "LC-5001" in set(data.responses.respondent)
    assert any("12 data rows read, 12 used" in n for n in data.notes)


def test_submitted_at_can_be_mapped_with_columns(tmp_path: Path) -> None:
    root = project(tmp_path, survey_tools=["limesurvey"])
    path = root / "limesurvey.csv"
    path.write_text(path.read_text().replace('"Date submitted"', '"Eingereicht am"', 1))
    text = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(text.replace("format: limesurvey", "format: limesurvey\n        columns: {submitted_at: Eingereicht am}"))
    data = load_survey(survey_inputs(read_config(root / "mkdocs.yml")), root)
    assert not any("no LimeSurvey timestamp column" in n for n in data.notes)


def test_a_missing_timestamp_column_is_a_warning(tmp_path: Path) -> None:
    root = project(tmp_path, survey_tools=["limesurvey"])
    path = root / "limesurvey.csv"
    path.write_text(path.read_text().replace('"Date submitted"', '"Eingereicht am"', 1))
    data = load_survey(survey_inputs(read_config(root / "mkdocs.yml")), root)
    assert any("warning: no LimeSurvey timestamp column" in n for n in data.notes)


def test_repeated_headings_are_named_by_position_and_can_be_picked(tmp_path: Path) -> None:
    import csv
    import io

    root = project(tmp_path, survey_tools=["google-forms-repeated"])
    path = root / "google-forms-repeated.csv"
    rows = list(csv.reader(io.StringIO(path.read_text())))
    rows[1][17] = "Support APAC"  # a member also answered the managers' team question (column R)
    with path.open("w", newline="") as f:
        csv.writer(f).writerows(rows)
    from lchc_gen.problems import InputError

    with pytest.raises(InputError) as caught:
        load_survey(survey_inputs(read_config(root / "mkdocs.yml")), root)
    message = [str(p) for p in caught.value.problems]
    assert any("'Which team are you in?' (column R), also in 'Which team are you in?' (column D)" in m for m in message), message
    # naming the column by its letter reads that one only
    text = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(text.replace("team: Which team are you in?", "team: {column: D}"))
    from lchc_gen.tabular.model import ColumnAt

    config = read_config(root / "mkdocs.yml")
    cycle = survey_inputs(config).cycles[0]
    assert cycle.columns["team"] == ColumnAt(column="D") and cycle.columns["team"].position == 3
    with pytest.raises(InputError) as caught:
        load_survey(survey_inputs(config), root)
    assert all("column R" not in str(p) for p in caught.value.problems)  # R is ignored now: only D is read


def test_a_german_google_form_finds_its_timestamp_and_drops_the_email() -> None:
    from lchc_gen.tabular.read import Grid

    q = "How often does your manager communicate the team's vision?"
    grid = Grid("g.csv", [(1, ["Zeitstempel", "E-Mail-Adresse", q]), (2, ["02.03.2026 09:05:11", "a@example.org", "Often"])])
    from lchc_gen.tabular.presets import Target

    table = to_canonical(grid, "google-forms", [Target("submitted_at"), Target("q01", (q,), question=True)])
    assert [dict(zip(table.header, cells)) for _, cells in table.rows] == [{"submitted_at": "2026-03-02T09:05:11", "q01": "Often"}]
    assert "g.csv: identity columns dropped, never kept: E-Mail-Adresse" in table.notes


def test_abbreviated_limesurvey_headings_stand_for_their_question() -> None:
    table, _ = _canonical("limesurvey-abbreviated")
    assert table.headings["q01"] == "How often does ... team's vision?"
    assert sum(1 for name in table.header if name.startswith("q")) == 12


def test_identity_values_of_the_real_layouts_reach_no_page(tmp_path: Path) -> None:
    """Names, emails, IP addresses and access codes of the legacy Qualtrics, "code. text"
    LimeSurvey and quiz files appear nowhere in a site whose reports are plain pages."""
    import csv
    import io

    from tests.conftest import build_site

    values: set[str] = set()
    legacy = list(csv.reader(io.StringIO((FIXTURES / "qualtrics-legacy.csv").read_text())))
    for pos in (2, 4, 5):  # Name, EmailAddress, IPAddress (named on the second header row)
        values |= {r[pos] for r in legacy[2:] if r[pos] and r[pos] != "Anonymous"}
    lime = list(csv.reader(io.StringIO((FIXTURES / "limesurvey-code-text.csv").read_text())))
    for pos in (5, 8):  # token. Access code, ipaddr. IP address
        values |= {r[pos] for r in lime[1:] if r[pos]}
    values -= {"Ben Ochoa", "Chen Li"}  # managers: the organisation file names them, and so do their reports
    assert "Maria Keller" in values and "tk70311" in values and "198.51.100.20" in values
    layouts = ["qualtrics-legacy", "limesurvey-code-text", "microsoft-forms-quiz"]
    root = project(tmp_path / "p", survey_tools=layouts, reports_plaintext_preview=True)
    site = build_site(root, strict=False)
    words = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.@])(?:{words})(?![\w@])")
    pages = [f for f in site.rglob("*") if f.is_file()]
    assert len(pages) > 20
    for f in pages:
        hit = pattern.search(f.read_bytes().decode("utf-8", "replace"))
        assert hit is None, f"{f.relative_to(site)} holds {hit.group(0)!r}"
    assert "Support EMEA" in "".join(p.read_text(errors="replace") for p in site.rglob("*.html"))
