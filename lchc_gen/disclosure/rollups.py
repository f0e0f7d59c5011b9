"""Roll-ups against differencing: which department figures may be published.

A roll-up is the mean of every member answer in a group of crews (a department). Its readers
open the report of every crew in it (that is how a department is drawn: access/authz), so they
know each crew whose mean is shown; subtracting those from the roll-up leaves the sum of the
hidden crews' answers (crews suppressed, or whose mean for the question is held back). A hidden
crew's mean is in no other published figure (no report, benchmark or overview shows it), so the
roll-ups are the only equations on it; the shown crews the benchmark adds up are all known to
these readers already.

For one question of one cycle, a roll-up is published when

- it has at least ``min_answers`` answers, and its own mean gives no small group's answers away;
- what its readers cannot see in it (the hidden crews' answers together) is itself a group of at
  least ``min_answers`` answers whose mean gives no answers away; and
- every hidden crew in it stays uncertain by at least ``protection`` (one step of the answer
  scale). The proof is a witness trade: the crew's mean moves up (or down) while partner crews,
  hidden and in exactly the same published roll-ups, move the other way, each within the scale.
  Every published figure stays as it is, so no reader can place the crew more narrowly.

Otherwise the roll-up is hidden, with the reason in words. Where a crew sits in two roll-ups (the
head of a sub-department's own crew is also a crew of the department above), one of them is
hidden first: the one with fewer hidden crews to hide among. Hiding only takes equations away.
The check is made for a reader of every roll-up (an admin); any other reader sees a part of them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from .small_groups import reveals

EPS = 1e-9

TOO_FEW = "too few answers"
GIVES_AWAY = "the mean of so few answers would show how people answered"
HIDDEN_TOO_FEW = "too few answers outside the teams shown"
HIDDEN_DERIVABLE = "a team that is not shown could be worked out"


@dataclass(frozen=True)
class Crew:
    answers: tuple[int, ...]  # its members' answers to the question (no N/A)
    shown: bool  # its mean for the question is shown in its report

    @property
    def mean(self) -> float:
        return sum(self.answers) / len(self.answers)


def protect_rollups(
    rollups: Mapping[Hashable, Sequence[str]],
    crews: Mapping[str, Crew],
    scale: Sequence[int],
    protection: float,
    min_answers: int,
) -> dict[Hashable, str | None]:
    """For each roll-up (name -> its crews), None when it may be published, or why it may not."""
    out: dict[Hashable, str | None] = {}
    for name, members in rollups.items():
        answers = [a for c in members for a in crews[c].answers]
        out[name] = TOO_FEW if len(answers) < min_answers else (GIVES_AWAY if reveals(answers, scale) else None)
    lo, hi = min(scale), max(scale)
    while True:
        published = [n for n, reason in out.items() if reason is None]
        found = _first_failure(published, rollups, crews, lo, hi, protection, min_answers, scale)
        if found is None:
            return out
        name, reason = found
        out[name] = reason


def _hidden(members: Sequence[str], crews: Mapping[str, Crew]) -> list[str]:
    return [c for c in members if not crews[c].shown and crews[c].answers]


def _first_failure(published, rollups, crews, lo, hi, protection, min_answers, scale) -> tuple[Hashable, str] | None:
    """The roll-up to hide next and why, or None when every published one is safe."""
    where: dict[str, frozenset] = {}
    for name in published:
        for c in _hidden(rollups[name], crews):
            where[c] = where.get(c, frozenset()) | {name}
    for name in published:
        hidden = _hidden(rollups[name], crews)
        residual = [a for c in hidden for a in crews[c].answers]
        if not residual:
            continue  # every crew in it is shown: it adds nothing its readers do not know
        if len(residual) < min_answers:
            return name, HIDDEN_TOO_FEW
        if reveals(residual, scale):
            return name, GIVES_AWAY
        for crew in hidden:
            partners = [crews[p] for p in hidden if p != crew and where[p] == where[crew]]
            if uncertainty(crews[crew], partners, lo, hi) < protection - EPS:
                # Hide the roll-up (of those holding the crew) with the fewest hidden crews to hide among.
                worst = min(where[crew], key=lambda n: (len(_hidden(rollups[n], crews)), str(n)))
                return worst, HIDDEN_DERIVABLE
    return None


def uncertainty(crew: Crew, partners: Sequence[Crew], lo: float, hi: float) -> float:
    """How far the crew's mean can move, up plus down, while the partners keep the sum of answers."""
    n, m = len(crew.answers), crew.mean
    room_down = sum(len(p.answers) * (p.mean - lo) for p in partners) / n  # partners absorb a rise
    room_up = sum(len(p.answers) * (hi - p.mean) for p in partners) / n
    return min(hi - m, room_down) + min(m - lo, room_up)
