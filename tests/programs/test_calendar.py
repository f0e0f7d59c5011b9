"""Calendars: local times survive daylight-saving changes; UIDs are stable across builds and edits."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.conftest import build_site

BERLIN_WEEKLY = """\
id: dst-check
title: DST check
summary: A weekly 09:00 series across the October change.
status: draft
owner: Tests
timezone: Europe/Berlin
audience: {description: Testers, why_this_group: They asked.}
objectives:
  - {id: know-a, domain: know, text: Know A.}
sessions:
  - id: weekly
    title: Weekly
    weekdays: [WE]
    first_date: 2027-10-13
    count: 4
    start: "09:00"
    duration: 60
    rationale: Before the day gets busy.
"""


def _events(ics: bytes) -> list:
    return [c for c in Calendar.from_ical(ics).walk("VEVENT")]


def test_weekly_0900_berlin_stays_0900_local_across_october_dst(make_site) -> None:
    site = build_site(make_site({"dst.yml": BERLIN_WEEKLY}))
    events = _events((site / "programs" / "dst-check.ics").read_bytes())

    starts = [e.decoded("dtstart") for e in events]
    # 2027-10-31 is the last Sunday of October: 13th and 27th are CEST, 3 and 10 November CET.
    assert [s.date() for s in starts] == [dt.date(2027, 10, 13), dt.date(2027, 10, 20), dt.date(2027, 10, 27), dt.date(2027, 11, 3)]
    assert all(s.tzinfo is not None and (s.hour, s.minute) == (9, 0) for s in starts)
    berlin = ZoneInfo("Europe/Berlin")
    assert [s.astimezone(berlin).utcoffset() for s in starts] == [dt.timedelta(hours=2)] * 3 + [dt.timedelta(hours=1)]
    assert [s.astimezone(dt.timezone.utc).hour for s in starts] == [7, 7, 7, 8]

    ics_text = (site / "programs" / "dst-check.ics").read_text()
    assert "DTSTART;TZID=Europe/Berlin:20271103T090000" in ics_text
    timezones = Calendar.from_ical(ics_text).walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Berlin"]
    assert all("Before the day gets busy." in str(e["DESCRIPTION"]) for e in events)


def test_uids_identical_when_regenerated_and_after_a_time_change(make_site) -> None:
    root = make_site({"dst.yml": BERLIN_WEEKLY})
    first = _events(build_site(root).joinpath("programs", "dst-check.ics").read_bytes())
    again = _events(build_site(root).joinpath("programs", "dst-check.ics").read_bytes())
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in again]
    assert len({str(e["UID"]) for e in first}) == 4

    # Moving the series to 10:00 and raising `revision` keeps UIDs and raises SEQUENCE.
    program = root / "programs" / "dst.yml"
    program.write_text(program.read_text().replace('start: "09:00"', 'start: "10:00"') + "revision: 1\n")
    moved = _events(build_site(root).joinpath("programs", "dst-check.ics").read_bytes())
    assert [str(e["UID"]) for e in moved] == [str(e["UID"]) for e in first]
    assert [int(e["SEQUENCE"]) for e in first] == [0, 0, 0, 0]
    assert [int(e["SEQUENCE"]) for e in moved] == [1, 1, 1, 1]
    assert all(e.decoded("dtstart").hour == 10 for e in moved)


def test_overrides_move_and_cancel_with_their_own_rationale(make_site) -> None:
    text = BERLIN_WEEKLY + """\
    overrides:
      - {date: 2027-10-20, start: "11:00", rationale: Moved for the all-hands.}
      - {date: 2027-10-27, cancel: true, rationale: Cancelled for the release.}
"""
    site = build_site(make_site({"dst.yml": text}))
    events = {str(e["UID"]): e for e in _events((site / "programs" / "dst-check.ics").read_bytes())}
    moved = events["dst-check.weekly.20271020@lchc-gen"]
    cancelled = events["dst-check.weekly.20271027@lchc-gen"]
    assert moved.decoded("dtstart").hour == 11 and int(moved["SEQUENCE"]) == 1
    assert "Moved for the all-hands." in str(moved["DESCRIPTION"])
    assert str(cancelled["STATUS"]) == "CANCELLED" and "Cancelled for the release." in str(cancelled["DESCRIPTION"])
    page = (site / "programs" / "dst-check" / "index.html").read_text()
    # Each change is called out once, with its own reason, beside the series it changes.
    assert (
        '<li class="lchc-change lchc-moved"><strong class="lchc-flag">Moved:</strong> <a href="#weekly-2027-10-20">'
        "Wed 20 Oct 2027, 09:00\u201310:00, is now Wed 20 Oct, 11:00\u201312:00 Berlin time (UTC+2)</a>. "
        '<span class="lchc-reason">Moved for the all-hands.</span></li>'
    ) in page
    assert (
        '<li class="lchc-change lchc-cancelled"><strong class="lchc-flag">Cancelled:</strong> <a href="#weekly-2027-10-27">'
        'Wed 27 Oct 2027, 09:00\u201310:00</a>. <span class="lchc-reason">Cancelled for the release.</span></li>'
    ) in page
    visible = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert visible.count("Before the day gets busy.") == 1  # the series' rationale once, not per occurrence
