"""Learner time off the floor: hours per week per audience location, and when each cohort finishes.

Read by the spreadsheet export and the operations page. An attendance group (`one_of`) counts
once in each week it is offered (its longest session that week): each learner attends one of its
dates, so only the learners who chose that week are away.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .load import LoadedProgram
from .schedule import Occurrence


@dataclass(frozen=True)
class Place:
    name: str
    timezone: str


@dataclass(frozen=True)
class WeekLoad:
    place: Place
    week: dt.date  # the Monday of the week, in the location's calendar
    minutes: int
    sessions: int


@dataclass(frozen=True)
class CohortEnd:
    cohort: str  # the session's cohort, or "everyone"
    place: Place
    last: dt.datetime  # the end of its last held occurrence, in the location's zone


def places(lp: LoadedProgram) -> list[Place]:
    """The audience's locations, or the program's own zone when it declares none."""
    declared = [Place(loc.name, loc.timezone) for loc in lp.program.audience.locations]
    return declared or [Place(lp.program.timezone, lp.program.timezone)]


def _held(lp: LoadedProgram) -> list[Occurrence]:
    return sorted((o for o in lp.occurrences if not o.cancelled), key=lambda o: o.start)


def week_loads(lp: LoadedProgram) -> list[WeekLoad]:
    out = []
    for place in places(lp):
        zone = ZoneInfo(place.timezone)
        weeks: dict[dt.date, dict[str, int]] = {}
        for o in _held(lp):
            day = o.start.astimezone(zone).date()
            week = weeks.setdefault(day - dt.timedelta(days=day.weekday()), {})
            key = f"group:{o.session.one_of}" if o.session.one_of is not None else f"{o.uid}"
            week[key] = max(week.get(key, 0), o.duration_minutes)
        out += [WeekLoad(place, monday, sum(m.values()), len(m)) for monday, m in sorted(weeks.items())]
    return out


def cohort_ends(lp: LoadedProgram) -> list[CohortEnd]:
    last: dict[str, Occurrence] = {}
    for o in _held(lp):
        last[o.session.cohort or "everyone"] = o
    return [
        CohortEnd(cohort, place, o.end.astimezone(ZoneInfo(place.timezone)))
        for place in places(lp)
        for cohort, o in sorted(last.items(), key=lambda kv: (kv[1].end, kv[0]))
    ]


@dataclass(frozen=True)
class PeakOverlap:
    occurrence: Occurrence
    place: Place
    start: dt.datetime  # the session, in the location's zone
    end: dt.datetime
    peak: str  # the peak hours it overlaps, "10:00-12:00"


def peak_overlaps(lp: LoadedProgram) -> list[PeakOverlap]:
    """Held sessions that overlap a location's declared peak hours on one of its working days."""
    out = []
    for loc in lp.program.audience.locations:
        zone = ZoneInfo(loc.timezone)
        place = Place(loc.name, loc.timezone)
        for o in _held(lp):
            start, end = o.start.astimezone(zone), o.end.astimezone(zone)
            for day in {start.date(), end.date()}:
                if ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[day.weekday()] not in loc.working_days:
                    continue
                for h0, h1 in loc.peak_hours:
                    midnight = dt.datetime.combine(day, dt.time(0), zone)
                    p0, p1 = midnight + dt.timedelta(minutes=h0), midnight + dt.timedelta(minutes=h1)
                    if start < p1 and p0 < end:
                        text = f"{h0 // 60:02d}:{h0 % 60:02d}-{h1 // 60:02d}:{h1 % 60:02d}"
                        out.append(PeakOverlap(o, place, start, end, text))
    unique = {(x.place, x.occurrence.uid, x.occurrence.extra is not None, x.peak): x for x in out}  # a session over midnight
    return sorted(unique.values(), key=lambda x: (x.place.name, x.start, x.peak))
