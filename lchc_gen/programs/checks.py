"""Checks that keep program pages honest.

Errors on the raw data (references, ids) are the loader's (``programs/load.py``). Warnings
name a place in the file too but let the build go on; ``mkdocs build --strict`` turns them
into a failure: objectives shown as settled that are not, a status the dates
contradict, sessions outside a location's working hours without a reason, a series
whose first date is not one of its weekdays, and an objective that nothing serves again after
its first session (programs/coverage).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ..problems import Problem
from .away import HourLoad, Take, floor_loads
from .coverage import coverage
from .load import LoadedProgram
from .model import WEEKDAYS, Series, Status
from .schedule import Occurrence, follow_ups, series_dates
from .timefmt import span

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _warn(lp: LoadedProgram, loc: tuple[str | int, ...], message: str) -> Problem:
    if lp.source is not None:
        return lp.source.problem(loc, message)
    return Problem(lp.path, 1, ".".join(map(str, loc)), message)


def objective_warnings(lp: LoadedProgram, today: dt.date) -> list[Problem]:
    p = lp.program
    out = []
    for i, o in enumerate(p.objectives):
        if p.status in (Status.approved, Status.running) and not o.settled:
            out.append(
                _warn(
                    lp,
                    ("objectives", i, "review", "state"),
                    f"objective {o.id!r} is {o.state_label!r} but the program is {p.status.value!r}: "
                    "learners see it marked provisional (approve it, or set the program's status to 'in review')",
                )
            )
        if o.review.date is not None and o.review.date > today:
            out.append(_warn(lp, ("objectives", i, "review", "date"), f"review date {o.review.date} is after the build date {today}"))
    return out


def status_warnings(lp: LoadedProgram, today: dt.date) -> list[Problem]:
    p = lp.program
    held = [o for o in lp.occurrences if not o.cancelled]
    if not held:
        return []
    first, last = held[0].start.date(), max(o.end for o in held).date()
    if p.status is Status.running and today < first:
        return [_warn(lp, ("status",), f"the program is 'running' but its first session is on {first} (build date {today}); use 'approved' until then")]
    if p.status is Status.finished and today <= last:
        return [_warn(lp, ("status",), f"the program is 'finished' but its last session is on {last} (build date {today})")]
    return []


def _session_loc(occ: Occurrence) -> tuple[str | int, ...]:
    s = occ.session
    if occ.override is not None and isinstance(s, Series):
        return ("sessions", occ.index, "overrides", s.overrides.index(occ.override))
    if occ.extra is not None and isinstance(s, Series):
        return ("sessions", occ.index, "extra", s.extra.index(occ.extra))
    return ("sessions", occ.index)


def outside_working_hours(
    start: dt.datetime | None, end: dt.datetime | None, day: dt.date, zone_key: str, hours: tuple[int, int], days: list[str]
) -> bool:
    """A timed slot outside the hours or days; a whole-day item (no start) on a day off."""
    if start is None or end is None:
        return WEEKDAYS[day.weekday()] not in days
    zone = ZoneInfo(zone_key)
    start, end = start.astimezone(zone), end.astimezone(zone)
    start_min = start.hour * 60 + start.minute
    end_min = (end.date() - start.date()).days * 24 * 60 + end.hour * 60 + end.minute
    return WEEKDAYS[start.weekday()] not in days or start_min < hours[0] or end_min > hours[1]


def working_hours_warnings(lp: LoadedProgram) -> list[Problem]:
    """Sessions and follow-ups outside a location's working hours, unless they say why."""
    p = lp.program
    # (where in the file, start, end, day) of everything a learner is asked to attend or do
    items: list[tuple[tuple[str | int, ...], dt.datetime | None, dt.datetime | None, dt.date]] = [
        (_session_loc(o), o.start, o.end, o.start.date())
        for o in lp.occurrences
        if not o.cancelled and not o.session.outside_working_hours
    ]
    items += [
        (("reinforcement", f.index), f.start, f.end, f.day)
        for f in follow_ups(p, lp.occurrences)
        if not f.reinforcement.outside_working_hours
    ]
    out = []
    for loc in p.audience.locations:
        seen: dict[tuple[str | int, ...], list[tuple[dt.datetime | None, dt.datetime | None, dt.date]]] = {}
        for where, start, end, day in items:
            if outside_working_hours(start, end, day, loc.timezone, loc.working_hours, loc.working_days):
                seen.setdefault(where, []).append((start, end, day))
        h0, h1 = (f"{m // 60:02d}:{m % 60:02d}" for m in loc.working_hours)
        for where, hits in seen.items():
            start, end, day = hits[0]
            if start is not None and end is not None:
                zone = ZoneInfo(loc.timezone)
                s, e = start.astimezone(zone), end.astimezone(zone)
                when = f"{s:%a} {s:%Y-%m-%d} {span(s, e, loc.timezone)}"
            else:
                when = f"{day:%a} {day}"
            more = f" and {len(hits) - 1} more" if len(hits) > 1 else ""
            out.append(
                _warn(
                    lp,
                    where,
                    f"{when}{more} is outside working hours at {loc.name} "
                    f"({h0}-{h1}, {' '.join(loc.working_days)}); move it, or say why in `outside_working_hours`",
                )
            )
    return out


