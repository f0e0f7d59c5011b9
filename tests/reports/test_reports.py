"""Team reports and the overview in a full build: private by default, the same numbers as
`lchc-gen scores`, and everything escaped."""

from __future__ import annotations

import shutil
import csv
import logging
import io
import re
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import Abort

from lchc_gen.cli import main
from lchc_gen.survey import format as fmt
from lchc_gen.survey.demo import generate
from tests.conftest import build_site

SURVEY = {
    "questionnaire": "survey/lchc.yml",
    "organisation": "survey/org.yml",
    "cycles": [
        {"id": "2026-H1", "label": "First half 2026", "responses": "survey/responses/2026-H1.csv"},
        {"id": "2026-H2", "label": "Second half 2026", "responses": "survey/responses/2026-H2.csv"},
    ],
    "agreements": "survey/agreements.yml",
}


@pytest.fixture
def survey_site(make_site):
    def _make(preview: bool) -> Path:
        root = make_site(copy_demo=True, plugin={"survey": SURVEY, "reports_plaintext_preview": preview})
        generate(root / "survey", teams=24, cycles=2, seed=7)
        return root

    return _make


def test_reports_are_not_published_by_default(survey_site, caplog) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    site = build_site(survey_site(preview=False))
    assert not (site / "reports").exists()
    assert "not published: reports are private" in caplog.text
    assert not list(site.rglob("*.csv")) and not (site / "survey").exists()


def test_plaintext_preview_warns_and_a_strict_build_refuses_it(survey_site, caplog) -> None:
    root = survey_site(preview=True)
    with pytest.raises(Abort):
        build_site(root, strict=True)
    assert "a --strict build refuses it" in caplog.text
    assert not (root / "site").exists()  # refused before anything was written
    site = build_site(root, strict=False)
    assert "reports_plaintext_preview is ON" in caplog.text
    assert (site / "reports" / "2026-H2" / "overview" / "index.html").exists()
    assert len(list((site / "reports" / "2026-H2").glob("*/index.html"))) == 29  # 24 teams, the overview and 4 departments


def _field(html: str, name: str) -> str:
    m = re.search(rf'data-field="{name}">([^<]*)<', html)
    assert m is not None, name
    return m.group(1).strip()


def test_report_pages_show_the_numbers_of_the_scores_export(survey_site, monkeypatch, capsys) -> None:
    root = survey_site(preview=True)
    site = build_site(root, strict=False)
    monkeypatch.chdir(root)
    assert main(["scores", "--cycle", "2026-H2", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 24
    suppressed = 0
    for row in rows:
        html = (site / "reports" / "2026-H2" / row["team"] / "index.html").read_text()
        assert _field(html, "participation") == fmt.participation(int(row["members"]), int(row["invited"]))
        if row["suppressed"] == "True":
            suppressed += 1
            assert 'data-field="team_score"' not in html and "Team answers are not shown" in html
            continue
        assert _field(html, "team_score").startswith(fmt.number(float(row["team_score"])))
        if row["self_awareness"]:
            assert _field(html, "self_awareness") == fmt.signed(float(row["self_awareness"]))
        else:
            assert _field(html, "self_awareness") == "not available"
        if row["benchmark"]:
            assert _field(html, "benchmark") == fmt.number(float(row["benchmark"]))
        else:  # hidden for this report's readers (disclosure check): the report says why
            assert _field(html, "benchmark").startswith("not shown here: next to the other reports")
        for q in [f"q{i:02d}" for i in range(1, 13)]:
            cells = re.search(rf'data-question="{q}">(.*?)</tr>', html, re.S).group(1)
            if row[f"{q}_status"] == "shown":
                assert _field(cells, "mean") == fmt.number(float(row[f"{q}_mean"]))
                sd = row[f"{q}_sd"]
                assert (_field(cells, "sd") == fmt.number(float(sd))) if sd else "shown from 5 answers" in cells
                gap = row[f"{q}_gap"]
                assert _field(cells, "gap") == (fmt.signed(float(gap)) if gap else "")
            else:
                assert 'data-field="mean"' not in cells and row[f"{q}_status"] in cells
    assert suppressed >= 1


def test_survey_text_is_escaped_in_reports(survey_site) -> None:
    root = survey_site(preview=True)
    org = root / "survey" / "org.yml"
    data = yaml.safe_load(org.read_text())
    data["teams"][1]["name"] = "<script>alert('team')</script>"
    data["people"][1]["name"] = "<img src=x onerror=alert(1)>"
    org.write_text(yaml.safe_dump(data, sort_keys=False))
    site = build_site(root, strict=False)
    team = data["teams"][1]["id"]
    for page in (site / "reports" / "2026-H2" / team / "index.html", site / "reports" / "2026-H2" / "overview" / "index.html"):
        html = page.read_text()
        assert "<script>alert('team')" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html


def test_bad_survey_config_is_reported_with_its_mkdocs_line(make_site, caplog) -> None:
    root = make_site(copy_demo=True, plugin={"survey": {**SURVEY, "min_responses": 2}})
    generate(root / "survey", teams=24, cycles=2, seed=7)
    with pytest.raises(Abort):
        build_site(root)
    line = next(i for i, text in enumerate((root / "mkdocs.yml").read_text().splitlines(), 1) if "min_responses" in text)
    assert f"mkdocs.yml:{line}: plugins[1].lchc.survey.min_responses: min_responses protects anonymity and cannot be below 3" in caplog.text


def test_organisation_and_response_files_inside_docs_dir_are_refused(make_site, caplog) -> None:
    """MkDocs copies every file of docs_dir into site/: names, emails and raw answers would be
    published as they are, whatever happens to the reports."""
    inside = {**SURVEY, "organisation": "content/org.yml",
              "cycles": [{**SURVEY["cycles"][0], "responses": "content/answers/2026-H1.csv"}, SURVEY["cycles"][1]]}
    root = make_site(copy_demo=True, plugin={"survey": inside})
    generate(root / "survey", teams=12, cycles=2, seed=7)
    (root / "content" / "answers").mkdir()
    shutil.copy(root / "survey" / "org.yml", root / "content" / "org.yml")
    shutil.copy(root / "survey" / "responses" / "2026-H1.csv", root / "content" / "answers" / "2026-H1.csv")
    with pytest.raises(Abort):
        build_site(root, strict=False)
    assert re.search(r"mkdocs\.yml:\d+: plugins\[1\]\.lchc\.survey\.organisation: content/org\.yml is inside docs_dir", caplog.text)
    assert re.search(r"mkdocs\.yml:\d+: plugins\[1\]\.lchc\.survey\.cycles\[0\]\.responses: content/answers/2026-H1\.csv is inside docs_dir", caplog.text)
    assert not (root / "site").exists()
