"""The final check: what the reports finally hide is checked again for every reader, and the build
stops, naming the reader and the figure, when anything protected could be worked out."""

from __future__ import annotations

import logging
import shutil

import pytest
from mkdocs.exceptions import Abort

import lchc_gen.survey.score as score
from lchc_gen.problems import DisclosureError
from tests.conftest import build_site
from tests.disclosure.orgs import write_project
from tests.disclosure.test_attacks import FIVE_TEAMS, _answers

ANSWERS = {"2026-H1": _answers(FIVE_TEAMS, 1)}


def forget_what_was_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """A slip in the bookkeeping: the check decides what to hide, and the reports forget it."""
    real = score.protect_cycle

    def forget(check, opened):
        hidden, results = real(check, opened)
        assert hidden, "the five-team organisation needs something hidden for this test to mean anything"
        return {}, results

    monkeypatch.setattr(score, "protect_cycle", forget)


def test_the_check_passes_what_it_hid(tmp_path) -> None:
    scores = write_project(tmp_path, FIVE_TEAMS, ANSWERS)
    assert scores.protected  # something was hidden, and the final check found nothing derivable


def test_a_slip_stops_scoring_naming_reader_team_and_figure(tmp_path, monkeypatch) -> None:
    forget_what_was_hidden(monkeypatch)
    with pytest.raises(DisclosureError) as caught:
        write_project(tmp_path, FIVE_TEAMS, ANSWERS)
    report = caught.value.report()
    assert "nothing was published" in report
    # The department head opens dept and its three crews: the top team is the one they could work out.
    assert "reader m-dept could place team top's" in report
    assert "2026-H1.csv:1: cycle 2026-H1:" in report


def test_a_slip_fails_the_build(tmp_path, make_site, monkeypatch, caplog) -> None:
    write_project(tmp_path / "data", FIVE_TEAMS, ANSWERS)
    forget_what_was_hidden(monkeypatch)
    root = make_site(plugin={"survey": {"questionnaire": "survey/lchc.yml", "organisation": "survey/org.yml",
                                        "cycles": [{"id": "2026-H1", "label": "H1", "responses": "survey/2026-H1.csv"}]}})
    shutil.copytree(tmp_path / "data", root / "survey")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(root)
    assert "reader m-dept could place team top's team score" in caplog.text
    assert not (root / "site" / "index.html").exists()
