"""The agenda by series, attendance groups (cohorts), per-session calendars, reinforcement
sequences, and monthly and yearly series; every calendar read by an independent parser."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from lchc_gen.problems import InputError
from lchc_gen.programs.load import load_programs
from tests.conftest import build_site, write

HEAD = """\
id: p
title: Program P
summary: Used by the tests.
status: draft
owner: Tests
timezone: Europe/Berlin
audience: {description: Managers, why_this_group: They got a report.}
objectives:
  - {id: know-a, domain: know, text: Read the report.}
  - {id: do-b, domain: do, text: Try one behaviour for six weeks.}
"""

COHORTS = HEAD + """\
sessions:
  - {id: jan, title: After the H2 reports, date: 2027-01-19, start: "10:00", duration: 90, one_of: reflection,
     cohort: Managers with a 2026-H2 report, rationale: A week after the reports.}
  - {id: jul, title: After the H1 reports, date: 2027-07-13, start: "10:00", duration: 90, one_of: reflection,
     cohort: Managers with a 2027-H1 report, rationale: A week after the reports.}
  - {id: intro, title: Intro video, date: 2027-01-12, start: "09:00", duration: 20, rationale: Before the first cohort.}
reinforcement:
  - id: nudges
    title: Experiment nudges
    after: {one_of: reflection}
    offsets: [2d, 1w, 6w]
    objectives: [do-b]
    purpose: Spaced reminders of the chosen behaviour.
"""


def test_cohort_time_needed_is_per_learner_and_with_whom_names_the_cohort(make_site) -> None:
    site = build_site(make_site({"p.yml": COHORTS}))
    html = (site / "programs" / "p" / "index.html").read_text()
    # 20 minutes + the one 90-minute session of the reader's cohort, not 3 h 20 min; and no
    # "one of 2 dates" under a cohort that has one date
    assert "<dt>Time needed</dt><dd>2 sessions, 1 hour 50 minutes in all per person</dd>" in html
    assert "<dt>Who attends</dt><dd>Managers with a 2026-H2 report</dd>" in html
    assert "one of the 2 dates" not in html and "one of 2 dates" not in html
    assert html.count("Once, on this date: the other date is for another cohort.") == 2


def test_short_programs_say_minutes_not_fractions_of_hours(make_site) -> None:
    sessions = "sessions:\n" + "".join(
        f'  - {{id: v{i}, title: Video {i}, date: 2027-0{i}-03, start: "06:45", duration: 5, rationale: Huddle.}}\n'
        for i in range(1, 5)
    )
    site = build_site(make_site({"p.yml": HEAD + sessions}))
    assert "<dd>4 sessions, 20 minutes in all</dd>" in (site / "programs" / "p" / "index.html").read_text()


def test_spaced_reinforcement_for_every_cohort_is_in_the_calendar_with_its_objectives(make_site) -> None:
    site = build_site(make_site({"p.yml": COHORTS}))
    cal = Calendar.from_ical((site / "programs" / "p.ics").read_bytes())
    follow = sorted((e for e in cal.walk("VEVENT") if "follow-up" in str(e["UID"])), key=lambda e: e.decoded("dtstart"))
    # three steps after EACH cohort's session: the January cohort gets its six-week check too
    assert [e.decoded("dtstart") for e in follow] == [
        dt.date(2027, 1, 21), dt.date(2027, 1, 26), dt.date(2027, 3, 2),
        dt.date(2027, 7, 15), dt.date(2027, 7, 20), dt.date(2027, 8, 24),
    ]
    assert all("Reinforces: Try one behaviour for six weeks." in str(e["DESCRIPTION"]) for e in follow)
    assert all(e["CATEGORIES"].cats == ["do-b"] for e in follow)
    assert len({str(e["UID"]) for e in follow}) == 6
    assert "6 weeks after After the H2 reports, Tue 19 Jan 2027" in str(follow[2]["DESCRIPTION"])
    # ... on the program page and the upcoming page too
    page = (site / "programs" / "p" / "index.html").read_text()
    assert 'id="follow-up-nudges-jan-2027-01-19-d42"' in page and "+6 weeks" in page
    upcoming = (site / "programs" / "upcoming" / "index.html").read_text()
    assert upcoming.count(">Experiment nudges</a>") == 1  # once, with its six dates
    assert upcoming.count('id="p--follow-up-nudges-') == 6


def test_reinforcement_after_an_lchc_cycle_and_bad_references(tmp_path: Path) -> None:
    text = COHORTS + """\
  - title: Read your report
    after: {lchc_cycle: 2027-H1, released: 2027-07-06}
    offsets: [0d]
    objectives: [know-zzz]
    purpose: The day the reports come out.
  - title: Wrong
    after: {session: nope}
    offsets: [1w]
    purpose: Unknown session.
