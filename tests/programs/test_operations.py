"""The operations page: hours off the floor per week per location, cohort ends, peak-hour overlaps."""

from __future__ import annotations

import html
import re

from lchc_gen.programs.model import Location
from lchc_gen.programs.schema import schema_text
from tests.conftest import build_site

PROGRAM = """\
id: p
title: Program P
summary: Used by the tests.
status: draft
owner: Tests
timezone: Europe/Dublin
audience:
  description: Support agents.
  why_this_group: They answer the tickets.
  locations:
    - {name: Dublin, timezone: Europe/Dublin, working_hours: "07:30-17:30", peak_hours: ["10:00-12:00"]}
    - {name: Manila, timezone: Asia/Manila, working_hours: "09:00-18:00", peak_hours: ["09:00-10:00", "15:30-16:30"]}
objectives:
  - {id: know-a, domain: know, text: Know the tools.}
sessions:
  - {id: tools, title: Tools, weekdays: [MO, WE], first_date: 2027-01-11, count: 4, start: "08:00", duration: 90,
     rationale: The quiet hour shared by both sites., outside_working_hours: Both sites agreed.}
  - {id: late, title: Late catch-up, date: 2027-01-19, start: "11:30", duration: 60, cohort: Dublin agents,
     rationale: The only free room., outside_working_hours: Dublin only.}
"""


def _text(site, path: str) -> str:
    page = (site / path).read_text()
    body = page[page.index("<article"):page.index("</article>")]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_operations_page_per_location(make_site) -> None:
    site = build_site(make_site({"p.yml": PROGRAM}))
    text = _text(site, "programs/operations/index.html")
    # Weeks of 11 and 18 January: two 90-minute sessions each, and the catch-up in the second week.
    assert "Mon 11 Jan 2027 3 hours (2 sessions)" in text
    assert "Mon 18 Jan 2027 4 hours (3 sessions)" in text
    # Each cohort's last session, in each location's own time.
    assert "Everyone, Dublin: Wed 20 Jan 2027, 09:30 (Europe/Dublin)" in text
    assert "Dublin agents, Manila: Tue 19 Jan 2027, 20:30 (Asia/Manila)" in text
    # 08:00-09:30 Dublin is 16:00-17:30 Manila: it overlaps Manila's 15:30-16:30 peak, not Dublin's.
    assert "Tools , Mon 11 Jan 2027, 16:00\u201317:30 Manila time (UTC+8): overlaps Manila's peak hours (15:30-16:30)" in text
    assert "Late catch-up , Tue 19 Jan 2027, 11:30\u201312:30 Dublin time (UTC+0): overlaps Dublin's peak hours (10:00-12:00)" in text
    assert text.count("overlaps Manila's peak hours") == 4 and text.count("overlaps Dublin's peak hours") == 1
    index = (site / "programs" / "index.html").read_text()
    assert 'href="operations/"' in index


def test_without_peak_hours_the_page_says_so(make_site) -> None:
    site = build_site(make_site({"p.yml": PROGRAM.replace(', peak_hours: ["10:00-12:00"]', "").replace(
        ', peak_hours: ["09:00-10:00", "15:30-16:30"]', "")}))
    assert "No location of this program declares peak hours." in _text(site, "programs/operations/index.html")


def test_peak_hours_are_in_the_model_and_the_shipped_schema() -> None:
    assert "operations page" in Location.model_fields["peak_hours"].description
    assert '"peak_hours"' in schema_text()
