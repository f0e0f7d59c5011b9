"""`lchc-gen demo-data` (survey and feedback) replaces only files it made, as `keys demo` does."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from lchc_gen.cli import main
from tests.conftest import REPO

MARK = ".lchc-demo-data.json"


def _cli(root: Path, *args: str) -> int:
    before = Path.cwd()
    os.chdir(root)
    try:
        return main(list(args))
    finally:
        os.chdir(before)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The repository's demo data as committed (with its marks), and its programs."""
    for name in ("programs", "survey", "feedback"):
        shutil.copytree(REPO / name, tmp_path / name)
    return tmp_path


def test_the_committed_demo_data_is_marked_and_is_what_demo_data_writes(project: Path, capsys) -> None:
    for folder in ("survey", "feedback"):
        assert (REPO / folder / MARK).is_file(), f"{folder}/ has no {MARK}"
    shipped = {f: _files(REPO / f) for f in ("survey", "feedback")}
    assert _cli(project, "demo-data") == 0
    assert _cli(project, "demo-data", "feedback") == 0
    assert _cli(project, "demo-data") == 0  # its own output, again
    assert {f: _files(project / f) for f in ("survey", "feedback")} == shipped


@pytest.mark.parametrize("what, folder, victim", [
    ("survey", "survey", "org.yml"),
    ("survey", "survey", "responses/2026-H2.csv"),
    ("feedback", "feedback", "sales-discovery-calls-2026-06.csv"),
    ("feedback", "feedback", "leadership-attendance.csv"),
])
def test_demo_data_refuses_to_replace_a_file_it_did_not_make(project: Path, capsys, what: str, folder: str, victim: str) -> None:
    real = project / folder / victim
    real.write_text(real.read_text(encoding="utf-8").replace("2026", "2027"), encoding="utf-8")  # edited: real data now
    before = _files(project / folder)
    capsys.readouterr()
    assert _cli(project, "demo-data", what) == 1
    err = capsys.readouterr().err
    assert f"{folder}/{victim}" in err and "--force" in err, err
    assert _files(project / folder) == before  # nothing written, not even the other files
    assert _cli(project, "demo-data", what, "--force") == 0
    assert real.read_bytes() == (REPO / folder / victim).read_bytes()


def test_demo_data_refuses_an_unmarked_folder_and_writes_into_an_empty_one(tmp_path: Path, capsys) -> None:
    (tmp_path / "survey").mkdir()
    (tmp_path / "survey" / "lchc.yml").write_text("id: our-real-questionnaire\n")
    assert _cli(tmp_path, "demo-data") == 1
    assert "survey/lchc.yml" in capsys.readouterr().err
    assert _files(tmp_path / "survey") == {"lchc.yml": b"id: our-real-questionnaire\n"}
    assert _cli(tmp_path, "demo-data", "--out", "fresh") == 0
    assert (tmp_path / "fresh" / MARK).is_file() and (tmp_path / "fresh" / "org.yml").is_file()
