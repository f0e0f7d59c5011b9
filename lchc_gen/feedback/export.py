"""`lchc-gen feedback`: every program's feedback numbers by run, hidden where the pages hide them
(open runs included: they say when their results appear).

Built from the same ``FeedbackScores`` as the pages; the `text` column is exactly what a page shows.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..tabular.formulas import csv_value
from .score import FeedbackScores, RunFeedback, whole

COLUMNS = ["program", "run", "measure", "answers", "value", "margin", "text"]


def _rows(run: RunFeedback) -> list[dict[str, Any]]:
    nps = run.nps
    rows = [
        {
            "measure": "nps",
            "answers": nps.answers,
            "value": whole(nps.score) if nps.score is not None else None,
            "margin": whole(nps.margin) if nps.margin is not None else None,
            "text": nps.text,
        },
        {
            "measure": "response_rate",
            "answers": run.respondents,
            "value": whole(100 * run.response_rate) if run.response_rate is not None else None,
            "margin": None,
            "text": run.response_text,
        },
    ]
    for oid, c in run.confidence.items():
        rows.append(
            {
                "measure": f"objective:{oid}",
                "answers": c.answers,
                "value": round(c.mean, 1) if c.mean is not None else None,
                "margin": None,
                "text": c.text,
            }
        )
    return rows


def feedback_rows(scores: FeedbackScores) -> list[dict[str, Any]]:
    scores = scores.public()
    return [
        {"program": pf.program_id, "run": run.label, **row}
        for pf in scores.programs.values()
        for run in pf.runs
        for row in _rows(run)
    ]


def feedback_csv(scores: FeedbackScores) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in feedback_rows(scores):
        # Run labels and the text column ("+33 ± 35") are data, never a spreadsheet formula.
        writer.writerow({k: "" if v is None else csv_value(v) for k, v in row.items()})
    return out.getvalue()


def feedback_json(scores: FeedbackScores) -> str:
    scores = scores.public()
    programs = []
    for pf in scores.programs.values():
        runs = [
            {"run": run.label, "people": run.respondents, "submissions": run.submissions, "closes": run.closes.isoformat() if run.closes else None,
             "open": run.open, "measures": _rows(run)}
            for run in pf.runs
        ]
        programs.append({"program": pf.program_id, "title": pf.title, "k_feedback": pf.k, "runs": runs})
    return json.dumps({"programs": programs}, indent=2, ensure_ascii=False) + "\n"
