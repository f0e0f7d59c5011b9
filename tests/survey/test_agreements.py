"""Agreed experiments: the YAML file and form exports read into one model, every problem located."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from lchc_gen.cli import main
from lchc_gen.problems import InputError
from lchc_gen.survey.agreements import AgreementsFile, agreements_schema
from lchc_gen.survey.load import load_survey
from lchc_gen.survey.model import SurveyInputs

from survey_fixtures import write_inputs
from test_survey_score import H1, H2

YAML = """\
agreements:
  - team: a
    cycle: 2026-H1
    agreed: Share the quarter's goals in the Monday stand-up
    questions: [q01, q02]
    check_in: 2026-06-15
    status: partly
    happened: Three Mondays of five; the team asked for the goals in writing too.
  - team: b
    cycle: 2026-H1
    agreed: Close every 1:1 with one promise and keep it
    questions: [q03]
    check_in: 2026-06-20
"""


def _inputs(root: Path, agreements: str | dict, name: str = "agreements.yml", text: str = YAML) -> SurveyInputs:
    (root / name).write_text(text, encoding="utf-8", newline="")
    base = write_inputs(root, {"2026-H1": H1, "2026-H2": H2})
    return SurveyInputs.model_validate({**base.model_dump(exclude={"agreements"}), "agreements": agreements})


def _problems(root: Path, inputs: SurveyInputs) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_survey(inputs, root)
    return [str(p) for p in exc.value.problems]


def test_yaml_agreements_load_with_their_check_ins(root: Path) -> None:
    data = load_survey(_inputs(root, "agreements.yml"), root)
    a = data.agreements[("a", "2026-H1")]
    assert a.questions == ["q01", "q02"] and a.check_in == dt.date(2026, 6, 15)
    assert a.status == "partly" and a.happened.startswith("Three Mondays")
    b = data.agreements[("b", "2026-H1")]
    assert b.status is None and not b.checked_in


def test_yaml_problems_name_line_and_field(root: Path) -> None:
    bad = YAML.replace("team: b", "team: zz").replace("[q03]", "[q03, q99]").replace("partly", "maybe")
    bad += "  - {team: a, cycle: 2031-H1, agreed: x, questions: [q01], check_in: 2026-01-01}\n"
    bad += "  - {team: a, cycle: 2026-H1, agreed: again, questions: [q01], check_in: 2026-01-01}\n"
    problems = _problems(root, _inputs(root, "agreements.yml", text=bad))
    assert any(p.startswith("agreements.yml:7: agreements[0].status:") for p in problems), problems
    text = "\n".join(problems)
    assert "unknown team 'zz'" in text and "unknown question 'q99'" in text and "unknown cycle '2031-H1'" in text
    assert "a second agreement for team 'a' after cycle 2026-H1 (first at line 2)" in text


def test_a_team_outside_the_cycle_is_a_problem(root: Path) -> None:
    text = YAML.replace("team: b\n    cycle: 2026-H1", "team: d\n    cycle: 2026-H2")
    problems = _problems(root, _inputs(root, "agreements.yml", text=text))
    assert any("team 'd' was not part of cycle 2026-H2" in p for p in problems), problems


GOOGLE = """\
Timestamp,Email address,Team,Cycle,What did the team agree to try?,Which questions does it target?,Check-in date,Did the team try it?,What happened?
2026/04/02 10:01:02 AM GMT+1,lead@example.org,a,2026-H1,Share goals on Mondays,"q01, How often does your manager explain goals?",2026-06-15,,
2026/06/15 09:00:00 AM GMT+1,lead@example.org,a,2026-H1,,,,Not yet,Holidays got in the way
2026/04/03 10:01:02 AM GMT+1,b@example.org,b,2026-H1,One promise per 1:1,Q03,6/20/2026,tried,
"""


def test_a_google_forms_export_merges_the_check_in_row(root: Path) -> None:
    inputs = _inputs(root, {"path": "agreements.csv", "format": "google-forms"}, "agreements.csv", GOOGLE)
    data = load_survey(inputs, root)
    a = data.agreements[("a", "2026-H1")]
    assert a.agreed == "Share goals on Mondays" and a.questions == ["q01", "q02"]
    assert a.status == "not yet" and a.happened == "Holidays got in the way"
    assert data.agreements[("b", "2026-H1")].check_in == dt.date(2026, 6, 20)
    assert any("merged" in n and "rows 3" in n for n in data.notes), data.notes
    assert not any("lead@example.org" in n for n in data.notes)


def test_form_problems_name_row_and_the_tools_heading(root: Path) -> None:
    text = GOOGLE.replace(",b,2026-H1,", ",zz,2026-H1,").replace("Q03", "q42").replace("Not yet", "Sort of")
    text = text.replace("2026-06-15,,", "in June,,")
    inputs = _inputs(root, {"path": "agreements.csv", "format": "google-forms"}, "agreements.csv", text)
    problems = _problems(root, inputs)
    assert "agreements.csv:3:Did the team try it?: 'sort of' is not one of: tried, partly, not yet" in problems, problems
    assert "agreements.csv:2:Check-in date: 'in June' is not a date (YYYY-MM-DD)" in problems
    assert "agreements.csv:4:Team: unknown team 'zz'" in problems
    assert "agreements.csv:4:Which questions does it target?: unknown question 'q42' (questions: q01, q02, q03)" in problems


def test_schema_command_prints_the_models_schema(capsys) -> None:
    assert main(["schema", "agreements"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == agreements_schema()
    assert "check_in" in schema["$defs"]["Agreement"]["properties"]
    assert AgreementsFile.model_validate({"agreements": []}).agreements == []


def test_a_date_two_formats_read_differently_is_a_problem(root: Path) -> None:
    text = GOOGLE.replace("6/20/2026", "6/7/2026")
    inputs = _inputs(root, {"path": "agreements.csv", "format": "google-forms"}, "agreements.csv", text)
    problems = _problems(root, inputs)
    assert problems == ["agreements.csv:4:Check-in date: '6/7/2026' reads as 2026-06-07 or 2026-07-06: write it as YYYY-MM-DD"]


def test_a_native_csv_with_the_models_own_columns(root: Path) -> None:
    text = ("team,cycle,agreed,questions,check_in,status,happened\n"
            "a,2026-H1,Goals on Mondays,q01;q02,2026-06-15,partly,Half the Mondays\n")
    data = load_survey(_inputs(root, "agreements.csv", "agreements.csv", text), root)
    a = data.agreements[("a", "2026-H1")]
    assert a.questions == ["q01", "q02"] and a.status == "partly" and a.check_in == dt.date(2026, 6, 15)


def test_an_agreements_file_over_its_size_limit_is_a_problem(root: Path, monkeypatch) -> None:
    from lchc_gen import limits

    monkeypatch.setattr(limits, "AGREEMENTS_YAML", limits.FileLimit("an agreements file", 100))
    problems = _problems(root, _inputs(root, "agreements.yml"))
    assert len(problems) == 1 and problems[0].startswith("agreements.yml:") and "an agreements file" in problems[0], problems
