"""Hidden teams against differencing: which benchmarks and percentiles each reader may see.

A question's benchmark is a published sum over teams (the mean of the teams' shown means); the
overall benchmark is the mean of the question benchmarks, so it says nothing they do not. A reader
who opens several reports can subtract them from a benchmark; with percentiles they also learn how
many teams score below each score they know. For every reader and cycle this module proves that
every item mean and team score of every team the reader cannot open stays uncertain by at least
``protection`` (one step of the answer scale), given everything the reader sees. The proof is a
set of witnesses: other data, consistent with every figure the reader sees, in which the value is
higher, or lower. The reader cannot place it more narrowly than between them.

- Swap: two unopened teams with the same shown questions trade all their values.
- Cycle of four: one team's mean for q goes up and for q' down, a partner team's the other way.
- Exchange: two unopened teams with as many shown questions trade their scores, moving only the
  questions both show, in opposite directions.
- Shift: one question's mean moves up in one team and down in partners showing it; when the reader
  sees percentiles, no team's score moves past a score the reader knows.
- Trade: a team trades its score with a team of another size; the other teams even out each
  question's sum, each moving its score so little that it passes no known score.

The first three keep every sum, every opened report and the set of team scores (so every
percentile) as they are, whoever reads: they are computed once per cycle, with how many partners a
reader could take away (by opening them) before they fall short. Teams whose margin is short are
then checked against the reader's known scores: in bulk for a reader who knows one (most readers
open one report), by trades and by the teams beyond the known scores for one who knows several,
and otherwise exactly, for that reader.

Where the witnesses fall short, figures are hidden for that reader (in every report they open),
the one that leaves fewest shortfalls first, then the least informative: the percentile before a
question's benchmark. Hiding only takes equations away, so a reader proven safe stays safe when a
later reader's figures are hidden.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

PERCENTILE = "percentile"
POOL = 32  # exchange partners drawn from each end of the scores: enough, and bounded in cost
MARGINS = (0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64)  # partners a reader might take away
EPS = 1e-9


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
    percentile: bool  # percentiles are published in this cycle (enough teams)
    scale: tuple[float, float]
    protection: float


@dataclass
class ReaderResult:
    hidden: set[str | int] = field(default_factory=set)  # PERCENTILE or a question index
    opened: int = 0  # teams with numbers whose report the reader opens
    checked: int = 0  # unopened teams checked again for this reader (the rest hold for anyone)
    narrowest: float = np.inf  # the smallest uncertainty left among the teams checked again
    teams: set[int] = field(default_factory=set)  # the teams whose report the reader opens
    candidates: list[int] = field(default_factory=list)  # the unopened teams checked again
    proven: frozenset | None = None  # the figures seen when the check last found nothing derivable


@dataclass(frozen=True)
class Derivable:
    """A protected value that a reader's final view pins down: the build must not publish it."""

    reader: str
    team: int  # index into the cycle's teams
    question: int | None  # None: the team score
    width: float  # how narrowly the reader can place it


def protect_cycle(table: "CycleTable | Check", opened: Mapping[str, set[int]]) -> tuple[dict[int, set], dict[str, ReaderResult]]:
    """Hide what each reader must not see; returns the hidden figures per team report and per reader.

    ``opened`` maps a reader to the indices of the teams whose report they open in this cycle.
    """
    check = table if isinstance(table, Check) else Check(table)
    hidden_in: dict[int, set] = {}
    results: dict[str, ReaderResult] = {}
    for reader, teams in opened.items():
        result = results[reader] = ReaderResult(opened=sum(1 for i in teams if check.active[i]), teams=set(teams))
        candidates = result.candidates = check.candidates(teams)
        result.checked = len(candidates)
        while candidates:
            seen = check.seen(teams, hidden_in)
            trial = ReaderResult()
            failing = check.failures(teams, candidates, seen, trial)
            if not failing:
                result.proven, result.narrowest = frozenset(seen), trial.narrowest
                break
            figure, after = _least_informative(check, teams, candidates, seen, failing)
            result.hidden.add(figure)
            for t in teams:
                hidden_in.setdefault(t, set()).add(figure)
            if after is not None:  # already proven without it: what the reader sees now is exactly that
                result.proven, result.narrowest = frozenset(seen - {figure}), after.narrowest
                break
    return hidden_in, results


def verify_cycle(check: "Check", results: Mapping[str, ReaderResult], hidden_in: Mapping[int, set]) -> list[Derivable]:
    """Check every reader again against what the reports finally hide (``hidden_in``, as the pages
    read it): a later reader's hiding may change an earlier reader's view, and a slip in the
    bookkeeping would show here. A reader who sees exactly what they were proven safe with needs
    no second look. Returns what is derivable (empty, or the build must stop)."""
    found: list[Derivable] = []
    for reader, result in results.items():
        if not result.candidates:
            continue
        seen = check.seen(result.teams, hidden_in)
        if seen == result.proven:
            continue
        widths: dict[tuple[int, int | None], float] = {}
        for team, question in check.failures(result.teams, result.candidates, seen, ReaderResult(), widths):
            found.append(Derivable(reader, team, question, widths[(team, question)]))
    return found


