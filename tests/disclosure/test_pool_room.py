"""The pool's room per reader, summed by segments from prefix sums, equals the sum team by team."""

from __future__ import annotations

import numpy as np
import pytest

from lchc_gen.disclosure.tables import EPS, Check, CycleTable, _brackets


def _table(rng: np.random.Generator, teams: int) -> CycleTable:
    means = np.round(rng.uniform(1, 5, size=(teams, 6)) * 4) / 4  # ties between scores happen
    means[rng.random(means.shape) < 0.2] = np.nan
    means[0] = np.nan  # a team with nothing shown
    shown = ~np.isnan(means)
    scores = np.where(shown.any(axis=1), np.nansum(means, axis=1) / np.maximum(shown.sum(axis=1), 1), np.nan)
    return CycleTable([f"t{i}" for i in range(teams)], means, scores, np.ones(6, dtype=bool), True, (1.0, 5.0), 1.0)


def _by_team(check: Check, teams: set[int], known: np.ndarray) -> tuple[np.ndarray, ...]:
    """The sums as written first: every unopened team's room, within its bracket, added up."""
    lo_s, hi_s = _brackets(check.t.scores, known, check.lo, check.hi)
    pool = np.zeros(len(check.x), dtype=bool)
    pool[check.all_active] = True
    pool[list(teams)] = False
    down, up = np.where(pool[:, None], check.down, 0.0), np.where(pool[:, None], check.up, 0.0)
    scores = np.nan_to_num(check.t.scores, nan=check.lo)
    sum_down, sum_up = check.counts * (scores - lo_s), check.counts * (hi_s - scores)
    all_down = down * np.minimum(1.0, sum_down / np.maximum(down.sum(axis=1), EPS))[:, None]
    all_up = up * np.minimum(1.0, sum_up / np.maximum(up.sum(axis=1), EPS))[:, None]
    rows = (np.minimum(down, sum_down[:, None]), np.minimum(up, sum_up[:, None]), all_down, all_up)
    return tuple(r.sum(axis=0) for r in rows)


@pytest.mark.parametrize("seed", range(12))
def test_pool_room_by_segments_equals_the_sum_team_by_team(seed: int) -> None:
    rng = np.random.default_rng(seed)
    check = Check(_table(rng, int(rng.integers(12, 60))))
    for _ in range(8):
        teams = {int(t) for t in rng.choice(check.all_active, size=int(rng.integers(1, 6)), replace=False)}
        for sees_percentile in (True, False):
            known = np.sort(check.t.scores[sorted(teams)]) if sees_percentile else np.array([])
            room = check._pool_room(teams, known)
            for got, want in zip(room.totals, _by_team(check, teams, known)):
                np.testing.assert_allclose(got, want, atol=1e-9)
