"""`lchc-gen validate`, `hash` and `render` drive the core without MkDocs."""

from __future__ import annotations

from pathlib import Path

import pytest

from lchc_gen.cli import main
from lchc_gen.programs.model import text_hash
from tests.conftest import REPO, write
from tests.programs.test_bad_input import BAD


def test_validate_reports_ok_for_the_demo(demo_keys, monkeypatch, capsys) -> None:
    monkeypatch.chdir(REPO)
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: 4 programs,") and "no problems" in out


def test_validate_lists_every_problem_and_fails(tmp_path: Path, monkeypatch, capsys) -> None:
    write(tmp_path / "programs" / "bad.yml", BAD)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "-q"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("9 problems in the input files:")
    assert "  programs/bad.yml:26: sessions[1].start: expected a 24-hour time HH:MM" in err


def test_hash_prints_the_hash_to_paste_and_flags_stale(monkeypatch, capsys) -> None:
    monkeypatch.chdir(REPO)
    assert main(["hash", "support-onboarding"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    path, oid, digest = lines[0].split("\t")
    assert (path, oid) == ("programs/support-onboarding.yml", "know-escalation")
    assert digest == text_hash(
        "Know when a ticket must be escalated to tier 2, and how to hand it over with the customer's context."
    ) + " (approval is stale)"


def test_render_writes_pages_and_calendars_without_mkdocs(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    assert main(["render", "--out", str(tmp_path), "--today", "2027-01-01"]) == 0
    names = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert "programs/index.md" in names and "programs/review.md" in names and "programs/upcoming.md" in names
    assert "programs/safety-refresher.ics" in names and "programs/safety-refresher.md" in names


def test_text_hash_ignores_spacing_only() -> None:
    assert text_hash("Know  A.\n") == text_hash("Know A.")
    assert text_hash("Know A.") != text_hash("Know B.")


@pytest.mark.parametrize("argv", [["--help"], ["validate", "--help"]])
def test_help_exits_cleanly(argv) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
