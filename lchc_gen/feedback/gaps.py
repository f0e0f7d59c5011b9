"""From gaps to programs: per department, its lowest LCHC themes and the program objectives that
address them (the survey's ``gaps`` file), with how many of the department's managers attended.

Descriptive, for the admins: no manager is named or ranked. A department's theme figure is the
mean of its published question figures in the theme (survey/department), shown only when every
question of the theme with answers has one, so it says nothing the department view does not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..problems import Problem
from ..programs.load import LoadedProgram
from ..survey import Scores
from ..survey.department import DepartmentCycle, department_cycles
from .checks import Attended

LOWEST = 2  # themes shown per department


def gap_program_problems(scores: Scores, programs: list[LoadedProgram]) -> list[Problem]:
    """Every program and objective the gaps file names exists (file:line)."""
    gaps, src = scores.data.gaps, scores.data.gaps_source
    if gaps is None or src is None:
        return []
    known = {lp.program.id: [o.id for o in lp.program.objectives] for lp in programs}
    out = []
    for i, link in enumerate(gaps.themes):
        for j, ref in enumerate(link.objectives):
            at = ("themes", i, "objectives", j)
            if ref.program not in known:
                out.append(src.problem((*at, "program"), f"unknown program {ref.program!r}; programs: {', '.join(sorted(known))}"))
            elif ref.objective not in known[ref.program]:
                out.append(src.problem((*at, "objective"), f"program {ref.program!r} has no objective {ref.objective!r}; "
                                                             f"its objectives: {', '.join(known[ref.program])}"))
    return out


@dataclass(frozen=True)
class Addressed:
    program_id: str
    program_title: str
    objective: str  # its text
    attended: int | None  # the department's managers who attended (None: attendance not recorded)


@dataclass(frozen=True)
class LowTheme:
    theme: str
    value: float
    addressed: list[Addressed]  # empty: no program objective is mapped to it


@dataclass(frozen=True)
class DepartmentGaps:
    name: str
    head_name: str
    managers: int  # distinct managers of the department's teams
    lowest: list[LowTheme]
    unshown: int  # themes with no figure (a question figure missing)


def gaps_by_department(scores: Scores, programs: list[LoadedProgram], attended: Attended) -> dict[str, list[DepartmentGaps]]:
    """cycle id -> every department's lowest themes and what addresses them."""
    gaps = scores.data.gaps
    links = {t.theme: t.objectives for t in gaps.themes} if gaps else {}
    by_id = {lp.program.id: lp.program for lp in programs}
    org = scores.data.organisation
    out: dict[str, list[DepartmentGaps]] = {}
    for cycle, depts in department_cycles(scores).items():
        rows = []
        for dept in depts.values():
            managers = {org.team(c.team_id).manager for c in dept.crews}
            figures = _themes(dept)
            shown = sorted((v, n, t) for n, (t, v) in enumerate(figures.items()) if v is not None)
            lowest = []
            for value, _, theme in shown[:LOWEST]:
                addressed = []
                for ref in links.get(theme, []):
                    program = by_id[ref.program]
                    text = next(o.text for o in program.objectives if o.id == ref.objective)
                    days = attended.get(ref.program)
                    count = None if days is None else len(managers & set().union(*days.values()))
                    addressed.append(Addressed(program.id, program.title, text, count))
                lowest.append(LowTheme(theme, value, addressed))
            rows.append(DepartmentGaps(dept.name, dept.head_name, len(managers), lowest, len(figures) - len(shown)))
        out[cycle] = rows
    return out


def _themes(dept: DepartmentCycle) -> dict[str, float | None]:
    groups: dict[str, list] = {}
    for item in dept.items:
        groups.setdefault(item.question.theme, []).append(item)
    return {
        theme: float(np.mean([i.mean for i in items if i.answers])) if all(i.mean is not None for i in items if i.answers)
        and any(i.answers for i in items) else None
        for theme, items in groups.items()
    }
