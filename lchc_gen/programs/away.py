"""Away at once: for every hour, how many learners all programs take off each floor together.

Each held session takes the learners of its cohort (``floor.learners``; a session without a cohort
takes every cohort). A session each learner attends once on one of several dates (``one_of``)
takes its cohort's share on each date, rounded up. A follow-up with a start time takes the
learners of the session it follows (its share, for an attendance group), or everyone. Whole-day
follow-ups take no set hour and are not counted. Within an hour the most people away at the same
moment counts, so two half-hour sessions one after the other do not add up.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from typing import Sequence
from zoneinfo import ZoneInfo

from .load import LoadedProgram
from .schedule import FollowUp, Occurrence, follow_ups
from .staffing import LoadedFloor, Minimum, Unit

EVERYONE = "everyone"


@dataclass(frozen=True, eq=False)
class Take:
    """Learners one session occurrence or timed follow-up takes off one floor."""

    program_id: str
    program_title: str
    path: str  # the program file
    cohort: str  # the session's cohort, or "everyone"
    unit: Unit
    start: dt.datetime  # aware
    end: dt.datetime
    count: int
    item: str  # session id or reinforcement key (what `floor.below_minimum` names)
    title: str
    why: str  # the session's "why then", or the follow-up's purpose
    what: Occurrence | FollowUp

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


@dataclass(frozen=True)
class HourLoad:
    day: dt.date  # local to the floor
    hour: int
    away: int  # the most away at one moment of the hour
    takes: tuple[Take, ...]  # what is on at that moment
    must_stay: int
    band: Minimum | None
    headcount: int

    @property
    def staying(self) -> int:
        return self.headcount - self.away

    @property
    def breach(self) -> bool:
        return self.staying < self.must_stay

    @property
    def spare(self) -> int:
        """People who could still leave before the floor falls below its minimum (negative: a breach)."""
        return self.staying - self.must_stay


@dataclass(frozen=True)
class UnitLoad:
    unit: Unit
    hours: tuple[HourLoad, ...]  # only the hours someone is away, in time order

    def breaches(self) -> list[HourLoad]:
        return [h for h in self.hours if h.breach]

    def tightest(self, n: int = 5) -> list[HourLoad]:
        return sorted(self.hours, key=lambda h: (h.spare, h.day, h.hour))[:n]

    def week_grid(self) -> dict[tuple[int, int], HourLoad]:
        """(weekday, hour) -> the hour of any week with the fewest to spare (most away on a tie)."""
        grid: dict[tuple[int, int], HourLoad] = {}
        for h in self.hours:
            key = (h.day.weekday(), h.hour)
            old = grid.get(key)
            if old is None or (h.spare, -h.away) < (old.spare, -old.away):
                grid[key] = h
        return grid


def _entries(lp: LoadedProgram, cohort: str | None):
    pf = lp.program.floor
    learners = pf.learners if pf is not None else []
    return [e for e in learners if cohort is None or e.cohort == cohort]


def program_takes(lp: LoadedProgram, floor: LoadedFloor) -> list[Take]:
    """Every take of one program, on every floor its learners work on."""
    p = lp.program
    if p.floor is None or not p.floor.learners:
        return []
    held = [o for o in lp.occurrences if not o.cancelled]
    shares = Counter((o.session.one_of, o.session.cohort) for o in held if o.session.one_of is not None)
    units = {(u.location, u.channel): u for u in floor.units()}

    def share(o: Occurrence | None) -> int:
        return shares[(o.session.one_of, o.session.cohort)] if o is not None and o.session.one_of is not None else 1

    out: list[Take] = []

    def add(start, end, cohort: str | None, n: int, item: str, title: str, why: str, what) -> None:
        for e in _entries(lp, cohort):
            out.append(Take(p.id, p.title, lp.path, cohort or EVERYONE, units[(e.location, e.channel)], start, end,
                            math.ceil(e.count / n), item, title, why, what))

    for o in held:
        add(o.start, o.end, o.session.cohort, share(o), o.session.id, o.session.title, o.rationale, o)
    by_anchor = {o.anchor: o for o in held}
    for f in follow_ups(p, lp.occurrences):
        if f.start is None or f.end is None:
            continue
        o = by_anchor.get(f.anchor_id) if f.anchor_id else None
        add(f.start, f.end, o.session.cohort if o else None, share(o), f.reinforcement.key, f.reinforcement.title, f.reinforcement.purpose, f)
    return out


def unit_load(unit: Unit, takes: Sequence[Take]) -> UnitLoad:
    """Sweep the takes of one floor in time order; keep each local hour's busiest moment."""
    zone = ZoneInfo(unit.timezone)
    utc = dt.timezone.utc
    events = sorted(
        [(t.start.astimezone(utc), 1, i) for i, t in enumerate(takes)] + [(t.end.astimezone(utc), 0, i) for i, t in enumerate(takes)]
    )  # at one instant, ends (0) before starts (1): back-to-back sessions do not overlap
    active: dict[int, Take] = {}
    total = 0
    best: dict[tuple[dt.date, int], tuple[int, tuple[Take, ...]]] = {}
    for k, (when, kind, i) in enumerate(events):
        t = takes[i]
        if kind:
            active[i] = t
            total += t.count
        else:
            del active[i]
            total -= t.count
        until = events[k + 1][0] if k + 1 < len(events) else when
        if total <= 0 or until <= when:
            continue
        cur = when
        while cur < until:  # every local hour the segment touches
            local = cur.astimezone(zone)
            key = (local.date(), local.hour)
            if key not in best or best[key][0] < total:
                best[key] = (total, tuple(active.values()))
            # the next local hour starts this far on (offsets are whole quarter hours, so in UTC too)
            cur += dt.timedelta(minutes=60 - local.minute, seconds=-local.second, microseconds=-local.microsecond)
    hours = []
    bands: dict[tuple[int, int], tuple[int, Minimum | None]] = {}
    for (day, hour), (away, on) in sorted(best.items()):
        slot = (day.weekday(), hour)
        if slot not in bands:
            bands[slot] = unit.must_stay(*slot)
        must, band = bands[slot]
        hours.append(HourLoad(day, hour, away, on, must, band, unit.headcount))
    return UnitLoad(unit, tuple(hours))


_cache: tuple[list[LoadedProgram], list[Take], list[UnitLoad]] | None = None  # the last build's (kept alive: ids stay theirs)


def _computed(programs: Sequence[LoadedProgram]) -> tuple[list[Take], list[UnitLoad]]:
    """Every take and every floor's hours, once per set of loaded programs: the warnings, the
    page, the feeds and the workbook all read them."""
    global _cache
    if _cache is not None and len(_cache[0]) == len(programs) and all(a is b for a, b in zip(_cache[0], programs)):
        return _cache[1], _cache[2]
    floor = next((lp.floor for lp in programs if lp.floor is not None), None)
    if floor is None:
        return [], []
    takes = [t for lp in programs for t in program_takes(lp, floor)]
    by_unit: dict[Unit, list[Take]] = {u: [] for u in floor.units()}
    for t in takes:
        by_unit[t.unit].append(t)
    loads = [unit_load(u, ts) for u, ts in by_unit.items()]
    _cache = (list(programs), takes, loads)
    return takes, loads


def floor_loads(programs: Sequence[LoadedProgram]) -> list[UnitLoad]:
    """Every floor's hours across all programs."""
    return _computed(programs)[1]


def all_takes(programs: Sequence[LoadedProgram]) -> list[Take]:
    return _computed(programs)[0]