def _least_informative(
    check: "Check", teams: set[int], candidates: list[int], seen: set, failing: list
) -> tuple[str | int, ReaderResult | None]:
    """The figure whose hiding leaves the fewest shortfalls; on a tie the one that says least. With
    it, the check without that figure when it leaves none (so the reader need not be checked again)."""
    questions = sorted({q for _, q in failing if q is not None and q in seen})
    order = [f for f in (PERCENTILE, *questions) if f in seen]
    order += sorted(q for q in seen if isinstance(q, int) and q not in order)
    best, fewest = order[0], len(failing) + 1
    for figure in order:
        trial = ReaderResult()
        left = len(check.failures(teams, candidates, seen - {figure}, trial))
        if left < fewest:
            best, fewest = figure, left
        if left == 0:
            return figure, trial
    return best, None


class Check:
    def __init__(self, table: CycleTable):
        self.t = table
        self.x = table.means
        self.shown = ~np.isnan(table.means)
        self.counts = self.shown.sum(axis=1)
        self.active = ~np.isnan(table.scores) & (self.counts > 0)
        self.lo, self.hi = table.scale
        self.p = table.protection
        self.all_active = np.flatnonzero(self.active).tolist()
        keys = [row.tobytes() for row in self.shown]
        self.classes: dict[bytes, list[int]] = {}
        self.by_count: dict[int, list[int]] = {}
        for i in self.all_active:
            self.classes.setdefault(keys[i], []).append(i)
            self.by_count.setdefault(int(self.counts[i]), []).append(i)
        self.class_of = {i: keys[i] for i in self.all_active}
        self._count_by_score = {n: sorted(g, key=lambda p: self.t.scores[p]) for n, g in self.by_count.items()}
        # Four-cell cycles over every active team: for q up and q' down in a team, how far the
        # partners' q can go down while their q' goes up (and the reverse), summed over partners.
        # Each mean's room below and above it on the scale (0 where not shown), used throughout.
        self.down, self.up = np.nan_to_num(self.x - self.lo), np.nan_to_num(self.hi - self.x)
        d, u = self.down, self.up
        self._give = np.minimum(d[:, :, None], u[:, None, :]) * (self.shown[:, :, None] & self.shown[:, None, :])
        self._take = np.minimum(u[:, :, None], d[:, None, :]) * (self.shown[:, :, None] & self.shown[:, None, :])
        self._give_all = self._give[self.active].sum(axis=0)
        self._take_all = self._take[self.active].sum(axis=0)
        self._sorted: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}
        self._cut_rows: dict[float, int] | None = None
        self._lazy_key: frozenset[int] | None = None
        self._lazy: dict[bool, dict[str, object]] = {}
        self.margin = np.full(len(self.x), -1)
        for key, members in self.classes.items():
            if self._class_holds(key):
                self.margin[members] = 10**9  # swaps alone protect every member against any reader
                continue
            for i in members:
                self.margin[i] = self._margin(i)
        order = sorted(self.all_active, key=lambda i: self.margin[i])
        self._by_margin, self._margins = order, [int(self.margin[i]) for i in order]
        # Teams whose margin is short, but that hold against any one known score (the reader of a
        # single report): most readers open one.
        # Every active team by score, with how far each mean can fall and rise, summed from either
        # end: the room of all teams on one side of a known score, which moving cannot pass it.
        by_score = sorted(self.all_active, key=lambda i: self.t.scores[i])
        self._by_score, self._score_order = by_score, self.t.scores[by_score]
        zero = np.zeros((1, self.x.shape[1]))
        self._fall_below = np.vstack([zero, np.cumsum(self.down[by_score], axis=0)])
        # Prefix sums in score order for the pool's room per reader (_pool_room).
        s_sorted = self.t.scores[by_score]
        with np.errstate(divide="ignore", invalid="ignore"):
            rel_down = np.where((s_sorted > self.lo)[:, None], self.down[by_score] / (s_sorted - self.lo)[:, None], 0.0)
            rel_up = np.where((s_sorted < self.hi)[:, None], self.up[by_score] / (self.hi - s_sorted)[:, None], 0.0)
        self._cum_down, self._cum_up = self._fall_below, np.vstack([zero, np.cumsum(self.up[by_score], axis=0)])
        self._cum_down_rel = np.vstack([zero, np.cumsum(rel_down, axis=0)])
        self._cum_up_rel = np.vstack([zero, np.cumsum(rel_up, axis=0)])
        self._count_order = self.counts[by_score].astype(float)
        self._by_score_array = np.array(by_score, dtype=int)
        self._most_down = self.down[by_score].max(axis=1) if len(by_score) else np.zeros(0)
        self._most_up = self.up[by_score].max(axis=1) if len(by_score) else np.zeros(0)
        self._rise_above = np.vstack([np.cumsum(self.up[by_score][::-1], axis=0)[::-1], zero])
        self._one_cut_table([i for i in order[: bisect_left(self._margins, 1)]])
        # A short margin often comes from a small group of teams with as many shown questions (all
        # the exchange and swap partners there are): a reader who opens none of them takes none away,
        # and the cycles of four lose at most one partner's room per opened team.
        self.group_safe: dict[int, tuple[frozenset[int], int]] = {}
        # Teams with a short margin: their items by the cycles of four (how many opened teams they
        # survive), their score by trading it with a team of another size (see _relabels).
        self.rect_margin: dict[int, int] = {}
        self.relabels: dict[int, tuple[list, list]] = {}
        self.spare = max(8, min(64, len(self.all_active) // 8))  # absorbers a reader may take away
        for i in order[: bisect_left(self._margins, MARGINS[-1])]:
            group = self.by_count[int(self.counts[i])]
            self.rect_margin[i] = self._rect_margin(i)
            if len(group) <= 2 * POOL and self._score_holds(i):
                self.group_safe[i] = (frozenset(group), self.rect_margin[i])
            self.relabels[i] = self._relabels(i)

    # ---- what a reader sees -----------------------------------------------------------------

    def seen(self, teams: set[int], hidden_in: Mapping[int, set]) -> set:
        """The figures a reader sees: a figure shown in any report with numbers that they open."""
        out: set = set()
        benchmarks = np.flatnonzero(self.t.item_benchmarks).tolist()
        for i in teams:
            if not self.active[i]:
                continue
            gone = hidden_in.get(i, ())
            if self.t.percentile and PERCENTILE not in gone:
                out.add(PERCENTILE)
            out.update(q for q in benchmarks if q not in gone)
        return out

    def candidates(self, teams: set[int]) -> list[int]:
        """Unopened teams whose witnesses a reader opening these teams could take away."""
        k = sum(1 for i in teams if self.active[i])
        if k == 0 or k == len(self.all_active):
            return []  # sees no figure, or opens every team (an admin): nothing is hidden from them
        known = self.t.scores[next(i for i in teams if self.active[i])] if k == 1 else None
        reader = _Reader(self, teams, k)
        safe = self._one_cut_safe(known, reader) if known is not None else set()
        out = []
        for i in self._by_margin[: bisect_left(self._margins, k)]:
            if i in teams or i in safe:
                continue
            group = self.group_safe.get(i)
            if group is not None and group[1] >= k and not group[0] & teams:
                continue
            if self.rect_margin.get(i, -1) >= k and self._relabel_holds(i, reader):
                continue
            if known is None and self._extremes_hold(i, reader):
                continue
            out.append(i)
        return out

    def _extremes_hold(self, i: int, reader: "_Reader") -> bool:
        """For a reader who knows several scores: team i's means move within its bracket of known
        scores, absorbed by the teams beyond the highest known score (rising) or below the lowest
        (falling), which pass none; or by cycles of four. Its score by that, or by a trade."""
        known, k = reader.known, reader.k
        s, n = self.t.scores[i], self.counts[i]
        j = np.searchsorted(known, s)
        if j < len(known) and known[j] == s:
            return False  # a tie with a known score: the percentile pins it there
        below = known[j - 1] if j > 0 else self.lo
        above = known[j] if j < len(known) else self.hi
        qs = np.flatnonzero(self.shown[i])
        spare = (k + 1) * (self.hi - self.lo)
        rise = np.maximum(self._beyond(i, qs, known[-1], rising=False) - spare, 0)
        fall = np.maximum(self._beyond(i, qs, known[0], rising=True) - spare, 0)
        down_items, down_score = self._moves(i, qs, rise, rising=False)
        up_items, up_score = self._moves(i, qs, fall, rising=True)
        down_items, up_items = np.minimum(down_items, n * (s - below)), np.minimum(up_items, n * (above - s))
        if self.rect_margin.get(i, -1) < k:
            give, take = reader.cycles()
            rect_up, rect_down = self._rectangles(i, qs, give - self._give[i], take - self._take[i], 0)
        else:
            rect_up = rect_down = np.full(len(qs), self.p)
        if (np.maximum(rect_up, up_items) + np.maximum(rect_down, down_items) < self.p + EPS).any():
            return False
        score = min(down_score, s - below) + min(up_score, above - s)
        return score >= self.p + EPS or self._relabel_holds(i, reader)

    def _one_cut_safe(self, c: float, reader: "_Reader") -> set[int]:
        """The teams of the one-cut table that keep ``protection`` against a reader whose one known
        score is c (a reader of one report is most readers). Worked out for every team's score at
        once, the first time it is asked."""
        w = self._cut
        if not len(w["teams"]):
            return set()
        if self._cut_rows is None:
            cs = np.unique(self.t.scores[self.all_active])
            self._cut_rows = {float(c): n for n, c in enumerate(cs)}
            parts = [self._one_cut_rows(cs[k: k + 256]) for k in range(0, len(cs), 256)]
            self._cut_items = np.vstack([a for a, _ in parts])
            self._cut_score = np.vstack([b for _, b in parts])
        row = self._cut_rows.get(float(c))
        items, score = (self._cut_items[row], self._cut_score[row]) if row is not None else self._one_cut_rows(np.array([c]))
        items, score = np.ravel(items), np.ravel(score)
        return {
            int(i) for i, ok_items, ok_score in zip(w["teams"], items, score)
            if ok_items and (ok_score or self._relabel_holds(int(i), reader))
        }

    def _one_cut_rows(self, cs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For known scores ``cs`` (rows) and the one-cut table's teams (columns): whether their items
        and their score keep ``protection`` without trades."""
        w = self._cut
        n, s = w["n"], w["s"]
        c = cs[:, None]  # readers' known score, against each team
        above = (c > s)[:, :, None]  # (readers, teams, 1)
        gap = np.abs(c - s)
        spare = self.hi - self.lo
        j_left, j_right = np.searchsorted(self._score_order, cs, "left"), np.searchsorted(self._score_order, cs, "right")
        fall_c = self._fall_below[j_left][:, None, :] - np.where(above, w["down"], 0)
        rise_c = self._rise_above[j_right][:, None, :] - np.where(above, 0, w["up"])
        # Towards c the teams beyond it absorb, moving away from it; away from c, the teams on i's far
        # side (moving towards i's old score, never past c) and the teams beyond c on the other side.
        toward_room = np.maximum(np.where(above, fall_c, rise_c) - spare, 0)
        away_room = np.where(above, w["away_down"], w["away_up"]) + np.maximum(np.where(above, rise_c, fall_c) - spare, 0)
        toward_items, toward_score = _moves(w["down"], w["up"], n, toward_room, above)
        away_items, away_score = _moves(w["down"], w["up"], n, away_room, ~above)
        toward_items = np.minimum(toward_items, (n * gap)[:, :, None] - EPS)
        toward_score = np.minimum(toward_score, gap - EPS)
        up = np.maximum(w["rect_up"], np.where(above, toward_items, away_items))
        down = np.maximum(w["rect_down"], np.where(above, away_items, toward_items))
        items = ((up + down >= self.p + EPS) | np.isnan(w["x"])).all(axis=-1) & (gap > 0)
        return items, away_score + toward_score >= self.p + EPS

    def _relabels(self, i: int) -> tuple[list, list]:
        """Team i trades its score with another team's (so the set of scores, and every percentile,
        stays), each moving its means in proportion to their room; the other teams even out each
        question's sum, every one of them moving its score by at most eps. Per partner with a
        higher (then lower) score: (how far i's score moves, the partner, eps), farthest first.
        The absorbers' room leaves out `spare` teams, for those a reader opens or knows a score near."""
        if len(self.all_active) < 3:
            return [], []
        ranked = self._by_score
        down_all, up_all = self._fall_below[-1], self._rise_above[0]
        reach = self.hi - self.lo
        partners = np.array([p for p in ranked[:9] if p != i][:8] + [p for p in ranked[-9:] if p != i][-8:], dtype=int)
        delta = self.t.scores[partners] - self.t.scores[i]
        rise = delta > 0
        size = np.abs(delta)
        # All partners at once: rows are partners, columns questions.
        room_i = np.where(rise[:, None], self.up[i][None, :], self.down[i][None, :])
        room_r = np.where(rise[:, None], self.down[partners], self.up[partners])
        total_i, total_r = room_i.sum(axis=1), room_r.sum(axis=1)
        fits = (size >= EPS) & (total_i >= self.counts[i] * size - EPS) & (total_r >= self.counts[partners] * size - EPS)
        change = np.sign(delta)[:, None] * (room_i * (self.counts[i] * size / np.maximum(total_i, EPS))[:, None]
                                            - room_r * (self.counts[partners] * size / np.maximum(total_r, EPS))[:, None])
        # Sums that rose are evened out by the others going down, and the reverse.
        room = np.where(change > 0, (down_all - self.down[i])[None, :] - self.down[partners],
                        (up_all - self.up[i])[None, :] - self.up[partners]) - self.spare * reach
        fits &= ~((room <= EPS).any(axis=1) | (np.abs(change) > room).any(axis=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            eps = reach * (np.abs(change) / room).max(axis=1)
        ups, downs = [], []
        for n in np.flatnonzero(fits).tolist():
            (ups if rise[n] else downs).append((float(size[n]), int(partners[n]), float(eps[n])))
        return sorted(ups, reverse=True), sorted(downs, reverse=True)

    def _relabel_holds(self, i: int, reader: "_Reader") -> bool:
        """Whether i's score keeps ``protection`` by the trades of _relabels, for a reader who opens
        these teams (and so knows their scores): a partner they do not open, and few enough teams
        (opened, or scoring within eps of a known score, which could pass it) left out."""
        if reader.k >= self.spare:
            return False  # too many teams taken away for the absorbers' spare room
        best = []
        for options in self.relabels.get(i, ([], [])):
            found = 0.0
            for delta, r, eps in options:
                if r in reader.teams:
                    continue
                if reader.few_near(eps, self.spare - reader.k):
                    found = delta
                    break
            best.append(found)
        return best[0] + best[1] >= self.p + EPS

    def _score_holds(self, i: int) -> bool:
        """Team i's score, by swaps and exchanges with nobody opened."""
        ups, downs = self._exchange_deltas(i, set())
        _, scores = self._sorted_class(self.class_of[i])
        s = self.t.scores[i]
        up = max(float(ups[0]) if len(ups) else 0.0, scores[-1] - s)
        down = max(float(downs[0]) if len(downs) else 0.0, s - scores[0])
        return up + down >= self.p - EPS

    def _rect_margin(self, i: int) -> int:
        """How many opened teams team i's items survive by cycles of four alone."""
        qs = np.flatnonzero(self.shown[i])
        give, take = self._give_all - self._give[i], self._take_all - self._take[i]
        up, down = self._rectangles(i, qs, give, take, np.array(MARGINS))
        holds = ~(up + down < self.p - EPS).any(axis=1)  # per margin; fewer partners only shrink it
        best = MARGINS[int(np.argmin(holds)) - 1] if not holds.all() else MARGINS[-1]
        best = -1 if not holds[0] else best
        return best if best < MARGINS[-1] else 10**9

    def _one_cut_table(self, weak: list[int]) -> None:
        """For teams with a short margin, what does not depend on where a reader's one known score
        c lies: their cycles of four (the reader's team taken away), and how much the teams on their
        far side can absorb by moving towards their score (so passing no c beyond it)."""
        q = self.x.shape[1]
        table = {name: np.zeros((len(weak), q)) for name in ("rect_up", "rect_down", "away_down", "away_up")}
        for row, i in enumerate(weak):
            qs = np.flatnonzero(self.shown[i])
            x = self.x[i, qs]
            up, down = self._rectangles(i, qs, self._give_all - self._give[i], self._take_all - self._take[i], 1)
            values, _ = self._sorted_class(self.class_of[i])
            if len(values) > 2:
                up = np.maximum(up, np.maximum(values[-3][qs] - x, 0))
                down = np.maximum(down, np.maximum(x - values[2][qs], 0))
            pool = np.array([p for p in self.all_active if p != i], dtype=int)
            s_p, s = self.t.scores[pool], self.t.scores[i]
            close = self.counts[pool] * np.abs(s - s_p)
            table["rect_up"][row, qs], table["rect_down"][row, qs] = up, down
            table["away_down"][row, qs] = self._room(qs, -1, pool, np.where(s_p < s, close, 0.0))  # c above
            table["away_up"][row, qs] = self._room(qs, 1, pool, np.where(s_p > s, close, 0.0))  # c below
        self._cut = {
            "teams": np.array(weak, dtype=int), "x": self.x[weak], "n": self.counts[weak].astype(float),
            "s": self.t.scores[weak], "down": self.down[weak], "up": self.up[weak], **table,
        }

    def _beyond(self, i: int, qs: np.ndarray, c: float, rising: bool) -> np.ndarray:
        """Per question, how far the teams beyond the known score c can absorb team i's move by
        moving away from c (falling below it when i rises, rising above it when i falls), so that
        none passes it; team i's own room taken out, and one team spared."""
        if rising:
            j = np.searchsorted(self._score_order, c, side="left")
            room = self._fall_below[j][qs] - self.down[i, qs] * (self.t.scores[i] < c)
        else:
            j = np.searchsorted(self._score_order, c, side="right")
            room = self._rise_above[j][qs] - self.up[i, qs] * (self.t.scores[i] > c)
        return np.maximum(room - (self.hi - self.lo), 0)

    def _moves(self, i: int, qs: np.ndarray, room: np.ndarray, rising: bool) -> tuple[np.ndarray, float]:
        items, score = _moves(self.down[i, qs][None, :], self.up[i, qs][None, :], np.array([float(self.counts[i])]),
                              room[None, :], np.array([[rising]]))
        return items[0], float(score[0])

    def _room(self, qs: np.ndarray, direction: int, pool: np.ndarray, budget: np.ndarray) -> np.ndarray:
        """Per question, how far the pool can absorb a move of one team's mean in ``direction``
        (moving the other way), each pool team within ``budget`` for the sum of its means, one
        team's room spared."""
        box = (self.up if direction < 0 else self.down)[pool][:, qs]
        room = (box * np.minimum(1.0, budget / np.maximum(box.sum(axis=1), EPS))[:, None]).sum(axis=0)
        return np.maximum(room - (self.hi - self.lo), 0)

    def _class_holds(self, key: bytes) -> bool:
        """Whether swaps within the class keep every member's means and score `protection` apart
        even when a reader takes away the MARGINS[-1] most extreme members at each end (and the
        member itself): the spread that is left bounds every member's range from below."""
        k = MARGINS[-1]
        members = self.classes[key]
        if len(members) < 2 * k + 4:
            return False
        values, scores = self._sorted_class(key)
        qs = self.shown[members[0]]
        spread = values[-2 - k][qs] - values[k + 1][qs]
        return bool((spread >= self.p - EPS).all() and scores[-2 - k] - scores[k + 1] >= self.p - EPS)

    def _margin(self, i: int) -> int:
        """How many partners a reader could open before team i's rank-proof witnesses fall short
        (a binary search over MARGINS; the witnesses only shrink as partners go)."""
        ups, downs = self._exchange_deltas(i, set())
        ok = lambda k: self._robust(i, k, ups, downs)  # noqa: E731
        if not ok(0):
            return -1
        low, high = 0, len(MARGINS) - 1
        while low < high:
            mid = (low + high + 1) // 2
            low, high = (mid, high) if ok(MARGINS[mid]) else (low, mid - 1)
        return 10**9 if low == len(MARGINS) - 1 else MARGINS[low]

    def _robust(self, i: int, k: int, ups: np.ndarray, downs: np.ndarray) -> bool:
        """Whether team i's item and score ranges survive any k partners being opened."""
        qs = np.flatnonzero(self.shown[i])
        x, s = self.x[i, qs], self.t.scores[i]
        values, scores = self._sorted_class(self.class_of[i])
        # i itself, and k others, may be the extremes that go: skip k + 1 at each end.
        if len(scores) > k + 1:
            swap_up, swap_down = np.maximum(values[-2 - k][qs] - x, 0), np.maximum(x - values[k + 1][qs], 0)
            sc_up, sc_down = max(scores[-2 - k] - s, 0.0), max(s - scores[k + 1], 0.0)
        else:
            swap_up = swap_down = np.zeros(len(qs))
            sc_up = sc_down = 0.0
        rect_up, rect_down = self._rectangles(i, qs, self._give_all - self._give[i], self._take_all - self._take[i], k)
        ex_up = float(ups[k]) if len(ups) > k else 0.0
        ex_down = float(downs[k]) if len(downs) > k else 0.0
        items = np.maximum(swap_up, rect_up) + np.maximum(swap_down, rect_down)
        score = max(sc_up, ex_up) + max(sc_down, ex_down)
        return bool((items >= self.p - EPS).all() and score >= self.p - EPS)

    def _sorted_class(self, key: bytes) -> tuple[np.ndarray, np.ndarray]:
        if key not in self._sorted:
            members = self.classes[key]
            self._sorted[key] = (np.sort(self.x[members], axis=0), np.sort(self.t.scores[members]))
        return self._sorted[key]

    def _rectangles(self, i: int, qs: np.ndarray, give: np.ndarray, take: np.ndarray, k) -> tuple[np.ndarray, np.ndarray]:
        """How far each of team i's shown means can go up and down by cycles of four, with k
        partners' room taken away (k may be an array of margins: then one row per margin)."""
        k = np.asarray(k, dtype=float)
        if len(qs) < 2:
            return np.zeros(k.shape + (len(qs),)), np.zeros(k.shape + (len(qs),))
        x = self.x[i, qs]
        reach = self.hi - self.lo
        off = ~np.eye(len(qs), dtype=bool)
        cut = k[..., None, None] * reach
        give = np.where(off, give[qs][:, qs] - cut, -np.inf)
        take = np.where(off, take[qs][:, qs] - cut, -np.inf)
        up = np.minimum(self.hi - x, np.minimum(x[None, :] - self.lo, give).max(axis=-1))
        down = np.minimum(x - self.lo, np.minimum(self.hi - x[None, :], take).max(axis=-1))
        return np.maximum(up, 0), np.maximum(down, 0)

    def _exchange_deltas(self, i: int, teams: set[int]) -> tuple[np.ndarray, np.ndarray]:
        """Team i trades scores with an unopened team of as many shown questions: how far up and
        down its score can go that way, largest first."""
        n = int(self.counts[i])
        ranked = self._count_by_score.get(n, [])
        if len(ranked) > 2 * POOL + len(teams) + 1:
            low, high = _ends(ranked, i, teams, POOL)
            group = low + high
        else:
            group = [p for p in ranked if p != i and p not in teams]
        if not group:
            return np.array([]), np.array([])
        x, rows = self.x[i], self.x[group]
        both = self.shown[i][None, :] & self.shown[group]
        lower = np.where(both, np.maximum(self.lo - x[None, :], rows - self.hi), 0).sum(axis=1)
        upper = np.where(both, np.minimum(self.hi - x[None, :], rows - self.lo), 0).sum(axis=1)
        change = n * (self.t.scores[group] - self.t.scores[i])
        delta = np.sort(change[(change >= lower - EPS) & (change <= upper + EPS)] / n)
        return delta[delta > 0][::-1], -delta[delta < 0]

    # ---- one reader, exactly -------------------------------------------------------------------

    def failures(self, teams: set[int], candidates: list[int], seen: set, result: ReaderResult,
                 widths: dict | None = None) -> list[tuple[int, int | None]]:
        """(team, question or None for the team score) that the reader's view pins down too closely;
        ``widths`` (if given) gets how narrowly each of them can be placed."""
        if not seen:
            return []
        opened = [i for i in teams if self.active[i]]
        give = self._give_all - self._give[opened].sum(axis=0)
        take = self._take_all - self._take[opened].sum(axis=0)
        known = np.sort(self.t.scores[opened]) if PERCENTILE in seen else np.array([])
        # What depends only on the reader and on whether they see percentiles, kept for their next call.
        reader = frozenset(teams)
        if self._lazy_key != reader:
            self._lazy_key, self._lazy = reader, {}
        lazy = self._lazy.setdefault(PERCENTILE in seen, {})

        def pool_room() -> "_PoolRoom":
            if "room" not in lazy:
                lazy["room"] = self._pool_room(teams, known)
            return lazy["room"]  # type: ignore[return-value]

        failing: list[tuple[int, int | None]] = []
        for i in candidates:
            qs = np.flatnonzero(self.shown[i])
            x, s = self.x[i, qs], self.t.scores[i]
            others = [m for m in self.classes[self.class_of[i]] if m != i and m not in teams]
            swap_up, swap_down = _spread(self.x[others][:, qs], x, 0) if others else (0 * x, 0 * x)
            sc_up, sc_down = _spread(self.t.scores[others][:, None], np.array([s]), 0) if others else ((0,), (0,))
            rect_up, rect_down = self._rectangles(i, qs, give - self._give[i], take - self._take[i], 0)
            ups, downs = self._exchange_deltas(i, teams)
            up = np.maximum(swap_up, rect_up)
            down = np.maximum(swap_down, rect_down)
            score_up = max(float(sc_up[0]), float(ups[0]) if len(ups) else 0.0)
            score_down = max(float(sc_down[0]), float(downs[0]) if len(downs) else 0.0)
            # The dearer witnesses only where the cheap ones fall short.
            if (up + down < self.p - EPS).any() or score_up + score_down < self.p - EPS:
                sh_up, sh_down, sh_score_up, sh_score_down = self._shift(i, qs, seen, pool_room())
                up, down = np.maximum(up, sh_up), np.maximum(down, sh_down)
                score_up, score_down = max(score_up, sh_score_up), max(score_down, sh_score_down)
            if score_up + score_down < self.p - EPS and PERCENTILE in seen:
                rl_up, rl_down = self._relabel(i, teams, pool_room())
                score_up, score_down = max(score_up, rl_up), max(score_down, rl_down)
            items, score = up + down, score_up + score_down
            for q, width in zip(qs.tolist(), items.tolist()):
                if q in seen or PERCENTILE in seen:
                    result.narrowest = min(result.narrowest, width)
                    if width < self.p - EPS:
                        failing.append((i, q))
                        if widths is not None:
                            widths[(i, q)] = width
            result.narrowest = min(result.narrowest, score)
            if score < self.p - EPS:
                failing.append((i, None))
                if widths is not None:
                    widths[(i, None)] = score
        return failing

    def _relabel(self, i: int, teams: set[int], absorb: "_PoolRoom") -> tuple[float, float]:
        """Team i and another unopened team trade scores (so the set of scores, and every percentile,
        stays); the questions where their changes do not cancel are evened out by the other unopened
        teams, none of whose scores passes a known one. How far up and down i's score can go so."""
        total_down, total_up = absorb.all_down, absorb.all_up
        lowest, highest = _ends(self._by_score, i, teams, POOL // 2)
        if not lowest:
            return 0.0, 0.0
        out = []
        for partners, sign in ((np.array(highest, dtype=int), 1.0), (np.array(lowest, dtype=int), -1.0)):
            delta = self.t.scores[partners] - self.t.scores[i]
            keep = delta * sign > 0
            partners, delta = partners[keep], delta[keep]
            if not len(partners):
                out.append(0.0)
                continue
            # Each team's change is spread over its questions in proportion to their room.
            room_i = self.up[i] if sign > 0 else self.down[i]
            room_r = self.down[partners] if sign > 0 else self.up[partners]
            total_i = self.counts[i] * np.abs(delta)
            total_r = self.counts[partners] * np.abs(delta)
            avail_r = room_r.sum(axis=1)
            fits = (room_i.sum() + EPS >= total_i) & (avail_r + EPS >= total_r)
            need = sign * (room_i[None, :] * (total_i / max(room_i.sum(), EPS))[:, None]
                           - room_r * (total_r / np.maximum(avail_r, EPS))[:, None])
            _, _, share_down, share_up = absorb.rows(np.r_[i, partners])
            room_down = total_down[None, :] - share_down[:1] - share_down[1:]
            room_up = total_up[None, :] - share_up[:1] - share_up[1:]
            fits &= (np.where(need > 0, need - room_down, -need - room_up) <= EPS).all(axis=1)
            out.append(float(np.abs(delta[fits]).max()) if fits.any() else 0.0)
        return out[0], out[1]

    def _pool_room(self, teams: set[int], known: np.ndarray) -> "_PoolRoom":
        """For one reader: what the unopened teams, as partners, can absorb per question, each within
        the bracket of known scores around it: one question at a time (item) and all at once (score,
        each team's room scaled so that its total fits its bracket), down and up, summed.

        Summed by segments of the teams in score order between two known scores, from prefix sums:
        in a segment from L to U, a team's room scaled for all questions at once is its room times
        (s - L) / (s - lo) (down), a sum the prefix sums give; one question's room is capped by the
        bracket only for the few teams near L or U, corrected one by one. A team whose score equals
        a known one (an opened team among them) is pinned: it absorbs nothing."""
        order, lo, hi = self._score_order, self.lo, self.hi
        if len(known):
            starts = np.r_[0, np.searchsorted(order, known, "right")]
            ends = np.r_[np.searchsorted(order, known, "left"), len(order)]
            lows, highs = np.r_[lo, known], np.r_[known, hi]
        else:
            starts, ends, lows, highs = np.array([0]), np.array([len(order)]), np.array([lo]), np.array([hi])
        keep = starts < ends
        starts, ends, lows, highs = starts[keep], ends[keep], lows[keep], highs[keep]
        seg = lambda prefix: prefix[ends] - prefix[starts]  # noqa: E731  (segments x questions)
        down, up = seg(self._cum_down), seg(self._cum_up)
        all_down = (down - (lows - lo)[:, None] * seg(self._cum_down_rel)).sum(axis=0)
        all_up = (up - (hi - highs)[:, None] * seg(self._cum_up_rel)).sum(axis=0)
        item_down, item_up = down.sum(axis=0), up.sum(axis=0)
        # Positions whose bracket caps a question's room: near the known score below or above.
        if len(known):
            below, above = np.searchsorted(known, order, "left"), np.searchsorted(known, order, "right")
            inside = below == above  # not pinned to a known score
            low_at, high_at = np.r_[lo, known][below], np.r_[known, hi][above]
        else:
            inside = np.ones(len(order), dtype=bool)
            low_at, high_at = np.full(len(order), lo), np.full(len(order), hi)
        near = inside & ((self._count_order * (order - low_at) < self._most_down)
                         | (self._count_order * (high_at - order) < self._most_up))
        pos = np.flatnonzero(near)
        if len(pos):
            t, n = self._by_score_array[pos], self._count_order[pos][:, None]
            item_down = item_down - np.maximum(self.down[t] - n * (order[pos] - low_at[pos])[:, None], 0).sum(axis=0)
            item_up = item_up - np.maximum(self.up[t] - n * (high_at[pos] - order[pos])[:, None], 0).sum(axis=0)
        if not len(known):  # no segment leaves the opened teams out: take their room away
            opened = [t for t in teams if self.active[t]]
            item_down, all_down = item_down - self.down[opened].sum(axis=0), all_down - self.down[opened].sum(axis=0)
            item_up, all_up = item_up - self.up[opened].sum(axis=0), all_up - self.up[opened].sum(axis=0)
        return _PoolRoom(self, frozenset(teams), known, item_down, item_up, all_down, all_up)

    def _shift(self, i: int, qs: np.ndarray, seen: set, room: "_PoolRoom"):
        """Team i's means move, partners showing the same question absorb it; scores stay within
        the brackets the reader's known scores draw."""
        x, s, n = self.x[i, qs], self.t.scores[i], self.counts[i]
        (below,), (above,) = room.brackets(np.array([i]))
        own = room.rows(np.array([i]))
        item_down, item_up, all_down, all_up = (total[qs] - mine[0, qs] for total, mine in zip(room.totals, own))
        free = np.array([q not in seen for q in qs.tolist()])
        own_up, own_down = np.minimum(self.hi - x, n * (above - s)), np.minimum(x - self.lo, n * (s - below))
        up = np.minimum(own_up, np.where(free, np.inf, item_down))
        down = np.minimum(own_down, np.where(free, np.inf, item_up))
        up_all = np.minimum(self.hi - x, np.where(free, np.inf, all_down)).sum() / n
        down_all = np.minimum(x - self.lo, np.where(free, np.inf, all_up)).sum() / n
        return up, down, float(min(up_all, above - s)), float(min(down_all, s - below))


@dataclass
class _PoolRoom:
    """One reader's pool of unopened teams: their room summed per question, and any team's share."""

    check: "Check"
    teams: frozenset[int]
    known: np.ndarray  # the scores the reader knows, sorted (none when they see no percentile)
    item_down: np.ndarray
    item_up: np.ndarray
    all_down: np.ndarray
    all_up: np.ndarray

    @property
    def totals(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return self.item_down, self.item_up, self.all_down, self.all_up

    def brackets(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Teams ``idx``'s nearest known scores below and above."""
        return _brackets(self.check.t.scores[idx], self.known, self.check.lo, self.check.hi)

    def rows(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Teams ``idx``'s own shares of the totals (0 for a team outside the pool)."""
        c = self.check
        pool = c.active[idx] & np.array([t not in self.teams for t in idx.tolist()], dtype=bool)
        down, up = c.down[idx] * pool[:, None], c.up[idx] * pool[:, None]
        s, n = np.nan_to_num(c.t.scores[idx], nan=c.lo), c.counts[idx]
        below, above = self.brackets(idx)
        sum_down, sum_up = n * (s - below), n * (above - s)
        all_down = down * np.minimum(1.0, sum_down / np.maximum(down.sum(axis=1), EPS))[:, None]
        all_up = up * np.minimum(1.0, sum_up / np.maximum(up.sum(axis=1), EPS))[:, None]
        return np.minimum(down, sum_down[:, None]), np.minimum(up, sum_up[:, None]), all_down, all_up


class _Reader:
    """What one reader's opened teams fix, worked out once for all the teams checked for them."""

    def __init__(self, check: "Check", teams: set[int], k: int):
        self.check, self.teams, self.k = check, teams, k
        self.opened = [t for t in teams if check.active[t]]
        self.known = np.sort(check.t.scores[self.opened])
        self._cycles: tuple[np.ndarray, np.ndarray] | None = None
        self._near: dict[float, int] = {}
        self._limit: dict[int, float] = {}

    def cycles(self) -> tuple[np.ndarray, np.ndarray]:
        """The four-cell cycles' room without the opened teams."""
        if self._cycles is None:
            c = self.check
            self._cycles = (c._give_all - c._give[self.opened].sum(axis=0), c._take_all - c._take[self.opened].sum(axis=0))
        return self._cycles

    def few_near(self, eps: float, most: int) -> bool:
        """Whether at most ``most`` teams lie within eps of a known score (``near(eps) <= most``).
        Decided by the (most + 1)-th smallest distance from a known score to a team's, found once
        per bound; counting exactly only where eps is within rounding of it."""
        if most not in self._limit:
            order, m = self.check._score_order, most + 1
            parts = []
            for c in self.known:
                j = int(np.searchsorted(order, c))
                parts.append(np.abs(order[max(0, j - m): j + m] - c))
            distances = np.concatenate(parts) if parts else np.array([])
            self._limit[most] = float(np.partition(distances, m - 1)[m - 1]) if len(distances) >= m else np.inf
        limit = self._limit[most]
        if eps < limit * (1 - 1e-9) - EPS:
            return True
        if eps > limit * (1 + 1e-9) + EPS:
            return False
        return self.near(eps) <= most

    def near(self, eps: float) -> int:
        """Teams whose score lies within eps of a known score (counted once per known score)."""
        if eps not in self._near:
            order = self.check._score_order
            self._near[eps] = int((np.searchsorted(order, self.known + eps, side="right")
                                   - np.searchsorted(order, self.known - eps, side="left")).sum())
        return self._near[eps]


def _moves(down: np.ndarray, up: np.ndarray, n: np.ndarray, room: np.ndarray, rising: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of teams (each mean's room ``down`` and ``up`` the scale, 0 where not shown; ``n`` shown
    questions): how far each mean can move up (where ``rising``) or down with ``room`` to absorb it,
    and how far the score can move when every mean moves in proportion to its own room."""
    own = np.where(rising, up, down)
    items = np.minimum(own, room)
    total = own.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        limits = np.where(own > EPS, room * total[..., None] / (own * n[..., None]), np.inf).min(axis=-1)
    score = np.where(total > EPS, np.minimum(total / n, limits), 0.0)
    return items, score


def _ends(ranked: Sequence[int], i: int, teams: set[int], m: int) -> tuple[list[int], list[int]]:
    """The first and the last m of ``ranked`` other than i and the teams the reader opens, each in
    ``ranked`` order (the two may overlap when few are left)."""
    ends = []
    for order in (ranked, reversed(ranked)):
        picked = []
        for p in order:
            if p != i and p not in teams:
                picked.append(p)
                if len(picked) == m:
                    break
        ends.append(picked)
    return ends[0], ends[1][::-1]


def _spread(others: np.ndarray, own: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """How far above and below ``own`` the other rows reach, per column, once the k most
    extreme rows on each side are gone."""
    if len(others) <= k:
        return np.zeros_like(own, dtype=float), np.zeros_like(own, dtype=float)
    ordered = np.sort(others, axis=0)
    return np.maximum(ordered[-1 - k] - own, 0), np.maximum(own - ordered[k], 0)


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
