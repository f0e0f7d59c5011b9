"""From gaps to programs: one admin page per cycle (feedback/gaps), published like the admin view."""

from __future__ import annotations

import jinja2

from ..access.authz import readers_of_overview
from ..feedback.checks import Attended
from ..feedback.gaps import LOWEST, gaps_by_department
from ..feedback.private import PrivatePage
from ..programs.load import LoadedProgram
from ..survey import Scores
from ..survey import format as fmt

TEMPLATE = "gaps.html.j2"


def gap_pages(scores: Scores | None, programs: list[LoadedProgram], attended: Attended, env: jinja2.Environment) -> list[PrivatePage]:
    """One page per cycle with departments; none without a survey whose `gaps` file is set."""
    if scores is None or scores.data.gaps is None:
        return []
    admins = readers_of_overview(scores.data.organisation.admins)
    tpl = env.get_template(TEMPLATE)
    pages = []
    for cycle, rows in gaps_by_department(scores, programs, attended).items():
        label = scores.data.inputs.cycle(cycle).label
        pages.append(PrivatePage(f"{cycle}/gaps", tpl.render(rows=rows, cycle_label=label, fmt=fmt, lowest=LOWEST),
                                 f"From gaps to programs, {label}", admins, "admin"))
    return pages
