"""How the questions a team's agreed experiment targets moved from one cycle to the next.

Descriptive, never a verdict: the change of the team's mean on each targeted question, with an
interval from the answers themselves (a bootstrap of the change: each cycle's answers resampled
with replacement, a fixed seed so that every build prints the same interval).

What may be shown is decided by disclosure/changes.py (with the reasoning), and tested in
tests/survey/test_movement.py (an attacker's view included).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..disclosure.changes import change_may_show, interval_may_show
from .agreements import Agreement
from .score import DISTRIBUTION_MIN, SHOWN

DRAWS = 4000
LEVEL = 0.95
SEED = 2_318_023  # fixed: the same answers give the same interval in every build


@dataclass(frozen=True)
class Movement:
    """One targeted question, from the cycle of the agreement to the next."""

    question_id: str
    text: str
    before: float | None  # the team's mean in the earlier cycle, where shown
    after: float | None
    change: float | None  # after - before, where both are shown
    low: float | None  # the interval of the change, where both cycles have enough answers
    high: float | None
    why_not: str | None = None  # why no change (or no interval) is shown, in words

    @property
    def could_be_chance(self) -> bool | None:
        if self.low is None or self.high is None:
            return None
        return self.low <= 0 <= self.high


@dataclass(frozen=True)
class LoopView:
    """What a team report for one cycle shows of the loop."""

    agreement: Agreement | None  # made after the previous cycle's report
    previous_label: str | None
    movements: list[Movement]
    next_agreement: Agreement | None  # made after this cycle's report


def bootstrap_change(values: np.ndarray, before: np.ndarray, after: np.ndarray,
                     draws: int = DRAWS, seed: int = SEED) -> tuple[float, float]:
    """A percentile bootstrap interval (LEVEL) of mean(after) - mean(before), from each cycle's
    counts per scale value (``values``). Resampling a cycle's n answers with replacement is a
    multinomial draw of n from its own counts: only the counts enter, never rows or their order."""
    rng = np.random.default_rng(seed)
    values = np.asarray(values, dtype=float)
    means = []
    for counts in (before, after):
        counts = np.asarray(counts, dtype=int)
        n = int(counts.sum())
        means.append(rng.multinomial(n, counts / n, size=draws) @ values / n)
    diff = means[1] - means[0]
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(diff, [tail, 100 - tail])
    return float(low), float(high)


def _why(status: str, answers: int | None, label: str) -> str:
    if status == SHOWN:
        return ""
    if status == "suppressed":
        return f"the team's answers are not shown for {label}"
    if status == "withheld":
        return f"its mean is withheld for {label} (so few answers that it would show how each person answered)"
    return f"not enough answers to it in {label}"


def movements(scores, cycle_id: str, team_id: str, questions: list[str]) -> list[Movement]:
    """The targeted questions' movement from the previous cycle to ``cycle_id`` for one team."""
    previous = scores.previous.get(cycle_id)
    items = scores.items
    texts = {q.id: q.text for q in scores.data.questionnaire.questions}
    labels = {c.id: c.label for c in scores.data.inputs.cycles}
    counts_cols = [f"n_{v}" for v in scores.scale_values]
    out = []
    for q in questions:
        rows = [items.loc[(c, team_id, q)] if (c, team_id, q) in items.index else None for c in (previous, cycle_id)]
        if previous is None or any(r is None for r in rows):
            out.append(Movement(q, texts[q], None, None, None, None, None, "the team did not take part in both cycles"))
            continue
        before, after = rows
        reasons = [_why(r["status"], r["answers"], labels[c]) for r, c in zip(rows, (previous, cycle_id))]
        if not change_may_show(before["status"], after["status"]):
            out.append(Movement(q, texts[q], None, None, None, None, None, "; ".join(r for r in reasons if r)))
            continue
        b, a = float(before["mean"]), float(after["mean"])
        low = high = None
        why = None
        if interval_may_show(int(before["answers"]), int(after["answers"])):
            low, high = bootstrap_change(
                np.array(scores.scale_values), before[counts_cols].to_numpy(dtype=float), after[counts_cols].to_numpy(dtype=float)
            )
        else:
            why = f"too few answers to say how sure this is (an interval needs {DISTRIBUTION_MIN} answers in each cycle)"
        out.append(Movement(q, texts[q], b, a, a - b, low, high, why))
    return out


def loop_view(scores, cycle_id: str, team_id: str) -> LoopView | None:
    """The agreement made after the previous cycle and how its questions moved; the agreement made
    after this cycle. None when the team agreed nothing in either."""
    agreements = scores.data.agreements
    previous = scores.previous.get(cycle_id)
    before = agreements.get((team_id, previous)) if previous else None
    after = agreements.get((team_id, cycle_id))
    if before is None and after is None:
        return None
    labels = {c.id: c.label for c in scores.data.inputs.cycles}
    moved = movements(scores, cycle_id, team_id, before.questions) if before is not None else []
    return LoopView(before, labels.get(previous) if previous else None, moved, after)