"""
    write(tmp_path / "programs" / "p.yml", text)
    with pytest.raises(InputError) as exc:
        load_programs(tmp_path / "programs", tmp_path)
    shown = [str(p) for p in exc.value.problems]
    assert shown == [
        "programs/p.yml:27: reinforcement[1].objectives[0]: unknown objective 'know-zzz'",
        "programs/p.yml:30: reinforcement[2].after.session: unknown session 'nope'",
    ]
    write(tmp_path / "programs" / "p.yml", text.replace("[know-zzz]", "[know-a]").split("  - title: Wrong")[0])
    from lchc_gen.programs.schedule import follow_ups

    lp = load_programs(tmp_path / "programs", tmp_path)[0]
    cycle = [f for f in follow_ups(lp.program, lp.occurrences) if f.reinforcement.title == "Read your report"]
    assert [(f.day, f.anchor_label) for f in cycle] == [(dt.date(2027, 7, 6), "the release of the 2027-H1 LCHC reports")]


SERIES = HEAD + """\
sessions:
  - id: practice
    title: Practice
    weekdays: [TU]
    first_date: 2027-10-12
    count: 4
    start: "09:00"
    duration: 60
    format: online
    join_url: https://meet.example.com/practice
    facilitators: [coach]
    objectives: [know-a]
    rationale: Before the call blocks.
    overrides:
      - {date: 2027-11-02, start: "11:00", rationale: The all-hands takes the morning.}
    extra:
      - {date: 2027-11-04, rationale: Makes up for the shortened week.}
facilitators:
  - {id: coach, name: Tom Becker, role: Senior account executive (peer coach)}
