"""Reinforcement coverage: what brings each objective back after the session that first serves it.

People forget what is taught once. For each objective and each cohort (programs/cohorts), the
first held session that serves it, then every later session and follow-up that serves it again.
A later date of the same attendance group (`one_of`) is another cohort's turn, not a repeat, so
it does not count. The warning (programs/checks), the program page and the admin view read
this one module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from .cohorts import Cohort, cohorts
from .load import LoadedProgram
from .model import Objective
from .schedule import FollowUp, Occurrence
from .timefmt import day_range


@dataclass(frozen=True)
class Touch:
    """One dated time an objective comes up: a session's occurrence or a follow-up's step."""

    kind: Literal["session", "follow-up"]
    key: str  # session id or reinforcement key: one mechanism
    title: str
    day: dt.date
    anchor: str  # the element's id on the program page
    format: str | None


@dataclass(frozen=True)
class CohortCoverage:
    cohort: str | None  # None: everyone
    first: Occurrence | None  # the first held session serving the objective
    again: tuple[Touch, ...]  # what serves it after that session, in time order

    @property
    def reinforced(self) -> bool:
        return self.first is None or bool(self.again)


@dataclass(frozen=True)
class ObjectiveCoverage:
    objective: Objective
    index: int  # position in the program file, for the warning's line
    by_cohort: tuple[CohortCoverage, ...]
    touches: tuple[Touch, ...]  # every time it comes up, all cohorts, in time order

    @property
    def unreinforced(self) -> list[CohortCoverage]:
        return [c for c in self.by_cohort if not c.reinforced]

    @property
    def fewest_again(self) -> int | None:
        """The fewest repeats any cohort meeting it gets; None when no session serves it."""
        counts = [len(c.again) for c in self.by_cohort if c.first is not None]
        return min(counts) if counts else None


def _session_touch(o: Occurrence) -> Touch:
    s = o.session
    return Touch("session", s.id, s.title, o.start.date(), o.anchor, s.format)


def _step_touch(f: FollowUp) -> Touch:
    r = f.reinforcement
    return Touch("follow-up", r.key, r.title, f.day, f.dom_id, r.format)


def _cohort_coverage(objective_id: str, c: Cohort) -> CohortCoverage:
    serving = [o for o in c.held if objective_id in o.session.objectives]
    if not serving:
        return CohortCoverage(c.name, None, ())
    first = min(serving, key=lambda o: o.start)
    later = [
        _session_touch(o)
        for o in serving
        if o.start >= first.end and not (first.session.one_of and o.session.one_of == first.session.one_of)
    ]
    # A follow-up on the day the first session ends counts: "later that day" is reinforcement too.
    steps = [_step_touch(f) for f in c.follow_ups if objective_id in f.reinforcement.objectives and f.day >= first.end.date()]
    return CohortCoverage(c.name, first, tuple(sorted(later + steps, key=lambda t: (t.day, t.kind, t.key))))


def coverage(lp: LoadedProgram) -> list[ObjectiveCoverage]:
    """Each objective of the program, in file order."""
    groups = cohorts(lp)
    steps = {f.dom_id: f for c in groups for f in c.follow_ups}
    out = []
    for i, ob in enumerate(lp.program.objectives):
        touches = [_session_touch(o) for o in lp.occurrences if not o.cancelled and ob.id in o.session.objectives]
        touches += [_step_touch(f) for f in steps.values() if ob.id in f.reinforcement.objectives]
        out.append(
            ObjectiveCoverage(
                ob, i, tuple(_cohort_coverage(ob.id, c) for c in groups), tuple(sorted(touches, key=lambda t: (t.day, t.kind, t.key)))
            )
        )
    return out


@dataclass(frozen=True)
class MechanismRow:
    """One session or follow-up that serves an objective, with its dates: the view's row."""

    kind: str
    title: str
    format: str | None
    days: tuple[dt.date, ...]
    anchor: str


def mechanisms(cov: ObjectiveCoverage) -> list[MechanismRow]:
    """The objective's mechanisms in the order they first come up."""
    rows: dict[tuple[str, str], list[Touch]] = {}
    for t in cov.touches:
        rows.setdefault((t.kind, t.key), []).append(t)
    return [
        MechanismRow(ts[0].kind, ts[0].title, ts[0].format, tuple(sorted({t.day for t in ts})), ts[0].anchor)
        for ts in rows.values()
    ]


def _times(n: int) -> str:
    return f"{n} time{'s' if n != 1 else ''}"


def coverage_views(lp: LoadedProgram) -> list[dict[str, object]]:
    """Per objective, in words: how often it comes back, and each mechanism with its dates."""
    out = []
    for cov in coverage(lp):
        fewest, several = cov.fewest_again, len(cov.by_cohort) > 1
        if fewest is None:
            verdict = "no session serves it"
        elif cov.unreinforced:
            verdict = "nothing brings it back after the first session" + (
                f" for {len(cov.unreinforced)} of {len(cov.by_cohort)} cohorts" if several else ""
            )
        elif several:
            verdict = f"each cohort meets it again at least {_times(fewest)} after its first session"
        else:
            verdict = f"comes back {_times(fewest)} after the first session"
        rows = [
            {
                "kind": r.kind,
                "title": r.title,
                "format": r.format,
                "anchor": r.anchor,
                "days": r.days,
                "when": day_range(r.days[0], r.days[-1]) + (f", {len(r.days)} dates" if len(r.days) > 1 else ""),
            }
            for r in mechanisms(cov)
        ]
        out.append({"objective": cov.objective, "verdict": verdict, "ok": not cov.unreinforced and fewest is not None, "rows": rows})
    return out
