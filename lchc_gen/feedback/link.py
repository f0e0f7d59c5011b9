"""The LCHC link: how team and self-awareness scores moved between two LCHC cycles for managers
who attended the program in between, beside those who did not. A description, not proof."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .. import limits
from ..disclosure.published import PublicationRecord
from ..problems import Problem
from ..programs.load import LoadedProgram
from ..survey import Scores
from ..tabular import csv_records, read_text
from .load import shown_path
from .model import LchcLink, ReachInput

MIN_GROUP = 5  # managers per group before its mean is shown
_OCCURRENCE = re.compile(r"^(?P<id>[^@]+)@(?P<date>\d{4}-\d{2}-\d{2})$")
CAVEAT = (
    "This describes what happened; it does not show that the program caused it. Managers chose "
    "or were chosen to attend for reasons that may also move their scores, teams change between "
    "cycles, and small groups move by chance."
)


@dataclass(frozen=True)
class Attendance:
    person: str
    day: dt.date


def load_attendance(link: LchcLink | ReachInput, lp: LoadedProgram, root: Path, people: set[str] | None) -> tuple[list[Attendance], list[Problem]]:
    """Rows of (person, session or session@date); a series with several dates needs the date."""
    shown = shown_path(root / link.attendance, root)
    problems: list[Problem] = []
    text = read_text(root / link.attendance, shown, problems, limits.ATTENDANCE)
    if text is None:
        return [], problems
    try:
        rows = list(csv_records(text))
    except csv.Error as exc:
        return [], [Problem(shown, 1, "(file)", f"not a valid CSV file: {exc}", cell=True)]
    if not rows:
        return [], [Problem(shown, 1, "(file)", "the file is empty (a header row is required)", cell=True)]
    header = [h.strip().casefold() for h in rows[0][1]]
    for needed in ("person", "session"):
        if needed not in header:
            problems.append(Problem(shown, rows[0][0], needed, "required column is missing", cell=True))
    if problems:
        return [], problems
    pos = {name: header.index(name) for name in ("person", "session")}
    dates: dict[str, set[dt.date]] = {}
    for o in lp.occurrences:
        if not o.cancelled:
            dates.setdefault(o.session.id, set()).add(o.start.date())
    out = []
    for line, record in rows[1:]:
        cell = {name: (record[i].strip() if i < len(record) else "") for name, i in pos.items()}
        person, session = cell["person"], cell["session"]
        if not person:
            problems.append(Problem(shown, line, "person", "person is empty", cell=True))
        elif people is not None and person not in people:
            problems.append(Problem(shown, line, "person", f"unknown person {person!r} (not in the organisation file)", cell=True))
        m = _OCCURRENCE.match(session)
        sid = m.group("id") if m else session
        if sid not in dates:
            problems.append(Problem(shown, line, "session", f"program {lp.program.id!r} has no session {sid!r}", cell=True))
            continue
        if m:
            day = dt.date.fromisoformat(m.group("date"))
            if day not in dates[sid]:
                problems.append(Problem(shown, line, "session", f"session {sid!r} has no occurrence on {day}", cell=True))
                continue
        elif len(dates[sid]) == 1:
            day = next(iter(dates[sid]))
        else:
            problems.append(Problem(shown, line, "session", f"session {sid!r} has several dates: name one as {sid}@YYYY-MM-DD", cell=True))
            continue
        if person:
            out.append(Attendance(person, day))
    return out, problems


@dataclass(frozen=True)
class Group:
    managers: int  # distinct managers (one with several teams counts once)
    team_change: float | None  # None: fewer than MIN_GROUP managers
    self_awareness_change: float | None
    self_awareness_managers: int  # of those, with a self-assessment in both cycles
    members: frozenset[str] = frozenset()  # manager ids: never shown, kept to compare publications
    self_awareness_members: frozenset[str] = frozenset()
    as_of: dt.date | None = None  # shown as published then: the group has changed by too few managers since
    self_awareness_as_of: dt.date | None = None


@dataclass(frozen=True)
class CyclePair:
    first_label: str
    second_label: str
    first_date: dt.date
    second_date: dt.date
    attended: Group
    did_not: Group
    attendees: int  # people who attended between the two dates, counted or not
    left_out: int  # teams in both cycles left out: suppressed in one, no score, or a new manager
    first_id: str = ""
    second_id: str = ""


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _group(changes: dict[str, list[tuple[float, float | None]]]) -> Group:
    """Changes per manager (one entry per team they lead in both cycles): a manager counts once,
    with the mean change of their teams, so that thresholds count managers, not teams."""
    per_manager = {m: _mean([t for t, _ in rows]) for m, rows in changes.items()}
    sa_per_manager = {
        m: _mean(sa) for m, rows in changes.items() if (sa := [c for _, c in rows if c is not None])
    }
    n = len(per_manager)
    if n < MIN_GROUP:
        return Group(n, None, None, 0, frozenset(per_manager))
    shown_sa = len(sa_per_manager) >= MIN_GROUP
    return Group(
        n,
        _mean(list(per_manager.values())),
        _mean(list(sa_per_manager.values())) if shown_sa else None,
        len(sa_per_manager),
        frozenset(per_manager),
        frozenset(sa_per_manager),
    )


def lchc_link(link: LchcLink, attendance: list[Attendance], scores: Scores) -> list[CyclePair]:
    """One entry per pair of consecutive cycles that both have a date. The unit is a manager whose
    team (each of their teams) they led in both cycles, shown (not suppressed) in both."""
    cycles = [c for c in scores.data.inputs.cycles if c.id in link.cycle_dates]
    out = []
    for first, second in zip(cycles, cycles[1:]):
        d0, d1 = link.cycle_dates[first.id], link.cycle_dates[second.id]
        went = {a.person for a in attendance if d0 < a.day <= d1}
        before = {r.team_id: r for r in scores.team_reports(first.id)}
        attended: dict[str, list[tuple[float, float | None]]] = {}
        did_not: dict[str, list[tuple[float, float | None]]] = {}
        left_out = 0
        for r1 in scores.team_reports(second.id):
            r0 = before.get(r1.team_id)
            if r0 is None:
                continue
            if r0.suppressed or r1.suppressed or r0.manager_id != r1.manager_id or r0.team_score is None or r1.team_score is None:
                left_out += 1
                continue
            sa = None
            if r0.self_awareness is not None and r1.self_awareness is not None:
                sa = r1.self_awareness - r0.self_awareness
            group = attended if r1.manager_id in went else did_not
            group.setdefault(r1.manager_id, []).append((r1.team_score - r0.team_score, sa))
        out.append(CyclePair(first.label, second.label, d0, d1, _group(attended), _group(did_not), len(went), left_out, first.id, second.id))
    return out


def settle_link(pairs: list[CyclePair], record: PublicationRecord, program: str, today: dt.date) -> list[CyclePair]:
    """Each shown group as the record allows: a group that differs from its last published version
    by 1 to MIN_GROUP - 1 managers keeps that version (as of its date), so that no reader of two
    builds can work out the change of the few managers who moved in or out."""
    out = []
    for pair in pairs:
        figure = f"lchc-link/{program}/{pair.first_id}/{pair.second_id}"
        groups = {name: _settle(record, f"{figure}/{name}", getattr(pair, name), today) for name in ("attended", "did_not")}
        out.append(replace(pair, **groups))
    return out


def _settle(record: PublicationRecord, figure: str, g: Group, today: dt.date) -> Group:
    if g.team_change is None:  # not shown: nothing is published
        return g
    team, as_of = record.settle(figure, g.members, {"managers": g.managers, "change": g.team_change}, today, MIN_GROUP)
    g = replace(g, managers=team["managers"], team_change=team["change"], as_of=as_of)
    if g.self_awareness_change is None:
        return g
    sa, sa_as_of = record.settle(
        f"{figure}/self-awareness", g.self_awareness_members,
        {"managers": g.self_awareness_managers, "change": g.self_awareness_change}, today, MIN_GROUP,
    )
    return replace(g, self_awareness_managers=sa["managers"], self_awareness_change=sa["change"], self_awareness_as_of=sa_as_of)
