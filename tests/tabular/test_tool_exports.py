"""Each survey tool's export of the same answers gives the same numbers as the native file."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from lchc_gen.cli import main
from tests.tabular.exports import TOOLS, project


def _run(capsys, root: Path, *args: str) -> tuple[str, str]:
    before = Path.cwd()
    os.chdir(root)
    try:
        rc = main(list(args))
    finally:
        os.chdir(before)
    out, err = capsys.readouterr()
    assert rc == 0, err
    return out, err


def _scores(capsys, tmp_path: Path, tool: str) -> tuple[str, str]:
    root = project(tmp_path / tool, survey_tools=[tool])
    out, err = _run(capsys, root, "scores", "--cycle", f"2026-{tool}", "--format", "csv")
    return out.replace(f"2026-{tool}", "CYCLE"), err


@pytest.mark.parametrize("tool", [t for t in TOOLS if t != "native"])
def test_survey_export_scores_as_the_native_file(capsys, tmp_path: Path, tool: str) -> None:
    native, _ = _scores(capsys, tmp_path, "native")
    assert native.count("\nCYCLE,") == 3 and ",shown," in native  # two teams shown, one suppressed
    theirs, notes = _scores(capsys, tmp_path, tool)
    assert theirs == native
    if tool != "limesurvey":  # LimeSurvey's default export names no person
        assert "identity columns dropped, never kept" in notes


@pytest.mark.parametrize("tool", [t for t in TOOLS if t != "native"])
def test_feedback_export_numbers_as_the_native_file(capsys, tmp_path: Path, tool: str) -> None:
    native, _ = _run(capsys, project(tmp_path / "native", feedback_tools=["native"]), "feedback", "--format", "csv")
    assert "sales-discovery-calls,native,nps,11,45," in native
    theirs, _ = _run(capsys, project(tmp_path / tool, feedback_tools=[tool]), "feedback", "--format", "csv")
    assert theirs == native.replace(",native,", f",{tool},")


def test_google_timestamps_decide_which_duplicate_is_kept(tmp_path: Path) -> None:
    """"2026/03/02 09:05:11 AM GMT+1" is read with its offset: a later resubmission wins even
    when it comes first in the file."""
    from lchc_gen.survey.load import load_survey
    from lchc_gen.project import read_config, survey_inputs

    root = project(tmp_path / "p", survey_tools=["google-forms"])
    path = root / "google-forms.csv"
    rows = list(csv.reader(io.StringIO(path.read_text())))
    again = [*rows[1]]
    assert again[0] == "2026/03/02 09:05:11 AM GMT+1"  # 08:05 UTC
    again[0] = "2026/03/02 08:30:00 AM GMT-1"  # 09:30 UTC: later, though earlier in the file
    again[5] = "Never"  # q01
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([rows[0], again, *rows[1:]])
    data = load_survey(survey_inputs(read_config(root / "mkdocs.yml")), root)
    kept = data.responses[(data.responses.respondent == "LC-4711") & (data.responses.question == "q01")]
    assert list(kept.value) == [1.0]
    assert any("dropped 1 duplicate submission" in n and "row 3" in n for n in data.notes)
