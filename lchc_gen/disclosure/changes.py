"""What may be shown of a change between two cycles of one team's question (the LCHC loop).

- The change itself only where both cycles' means are shown: it is then the difference of two
  numbers its readers see anyway (the same readers open both cycles' reports: one organisation
  file decides them), so it discloses nothing new. Where either mean is withheld, suppressed or has
  too few answers, the change would give that mean back (the other mean plus or minus the change).
- Its interval only where both cycles have at least ``DISTRIBUTION_MIN`` answers: there the
  reports print each cycle's Never-to-Always counts, and the interval is computed from those
  counts alone (survey/movement), so it is a function of what the readers already see. Below that,
  a bootstrap interval of a few answers narrows down what they were (three answers all the same
  give an interval of width zero), so it is not shown.
"""

from __future__ import annotations

from .small_groups import DISTRIBUTION_MIN

SHOWN = "shown"  # the status of a question's mean that its report prints (survey/score)


def change_may_show(status_before: str, status_after: str) -> bool:
    return status_before == SHOWN and status_after == SHOWN


def interval_may_show(answers_before: int, answers_after: int) -> bool:
    return answers_before >= DISTRIBUTION_MIN and answers_after >= DISTRIBUTION_MIN
