"""Output equality: `lchc-gen scores` on the committed demo data gives exactly the committed
export. Optimising loading, scoring or rendering must not move a single number.

The expected files were written by the code before the scale work (issue 5) and are unchanged
by it. If a change is MEANT to change numbers, regenerate them and say why in the commit:
    lchc-gen scores --cycle 2026-H2 --format csv > tests/expected/scores-2026-H2.csv
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lchc_gen.cli import main

REPO = Path(__file__).resolve().parents[2]
EXPECTED = REPO / "tests" / "expected"


@pytest.mark.parametrize("cycle", ["2026-H1", "2026-H2"])
def test_scores_export_of_the_demo_equals_the_committed_file(cycle: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scores", "--config", str(REPO / "mkdocs.yml"), "--cycle", cycle, "--format", "csv"]) == 0
    out = capsys.readouterr().out
    expected = (EXPECTED / f"scores-{cycle}.csv").read_text(encoding="utf-8")
    assert out.count("\n") == 25  # header + 24 teams
    assert out == expected
