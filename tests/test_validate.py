"""`lchc-gen validate` reads every input a build reads and finds the same problems as the build."""

from __future__ import annotations

import logging
import shutil

import pytest
from mkdocs.exceptions import Abort

from lchc_gen.cli import main
from lchc_gen.survey.demo import generate
from tests.conftest import REPO, build_site, write
from tests.reports.test_reports import SURVEY

LINK = {"program": "leadership-development", "attendance": "att.csv", "cycle_dates": {"2026-H1": "2026-03-16"}}


def _problems(text: str) -> list[str]:
    """The problem lines of a report: those after "N problems in the input files:"."""
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if line.endswith("in the input files:"))
    return [line.strip() for line in lines[head + 1:] if line.startswith("  ")]


def test_the_demo_is_ok_with_every_input_read(demo_keys, monkeypatch, capsys) -> None:
    monkeypatch.chdir(REPO)
    assert main(["validate"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("ok: 4 programs,")
    assert "7 survey files (2 cycles, 24 teams)" in captured.out and "4 feedback files" in captured.out
    assert "attendance" in captured.out and "no problems" in captured.out
    assert "reading the survey: 7 files" in captured.err  # progress, on stderr (the agreements file too)


def test_a_response_file_with_problems_fails_like_scores_and_the_build(make_site, monkeypatch, capsys, caplog) -> None:
    root = make_site(copy_demo=True, plugin={"survey": SURVEY})
    generate(root / "survey", teams=12, cycles=2, seed=7)
    path = root / "survey" / "responses" / "2026-H2.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = ",".join([*lines[1].split(",")[:4], "7", *lines[1].split(",")[5:]])  # q01 = 7, off the scale
    lines[2] = lines[2].replace(lines[2].split(",")[1], "no-such-team", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    agreements = root / "survey" / "agreements.yml"
    agreements.write_text(agreements.read_text(encoding="utf-8").replace("- q", "- x", 1), encoding="utf-8")
    monkeypatch.chdir(root)

    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    found = _problems(err)
    assert any(p.startswith("survey/responses/2026-H2.csv:2:q01: ") for p in found)
    assert any(p.startswith("survey/responses/2026-H2.csv:3:team: ") for p in found)
    assert any(p.startswith("survey/agreements.yml:8: agreements[0].questions[0]: unknown question 'x") for p in found), found
    assert "Traceback" not in err

    assert main(["scores", "--cycle", "2026-H2"]) == 1
    assert _problems(capsys.readouterr().err) == found
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(root)
    assert all(p in caplog.text for p in found)


def test_feedback_and_attendance_problems_fail(make_site, monkeypatch, capsys) -> None:
    files = [{"path": "fb.csv", "run": "A", "program": "sales-discovery-calls"}]
    root = make_site(copy_demo=True, plugin={"survey": SURVEY, "feedback": {"files": files, "lchc_link": LINK}})
    generate(root / "survey", teams=12, cycles=2, seed=7)
    write(root / "fb.csv", "nps\n9\n10\n")
    write(root / "att.csv", "person,session\np00001,reflection-2026-h1\n")
    monkeypatch.chdir(root)
    assert main(["validate", "-q"]) == 0
    captured = capsys.readouterr()
    assert "1 feedback files (2 submissions), attendance" in captured.out and captured.err == ""

    write(root / "fb.csv", "nps\n9\n12\n")
    write(root / "att.csv", "person,session\nnobody,reflection-2026-h1\n")
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "fb.csv:3:nps: value '12' is not a whole number from 0 to 10" in err
    assert "att.csv:2:person: unknown person 'nobody'" in err


def test_a_keystore_inside_docs_dir_fails_validate_as_it_fails_the_build(make_site, monkeypatch, capsys) -> None:
    root = make_site(copy_demo=True, plugin={"survey": SURVEY, "keystore": "content/keys.json"})
    generate(root / "survey", teams=12, cycles=2, seed=7)
    write(root / "content" / "keys.json", "{}")
    monkeypatch.chdir(root)
    assert main(["validate"]) == 1
    assert "keystore: the keystore is inside docs_dir" in capsys.readouterr().err


def test_strict_fails_on_warnings_and_no_config_checks_programs_only(tmp_path, monkeypatch, capsys) -> None:
    shutil.copytree(REPO / "programs", tmp_path / "programs")
    monkeypatch.chdir(tmp_path)  # no mkdocs.yml here
    assert main(["validate", "--today", "2026-01-01"]) == 0
    captured = capsys.readouterr()
    assert "checking the program files only" in captured.err and "warning" in captured.err
    assert "survey" not in captured.out
    assert main(["validate", "--today", "2026-01-01", "--strict"]) == 1
    capsys.readouterr()
    assert main(["validate", "--config", "mkdocs.yaml"]) == 2  # a mistyped --config checks nothing less
    assert "mkdocs.yaml does not exist" in capsys.readouterr().err


def test_validate_settles_the_lchc_link_as_the_build_does(make_site, tmp_path, monkeypatch, capsys) -> None:
    """The record of published figures beside the keystore is checked (here: not ignored by git),
    and the plugin's `today` is read from mkdocs.yml, its line named when it is no date."""
    import subprocess

    import yaml

    from lchc_gen.access.keystore import issue
    from tests.access.conftest import FAST

    keystore = tmp_path / "project" / "mykeys.json"
    root = make_site(copy_demo=True, plugin={"survey": SURVEY, "keystore": str(keystore)})
    generate(root / "survey", teams=24, cycles=2, seed=7)  # every person the demo's attendance names
    org = yaml.safe_load((root / "survey" / "org.yml").read_text())
    issue(keystore, sorted({t["manager"] for t in org["teams"]} | set(org["admins"])), tmp_path / "handout.tsv", iterations=FAST)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    write(root / ".gitignore", "mykeys.json\nsite/\n")  # the keystore is ignored, its record would not be
    shutil.copy(REPO / "feedback" / "leadership-attendance.csv", root / "att.csv")
    link = {**LINK, "cycle_dates": {"2026-H1": "2026-03-16", "2026-H2": "2026-09-21"}}
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["plugins"][1]["lchc"].update({"feedback": {"lchc_link": link}, "today": "2026-12-01"})
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    monkeypatch.chdir(root)

    assert main(["validate", "-q"]) == 1
    err = capsys.readouterr().err
    assert "mykeys.published.json" in err and "publication record: the publication record is inside the git work tree" in err
    assert not (root / "mykeys.published.json").exists()

    write(root / ".gitignore", "mykeys*.json\nsite/\n")
    assert main(["validate", "-q"]) == 0
    capsys.readouterr()

    config["plugins"][1]["lchc"]["today"] = "1 Dec 2026"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    assert main(["validate", "-q"]) == 1
    err = capsys.readouterr().err
    assert "mkdocs.yml:" in err and "'1 Dec 2026' is not a date (YYYY-MM-DD)" in err and "Traceback" not in err
