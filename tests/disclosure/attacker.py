"""An attacker who reads only the team reports one reader can open, and solves for the rest.

It knows the organisation's structure generously (which teams exist and which questions each team
shows: more than a reader sees) but no value it cannot open. From the printed figures (two
decimals, so each is an interval) it bounds every other team's item mean and team score with a
linear program (HiGHS through SciPy): an independent check of lchc_gen.disclosure, which proves
the same by witnesses. Percentiles are rank information, not sums: this attacker leaves them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import linprog

from lchc_gen.render import make_env
from lchc_gen.reports.department import build_department_pages
from lchc_gen.reports.pages import ReportOptions, build_report_pages
from lchc_gen.survey import Scores

HALF = 0.005  # a figure printed with two decimals is within this of the truth


@dataclass
class Opened:
    team: str
    team_score: float | None
    means: dict[str, float]
    benchmarks: dict[str, float]
    benchmark: float | None


def _number(text: str) -> float | None:
    m = re.match(r"\s*([+-]?\d+\.\d+)", text)
    return float(m.group(1)) if m else None


def parse_report(team: str, html: str) -> Opened:
    score = re.search(r'data-field="team_score">([^<]*)<', html)
    bench = re.search(r'data-field="benchmark">([^<]*)<', html)
    means, benchmarks = {}, {}
    for q, row in re.findall(r'<tr class="lchc-item-[^"]*" data-question="([^"]+)">(.*?)</tr>', html, re.S):
        mean = re.search(r'data-field="mean">([^<]*)<', row)
        if mean and (v := _number(mean.group(1))) is not None:
            means[q] = v
        b = re.search(r'data-label="Benchmark">([^<]*)<', row)
        if b and (v := _number(b.group(1))) is not None:
            benchmarks[q] = v
    return Opened(
        team,
        _number(score.group(1)) if score else None,
        means,
        benchmarks,
        _number(bench.group(1)) if bench else None,
    )


@dataclass
class Department:
    """A department view as printed: its crews and its figure per question."""

    team: str
    crews: list[str]
    means: dict[str, float]


def parse_department(team: str, html: str) -> Department:
    crews = re.findall(r'<tr data-team="([^"]+)">', html)
    means = {}
    for q, row in re.findall(r'<tr data-question="([^"]+)">(.*?)</tr>', html, re.S):
        cell = re.search(r'data-field="dept-mean">([^<]*)<', row)
        if cell and (v := _number(cell.group(1))) is not None:
            means[q] = v
    return Department(team, crews, means)


def department_views(scores: Scores) -> dict[str, dict[str, list[Department]]]:
    """reader -> cycle -> the department views they open, as printed."""
    out: dict[str, dict[str, list[Department]]] = {}
    for page in build_department_pages(scores, make_env(None), ReportOptions()):
        cycle, name = Path(page.src).parts[-2], Path(page.src).stem
        dept = parse_department(name.removeprefix("department-"), page.html)
        for reader in page.readers:
            out.setdefault(reader, {}).setdefault(cycle, []).append(dept)
    return out


def views(scores: Scores) -> dict[str, dict[str, list[Opened]]]:
    """reader -> cycle -> the team reports they open, as printed."""
    pages = build_report_pages(scores, make_env(None), ReportOptions())
    out: dict[str, dict[str, list[Opened]]] = {}
    for page in pages:
        cycle, name = Path(page.src).parts[-2], Path(page.src).stem
        if name == "overview":
            continue
        opened = parse_report(name, page.html)
        for reader in page.readers:
            out.setdefault(reader, {}).setdefault(cycle, []).append(opened)
    return out


def narrowest(scores: Scores, cycle: str, opened: list[Opened], departments: list[Department] = (),
              themes: list[tuple[list[str], float]] = ()) -> tuple[float, str]:
    """The smallest range the reader's view leaves for any item mean or team score they cannot open,
    and (with ``departments``, the department views they open) for any crew mean hidden in one.
    ``themes``: figures for everyone, each the mean over its questions of the question benchmarks."""
    items = scores.items.loc[cycle]
    shown = items[items["status"] == "shown"]
    structure: dict[str, list[str]] = {}
    for team, q in shown.index:
        structure.setdefault(team, []).append(q)
    mine = {o.team: o for o in opened}
    var = {(t, q): k for k, (t, q) in enumerate((t, q) for t, qs in structure.items() for q in qs)}
    # A department figure: the answers' sum over its crews. The attacker knows how many answered
    # in each crew (generously: a suppressed crew's report does not say it per question).
    counts = scores.data.responses.query("role == 'member'").dropna(subset=["value"]).groupby(["cycle", "team", "question"]).size()
    hidden_vars = []
    for d in departments:
        for q in d.means:
            for c in d.crews:
                if counts.get((cycle, c, q), 0) and (c, q) not in var:
                    var[(c, q)] = len(var)
                    hidden_vars.append((c, q))
    lo, hi = 1.0, 5.0
    bounds = []
    for t, q in var:
        if t in mine and q in mine[t].means:
            v = mine[t].means[q]
            bounds.append((max(lo, v - HALF), min(hi, v + HALF)))
        else:
            bounds.append((lo, hi))
    rows, rhs_lo, rhs_hi = [], [], []
    seen_q = {q: b for o in opened for q, b in o.benchmarks.items()}
    for q, b in seen_q.items():
        teams = [t for t in structure if q in structure[t]]
        row = np.zeros(len(var))
        row[[var[(t, q)] for t in teams]] = 1.0
        rows.append(row); rhs_lo.append(len(teams) * (b - HALF)); rhs_hi.append(len(teams) * (b + HALF))
    overall = next((o.benchmark for o in opened if o.benchmark is not None), None)
    # The overall benchmark is the mean of the question benchmarks there are (all printed beside
    # it); a theme's figure for everyone the mean of its questions' benchmarks.
    for qs, value in [*([(list(seen_q), overall)] if overall is not None else []), *themes]:
        row = np.zeros(len(var))
        for q in qs:
            teams = [t for t in structure if q in structure[t]]
            for t in teams:
                row[var[(t, q)]] += 1.0 / (len(teams) * len(qs))
        rows.append(row); rhs_lo.append(value - HALF); rhs_hi.append(value + HALF)
    for o in opened:  # a team score printed in an opened report
        if o.team_score is not None and o.team in structure:
            row = np.zeros(len(var))
            for q in structure[o.team]:
                row[var[(o.team, q)]] = 1.0 / len(structure[o.team])
            rows.append(row); rhs_lo.append(o.team_score - HALF); rhs_hi.append(o.team_score + HALF)
    for d in departments:
        for q, mean in d.means.items():
            row = np.zeros(len(var))
            for c in d.crews:
                row[var[(c, q)]] = counts.get((cycle, c, q), 0) if (c, q) in var else 0.0
            total = row.sum()
            rows.append(row); rhs_lo.append(total * (mean - HALF)); rhs_hi.append(total * (mean + HALF))
    A = np.array(rows) if rows else np.zeros((0, len(var)))
    A_ub = np.vstack([A, -A]) if rows else None
    b_ub = np.concatenate([rhs_hi, -np.array(rhs_lo)]) if rows else None

    def spread(c: np.ndarray) -> float:
        low = linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")
        high = linprog(-c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")
        assert low.status == 0 and high.status == 0, (low.message, high.message)
        return float(-high.fun - low.fun)

    worst = (np.inf, "")
    for t, qs in structure.items():
        if t in mine:
            continue
        for q in qs:
            c = np.zeros(len(var)); c[var[(t, q)]] = 1.0
            worst = min(worst, (spread(c), f"{t} {q}"))
        c = np.zeros(len(var))
        for q in qs:
            c[var[(t, q)]] = 1.0 / len(qs)
        worst = min(worst, (spread(c), f"{t} team score"))
    for t, q in hidden_vars:
        c = np.zeros(len(var)); c[var[(t, q)]] = 1.0
        worst = min(worst, (spread(c), f"{t} {q} (hidden)"))
    return worst
