"""Private pages of the loop: each program's learner comments (its owners and the admins) and
the L&D admin view (admins only). Rendered to HTML here; the caller publishes them encrypted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import jinja2

from ..programs.coverage import coverage_views
from ..programs.load import LoadedProgram
from ..programs.model import ReviewState
from ..survey.format import signed as fmt_signed
from .link import CAVEAT, MIN_GROUP, CyclePair
from .results import measure_views, with_unit
from .reach import Reach, team_pages
from .score import FeedbackScores

ADMIN_VIEW = "feedback/admin"
UPCOMING_DAYS = 30


@dataclass(frozen=True)
class PrivatePage:
    name: str  # stable name, e.g. "feedback/sales-discovery-calls/comments"; made opaque by the caller
    html: str
    label: str  # shown in "My reports" (kept encrypted)
    readers: frozenset[str]
    size_group: str


def comment_readers(lp: LoadedProgram, admins: frozenset[str]) -> frozenset[str]:
    """A program's comments: its owners and every admin."""
    return frozenset(lp.program.owners) | admins


def comment_pages(
    programs: list[LoadedProgram], scores: FeedbackScores, admins: frozenset[str], env: jinja2.Environment
) -> list[PrivatePage]:
    tpl = env.get_template("feedback_comments.html.j2")
    pages = []
    for lp in programs:
        pf = scores.get(lp.program.id)
        if pf is None:
            continue
        pf = pf.public()  # an open run's comments wait until it closes, as its figures do
        pages.append(
            PrivatePage(
                f"feedback/{lp.program.id}/comments",
                tpl.render(p=lp.program, pf=pf),
                f"Learner comments: {lp.program.title}",
                comment_readers(lp, admins),
                "feedback",
            )
        )
    return pages


def admin_view(
    programs: list[LoadedProgram],
    scores: FeedbackScores | None,
    link: list[CyclePair] | None,
    link_program: str | None,
    admins: frozenset[str],
    env: jinja2.Environment,
    today: dt.date,
    program_href: Callable[[str], str],
    privacy: list[tuple[str, list[dict]]] | None = None,  # per LCHC cycle (label), survey/privacy.summary rows
) -> PrivatePage:
    waiting = []
    for lp in programs:
        for o in lp.program.objectives:
            if o.stale or o.review.state in (ReviewState.in_review, ReviewState.draft, ReviewState.changes_requested):
                waiting.append((lp, o))
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    soon = sorted(
        ((o.start, lp, o) for lp in programs for o in lp.occurrences if not o.cancelled and today <= o.start.date() <= horizon),
        key=lambda row: (row[0].astimezone(dt.timezone.utc), row[1].program.id),
    )
    measures = [(lp, m, v) for lp in programs for m, v in measure_views(lp) if v is not None]
    titles = {lp.program.id: lp.program.title for lp in programs}
    html = env.get_template("feedback_admin.html.j2").render(
        programs=programs,
        scores=scores,
        waiting=waiting,
        coverage={lp.program.id: coverage_views(lp) for lp in programs},
        soon=[(lp, o) for _, lp, o in soon],
        days=UPCOMING_DAYS,
        today=today,
        measures=measures,
        value=with_unit,
        signed=fmt_signed,
        link=link,
        link_title=titles.get(link_program or ""),
        caveat=CAVEAT,
        min_group=MIN_GROUP,
        href=program_href,
        privacy=privacy,
    )
    return PrivatePage(ADMIN_VIEW, html, "L&D admin view: feedback, results and reviews", admins, "admin")


def reach_pages(programs: list[LoadedProgram], reach: dict[str, Reach], admins: frozenset[str], env: jinja2.Environment) -> list[PrivatePage]:
    """Per program with a roster, each team's people not reached yet (the team's manager and the
    admins) and every team's (the admins)."""
    return [
        PrivatePage(t.name, t.html, t.label, t.readers, "reach")
        for lp in programs if lp.program.id in reach
        for t in team_pages(reach[lp.program.id], lp, admins, env)
    ]
