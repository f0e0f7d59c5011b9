""""You told us, we are doing": the actions file and the page's switch."""

from __future__ import annotations

import pytest

from lchc_gen.problems import InputError
from lchc_gen.reports.all_staff import all_staff_files
from lchc_gen.render import make_env
from lchc_gen.survey import load_survey
from lchc_gen.survey.model import SurveyInputs
from tests.disclosure.orgs import write_project

TEAMS = [("top", None), ("a", "top"), ("b", "top")]
ROWS = {"c1": {t: [[3, 4], [4, 4], [2, 5]] for t, _ in TEAMS}}


def test_a_bad_action_is_named_by_file_line_and_field(tmp_path) -> None:
    write_project(tmp_path, TEAMS, ROWS, questions=2)
    (tmp_path / "actions.yml").write_text(
        "actions:\n  - date: 2026-05-04\n    what: Agendas a day ahead.\n    why: Inclusion was lowest.\n    source: LCHC\n"
        "  - date: 2026-06-31\n    what: Something\n    source: LCHC\n"
    )
    inputs = SurveyInputs(questionnaire="lchc.yml", organisation="org.yml", actions="actions.yml",
                          cycles=[{"id": "c1", "label": "c1", "responses": "c1.csv"}])
    with pytest.raises(InputError) as info:
        load_survey(inputs, tmp_path)
    report = info.value.report()
    assert "actions.yml:6" in report and "date" in report  # 31 June
    assert "actions.yml:6" in report and "why" in report  # missing: the entry's first line


def test_the_page_is_made_only_when_switched_on(tmp_path) -> None:
    off = write_project(tmp_path / "off", TEAMS, ROWS, questions=2)
    assert all_staff_files(off, make_env(None)) == []
    on = write_project(tmp_path / "on", TEAMS, ROWS, questions=2, all_staff="public")
    (page,) = all_staff_files(on, make_env(None))
    assert page.path == "you-told-us.md" and "No action is listed yet." in page.content
    # Three teams are fewer than benchmark_min_teams: no theme figure, and the page says why.
    assert "not shown: fewer teams than needed had enough answers" in page.content
