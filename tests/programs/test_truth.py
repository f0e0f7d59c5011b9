"""The truth test: the demo's program pages, built on fixed dates (before, during and after its
programs), make only claims the data bears out on that date.

Each claim is read from the built HTML and checked against the loaded programs: the next
session is one a reader can still attend; "one of N dates" counts the dates of the session's
cohort; objective states and badges match the review data on both pages; what is marked as over
(sessions, follow-ups, weeks, cohort ends) is over on the build date, and nothing else is; the
upcoming page lists exactly what is not over; each cohort's calendar holds exactly that cohort's
events. Demo content is checked against itself too (feedback comments against the changes that
cite them)."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from icalendar import Calendar

from lchc_gen.programs.cohorts import cohorts, next_occurrence
from lchc_gen.programs.load import load_programs
from lchc_gen.programs.model import ObjectiveState
from lchc_gen.programs.schedule import follow_ups
from tests.conftest import REPO, build_site, write

# Before every demo program; the day the demo was read (7 Dec 2026); during support onboarding
# and the first safety videos; after every program (and every follow-up).
DATES = ["2026-01-05", "2026-12-07", "2027-01-20", "2029-06-01"]


def _text(fragment: str) -> str:
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", fragment).split()))


def _element(html: str, ident: str) -> str:
    """The element with this id and everything up to its closing tag (no nesting of its own tag)."""
    m = re.search(rf'<(\w+)([^>]* id="{re.escape(ident)}"[^>]*)>(.*?)</\1>', html, re.S)
    assert m is not None, ident
    return m.group(0)


def _utc(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module", params=DATES)
def built(request, tmp_path_factory) -> tuple[dt.date, Path]:
    root = tmp_path_factory.mktemp(f"truth-{request.param}") / "project"
    write(root / "content" / "index.md", "# Home\n")
    shutil.copytree(REPO / "programs", root / "programs")
    config = {
        "site_name": "Truth", "site_url": "https://learning.example.org/", "docs_dir": "content", "site_dir": "site",
        "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
        "markdown_extensions": ["admonition", "attr_list", {"toc": {"permalink": True}}],
        "plugins": ["search", {"lchc": {"today": request.param}}],
    }
    write(root / "mkdocs.yml", yaml.safe_dump(config, sort_keys=False))
    return dt.date.fromisoformat(request.param), build_site(root, strict=False)


PROGRAMS = load_programs(REPO / "programs", REPO)


def test_the_next_session_is_one_a_reader_can_still_attend(built) -> None:
    today, site = built
    moment = dt.datetime.combine(today, dt.time(), dt.timezone.utc)
    for lp in PROGRAMS:
        html = (site / "programs" / lp.program.id / "index.html").read_text()
        slot = re.search(r'<p class="lchc-next" data-lchc-next>(.*?)</p>', html, re.S)
        assert slot is not None, lp.program.id
        expected = next_occurrence(lp.occurrences, moment)
        if expected is None:
            assert "All sessions are over" in slot.group(1), lp.program.id
            continue
        anchor = re.search(r'href="#([^"]+)"', slot.group(1)).group(1)
        shown = next(o for o in lp.occurrences if o.anchor == anchor)
        assert shown is expected and not shown.cancelled and shown.end > moment, (lp.program.id, anchor)
        assert not [o for o in lp.occurrences if not o.cancelled and moment < o.end and o.start < shown.start]


def test_date_counts_are_the_cohorts_own(built) -> None:
    _, site = built
    for lp in PROGRAMS:
        html = (site / "programs" / lp.program.id / "index.html").read_text()
        for s in lp.program.sessions:
            start = html.index(f'id="session-{s.id}"')
            block = _text(html[start:html.index('class="lchc-add"', start)])
            assert "Why then" in block  # the whole session block, nested elements and all
            said = re.search(r"attends one of the (\d+) dates", block)
            if s.one_of is None:
                assert said is None and "Once, on this date" not in block
                continue
            group = [o for o in lp.occurrences if o.session.one_of == s.one_of and not o.cancelled]
            mine = [o for o in group if o.session.cohort == s.cohort or None in (o.session.cohort, s.cohort)]
            if len(mine) > 1:
                assert said is not None and int(said.group(1)) == len(mine), (lp.program.id, s.id, block)
            else:
                assert said is None, (lp.program.id, s.id, block)
        facts = _text(re.search(r'<dl class="lchc-facts">(.*?)</dl>', html, re.S).group(1))
        for n in re.findall(r"one of (\d+) dates", facts):
            assert int(n) > 1, (lp.program.id, facts)  # "one of 1 dates" is no choice


def test_states_and_badges_match_the_review_data(built) -> None:
    _, site = built
    review = (site / "programs" / "review" / "index.html").read_text()
    counts = {state: 0 for state in ObjectiveState}
    for lp in PROGRAMS:
        html = (site / "programs" / lp.program.id / "index.html").read_text()
        for o in lp.program.objectives:
            counts[o.state] += 1
            item = _element(html, f"objective-{o.id}")
            assert ('class="lchc-provisional"' in item) is (not o.settled), o.id
            badges = re.findall(r'class="lchc-badge[^"]*lchc-state-([a-z-]+)"', item)
            assert badges == ([] if o.settled else [o.state.css]), (o.id, badges)
            # the review page names the same state, with the same badge
            entry = review[review.index(f"<code>{o.id}</code>"):]
            assert re.search(r'lchc-state-([a-z-]+)">([^<]+)<', entry).groups() == (o.state.css, o.state.value), o.id
    summary = _text(re.search(r'<ul class="lchc-summary-counts">(.*?)</ul>', review, re.S).group(1))
    for state, n in counts.items():
        assert f"{state.value} : {n}" in summary, (state, summary)


def test_past_marks_match_the_build_date(built) -> None:
    today, site = built
    for lp in PROGRAMS:
        zone = ZoneInfo(lp.program.timezone)
        html = (site / "programs" / lp.program.id / "index.html").read_text()
        marks = re.findall(r'<li id="([^"]+)"[^>]*class="([^"]*)"[^>]*data-lchc-end="([^"]+)"', html)
        marks += re.findall(r'<span id="([^"]+)"[^>]*class="([^"]*)"[^>]*data-lchc-end="([^"]+)"', html)
        assert marks, lp.program.id
        for ident, classes, end in marks:
            over = _utc(end).astimezone(zone).date() < today
            if "data-lchc-allday" in _element(html, ident):  # a whole day ends at midnight after it
                over = (_utc(end).astimezone(zone) - dt.timedelta(seconds=1)).date() < today
            assert ("lchc-past" in classes.split()) is over, (lp.program.id, ident, today)


def test_upcoming_lists_exactly_what_is_not_over(built) -> None:
    today, site = built
    page = (site / "programs" / "upcoming" / "index.html").read_text()
    listed = set(re.findall(r'<li id="([^"]+)"[^>]*data-lchc-start=', page))
    expected = set()
    for lp in PROGRAMS:
        expected |= {f"{lp.program.id}--{o.anchor}" for o in lp.occurrences if not o.cancelled and o.end.date() >= today}
        expected |= {f"{lp.program.id}--{f.dom_id}" for f in follow_ups(lp.program, lp.occurrences) if f.day >= today}
    assert listed == expected
    # "why then" once per series, not once per date
    for lp in PROGRAMS:
        for s in lp.program.sessions:
            shown = [o for o in lp.occurrences if o.session is s and not o.cancelled and o.end.date() >= today]
            why = " ".join(s.rationale.split())
            assert _text(page).count(why) <= len(lp.program.sessions), s.id  # the same text may serve several series
            if shown:
                start = page.index(f'id="{lp.program.id}--session-{s.id}"')
                block = page[start:page.index('<ul class="lchc-dates">', start)]
                assert why in _text(block), s.id


def test_operations_marks_past_weeks_and_cohort_ends(built) -> None:
    today, site = built
    moment = dt.datetime.combine(today, dt.time(), dt.timezone.utc)
    page = (site / "programs" / "operations" / "index.html").read_text()
    weeks = re.findall(r'<th scope="row" data-lchc-until="([^"]+)"( class="lchc-past")?>', page)
    ends = re.findall(r'<li data-lchc-until="([^"]+)"( class="lchc-past")?>', page)
    assert weeks and ends
    for until, past in weeks + ends:
        assert bool(past) is (_utc(until) <= moment), (until, today)
    assert page.count("(over)") == sum(1 for _, past in weeks + ends if past)


def test_each_cohort_calendar_holds_exactly_its_events(built) -> None:
    today, site = built
    for lp in PROGRAMS:
        groups = cohorts(lp)
        html = (site / "programs" / lp.program.id / "index.html").read_text()
        everything = Calendar.from_ical((site / "programs" / f"{lp.program.id}.ics").read_bytes())
        assert len(everything.walk("VEVENT")) == len(lp.occurrences) + len(follow_ups(lp.program, lp.occurrences))
        if len(groups) == 1:
            assert "data-lchc-calendars" not in html and "Add all sessions to your calendar" in html
            continue
        assert "Add all sessions to your calendar" not in html
        for c in groups:
            cal = Calendar.from_ical((site / "programs" / lp.program.id / "cohorts" / f"{c.key}.ics").read_bytes())
            uids = {str(e["UID"]) for e in cal.walk("VEVENT")}
            own = {o.uid for o in lp.occurrences if o.session.cohort in (c.name, None)}
            steps = {f.uid for f in follow_ups(lp.program, lp.occurrences) if f.anchor_id is None or f.anchor_id in {o.anchor for o in lp.occurrences if o.session.cohort in (c.name, None)}}
            assert uids == own | steps, (lp.program.id, c.key)
            item = _text(_element(html, f"calendar-{c.key}"))
            held = [o for o in lp.occurrences if o.session.cohort in (c.name, None) and not o.cancelled]
            assert f"({len(held) + len(steps)} event" in item, item
            assert ("(over)" in item) is all(o.end.date() < today or o.end <= dt.datetime.combine(today, dt.time(), dt.timezone.utc) for o in held)
        # the first calendar offered is the cohort a reader can still join, if any
        first = re.search(r'data-lchc-cohort="([^"]+)"', html).group(1)
        moment = dt.datetime.combine(today, dt.time(), dt.timezone.utc)
        open_ = [c for c in groups if c.next(moment)]
        if open_:
            assert first == min(open_, key=lambda c: c.next(moment).start).key


def test_session_titles_are_shown_exactly_in_heading_and_toc(make_site) -> None:
    """A colon, a bar or a tilde in a title was shown as "\\:": Python-Markdown prints a
    backslash before any character it does not escape. Titles are shown exactly, and Markdown
    or HTML in them stays text."""
    title = "Video: slips | trips ~~and~~ *falls* <b>now</b> [x](y) #1 ==mark== ^up^ :smile:"
    program = f"""\
