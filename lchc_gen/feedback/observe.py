"""Observed behaviour as a Level-3 measure: the managers' observation checklist, filled in as a form.

One row per observation: `learner` (a pseudonymous id: thresholds count people), `when`
(before / after the program), optional `submitted_at`, and one `obs:<objective-id>` column per
"do" objective: yes or no (empty: not observed either way). A survey tool's export is read through
tabular/ like the feedback files (its own headings, its identity columns dropped).

Per objective and phase, the share of learners seen doing it, among those observed. The latest
observation per learner and phase counts. A share is shown only when at least `k_feedback`
people were observed, and when the small-group check (disclosure/small_groups) finds that it
gives no one away; learners and answers are never published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .. import limits
from ..disclosure.small_groups import reveals
from ..problems import InputError, Problem
from ..programs.load import LoadedProgram
from ..programs.model import Domain
from ..tabular import Target, read_grid, to_canonical
from .load import _timestamp  # one reading of ISO 8601 stamps for every feedback file
from .model import FeedbackInputs, ObservationFile

OBS_PREFIX = "obs:"
PHASES = ("before", "after")
_YES = {"yes", "y", "1", "true", "seen", "x", "ja", "oui", "sí", "si"}
_NO = {"no", "n", "0", "false", "not seen", "nein", "non"}


@dataclass(frozen=True)
class Observation:
    closes: dt.date  # the round's closing day
    program: str
    learner: str
    phase: str
    file: str
    row: int
    submitted_at: dt.datetime | None
    seen: dict[str, bool]  # objective id -> seen doing it; unanswered ones left out


def observation_targets(lp: LoadedProgram) -> list[Target]:
    """The form's columns, and the wordings a survey tool heads them with: each behaviour by
    its objective's text or its first checklist item."""
    return [
        Target("learner", ("Learner", "Learner id", "Person", "Person id"), required=True),
        Target("when", ("When", "Before or after", "Phase"), required=True),
        Target("submitted_at", ("Submitted at",)),
        *(
            Target(f"{OBS_PREFIX}{o.id}", contains=tuple(t.rstrip(". ") for t in (o.text, *o.observe)), question=True,
                   described=f"objective {o.id} ({o.text!r})")
            for o in lp.program.objectives if o.domain is Domain.do
        ),
    ]


def _read(f: ObservationFile, lp: LoadedProgram, root: Path, problems: list[Problem], notes: list[str]) -> list[Observation]:
    path = root / f.path
    shown = f.path
    grid = read_grid(path, shown, problems, f.sheet, limits.FEEDBACK)
    if grid is None:
        return []
    table = to_canonical(grid, f.format, observation_targets(lp), f.columns, codes=f.codes, incomplete=f.incomplete)
    problems += table.problems
    notes += table.notes
    if not table.columns_ok or table.problems:
        return []

    def problem(row: int, column: str, message: str) -> None:
        problems.append(Problem(table.shown, row, table.heading(row, column), message, cell=True))

    do = {o.id for o in lp.program.objectives if o.domain is Domain.do}
    out, late = [], []
    for row, cells in table.rows:
        values = dict(zip(table.header, (c.strip() for c in cells)))
        before = len(problems)
        learner = values.get("learner", "")
        if not learner:
            problem(row, "learner", "learner is empty (a pseudonymous id: thresholds count people)")
        phase = values.get("when", "").casefold()
        if phase not in PHASES:
            problem(row, "when", f"{values.get('when', '')!r} is neither 'before' nor 'after'")
        stamp = None
        if raw := values.get("submitted_at"):
            stamp = _timestamp(raw)
            if stamp is None:
                problem(row, "submitted_at", f"not an ISO 8601 timestamp: {raw!r}")
        seen: dict[str, bool] = {}
        for name, raw in values.items():
            if not name.startswith(OBS_PREFIX) or not raw:
                continue
            oid = name[len(OBS_PREFIX):]
            answer = raw.casefold()
            if oid not in do:
                problem(row, name, f"objective {oid!r} is not a 'do' objective of program {lp.program.id!r}")
            elif answer in _YES or answer in _NO:
                seen[oid] = answer in _YES
            else:
                problem(row, name, f"{raw!r} is neither yes nor no")
        if len(problems) == before:
            if stamp is not None and stamp.date() > f.closes:
                late.append(row)
                continue
            out.append(Observation(f.closes, lp.program.id, learner, phase, table.shown, row, stamp, seen))
    if late:
        notes.append(f"{table.shown}: {len(late)} observation(s) submitted after the round closed on {f.closes} left out: rows {', '.join(map(str, late))}")
    return out