def series_warnings(lp: LoadedProgram) -> list[Problem]:
    """A first_date the pattern does not have: the series would silently start later."""
    out = []
    for i, s in enumerate(lp.program.sessions):
        if not isinstance(s, Series) or s.first_date in s.exceptions:
            continue
        dates = series_dates(s)
        if s.first_date in dates:
            continue
        starts = f": the series starts on {dates[0]:%a} {dates[0]}" if dates else ""
        if s.frequency == "weekly":
            what = f"not one of the weekdays ({' '.join(s.weekdays)})"
        else:
            nth = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}[s.week_of_month or 1]
            what = f"not the {nth} {' or '.join(_DAY_NAMES[WEEKDAYS.index(d)] for d in s.weekdays)} of its month"
        out.append(
            _warn(lp, ("sessions", i, "first_date"), f"{s.first_date} is a {_DAY_NAMES[s.first_date.weekday()]}, {what}{starts}")
        )
    return out


def _take_loc(t: Take) -> tuple[str | int, ...]:
    return _session_loc(t.what) if isinstance(t.what, Occurrence) else ("reinforcement", t.what.index)


def floor_warnings(programs: list[LoadedProgram]) -> list[Problem]:
    """Hours in which the learners of all programs together leave a floor below its minimum, unless
    a session on then says why (`floor.below_minimum`). Each is told at the session that started
    last among those on: the one that tipped the floor over."""
    by_id = {lp.program.id: lp for lp in programs}
    accepted = {(lp.program.id, b.session) for lp in programs if lp.program.floor for b in lp.program.floor.below_minimum}
    grouped: dict[tuple[str, tuple[str | int, ...], str], list[tuple[HourLoad, Take]]] = {}
    for load in floor_loads(programs):
        for h in load.breaches():
            if any((t.program_id, t.item) in accepted for t in h.takes):
                continue
            last = max(h.takes, key=lambda t: (t.start, t.count))
            grouped.setdefault((last.program_id, _take_loc(last), load.unit.name), []).append((h, last))
    out = []
    for (pid, where, name), hits in grouped.items():
        h, last = hits[0]
        others = sorted({t.program_title for t in h.takes} - {last.program_title})
        with_ = f" (with {', '.join(others)})" if others else ""
        band = f" ({h.band.why})" if h.band is not None and h.band.why else ""
        more = f" and {len(hits) - 1} more hour{'s' if len(hits) > 2 else ''}" if len(hits) > 1 else ""
        out.append(_warn(
            by_id[pid], where,
            f"{h.day:%a} {h.day} {h.hour:02d}:00-{h.hour + 1:02d}:00{more} at {name}: {h.away} of {h.headcount} away{with_} "
            f"leaves {h.staying}, below the {h.must_stay} who must stay{band}; move it, or say why in `floor.below_minimum`",
        ))
    return out


def reinforcement_warnings(lp: LoadedProgram) -> list[Problem]:
    """An objective taught once and never again: no later session and no follow-up serves it."""
    out = []
    for cov in coverage(lp):
        missing = cov.unreinforced
        if not missing:
            continue
        first = missing[0].first
        assert first is not None
        when = f"{first.session.title}, {first.start:%a} {first.start:%Y-%m-%d}"
        if len(cov.by_cohort) > 1:
            names = ", ".join(repr(c.cohort) for c in missing)
            whom = f" for {len(missing)} of {len(cov.by_cohort)} cohorts ({names}; the first: {when})"
        else:
            whom = f" ({when})"
        out.append(
            _warn(
                lp,
                ("objectives", cov.index),
                f"objective {cov.objective.id!r} is served by no session and no follow-up after its first session{whom}: "
                "people forget what they meet once; list it in a later session's or a reinforcement's `objectives`",
            )
        )
    return out


def program_warnings(programs: list[LoadedProgram], today: dt.date) -> list[Problem]:
    """Every warning of every program, sorted like errors."""
    out: list[Problem] = []
    for lp in programs:
        out += objective_warnings(lp, today) + status_warnings(lp, today)
        out += working_hours_warnings(lp) + series_warnings(lp) + reinforcement_warnings(lp)
    out += floor_warnings(programs)
    return sorted(set(out))
