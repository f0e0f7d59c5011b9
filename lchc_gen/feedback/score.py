"""Every feedback number of the spec, with the k_feedback threshold already applied.

Pages, the admin view and `lchc-gen feedback` all read these objects: a figure that is
hidden here is hidden everywhere, and a shown one reads the same everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..programs.load import LoadedProgram
from .load import FeedbackData, Run, Submission

Z95 = 1.96


def whole(x: float) -> int:
    """Round half away from zero (Python's round() would take +12.5 to 12 and +13.5 to 14)."""
    return int(math.copysign(math.floor(abs(x) + 0.5), x))


def signed(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


def nps_value(promoters: int, detractors: int, answers: int) -> float:
    return 100.0 * (promoters - detractors) / answers


def nps_margin(promoters: int, detractors: int, answers: int) -> float:
    """95% margin of error of the NPS: 1.96 x 100 x sqrt((p + d - (p - d)^2) / n)."""
    p, d = promoters / answers, detractors / answers
    variance = max(0.0, p + d - (p - d) ** 2)  # exactly 0 when everyone agrees; never a tiny negative
    return Z95 * 100.0 * math.sqrt(variance / answers)


def not_enough(n: int, k: int) -> str:
    return f"not enough answers ({n} of at least {k})"


@dataclass(frozen=True)
class Nps:
    answers: int
    k: int
    promoters: int | None  # None when hidden
    detractors: int | None
    score: float | None
    margin: float | None

    @property
    def shown(self) -> bool:
        return self.score is not None

    @property
    def text(self) -> str:
        if self.score is None or self.margin is None:
            return not_enough(self.answers, self.k)
        return f"{signed(whole(self.score))} \u00b1 {whole(self.margin)}"


@dataclass(frozen=True)
class Confidence:
    objective_id: str
    answers: int
    k: int
    mean: float | None  # None when hidden

    @property
    def text(self) -> str:
        if self.mean is None:
            return not_enough(self.answers, self.k)
        return f"{self.mean:.1f} of 5 ({self.answers} answers)"


@dataclass(frozen=True)
class RunFeedback:
    index: int
    label: str
    submissions: int
    respondents: int  # distinct respondent ids, plus rows without one
    invited: int | None
    nps: Nps
    confidence: dict[str, Confidence]  # objective id -> confidence, in the program's order
    comments: tuple[str, ...] | None  # None: fewer than k submissions, so none are shown

    @property
    def response_rate(self) -> float | None:
        return self.respondents / self.invited if self.invited else None

    @property
    def response_text(self) -> str:
        if self.invited is None:
            return f"{self.respondents} responded (group size not known)"
        return f"{self.respondents} of {self.invited} ({whole(100 * self.respondents / self.invited)}%)"


@dataclass(frozen=True)
class ProgramFeedback:
    program_id: str
    title: str
    k: int
    runs: tuple[RunFeedback, ...]  # in the configured order: the trend

    @property
    def confidence_latest(self) -> dict[str, tuple[str, Confidence]]:
        """Each objective's confidence in the latest run that asked about it, with that run's name."""
        out: dict[str, tuple[str, Confidence]] = {}
        for run in self.runs:
            for oid, c in run.confidence.items():
                if c.answers:
                    out[oid] = (run.label, c)
        return out

    @property
    def runs_with_label(self) -> list[tuple[str, RunFeedback]]:
        return [(r.label, r) for r in self.runs]


def _run(run: Run, subs: list[Submission], lp: LoadedProgram, k: int) -> RunFeedback:
    answers = [s.nps for s in subs if s.nps is not None]
    n = len(answers)
    promoters = sum(1 for a in answers if a >= 9)
    detractors = sum(1 for a in answers if a <= 6)
    if n >= k:
        nps = Nps(n, k, promoters, detractors, nps_value(promoters, detractors, n), nps_margin(promoters, detractors, n))
    else:
        nps = Nps(n, k, None, None, None, None)
    confidence = {}
    for o in lp.program.objectives:
        values = [s.confidence[o.id] for s in subs if o.id in s.confidence]
        mean = sum(values) / len(values) if len(values) >= k else None
        confidence[o.id] = Confidence(o.id, len(values), k, mean)
    ids = {s.respondent for s in subs if s.respondent is not None}
    respondents = len(ids) + sum(1 for s in subs if s.respondent is None)
    comments = None
    if len(subs) >= k:
        # Sorted, not in file order: the order must not tie a comment to a row or a time.
        comments = tuple(sorted((s.comment for s in subs if s.comment), key=str.casefold))
    invited = run.invited or lp.program.audience.size
    return RunFeedback(run.index, run.label, len(subs), respondents, invited, nps, confidence, comments)


class FeedbackScores:
    """Every program's feedback by run, hiding applied."""

    def __init__(self, data: FeedbackData, programs: list[LoadedProgram]):
        self.data = data
        self.k = data.inputs.k_feedback
        by_program: dict[str, dict[int, list[Submission]]] = {}
        for s in data.submissions:
            by_program.setdefault(s.program, {}).setdefault(s.run, []).append(s)
        configured = {r.index: r.program for r in data.runs}
        self.programs: dict[str, ProgramFeedback] = {}
        for lp in programs:  # in the programs' order
            pid = lp.program.id
            runs = by_program.get(pid, {})
            # A file configured for this program is one of its runs even with no rows yet.
            indices = sorted(set(runs) | {i for i, p in configured.items() if p == pid})
            if not indices:
                continue
            self.programs[pid] = ProgramFeedback(
                pid, lp.program.title, self.k,
                tuple(_run(data.runs[i], runs.get(i, []), lp, self.k) for i in indices),
            )

    @property
    def notes(self) -> list[str]:
        """Figures that look wrong and are shown anyway: more respondents than people in the run."""
        return [
            f"feedback: {pf.program_id}, run {run.label!r}: {run.respondents} respondents but {run.invited} people in the run "
            "(set `invited` on the file, or the program's audience.size)"
            for pf in self.programs.values()
            for run in pf.runs
            if run.invited is not None and run.respondents > run.invited
        ]

    def get(self, program_id: str) -> ProgramFeedback | None:
        return self.programs.get(program_id)