"""


def test_agenda_shows_each_series_once_with_its_dates_and_changes(make_site) -> None:
    site = build_site(make_site({"p.yml": SERIES}))
    html = (site / "programs" / "p" / "index.html").read_text()
    body = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    assert "Tuesdays, 09:00\u201310:00 Berlin time, 12 Oct to 2 Nov 2027, 5 times" in body
    assert body.count("https://meet.example.com/practice") == 2  # href and text, once for the series
    assert body.count("Before the call blocks.") == 1
    for day in ("2027-10-12", "2027-10-19", "2027-10-26", "2027-11-02"):
        assert f'id="practice-{day}"' in body
    assert 'id="practice-2027-11-04-extra"' in body
    assert "The all-hands takes the morning." in body and "Makes up for the shortened week." in body
    assert '<strong class="lchc-flag">Extra:</strong>' in body
    assert "Tom Becker, Senior account executive (peer coach)" in body and "(peer coach))" not in body
    # a list of the objectives it serves, no "each.;"; a draft objective marked provisional
    assert '<li><a href="#objective-know-a">Read the report.</a> <span class="lchc-badge lchc-provisional-badge lchc-state-draft">Provisional</span></li>' in body
    # a calendar for this session alone, beside the page, and every event links back to it
    assert 'href="practice.ics" download' in body
    own = Calendar.from_ical((site / "programs" / "p" / "practice.ics").read_bytes())
    urls = [str(e["URL"]) for e in own.walk("VEVENT")]
    assert urls[0] == "https://learning.example.org/programs/p/#practice-2027-10-12" and len(urls) == 5
    assert all(f"Details: {u}" in str(e["DESCRIPTION"]) for u, e in zip(urls, own.walk("VEVENT")))


def test_first_date_that_is_not_one_of_the_weekdays_warns(tmp_path: Path) -> None:
    from lchc_gen.programs.checks import program_warnings

    write(tmp_path / "programs" / "p.yml", SERIES.replace("weekdays: [TU]", "weekdays: [WE]").replace("    overrides:\n      - {date: 2027-11-02, start: \"11:00\", rationale: The all-hands takes the morning.}\n", ""))
    shown = [str(w) for w in program_warnings(load_programs(tmp_path / "programs", tmp_path), dt.date(2027, 1, 1))]
    assert shown == ["programs/p.yml:15: sessions[0].first_date: 2027-10-12 is a Tuesday, not one of the weekdays (WE): the series starts on Wed 2027-10-13"]


@pytest.mark.parametrize(
    "rule, first, expected_days, utc_hours",
    [
        # the first Tuesday of each month, across the last Sunday of March (28 March 2027)
        ("frequency: monthly\n    weekdays: [TU]\n    week_of_month: 1", "2027-02-02",
         ["2027-02-02", "2027-03-02", "2027-04-06", "2027-05-04"], [8, 8, 7, 7]),
        # the 30th of March every year: summer time in 2027-2029, winter time in 2030 (the change is on the 31st)
        ("frequency: yearly", "2027-03-30", ["2027-03-30", "2028-03-30", "2029-03-30", "2030-03-30"], [7, 7, 7, 8]),
    ],
)
def test_monthly_and_yearly_series_keep_their_local_time_across_dst(make_site, rule, first, expected_days, utc_hours) -> None:
    text = HEAD + f"""\
sessions:
  - id: refresher
    title: Refresher
    {rule}
    first_date: {first}
    count: 4
    start: "09:00"
    duration: 30
    rationale: Start of the month.
"""
    site = build_site(make_site({"p.yml": text}))
    events = Calendar.from_ical((site / "programs" / "p.ics").read_bytes()).walk("VEVENT")
    starts = [e.decoded("dtstart") for e in events]
    assert [s.date().isoformat() for s in starts] == expected_days
    berlin = ZoneInfo("Europe/Berlin")
    assert all(s.astimezone(berlin).time() == dt.time(9) for s in starts)
    assert [s.astimezone(dt.timezone.utc).hour for s in starts] == utc_hours


def test_an_independent_parser_reads_every_demo_calendar(demo_site: Path) -> None:
    """The `ical` package parses RFC 5545 itself (it does not use icalendar)."""
    files = sorted((demo_site / "programs").rglob("*.ics"))
    assert len(files) >= 4 + 12
    for f in files:
        cal = IcsCalendarStream.calendar_from_ics(f.read_text(encoding="utf-8"))
        ours = Calendar.from_ical(f.read_bytes()).walk("VEVENT")
        assert len(cal.events) == len(ours) > 0, f.name
        assert {e.uid for e in cal.events} == {str(e["UID"]) for e in ours}, f.name
        assert all(e.url and e.url.startswith("https://learning.example.org/programs/") for e in cal.events), f.name


def test_ids_that_would_share_a_calendar_uid_are_errors(tmp_path: Path) -> None:
    text = SERIES.replace(
        "      - {date: 2027-11-04, rationale: Makes up for the shortened week.}\n",
        "      - {date: 2027-11-04, rationale: Makes up for the shortened week.}\n"
        '      - {date: 2027-11-04, start: "14:00", rationale: And again.}\n',
    ) + """\
