"""A manager's brief per program and cohort: what their people learn and when, what the manager
does at each reinforcement point, questions for one-to-ones and an observation checklist.

Everything on it comes from the program file; the brief adds dates and times, nothing else.
Times are in the manager's zone, taken to be their people's: one brief per cohort and per time
zone of the audience's locations (locations that share a zone share a brief), or the program's
zone when it lists no locations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

from .agenda import zone_words
from .calendar import add_step_times
from .cohorts import Cohort, cohorts, slug
from .model import Domain, Location
from .schedule import FollowUp
from .timefmt import minutes_text, offset_words, short_date, span, zone_city

if TYPE_CHECKING:
    from .load import LoadedProgram

PRODID = "-//lchc_gen//Managers' briefs//EN"


@dataclass(frozen=True)
class Brief:
    lp: LoadedProgram
    cohort: Cohort
    zone: str  # IANA name
    locations: tuple[Location, ...]  # the audience's locations in that zone
    key: str  # file name: the cohort's key, and the zone's city when there are several zones

    @property
    def manager_steps(self) -> list[FollowUp]:
        """The cohort's follow-ups at which the program asks something of the manager."""
        return [f for f in self.cohort.follow_ups if f.reinforcement.manager]


def brief_name(pid: str, key: str, ext: str = "md") -> str:
    return f"{pid}/brief/{key}.{ext}"


def briefs(lp: LoadedProgram) -> list[Brief]:
    """One per cohort, and per time zone of the audience's locations when they have several."""
    locations = lp.program.audience.locations
    zones = list(dict.fromkeys(loc.timezone for loc in locations)) or [lp.program.timezone]
    out = []
    for c in cohorts(lp):
        for zone in zones:
            key = c.key if len(zones) == 1 else f"{c.key}--{slug(zone_city(zone))}"
            out.append(Brief(lp, c, zone, tuple(loc for loc in locations if loc.timezone == zone), key))
    return out


def _when(start: dt.datetime, end: dt.datetime, zone: str) -> tuple[str, str]:
    z = ZoneInfo(zone)
    s, e = start.astimezone(z), end.astimezone(z)
    return f"{short_date(s.date())} {s.year}", span(s, e, zone)


def brief_view(b: Brief) -> dict[str, Any]:
    p = b.lp.program
    objectives = {o.id: o for o in p.objectives}
    sessions: dict[int, dict[str, Any]] = {}  # one entry per session, its dates in time order
    for o in b.cohort.held:
        day, time = _when(o.start, o.end, b.zone)
        entry = sessions.setdefault(o.index, {
            "s": o.session,
            "minutes": minutes_text(int(o.session.duration.total_seconds() // 60)),
            "objectives": [objectives[i] for i in o.session.objectives if i in objectives],
            "dates": [],
        })
        # A moved or extra date says its own reason, as the program file gives it.
        entry["dates"].append({"day": day, "time": time, "location": o.location if o.location != o.session.location else None,
                               "why": o.rationale if o.rationale != o.session.rationale else None})
    steps = []
    for f in b.manager_steps:
        r = f.reinforcement
        day, time = (_when(f.start, f.end, b.zone) if f.start and f.end else (f"{short_date(f.day)} {f.day.year}", ""))
        steps.append({
            "f": f,
            "r": r,
            "day": day,
            "time": time,
            "after": f"{offset_words(f.offset_days)} after {f.anchor_label}" if f.offset_days and f.anchor_label else "",
            "objectives": [objectives[i] for i in r.objectives if i in objectives],
        })
    return {
        "b": b,
        "p": p,
        "zone": zone_words(b.zone),
        "zone_key": b.zone,
        "sessions": list(sessions.values()),
        "by_domain": [(d, [o for o in p.objectives if o.domain is d]) for d in Domain],
        "provisional": [o for o in p.objectives if not o.settled],
        "steps": steps,
        "questions": [o for o in p.objectives if o.one_to_one],
        "checklist": [(o, o.observe or [o.text]) for o in p.objectives if o.domain is Domain.do],
    }


def brief_calendar(b: Brief, stamp: dt.datetime, page_url: str | None = None) -> bytes:
    """The points where the manager acts, as RFC 5545 events (icalendar escapes every value)."""
    p = b.lp.program
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # X- properties have no known value type, so icalendar would write them unescaped: say TEXT.
    name = f"{p.title}: manager's brief" + (f", {b.cohort.name}" if b.cohort.name else "")
    cal.add("x-wr-calname", vText(name))
    cal.add("x-wr-timezone", vText(b.zone))
    steps = b.manager_steps
    for f in steps:
        r = f.reinforcement
        event = Event()
        event.add("uid", f.uid.replace(".follow-up.", f".manager.{b.key}.", 1))  # stable, apart from the learners' own
        event.add("dtstamp", stamp)
        event.add("sequence", p.revision)
        event.add("summary", f"{p.title}: {r.title}")
        add_step_times(event, f)
        lines = [f"What you do: {r.manager}", f"Why: {r.purpose}"]
        if f.offset_days and f.anchor_label:
            lines.append(f"{offset_words(f.offset_days)} after {f.anchor_label}")
        if page_url:
            lines.append(f"Brief: {page_url}")
            event.add("url", page_url)
        event.add("description", "\n\n".join(lines))
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    if steps:
        days = [f.day for f in steps]
        cal.add_missing_timezones(first_date=min(days) - dt.timedelta(days=366), last_date=max(days) + dt.timedelta(days=366))
    return cal.to_ical()
