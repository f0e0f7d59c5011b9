"""The agenda by series: each session once, its pattern in words, its dates listed compactly,
and every change (moved, cancelled, extra) called out with its own reason.

Also what a learner's time adds up to: an attendance group (``one_of``) counts once per learner.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Sequence
from zoneinfo import ZoneInfo

from .load import LoadedProgram
from .model import OneOff, Series, SessionFields
from .schedule import FollowUp, Occurrence, follow_ups
from .timefmt import day_range, minutes_text, offset_words, short_date, span, zone_city

_PLURAL_DAYS = {"MO": "Mondays", "TU": "Tuesdays", "WE": "Wednesdays", "TH": "Thursdays", "FR": "Fridays", "SA": "Saturdays", "SU": "Sundays"}
_DAYS = {k: v[:-1] for k, v in _PLURAL_DAYS.items()}
_NTH = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


def utc_iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def zone_words(key: str) -> str:
    city = zone_city(key)
    return "UTC" if city == "UTC" else f"{city} time"


def repeat_words(s: Series) -> str:
    """``Tuesdays``, ``Every 2 weeks on Mondays and Fridays``, ``Monthly on the first Tuesday``."""
    if s.frequency == "weekly":
        days = _and([_PLURAL_DAYS[d] for d in s.weekdays])
        return days if s.interval == 1 else f"Every {s.interval} weeks on {days}"
    every = {"monthly": ("Monthly", "months"), "yearly": ("Yearly", "years")}[s.frequency]
    head = every[0] if s.interval == 1 else f"Every {s.interval} {every[1]}"
    if s.frequency == "monthly" and s.weekdays:
        return f"{head} on the {_NTH[s.week_of_month or 1]} {_and([_DAYS[d] for d in s.weekdays])}"
    if s.frequency == "monthly":
        return f"{head} on the {_ordinal(s.first_date.day)}"
    return f"{head} on {s.first_date.day} {s.first_date:%B}"


def _clock(start: dt.time, minutes: int) -> str:
    end = (dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)).time()
    return f"{start:%H:%M}\u2013{end:%H:%M}"


def time_needed(occurrences: Sequence[Occurrence]) -> dict[str, Any]:
    """Sessions and minutes one learner attends: an attendance group counts as one occurrence."""
    held = [o for o in occurrences if not o.cancelled]
    solo = [o for o in held if o.session.one_of is None]
    groups: dict[str, list[Occurrence]] = {}
    for o in held:
        if o.session.one_of is not None:
            groups.setdefault(o.session.one_of, []).append(o)
    count = len(solo) + len(groups)
    minutes = sum(o.duration_minutes for o in solo) + sum(max(o.duration_minutes for o in g) for g in groups.values())
    return {
        "count": count,
        "minutes": minutes,
        "text": f"{count} session{'s' if count != 1 else ''}, {minutes_text(minutes)} in all",
        # Only a real choice is worth saying: "one of 1 dates" is not one.
        "groups": [len(g) for g in groups.values() if len(g) > 1],
    }


def other_zone_spans(occs: Sequence[Occurrence], zones: Sequence[str]) -> list[str]:
    """Each other zone's time; when daylight saving makes it differ between dates, each with its dates."""
    out = []
    for key in zones:
        zone = ZoneInfo(key)
        seen: dict[str, list[dt.date]] = {}
        for o in occs:
            s, e = o.start.astimezone(zone), o.end.astimezone(zone)
            day = "" if s.date() == o.start.date() else f" ({s:%a})"
            seen.setdefault(span(s, e, key) + day, []).append(o.start.date())
        if len(seen) == 1:
            out.extend(seen)
        else:
            out.extend(f"{text} on {', '.join(short_date(d) for d in days)}" for text, days in seen.items())
    return out


