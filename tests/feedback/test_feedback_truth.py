"""Feedback that would make a page untrue is a warning naming file and row (a --strict build
fails on it): answers dated before the session they are about, and more people answering about a
session than attended it. The demo's own files raise none."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from lchc_gen.cli import main
from lchc_gen.survey.demo import generate
from tests.conftest import build_site, write
from tests.reports.test_reports import SURVEY

ROWS = "program,session,respondent,submitted_at,nps\n"


def _site(make_site, rows: str, link: bool = False) -> Path:
    feedback = {"files": [{"path": "fb.csv", "run": "First half 2026", "closes": "2026-05-05"}]}
    plugin: dict = {"feedback": feedback}
    if link:
        plugin["survey"] = SURVEY
        feedback["lchc_link"] = {"program": "leadership-development", "attendance": "att.csv",
                                 "cycle_dates": {"2026-H1": "2026-03-16", "2026-H2": "2026-09-21"}}
    root = make_site(copy_demo=True, plugin=plugin)
    if link:
        generate(root / "survey", teams=12, cycles=2, seed=3)
    write(root / "fb.csv", ROWS + rows)
    return root


def _validate_strict(root: Path) -> int:
    before = Path.cwd()
    os.chdir(root)
    try:
        return main(["validate", "--strict", "--today", "2027-01-01"])
    finally:
        os.chdir(before)


def test_answers_dated_before_their_session_are_a_warning_with_file_and_row(make_site, caplog, capsys) -> None:
    # The 2026-H1 session is on 14 April 2026, 10:00 Berlin (08:00 UTC).
    early = "".join(f"leadership-development,reflection-2026-h1,r{i},2026-03-2{i}T10:00:00Z,9\n" for i in range(1, 4))
    root = _site(make_site, "leadership-development,reflection-2026-h1,r0,2026-04-14T12:00:00Z,8\n" + early)
    with pytest.raises(Abort):
        build_site(root, strict=True)
    assert ("fb.csv:3:submitted_at: dated 2026-03-21 10:00 UTC, before the session it is about "
            "(reflection-2026-h1, Tue 14 Apr 2026 10:00); so are 2 more rows of this run") in caplog.text
    assert not (root / "site").exists()
    # validate says so too (the same loading as the build), and fails with --strict
    capsys.readouterr()
    assert _validate_strict(root) == 1
    assert "warning: fb.csv:3:submitted_at: dated 2026-03-21 10:00 UTC, before the session" in capsys.readouterr().err


def test_more_people_than_attended_is_a_warning(make_site, caplog, capsys) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    rows = "".join(f"leadership-development,reflection-2026-h1,r{i},2026-04-15T10:00:00Z,9\n" for i in range(3))
    root = _site(make_site, rows, link=True)
    write(root / "att.csv", "person,session\np00001,reflection-2026-h1\np00002,reflection-2026-h1\n")
    with pytest.raises(Abort):
        build_site(root, strict=True)
    assert "fb.csv:2:respondent: 3 people answered about reflection-2026-h1, but the attendance file lists 2 who attended it" in caplog.text
    capsys.readouterr()
    assert _validate_strict(root) == 1  # validate reads the attendance file as the build does
    assert "warning: fb.csv:2:respondent: 3 people answered about reflection-2026-h1" in capsys.readouterr().err


def test_answers_after_their_session_and_files_of_earlier_runs_raise_nothing(make_site) -> None:
    # A file of an earlier run that names no session is taken as it is.
    rows = "leadership-development,reflection-2026-h1,r1,2026-04-14T12:00:00Z,9\nsupport-onboarding,,r2,2026-03-01T10:00:00Z,7\n"
    build_site(_site(make_site, rows), strict=True)


def test_the_demo_feedback_builds_strict_without_a_warning(tmp_path: Path) -> None:
    from tests.conftest import make_demo_project

    import csv

    from tests.conftest import REPO

    # The demo's Leadership Development answers say which session they are about, so the checks
    # above apply to them: 9 of the 11 who attended the 14 April session, after it.
    rows = [r for r in csv.DictReader((REPO / "feedback" / "2026-H1-all-programs.csv").open()) if r["program"] == "leadership-development"]
    attended = [r for r in csv.DictReader((REPO / "feedback" / "leadership-attendance.csv").open()) if r["session"] == "reflection-2026-h1"]
    assert rows and all(r["session"] == "reflection-2026-h1" for r in rows)
    assert all(r["submitted_at"] >= "2026-04-14T09:30" for r in rows)
    assert len({r["respondent"] for r in rows}) <= len(attended)
    site = build_site(make_demo_project(tmp_path / "demo"), strict=True)
    assert (site / "index.html").exists()
