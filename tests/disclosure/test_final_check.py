"""The final check: what the reports finally hide is checked again for every reader, and the build
stops, naming the reader and the figure, when anything protected could be worked out."""

from __future__ import annotations

import logging
import re
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


def test_the_overview_tells_admins_what_each_kind_of_reader_is_kept_from(tmp_path) -> None:
    from lchc_gen.render import make_env
    from lchc_gen.reports.pages import ReportOptions, build_report_pages

    scores = write_project(tmp_path, FIVE_TEAMS, ANSWERS)
    overview = next(p for p in build_report_pages(scores, make_env(None), ReportOptions()) if p.src.endswith("overview.md"))
    section = overview.html.split("<h2>Who sees what, and what is kept from them</h2>", 1)[1]
    rows = {head: re.findall(r"<td[^>]*>([^<]*)</td>", cells)
            for head, cells in re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', section)}
    # One admin opens all five reports; the department head four (and loses the top team's
    # benchmarks there: 12 question benchmarks in each of the 4 reports, and the percentile if any);
    # the top manager two; the three crews' managers one each. Both heads open their department's
    # view too (top: the top team and the department; dept: the department and its crews), as do admins.
    assert rows["1 admin"][0] == "7" and rows["2 department heads"][0] == "8"
    left_out = int(rows["2 department heads"][4])
    assert left_out >= 4 * 12
    # A report is the same for all its readers: the admin opens the same four reports without them.
    assert int(rows["1 admin"][4]) >= 4 * 12
    assert rows["3 managers"][0] == "3"
    assert all(r[5] == "0" for r in rows.values())
    assert "Nothing can be worked out by any reader of this cycle." in section.split("</p>", 1)[0]
    # The same figures as `lchc-gen privacy` counts them, checked again from nothing.
    from lchc_gen.survey.privacy import reader_views, summary

    again = {(r["kind"]): r for r in summary(reader_views(scores, recheck=True))}
    assert again["department head"]["protecting"] == left_out
    assert again["department head"]["derivable"] == 0
