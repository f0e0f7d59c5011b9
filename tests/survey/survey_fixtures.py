"""Tiny hand-made survey inputs; every expected number in the survey tests is worked out by hand."""

from __future__ import annotations

from pathlib import Path

from lchc_gen.survey.model import Cycle, SurveyInputs

QUESTIONNAIRE = """\
id: lchc-mini
title: Mini check
scale:
  - {value: 1, label: Never}
  - {value: 2, label: Rarely}
  - {value: 3, label: Sometimes}
  - {value: 4, label: Often}
  - {value: 5, label: Always}
questions:
  - id: q01
    text: How often does your manager share the vision?
    self_text: How often do you share the vision?
    theme: Vision
  - id: q02
    text: How often does your manager explain goals?
    self_text: How often do you explain goals?
    theme: Vision
  - id: q03
    text: How often does your manager keep promises?
    self_text: How often do you keep promises?
    theme: Trust
"""

ORGANISATION = """\
people:
  - {id: p1, name: Ann Example}
  - {id: p2, name: Bo Example}
  - {id: p3, name: Cy Example}
  - {id: p4, name: Di Example}
  - {id: hr, name: Hal Admin}
teams:
  - {id: a, name: Team A, manager: p1, invited: 5}
  - {id: b, name: Team B, manager: p2, parent: a, invited: 6}
  - {id: c, name: Team C, manager: p3, parent: a, invited: 4}
  - {id: d, name: Team D, manager: p4, parent: b, invited: {2026-H1: 10}}
admins: [hr]
"""


def write_inputs(
    root: Path,
    responses: dict[str, str | bytes],
    organisation: str = ORGANISATION,
    questionnaire: str = QUESTIONNAIRE,
    **settings: object,
) -> SurveyInputs:
    """Write the files under ``root``: one responses CSV per cycle id, in the given order."""
    (root / "responses").mkdir(parents=True, exist_ok=True)
    (root / "lchc.yml").write_text(questionnaire, encoding="utf-8")
    (root / "org.yml").write_text(organisation, encoding="utf-8")
    for cycle_id, content in responses.items():
        target = root / "responses" / f"{cycle_id}.csv"
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="")
    return SurveyInputs(
        questionnaire="lchc.yml",
        organisation="org.yml",
        cycles=[Cycle(id=c, label=c, responses=f"responses/{c}.csv") for c in responses],
        **settings,
    )
