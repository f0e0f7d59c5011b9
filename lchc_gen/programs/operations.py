"""The operations page: for stakeholders who plan the floor (who is away when, until when)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from .agenda import utc_iso
from .floor import Place, cohort_ends, peak_overlaps, places, week_loads
from .load import LoadedProgram
from .timefmt import minutes_text, span

PAGE = "operations.md"


def _week_end(week: dt.date, here: list[Place]) -> dt.datetime:
    """A week is over when it is over in every location: the latest Sunday midnight among them."""
    sunday_night = dt.datetime.combine(week + dt.timedelta(days=7), dt.time())
    return max(sunday_night.replace(tzinfo=ZoneInfo(pl.timezone)) for pl in here)


def operations_view(programs: list[LoadedProgram], href, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Per program: hours off the floor per week per location, cohort ends, peak-hour overlaps.
    Weeks and cohort ends before ``today`` (the build date) are marked as over; the browser
    marks them again by the reader's clock (data-lchc-until)."""
    now = dt.datetime.combine(today or dt.date.min, dt.time(), dt.timezone.utc)
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
                {"week": week, "until": utc_iso(_week_end(week, here)), "past": _week_end(week, here) <= now, "cells": [minutes_text(by[(pl, week)].minutes) if (pl, week) in by else "none" for pl in here],
                 "sessions": [by[(pl, week)].sessions if (pl, week) in by else 0 for pl in here]}
                for week in weeks
            ],
            "ends": [{"e": e, "until": utc_iso(e.last), "past": e.last <= now} for e in cohort_ends(lp)],
            "declares_peaks": any(loc.peak_hours for loc in p.audience.locations),
            "overlaps": [
                {"place": x.place, "title": x.occurrence.session.title, "date": x.start.date(),
                 "time": span(x.start, x.end, x.place.timezone), "peak": x.peak,
                 "anchor": href(f"{p.id}.md") + "#" + x.occurrence.anchor}
                for x in peak_overlaps(lp)
            ],
        })
    return out
