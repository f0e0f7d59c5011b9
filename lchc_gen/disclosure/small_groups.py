"""Small groups: can published summaries of a few answers give the answers away?

A distribution of answers (how many said Never ... Always) is withheld below ``DISTRIBUTION_MIN``
answers. Summaries of such a group (a mean, a mean with an SD, an NPS with its margin) must not
rebuild it: the check enumerates every multiset of answers of the same size on the same discrete
scale and keeps those that give the same published figures. The group is disclosed when

- exactly one multiset fits (any reader rebuilds the distribution: "distribution"), or
- one member, knowing their own answer, can tell another member's answer: every fitting multiset
  that contains their answer leaves the same others, all with one value ("one person's answer").
  (A member always learns the sum of the others' answers from a mean; that is what a mean of a
  small group is, and why the threshold is at least 3.)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from itertools import combinations_with_replacement

DISTRIBUTION_MIN = 5  # answers before a distribution is shown, and so before nothing needs checking

DISTRIBUTION = "distribution"
ONE_ANSWER = "one person's answer"

Multiset = tuple[int, ...]
Summary = Callable[[Multiset], Hashable]


def mean_2dp(answers: Multiset) -> Hashable:
    """What a page prints of an item: the mean to two decimals."""
    return round(sum(answers) / len(answers), 2)


def reveals(answers: Sequence[int], scale: Sequence[int], summary: Summary = mean_2dp) -> str | None:
    """Why ``summary(answers)`` gives answers away (``DISTRIBUTION`` / ``ONE_ANSWER``), or None.

    Groups of ``DISTRIBUTION_MIN`` or more are not checked: their distribution is published anyway.
    """
    group = tuple(sorted(int(a) for a in answers))
    if not group or len(group) >= DISTRIBUTION_MIN:
        return None
    return _reveals(group, tuple(sorted(scale)), summary)


@lru_cache(maxsize=65536)
def _reveals(group: Multiset, scale: tuple[int, ...], summary: Summary) -> str | None:
    fitting = _by_summary(len(group), scale, summary)[summary(group)]
    if len(fitting) == 1:
        return DISTRIBUTION
    for own in set(group):
        others = set()
        for candidate in fitting:
            if own in candidate:
                rest = list(candidate)
                rest.remove(own)
                others.add(tuple(rest))
        if len(others) == 1 and len(set(next(iter(others)))) == 1:
            return ONE_ANSWER
    return None


@lru_cache(maxsize=64)
def _by_summary(n: int, scale: tuple[int, ...], summary: Summary) -> dict[Hashable, list[Multiset]]:
    """Every multiset of n answers on the scale, grouped by what the summary publishes of it."""
    groups: dict[Hashable, list[Multiset]] = {}
    for candidate in combinations_with_replacement(scale, n):
        groups.setdefault(summary(candidate), []).append(candidate)
    return groups
