"""Warnings for feedback that would make a page say something untrue: answers dated before the
session they are about, and more people answering about a session than attended it.

Only what the data says can be checked: a row is about a session when it names one (its
`session` column); a file of earlier runs that names none is taken as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from ..problems import Problem
from ..programs.load import LoadedProgram
from ..render import long_date
from .load import FeedbackData, Submission

_OCCURRENCE = re.compile(r"^(?P<id>[^@]+)@(?P<date>\d{4}-\d{2}-\d{2})$")

# Program id -> session day -> people who attended (the LCHC link's attendance file).
Attended = dict[str, dict[dt.date, set[str]]]


def _starts(lp: LoadedProgram, session: str) -> list[dt.datetime]:
    """Start times (aware) of the occurrences a row's `session` names: one for session@date, else all."""
    m = _OCCURRENCE.match(session)
    sid, day = (m.group("id"), dt.date.fromisoformat(m.group("date"))) if m else (session, None)
    return sorted(o.start for o in lp.occurrences if not o.cancelled and o.session.id == sid and (day is None or o.start.date() == day))


def _people(rows: list[Submission]) -> int:
    return len({s.respondent if s.respondent is not None else (s.file, s.row) for s in rows})


def feedback_warnings(data: FeedbackData, programs: list[LoadedProgram], attended: Attended | None = None) -> list[Problem]:
    """One warning per run and session: its first early row and how many there are; and a session
    answered by more people than the attendance file says attended it."""
    by_id = {lp.program.id: lp for lp in programs}
    groups: dict[tuple[int, str, str], list[Submission]] = defaultdict(list)
    for s in data.submissions:
        if s.session and s.program in by_id:
            groups[(s.run, s.program, s.session)].append(s)
    out: list[Problem] = []
    for (_, pid, session), rows in sorted(groups.items()):
        starts = _starts(by_id[pid], session)
        if not starts:
            continue
        first = starts[0]
        early = sorted((s for s in rows if s.submitted_at is not None and s.submitted_at < first), key=lambda s: s.row)
        if early:
            n = len(early)
            out.append(Problem(
                early[0].file, early[0].row, "submitted_at",
                f"dated {early[0].submitted_at:%Y-%m-%d %H:%M} UTC, before the session it is about ({session}, "
                f"{long_date(first.date())} {first:%H:%M}){f'; so are {n - 1} more rows of this run' if n > 1 else ''}",
                cell=True,
            ))
        days = {st.date() for st in starts}
        went = set().union(*(attended.get(pid, {}).get(d, set()) for d in days)) if attended else set()
        if went and _people(rows) > len(went):
            first_row = min(rows, key=lambda s: s.row)
            out.append(Problem(
                first_row.file, first_row.row, "respondent",
                f"{_people(rows)} people answered about {session}, but the attendance file lists {len(went)} who attended it",
                cell=True,
            ))
    return out
