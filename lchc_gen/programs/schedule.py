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

from dateutil.rrule import WEEKLY, rrule, weekdays

from .model import OneOff, Override, Program, Series, SessionFields

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

    @property
    def uid(self) -> str:
        """Stable across builds and edits of times, so re-importing updates the event."""
        return f"{self.program_id}.{self.session.id}.{self.original_date:%Y%m%d}@lchc-gen"

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
    rule = rrule(
        WEEKLY,
        dtstart=dt.datetime.combine(series.first_date, dt.time()),
        interval=series.interval,
        byweekday=[_RRULE_DAYS[d] for d in series.weekdays],
        until=dt.datetime.combine(series.until, dt.time()) if series.until else None,
        count=series.count,
    )
    excluded = set(series.exceptions)
    return [d.date() for d in rule if d.date() not in excluded]


def _occurrence(program: Program, index: int, s: SessionFields, day: dt.date, ov: Override | None = None) -> Occurrence:
    zone = program.zone
    when = ov.new_date if ov and ov.new_date else day
    start = _local(when, ov.start if ov and ov.start else s.start, zone)
    duration = ov.duration if ov and ov.duration else s.duration
    location = ov.location if ov and ov.location else s.location
    rationale = s.rationale
    if ov and ov.rationale:
        rationale = ov.rationale
    return Occurrence(
        program_id=program.id,
        session=s,
        index=index,
        original_date=day,
        start=start,
        end=(start.astimezone(dt.timezone.utc) + duration).astimezone(zone),
        location=location,
        rationale=rationale,
        override=ov,
        cancelled=bool(ov and ov.cancel),
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
    out.sort(key=lambda o: (o.start, o.index))
    return out


def reinforcement_date(occurrences: Sequence[Occurrence], offset_days: int) -> dt.date | None:
    held = [o for o in occurrences if not o.cancelled]
    return (max(o.end for o in held).date() + dt.timedelta(days=offset_days)) if held else None
