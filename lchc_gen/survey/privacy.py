"""What each reader of the LCHC reports can see, and what is kept from them (`lchc-gen privacy`).

Per reader and cycle: the reports they open, the figures those show, the figures held back by a
threshold (a suppressed team, too few answers), the means withheld because they would give a small
group's answers away, the benchmarks and percentiles hidden because they would let another team be
worked out, and what is still derivable (checked again here from the final reports: always 0, or the
build's own check is wrong). Readers are grouped by kind: admins, managers who open more than their
own team (department heads), managers of one team.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..access.authz import readers_of_team_report
from ..disclosure.tables import PERCENTILE, Check, ReaderResult
from .score import NOT_ENOUGH, SHOWN, WITHHELD, Scores


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


def reader_views(scores: Scores) -> list[ReaderView]:
    org = scores.data.organisation
    structure = {t.id: (t.manager, t.parent) for t in org.teams}
    admins = frozenset(org.admins)
    share_up = scores.data.inputs.share_up
    views: list[ReaderView] = []
    for cycle in scores.cycle_ids:
        reports = {r.team_id: r for r in scores.team_reports(cycle)}
        order = scores.team_ids(cycle)
        index = {t: i for i, t in enumerate(order)}
        opened: dict[str, set[str]] = {}
        for team in order:
            for reader in readers_of_team_report(team, structure, admins, share_up):
                opened.setdefault(reader, set()).add(team)
        check = Check(scores.cycle_table(cycle, order))
        hidden_in = {index[t]: _hidden(reports[t], scores.question_ids) for t in order}
        for reader, teams in sorted(opened.items()):
            kind = "admin" if reader in admins else ("department head" if len(teams) > 1 else "manager")
            view = ReaderView(reader, kind, cycle, reports=len(teams))
            seen_benchmark = set()
            for t in teams:
                r = reports[t]
                view.threshold += 1 if r.suppressed else sum(i.status == NOT_ENOUGH for i in r.items)
                view.withheld += sum(i.status == WITHHELD for i in r.items)
                view.shown += sum(i.status == SHOWN for i in r.items) + (r.team_score is not None)
                view.shown += r.percentile is not None
                view.protecting += (PERCENTILE in r.protects) + sum(i.benchmark_protects for i in r.items)
                seen_benchmark |= {i.question_id for i in r.items if i.benchmark is not None}
            view.shown += len(seen_benchmark)
            members = {index[t] for t in teams}
            candidates = check.candidates(members)
            result = ReaderResult()
            failing = check.failures(members, candidates, check.seen(members, hidden_in), result)
            view.derivable, view.narrowest = len(failing), result.narrowest
            views.append(view)
    return views


def _hidden(report, question_ids: list[str]) -> set:
    """What this report leaves out of the figures that exist, as the check names them."""
    out: set = set()
    if report.suppressed:
        return out
    if PERCENTILE in report.protects:
        out.add(PERCENTILE)
    out |= {question_ids.index(i.question_id) for i in report.items if i.benchmark_protects}
    return out


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
    return list(rows.values())

