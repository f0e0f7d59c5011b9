"""The seeded demo shows every case the reports handle, and the shipped demo files are its output."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from lchc_gen.cli import main as cli

from lchc_gen.survey.demo import generate, main
from lchc_gen.survey.load import load_survey
from lchc_gen.survey.model import SurveyInputs
from lchc_gen.survey.score import compute_scores

SHIPPED = Path(__file__).resolve().parents[2] / "survey"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    inputs = generate(root)
    data = load_survey(inputs, root)
    return root, data, compute_scores(data)


def test_demo_files_are_marked_synthetic(demo):
    root, data, _ = demo
    for name in ("lchc.yml", "org.yml"):
        assert (root / name).read_text().startswith("# SYNTHETIC demo data")
    assert data.questionnaire.question_ids == [f"q{n:02d}" for n in range(1, 13)]
    assert all(q.text.startswith("How often does your manager ") and q.self_text.startswith("How often do you ")
               for q in data.questionnaire.questions)
    assert {q.theme for q in data.questionnaire.questions} == {
        "Vision", "Feedback", "Recognition", "Growth", "Trust", "Inclusion"}


def test_demo_organisation_has_three_levels(demo):
    _, data, _ = demo
    org = data.organisation
    assert len(org.teams) >= 20
    depth = {}
    for team in org.teams:  # parents come first in the file
        depth[team.id] = 0 if team.parent is None else depth[team.parent] + 1
    assert sorted(set(depth.values())) == [0, 1, 2]
    assert len(org.admins) == 2


def test_demo_shows_every_case(demo):
    root, data, scores = demo
    for cycle in ("2026-H1", "2026-H2"):
        reports = scores.team_reports(cycle)
        assert any(r.suppressed for r in reports)
        assert any(i.status == "not enough answers" for r in reports for i in r.items)
        assert any(not r.has_self for r in reports)
        assert any(r.participation.label == "low: read with care" and not r.suppressed for r in reports)
        assert any(r.blind_spots for r in reports) and any(r.hidden_strengths for r in reports)
        assert sum(not r.suppressed for r in reports) >= 10
        assert any(r.percentile is not None for r in reports)
        assert any(i.distribution for r in reports for i in r.items)
        raw = pd.read_csv(root / "responses" / f"{cycle}.csv", dtype=str, keep_default_na=False)
        cells = raw.filter(like="q").stack()
        assert cells.isin(["N/A", "Don't know", ""]).any()
        assert cells.str.contains(r"^\s|\s$|[a-z]", regex=True).any()  # label forms such as " sometimes "
    assert any("dropped 1 duplicate submission" in n for n in data.notes)
    assert all(r.trend_team_score is not None for r in scores.team_reports("2026-H2") if not r.suppressed)


def test_demo_is_seeded(tmp_path):
    generate(tmp_path / "one", teams=12, cycles=1, seed=3)
    generate(tmp_path / "two", teams=12, cycles=1, seed=3)
    generate(tmp_path / "three", teams=12, cycles=1, seed=4)
    csv = Path("responses/2026-H1.csv")
    assert (tmp_path / "one" / csv).read_bytes() == (tmp_path / "two" / csv).read_bytes()
    assert (tmp_path / "one" / csv).read_bytes() != (tmp_path / "three" / csv).read_bytes()


def test_demo_needs_12_teams(tmp_path):
    with pytest.raises(ValueError, match="at least 12 teams"):
        generate(tmp_path, teams=11)


def test_shipped_demo_is_the_generator_output(tmp_path):
    main(["--out", str(tmp_path), "--teams", "24", "--cycles", "2", "--seed", "7"])
    for name in ("lchc.yml", "org.yml", "responses/2026-H1.csv", "responses/2026-H2.csv", "agreements.yml"):
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name


def test_demo_scales_to_many_teams(tmp_path):
    inputs = generate(tmp_path, teams=600, cycles=2)
    raw = pd.read_csv(tmp_path / "responses" / "2026-H2.csv")
    assert raw["team"].nunique() == 600
    assert len(load_survey(inputs, tmp_path).organisation.teams) == 600


def test_demo_data_command_writes_the_shipped_files_and_their_config(tmp_path, capsys):
    out = tmp_path / "big"
    assert cli(["demo-data", "--out", str(out), "--teams", "24", "--cycles", "2", "--seed", "7"]) == 0
    for name in ("lchc.yml", "org.yml", "responses/2026-H1.csv", "responses/2026-H2.csv", "agreements.yml"):
        assert (out / name).read_bytes() == (SHIPPED / name).read_bytes(), name
    printed = capsys.readouterr()
    config = SurveyInputs.model_validate(yaml.safe_load(printed.out)["survey"])
    assert [c.responses for c in config.cycles] == [f"{out.as_posix()}/responses/2026-H{n}.csv" for n in (1, 2)]
    assert "24 teams, 2 cycles, seed 7" in printed.err
    assert config.agreements.path == f"{out.as_posix()}/agreements.yml"


def test_demo_closes_the_loop_in_the_second_cycle(demo):
    """Agreements after the first cycle, checked in, whose questions the second cycle's reports compare."""
    _, data, scores = demo
    from lchc_gen.survey.movement import loop_view

    first = [a for (team, cycle), a in data.agreements.items() if cycle == "2026-H1"]
    assert len(first) >= 8 and {a.status for a in first} == {"tried", "partly", "not yet"}
    assert all(a.status is None for (_, cycle), a in data.agreements.items() if cycle == "2026-H2")
    views = [loop_view(scores, "2026-H2", team) for team, cycle in data.agreements if cycle == "2026-H1"]
    moves = [m for v in views for m in v.movements]
    assert any(m.could_be_chance for m in moves) and any(m.could_be_chance is False for m in moves)
    assert any(m.change is None for m in moves)  # a question not shown in one of the cycles


def test_demo_data_command_refuses_too_few_teams(tmp_path, capsys):
    assert cli(["demo-data", "--out", str(tmp_path / "x"), "--teams", "5"]) == 2
    assert "at least 12" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
