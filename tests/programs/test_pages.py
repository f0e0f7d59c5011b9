"""Generated pages: every session's rationale beside its date and time; everything escaped."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from mkdocs.livereload import LiveReloadServer
from mkdocs.config import load_config

from lchc_gen.programs.load import load_programs
from lchc_gen.programs.timefmt import span
from tests.conftest import REPO, build_site


def _by_id(html: str, ident: str) -> str:
    """The text of the element with this id (up to its closing tag), tags removed."""
    m = re.search(rf'<(\w+)[^>]* id="{re.escape(ident)}"[^>]*>(.*?)</\1>', html, re.S)
    assert m is not None, ident
    return " ".join(re.sub(r"<[^>]+>", "", m.group(2)).split())


def test_every_demo_session_is_listed_once_with_its_rationale_and_every_occurrence_has_an_anchor(demo_site: Path) -> None:
    programs = load_programs(REPO / "programs", REPO)
    assert len(programs) >= 4
    for lp in programs:
        html = (demo_site / "programs" / lp.program.id / "index.html").read_text()
        text = unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))
        for s in lp.program.sessions:
            assert html.count(f'id="session-{s.id}"') == 1, (lp.program.id, s.id)
            assert " ".join(s.rationale.split()) in text, (lp.program.id, s.id)
        for occ in lp.occurrences:
            assert html.count(f'id="{occ.anchor}"') == 1, occ.uid
            label = f"{occ.start:%a} {occ.start.day} {occ.start:%b}"
            shown = unescape(_by_id(html, occ.anchor))
            assert shown.startswith(label if not occ.cancelled else f"{occ.original_date:%a} {occ.original_date.day}"), (shown, label)
            if occ.rationale != occ.session.rationale:  # a change, called out with its own reason
                assert " ".join(occ.rationale.split()) in text, occ.uid


def test_demo_shows_review_states_stale_approval_and_a_dst_crossing(demo_site: Path) -> None:
    review = (demo_site / "programs" / "review" / "index.html").read_text()
    assert review.count("Stale approval: the text changed after it was approved") == 1
    assert "lchc-state-in-review" in review and "lchc-state-changes-requested" in review
    sales = (demo_site / "programs" / "sales-discovery-calls" / "index.html").read_text()
    # The same local 15:00 on both sides of the October change; its UTC time moves.
    assert "Thursdays, 15:00\u201316:00 Berlin time, 14 Oct to 4 Nov 2027, 4 times" in sales
    assert 'data-lchc-start="2027-10-14T13:00:00Z"' in sales and '<time datetime="2027-10-14T15:00:00+02:00">' in sales
    assert 'data-lchc-start="2027-11-04T14:00:00Z"' in sales and '<time datetime="2027-11-04T15:00:00+01:00">' in sales
    upcoming = (demo_site / "programs" / "upcoming" / "index.html").read_text()
    assert "Better discovery calls" in upcoming


def test_program_page_carries_course_jsonld_and_calendar_link(demo_site: Path) -> None:
    html = (demo_site / "programs" / "sales-discovery-calls" / "index.html").read_text()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["@type"] == "Course" and data["name"] == "Better discovery calls"
    instances = data["hasCourseInstance"]
    assert instances[0]["@type"] == "CourseInstance"
    assert instances[0]["courseSchedule"]["byDay"] == ["https://schema.org/Tuesday"]
    assert instances[0]["courseSchedule"]["scheduleTimezone"] == "Europe/Berlin"
    assert 'href="../sales-discovery-calls.ics"' in html
    assert (demo_site / "programs" / "sales-discovery-calls.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


HOSTILE = """\
id: hostile
title: "<script>alert('t')</script> *bold* [x](javascript:alert(1))"
summary: "</p><img src=x onerror=alert(1)>"
status: draft
owner: "<b>owner</b>"
timezone: UTC
audience: {description: "<i>all</i>", why_this_group: "</script><script>alert(2)</script>"}
objectives:
  - {id: know-a, domain: know, text: "<svg onload=alert(3)>"}
