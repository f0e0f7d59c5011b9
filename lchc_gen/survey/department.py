"""A department's view: its crews' answers rolled up, cycle by cycle, and its crews side by side.

A department is a team whose manager opens the reports of teams below it (access/authz
``department_crews``). Its figure for a question is the mean over every member answer in the
department, each person counting once (so a big crew weighs more than a small one): "how often
people in the department say their manager does this". Suppressed crews' answers count in it too;
that is why disclosure/rollups decides, per question and cycle, whether it may be published.
The department score is the mean of its question figures, shown only when every question with
answers has one (otherwise it would give the missing one away).
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

import numpy as np

from ..access.authz import departments
from ..disclosure.rollups import Crew, protect_rollups
from . import format as fmt
from .model import Question
from .score import SHOWN, Participation, Scores


@dataclass(frozen=True)
class DepartmentItem:
    question: Question
    mean: float | None
    answers: int
    reason: str | None  # why the mean is not shown


@dataclass(frozen=True)
class DepartmentCrew:
    team_id: str
    team_name: str
    manager_name: str
    participation: Participation
    suppressed: bool
    statuses: list[str]  # per question, as in the crew's own report
    means: list[float | None]


@dataclass(frozen=True)
class DepartmentCycle:
    team_id: str  # the department's own team
    name: str
    head_id: str
    head_name: str
    cycle_id: str
    cycle_label: str
    participation: Participation
    items: list[DepartmentItem]
    score: float | None
    crews: list[DepartmentCrew]

    @property
    def shown(self) -> int:
        return sum(i.mean is not None for i in self.items)


def department_cycles(scores: Scores) -> dict[str, dict[str, DepartmentCycle]]:
    """cycle id -> department team id -> the department's figures for that cycle (worked out once
    per Scores: the pages, the privacy summary and the admins' gaps page all read them)."""
    if scores not in _computed:
        _computed[scores] = _department_cycles(scores)
    return _computed[scores]


_computed: WeakKeyDictionary[Scores, dict[str, dict[str, DepartmentCycle]]] = WeakKeyDictionary()


def _department_cycles(scores: Scores) -> dict[str, dict[str, DepartmentCycle]]:
    org = scores.data.organisation
    structure = {t.id: (t.manager, t.parent) for t in org.teams}
    share_up = scores.data.inputs.share_up
    scale = sorted(scores.scale_values)
    protection = float(min(b - a for a, b in zip(scale, scale[1:])))
    members = scores.data.responses[scores.data.responses["role"] == "member"].dropna(subset=["value"])
    # Each crew's answers to each question (a groupby into tuples is slow at a thousand teams).
    collected: dict[tuple[str, str, str], list[int]] = {}
    columns = [members[c].to_numpy(dtype=object).tolist() for c in ("cycle", "team", "question")]
    for key in zip(*columns, members["value"].to_numpy(dtype=int).tolist()):
        collected.setdefault(key[:3], []).append(key[3])
    answers = {k: tuple(v) for k, v in collected.items()}
    questions = list(scores.data.questionnaire.questions)
    drawn = departments(structure, share_up)
    out: dict[str, dict[str, DepartmentCycle]] = {}
    for cycle in scores.cycle_ids:
        taking_part = scores.team_ids(cycle)
        present = set(taking_part)
        depts = {t: [c for c in drawn[t] if c in present] for t in taking_part}
        depts = {t: crews for t, crews in depts.items() if len(crews) > 1}
        if not depts:
            continue
        items = scores.items.loc[cycle]
        status, means = items["status"].to_dict(), items["mean"].to_dict()
        members = sorted({c for cs in depts.values() for c in cs})
        verdicts = {}
        for q in scores.question_ids:
            crews = {c: Crew(answers.get((cycle, c, q), ()), status[(c, q)] == SHOWN) for c in members}
            verdicts[q] = (crews, protect_rollups(depts, crews, scale, protection, scores.min_responses))
        frame = scores.teams.loc[cycle, ["members", "invited", "participation", "participation_label", "suppressed"]]
        rows = dict(zip(frame.index, frame.itertuples(index=False)))
        out[cycle] = {t: _department(scores, cycle, t, crews, questions, verdicts, rows, status, means) for t, crews in depts.items()}
    return out


def _department(scores: Scores, cycle: str, team_id: str, crew_ids: list[str], questions: list[Question], verdicts,
                rows: dict, status: dict, means: dict) -> DepartmentCycle:
    org = scores.data.organisation
    team = org.team(team_id)
    items = []
    for q in questions:
        crews, verdict = verdicts[q.id]
        values = [a for c in crew_ids for a in crews[c].answers]
        reason = verdict[team_id]
        mean = float(np.mean(values)) if values and reason is None else None
        items.append(DepartmentItem(q, mean, len(values), reason if values else "no answers"))
    with_answers = [i for i in items if i.answers]
    complete = with_answers and all(i.mean is not None for i in with_answers)
    score = float(np.mean([i.mean for i in with_answers])) if complete else None
    members = sum(int(rows[c].members) for c in crew_ids)
    invited = sum(int(rows[c].invited) for c in crew_ids)
    crews = []
    for c in crew_ids:
        row = rows[c]
        crews.append(DepartmentCrew(
            c, org.team(c).name, org.person(org.team(c).manager).name,
            Participation(int(row.members), int(row.invited), float(row.participation), str(row.participation_label)),
            bool(row.suppressed),
            [str(status[(c, q.id)]) for q in questions],
            [None if np.isnan(means[(c, q.id)]) else float(means[(c, q.id)]) for q in questions],
        ))
    return DepartmentCycle(
        team_id, team.name, team.manager, org.person(team.manager).name, cycle, scores.data.inputs.cycle(cycle).label,
        Participation(members, invited, members / invited if invited else 0.0, fmt.participation_label(members, invited)), items, score, crews,
    )