def load_observations(inputs: FeedbackInputs, programs: list[LoadedProgram], root: Path) -> tuple[list[Observation], list[str]]:
    """Every observation file's rows, the latest per (program, learner, phase); every problem at once."""
    by_id = {lp.program.id: lp for lp in programs}
    problems: list[Problem] = []
    notes: list[str] = []
    rows: list[Observation] = []
    for f in inputs.observations:
        lp = by_id.get(f.program)
        if lp is None:
            problems.append(Problem(f.path, 1, "(file)", f"configured for unknown program {f.program!r}", cell=True))
            continue
        rows += _read(f, lp, root, problems, notes)
    if problems:
        raise InputError(problems)
    floor = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    latest: dict[tuple[str, str, str], Observation] = {}
    for o in sorted(rows, key=lambda o: o.submitted_at or floor):  # stable: later rows win ties
        latest[(o.program, o.learner, o.phase)] = o
    if len(latest) < len(rows):
        notes.append(f"observations: {len(rows) - len(latest)} earlier observation(s) of the same learner and phase replaced by the latest")
    return list(latest.values()), notes


@dataclass(frozen=True)
class Share:
    people: int  # learners observed either way
    seen: int | None  # None: withheld
    why_hidden: str = ""

    @property
    def percent(self) -> int | None:
        return None if self.seen is None else round(100 * self.seen / self.people)

    @property
    def text(self) -> str:
        if self.seen is None:
            return self.why_hidden
        return f"{self.percent}% of {self.people} people observed"


def _summary(answers: tuple[int, ...]) -> tuple[int, int]:
    """What a page prints of a group: its size and its share to the whole percent."""
    return (len(answers), round(100 * sum(answers) / len(answers)))


def share(answers: list[bool], k: int) -> Share:
    """The share seen doing it, or why it is not shown (fewer than k people; a group it would give away)."""
    n = len(answers)
    if n < k:
        return Share(n, None, f"not enough people observed (n of at least {k})")
    if reveals([int(a) for a in answers], (0, 1), _summary) is not None:
        return Share(n, None, f"not shown: {n} people are too few for a yes-or-no share")
    return Share(n, sum(answers))


@dataclass(frozen=True)
class ObservedRow:
    objective_id: str
    text: str
    before: Share
    after: Share

    @property
    def change_text(self) -> str:
        if self.before.percent is None or self.after.percent is None:
            return "not shown"
        delta = self.after.percent - self.before.percent
        if delta == 0:
            return "no change"
        return f"{'up' if delta > 0 else 'down'} {abs(delta)} percentage point{'s' if abs(delta) != 1 else ''}"


@dataclass(frozen=True)
class Observed:
    """A program's observed behaviour: its rows once every round it reads has closed."""

    closes: dt.date  # the latest closing day of its rounds
    rows: tuple[ObservedRow, ...]
    today: dt.date  # the build date

    def public(self) -> tuple[ObservedRow, ...] | str:
        """The rows, or when they will appear: nothing moves with each new answer while a round is open."""
        return self.rows if self.today >= self.closes else f"results from {self.closes:%a} {self.closes.day} {self.closes:%b %Y}"


def observed_measures(
    observations: list[Observation], programs: list[LoadedProgram], k: int, inputs: FeedbackInputs | None = None,
    today: dt.date | None = None,
) -> dict[str, Observed]:
    """Per program with an observation file, a row per "do" objective."""
    out: dict[str, Observed] = {}
    closing = {f.program: f.closes for f in inputs.observations} if inputs else {}
    for f in inputs.observations if inputs else ():
        closing[f.program] = max(closing[f.program], f.closes)
    for lp in programs:
        mine = [o for o in observations if o.program == lp.program.id]
        if not mine and lp.program.id not in closing:
            continue
        rows = []
        for ob in lp.program.objectives:
            if ob.domain is not Domain.do:
                continue
            by_phase = {ph: [o.seen[ob.id] for o in mine if o.phase == ph and ob.id in o.seen] for ph in PHASES}
            rows.append(ObservedRow(ob.id, ob.text, share(by_phase["before"], k), share(by_phase["after"], k)))
        closes = closing.get(lp.program.id) or max(o.closes for o in mine)
        out[lp.program.id] = Observed(closes, tuple(rows), today or dt.date.today())
    return out
