"""The manager's brief per program and cohort: sessions in the manager's zone, objectives in
their agreed wording (provisional ones marked), the manager's steps with their own calendar,
one-to-one questions and the observation checklist; nothing the program file does not say."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import yaml
from icalendar import Calendar

from lchc_gen.programs.model import text_hash
from tests.conftest import build_site

APPROVED = text_hash("Ask two open questions before giving advice.")

PROGRAM = f"""\
id: coaching
title: Coaching basics
summary: Two short sessions on asking before telling.
status: in review
owner: Ana Ruiz
timezone: Europe/Madrid
audience:
  description: Team leads in Madrid and Manila.
  why_this_group: Their teams asked for more questions and less advice.
  locations:
    - {{name: Madrid office, timezone: Europe/Madrid, working_hours: "08:00-19:00"}}
    - {{name: Manila hub, timezone: Asia/Manila, working_hours: "08:00-19:00"}}
objectives:
  - id: do-ask
    domain: do
    text: Ask two open questions before giving advice.
    review: {{state: approved, reviewer: sam-lee, date: 2026-12-01, approved_text_hash: "{APPROVED}"}}
    one_to_one: ["Which question did you ask first, and what did you hear?"]
    observe: ["Asks an open question before giving advice, in a one-to-one."]
  - id: know-grow
    domain: know
    text: Name the four steps of the GROW model.
    review: {{state: approved, reviewer: sam-lee, date: 2026-12-01, approved_text_hash: "sha256:0000000000000000"}}
  - id: believe-listen
    domain: believe
    text: Listening first saves time later.
stakeholders:
  - {{id: sam-lee, name: Sam Lee, role: Head of Service}}
sessions:
  - id: early
    title: Questions first (early)
    date: 2027-03-02
    start: "10:00"
    duration: 60
    cohort: Early group
    objectives: [do-ask, know-grow, believe-listen]
    rationale: Tuesday mid-morning, after the stand-up.
  - id: late
    title: Questions first (late)
    date: 2027-03-09
    start: "10:00"
    duration: 60
    cohort: Late group
    objectives: [do-ask, know-grow, believe-listen]
    rationale: A week later for the second half of the leads.
reinforcement:
  - id: practice
    title: Practice in your one-to-ones
    after: {{session: early}}
    offsets: [3d, 2w]
    objectives: [do-ask, know-grow, believe-listen]
    purpose: Use the questions in real one-to-ones.
    manager: "Sit in on one one-to-one; note the questions, then talk it through; keep it short, kind."
  - id: practice-late
    title: Practice in your one-to-ones (late)
    after: {{session: late}}
    offsets: [3d, 2w]
    objectives: [do-ask, know-grow, believe-listen]
    purpose: Use the questions in real one-to-ones.
  - id: quiz
    title: GROW quiz
    after: {{session: early}}
    offsets: [1w]
    objectives: [know-grow]
    purpose: Recall the four steps.
