"""Hidden teams against differencing: which benchmarks and percentiles each reader may see.

A benchmark is a published sum over teams (the mean of the teams' shown means). A reader who opens
several of those teams' reports can subtract them from it; with the percentile they also learn where
the other teams' scores lie relative to their own. For every reader and cycle this module proves that
every team the reader cannot open keeps every item mean and its team score uncertain by at least
``protection`` (one step of the answer scale), from everything the reader sees. The proof is a
witness: other data, consistent with every figure the reader sees, in which the value differs.

- Swap: two unopened teams with the same shown questions can trade all their values. Every sum,
  the set of team scores (so every percentile) and every opened report stay the same.
- Exchange: two unopened teams with the same number of shown questions trade their scores, moving
  only the questions both show, in opposite directions: every sum and the set of scores stay.
- Cycle of four: one team's mean for q goes up and for q' down, another team's the other way: every
  sum and every team score stay.
- Shift: one question's mean moves up in one unopened team and down in others that show that
  question, within the scale, so every per-question sum stays; when the reader sees the overall
  benchmark too, only between teams with the same number of shown questions, so the mean of team
  scores stays as well; when they see percentiles, no score moves past a score they know.

Where neither witness gives ``protection``, figures are hidden for that reader (in every report
they open), least informative first: the percentile, then the failing question's benchmark, then
the overall benchmark. Hiding only takes equations away, so a reader proven safe stays safe when a
later reader's figures are hidden, and with nothing of these seen nothing is left to prove.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

PERCENTILE = "percentile"
POOL = 64  # partners a shift witness draws on: enough for any protection, and bounded in cost
OVERALL = "benchmark"


@dataclass
class CycleTable:
    """One cycle's published figures, as the check sees them.

    ``means`` is teams x questions with NaN where a mean is not shown (too few answers, withheld,
    or the team suppressed); ``scores`` the team scores (NaN where not shown).
    """

    teams: Sequence[str]
    means: np.ndarray
    scores: np.ndarray
    item_benchmarks: np.ndarray  # bool per question: a benchmark exists (enough teams)
    overall_benchmark: bool
    percentile: bool  # percentiles are published in this cycle (enough teams)
    scale: tuple[float, float]
    protection: float


@dataclass
class ReaderResult:
    hidden: set[str | int] = field(default_factory=set)  # PERCENTILE, OVERALL, or a question index
    protected_values: int = 0  # unopened item means and team scores the reader's view leaves uncertain
    narrowest: float = np.inf  # the smallest uncertainty left (for the privacy summary)


def protect_cycle(table: CycleTable, opened: Mapping[str, set[int]]) -> tuple[dict[int, set], dict[str, ReaderResult]]:
    """Hide what each reader must not see; returns the hidden figures per team report and per reader.

    ``opened`` maps a reader to the indices of the teams whose report they open in this cycle.
    """
    check = _Check(table)
    hidden_in: dict[int, set] = {}
    results: dict[str, ReaderResult] = {}
    for reader, teams in opened.items():
        if not teams:
            continue
        result = ReaderResult()
        while True:
            seen = check.seen(teams, hidden_in)
            failing = check.failures(teams, seen, result)
            if not failing:
                break
            figure = _least_informative(check, teams, seen, failing)
            result.hidden.add(figure)
            for t in teams:
                hidden_in.setdefault(t, set()).add(figure)
        results[reader] = result
    return hidden_in, results


def _least_informative(check: "_Check", teams: set[int], seen: set, failing: list) -> str | int:
    """The figure whose hiding leaves the fewest failures; on a tie the one that says least
    (a percentile, then one question's benchmark, then the overall benchmark)."""
    questions = sorted({q for _, q in failing if q is not None and q in seen})
    order = [f for f in (PERCENTILE, *questions, OVERALL) if f in seen]
    order += sorted(q for q in seen if isinstance(q, int) and q not in order)
    best, fewest = order[0], len(failing) + 1
    for figure in order:
        left = len(check.failures(teams, seen - {figure}, ReaderResult()))
        if left < fewest:
            best, fewest = figure, left
        if left == 0:
            break
    return best


class _Check:
    def __init__(self, table: CycleTable):
        self.t = table
        shown = ~np.isnan(table.means)
        self.shown = shown
        self.counts = shown.sum(axis=1)
        self.active = ~np.isnan(table.scores)
        self.lo, self.hi = table.scale
        # Swap classes: teams with exactly the same shown questions.
        keys = [row.tobytes() for row in shown]
        self.classes: dict[bytes, list[int]] = {}
        for i, key in enumerate(keys):
            if self.active[i]:
                self.classes.setdefault(key, []).append(i)
        self.class_of = {i: keys[i] for i in range(len(keys)) if self.active[i]}
        self.all_active = np.flatnonzero(self.active).tolist()
        self.by_count: dict[int, list[int]] = {}
        for i in self.all_active:
            self.by_count.setdefault(int(self.counts[i]), []).append(i)
        # Teams whose swap class is too small or too alike to protect them even from a reader who
        # opens none of it: these always need the shift witness (precomputed once per cycle).
        self.weak = {i for members in self.classes.values() if not self._swap_ok(members) for i in members}

    def seen(self, teams: set[int], hidden_in: Mapping[int, set]) -> set:
        """The figures a reader sees: a figure shown in any non-suppressed report they open."""
        t = self.t
        out: set = set()
        for i in teams:
            if not self.active[i]:
                continue
            gone = hidden_in.get(i, ())
            if t.percentile and PERCENTILE not in gone:
                out.add(PERCENTILE)
            if t.overall_benchmark and OVERALL not in gone:
                out.add(OVERALL)
            out.update(q for q in np.flatnonzero(t.item_benchmarks).tolist() if q not in gone)
        return out

    def _swap_ok(self, members: Sequence[int]) -> bool:
        items, score = self._swap_ranges(list(members))
        return bool((items >= self.t.protection - 1e-9).all() and score >= self.t.protection - 1e-9)

    def failures(self, teams: set[int], seen: set, result: ReaderResult) -> list[tuple[int, int | None]]:
        """(team, question or None for the team score) that the reader's view pins down too closely."""
        opened = [i for i in teams if self.active[i]]
        result.protected_values = int(
            self.shown.sum() - self.shown[opened].sum() + self.active.sum() - len(opened)
        )
        if not seen:
            return []
        # Only teams whose swap class the reader opens into, or whose class is weak anyway, can fail.
        touched = {self.class_of[i] for i in opened}
        weak = {self.class_of[i] for i in self.weak}
        failing: list[tuple[int, int | None]] = []
        rooms = None
        for key in touched | weak:
            members = [m for m in self.classes[key] if m not in teams]
            if not members:
                continue
            swap_items, swap_score = self._swap_ranges(members)
            if key not in weak and self._swap_ok(members):
                result.narrowest = min(result.narrowest, float(swap_items.min(initial=np.inf)), swap_score)
                continue
            if rooms is None:
                rooms = self._rooms(teams, seen)
            for i in members:
                qs = np.flatnonzero(self.shown[i])
                x, s = self.t.means[i, qs], self.t.scores[i]
                rows, scores = self.t.means[members][:, qs], self.t.scores[members]
                # Each witness gives other data in which the value is higher, or lower: the reader
                # cannot place it more narrowly than between the highest and the lowest of them.
                shift_up, shift_down, score_up, score_down = self._shift_ranges(i, seen, rooms)
                rect_up, rect_down = self._rectangles(i, teams)
                up = np.maximum.reduce([rows.max(axis=0) - x, shift_up, rect_up])
                down = np.maximum.reduce([x - rows.min(axis=0), shift_down, rect_down])
                for q, width in zip(qs.tolist(), (up + down).tolist()):
                    result.narrowest = min(result.narrowest, width)
                    if width < self.t.protection - 1e-9 and _constrained(q, seen):
                        failing.append((i, q))
                ex_up, ex_down = self._exchanges(i, teams)
                score = max(scores.max() - s, score_up, ex_up) + max(s - scores.min(), score_down, ex_down)
                result.narrowest = min(result.narrowest, score)
                if score < self.t.protection - 1e-9:
                    failing.append((i, None))
        return failing

    def _swap_ranges(self, members: list[int]) -> tuple[np.ndarray, float]:
        """The spread of each shown question's mean, and of the score, over teams that can swap."""
        qs = self.shown[members[0]]
        if len(members) < 2:
            return np.zeros(int(qs.sum())), 0.0
        rows = self.t.means[members][:, qs]
        scores = self.t.scores[members]
        return rows.max(axis=0) - rows.min(axis=0), float(scores.max() - scores.min())

    def _rooms(self, teams: set[int], seen: set) -> "_Rooms":
        """Per partner group (number of shown questions when the overall benchmark is seen, else
        everyone): how far a pool of unopened teams' means can go down and up, per question,
        within the scale and, when the reader sees percentiles, without any team's score passing
        a score the reader knows (their own teams')."""
        x, scores = self.t.means, self.t.scores
        opened = np.array(sorted({i for i in teams if self.active[i]}), dtype=int)
        known = np.sort(scores[opened]) if PERCENTILE in seen else np.array([])
        lo_s, hi_s = _brackets(scores, known, self.lo, self.hi)
        grouped = OVERALL in seen
        out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for g, members in (self.by_count if grouped else {0: self.all_active}).items():
            pool = [m for m in members[: POOL + len(opened)] if m not in teams][:POOL]
            if not pool:
                continue
            rows, n = x[pool], self.counts[pool]
            out[g] = (
                pool,
                np.nan_to_num(rows - self.lo), np.nan_to_num(self.hi - rows),  # each mean, within the scale
                n * (scores[pool] - lo_s[pool]), n * (hi_s[pool] - scores[pool]),  # all of a team's, within its bracket
            )
        return _Rooms(out, lo_s, hi_s, grouped)

    def _shift_ranges(self, i: int, seen: set, rooms: "_Rooms") -> tuple[np.ndarray, np.ndarray, float, float]:
        """Per shown question of team i: how far up and down its mean can move with partners
        absorbing it; and how far its score can move when all its questions move at once."""
        qs = np.flatnonzero(self.shown[i])
        x, s, n = self.t.means[i, qs], self.t.scores[i], self.counts[i]
        group = rooms.groups.get(int(n) if rooms.grouped else 0)
        own_up = np.minimum(self.hi - x, n * (rooms.hi[i] - s))
        own_down = np.minimum(x - self.lo, n * (s - rooms.lo[i]))
        free = np.array([q not in seen for q in qs.tolist()]) & (OVERALL not in seen)
        if group is None:
            zero = np.zeros(len(qs))
            item_up, item_down = np.minimum(own_up, np.where(free, np.inf, 0)), np.minimum(own_down, np.where(free, np.inf, 0))
            return item_up, item_down, 0.0, 0.0
        pool, box_down, box_up, sum_down, sum_up = group
        keep = np.array([p != i for p in pool])
        box_down, box_up = box_down[keep][:, qs], box_up[keep][:, qs]
        sum_down, sum_up = sum_down[keep], sum_up[keep]
        # One question at a time: a partner gives what its mean and its score bracket allow.
        item_up = np.minimum(own_up, np.where(free, np.inf, np.minimum(box_down, sum_down[:, None]).sum(axis=0)))
        item_down = np.minimum(own_down, np.where(free, np.inf, np.minimum(box_up, sum_up[:, None]).sum(axis=0)))
        # All questions at once: each partner's room scaled down so that its total fits its bracket.
        scale_down = np.minimum(1.0, sum_down / np.maximum(box_down.sum(axis=1), 1e-12))[:, None]
        scale_up = np.minimum(1.0, sum_up / np.maximum(box_up.sum(axis=1), 1e-12))[:, None]
        up_all = np.minimum(self.hi - x, np.where(free, np.inf, (box_down * scale_down).sum(axis=0))).sum() / n
        down_all = np.minimum(x - self.lo, np.where(free, np.inf, (box_up * scale_up).sum(axis=0))).sum() / n
        return item_up, item_down, float(min(up_all, rooms.hi[i] - s)), float(min(down_all, s - rooms.lo[i]))

    def _exchanges(self, i: int, teams: set[int]) -> tuple[float, float]:
        """How far team i's score can move by trading scores with an unopened team of the same
        number of shown questions: both move only on the questions they share, in opposite
        directions, so every sum stays and the set of scores (so every percentile) is the same."""
        n = int(self.counts[i])
        pool = [p for p in self.by_count.get(n, [])[: POOL + len(teams) + 1] if p != i and p not in teams][:POOL]
        if not pool or not n:
            return 0.0, 0.0
        x, rows = self.t.means[i], self.t.means[pool]
        shared = ~np.isnan(x)[None, :] & ~np.isnan(rows)
        lower = np.where(shared, np.maximum(self.lo - x[None, :], rows - self.hi), 0).sum(axis=1)
        upper = np.where(shared, np.minimum(self.hi - x[None, :], rows - self.lo), 0).sum(axis=1)
        change = n * (self.t.scores[pool] - self.t.scores[i])
        reachable = (change >= lower - 1e-9) & (change <= upper + 1e-9)
        if not reachable.any():
            return 0.0, 0.0
        delta = change[reachable] / n
        return float(max(delta.max(), 0.0)), float(max(-delta.min(), 0.0))

    def _rectangles(self, i: int, teams: set[int]) -> tuple[np.ndarray, np.ndarray]:
        """Per shown question q of team i: how far its mean can move while every sum and every
        team score stays, by moving q and another question q' of team i in opposite directions
        and the same two questions of partner teams the other way (a cycle of four cells)."""
        qs = np.flatnonzero(self.shown[i])
        if len(qs) < 2:
            return np.zeros(len(qs)), np.zeros(len(qs))
        pool = [p for p in self.all_active[: POOL + len(teams) + 1] if p != i and p not in teams][:POOL]
        x = self.t.means[i, qs]
        rows = self.t.means[pool][:, qs] if pool else np.full((0, len(qs)), np.nan)
        # For q up and q' down in team i: partners go q down and q' up.
        give = np.nan_to_num(rows - self.lo)[:, :, None]  # partner's q can go down
        take = np.nan_to_num(self.hi - rows)[:, None, :]  # partner's q' can go up
        both = ~np.isnan(rows)[:, :, None] & ~np.isnan(rows)[:, None, :]
        up_pairs = np.where(both, np.minimum(give, take), 0).sum(axis=0)  # [q, q']
        down_pairs = np.where(both, np.minimum(np.transpose(take, (0, 2, 1)), np.transpose(give, (0, 2, 1))), 0).sum(axis=0)
        np.fill_diagonal(up_pairs, 0)
        np.fill_diagonal(down_pairs, 0)
        up = np.minimum(self.hi - x, np.minimum(x[None, :] - self.lo, up_pairs).max(axis=1))
        down = np.minimum(x - self.lo, np.minimum(self.hi - x[None, :], down_pairs).max(axis=1))
        return up, down


@dataclass
class _Rooms:
    # group -> (pool, room down and up per pool team and question, room down and up per pool team
    # for the sum of its means so that its score stays within its bracket)
    groups: dict[int, tuple[list[int], np.ndarray, np.ndarray, np.ndarray, np.ndarray]]
    lo: np.ndarray  # per team: the nearest score below it that the reader knows (or the scale's bottom)
    hi: np.ndarray
    grouped: bool


def _brackets(scores: np.ndarray, known: np.ndarray, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    """Per team, the nearest known scores below and above (a score equal to a known one is pinned)."""
    if not len(known):
        return np.full(len(scores), lo), np.full(len(scores), hi)
    filled = np.nan_to_num(scores, nan=lo)
    below = np.searchsorted(known, filled, side="left")
    above = np.searchsorted(known, filled, side="right")
    lower = np.where(below > 0, known[np.maximum(below - 1, 0)], lo)
    upper = np.where(above < len(known), known[np.minimum(above, len(known) - 1)], hi)
    tied = above > below
    return np.where(tied, filled, lower), np.where(tied, filled, upper)


def _constrained(q: int, seen: set) -> bool:
    return q in seen or OVERALL in seen or PERCENTILE in seen
