"""Every team's numbers for a cycle as CSV or JSON (``lchc-gen scores``).

Built from the same ``TeamReport`` objects the reports render, so a value hidden in a
report (suppressed team, too few answers, small distribution) is empty/null here too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal, TextIO

import pandas as pd

from ..problems import InputError
from ..tabular.formulas import csv_value
from .load import load_survey
from .model import SurveyInputs
from .score import ItemReport, Scores, TeamReport, compute_scores

Format = Literal["csv", "json"]

_TEAM_FIELDS = [
    "team_score", "self_score", "self_awareness", "benchmark", "percentile",
    "trend_team_score", "trend_self_awareness",
]
_ITEM_FIELDS = ["status", "answers", "mean", "sd", "na_rate", "self_value", "gap", "flag"]


def _team_record(r: TeamReport) -> dict[str, Any]:
    p = r.participation
    return {
        "cycle": r.cycle_id,
        "team": r.team_id,
        "team_name": r.team_name,
        "manager": r.manager_id,
        "manager_name": r.manager_name,
        "parent_team": r.parent_team_id,
        "invited": p.invited,
        "members": p.members,
        "participation": p.rate,
        "participation_label": p.label,
        "suppressed": r.suppressed,
        "has_self": r.has_self,
        **{name: getattr(r, name) for name in _TEAM_FIELDS},
    }


def _item_record(item: ItemReport) -> dict[str, Any]:
    record: dict[str, Any] = {name: getattr(item, name) for name in _ITEM_FIELDS}
    record["distribution"] = (
        None if item.distribution is None else {c.label: c.count for c in item.distribution}
    )
    return record


def scores_table(scores: Scores, cycle_id: str) -> pd.DataFrame:
    """One row per team; item columns are ``<question>_<field>`` and ``<question>_n_<value>``."""
    scale = scores.data.questionnaire.scale
    rows = []
    for report in scores.team_reports(cycle_id):
        row = _team_record(report)
        for item in report.items:
            q = item.question_id
            row.update({f"{q}_{name}": getattr(item, name) for name in _ITEM_FIELDS})
            counts = {c.value: c.count for c in item.distribution or []}
            row.update({f"{q}_n_{o.value}": counts.get(o.value) for o in scale})
        rows.append(row)
    table = pd.DataFrame(rows)
    # Counts stay whole numbers in CSV even when some are empty.
    counts = [c for c in table.columns if c in ("invited", "members") or c.endswith("_answers")
              or c.endswith("_self_value") or "_n_" in c]
    return table.astype({c: "Int64" for c in counts})


def write_scores(scores: Scores, cycle_id: str, fmt: Format, out: TextIO) -> None:
    if fmt == "csv":
        table = scores_table(scores, cycle_id)
        # Team and person names come from input files: data, never a spreadsheet formula.
        text = list(table.select_dtypes(exclude="number").columns)
        table[text] = table[text].map(csv_value)
        table.columns = [csv_value(c) for c in table.columns]
        table.to_csv(out, index=False, lineterminator="\n")
    elif fmt == "json":
        teams = [
            {**_team_record(r), "items": {i.question_id: _item_record(i) for i in r.items}}
            for r in scores.team_reports(cycle_id)
        ]
        json.dump({"cycle": cycle_id, "min_responses": scores.min_responses,
                   "benchmark_min_teams": scores.benchmark_min_teams, "teams": teams}, out, indent=2)
        out.write("\n")
    else:
        raise ValueError(f"unknown format {fmt!r} (expected 'csv' or 'json')")


def run_scores_command(
    inputs: SurveyInputs, root: Path, cycle_id: str | None = None, fmt: Format = "csv",
    out: TextIO = sys.stdout, err: TextIO = sys.stderr,
) -> int:
    """Load, score and write one cycle (default: the latest); returns the process exit code."""
    known = [c.id for c in inputs.cycles]
    cycle_id = cycle_id or known[-1]
    if cycle_id not in known:
        err.write(f"unknown cycle {cycle_id!r}; the configured cycles are: {', '.join(known)}\n")
        return 2
    try:
        data = load_survey(inputs, root)
    except InputError as exc:
        err.write(exc.report() + "\n")
        return 1
    for note in data.notes:
        err.write(f"note: {note}\n")
    write_scores(compute_scores(data), cycle_id, fmt, out)
    return 0
