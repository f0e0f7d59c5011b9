"""What time off the floor costs: learner hours x the location's loaded hourly cost, per program,
cohort, location and month; and the hours and cost saved against the design a program replaces.

Counts what away.py counts (sessions and timed follow-ups, each learner once per attendance
group); travel, preparation and whole-day follow-ups are not counted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence
from zoneinfo import ZoneInfo

from .away import all_takes

if TYPE_CHECKING:
    from .load import LoadedProgram


@dataclass(frozen=True)
class CostRow:
    program_id: str
    program: str  # its title
    cohort: str
    location: str
    month: dt.date  # the first of the month, in the location's calendar
    hours: float  # learner hours off the floor
    cost: float
    currency: str


@dataclass(frozen=True)
class Saving:
    program_id: str
    program: str
    location: str
    currency: str
    learners: int
    design: str  # the design it replaces, in words
    hours_before: float  # per learner, in that design
    hours: float  # learner hours now
    hourly_cost: float

    @property
    def hours_then(self) -> float:
        return self.learners * self.hours_before

    @property
    def hours_saved(self) -> float:
        return self.hours_then - self.hours

    @property
    def cost_saved(self) -> float:
        return self.hours_saved * self.hourly_cost


def cost_rows(programs: Sequence[LoadedProgram]) -> list[CostRow]:
    sums: dict[tuple[str, str, str, str, dt.date, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for t in all_takes(programs):
        local = t.start.astimezone(ZoneInfo(t.unit.timezone))
        key = (t.program_id, t.program_title, t.cohort, t.unit.location, local.date().replace(day=1), t.unit.currency)
        hours = t.count * t.hours
        sums[key][0] += hours
        sums[key][1] += hours * t.unit.hourly_cost
    return [
        CostRow(pid, title, cohort, loc, month, round(h, 4), round(c, 4), cur)
        for (pid, title, cohort, loc, month, cur), (h, c) in sorted(sums.items(), key=lambda kv: (kv[0][0], kv[0][4], kv[0][3], kv[0][2]))
    ]


def savings(programs: Sequence[LoadedProgram]) -> list[Saving]:
    """Per program with `compared_to` and per location of its learners."""
    hours: dict[tuple[str, str], float] = defaultdict(float)
    for t in all_takes(programs):
        hours[(t.program_id, t.unit.location)] += t.count * t.hours
    out = []
    for lp in programs:
        pf, floor = lp.program.floor, lp.floor
        if pf is None or pf.compared_to is None or floor is None:
            continue
        learners: dict[str, int] = defaultdict(int)
        for e in pf.learners:
            learners[e.location] += e.count
        for loc in floor.floor.locations:
            if loc.name in learners:
                out.append(Saving(lp.program.id, lp.program.title, loc.name, loc.currency or floor.floor.currency, learners[loc.name],
                                  pf.compared_to.design, pf.compared_to.hours, round(hours[(lp.program.id, loc.name)], 4), loc.hourly_cost))
    return out
