"""Every occurrence is checked in every audience location's zone; one outside working hours
is a build warning unless the session says why. Zones are labelled so nobody misreads them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from mkdocs.exceptions import Abort

from lchc_gen.programs.load import load_programs
from lchc_gen.programs.timefmt import minutes_text, span, zone_label
from tests.conftest import REPO, build_site

PROGRAM = """\
id: two-sites
title: Two sites
summary: Used by the tests.
status: draft
owner: Tests
timezone: Europe/Dublin
audience:
  description: Agents in Dublin and Manila.
  why_this_group: They answer the same customers.
  locations:
    - {name: Dublin, timezone: Europe/Dublin, working_hours: "08:00-18:00"}
    - {name: Manila partner, timezone: Asia/Manila, working_hours: "09:00-18:00"}
objectives:
  - {id: know-a, domain: know, text: Know A.}
sessions:
  - id: buddy
    title: Buddy review
    weekdays: [TU]
    first_date: 2027-01-12
    count: 2
    start: "14:30"
    duration: 30
    rationale: After the lunch-time peak.
"""


def test_occurrence_outside_a_locations_working_hours_warns(make_site, caplog) -> None:
    root = make_site({"p.yml": PROGRAM})
    with pytest.raises(Abort):
        build_site(root, strict=True)
    assert (
        "programs/p.yml:16: sessions[0]: Tue 2027-01-12 22:30\u201323:00 Manila time (UTC+8) and 1 more is outside "
        "working hours at Manila partner (09:00-18:00, MO TU WE TH FR); move it, or say why in `outside_working_hours`"
    ) in caplog.text
    assert "at Dublin" not in caplog.text


def test_a_reason_silences_the_warning_and_is_shown(make_site, caplog) -> None:
    text = PROGRAM + "    outside_working_hours: Manila agents watch the recording the next morning.\n"
    site = build_site(make_site({"p.yml": text}), strict=True)
    html = (site / "programs" / "two-sites" / "index.html").read_text()
    assert "Manila agents watch the recording the next morning." in html
    assert "22:30\u201323:00 Manila time (UTC+8)" in html


def test_weekend_and_early_sessions_warn_too(tmp_path) -> None:
    from lchc_gen.programs.checks import program_warnings

    (tmp_path / "programs").mkdir()
    text = PROGRAM.replace("weekdays: [TU]", "weekdays: [SA]").replace("first_date: 2027-01-12", "first_date: 2027-01-16")
    text = text.replace('start: "14:30"', 'start: "07:00"').replace("Asia/Manila", "Europe/Dublin")
    (tmp_path / "programs" / "p.yml").write_text(text)
    shown = [str(w) for w in program_warnings(load_programs(tmp_path / "programs", tmp_path), dt.date(2027, 1, 1))]
    assert len(shown) == 2 and all("outside working hours" in w for w in shown), shown


def test_zone_labels_name_the_city_and_offset() -> None:
    manila = ZoneInfo("Asia/Manila")
    start = dt.datetime(2027, 1, 11, 16, 0, tzinfo=manila)
    assert span(start, start + dt.timedelta(minutes=90), "Asia/Manila") == "16:00\u201317:30 Manila time (UTC+8)"
    assert zone_label(dt.datetime(2027, 1, 11, tzinfo=ZoneInfo("Europe/Dublin")), "Europe/Dublin") == "Dublin time (UTC+0)"
    assert zone_label(dt.datetime(2027, 1, 11, tzinfo=ZoneInfo("Asia/Kolkata")), "Asia/Kolkata") == "Kolkata time (UTC+5:30)"
    assert zone_label(dt.datetime(2027, 7, 1, tzinfo=ZoneInfo("America/Chicago")), "America/Chicago") == "Chicago time (UTC-5)"
    assert minutes_text(20) == "20 minutes" and minutes_text(90) == "1 hour 30 minutes" and minutes_text(180) == "3 hours"


def test_demo_keeps_its_promise_that_nobody_trains_at_night(demo_site) -> None:
    onboarding = next(lp for lp in load_programs(REPO / "programs", REPO) if lp.program.id == "support-onboarding")
    assert {loc.timezone for loc in onboarding.program.audience.locations} == {"Europe/Dublin", "Asia/Manila"}
    manila = ZoneInfo("Asia/Manila")
    for occ in onboarding.occurrences:
        s, e = occ.start.astimezone(manila), occ.end.astimezone(manila)
        assert dt.time(9) <= s.time() and e.time() <= dt.time(18) and s.date() == e.date(), occ.uid
    html = (demo_site / "programs" / "support-onboarding" / "index.html").read_text()
    assert "16:00\u201318:00 Manila time (UTC+8)" in html
    assert "PST" not in html and "22:30" not in html


def test_follow_ups_are_checked_too_timed_and_whole_day(tmp_path) -> None:
    from lchc_gen.programs.checks import program_warnings

    (tmp_path / "programs").mkdir()
    manila = '    - {name: Manila partner, timezone: Asia/Manila, working_hours: "09:00-18:00"}\n'
    text = PROGRAM.replace('start: "14:30"', 'start: "09:30"').replace(manila, "") + """\
reinforcement:
  - {id: prompt, title: Prompt, after: {session: buddy, each: false}, offsets: [4d], start: "09:00", duration: 5, purpose: Recall.}
  - {id: quiz, title: Quiz, after: {session: buddy, each: false}, offsets: [5d], purpose: Recall.}
  - {id: ok, title: Weekend reading, after: {session: buddy, each: false}, offsets: [5d], purpose: Optional.,
     outside_working_hours: Optional reading for the weekend.}
"""
    (tmp_path / "programs" / "p.yml").write_text(text)
    shown = [str(w) for w in program_warnings(load_programs(tmp_path / "programs", tmp_path), dt.date(2027, 1, 1))]
    # the last session is Tue 19 Jan: +4 days is a Saturday, +5 days a Sunday
    assert shown == [
        "programs/p.yml:24: reinforcement[0]: Sat 2027-01-23 09:00\u201309:05 Dublin time (UTC+0) is outside working hours "
        "at Dublin (08:00-18:00, MO TU WE TH FR); move it, or say why in `outside_working_hours`",
        "programs/p.yml:25: reinforcement[1]: Sun 2027-01-24 is outside working hours at Dublin (08:00-18:00, MO TU WE TH FR); "
        "move it, or say why in `outside_working_hours`",
    ]
