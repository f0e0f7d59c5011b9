"""Learner time off the floor: hours per week per audience location, and when each cohort finishes.

Read by the spreadsheet export. An attendance group (`one_of`) counts once per learner, in the
week of its first occurrence: each learner attends one of its sessions, not all of them.
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
        weeks: dict[dt.date, list[int]] = {}
        counted_groups: set[str] = set()
        for o in _held(lp):
            group = o.session.one_of
            if group is not None:
                if group in counted_groups:
                    continue
                counted_groups.add(group)
                minutes = max(x.duration_minutes for x in lp.occurrences if x.session.one_of == group and not x.cancelled)
            else:
                minutes = o.duration_minutes
            day = o.start.astimezone(zone).date()
            monday = day - dt.timedelta(days=day.weekday())
            weeks.setdefault(monday, []).append(minutes)
        out += [WeekLoad(place, week, sum(m), len(m)) for week, m in sorted(weeks.items())]
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
