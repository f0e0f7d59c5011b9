"""The floor's sheets of the program workbook: the floor file, away at once, costs, savings and
agents ready, from the same functions as the operations page, so both show the same numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Sequence

from .away import floor_loads
from .floor_costs import cost_rows, savings
from .ramp import ramp

if TYPE_CHECKING:
    from .load import LoadedProgram

FLOOR_SHEET, AWAY_SHEET, COST_SHEET, SAVED_SHEET, READY_SHEET = "Floor", "Away at once", "Floor costs", "Hours saved", "Agents ready"


def _band(m: Any) -> str:
    who = f"{m.stay} people" if m.stay is not None else f"{m.share:.0%} of the headcount"
    h0, h1 = (f"{x // 60:02d}:{x % 60:02d}" for x in m.hours)
    return f"{who}, {' '.join(m.days)} {h0}-{h1}" + (f" ({m.why})" if m.why else "")


def floor_sheets(programs: Sequence[LoadedProgram], sheet: Callable[[str], Any], header: Callable[[Any, list[str]], None]) -> None:
    floor = next((lp.floor for lp in programs if lp.floor is not None), None)
    if floor is None:
        return
    ws = sheet(FLOOR_SHEET)
    header(ws, ["location", "channel", "timezone", "headcount", "hourly cost", "currency", "must stay"])
    for u in floor.units():
        ws.append([u.location, u.channel or "", u.timezone, u.headcount, u.hourly_cost, u.currency, "; ".join(_band(m) for m in u.minimum)])
    reasons = {(lp.program.id, b.session): b.why for lp in programs if lp.program.floor for b in lp.program.floor.below_minimum}
    ws = sheet(AWAY_SHEET)
    header(ws, ["location", "channel", "date", "hour", "away", "stay", "must stay", "below the minimum", "accepted because", "who (program, cohort: count)"])
    for load in floor_loads(programs):
        u = load.unit
        for h in load.hours:
            why = next((reasons[(t.program_id, t.item)] for t in h.takes if (t.program_id, t.item) in reasons), "") if h.breach else ""
            who: dict[str, int] = {}
            for t in h.takes:
                key = f"{t.program_title}, {t.cohort}"
                who[key] = who.get(key, 0) + t.count
            ws.append([u.location, u.channel or "", h.day, f"{h.hour:02d}:00", h.away, h.staying, h.must_stay,
                       "yes" if h.breach else "", why, "; ".join(f"{k}: {n}" for k, n in who.items())])
    ws = sheet(COST_SHEET)
    header(ws, ["program", "cohort", "location", "month", "hours off the floor", "cost", "currency"])
    for r in cost_rows(programs):
        ws.append([r.program_id, r.cohort, r.location, r.month, r.hours, r.cost, r.currency])
    ws = sheet(SAVED_SHEET)
    header(ws, ["program", "location", "learners", "replaces", "hours per learner then", "hours then", "hours now", "hours saved", "cost saved", "currency"])
    for s in savings(programs):
        ws.append([s.program_id, s.location, s.learners, s.design, s.hours_before, s.hours_then, s.hours, s.hours_saved, s.cost_saved, s.currency])
    ws = sheet(READY_SHEET)
    header(ws, ["location", "month", "ready that month", "ready so far", "headcount", "who (program, cohort: count)"])
    for location, months in ramp(programs).items():
        for m in months:
            ws.append([location, m.month, m.ready, m.cumulative, m.headcount, "; ".join(f"{f.program}, {f.cohort}: {f.count}" for f in m.finishing)])
