"""Load everything of the loop at once: feedback files, scores, and the LCHC link's attendance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import InputError, Problem
from ..programs.load import LoadedProgram
from ..survey import Scores
from ..yamlsrc import Loc, Source
from .checks import Attended, feedback_warnings
from .link import CyclePair, lchc_link, load_attendance
from .load import load_feedback
from .model import FeedbackInputs
from .observe import Observed, load_observations, observed_measures
from .reach import Reach, load_reach
from .score import FeedbackScores


@dataclass
class Loop:
    inputs: FeedbackInputs
    scores: FeedbackScores
    link: list[CyclePair] | None  # None: no LCHC link configured (or no survey data)
    notes: list[str]
    warnings: list[str] = field(default_factory=list)  # what would make a page untrue (checks.py): --strict fails
    observed: dict[str, Observed] = field(default_factory=dict)  # observation checklists, per program
    reach: dict[str, Reach] = field(default_factory=dict)  # rosters: who has not been reached, per program
    attended: Attended = field(default_factory=dict)  # program id -> day -> people (the LCHC link's attendance)


def load_loop(
    inputs: FeedbackInputs,
    programs: list[LoadedProgram],
    root: Path,
    survey: Scores | None,
    config: Source | None = None,
    loc: Loc = ("plugins", "lchc"),
    today: dt.date | None = None,
) -> Loop:
    """Every problem of every feedback and attendance file, raised once. ``config`` and ``loc``
    (the mkdocs.yml source and where the plugin's options are in it) name lines in errors."""
    problems: list[Problem] = []
    where = (*loc, "feedback", "lchc_link")

    def config_problem(field: str | None, message: str) -> Problem:
        at = (*where, field) if field else where
        if config is None:
            return Problem("mkdocs.yml", 1, ".".join(map(str, at)), message)
        return config.problem(at, message)

    data = None
    try:
        data = load_feedback(inputs, programs, root)
    except InputError as exc:
        problems += exc.problems
    observations, observed_notes = [], []
    try:
        observations, observed_notes = load_observations(inputs, programs, root)
    except InputError as exc:
        problems += exc.problems
    reach: dict[str, Reach] = {}
    try:
        reach, reach_notes = load_reach(inputs, programs, root, today or dt.date.today())
        observed_notes += reach_notes
    except InputError as exc:
        problems += exc.problems
    link = None
    attended: Attended = {}
    cfg = inputs.lchc_link
    if cfg is not None:
        lp = next((x for x in programs if x.program.id == cfg.program), None)
        if lp is None:
            problems.append(config_problem("program", f"unknown program {cfg.program!r}"))
        elif survey is None:
            problems.append(config_problem(None, "the LCHC link needs the plugin's `survey` section"))
        else:
            unknown = sorted(set(cfg.cycle_dates) - set(survey.cycle_ids))
            if unknown:
                problems.append(config_problem("cycle_dates", f"unknown cycle {', '.join(unknown)} (cycles: {', '.join(survey.cycle_ids)})"))
            people = {p.id for p in survey.data.organisation.people}
            attendance, found = load_attendance(cfg, lp, root, people)
            problems += found
            for a in attendance:
                attended.setdefault(lp.program.id, {}).setdefault(a.day, set()).add(a.person)
            if not found and not unknown:
                link = lchc_link(cfg, attendance, survey)
    if problems or data is None:
        raise InputError(problems)
    scores = FeedbackScores(data, programs, today)
    warnings = [str(w) for w in feedback_warnings(data, programs, attended)]
    observed = observed_measures(observations, programs, inputs.k_feedback, inputs, today)
    return Loop(inputs, scores, link, data.notes + scores.notes + observed_notes, warnings, observed, reach, attended)
