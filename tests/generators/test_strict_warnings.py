"""`--strict` fails on the plugin's warnings whatever the log level: MkDocs and ProperDocs drop
warnings below ERROR with `-q`, so their own warning counters never see ours; the plugin
fails the build itself, before anything is written, naming each warning."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lchc_gen.programs.model import text_hash
from tests.programs.test_honesty import _program

WARNING = "objective 'do-b' is 'changes requested' but the program is 'approved'"
SETTLED = (
    "review: {state: changes requested, reviewer: sam, date: 2026-12-02}",
    f'review: {{state: approved, reviewer: sam, date: 2026-12-02, approved_text_hash: "{text_hash("Do B.")}"}}',
)
COMMANDS = {
    "mkdocs": [sys.executable, "-m", "mkdocs", "build", "-q", "--strict"],
    "properdocs": [
        sys.executable, "-c",
        "import sys; from properdocs.__main__ import cli; sys.argv = ['properdocs', 'build', '-q', '--strict', '-f', 'mkdocs.yml']; cli()",
    ],
    # No generator runs: the strict check comes first.
    "lchc-gen": [sys.executable, "-m", "lchc_gen.cli", "build", "--strict", "--", sys.executable, "-c", "pass"],
}


def _run(root: Path, generator: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(COMMANDS[generator], cwd=root, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("generator", COMMANDS)
def test_a_quiet_strict_build_fails_on_a_warning_before_writing(make_site, generator: str) -> None:
    root = make_site({"honest.yml": _program()})
    run = _run(root, generator)
    assert run.returncode != 0, run.stdout + run.stderr
    assert WARNING in run.stdout + run.stderr  # the refusal names the warning
    assert not (root / "site").exists()  # refused before anything was written


@pytest.mark.parametrize("generator", ["mkdocs", "properdocs"])
def test_a_quiet_strict_build_without_a_warning_passes(make_site, generator: str) -> None:
    root = make_site({"honest.yml": _program().replace(*SETTLED)})
    run = _run(root, generator)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (root / "site" / "programs" / "honest" / "index.html").exists()
