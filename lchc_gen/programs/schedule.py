"""Expand series and one-off sessions into dated occurrences.

Series are expanded as *naive local* wall-clock times with dateutil's rrule and only
then given the program's zone, so a 09:00 session stays at 09:00 local time across a
daylight-saving change (its UTC time moves instead).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, YEARLY, rrule, weekdays

from .model import Extra, OneOff, Override, Program, Reinforcement, Series, SessionFields

_RRULE_DAYS = dict(zip(("MO", "TU", "WE", "TH", "FR", "SA", "SU"), weekdays))


@dataclass(frozen=True)
class Occurrence:
    program_id: str
    session: SessionFields
    index: int  # position of the session in the program file
    original_date: dt.date  # identity of the occurrence: stays put when it is moved
    start: dt.datetime  # aware, in the program's zone
    end: dt.datetime
    location: str | None
    rationale: str
    override: Override | None = None
    cancelled: bool = False
    extra: Extra | None = None  # an extra occurrence of a series

    @property
    def uid(self) -> str:
        """Stable across builds and edits of times, so re-importing updates the event."""
        tail = "x" if self.extra is not None else ""
        return f"{self.program_id}.{self.session.id}.{self.original_date:%Y%m%d}{tail}@lchc-gen"

    @property
    def anchor(self) -> str:
        """The occurrence's id on its program page."""
        tail = "-extra" if self.extra is not None else ""
        return f"{self.session.id}-{self.original_date:%Y-%m-%d}{tail}"

    @property
    def moved(self) -> bool:
        return self.override is not None and not self.cancelled

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def _local(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    # fold=0: a wall time that happens twice (autumn) means its first instance; one that does
    # not exist (spring gap) is normalised forward by the round trip through UTC.
    naive = dt.datetime.combine(day, time)
    return naive.replace(tzinfo=zone).astimezone(dt.timezone.utc).astimezone(zone)


def series_dates(series: Series) -> list[dt.date]:
    """The series' own dates, exceptions removed, before overrides."""
    common = dict(
        dtstart=dt.datetime.combine(series.first_date, dt.time()),
        interval=series.interval,
        until=dt.datetime.combine(series.until, dt.time()) if series.until else None,
        count=series.count,
    )
    if series.frequency == "weekly":
        rule = rrule(WEEKLY, byweekday=[_RRULE_DAYS[d] for d in series.weekdays], **common)
    elif series.frequency == "monthly" and series.weekdays:
        rule = rrule(MONTHLY, byweekday=[_RRULE_DAYS[d](series.week_of_month) for d in series.weekdays], **common)
    elif series.frequency == "monthly":
        # A day that some months lack (the 31st) is skipped in those months, as RFC 5545 says.
        rule = rrule(MONTHLY, bymonthday=series.first_date.day, **common)
    else:
        rule = rrule(YEARLY, bymonth=series.first_date.month, bymonthday=series.first_date.day, **common)
    excluded = set(series.exceptions)
    return [d.date() for d in rule if d.date() not in excluded]


def _occurrence(
    program: Program, index: int, s: SessionFields, day: dt.date, ov: Override | Extra | None = None
) -> Occurrence:
    zone = program.zone
    extra = ov if isinstance(ov, Extra) else None
    override = ov if isinstance(ov, Override) else None
    when = override.new_date if override and override.new_date else day
    start = _local(when, ov.start if ov and ov.start else s.start, zone)
    duration = ov.duration if ov and ov.duration else s.duration
    location = ov.location if ov and ov.location else s.location
    rationale = ov.rationale if ov and ov.rationale else s.rationale
    return Occurrence(
        program_id=program.id,
        session=s,
        index=index,
        original_date=day,
        start=start,
        end=(start.astimezone(dt.timezone.utc) + duration).astimezone(zone),
        location=location,
        rationale=rationale,
        override=override,
        cancelled=bool(override and override.cancel),
        extra=extra,
    )


def expand(program: Program) -> list[Occurrence]:
    """Every occurrence of every session of a program, cancelled ones included, in time order."""
    out: list[Occurrence] = []
    for index, s in enumerate(program.sessions):
        if isinstance(s, OneOff):
            out.append(_occurrence(program, index, s, s.date))
            continue
        overrides = {ov.date: ov for ov in s.overrides}
        out.extend(_occurrence(program, index, s, day, overrides.get(day)) for day in series_dates(s))
        out.extend(_occurrence(program, index, s, x.date, x) for x in s.extra)
    out.sort(key=lambda o: (o.start, o.index))
    return out


@dataclass(frozen=True)
class FollowUp:
    """One dated step of a reinforcement: a whole day, or a timed slot when the reinforcement has a start."""

    program_id: str
    reinforcement: Reinforcement
    index: int  # position in the program's reinforcement list
    day: dt.date
    offset_days: int | None  # from its anchor; None for a fixed date
    anchor_label: str  # what it follows, e.g. "Discovery practice, Tue 12 Oct 2027"
    anchor_key: str  # stable part of the UID naming the anchor
    start: dt.datetime | None = None  # aware, in the program's zone
    end: dt.datetime | None = None
    anchor_id: str | None = None  # the occurrence's id on the program page

    @property
    def uid(self) -> str:
        off = f".d{self.offset_days}" if self.offset_days is not None else ""
        return f"{self.program_id}.follow-up.{self.reinforcement.key}.{self.anchor_key}{off}@lchc-gen"

    @property
    def dom_id(self) -> str:
        off = f"-d{self.offset_days}" if self.offset_days is not None else ""
        return f"follow-up-{self.reinforcement.key}-{self.anchor_key}{off}"

    @property
    def sort_key(self) -> dt.datetime:
        if self.start is not None:
            return self.start.astimezone(dt.timezone.utc)
        return dt.datetime.combine(self.day, dt.time(), dt.timezone.utc)


def _anchors(program: Program, r: Reinforcement, occurrences: Sequence[Occurrence]) -> list[tuple[dt.date, str, str, str | None]]:
    """(date counted from, label, uid key, page anchor) for each thing the reinforcement follows."""
    held = [o for o in occurrences if not o.cancelled]

    def of(o: Occurrence) -> tuple[dt.date, str, str, str | None]:
        return (o.end.date(), f"{o.session.title}, {o.start:%a} {o.start.day} {o.start:%b %Y}", o.anchor, o.anchor)

    if r.date is not None:
        return [(r.date, "", f"{r.date:%Y%m%d}", None)]
    if r.offset_days is not None:
        last = max(held, key=lambda o: o.end, default=None)
        return [(last.end.date(), "the last session", "last", None)] if last else []
    a = r.after
    assert a is not None
    if a.lchc_cycle is not None:
        assert a.released is not None
        return [(a.released, f"the release of the {a.lchc_cycle} LCHC reports", f"cycle-{a.lchc_cycle.lower()}", None)]
    if a.one_of is not None:
        return [of(o) for o in held if o.session.one_of == a.one_of]
    mine = [o for o in held if o.session.id == a.session]
    if not a.each and mine:
        return [of(max(mine, key=lambda o: o.end))]
    return [of(o) for o in mine]


def follow_ups(program: Program, occurrences: Sequence[Occurrence]) -> list[FollowUp]:
    """Every dated step of every reinforcement, in time order."""
    out: list[FollowUp] = []
    for index, r in enumerate(program.reinforcement):
        offsets: list[int | None] = list(r.offsets) if r.after else [r.offset_days] if r.offset_days is not None else [None]
        for base, label, key, anchor_id in _anchors(program, r, occurrences):
            for off in offsets:
                day = base + dt.timedelta(days=off or 0)
                start = end = None
                if r.start is not None and r.duration is not None:
                    start = _local(day, r.start, program.zone)
                    end = (start.astimezone(dt.timezone.utc) + r.duration).astimezone(program.zone)
                out.append(FollowUp(program.id, r, index, day, off, label, key, start, end, anchor_id))
    out.sort(key=lambda f: (f.sort_key, f.index))
    return out
