"""Reinforcement coverage: an objective met once and never again warns (--strict fails) at the
objective's line; later sessions, follow-ups and the view on the program page."""

from __future__ import annotations

import datetime as dt

import pytest
from mkdocs.exceptions import Abort

from lchc_gen.programs.checks import program_warnings
from lchc_gen.programs.coverage import coverage, mechanisms
from lchc_gen.programs.load import load_programs
from tests.conftest import build_site

PROGRAM = """\
id: once
title: Once only
summary: Used by the tests.
status: draft
owner: Tests
timezone: Europe/Berlin
audience:
  description: Everyone.
  why_this_group: They all need it.
objectives:
  - {id: know-a, domain: know, text: Know A.}
  - id: do-b
    domain: do
    text: Do B.
sessions:
  - id: kick-off
    title: Kick-off
    date: 2027-03-02
    start: "10:00"
    duration: 60
    objectives: [know-a, do-b]
    rationale: Tuesday morning is quiet.
  - id: practice
    title: Practice
    date: 2027-03-09
    start: "10:00"
    duration: 60
    objectives: [know-a]
    rationale: A week later, to practise.
"""

NUDGE = """\
reinforcement:
  - id: nudge
    title: Try B this week
    purpose: A reminder to do B once.
    format: e-mail from your manager
    after: {session: kick-off}
    offsets: [2d]
    objectives: [do-b]
"""


def _load(tmp_path, text):
    (tmp_path / "programs").mkdir(exist_ok=True)
    (tmp_path / "programs" / "p.yml").write_text(text)
    return load_programs(tmp_path / "programs", tmp_path)


def test_an_objective_met_once_warns_at_its_line(tmp_path) -> None:
    shown = [str(w) for w in program_warnings(_load(tmp_path, PROGRAM), dt.date(2027, 1, 1))]
    assert shown == [
        "programs/p.yml:12: objectives[1]: objective 'do-b' is served by no session and no follow-up after its first "
        "session (Kick-off, Tue 2027-03-02): people forget what they meet once; list it in a later session's or a "
        "reinforcement's `objectives`"
    ]


def test_strict_build_fails_with_file_and_line(make_site, caplog) -> None:
    with pytest.raises(Abort):
        build_site(make_site({"p.yml": PROGRAM}), strict=True)
    assert "programs/p.yml:12: objectives[1]: objective 'do-b' is served by no session" in caplog.text


def test_a_follow_up_after_the_first_session_reinforces(make_site, tmp_path) -> None:
    assert not [w for w in program_warnings(_load(tmp_path, PROGRAM + NUDGE), dt.date(2027, 1, 1)) if "served by no" in str(w)]
    site = build_site(make_site({"p.yml": PROGRAM + NUDGE}), strict=True)
    html = (site / "programs" / "once" / "index.html").read_text()
    assert "How each objective comes back" in html
    # Do B: the kick-off, then the nudge two days later; Know A: kick-off, then practice.
    section = html.split("How each objective comes back", 1)[1]
    assert section.index("Do B.") < section.index("Try B this week")
    assert "comes back 1 time after the first session" in section


def test_a_fixed_date_follow_up_before_the_first_session_does_not_count(tmp_path) -> None:
    early = NUDGE.replace("after: {session: kick-off}\n    offsets: [2d]", "date: 2027-02-20")
    shown = [str(w) for w in program_warnings(_load(tmp_path, PROGRAM + early), dt.date(2027, 1, 1))]
    assert any("'do-b' is served by no session" in w for w in shown)


def test_another_cohorts_date_of_the_same_group_is_not_a_repeat(tmp_path) -> None:
    text = PROGRAM.replace("    objectives: [know-a]\n", "    objectives: [know-a, do-b]\n")
    grouped = text.replace("    rationale: Tuesday morning is quiet.\n", "    rationale: Tuesday morning is quiet.\n    one_of: intro\n")
    grouped = grouped.replace("    rationale: A week later, to practise.\n", "    rationale: A week later, to practise.\n    one_of: intro\n")
    assert not [w for w in program_warnings(_load(tmp_path, text), dt.date(2027, 1, 1)) if "served by no" in str(w)]
    shown = [str(w) for w in program_warnings(_load(tmp_path, grouped), dt.date(2027, 1, 1))]
    assert len([w for w in shown if "served by no" in w]) == 2, shown


def test_per_cohort_a_cohort_left_without_repeat_is_named(tmp_path) -> None:
    text = PROGRAM.replace("    rationale: Tuesday morning is quiet.\n", "    rationale: Tuesday morning is quiet.\n    cohort: Early shift\n")
    text = text.replace("    rationale: A week later, to practise.\n", "    rationale: A week later, to practise.\n    cohort: Late shift\n")
    text = text.replace("objectives: [know-a]\n", "objectives: [know-a, do-b]\n")
    shown = [str(w) for w in program_warnings(_load(tmp_path, text), dt.date(2027, 1, 1))]
    # Each shift meets both objectives once: both cohorts named, at both objectives' lines.
    assert [w.split(":")[1] for w in shown if "served by no" in w] == ["11", "12"], shown
    assert "for 2 of 2 cohorts ('Early shift', 'Late shift'" in shown[0]


def test_mechanisms_over_time(tmp_path) -> None:
    cov = {c.objective.id: c for c in coverage(_load(tmp_path, PROGRAM + NUDGE)[0])}
    rows = mechanisms(cov["do-b"])
    assert [(r.kind, r.title, r.days) for r in rows] == [
        ("session", "Kick-off", (dt.date(2027, 3, 2),)),
        ("follow-up", "Try B this week", (dt.date(2027, 3, 4),)),
    ]
    assert cov["know-a"].fewest_again == 1 and cov["do-b"].fewest_again == 1


def test_the_admin_view_lists_each_objectives_mechanisms(tmp_path) -> None:
    from lchc_gen.feedback.private import admin_view
    from lchc_gen.render import make_env

    programs = _load(tmp_path, PROGRAM)
    page = admin_view(programs, None, None, None, frozenset({"admin"}), make_env(), dt.date(2027, 1, 1), lambda pid: f"{pid}/")
    section = page.html.split("What brings each objective back", 1)[1].split("<h2>", 1)[0]
    assert "Do B.: <strong>nothing brings it back after the first session</strong>" in section
    assert "Know A.: <strong>comes back 1 time after the first session</strong>" in section
    assert "Session (in person): Practice, 9 Mar 2027" in section
