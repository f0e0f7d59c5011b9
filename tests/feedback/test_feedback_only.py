"""A site with feedback but no survey: comments still go only to owners and the feedback admins;
without a keystore they are not published at all; every value is escaped."""

from __future__ import annotations

import html
import logging
from pathlib import Path

import yaml

from lchc_gen.access.keystore import issue, load_keystore
from tests.access.conftest import keyring_labels
from tests.conftest import build_site, write

EVIL = "<img src=x onerror=alert(1)>"


def _site(make_site, tmp_path: Path, keystore: Path | None) -> Path:
    plugin = {
        "feedback": {
            "admins": ["ld-admin"],
            "files": [{"path": "fb.csv", "run": f"Run {EVIL}", "program": "sales-discovery-calls", "closes": "2026-06-30"}],
        }
    }
    if keystore is not None:
        plugin["keystore"] = str(keystore)
    root = make_site(copy_demo=True, plugin=plugin)
    path = root / "programs" / "sales-discovery-calls.yml"
    data = yaml.safe_load(path.read_text())
    data["owners"] = ["sales-owner"]
    data["changes"][0]["what"] = f"We changed {EVIL} things."
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    write(root / "fb.csv", "nps,comment\n" + "".join(f"{v},secretcomment{v}x\n" for v in (10, 9, 8, 7, 6)))
    return root


def test_comments_without_a_survey_go_to_owners_and_feedback_admins(make_site, tmp_path: Path) -> None:
    keystore = tmp_path / "secrets" / "keys.json"
    issue(keystore, ["sales-owner", "ld-admin", "someone-else"], tmp_path / "secrets" / "handout.tsv", iterations=1_000)
    site = build_site(_site(make_site, tmp_path, keystore), strict=False)
    labels = keyring_labels(site, keystore)
    comments = "Learner comments: Better discovery calls"
    assert labels["sales-owner"] == {comments}
    assert labels["ld-admin"] == {comments, "L&D admin view: feedback, results and reviews"}
    assert labels["someone-else"] == set()
    assert "secretcomment" not in "".join(p.read_text(errors="replace") for p in site.rglob("*.html"))
    viewer = (site / "reports" / "index.html").read_text()
    assert "comments on a program open only for the program's owners" in viewer


def test_without_a_keystore_comments_are_not_published(make_site, tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    site = build_site(_site(make_site, tmp_path, None))
    assert not (site / "reports").exists() and not (site / "_access").exists()
    assert "nor are learner comments and the admin view" in caplog.text
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml")]
    assert not [p for p in files if "secretcomment" in p.read_text(errors="replace")]


def test_run_labels_and_changes_are_escaped(make_site, tmp_path: Path) -> None:
    site = build_site(_site(make_site, tmp_path, None))
    page = (site / "programs" / "sales-discovery-calls" / "index.html").read_text()
    assert EVIL not in page and "<img src=x" not in page
    assert html.escape(f"Run {EVIL}", quote=False) in page
    assert html.escape(f"We changed {EVIL} things.", quote=False) in page


def test_plaintext_preview_shows_comments_as_plain_pages_and_warns(make_site, tmp_path: Path, caplog) -> None:
    root = _site(make_site, tmp_path, None)
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["plugins"][1]["lchc"]["reports_plaintext_preview"] = True
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    site = build_site(root, strict=False)
    assert "the overview, learner comments and the admin view are published as plain pages" in caplog.text
    page = (site / "reports" / "feedback" / "sales-discovery-calls" / "comments" / "index.html").read_text()
    assert "secretcomment10x" in page  # development only: that is what the warning is for


def test_keys_issue_covers_program_owners_and_feedback_admins(make_site, tmp_path: Path, monkeypatch) -> None:
    from lchc_gen.cli import main

    root = _site(make_site, tmp_path, None)
    monkeypatch.chdir(root)
    keystore = tmp_path / "secrets" / "issued.json"
    assert main(["keys", "issue", "--keystore", str(keystore)]) == 0
    assert set(load_keystore(keystore).readers) == {"sales-owner", "ld-admin", "p00022"}  # p00022 owns support-onboarding


def test_a_strict_build_refuses_the_preview_before_writing_on_a_feedback_only_site(make_site, tmp_path: Path, caplog) -> None:
    import pytest
    from mkdocs.exceptions import Abort

    root = _site(make_site, tmp_path, None)
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["plugins"][1]["lchc"]["reports_plaintext_preview"] = True
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    with pytest.raises(Abort):
        build_site(root, strict=True)
    assert not list(root.rglob("comments/index.html"))
    assert not (root / "site").exists()  # refused before anything was written
    assert "a --strict build refuses it" in caplog.text
