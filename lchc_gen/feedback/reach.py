"""Who has not been reached yet: new joiners who arrived after the last session they could have
attended, and the next one they can catch.

A roster (an HR or survey-tool export through tabular/: `person`, `team`, `location`,
`start_date`, optional `manager`, the reader id of the team's manager) and the program's
attendance. A program can be joined at its entry points: the first session of each cohort, and
every date of an attendance group (`one_of`), each a complete run. As of the build date, each
person on the roster is one of:

- reached: attended a session;
- waiting: joined after the last entry point so far (or before any), so they could not have
  attended; the next entry point after they joined is the one they can catch;
- missed: an entry point fell between their start date and the build date, and they did not attend.

Public pages get counts per location; names (the `person` cells) go only into pages published
encrypted (access/publish), for the team's manager and the admins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .. import limits
from ..problems import InputError, Problem
from ..programs.cohorts import cohorts, next_occurrence
from ..programs.load import LoadedProgram
from ..programs.schedule import Occurrence
from ..tabular import Target, read_grid, to_canonical
from .link import load_attendance
from .model import FeedbackInputs, ReachInput

REACHED, WAITING, MISSED = "reached", "waiting", "missed"


@dataclass(frozen=True)
class Member:
    person: str  # as the roster gives it: often a name, so private
    team: str
    location: str
    start: dt.date
    manager: str | None  # reader id of the team's manager


@dataclass(frozen=True)
class Status:
    member: Member
    state: str  # REACHED, WAITING or MISSED
    last_before: Occurrence | None  # the last entry point before they joined
    next: Occurrence | None  # the next entry point they can catch (None: none planned)


@dataclass(frozen=True)
class Reach:
    program: str
    today: dt.date
    statuses: tuple[Status, ...]
    k: int  # k_feedback: people a public count needs

    def counts(self, key: str) -> list[tuple[str, dict[str, int], Occurrence | None]]:
        """Per location (or team): people by state, and the soonest next entry point of those waiting."""
        groups: dict[str, list[Status]] = {}
        for s in self.statuses:
            groups.setdefault(getattr(s.member, key), []).append(s)
        out = []
        for name in sorted(groups):
            mine = groups[name]
            by_state = {st: sum(1 for s in mine if s.state == st) for st in (REACHED, WAITING, MISSED)}
            nexts = [s.next for s in mine if s.state == WAITING and s.next is not None]
            out.append((name, {"people": len(mine), **by_state}, min(nexts, key=lambda o: o.start) if nexts else None))
        return out


def entry_points(lp: LoadedProgram) -> list[Occurrence]:
    """Where a person can join the program: each cohort's first session, and each date of an
    attendance group (a complete run each), in time order."""
    points: dict[str, Occurrence] = {}
    for c in cohorts(lp):
        held = sorted(c.held, key=lambda o: o.start)
        if held:
            points[held[0].anchor] = held[0]
    for o in lp.occurrences:
        if not o.cancelled and o.session.one_of:
            points[o.anchor] = o
    return sorted(points.values(), key=lambda o: o.start)


def roster_targets() -> list[Target]:
    return [
        Target("person", ("Person", "Person id", "Employee", "Employee id"), required=True),
        Target("team", ("Team", "Department"), required=True),
        Target("location", ("Location", "Site", "Office"), required=True),
        Target("start_date", ("Start date", "Started", "Hire date", "Joined"), required=True),
        Target("manager", ("Manager", "Manager id")),
    ]


def _roster(r: ReachInput, root: Path, problems: list[Problem], notes: list[str]) -> list[Member]:
    grid = read_grid(root / r.roster, r.roster, problems, r.sheet, limits.FEEDBACK)
    if grid is None:
        return []
    table = to_canonical(grid, r.format, roster_targets(), r.columns, codes=r.codes, incomplete=r.incomplete)
    problems += table.problems
    notes += table.notes
    if not table.columns_ok or table.problems:
        return []
    out, seen = [], {}
    for row, cells in table.rows:
        v = dict(zip(table.header, (c.strip() for c in cells)))
        before = len(problems)

        def problem(column: str, message: str) -> None:
            problems.append(Problem(table.shown, row, table.heading(row, column), message, cell=True))

        for name in ("person", "team", "location", "start_date"):
            if not v.get(name):
                problem(name, f"{name} is empty")
        start = None
        if v.get("start_date"):
            try:
                start = dt.date.fromisoformat(v["start_date"][:10])
            except ValueError:
                problem("start_date", f"not a date YYYY-MM-DD: {v['start_date']!r}")
        if v.get("person") in seen:
            problem("person", f"{v['person']!r} is on the roster twice (also row {seen[v['person']]})")
        if len(problems) == before and start is not None:
            seen[v["person"]] = row
            out.append(Member(v["person"], v["team"], v["location"], start, v.get("manager") or None))
    return out


def status_of(m: Member, attended: bool, points: list[Occurrence], now: dt.datetime) -> Status:
    joined = dt.datetime.combine(m.start, dt.time(), now.tzinfo)
    before = [o for o in points if o.start < joined]
    chances = [o for o in points if joined <= o.start and o.end <= now]
    nxt = next_occurrence([o for o in points if o.start >= joined], now)
    state = REACHED if attended else MISSED if chances else WAITING
    return Status(m, state, before[-1] if before else None, nxt)


def load_reach(inputs: FeedbackInputs, programs: list[LoadedProgram], root: Path, today: dt.date) -> tuple[dict[str, Reach], list[str]]:
    """Every roster's people with their state, per program; every problem at once."""
    by_id = {lp.program.id: lp for lp in programs}
    problems: list[Problem] = []
    notes: list[str] = []
    out: dict[str, Reach] = {}
    now = dt.datetime.combine(today, dt.time(), dt.timezone.utc)  # the build date, as the pages' "as of"
    for i, r in enumerate(inputs.reach):
        lp = by_id.get(r.program)
        if lp is None:
            problems.append(Problem(r.roster, 1, "(file)", f"configured for unknown program {r.program!r}", cell=True))
            continue
        members = _roster(r, root, problems, notes)
        attended: set[str] = set()
        if r.attendance is not None:
            rows, found = load_attendance(r, lp, root, None)
            problems += found
            attended = {a.person for a in rows}
            strangers = attended - {m.person for m in members}
            if strangers:
                notes.append(f"{r.attendance}: {len(strangers)} attendee(s) not on the roster {r.roster}: not counted")
        points = entry_points(lp)
        statuses = tuple(status_of(m, m.person in attended, points, now) for m in members)
        out[r.program] = Reach(r.program, today, statuses, inputs.k_feedback)
    if problems:
        raise InputError(problems)
    return out, notes