id: t
title: "Program: one"
summary: S.
status: draft
owner: O
timezone: UTC
audience: {{description: D, why_this_group: W}}
objectives: [{{id: know-a, domain: know, text: A.}}]
sessions:
  - {{id: s, title: {title!r}, date: 2027-03-02, start: "09:00", duration: 30, rationale: R.}}
"""
    site = build_site(make_site({"t.yml": program.replace("'", '"')}, plugin={"today": "2027-01-01"}))
    html = (site / "programs" / "t" / "index.html").read_text()
    heading = re.search(r'<h3 id="video[^"]*">(.*?)</h3>', html, re.S).group(1)
    assert "<b>" not in heading and "<em>" not in heading and "<del>" not in heading and "<a " not in heading
    assert _text(heading) == title
    toc = re.findall(r'<a href="#video[^"]+" class="md-nav__link">\s*<span class="md-ellipsis">(.*?)</span>', html, re.S)
    assert toc and all(_text(t) == title for t in toc), toc
    h1 = re.search(r"<h1[^>]*>(.*?)<", html, re.S).group(1)
    assert _text(h1) == "Program: one"


def test_demo_feedback_says_what_the_changes_credit_it_with() -> None:
    """"You said, we did" names a run; that run's learners said it, and nobody of an online-only
    program writes about the hybrid room."""
    runs = {}
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text())
    for entry in config["plugins"][1]["lchc"]["feedback"]["files"]:
        rows = list(csv.reader((REPO / entry["path"]).open(encoding="utf-8")))
        runs[entry["run"]] = [(dict(zip(rows[0], r)).get("program", entry.get("program")), r[-1] if entry.get("format") else dict(zip(rows[0], r))["comment"]) for r in rows[1:]]
    cited = {  # the change (program, date) -> the run it names and what its learners said
        ("sales-discovery-calls", "2026-04-15"): ("Pilot, March 2026", "The Thursday session repeated too much of Tuesday."),
        ("sales-discovery-calls", "2026-07-10"): ("June 2026", "I would have liked the slides before the session."),
        ("leadership-development", "2026-05-05"): ("First half 2026", "The six-week check-in is easy to forget once the day-to-day takes over."),
        ("support-onboarding", "2026-07-01"): ("First half 2026", "The escalation rules were the hardest part to apply."),
    }
    by_id = {lp.program.id: lp.program for lp in PROGRAMS}
    for (pid, day), (run, comment) in cited.items():
        change = next(c for c in by_id[pid].changes if c.date.isoformat() == day)
        assert run.split(",")[0].lower().split()[0] in change.source.lower() or run.lower() in change.source.lower(), change.source
        assert (pid, comment) in runs[run], (pid, run, comment)
    # the pilot's complaint was fixed in April: the June learners no longer make it
    assert ("sales-discovery-calls", "The Thursday session repeated too much of Tuesday.") not in runs["June 2026"]
    for run, said in runs.items():
        for pid, comment in said:
            if "hybrid room" in comment:
                assert any(s.format == "hybrid" for s in by_id[pid].sessions), (run, pid)


def test_safety_videos_are_shown_to_both_shifts() -> None:
    """Two shifts at each centre: each video has a showing at each shift's huddle."""
    safety = next(lp for lp in PROGRAMS if lp.program.id == "safety-refresher")
    starts = {(s.cohort, s.start.strftime("%H:%M")) for s in safety.program.sessions}
    assert starts == {("First shift, at both centres", "06:45"), ("Second shift, at both centres", "15:00")}
    assert len(cohorts(safety)) == 2 and "each shift already attends" in safety.program.design_rationale


