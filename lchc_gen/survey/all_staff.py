""""You told us, we are doing": the organisation's results for all staff, by theme over cycles.

Aggregates only. A theme's figure in a cycle is the mean, over the theme's questions, of each
question's benchmark (the mean of the team means, over at least ``benchmark_min_teams`` teams
with enough answers): how the average team answers. It is shown only when every question of the
theme has a benchmark that a page for everyone may show (disclosure/everyone); otherwise the page
says why it is missing. Participation is counted over every team invited.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..disclosure.everyone import for_everyone
from ..programs.model import Change
from . import format as fmt
from .score import Participation, Scores

NO_BENCHMARK = "fewer teams than needed had enough answers"
PROTECTING = "it would let someone who reads team reports work out a team's numbers"


@dataclass(frozen=True)
class ThemeFigure:
    value: float | None
    reason: str | None  # why it is not shown


@dataclass(frozen=True)
class ThemeRow:
    theme: str
    questions: list[str]  # the question texts
    figures: list[ThemeFigure]  # one per cycle


@dataclass(frozen=True)
class AllStaff:
    cycles: list[str]  # labels, in order
    participation: list[Participation]
    teams: list[int]  # teams taking part, per cycle
    themes: list[ThemeRow]
    actions: list[Change]  # newest first
    min_teams: int


def all_staff_view(scores: Scores) -> AllStaff:
    questionnaire = scores.data.questionnaire
    scale = sorted(scores.scale_values)
    bounds = (float(scale[0]), float(scale[-1]))
    protection = float(min(b - a for a, b in zip(scale, scale[1:])))
    public: dict[str, dict[str, float | None]] = {}
    reasons: dict[str, dict[str, str]] = {}
    participation, teams = [], []
    for cycle in scores.cycle_ids:
        hidden = set().union(*(p for (c, _), p in scores.protected.items() if c == cycle))
        counts = scores.items.loc[cycle, "mean"].groupby(level="question").count()
        public[cycle], reasons[cycle] = {}, {}
        for q in scores.question_ids:
            b = scores.benchmark_items.get((cycle, q), np.nan)
            bench = None if np.isnan(b) else float(b)
            if for_everyone(bench, int(counts.get(q, 0)), q in hidden, bounds, protection):
                public[cycle][q] = bench
            else:
                reasons[cycle][q] = NO_BENCHMARK if bench is None else PROTECTING
        frame = scores.teams.loc[cycle]
        m, n = int(frame["members"].sum()), int(frame["invited"].sum())
        participation.append(Participation(m, n, m / n if n else 0.0, fmt.participation_label(m, n)))
        teams.append(len(frame))
    rows = []
    for theme in dict.fromkeys(q.theme for q in questionnaire.questions):
        qs = [q for q in questionnaire.questions if q.theme == theme]
        figures = []
        for cycle in scores.cycle_ids:
            missing = [reasons[cycle][q.id] for q in qs if q.id in reasons[cycle]]
            if missing:
                figures.append(ThemeFigure(None, missing[0]))
            else:
                figures.append(ThemeFigure(float(np.mean([public[cycle][q.id] for q in qs])), None))
        rows.append(ThemeRow(theme, [q.text for q in qs], figures))
    return AllStaff(
        cycles=[scores.data.inputs.cycle(c).label for c in scores.cycle_ids],
        participation=participation,
        teams=teams,
        themes=rows,
        actions=sorted(scores.data.actions, key=lambda a: a.date, reverse=True),
        min_teams=scores.benchmark_min_teams,
    )
