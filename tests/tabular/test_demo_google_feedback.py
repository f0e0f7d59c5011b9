"""The demo's September run is a Google Forms export: the same numbers as the same rows written natively."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import yaml

from lchc_gen.cli import main
from lchc_gen.feedback import demo
from lchc_gen.programs.load import load_programs
from tests.conftest import REPO


def _project(root: Path, runs) -> Path:
    shutil.copytree(REPO / "programs", root / "programs")
    programs = load_programs(root / "programs", root)
    original = demo.DEMO_RUNS
    demo.DEMO_RUNS = runs
    try:
        entries = demo.generate_demo(root / "feedback", programs)
    finally:
        demo.DEMO_RUNS = original
    for e in entries:
        e["path"] = Path(str(e["path"])).relative_to(root).as_posix()
    config = {"site_name": "t", "plugins": [{"lchc": {"programs_dir": "programs", "feedback": {"files": entries}}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return root


def _export(root: Path, capsys) -> str:
    before = Path.cwd()
    os.chdir(root)
    try:
        assert main(["feedback", "--format", "json"]) == 0
    finally:
        os.chdir(before)
    return capsys.readouterr().out


def test_google_forms_demo_run_reads_as_the_native_rows(tmp_path: Path, capsys) -> None:
    assert any(r.format == "google-forms" for r in demo.DEMO_RUNS)
    google = _project(tmp_path / "google", demo.DEMO_RUNS)
    text = (google / "feedback" / "support-onboarding-2026-09.csv").read_text()
    assert text.startswith("Timestamp,Email Address,") and " GMT+1," in text and "@example.org" in text
    native = _project(tmp_path / "native", tuple(dataclasses.replace(r, format="native") for r in demo.DEMO_RUNS))
    assert "Email" not in (native / "feedback" / "support-onboarding-2026-09.csv").read_text()
    out = _export(google, capsys)
    assert '"September 2026 intake"' in out and "@example.org" not in out
    assert out == _export(native, capsys)


def test_the_committed_demo_file_is_the_generators(tmp_path: Path) -> None:
    google = _project(tmp_path / "google", demo.DEMO_RUNS)
    name = "support-onboarding-2026-09.csv"
    assert (google / "feedback" / name).read_bytes() == (REPO / "feedback" / name).read_bytes()
