"""Every feedback number of the spec, with the k_feedback threshold already applied.

Pages, the admin view and `lchc-gen feedback` all read these objects: a figure that is
hidden here is hidden everywhere, and a shown one reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from ..disclosure.small_groups import DISTRIBUTION_MIN, reveals
from ..programs.load import LoadedProgram
from ..render import long_date
from .load import CONFIDENCE_SCALE, FeedbackData, Run, Submission

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
    return f"not enough answers ({n} {'person' if n == 1 else 'people'} of at least {k})"


def would_reveal(n: int) -> str:
    return f"not shown: with answers from {n} people it would give away how they answered"


def appear(closes: dt.date | None) -> str:
    """When an open run's results appear: the day after its closing day."""
    if closes is None:
        return "once the run has a closing day"
    return f"from {long_date(closes + dt.timedelta(days=1))}"


def results_from(closes: dt.date | None) -> str:
    return f"the run is still open: results {appear(closes)}"


NPS_GROUPS = (0, 1, 2)  # detractor, passive, promoter: all an NPS and its margin say of an answer


def nps_group(answer: int) -> int:
    return 0 if answer <= 6 else 1 if answer <= 8 else 2


def nps_printed(groups: tuple[int, ...]) -> tuple[int, int]:
    """What a page prints of an NPS (beside its n): the score and margin as whole numbers."""
    p, d, n = groups.count(2), groups.count(0), len(groups)
    return whole(nps_value(p, d, n)), whole(nps_margin(p, d, n))


def confidence_printed(answers: tuple[int, ...]) -> str:
    """What a page prints of a confidence mean: one decimal."""
    return f"{sum(answers) / len(answers):.1f}"


@dataclass(frozen=True)
class Nps:
    answers: int  # people who answered
    k: int
    promoters: int | None  # None when hidden
    detractors: int | None
    score: float | None
    margin: float | None
    hidden: str | None = None  # why it is not shown, when the reason is not too few people

    @property
    def shown(self) -> bool:
        return self.score is not None

    @property
    def text(self) -> str:
        if self.score is None or self.margin is None:
            return self.hidden or not_enough(self.answers, self.k)
        return f"{signed(whole(self.score))} \u00b1 {whole(self.margin)}"


@dataclass(frozen=True)
class Confidence:
    objective_id: str
    answers: int  # people who answered
    k: int
    mean: float | None  # None when hidden
    hidden: str | None = None

    @property
    def text(self) -> str:
        if self.mean is None:
            return self.hidden or not_enough(self.answers, self.k)
        return f"{self.mean:.1f} of 5 ({self.answers} {'person' if self.answers == 1 else 'people'})"


@dataclass(frozen=True)
class RunFeedback:
    index: int
    label: str
    submissions: int  # rows kept (one per person and session)
    respondents: int  # distinct people: respondent ids, plus rows without one (one session: one each)
    invited: int | None
    nps: Nps
    confidence: dict[str, Confidence]  # objective id -> confidence, in the program's order
    comments: tuple[str, ...] | None  # None: not shown (see comments_hidden)
    closes: dt.date | None = None  # the last day answers are taken
    open: bool = False  # not closed yet: public pages say when results appear
    late: int = 0  # submissions after the closing day, left out

    @property
    def response_rate(self) -> float | None:
        return self.respondents / self.invited if self.invited else None

    @property
    def response_text(self) -> str:
        if self.invited is None:
            return f"{self.respondents} responded (group size not known)"
        return f"{self.respondents} of {self.invited} ({whole(100 * self.respondents / self.invited)}%)"

    @property
    def comments_hidden(self) -> str:
        if self.open:
            return f"No comments shown yet: this run is still open; comments appear {appear(self.closes)}."
        return f"No comments shown: fewer than {self.nps.k} people answered in this run ({self.respondents})."

    @property
    def open_text(self) -> str:
        return results_from(self.closes)

    def public(self) -> "RunFeedback":
        """What public pages (and owners' comments) show: nothing of a run that is still open, so that
        an answer arriving between two builds cannot be told by how the figures moved."""
        if not self.open:
            return self
        until = results_from(self.closes)
        return replace(
            self,
            nps=Nps(self.nps.answers, self.nps.k, None, None, None, None, until),
            confidence={oid: Confidence(oid, c.answers, c.k, None, until) for oid, c in self.confidence.items()},
            comments=None,
        )


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

    def public(self) -> "ProgramFeedback":
        return replace(self, runs=tuple(r.public() for r in self.runs))


_FLOOR = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def people(subs: list[Submission]) -> tuple[list[Submission], list[str]]:
    """Thresholds and figures count people, not rows: a learner who answered after several sessions
    of a run counts once, with their latest answer to each question (ties: the later row).
    Returns one submission per person (answers merged) and every comment."""
    comments = [s.comment for s in subs if s.comment]
    ids = [s.respondent for s in subs if s.respondent is not None]
    if len(set(ids)) == len(ids):  # the usual case: nobody answered twice in this run
        return subs, comments
    by: dict[object, list[Submission]] = {}
    for s in sorted(subs, key=lambda s: (s.submitted_at or _FLOOR, s.row)):
        by.setdefault(s.respondent if s.respondent is not None else (s.file, s.row), []).append(s)
    out = []
    for rows in by.values():
        if len(rows) == 1:
            out.append(rows[0])
            continue
        confidence: dict[str, int] = {}
        for s in rows:
            confidence.update(s.confidence)  # later rows win
        nps = next((s.nps for s in reversed(rows) if s.nps is not None), None)
        out.append(replace(rows[-1], nps=nps, confidence=confidence))
    return out, comments