sessions:
  - {id: s, title: "<iframe>", date: 2027-03-02, start: "09:00", duration: 30, rationale: "<style>body{display:none}</style>"}
"""


def test_program_text_is_escaped_everywhere(make_site) -> None:
    site = build_site(make_site({"hostile.yml": HOSTILE}))
    html = (site / "programs" / "hostile" / "index.html").read_text()
    for raw in ("<script>alert", "<img src=x", "<svg onload", "<iframe>", "<style>body", "<b>owner</b>", 'href="javascript:'):
        assert raw not in html, raw
    assert "&lt;svg onload=alert(3)&gt;" in html
    assert "<script>alert" not in (site / "programs" / "index.html").read_text()
    # the JSON-LD block cannot be closed early by data
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(block)["audience"]["audienceType"] == "<i>all</i>"


def test_a_summary_cannot_add_attributes_to_the_description_meta(make_site) -> None:
    """The summary lands in <meta name="description" content="...">: a quote in it must not end the
    attribute (this one made every visitor's browser leave for another site)."""
    from html.parser import HTMLParser

    text = HOSTILE.replace('summary: "</p><img src=x onerror=alert(1)>"', 'summary: "0;url=https://evil.example/ \\" http-equiv=\\"refresh"')
    site = build_site(make_site({"hostile.yml": text}))
    metas: list[dict[str, str | None]] = []

    class Metas(HTMLParser):
        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            if tag == "meta":
                metas.append(dict(attrs))

    Metas().feed((site / "programs" / "hostile" / "index.html").read_text())
    assert not [m for m in metas if "http-equiv" in m and m["http-equiv"].lower() == "refresh"]
    description = next(m for m in metas if m.get("name") == "description")
    assert description == {"name": "description", "content": '0;url=https://evil.example/ " http-equiv="refresh'}


def test_serve_watches_program_files(make_site) -> None:
    root = make_site(copy_demo=True)
    cfg = load_config(str(root / "mkdocs.yml"))
    cfg.plugins.on_startup(command="serve", dirty=False)
    cfg = cfg.plugins.on_config(cfg)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(root / "site"))
    cfg.plugins.on_serve(server, config=cfg, builder=lambda: None)
    watched = {Path(p).resolve() for p in server._watched_paths}
    cfg.plugins.on_shutdown()
    assert (root / "programs").resolve() in watched


def test_demo_contradictions_are_gone(demo_site: Path) -> None:
    from icalendar import Calendar

    sales = re.sub(r"<script.*?</script>", "", (demo_site / "programs" / "sales-discovery-calls" / "index.html").read_text())
    # one join link, facilitator list and rationale per series, not per occurrence
    assert sales.count('href="https://meet.example.com/sales-discovery"') == 2
    assert sales.count("Tom Becker, Senior account executive (peer coach)") == 1
    assert "Moved:</strong>" in sales and "Why the program is shaped this way" in sales
    leadership = (demo_site / "programs" / "leadership-development" / "index.html").read_text()
    # each manager comes once, to their own cohort's date: "one of 3 dates" was untrue
    assert "1 session, 1 hour 30 minutes in all per person</dd>" in leadership and "one of 3 dates" not in leadership
    # the January cohort gets its six-week check-in too
    cal = Calendar.from_ical((demo_site / "programs" / "leadership-development.ics").read_bytes())
    checks = sorted(e.decoded("dtstart") for e in cal.walk("VEVENT") if "six-week-check-in" in str(e["UID"]))
    assert [d.isoformat() for d in checks] == ["2026-05-26", "2026-11-24", "2027-08-24"]
    safety = (demo_site / "programs" / "safety-refresher" / "index.html").read_text()
    assert " h in all" not in safety and "minutes in all" in safety
    assert "Level 3, behaviour: what they do differently at work" in safety
    for page in ("support-onboarding", "leadership-development"):
        html = (demo_site / "programs" / page / "index.html").read_text()
        assert "Some objectives are not agreed yet" in html and "lchc-status-in-review" in html
