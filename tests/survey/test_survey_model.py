"""Schema and cross-reference problems in the YAML inputs, each with its line."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from lchc_gen.problems import InputError
from lchc_gen.survey.load import load_survey
from lchc_gen.survey.model import Cycle, SurveyInputs

from survey_fixtures import QUESTIONNAIRE, write_inputs

CSV = "team,respondent,role,q01,q02,q03\n"


def problems(root, **files) -> list[str]:
    with pytest.raises(InputError) as info:
        load_survey(write_inputs(root, {"2026-H1": CSV}, **files), root)
    return [str(p) for p in info.value.problems]


def test_organisation_cross_references(root):
    org = """\
people:
  - {id: p1, name: Ann}
  - {id: p1, name: Ann again}
teams:
  - {id: a, name: A, manager: p1, invited: 5, parent: c}
  - {id: b, name: B, manager: ghost, parent: nowhere, invited: 3}
  - {id: c, name: C, manager: p1, parent: a, invited: {2026-H1: 4, 2031-H1: 4}}
admins: [p1, root]
"""
    assert problems(root, organisation=org) == [
        "org.yml:3: people[1].id: duplicate person id 'p1' (first at line 2)",
        "org.yml:5: teams[0].parent: parent teams form a cycle: a -> c -> a",
        "org.yml:6: teams[1].manager: unknown person 'ghost'",
        "org.yml:6: teams[1].parent: unknown team 'nowhere'",
        "org.yml:7: teams[2].invited.2031-H1: unknown cycle '2031-H1'",
        "org.yml:8: admins[1]: unknown person 'root'",
    ]


def test_schema_errors_come_before_cross_references(root):
    org = "people:\n  - {id: p1, name: Ann}\nteams:\n  - {id: a, name: A, manager: ghost, invited: 0}\n"
    assert problems(root, organisation=org) == ["org.yml:4: teams[0].invited: invited must be at least 1"]


def test_duplicate_team_id(root):
    org = "people:\n  - {id: p1, name: Ann}\nteams:\n  - {id: a, name: A, manager: p1, invited: 5}\n" \
          "  - {id: a, name: A2, manager: p1, invited: 5}\n"
    assert problems(root, organisation=org) == ["org.yml:5: teams[1].id: duplicate team id 'a' (first at line 4)"]


def test_team_that_is_its_own_parent(root):
    org = "people:\n  - {id: p1, name: Ann}\nteams:\n  - {id: a, name: A, manager: p1, parent: a, invited: 5}\n"
    assert problems(root, organisation=org) == ["org.yml:4: teams[0].parent: parent teams form a cycle: a -> a"]


def test_questionnaire_problems(root):
    bad = QUESTIONNAIRE.replace("  - {value: 5, label: Always}", "  - {value: 4, label: often}\n  - {value: 6, label: N/A}")
    bad = bad.replace("  - id: q02", "  - id: Q01").replace("    theme: Trust\n", "    theme: Trust\n    weight: 2\n")
    assert problems(root, questionnaire=bad) == [
        "lchc.yml:23: questions[2].weight: unknown field (check the spelling)",
    ]
    bad = bad.replace("    weight: 2\n", "")
    assert problems(root, questionnaire=bad) == [
        "lchc.yml:8: scale[4].label: duplicate scale label 'often'",
        "lchc.yml:8: scale[4].value: duplicate scale value 4",
        "lchc.yml:9: scale[5].label: label 'N/A' is also an N/A label",
        "lchc.yml:15: questions[1].id: duplicate question id 'q01' (first at line 11)",
    ]


def test_survey_inputs_defaults_point_at_the_demo():
    inputs = SurveyInputs()
    assert (inputs.questionnaire, inputs.organisation) == ("survey/lchc.yml", "survey/org.yml")
    assert [(c.id, c.responses) for c in inputs.cycles] == [
        ("2026-H1", "survey/responses/2026-H1.csv"), ("2026-H2", "survey/responses/2026-H2.csv")]
    assert (inputs.min_responses, inputs.gap_threshold, inputs.share_up) == (3, 1.0, 1)


def test_survey_inputs_reject_duplicate_cycles_and_unknown_fields():
    cycle = Cycle(id="2026-H1", label="H1", responses="x.csv")
    with pytest.raises(ValidationError, match="duplicate cycle id: 2026-H1"):
        SurveyInputs(cycles=[cycle, cycle])
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        SurveyInputs(min_answers=3)  # type: ignore[call-arg]