"""


def _text(path: Path) -> str:
    page = path.read_text()
    article = page[page.index("<article"):page.index("</article>")]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", article)))


def _site(make_site) -> Path:
    return build_site(make_site({"p.yml": PROGRAM}), strict=True)


def test_one_brief_per_cohort_and_zone_with_times_in_that_zone(make_site) -> None:
    site = _site(make_site)
    folder = site / "programs" / "coaching" / "brief"
    assert sorted(p.name for p in folder.iterdir()) == [
        "early-group--madrid", "early-group--madrid.ics", "early-group--manila", "early-group--manila.ics",
        "late-group--madrid", "late-group--manila",  # no step for the late group's managers: no calendar
    ]
    manila = _text(folder / "early-group--manila" / "index.html")
    assert "Tue 2 Mar 2027, 17:00\u201318:00 Manila time (UTC+8)" in manila
    assert "Questions first (late)" not in manila  # the other cohort's session
    madrid = _text(folder / "early-group--madrid" / "index.html")
    assert "Tue 2 Mar 2027, 10:00\u201311:00 Madrid time (UTC+1)" in madrid
    program = (site / "programs" / "coaching" / "index.html").read_text()
    assert 'href="brief/early-group--manila/"' in program or "brief/early-group--manila/" in program


def test_objectives_in_approved_wording_and_provisional_marked(make_site) -> None:
    text = _text(_site(make_site) / "programs" / "coaching" / "brief" / "early-group--madrid" / "index.html")
    ask = text.index("Ask two open questions before giving advice.")
    assert "Provisional" not in text[ask:ask + 60]
    # The stale hash (text changed after approval) and the draft are both provisional.
    assert "Name the four steps of the GROW model. Provisional: approval stale" in text
    assert "Listening first saves time later. Provisional: draft" in text


def test_manager_steps_questions_and_checklist(make_site) -> None:
    folder = _site(make_site) / "programs" / "coaching" / "brief"
    text = _text(folder / "early-group--madrid" / "index.html")
    steps = text[text.index("What you do, and when"):text.index("Questions for your one-to-ones")]
    assert "Fri 5 Mar 2027" in steps and "Tue 16 Mar 2027" in steps
    assert "GROW quiz" not in steps  # no step for the manager
    assert "Which question did you ask first, and what did you hear?" in text
    checklist = text[text.index("Observation checklist"):]
    assert "Asks an open question before giving advice, in a one-to-one." in checklist
    assert "GROW model" not in checklist  # a "know" objective has no behaviour to observe
    late = _text(folder / "late-group--madrid" / "index.html")
    assert "The program file names no step for managers." in late


def test_calendar_holds_the_managers_steps_escaped(make_site) -> None:
    folder = _site(make_site) / "programs" / "coaching" / "brief"
    raw = (folder / "early-group--manila.ics").read_bytes()
    assert b"one-to-one\\; note the questions\\, then" in raw.replace(b"\r\n ", b"")  # RFC 5545 TEXT escaping
    cal = Calendar.from_ical(raw)
    events = [c for c in cal.walk("VEVENT")]
    assert [e.decoded("dtstart") for e in events] == [dt.date(2027, 3, 5), dt.date(2027, 3, 16)]
    assert str(events[0]["description"]).startswith(
        "What you do: Sit in on one one-to-one; note the questions, then talk it through; keep it short, kind.\n\nWhy: "
    )
    assert len({str(e["uid"]) for e in events}) == 2
    late = (folder / "late-group--madrid" / "index.html").read_text()
    assert "late-group--madrid.ics" not in late and not (folder / "late-group--madrid.ics").exists()


def _strings(data) -> list[str]:  # type: ignore[no-untyped-def]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return [str(data)]


def test_the_brief_says_nothing_the_program_file_does_not(make_site) -> None:
    """Every word of the brief is the program file's, the template's own labels, or a date or time."""
    site = _site(make_site)
    template = (Path(__file__).resolve().parents[2] / "templates" / "brief.md.j2").read_text()
    labels = re.sub(r"\{[{%#].*?[}%#]\}", " ", template, flags=re.S)
    allowed = set(re.findall(r"[a-z]+", labels.lower()))
    allowed |= {"know", "believe", "do", "draft", "in", "review", "approval", "stale", "the", "text", "changed", "after", "it", "was",
                "approved", "changes", "requested", "online", "in", "person", "hybrid", "video", "minutes", "hour", "hours", "time",
                "utc", "days", "day", "week", "weeks", "manila", "madrid", "brief", "manager", "s"}
    allowed |= {m.lower() for m in ("Mon Tue Wed Thu Fri Sat Sun Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec").split()}
    data = yaml.safe_load(PROGRAM)
    for page in sorted((site / "programs" / "coaching" / "brief").glob("*/index.html")):
        text = _text(page)
        for s in sorted(set(_strings(data)), key=len, reverse=True):
            if len(s) > 3:
                text = text.replace(s, " ")
        extra = {w for w in re.findall(r"[a-z]+", text.lower()) if w not in allowed}
        assert not extra, f"{page.parent.name}: words from neither the program file nor the template: {sorted(extra)}"


def test_program_pages_render_without_feedback_data(tmp_path) -> None:
    """Pages made without the loop (lchc-gen render, tests) still render every new section's absence."""
    from lchc_gen.programs.load import load_programs
    from lchc_gen.programs.pages import PageOptions, build_program_files
    from lchc_gen.render import make_env

    (tmp_path / "programs").mkdir()
    (tmp_path / "programs" / "p.yml").write_text(PROGRAM)
    files = {g.path: g for g in build_program_files(load_programs(tmp_path / "programs", tmp_path), make_env(), PageOptions())}
    page = files["programs/coaching.md"].content
    assert "Manager's brief: Early group, times in Madrid time" in page and "Who has not been reached yet" not in page
