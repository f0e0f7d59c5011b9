"""Tool timestamps as each tool writes them, and a native file saved as XLSX."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from lchc_gen.project import read_config, survey_inputs
from lchc_gen.survey.load import load_survey
from lchc_gen.tabular.canonical import normalised, parse_timestamp
from lchc_gen.tabular.presets import PRESETS
from tests.tabular.exports import FIXTURES, project


@pytest.mark.parametrize(
    ("tool", "raw", "iso"),
    [
        ("google-forms", "2025/03/01 10:00:00 AM GMT+1", "2025-03-01T10:00:00+01:00"),
        ("google-forms", "2025/03/01 1:05:09 PM GMT-05:30", "2025-03-01T13:05:09-05:30"),
        ("google-forms", "3/1/2025 10:00:00", "2025-03-01T10:00:00"),  # a linked sheet's CSV, month first
        ("microsoft-forms", "3/1/2025 10:00:00 PM", "2025-03-01T22:00:00"),
        ("microsoft-forms", "3/1/25 22:00:00", "2025-03-01T22:00:00"),
        ("limesurvey", "2025-03-01 22:00:00", "2025-03-01T22:00:00"),
        ("qualtrics", "2025-03-01 22:00:00", "2025-03-01T22:00:00"),
        ("qualtrics", "2025-03-01T22:00:00Z", "2025-03-01T22:00:00+00:00"),  # ISO 8601 is always read
    ],
)
def test_tool_timestamps(tool: str, raw: str, iso: str) -> None:
    assert parse_timestamp(raw, PRESETS[tool]) == iso


def test_a_timestamp_in_another_tools_format_is_not_guessed() -> None:
    assert parse_timestamp("2025/03/01 10:00:00 AM GMT+1", PRESETS["limesurvey"]) is None
    assert parse_timestamp("yesterday", PRESETS["google-forms"]) is None


def test_normalised_ignores_case_spacing_and_punctuation() -> None:
    assert normalised("How often does your manager communicate the team\u2019s vision?") == normalised(
        "  how often does your MANAGER communicate the team's   vision"
    )


def test_a_native_file_saved_as_xlsx_scores_as_the_csv(tmp_path: Path) -> None:
    root = project(tmp_path / "p", survey_tools=["native"])
    book = Workbook()
    sheet = book.active
    sheet.title = "Responses"
    for line in (FIXTURES / "native.csv").read_text().splitlines():
        sheet.append([int(c) if c.isdigit() else (c or None) for c in line.split(",")])
    book.save(root / "native.xlsx")
    inputs = survey_inputs(read_config(root / "mkdocs.yml"))
    from_csv = load_survey(inputs, root).responses
    text = (root / "mkdocs.yml").read_text().replace("responses: native.csv", "responses: native.xlsx")
    (root / "mkdocs.yml").write_text(text)
    from_xlsx = load_survey(survey_inputs(read_config(root / "mkdocs.yml")), root).responses
    assert len(from_csv) == 11 * 12
    assert from_xlsx.equals(from_csv)
