"""What each reader of the LCHC reports can see, and what is kept from them.

Per reader and cycle: the reports they open, the figures those show, the figures held back by a
threshold (a suppressed team, too few answers), the means withheld because they would give a small
group's answers away, the benchmarks and percentiles hidden because they would let another team be
worked out, and what is still derivable. Counted from the frames every report reads, so the build
can show the summary (the LCHC overview) at no real cost; the build's own final check (scoring)
already stopped it if anything was derivable. `lchc-gen privacy` can also check every reader again
from nothing (``recheck``): the candidates found anew and tested against the final reports.
Readers are grouped by kind: admins, managers who open more than their own team (department heads),
managers of one team. A department view counts as a report of its readers, its figures among the
shown, held back and protecting ones (disclosure/rollups).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from ..access.authz import readers_of_department_view
from ..disclosure.rollups import GIVES_AWAY, HIDDEN_DERIVABLE, HIDDEN_TOO_FEW, TOO_FEW
from ..disclosure.tables import PERCENTILE, Check, ReaderResult
from .department import department_cycles
from .score import NOT_ENOUGH, SHOWN, WITHHELD, Scores

KINDS = ("admin", "department head", "manager")
# A department figure not shown, by why: the summary's columns.
KEPT = {TOO_FEW: "threshold", GIVES_AWAY: "withheld", HIDDEN_TOO_FEW: "protecting", HIDDEN_DERIVABLE: "protecting"}


@dataclass
class ReaderView:
    reader: str
    kind: str
    cycle: str
    reports: int = 0
    shown: int = 0  # item means, team scores, benchmarks and percentiles the reader sees
    threshold: int = 0  # item means and team sections held back by min_responses
    withheld: int = 0  # means that would give a small group's answers away
    protecting: int = 0  # benchmarks and percentiles hidden so that no other team can be worked out
    derivable: int = 0  # protected values the reader's view still pins down (must be 0)
    narrowest: float = float("inf")  # the least uncertainty left on a team they cannot open


def reader_views(scores: Scores, recheck: bool = False) -> list[ReaderView]:
    admins = frozenset(scores.data.organisation.admins)
    views: list[ReaderView] = []
    for cycle in scores.cycle_ids:
        order = scores.team_ids(cycle)
        per_team = _per_team(scores, cycle, order)
        benchmarks = _benchmarks_shown(scores, cycle, order)
        check = Check(scores.cycle_table(cycle, order)) if recheck else None
        hidden_in = _hidden_in(scores, cycle, order) if recheck else {}
        for reader, result in sorted(scores.privacy[cycle].items()):
            teams = sorted(result.teams)
            kind = "admin" if reader in admins else ("department head" if len(teams) > 1 else "manager")
            counts = per_team[teams].sum(axis=0)
            view = ReaderView(reader, kind, cycle, len(teams), *(int(c) for c in counts[:4]))
            view.shown += len(set().union(*(benchmarks[t] for t in teams)))
            if check is None:
                view.narrowest = result.narrowest
            else:
                members = set(teams)
                again = ReaderResult()
                failing = check.failures(members, check.candidates(members), check.seen(members, hidden_in), again)
                view.derivable, view.narrowest = len(failing), again.narrowest
            views.append(view)
    _add_departments(scores, views)
    return views


def _add_departments(scores: Scores, views: list[ReaderView]) -> None:
    """The department views' figures, counted for the readers who open them (disclosure/rollups)."""
    structure = {t.id: (t.manager, t.parent) for t in scores.data.organisation.teams}
    admins = scores.data.organisation.admins
    by_reader = {(v.reader, v.cycle): v for v in views}
    for cycle, depts in department_cycles(scores).items():
        for team_id, dept in depts.items():
            with_answers = [i for i in dept.items if i.answers]
            counts = Counter(KEPT.get(i.reason or "", "shown") for i in with_answers)
            counts["shown"] += dept.score is not None
            for reader in readers_of_department_view(team_id, structure, admins):
                view = by_reader.get((reader, cycle))
                if view is None:
                    continue
                view.reports += 1
                for key, n in counts.items():
                    setattr(view, key, getattr(view, key) + n)


def _per_team(scores: Scores, cycle: str, order: list[str]) -> np.ndarray:
    """Per team (rows in ``order``): figures shown, held by the threshold, withheld, hidden to protect."""
    teams = scores.teams.loc[cycle].reindex(order)
    status = scores.items.loc[cycle]["status"].unstack("question").reindex(index=order, columns=scores.question_ids)
    suppressed = teams["suppressed"].to_numpy(dtype=bool)
    protected = [scores.protected.get((cycle, t), frozenset()) for t in order]
    percentile = np.array([PERCENTILE not in p for p in protected]) & teams["percentile"].notna().to_numpy()
    shown = (status == SHOWN).sum(axis=1).to_numpy() + teams["team_score"].notna().to_numpy() + percentile
    threshold = np.where(suppressed, 1, (status == NOT_ENOUGH).sum(axis=1).to_numpy())
    withheld = (status == WITHHELD).sum(axis=1).to_numpy()
    protecting = np.array([len(p) for p in protected])
    return np.column_stack([shown, threshold, withheld, protecting]).astype(int)


def _benchmarks_shown(scores: Scores, cycle: str, order: list[str]) -> list[set[str]]:
    """Per team, the questions whose benchmark its report shows."""
    teams = scores.teams.loc[cycle].reindex(order)
    exists = {q for q in scores.question_ids if not np.isnan(scores.benchmark_items.get((cycle, q), np.nan))}
    return [set() if s else exists - scores.protected.get((cycle, t), frozenset())
            for t, s in zip(order, teams["suppressed"].to_numpy(dtype=bool))]


def _hidden_in(scores: Scores, cycle: str, order: list[str]) -> dict[int, set]:
    """What each report leaves out of the figures that exist, as the check names them."""
    position = {q: n for n, q in enumerate(scores.question_ids)}
    return {i: {f if f == PERCENTILE else position[f] for f in scores.protected.get((cycle, t), ())}
            for i, t in enumerate(order)}


def summary(views: list[ReaderView]) -> list[dict[str, object]]:
    """One row per cycle and kind of reader."""
    rows: dict[tuple[str, str], dict[str, object]] = {}
    for v in views:
        row = rows.setdefault((v.cycle, v.kind), {"cycle": v.cycle, "kind": v.kind, "readers": 0, "reports": 0,
                                                  "shown": 0, "threshold": 0, "withheld": 0, "protecting": 0,
                                                  "derivable": 0, "narrowest": float("inf")})
        row["readers"] += 1  # type: ignore[operator]
        for key in ("reports", "shown", "threshold", "withheld", "protecting", "derivable"):
            row[key] += getattr(v, key)  # type: ignore[operator]
        row["narrowest"] = min(row["narrowest"], v.narrowest)  # type: ignore[type-var]
    return sorted(rows.values(), key=lambda r: (r["cycle"], KINDS.index(str(r["kind"]))))
