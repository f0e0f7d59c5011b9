"""Which session a reader can attend: the one place reports (and any other page) ask.

A program's sessions can each be meant for one group: the Leadership Development program has a
session per survey cycle, for the managers who received a report in that cycle. A session is for
a group when its id or its `cohort` names the group's key (a cycle id such as "2026-H2", as a
whole word, in any case). Which of them comes next is cohorts.next_occurrence's rule, as on
every other page.
"""

from __future__ import annotations

import datetime as dt
import re

from .cohorts import next_occurrence
from .load import LoadedProgram
from .schedule import Occurrence


def _names(text: str | None, key: str) -> bool:
    if not text:
        return False
    return re.search(rf"(?<![0-9a-z]){re.escape(key.lower())}(?![0-9a-z])", text.lower()) is not None


def occurrences_for(lp: LoadedProgram, key: str) -> list[Occurrence]:
    """The program's occurrences meant for one group, in time order; cancelled ones left out."""
    return [
        o for o in lp.occurrences
        if not o.cancelled and (_names(o.session.id, key) or _names(o.session.cohort, key))
    ]


def session_for(lp: LoadedProgram, key: str, now: dt.datetime) -> tuple[Occurrence | None, bool]:
    """A group's session as a page should name it at `now`: its next occurrence, or else its
    last one (then over: True). (None, False) when no session is meant for the group."""
    mine = occurrences_for(lp, key)
    upcoming = next_occurrence(mine, now)  # the one rule for "the next session a reader can attend"
    if upcoming is not None:
        return upcoming, False
    return (max(mine, key=lambda o: o.end), True) if mine else (None, False)
