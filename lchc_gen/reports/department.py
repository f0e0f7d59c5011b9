"""Department view pages, rendered from ``survey.department``: one per department and cycle.

Read by the department's head and the admins (access/authz ``readers_of_department_view``);
published like team reports (encrypted, or plaintext in the development preview).
"""

from __future__ import annotations

import jinja2

from ..access.authz import readers_of_department_view
from ..survey import Scores
from ..survey import format as fmt
from ..survey.department import department_cycles
from .pages import ReportOptions, ReportPage, _heat, _src

TEMPLATE = "department.html.j2"


def department_src(opts: ReportOptions, cycle_id: str, team_id: str) -> str:
    return _src(opts, f"{cycle_id}/department-{team_id}")


def build_department_pages(scores: Scores, env: jinja2.Environment, opts: ReportOptions) -> list[ReportPage]:
    org = scores.data.organisation
    structure = {t.id: (t.manager, t.parent) for t in org.teams}
    tpl = env.get_template(TEMPLATE)
    by_cycle = department_cycles(scores)
    pages = []
    for order, cycle_id in enumerate(scores.cycle_ids):
        for team_id, dept in by_cycle.get(cycle_id, {}).items():
            # Every cycle up to this one in which the department had a view: its figures over time.
            history = [by_cycle[c][team_id] for c in scores.cycle_ids[: order + 1] if team_id in by_cycle.get(c, {})]
            pages.append(ReportPage(
                department_src(opts, cycle_id, team_id),
                tpl.render(d=dept, history=history, fmt=fmt, heat=_heat, min_responses=scores.min_responses,
                           label_of=lambda mean: fmt.nearest_label(mean, scores.data.questionnaire.scale)),
                readers=readers_of_department_view(team_id, structure, org.admins),
                label=f"{dept.name} (department view), {dept.cycle_label}",
                info={"cycle": order, "kind": "department"},
            ))
    return pages