reinforcement:
  - {title: Check-in, offset_days: 7, purpose: One.}
  - {title: check in, offset_days: 14, purpose: Two.}
"""
    write(tmp_path / "programs" / "p.yml", text)
    with pytest.raises(InputError) as exc:
        load_programs(tmp_path / "programs", tmp_path)
    assert [str(p) for p in exc.value.problems] == [
        "programs/p.yml:28: sessions[0].extra[1].date: a second extra occurrence on 2027-11-04",
        "programs/p.yml:33: reinforcement[1]: another reinforcement has the id 'check-in' (from its id or title): give each an `id`",
    ]


def test_jsonld_schedule_says_monthly(make_site) -> None:
    import json

    text = HEAD + """\
sessions:
  - {id: m, title: Monthly, frequency: monthly, first_date: 2027-02-15, count: 3, start: "09:00", duration: 30, rationale: Mid-month.}
"""
    html = (build_site(make_site({"p.yml": text})) / "programs" / "p" / "index.html").read_text()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    schedule = json.loads(block)["hasCourseInstance"][0]["courseSchedule"]
    assert schedule["repeatFrequency"] == "P1M" and schedule["byMonthDay"] == 15 and "byDay" not in schedule
    assert "Monthly on the 15th, 09:00\u201309:30 Berlin time, 15 Feb to 15 Apr 2027, 3 times" in html


def test_new_fields_are_escaped(make_site) -> None:
    evil = "<script>alert(1)</script>"
    text = HEAD.replace("timezone: Europe/Berlin\n", f"""timezone: Europe/Berlin
design_rationale: "{evil}"
what_to_expect: "<img src=x onerror=alert(2)>"
prework: ["<b>bold</b>"]
""").replace("why_this_group: They got a report.}", f"""why_this_group: They got a report.,
  locations: [{{name: "<i>site</i>", timezone: Asia/Manila, working_hours: "00:00-24:00", working_days: [MO, TU, WE, TH, FR, SA, SU]}}]}}""") + f"""\
sessions:
  - id: s
    title: "<iframe>\\"x"
    date: 2027-03-02
    start: "09:00"
    duration: 30
    cohort: "<u>cohort</u>"
    one_of: g
    outside_working_hours: "<em>late</em>"
    rationale: R.
reinforcement:
  - {{title: "<svg onload=alert(3)>", after: {{one_of: g}}, offsets: [1d], purpose: "<marquee>"}}
"""
    site = build_site(make_site({"p.yml": text}))
    for page in (site / "programs" / "p" / "index.html", site / "programs" / "upcoming" / "index.html"):
        html = page.read_text()
        for raw in ("<script>alert", "<img src=x", "<b>bold", "<i>site", "<iframe>", "<u>cohort", "<em>late", "<svg onload", "<marquee>"):
            assert raw not in html, (page.name, raw)
    html = (site / "programs" / "p" / "index.html").read_text()
    assert "&lt;u&gt;cohort&lt;/u&gt;" in html and 'data-lchc-title="&lt;iframe&gt;&#34;x"' in html


def test_monthly_first_date_that_is_not_the_nth_weekday_warns(tmp_path: Path) -> None:
    from lchc_gen.programs.checks import program_warnings

    text = HEAD + """\
sessions:
  - {id: m, title: Monthly, frequency: monthly, weekdays: [MO], week_of_month: 1, first_date: 2027-02-02, count: 2,
     start: "09:00", duration: 30, rationale: First Monday.}
"""
    write(tmp_path / "programs" / "p.yml", text)
    shown = [str(w) for w in program_warnings(load_programs(tmp_path / "programs", tmp_path), dt.date(2027, 1, 1))]
    assert shown == [
        "programs/p.yml:12: sessions[0].first_date: 2027-02-02 is a Tuesday, not the first Monday of its month: "
        "the series starts on Mon 2027-03-01"
    ]
