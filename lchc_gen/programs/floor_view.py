"""The floor part of the operations page: per floor a week-by-hour heat map (with its table), the
tightest hours and any below the minimum; what the time costs and saves; agents ready each month.
Built from away.py, floor_costs.py and ramp.py, so the page, the workbook and the feeds agree."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..render import long_date
from .away import HourLoad, UnitLoad, floor_loads
from .floor_costs import cost_rows, savings
from .ramp import ramp

if TYPE_CHECKING:
    from .load import LoadedProgram

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LEVELS = (
    "nobody away",
    "some away",
    "half or more of those who may leave are away",
    "exactly the minimum stays",
    "below the minimum",
)


def level(h: HourLoad | None) -> int:
    """0 to 4, for the heat map's shade (LEVELS says each in words)."""
    if h is None or h.away == 0:
        return 0
    if h.spare < 0:
        return 4
    if h.spare == 0:
        return 3
    return 2 if 2 * h.away >= h.headcount - h.must_stay else 1


def hours_text(hours: float) -> str:
    return f"{hours:,.1f}".removesuffix(".0")


def money(amount: float, currency: str) -> str:
    return f"{amount:,.0f} {currency}"


def _who(h: HourLoad) -> str:
    """"Program A (Wave 1): 10; Program B (everyone): 8": counts, never names."""
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for t in h.takes:
        sums[(t.program_title, t.cohort)] += t.count
    return "; ".join(f"{p} ({c}): {n}" for (p, c), n in sorted(sums.items()))


def _accepted(h: HourLoad, programs: Sequence[LoadedProgram]) -> str | None:
    reasons = {(lp.program.id, b.session): b.why for lp in programs if lp.program.floor for b in lp.program.floor.below_minimum}
    return next((reasons[(t.program_id, t.item)] for t in h.takes if (t.program_id, t.item) in reasons), None)


def _hour_view(h: HourLoad, programs: Sequence[LoadedProgram]) -> dict[str, Any]:
    return {
        "when": f"{long_date(h.day)}, {h.hour:02d}:00\u2013{h.hour + 1:02d}:00",
        "h": h,
        "who": _who(h),
        "band": h.band.why if h.band is not None and h.band.why else "",
        "accepted": _accepted(h, programs) if h.breach else None,
    }


def _unit_view(load: UnitLoad, programs: Sequence[LoadedProgram], feed: str, notice: str) -> dict[str, Any]:
    u = load.unit
    grid = load.week_grid()
    used = sorted({hour for _, hour in grid})
    rows = []
    for hour in range(used[0], used[-1] + 1) if used else []:
        cells = []
        for day in range(7):
            h = grid.get((day, hour))
            cells.append({"away": h.away if h else 0, "level": level(h), "staying": h.staying if h else u.headcount,
                          "must": h.must_stay if h else u.must_stay(day, hour)[0], "date": long_date(h.day) if h else ""})
        rows.append({"hour": f"{hour:02d}:00", "cells": cells})
    busiest = max(load.hours, key=lambda h: (h.away, -h.spare), default=None)
    breaches = load.breaches()
    return {
        "unit": u,
        "id": f"floor-{u.key}",
        "rows": rows,
        "busiest": _hour_view(busiest, programs) if busiest else None,
        "first": load.hours[0].day if load.hours else None,
        "last": load.hours[-1].day if load.hours else None,
        "tightest": [_hour_view(h, programs) for h in load.tightest(5)],
        "breaches": [_hour_view(h, programs) for h in breaches],
        "accepted": sum(1 for h in breaches if _accepted(h, programs) is not None),
        "feed": feed,
        "notice": notice,
    }


def floor_view(programs: Sequence[LoadedProgram], href: Callable[[str], str]) -> dict[str, Any] | None:
    """None for a site without a floor file. ``href`` makes a link from the operations page."""
    floor = next((lp.floor for lp in programs if lp.floor is not None), None)
    if floor is None:
        return None
    from .floor_feed import feed_name, notice_name  # the feeds' names, beside their builder

    units = [_unit_view(load, programs, href(feed_name(load.unit.location)), href(notice_name(load.unit.location)))
             for load in floor_loads(programs)]
    counted = [lp for lp in programs if lp.program.floor and lp.program.floor.learners]
    per_program: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    per_month: dict[tuple[str, str], dict[dt.date, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    for r in cost_rows(programs):  # the workbook has them per cohort too
        for cell in (per_program[(r.program_id, r.location, r.currency)], per_month[(r.location, r.currency)][r.month]):
            cell[0] += r.hours
            cell[1] += r.cost
    titles = {lp.program.id: lp.program.title for lp in programs}
    costs = [{"program": titles[pid], "location": loc, "hours": hours_text(h), "cost": money(c, cur)}
             for (pid, loc, cur), (h, c) in per_program.items()]
    months = [{"location": loc, "rows": [(m, hours_text(h), money(c, cur)) for m, (h, c) in sorted(by.items())]}
              for (loc, cur), by in per_month.items()]
    return {
        "currency": floor.floor.currency,
        "units": units,
        "days": DAYS,
        "levels": LEVELS,
        "counted": [lp.program.title for lp in counted],
        "not_counted": [lp.program.title for lp in programs if lp not in counted],
        "costs": costs,
        "months": months,
        "savings": savings(programs),
        "ramp": ramp(programs),
        "hours_text": hours_text,
        "money": money,
        "locations": [(loc.name, floor.headcount(loc.name)) for loc in floor.floor.locations],
    }
