"""The floor on the operations page, the per-location calendar feeds (read back by the `ical`
package, an RFC 5545 parser independent of icalendar) and the printable week notice."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from ical.calendar_stream import IcsCalendarStream

from tests.conftest import build_site
from tests.programs.floor_fixtures import FLOOR, PROGRAM_A, PROGRAM_B

ACCEPTED = PROGRAM_B + "  below_minimum:\n    - {session: launch, why: The vendor can only go live that evening.}\n"


def _text(page: Path) -> str:
    body = page.read_text()
    body = body[body.index("<article"):body.index("</article>")]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture
def floor_site(make_site) -> Path:
    root = make_site({"_floor.yml": FLOOR, "a.yml": PROGRAM_A, "b.yml": ACCEPTED}, plugin={"today": "2027-03-01"})
    return build_site(root, strict=True)


def test_the_operations_page_shows_each_floor(floor_site: Path) -> None:
    text = _text(floor_site / "programs" / "operations" / "index.html")
    assert "Manila: 30 people At most 18 of 30 are away at once (Tue 30 Mar 2027, 16:00\u201317:00, Asia/Manila)" in text
    assert "In 2 hours fewer people stay than must, each accepted with a reason." in text
    assert "The floor never falls below its minimum." in text  # Dublin phone: exactly the minimum stays
    # The table beside the heat map, and the tightest hours with who is away (counts, never names).
    assert "16:00 none 18 away, 12 stay (15 must) 14 away, 16 stay (15 must) 4 away, 26 stay (15 must)" in text
    assert ("Tue 30 Mar 2027, 16:00\u201317:00: 18 away, 12 stay, 15 must (the afternoon peak). Program A (Wave 1): 10; "
            "Program B (everyone): 8. Below the minimum , accepted: The vendor can only go live that evening.") in text
    assert "Program A Dublin 24 960 EUR Program A Manila 40 500 EUR Program B Dublin 8 320 EUR" in text
    assert "Manila: per month Month Hours Cost Mar 2027 52 650 EUR Apr 2027 4 50 EUR" in text
    assert "Program A, Dublin : 72 hours saved, 2,880 EUR." in text and "took 16 hours per learner" in text
    page = (floor_site / "programs" / "operations" / "index.html").read_text()
    # The heat map: one square per hour and day, the breach shaded as one.
    grid = page[page.index('class="lchc-heat"'):]
    grid = grid[:grid.index("</div>")]
    assert grid.count("lchc-heat-cell") == 7 * 2  # Dublin phone, the first floor: 09:00 and 10:00
    assert "lchc-heat-cell lchc-heat-3" in grid  # exactly the minimum
    manila = page[page.index('id="floor-manila"'):]
    assert '<span class="lchc-heat-cell lchc-heat-4">18</span>' in manila


def test_each_location_has_a_feed_an_independent_parser_reads(floor_site: Path) -> None:
    ics = floor_site / "programs" / "operations" / "manila.ics"
    cal = IcsCalendarStream.calendar_from_ics(ics.read_text(encoding="utf-8"))
    events = sorted(cal.events, key=lambda e: e.dtstart)
    assert [(e.summary, e.dtstart.astimezone(dt.timezone.utc).strftime("%d %H:%M")) for e in events] == [
        ("10 away: Program A, Basics (Wave 1)", "23 09:00"),
        ("10 away: Program A, Recap (Wave 1)", "24 09:00"),
        ("10 away: Program A, Basics (Wave 1)", "30 08:00"),  # Dublin on summer time: an hour earlier in UTC
        ("8 away: Program B, Launch (everyone)", "30 08:30"),
        ("10 away: Program A, Recap (Wave 1)", "31 08:00"),
        ("4 away: Program B, Clinic (everyone)", "31 08:00"),
        ("4 away: Program B, Clinic (everyone)", "01 08:00"),
    ]
    assert events[3].description.startswith("Away from the floor: 8 (everyone)\n\nWhy then: The tool goes live that evening.")
    assert len({e.uid for e in events}) == len(events)
    dublin = IcsCalendarStream.calendar_from_ics((floor_site / "programs" / "operations" / "dublin.ics").read_text())
    assert "Away from the floor: 10 (Wave 1); phone 6" not in {e.description.split("\n")[0] for e in dublin.events}
    assert "Away from the floor: 6 (Wave 1); phone 6" in {e.description.split("\n")[0] for e in dublin.events}


def test_feed_text_is_escaped(make_site) -> None:
    b = ACCEPTED.replace("rationale: The tool goes live that evening.", 'rationale: "Line one;\\nline, two \\\\ BEGIN:VEVENT"')
    site = build_site(make_site({"_floor.yml": FLOOR, "a.yml": PROGRAM_A, "b.yml": b}), strict=True)
    raw = (site / "programs" / "operations" / "manila.ics").read_bytes().decode()
    assert [line for line in raw.split("\r\n") if line.startswith("BEGIN:VEVENT")] == ["BEGIN:VEVENT"] * 7  # the text's stays text
    cal = IcsCalendarStream.calendar_from_ics(raw)
    launch = next(e for e in cal.events if e.summary.startswith("8 away"))
    assert "Why then: Line one;\nline, two \\ BEGIN:VEVENT" in launch.description


def test_the_week_notice(floor_site: Path) -> None:
    text = _text(floor_site / "programs" / "operations" / "dublin" / "index.html")
    assert "Week of Mon 22 Mar 2027" in text and "Week of Mon 29 Mar 2027" in text
    assert ("Tue 30 Mar 2027 09:00\u201310:30 Dublin time (UTC+1): 6 away (phone 6). Program A, Basics, Wave 1. "
            "Why then: Before the lunch peak.") in text
    assert "09:30\u201310:30 Dublin time (UTC+1): 4 away (phone 4). Program B, Launch, everyone." in text


def test_the_feed_and_notice_hold_the_coming_weeks_only(make_site) -> None:
    root = make_site({"_floor.yml": FLOOR, "a.yml": PROGRAM_A, "b.yml": ACCEPTED}, plugin={"today": "2027-03-31"})
    site = build_site(root, strict=True)
    cal = IcsCalendarStream.calendar_from_ics((site / "programs" / "operations" / "manila.ics").read_text())
    # The week of 22 March is over by Wed 31 March; that of 29 March is not (its Tuesday included).
    assert sorted(e.dtstart.astimezone(dt.timezone.utc).strftime("%d") for e in cal.events) == ["01", "30", "30", "31", "31"]
    text = _text(site / "programs" / "operations" / "manila" / "index.html")
    assert "Week of Mon 29 Mar 2027" in text and "22 Mar" not in text


def test_hostile_location_names_stay_text(make_site) -> None:
    name = '<script>alert(1)</script> & *Manila* "x"'
    floor = FLOOR.replace("  - name: Manila\n", f"  - name: '{name}'\n")
    a = PROGRAM_A.replace("location: Manila,", f"location: '{name}',")
    b = ACCEPTED.replace("location: Manila,", f"location: '{name}',")
    site = build_site(make_site({"_floor.yml": floor, "a.yml": a, "b.yml": b}, plugin={"today": "2027-03-01"}), strict=True)
    ops = (site / "programs" / "operations" / "index.html").read_text()
    notice = (site / "programs" / "operations" / "script-alert-1-script-manila-x" / "index.html").read_text()
    for page in (ops, notice):
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *Manila*" in page
    cal = IcsCalendarStream.calendar_from_ics((site / "programs" / "operations" / "script-alert-1-script-manila-x.ics").read_text())
    assert len(cal.events) == 7


def test_two_locations_sharing_a_file_name_are_an_error(tmp_path) -> None:
    from lchc_gen.problems import InputError
    from tests.programs.test_floor_away import _load

    floor = FLOOR + "  - {name: manila, timezone: Asia/Manila, hourly_cost: 1, headcount: 3}\n"
    with pytest.raises(InputError) as exc:
        _load(tmp_path, {"_floor.yml": floor})
    assert "programs/_floor.yml:18: locations[2].name: 'manila' and 'Manila' would share the feed manila.ics: rename one" in str(exc.value.problems[0])
