"""From gaps to programs: the mapping file checked by file and line, and the lowest themes by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from lchc_gen.feedback.gaps import gap_program_problems, gaps_by_department
from lchc_gen.problems import InputError
from lchc_gen.programs.load import load_programs
from lchc_gen.reports.gaps import gap_pages
from lchc_gen.render import make_env
from lchc_gen.survey import SurveyInputs, compute_scores, load_survey
from tests.disclosure.orgs import write_project

REPO = Path(__file__).resolve().parents[2]
TEAMS = [("dept", None), ("crew1", "dept"), ("crew2", "dept")]
# Questions q01-q02 "Trust", q03-q04 "Growth", q05-q06 "Vision"; every crew answers alike.
ROWS = [[2, 3, 4, 4, 5, 5], [2, 2, 4, 5, 5, 4], [3, 3, 4, 4, 4, 5]]


def _project(root: Path, gaps: str) -> SurveyInputs:
    write_project(root, TEAMS, {"c1": {t: ROWS for t, _ in TEAMS}}, questions=6)
    q = yaml.safe_load((root / "lchc.yml").read_text())
    for item, theme in zip(q["questions"], ["Trust", "Trust", "Growth", "Growth", "Vision", "Vision"]):
        item["theme"] = theme
    (root / "lchc.yml").write_text(yaml.safe_dump(q, sort_keys=False))
    (root / "gaps.yml").write_text(gaps)
    return SurveyInputs(questionnaire="lchc.yml", organisation="org.yml", gaps="gaps.yml",
                        cycles=[{"id": "c1", "label": "c1", "responses": "c1.csv"}])


def test_unknown_themes_programs_and_objectives_are_named_by_line(tmp_path) -> None:
    inputs = _project(tmp_path, "themes:\n  - theme: Trust\n    objectives:\n      - {program: leadership-development, objective: nope}\n"
                                "      - {program: nothing, objective: x}\n  - theme: Courage\n    objectives:\n"
                                "      - {program: leadership-development, objective: do-one-experiment}\n")
    with pytest.raises(InputError) as info:
        load_survey(inputs, tmp_path)
    assert "gaps.yml:6" in info.value.report() and "unknown theme 'Courage'" in info.value.report()
    inputs = _project(tmp_path, "themes:\n  - theme: Trust\n    objectives:\n      - {program: leadership-development, objective: nope}\n"
                                "      - {program: nothing, objective: x}\n")
    scores = compute_scores(load_survey(inputs, tmp_path))
    problems = gap_program_problems(scores, load_programs(REPO / "programs", REPO))
    assert [(p.line, p.field.split(".")[-1]) for p in problems] == [(4, "objective"), (5, "program")]
    assert "no objective 'nope'" in problems[0].message and "do-one-experiment" in problems[0].message


def test_the_lowest_themes_and_who_attended_by_hand(tmp_path) -> None:
    inputs = _project(tmp_path, "themes:\n  - theme: Trust\n    objectives:\n      - {program: leadership-development, objective: do-one-experiment}\n")
    scores = compute_scores(load_survey(inputs, tmp_path))
    programs = load_programs(REPO / "programs", REPO)
    attended = {"leadership-development": {dt.date(2026, 4, 14): {"m-crew1", "someone-else"}}}
    (dept,) = gaps_by_department(scores, programs, attended)["c1"]
    # Trust: (2+3 + 2+2 + 3+3) / 6 = 2.5; Growth: 25 / 6; Vision 28 / 6: the two lowest, lowest first.
    assert [(t.theme, round(t.value, 6)) for t in dept.lowest] == [("Trust", 2.5), ("Growth", round(25 / 6, 6))]
    (addressed,) = dept.lowest[0].addressed
    assert addressed.program_id == "leadership-development" and addressed.attended == 1  # of the three managers
    assert dept.managers == 3 and dept.lowest[1].addressed == []
    (page,) = gap_pages(scores, programs, attended, make_env(None))
    assert page.readers == frozenset({"admin"}) and "1 of 3 managers have attended" in page.html
    assert "No program objective is mapped to this theme yet." in page.html
