"""What a program page shows of the loop: feedback by run, confidence per objective, measured
results and changes. The adapter hands these to the program pages (programs/ knows nothing
of feedback)."""

from __future__ import annotations

from typing import Any

from ..programs.load import LoadedProgram
from .charts import nps_chart
from .results import changes_newest_first, measure_views, with_unit
from .observe import Observed
from .reach import Reach, reach_view
from .score import FeedbackScores

CHART_RUNS = 6


def loop_views(
    programs: list[LoadedProgram],
    scores: FeedbackScores | None,
    observed: dict[str, Observed] | None = None,
    reach: dict[str, Reach] | None = None,
) -> dict[str, dict[str, Any]]:
    views = {}
    for lp in programs:
        pid = lp.program.id
        pf = scores.get(pid) if scores is not None else None
        pf = pf.public() if pf is not None else None  # open runs say when their results appear
        views[pid] = {
            "feedback": pf,
            # The chart keeps to the latest runs so that it stays readable on a phone; the table has all.
            "nps_chart": nps_chart(pf.runs[-CHART_RUNS:], f"nps-{pid}") if pf and pf.runs else None,
            "chart_runs": CHART_RUNS,
            "confidence": pf.confidence_latest if pf else {},
            "measures": measure_views(lp),
            "changes": changes_newest_first(lp.program.changes),
            "value": with_unit,
            # The managers' observation checklists (Level 3): rows once the round closed, else when.
            "observed": observed[pid].public() if observed and pid in observed else [],
            "reach": reach_view(reach[pid]) if reach and pid in reach else None,  # counts only
        }
    return views