def closing_day(run: Run, lp: LoadedProgram, after_days: int) -> dt.date | None:
    """The last day a run takes answers: the file's `closes`, else its last session (the cohort's,
    or the program's) plus `close_after_days`; None when the program has no session."""
    if run.closes is not None:
        return run.closes
    days = [o.start.date() for o in lp.occurrences if not o.cancelled and (not run.cohort or o.session.cohort == run.label)]
    return max(days) + dt.timedelta(days=after_days) if days else None


def _nps(answers: list[int], k: int) -> Nps:
    n = len(answers)
    if n < k:
        return Nps(n, k, None, None, None, None)
    # Below DISTRIBUTION_MIN people, the printed score, margin and n must not rebuild who said what.
    if n < DISTRIBUTION_MIN and reveals([nps_group(a) for a in answers], NPS_GROUPS, nps_printed):
        return Nps(n, k, None, None, None, None, would_reveal(n))
    promoters = sum(1 for a in answers if a >= 9)
    detractors = sum(1 for a in answers if a <= 6)
    return Nps(n, k, promoters, detractors, nps_value(promoters, detractors, n), nps_margin(promoters, detractors, n))


def _confidence(oid: str, values: list[int], k: int) -> Confidence:
    n = len(values)
    if n < k:
        return Confidence(oid, n, k, None)
    if n < DISTRIBUTION_MIN and reveals(values, CONFIDENCE_SCALE, confidence_printed):
        return Confidence(oid, n, k, None, would_reveal(n))
    return Confidence(oid, n, k, sum(values) / n)


def _run(run: Run, subs: list[Submission], lp: LoadedProgram, k: int, today: dt.date, after_days: int) -> RunFeedback:
    closes = closing_day(run, lp, after_days)
    late = 0
    if closes is not None:
        cutoff = dt.datetime.combine(closes + dt.timedelta(days=1), dt.time(), dt.timezone.utc)  # the closing day, in UTC
        kept = [s for s in subs if s.submitted_at is None or s.submitted_at < cutoff]
        late, subs = len(subs) - len(kept), kept
    who, said = people(subs)
    nps = _nps([p.nps for p in who if p.nps is not None], k)
    confidence = {o.id: _confidence(o.id, [p.confidence[o.id] for p in who if o.id in p.confidence], k) for o in lp.program.objectives}
    comments = None
    if len(who) >= k:
        # Sorted, not in file order: the order must not tie a comment to a row or a time.
        comments = tuple(sorted(said, key=str.casefold))
    invited = run.invited or lp.program.audience.size
    is_open = closes is None or today <= closes
    return RunFeedback(run.index, run.label, len(subs), len(who), invited, nps, confidence, comments, closes, is_open, late)


class FeedbackScores:
    """Every program's feedback by run, hiding applied."""

    def __init__(self, data: FeedbackData, programs: list[LoadedProgram], today: dt.date | None = None):
        self.data = data
        self.k = data.inputs.k_feedback
        today = today or dt.date.today()
        after = data.inputs.close_after_days
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
                tuple(_run(data.runs[i], runs.get(i, []), lp, self.k, today, after) for i in indices),
            )

    @property
    def notes(self) -> list[str]:
        """Figures that look wrong and are shown anyway (more respondents than people in the run),
        answers left out because they came after their run closed, and runs with no closing day."""
        late = [
            f"feedback: {pf.program_id}, run {run.label!r}: {run.late} submission{'s' if run.late != 1 else ''} after the "
            f"run closed on {run.closes} left out"
            for pf in self.programs.values()
            for run in pf.runs
            if run.late
        ]
        undated = [
            f"feedback: {pf.program_id}, run {run.label!r} has no closing day (the program has no session): its figures "
            "stay unpublished until the file has `closes`"
            for pf in self.programs.values()
            for run in pf.runs
            if run.closes is None
        ]
        return late + undated + [
            f"feedback: {pf.program_id}, run {run.label!r}: {run.respondents} respondents but {run.invited} people in the run "
            "(set `invited` on the file, or the program's audience.size)"
            for pf in self.programs.values()
            for run in pf.runs
            if run.invited is not None and run.respondents > run.invited
        ]

    def get(self, program_id: str) -> ProgramFeedback | None:
        return self.programs.get(program_id)

    def public(self) -> "FeedbackScores":
        """The same scores as public pages show them: open runs say when their results appear."""
        out = object.__new__(FeedbackScores)
        out.data, out.k = self.data, self.k
        out.programs = {pid: pf.public() for pid, pf in self.programs.items()}
        return out
