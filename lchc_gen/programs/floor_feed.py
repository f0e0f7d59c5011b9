"""Telling the floor: per location, a calendar feed for workforce and floor managers and a
printable week notice. Who is away when, as counts per program and cohort (never names), with
each session's "why then". Built with the icalendar library, which escapes every text value."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

from ..render import long_date
from .away import Take, all_takes
from .schedule import Occurrence
from .staffing import location_key
from .timefmt import span

if TYPE_CHECKING:
    from .load import LoadedProgram

PRODID = "-//lchc_gen//Floor notices//EN"
# The notice and the feed hold this many weeks with anything on, from the build date's week: what
# a floor plans with, and each build moves it on (a year of events would make every build slow).
NOTICE_WEEKS = 4


def feed_name(location: str) -> str:
    return f"operations/{location_key(location)}.ics"


def notice_name(location: str) -> str:
    return f"operations/{location_key(location)}.md"


@dataclass(frozen=True)
class Away:
    """One session or follow-up at one location: its takes on that location's floors together."""

    takes: tuple[Take, ...]

    @property
    def first(self) -> Take:
        return self.takes[0]

    @property
    def count(self) -> int:
        return sum(t.count for t in self.takes)

    def channels(self) -> str:
        """"phone 6, email 2"; empty for a location without channels."""
        return ", ".join(f"{t.unit.channel} {t.count}" for t in self.takes if t.unit.channel)

    @property
    def uid(self) -> str:
        t = self.first
        return f"floor.{location_key(t.unit.location)}.{t.what.uid}"


def aways(programs: Sequence[LoadedProgram]) -> dict[str, list[Away]]:
    """Per location, everything that takes learners away, in time order."""
    grouped: dict[tuple[str, str], list[Take]] = defaultdict(list)
    for t in all_takes(programs):
        grouped[(t.unit.location, t.what.uid)].append(t)
    out: dict[str, list[Away]] = defaultdict(list)
    for (location, _), takes in grouped.items():
        out[location].append(Away(tuple(takes)))
    for items in out.values():
        items.sort(key=lambda a: (a.first.start, a.first.program_id, a.uid))
    return out


def _summary(a: Away) -> str:
    t = a.first
    return f"{a.count} away: {t.program_title}, {t.title} ({t.cohort})"


def _description(a: Away, link: str | None) -> str:
    t = a.first
    lines = [f"Away from the floor: {a.count} ({t.cohort})" + (f"; {a.channels()}" if a.channels() else "")]
    lines.append(f"Why then: {t.why}")
    lines.append(f"Program: {t.program_title}")
    if link:
        lines.append(f"Details: {link}")
    return "\n\n".join(lines)


def location_calendar(location: str, items: Sequence[Away], revisions: dict[str, int], stamp: dt.datetime, link: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", vText(f"Away from the floor: {location}"))  # X- properties: say TEXT, so it is escaped
    for a in items:
        t = a.first
        event = Event()
        event.add("uid", a.uid)
        event.add("dtstamp", stamp)
        moved = isinstance(t.what, Occurrence) and t.what.override is not None
        event.add("sequence", revisions.get(t.program_id, 0) + (1 if moved else 0))
        event.add("summary", _summary(a))
        event.add("dtstart", t.start)
        event.add("dtend", t.end)
        event.add("description", _description(a, link))
        if link:
            event.add("url", link)
        event.add("transp", "TRANSPARENT")  # the manager is not busy: their people are
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    if items:
        first = min(a.first.start for a in items).date()
        last = max(a.first.end for a in items).date()
        cal.add_missing_timezones(first_date=first - dt.timedelta(days=366), last_date=last + dt.timedelta(days=366))
    return cal.to_ical()


def coming_weeks(items: Sequence[Away], timezone: str, today: dt.date) -> dict[dt.date, list[Away]]:
    """The first NOTICE_WEEKS weeks (Mondays in the location's calendar) from today's week with anything on."""
    zone = ZoneInfo(timezone)
    monday = today - dt.timedelta(days=today.weekday())
    weeks: dict[dt.date, list[Away]] = defaultdict(list)
    for a in items:
        day = a.first.start.astimezone(zone).date()
        week = day - dt.timedelta(days=day.weekday())
        if week >= monday:
            weeks[week].append(a)
    return {w: weeks[w] for w in sorted(weeks)[:NOTICE_WEEKS]}


def notice_view(location: str, timezone: str, weeks: dict[dt.date, list[Away]], today: dt.date) -> dict[str, Any]:
    """The coming weeks, each a list of days."""
    zone = ZoneInfo(timezone)
    out = []
    for monday, items in weeks.items():
        days: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
        for a in items:
            t = a.first
            start, end = t.start.astimezone(zone), t.end.astimezone(zone)
            days[start.date()].append({
                "time": span(start, end, timezone), "program": t.program_title, "title": t.title, "cohort": t.cohort,
                "count": a.count, "channels": a.channels(), "why": t.why,
            })
        out.append({"monday": monday, "label": long_date(monday),
                    "days": [{"label": long_date(d), "entries": days[d]} for d in sorted(days)]})
    return {"location": location, "today": today, "weeks": out}
