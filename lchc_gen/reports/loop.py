"""The LCHC loop inside a team report: the agreement made after the previous cycle, its check-in,
and how the questions it targets moved (survey/movement), in words first with numbers beside."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..survey import Scores, TeamReport
from ..survey import format as fmt
from ..survey.agreements import STATUSES
from ..survey.movement import Movement, loop_view

STATUS_WORDS = {"tried": "tried it", "partly": "partly tried it", "not yet": "not tried it yet"}


def moved_words(m: Movement, label_of) -> str:
    """"Up from Sometimes (3.20) to Often (3.80)": the direction and the answers' words first."""
    if m.change is None or m.before is None or m.after is None:
        return f"Not compared: {m.why_not}."
    if fmt.signed(m.change) == fmt.signed(0):
        way = "About the same"
    else:
        way = "Up" if m.change > 0 else "Down"
    return (f"{way}: {label_of(m.after)} ({fmt.number(m.after)}) this cycle, "
            f"{label_of(m.before)} ({fmt.number(m.before)}) before (change {fmt.signed(m.change)}).")


def sure_words(m: Movement) -> str:
    """How sure the answers let us be about the change, without a verdict on the experiment."""
    if m.change is None:
        return ""
    if m.low is None or m.high is None:
        return f"There are {m.why_not}."
    span = f"the change could be anywhere from {fmt.signed(m.low)} to {fmt.signed(m.high)}"
    if fmt.signed(m.low) == fmt.signed(m.high):  # no spread in either cycle
        span = f"the change is {fmt.signed(m.low)} however they are resampled"
    if m.could_be_chance:
        return f"This could be chance: from the answers, {span}, which includes no change."
    return f"This is more than chance alone would usually give: from the answers, {span}."


def day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def loop_context(scores: Scores, report: TeamReport) -> dict:
    """What team_loop.html.j2 reads (merged into the team report's view)."""
    return {
        "loop": loop_view(scores, report.cycle_id, report.team_id),
        "loop_day": day,
        "loop_status": STATUS_WORDS,
        "moved_words": moved_words,
        "sure_words": sure_words,
    }


@dataclass(frozen=True)
class DepartmentCount:
    department: str  # the department team's name (no team below it is named)
    teams: int  # teams of the department taking part in the cycle
    made: int
    checked_in: int
    tried: int
    partly: int
    not_yet: int


def department_of(team_id: str, parents: dict[str, str | None]) -> str:
    """The team just below the top of its line (the top team is its own department)."""
    line = [team_id]
    while parents.get(line[-1]) is not None and parents[line[-1]] not in line:
        line.append(parents[line[-1]])
    return line[-2] if len(line) > 1 else line[0]


def agreement_counts(scores: Scores, cycle_id: str) -> list[DepartmentCount]:
    """Agreements made after ``cycle_id``'s reports and their check-ins, counted by department
    (admins only: they may read every report, so the counts tell them nothing new)."""
    org = scores.data.organisation
    parents = {t.id: t.parent for t in org.teams}
    counts: dict[str, list[int]] = {}
    for team_id in scores.team_ids(cycle_id):
        row = counts.setdefault(department_of(team_id, parents), [0] * 6)
        row[0] += 1
        a = scores.data.agreements.get((team_id, cycle_id))
        if a is None:
            continue
        row[1] += 1
        if a.status is not None:
            row[2] += 1
            row[3 + STATUSES.index(a.status)] += 1
    return [DepartmentCount(org.team(d).name, *row) for d, row in counts.items()]
