"""Program pages say only what is true: objectives that are not agreed are marked provisional,
and a status the dates contradict, or a review dated after the build, is a build warning."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from mkdocs.exceptions import Abort

from lchc_gen.cli import main
from lchc_gen.programs.checks import program_warnings
from lchc_gen.programs.load import load_programs
from tests.conftest import REPO, build_site

PROGRAM = """\
id: honest
title: Honest program
summary: Used by the tests.
status: approved
owner: Tests
timezone: Europe/Berlin
audience: {description: Testers, why_this_group: They asked.}
stakeholders:
  - {id: sam, name: Sam Stake, role: Sponsor}
objectives:
  - id: know-a
    domain: know
    text: Know A.
    review: {state: approved, reviewer: sam, date: 2026-12-01, approved_text_hash: "HASH"}
  - id: do-b
    domain: do
    text: Do B.
    review: {state: changes requested, reviewer: sam, date: 2026-12-02}
sessions:
  - {id: s, title: Session, date: 2027-03-02, start: "09:00", duration: 30, rationale: Quiet morning.}
"""


def _program(**replace: str) -> str:
    from lchc_gen.programs.model import text_hash

    text = PROGRAM.replace("HASH", text_hash("Know A."))
    for old, new in replace.items():
        text = text.replace(old.replace("_", " "), new)
    return text


def test_provisional_objective_is_marked_on_the_learner_page_and_strict_fails(make_site, caplog) -> None:
    root = make_site({"honest.yml": _program()})
    with pytest.raises(Abort):
        build_site(root, strict=True)
    assert (
        "programs/honest.yml:18: objectives[1].review.state: objective 'do-b' is 'changes requested' "
        "but the program is 'approved'" in caplog.text
    )
    site = build_site(root, strict=False)
    html = (site / "programs" / "honest" / "index.html").read_text()
    assert '<li id="objective-do-b" class="lchc-provisional">Do B. <span class="lchc-badge lchc-provisional-badge lchc-state-changes-requested">Provisional: changes requested</span></li>' in html
    assert '<li id="objective-know-a">Know A.</li>' in html
    assert "Some objectives are not agreed yet" in html


def test_stale_approval_is_provisional_too(make_site, caplog) -> None:
    text = _program().replace("text: Know A.", "text: Know A and more.").replace("status: approved", "status: in review")
    site = build_site(make_site({"honest.yml": text}), strict=False)
    html = (site / "programs" / "honest" / "index.html").read_text()
    assert "Provisional: approval stale: the text changed after it was approved" in html
    # "in review" promises nothing: no warning about the objectives
    assert "objectives[0].review.state" not in caplog.text


def test_settled_objectives_build_strict_without_a_warning(make_site, caplog) -> None:
    from lchc_gen.programs.model import text_hash

    text = _program().replace(
        "review: {state: changes requested, reviewer: sam, date: 2026-12-02}",
        f'review: {{state: approved, reviewer: sam, date: 2026-12-02, approved_text_hash: "{text_hash("Do B.")}"}}',
    )
    caplog.set_level(logging.WARNING)
    site = build_site(make_site({"honest.yml": text}), strict=True)
    assert "Provisional" not in (site / "programs" / "honest" / "index.html").read_text()
    assert "lchc:" not in caplog.text


@pytest.mark.parametrize(
    "status, today, expected",
    [
        ("running", "2027-01-01", "status: the program is 'running' but its first session is on 2027-03-02 (build date 2027-01-01)"),
        ("finished", "2027-03-01", "status: the program is 'finished' but its last session is on 2027-03-02 (build date 2027-03-01)"),
        ("approved", "2026-11-30", "objectives[0].review.date: review date 2026-12-01 is after the build date 2026-11-30"),
    ],
)
def test_status_and_review_dates_against_the_build_date(tmp_path, status, today, expected) -> None:
    (tmp_path / "programs").mkdir()
    text = _program().replace("status: approved", f"status: {status}").replace(
        "review: {state: changes requested, reviewer: sam, date: 2026-12-02}", "review: {state: draft}"
    )
    (tmp_path / "programs" / "p.yml").write_text(text)
    programs = load_programs(tmp_path / "programs", tmp_path)
    shown = [str(w) for w in program_warnings(programs, dt.date.fromisoformat(today))]
    assert any(expected in w for w in shown), shown
    later = [str(w) for w in program_warnings(programs, dt.date(2027, 3, 10))]
    assert not any("status:" in w or "review.date" in w for w in later), later


def test_the_demo_programs_have_no_warning_today(demo_keys, monkeypatch, capsys) -> None:
    assert program_warnings(load_programs(REPO / "programs", REPO), dt.date.today()) == []
    monkeypatch.chdir(REPO)
    assert main(["validate", "--strict"]) == 0
    assert "no problems" in capsys.readouterr().out
