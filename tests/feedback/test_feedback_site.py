"""A full build shows the same feedback numbers on program pages as `lchc-gen feedback` exports,
and measured results and changes as entered."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
from pathlib import Path

import pytest
import yaml

from lchc_gen.cli import main
from lchc_gen.feedback.demo import generate_demo
from lchc_gen.programs.load import load_programs
from tests.conftest import REPO, build_site


@pytest.fixture
def feedback_site(make_site):
    def _make(**extra) -> Path:
        programs = load_programs(REPO / "programs", REPO)
        root = make_site(copy_demo=True)
        entries = generate_demo(root / "feedback", programs)
        for e in entries:
            e["path"] = Path(str(e["path"])).relative_to(root).as_posix()
        data = yaml.safe_load((root / "mkdocs.yml").read_text())
        data["plugins"][1]["lchc"]["feedback"] = {"files": entries, **extra}
        (root / "mkdocs.yml").write_text(yaml.safe_dump(data, sort_keys=False))
        return root

    return _make


def export(root: Path, fmt: str, capsys) -> str:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        assert main(["feedback", "--config", "mkdocs.yml", "--format", fmt]) == 0
    finally:
        os.chdir(cwd)
    return capsys.readouterr().out


def article(site: Path, pid: str) -> str:
    page = (site / "programs" / pid / "index.html").read_text()
    return html.unescape(page[page.index("<article"):page.index("</article>")])


def test_pages_and_export_show_the_same_numbers(feedback_site, capsys) -> None:
    root = feedback_site()
    site = build_site(root)
    rows = list(csv.DictReader(io.StringIO(export(root, "csv", capsys))))
    # A text that starts like a spreadsheet formula ("+45 ± 29") carries a leading ' in CSV.
    assert any(r["text"].startswith("'+") for r in rows)
    for r in rows:
        r["text"] = r["text"].removeprefix("'")
    assert {r["program"] for r in rows} == {"sales-discovery-calls", "support-onboarding", "leadership-development"}
    hidden = [r for r in rows if r["measure"] == "nps" and r["value"] == ""]
    assert hidden and all(r["text"].startswith("not enough answers") and r["margin"] == "" for r in hidden)
    for r in rows:
        text = article(site, r["program"])
        row = re.search(r'<tr><th scope="row">' + re.escape(r["run"]) + r"</th>(.*?)</tr>", text)
        assert row, (r["program"], r["run"])
        if r["measure"] == "nps":
            assert re.search(r'<td class="lchc-nps[^"]*">' + re.escape(r["text"]) + "</td>", row.group(1))
            assert f"<td>{r['answers']}</td>" in row.group(1)
        elif r["measure"] == "response_rate":
            assert f'<td class="lchc-response">{r["text"]}</td>' in row.group(1)
    # Beside each objective: the latest run that asked about it, as exported.
    latest: dict[tuple[str, str], str] = {}
    for r in rows:
        if r["measure"].startswith("objective:") and int(r["answers"]):
            latest[(r["program"], r["measure"].split(":", 1)[1])] = r["text"]
    for (pid, oid), text in latest.items():
        li = re.search(rf'<li id="objective-{oid}".*?</li>', article(site, pid), re.S).group(0)
        assert f"Learners' confidence afterwards: {text}" in li
    # The programs index: each program's latest run, as exported.
    index = html.unescape((site / "programs" / "index.html").read_text())
    last = {}
    for r in rows:
        if r["measure"] == "nps":
            last[r["program"]] = f"<dt>Learners' NPS</dt><dd>{r['text']}, {r['run']}</dd>"
    assert all(item in index for item in last.values()), last
    data = json.loads(export(root, "json", capsys))
    flat = {(p["program"], run["run"], m["measure"]): m["text"] for p in data["programs"] for run in p["runs"] for m in run["measures"]}
    assert flat == {(r["program"], r["run"], r["measure"]): r["text"] for r in rows}


def test_hidden_run_says_not_enough_answers_and_shows_no_figure(feedback_site) -> None:
    site = build_site(feedback_site())
    text = article(site, "support-onboarding")
    row = re.search(r'<tr><th scope="row">September 2026 intake</th>(.*?)</tr>', text).group(1)
    assert "not enough answers (4 people of at least 5)" in row
    assert "\u00b1" not in row
    assert "September 2026 intake: not enough answers (4 people of at least 5)" in text  # the chart's text alternative


def test_measured_results_and_changes_on_the_page_and_home(feedback_site) -> None:
    root = feedback_site()
    (root / "content" / "index.md").write_text("# Home\n\n<!-- lchc:changes -->\n")
    site = build_site(root)
    text = article(site, "support-onboarding")
    measure = text[text.index("Escalation quality</strong>"):]
    assert "<dt>Before</dt><dd>34% (Tue 31 Mar 2026)</dd>" in measure
    assert "<dt>After</dt><dd>23% (Sat 31 Oct 2026)</dd>" in measure
    assert "<dt>Change</dt><dd>down 11 percentage points (better)</dd>" in measure
    assert "<dt>Target</dt><dd>target 20% (or less): not met yet</dd>" in measure
    assert "Tier-2 returns log in the ticket system" in measure
    assert 'role="img"' in measure and "<figcaption>Escalation quality: 34% before, 27% on" in measure
    sales = article(site, "sales-discovery-calls")
    said = sales[sales.index('id="you-said-we-did"'):]
    assert said.index("The slides go out") < said.index("The Thursday session now starts")  # newest first
    home = html.unescape((site / "index.html").read_text())
    assert "<!-- lchc:changes -->" not in home
    assert home.index("The slides go out") < home.index("Practice tickets now include") < home.index("The Thursday session now")
    assert 'href="programs/sales-discovery-calls/#you-said-we-did"' in home


def test_serve_watches_feedback_files(feedback_site) -> None:
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    root = feedback_site()
    cfg = load_config(str(root / "mkdocs.yml"))
    cfg.plugins.on_startup(command="serve", dirty=False)
    cfg = cfg.plugins.on_config(cfg)
    cfg.plugins.on_pre_build(config=cfg)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(root / "site"))
    cfg.plugins.on_serve(server, config=cfg, builder=lambda: None)
    watched = {Path(p).resolve() for p in server._watched_paths}
    cfg.plugins.on_shutdown()
    files = list((root / "feedback").glob("*.csv"))
    assert files and {f.resolve() for f in files} <= watched


def test_many_runs_chart_the_latest_six_and_tabulate_all(make_site) -> None:
    root = make_site(copy_demo=True)
    files = []
    for i in range(8):
        (root / f"run{i}.csv").write_text("nps\n" + "10\n" * (5 + i))
        files.append({"path": f"run{i}.csv", "run": f"Run {i}", "program": "sales-discovery-calls", "closes": "2026-06-30"})
    data = yaml.safe_load((root / "mkdocs.yml").read_text())
    data["plugins"][1]["lchc"]["feedback"] = {"files": files}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    text = article(build_site(root), "sales-discovery-calls")
    chart = re.search(r'<svg class="lchc-chart lchc-small-chart".*?</svg>', text, re.S).group(0)
    assert "Run 1<" not in chart and "Run 2<" in chart and "Run 7<" in chart
    assert all(f'<th scope="row">Run {i}</th>' in text for i in range(8))
    assert "the latest 6 runs; the table below has the same numbers for every run" in text