def _date_view(o: Occurrence, s: SessionFields) -> dict[str, Any]:
    usual = _clock(s.start, int(s.duration.total_seconds() // 60))
    this = f"{o.start:%H:%M}\u2013{o.end:%H:%M}"
    moved_day = o.moved and o.start.date() != o.original_date
    return {
        "occ": o,
        "anchor": o.anchor,
        "label": short_date(o.start.date() if not o.cancelled else o.original_date),
        "year": o.start.year,
        "time": this if this != usual or moved_day else "",
        "state": "cancelled" if o.cancelled else "moved" if o.moved else "extra" if o.extra is not None else "",
        "start_utc": utc_iso(o.start),
        "end_utc": utc_iso(o.end),
    }


def _change_view(o: Occurrence, s: SessionFields, home: str) -> dict[str, Any] | None:
    usual = _clock(s.start, int(s.duration.total_seconds() // 60))
    original = f"{short_date(o.original_date)} {o.original_date.year}"
    if o.cancelled:
        return {"anchor": o.anchor, "kind": "Cancelled", "text": f"{original}, {usual}", "reason": o.rationale}
    if o.moved:
        where = f"; in {o.location}" if o.override and o.override.location else ""
        return {
            "anchor": o.anchor,
            "kind": "Moved",
            "text": f"{original}, {usual}, is now {short_date(o.start.date())}, {span(o.start, o.end, home)}{where}",
            "reason": o.rationale,
        }
    if o.extra is not None:
        return {"anchor": o.anchor, "kind": "Extra", "text": f"{short_date(o.start.date())} {o.start.year}, {span(o.start, o.end, home)}", "reason": o.rationale}
    return None


def session_views(lp: LoadedProgram, zones: Sequence[str], ics_href: Callable[[str], str]) -> list[dict[str, Any]]:
    """One view per session of the program, in the order of their first occurrence."""
    p = lp.program
    people = p.people()
    objectives = {o.id: o for o in p.objectives}
    views = []
    for index, s in enumerate(p.sessions):
        occs = [o for o in lp.occurrences if o.index == index]
        held = [o for o in occs if not o.cancelled]
        minutes = int(s.duration.total_seconds() // 60)
        if isinstance(s, Series):
            listed = [o for o in occs if o.extra is None]
            first = min((o.original_date for o in listed), default=s.first_date)
            last = max((o.original_date for o in listed), default=s.first_date)
            when = f"{repeat_words(s)}, {_clock(s.start, minutes)} {zone_words(p.timezone)}, {day_range(first, last)}"
            when += f", {len(held)} time{'s' if len(held) != 1 else ''}"
            if s.exceptions:
                when += f" (none on {', '.join(short_date(d) for d in s.exceptions)})"
        else:
            o = occs[0]
            when = f"{o.start:%a} {o.start.day} {o.start:%b %Y}, {span(o.start, o.end, p.timezone)}"
        group = [o for o in lp.occurrences if s.one_of is not None and o.session.one_of == s.one_of and not o.cancelled]
        # The dates a person of this session's cohort chooses from; the group's others are other cohorts'.
        mine = [o for o in group if o.session.cohort == s.cohort or o.session.cohort is None or s.cohort is None]
        views.append(
            {
                "s": s,
                "series": isinstance(s, Series),
                "when": when,
                "minutes": minutes_text(minutes),
                "others": other_zone_spans(held, zones),
                "dates": [_date_view(o, s) for o in occs] if isinstance(s, Series) else [],
                "one": _date_view(occs[0], s) if isinstance(s, OneOff) else None,
                "changes": [c for c in (_change_view(o, s, p.timezone) for o in occs) if c],
                "facilitators": [people[f] for f in s.facilitators if f in people],
                "objectives": [objectives[o] for o in s.objectives if o in objectives],
                "group_size": len(mine),
                "group_others": len(group) - len(mine),
                "ics_href": ics_href(s.id),
                "sort": min((o.start for o in occs), default=None),
            }
        )
    views.sort(key=lambda v: (v["sort"] is None, v["sort"].astimezone(dt.timezone.utc) if v["sort"] else None))
    return views


def follow_up_views(lp: LoadedProgram) -> list[dict[str, Any]]:
    """Each reinforcement with its dated steps, grouped by what they follow."""
    p = lp.program
    objectives = {o.id: o for o in p.objectives}
    steps = follow_ups(p, lp.occurrences)
    out = []
    for index, r in enumerate(p.reinforcement):
        mine = [f for f in steps if f.index == index]
        by_anchor: dict[str, list[FollowUp]] = {}
        for f in mine:
            by_anchor.setdefault(f.anchor_label, []).append(f)
        if r.after is not None:
            offsets = _and([offset_words(d) for d in r.offsets])
            timing = f"{offsets} after " + (
                "each session of the group" if r.after.one_of else
                f"the release of the {r.after.lchc_cycle} LCHC reports" if r.after.lchc_cycle else
                "each occurrence" if r.after.each else "the last occurrence"
            )
        elif r.offset_days is not None:
            timing = f"{offset_words(r.offset_days)} after the last session"
        else:
            timing = ""
        out.append(
            {
                "r": r,
                "timing": timing,
                "time": _clock(r.start, int(r.duration.total_seconds() // 60)) + f" {zone_words(p.timezone)}" if r.start and r.duration else "",
                "objectives": [objectives[o] for o in r.objectives if o in objectives],
                "groups": [(label, [step_view(f, p.timezone) for f in fs]) for label, fs in by_anchor.items()],
            }
        )
    return out


def step_view(f: FollowUp, home: str) -> dict[str, Any]:
    """A whole-day step runs from midnight to midnight in the program's zone."""
    zone = ZoneInfo(home)
    start = f.start or dt.datetime.combine(f.day, dt.time(), zone)
    end = f.end or dt.datetime.combine(f.day + dt.timedelta(days=1), dt.time(), zone)
    return {
        "f": f,
        "id": f.dom_id,
        "label": f"{short_date(f.day)} {f.day.year}",
        "offset": f"+{offset_words(f.offset_days)}" if f.offset_days else "",
        "start_utc": utc_iso(start),
        "end_utc": utc_iso(end),
        "timed": f.start is not None,
        "time": span(f.start, f.end, home) if f.start is not None and f.end is not None else "",
    }
