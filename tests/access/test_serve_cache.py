"""`mkdocs serve` rebuilds: scored survey data and rendered reports are reused until an input's
bytes change, so editing a program does not reprocess a thousand teams."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from lchc_gen.access.blobs import inflate
from lchc_gen.mkdocs_plugin.plugin import LchcPlugin


def _rebuild(root: Path, site: Path) -> LchcPlugin:
    """What `mkdocs serve` does on every change: load the config again, then build."""
    cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    build(cfg, serve_url="http://127.0.0.1:8000/")
    return cfg.plugins["lchc"]


def test_program_edit_reuses_scores_and_reports_until_a_survey_file_changes(protected_site, tmp_path: Path) -> None:
    root, _, _ = protected_site()
    site = tmp_path / "served"
    first = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    first.plugins.on_startup(command="serve", dirty=False)
    build(first, serve_url="http://127.0.0.1:8000/")
    plugin = first.plugins["lchc"]
    scores, reports = plugin.site.scores, plugin.site.memos.reports.value
    survey_hits, report_hits = plugin.site.memos.survey.hits, plugin.site.memos.reports.hits

    program = root / "programs" / "sales-discovery-calls.yml"
    program.write_text(program.read_text().replace("title: Better discovery calls", "title: Discovery calls, edited"))
    assert _rebuild(root, site) is plugin  # MkDocs keeps a plugin with on_startup for the session
    assert "Discovery calls, edited" in (site / "programs" / "sales-discovery-calls" / "index.html").read_text()
    assert plugin.site.scores is scores and plugin.site.memos.reports.value is reports
    assert (plugin.site.memos.survey.hits, plugin.site.memos.reports.hits) == (survey_hits + 1, report_hits + 1)
    blobs = list((site / "_access" / "p").glob("*.json"))
    assert len(blobs) == len(reports)
    # While serving, the encrypted files are linked from one private copy, not written again.
    assert all(b.stat().st_nlink == 2 for b in blobs)
    linked = Path(plugin.site.linked.folder)
    assert linked.parent == site.parent and linked.is_dir()

    answers = root / "survey" / "responses" / "2026-H2.csv"
    os.utime(answers, (1_000_000_000, 1_000_000_000))  # a new time alone is no change
    _rebuild(root, site)
    assert plugin.site.scores is scores

    answers.write_text(answers.read_text().replace(",member,", ",member, ", 1))  # same meaning, new bytes
    _rebuild(root, site)
    assert plugin.site.scores is not scores and plugin.site.memos.reports.value is not reports
    assert plugin.site.scores.teams.equals(scores.teams)  # " member" is cleaned to "member": same numbers
    assert not linked.exists()  # the old publication's copy is gone

    first.plugins.on_shutdown()  # the end of the serve session
    assert plugin.site.linked.folder is None and not list(site.parent.glob("lchc-serve-*"))
    assert all(b.stat().st_nlink == 1 for b in blobs if b.exists())


def test_template_edit_renders_reports_again_without_rescoring(protected_site, tmp_path: Path) -> None:
    root, _, _ = protected_site()
    site = tmp_path / "served"
    plugin = _rebuild(root, site)
    scores, reports = plugin.site.scores, plugin.site.memos.reports.value
    override = root / "templates" / "overview.html.j2"
    override.parent.mkdir(exist_ok=True)
    override.write_text("<h1>Overview, redesigned</h1>")
    _rebuild(root, site)
    assert plugin.site.scores is scores and plugin.site.memos.reports.value is not reports
    assert any(inflate(p.deflated) == b"<h1>Overview, redesigned</h1>" for p in plugin.site.memos.reports.value)
