"""How survey numbers are shown: 2 decimals, whole percentages, plain descriptive words.

Scores keep full precision; only these helpers round. Rounding is half-up on the decimal
form of the number (4.125 -> "4.13"), as a reader checking by hand would round, rather than
Python's round-half-to-even.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from .model import ScaleOption

MISSING = "–"


@lru_cache(maxsize=1 << 16)  # a report prints the same few hundred means many times over
def _round(x: float, places: int) -> Decimal:
    d = Decimal(str(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return d.copy_abs() if d.is_zero() else d  # never "-0.00"


def number(x: float | None, places: int = 2) -> str:
    """``4.1`` -> ``"4.10"``; ``None`` -> a dash."""
    return MISSING if x is None else f"{_round(x, places):.{places}f}"


def signed(x: float | None, places: int = 2) -> str:
    """``0.4`` -> ``"+0.40"``, ``-0.4`` -> ``"-0.40"``, zero stays unsigned."""
    if x is None:
        return MISSING
    d = _round(x, places)
    return f"{d:+.{places}f}" if not d.is_zero() else f"{d:.{places}f}"


def percent(rate: float | None) -> str:
    """``0.7777`` -> ``"78%"``."""
    return MISSING if rate is None else f"{_round(rate * 100, 0):.0f}%"


def participation(members: int, invited: int) -> str:
    """``"7 of 9 (78%)"``."""
    return f"{members} of {invited} ({percent(members / invited)})"


def participation_label(members: int, invited: int) -> str:
    """The participation words of one group (integer arithmetic, as score.py's for every team)."""
    if members * 100 >= 75 * invited:
        return "strong"
    return "moderate" if members * 100 >= 60 * invited else "low: read with care"


def nearest_label(mean: float, scale: Sequence[ScaleOption]) -> str:
    """The scale word closest to a mean, for sentences like "happens Often (4.10)"."""
    return min(scale, key=lambda o: (abs(o.value - mean), -o.value)).label


def self_awareness_words(score: float | None, name: str | None = None) -> str:
    """The self-awareness score in plain, descriptive words (no advice): addressed to the
    manager ("you rate yourself"), or about them by name when someone else reads it."""
    if score is None:
        return "There is no self-awareness score: it needs a self-assessment and team answers on the same questions."
    who, self_, team = ("you rate", "yourself", "your team rates you") if name is None else (f"{name} rates", "themself", "the team rates them")
    if _round(score, 2).is_zero():
        return f"On average, {who} {self_} the same as {team}."
    direction = "higher" if score > 0 else "lower"
    return f"On average, {who} {self_} {number(abs(score))} points {direction} than {team}."
