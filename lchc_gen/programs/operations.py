"""The operations page: for stakeholders who plan the floor (who is away when, until when)."""

from __future__ import annotations

from typing import Any

from .floor import cohort_ends, peak_overlaps, places, week_loads
from .load import LoadedProgram
from .timefmt import minutes_text, span

PAGE = "operations.md"


def operations_view(programs: list[LoadedProgram], href) -> list[dict[str, Any]]:
    """Per program: hours off the floor per week per location, cohort ends, peak-hour overlaps."""
    out = []
    for lp in programs:
        p = lp.program
        here = places(lp)
        loads = week_loads(lp)
        weeks = sorted({w.week for w in loads})
        by = {(w.place, w.week): w for w in loads}
        out.append({
            "program": p,
            "href": href(f"{p.id}.md"),
            "places": here,
            "weeks": [
                {"week": week, "cells": [minutes_text(by[(pl, week)].minutes) if (pl, week) in by else "none" for pl in here],
                 "sessions": [by[(pl, week)].sessions if (pl, week) in by else 0 for pl in here]}
                for week in weeks
            ],
            "ends": cohort_ends(lp),
            "declares_peaks": any(loc.peak_hours for loc in p.audience.locations),
            "overlaps": [
                {"place": x.place, "title": x.occurrence.session.title, "date": x.start.date(),
                 "time": span(x.start, x.end, x.place.timezone), "peak": x.peak,
                 "anchor": href(f"{p.id}.md") + "#" + x.occurrence.anchor}
                for x in peak_overlaps(lp)
            ],
        })
    return out