def test_time_needed_is_said_per_cohort_when_cohorts_differ(make_site) -> None:
    """A cohort with two sessions and one with one: no single "time needed" is true for both."""
    program = """\
id: c
title: Cohorts
summary: S.
status: draft
owner: O
timezone: Europe/Berlin
audience: {description: D, why_this_group: W}
objectives: [{id: know-a, domain: know, text: A.}]
sessions:
  - {id: a1, title: A one, date: 2027-03-02, start: "09:00", duration: 60, cohort: Team A, rationale: R.}
  - {id: a2, title: A two, date: 2027-03-09, start: "09:00", duration: 60, cohort: Team A, rationale: R.}
  - {id: b1, title: B one, date: 2027-03-03, start: "09:00", duration: 30, cohort: Team B, rationale: R.}
"""
    site = build_site(make_site({"c.yml": program}, plugin={"today": "2027-03-05"}))
    html = (site / "programs" / "c" / "index.html").read_text()
    facts = _text(re.search(r'<dl class="lchc-facts">(.*?)</dl>', html, re.S).group(1))
    assert "Team A: 2 sessions, 2 hours in all" in facts and "Team B: 1 session, 30 minutes in all" in facts
    # Team B's only session is over on 5 March: Team A's calendar comes first, Team B's says it is over
    assert re.findall(r'data-lchc-cohort="([^"]+)"', html) == ["team-a", "team-b"]
    assert "(over)" in _text(_element(html, "calendar-team-b")) and "(over)" not in _text(_element(html, "calendar-team-a"))
    index = _text((site / "programs" / "index.html").read_text())
    assert "Team A: 2 sessions, 2 hours in all; Team B: 1 session, 30 minutes in all" in index
