"""Agents ready per month: from cohort sizes and the end of each cohort's last session, per
location, the learners who finish each month and the running total, beside the headcount.

Only programs that say what a finished learner can do (`floor.ready`) count: a safety video
makes nobody newly ready for the phones.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence
from zoneinfo import ZoneInfo

from .away import EVERYONE

if TYPE_CHECKING:
    from .load import LoadedProgram


@dataclass(frozen=True)
class Finish:
    program: str
    ready: str  # what they can do then
    cohort: str
    count: int
    last: dt.datetime  # the end of the cohort's last session, in the location's zone


@dataclass(frozen=True)
class RampMonth:
    location: str
    month: dt.date  # the first of the month
    finishing: tuple[Finish, ...]
    cumulative: int
    headcount: int

    @property
    def ready(self) -> int:
        return sum(f.count for f in self.finishing)


def ramp(programs: Sequence[LoadedProgram]) -> dict[str, list[RampMonth]]:
    floor = next((lp.floor for lp in programs if lp.floor is not None), None)
    if floor is None:
        return {}
    zones = {loc.name: loc.timezone for loc in floor.floor.locations}
    by_month: dict[str, dict[dt.date, list[Finish]]] = defaultdict(lambda: defaultdict(list))
    for lp in programs:
        pf = lp.program.floor
        if pf is None or pf.ready is None:
            continue
        held = [o for o in lp.occurrences if not o.cancelled]
        everyone_last = max((o.end for o in held if o.session.cohort is None), default=None)
        for cohort in sorted({e.cohort for e in pf.learners}, key=lambda c: c or ""):
            ends = [o.end for o in held if o.session.cohort == cohort] + ([everyone_last] if everyone_last else [])
            if not ends:
                continue
            for e in (x for x in pf.learners if x.cohort == cohort):
                last = max(ends).astimezone(ZoneInfo(zones[e.location]))
                by_month[e.location][last.date().replace(day=1)].append(
                    Finish(lp.program.title, pf.ready, cohort or EVERYONE, e.count, last))
    out: dict[str, list[RampMonth]] = {}
    for loc in floor.floor.locations:
        months = by_month.get(loc.name)
        if not months:
            continue
        total, rows = 0, []
        for month in sorted(months):
            finishing = _merged(months[month])
            total += sum(f.count for f in finishing)
            rows.append(RampMonth(loc.name, month, finishing, total, floor.headcount(loc.name)))
        out[loc.name] = rows
    return out


def _merged(finishes: list[Finish]) -> tuple[Finish, ...]:
    """Channels of one location add up: one line per program and cohort."""
    merged: dict[tuple[str, str], Finish] = {}
    for f in finishes:
        old = merged.get((f.program, f.cohort))
        merged[(f.program, f.cohort)] = f if old is None else Finish(f.program, f.ready, f.cohort, old.count + f.count, max(old.last, f.last))
    return tuple(sorted(merged.values(), key=lambda f: (f.last, f.program, f.cohort)))