STATE_WORDS = {
    REACHED: "attended",
    WAITING: "joined after the last session they could have attended",
    MISSED: "could have attended, did not",
}


OTHER = "Other locations"


def reach_view(r: Reach) -> dict[str, object] | None:
    """What the program page shows: counts per location, never a name. Thresholds count people:
    locations of fewer than k are counted together (with the next smallest until the group has k,
    so no hidden group is the total less the shown ones); fewer than k in all: nothing is shown."""
    k = r.k
    rows = sorted(r.counts("location"), key=lambda row: (row[1]["people"], row[0]))
    if sum(c["people"] for _, c, _ in rows) < k:
        return None
    merged: list[tuple[str, dict[str, int], Occurrence | None]] = []
    while rows and (rows[0][1]["people"] < k or (merged and merged[0][1]["people"] < k)):
        name, c, nxt = rows.pop(0)
        if merged:
            _, m, mnxt = merged.pop()
            c = {key: c[key] + m[key] for key in c}
            nxt = min((o for o in (nxt, mnxt) if o is not None), key=lambda o: o.start, default=None)
        merged.append((OTHER, c, nxt))
    shown = sorted(rows, key=lambda row: row[0]) + merged
    total = {key: sum(c[key] for _, c, _ in shown) for key in ("people", REACHED, WAITING, MISSED)}
    return {"today": r.today, "locations": shown, "total": total, "k": k}


@dataclass(frozen=True)
class TeamPage:
    name: str  # stable; the publication makes it opaque
    html: str
    label: str  # kept encrypted, like the page
    readers: frozenset[str]


def team_pages(r: Reach, lp: LoadedProgram, admins: frozenset[str], env: jinja2.Environment) -> list[TeamPage]:
    """One private page per team: its people who have not been reached, for the team's manager(s)
    named on the roster and the admins; and one with every team for the admins."""

    tpl = env.get_template("reach_team.html.j2")
    teams: dict[str, list[Status]] = {}
    for s in r.statuses:
        teams.setdefault(s.member.team, []).append(s)
    pages = []
    for i, team in enumerate(sorted(teams)):
        mine = sorted(teams[team], key=lambda s: (s.state == REACHED, s.member.location, s.member.start, s.member.person))
        readers = frozenset(s.member.manager for s in mine if s.member.manager) | admins
        html = tpl.render(p=lp.program, team=team, statuses=mine, words=STATE_WORDS, today=r.today, reached=REACHED)
        pages.append(TeamPage(f"reach/{lp.program.id}/team-{i}", html, f"Not reached yet: {lp.program.title}, {team}", readers))
    if admins and teams:
        every = sorted(r.statuses, key=lambda s: (s.member.team, s.state == REACHED, s.member.start, s.member.person))
        html = tpl.render(p=lp.program, team=None, statuses=every, words=STATE_WORDS, today=r.today, reached=REACHED)
        pages.append(TeamPage(f"reach/{lp.program.id}/all", html, f"Not reached yet: {lp.program.title}, every team", admins))
    return pages
