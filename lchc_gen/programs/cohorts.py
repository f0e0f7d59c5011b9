"""Who attends what: a program's cohorts, and the next session a reader can still attend.

A session with a ``cohort`` is for that cohort only; a session without one is for everyone. A
cohort's sessions are its own and everyone's, and its follow-ups those that follow them (or
follow nothing in particular: a fixed date, the last session, a report release). The calendars,
"time needed", the attendance wording and the next session all read this one module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Sequence

from .load import LoadedProgram
from .schedule import FollowUp, Occurrence, follow_ups


@dataclass(frozen=True)
class Cohort:
    key: str  # for ids and file names: "everyone", or the cohort's name as a slug
    name: str | None  # None: nobody is singled out, every session is for everyone
    occurrences: tuple[Occurrence, ...]  # its own and everyone's, cancelled ones included
    follow_ups: tuple[FollowUp, ...]

    @property
    def held(self) -> list[Occurrence]:
        return [o for o in self.occurrences if not o.cancelled]

    def next(self, now: dt.datetime) -> Occurrence | None:
        return next_occurrence(self.occurrences, now)


def slug(text: str) -> str:
    """A file name and URL value from a cohort's name: short enough for any file system (a long
    name keeps its start and gets a hash of the whole, so two long names still differ)."""
    key = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "cohort"
    if len(key) <= 60:
        return key
    return key[:50].rstrip("-") + "-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def cohorts(lp: LoadedProgram) -> list[Cohort]:
    """The program's cohorts in the order of their first session; one ("everyone") when no
    session names a cohort."""
    steps = follow_ups(lp.program, lp.occurrences)
    names: list[str] = []
    for o in sorted(lp.occurrences, key=lambda o: o.start):
        if o.session.cohort and o.session.cohort not in names:
            names.append(o.session.cohort)
    if not names:
        return [Cohort("everyone", None, tuple(lp.occurrences), tuple(steps))]
    out = []
    keys: set[str] = set()
    for name in names:
        mine = tuple(o for o in lp.occurrences if o.session.cohort in (name, None))
        anchors = {o.anchor for o in mine}
        key = slug(name)
        while key in keys:  # two names with one slug ("2026 H1", "2026-H1") still get two files
            key += "-2"
        keys.add(key)
        out.append(Cohort(key, name, mine, tuple(f for f in steps if f.anchor_id is None or f.anchor_id in anchors)))
    return out


def next_occurrence(occurrences: Sequence[Occurrence], now: dt.datetime) -> Occurrence | None:
    """The next session a reader can attend at ``now``: the first one not cancelled and not over
    (one under way counts: the reader can still join it)."""
    open_ = [o for o in occurrences if not o.cancelled and o.end > now]
    return min(open_, key=lambda o: o.start, default=None)


def cohorts_by_next(groups: Sequence[Cohort], now: dt.datetime) -> list[Cohort]:
    """Cohorts a reader can still join first (soonest next session first), then those that are over."""
    far = dt.datetime.max.replace(tzinfo=dt.timezone.utc)

    def key(c: Cohort) -> tuple[bool, dt.datetime]:
        nxt = c.next(now)
        return (nxt is None, nxt.start.astimezone(dt.timezone.utc) if nxt else far)

    return sorted(groups, key=key)


def build_moment(today: dt.date) -> dt.datetime:
    """The build date as a moment: the start of that day in UTC (the no-script view of "now")."""
    return dt.datetime.combine(today, dt.time(), dt.timezone.utc)
