"""Figures for everyone: which organisation-wide benchmarks a page open to all staff may show.

A question's benchmark is the mean of the shown team means (survey/score). The team reports
already show it to their readers, except where ``tables`` hid it so that a reader of several
reports cannot subtract them from it; a figure for everyone reaches those readers too. So a page
for everyone shows a question's benchmark only when

- no team report of the cycle hides it (every reader who opens a report with numbers was proven
  safe with it in view), and
- alone, it leaves every team's mean uncertain by at least ``protection``: a reader who opens no
  report knows only that the teams' means, each on the scale, add up to the benchmark times the
  number of teams (near an end of the scale that pins them all down).

A summary of several such benchmarks (a theme's mean) says no more than they do together.
"""

from __future__ import annotations

EPS = 1e-9


def alone_leaves(benchmark: float, teams: int, scale: tuple[float, float], protection: float) -> bool:
    """Whether a mean over ``teams`` team means, each within ``scale``, leaves each of them
    uncertain by at least ``protection``."""
    lo, hi = scale
    total = benchmark * teams
    low = max(lo, total - (teams - 1) * hi)
    high = min(hi, total - (teams - 1) * lo)
    return high - low >= protection - EPS


def for_everyone(benchmark: float | None, teams: int, hidden_in_a_report: bool, scale: tuple[float, float],
                 protection: float) -> bool:
    return (benchmark is not None and not hidden_in_a_report
            and alone_leaves(benchmark, teams, scale, protection))
