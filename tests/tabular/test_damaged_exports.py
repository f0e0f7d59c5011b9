"""Damaged tool exports (cut, garbled, not a workbook at all): problems naming the file, never a traceback."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from lchc_gen.problems import InputError
from lchc_gen.project import read_config, survey_inputs
from lchc_gen.survey.load import load_survey
from tests.tabular.exports import project

TEMPLATE = Path(tempfile.mkdtemp(prefix="exports-"))
TOOLS = {"google-forms": "google-forms.csv", "microsoft-forms": "microsoft-forms.xlsx", "qualtrics": "qualtrics.csv"}
for _tool in TOOLS:
    project(TEMPLATE / _tool, survey_tools=[_tool])


def _load(root: Path) -> None:
    try:
        load_survey(survey_inputs(read_config(root / "mkdocs.yml")), root)
    except InputError as exc:
        assert exc.problems
        assert all(p.path.split(":")[0] in ("lchc.yml", "org.yml", *TOOLS.values()) and p.line >= 1 for p in exc.problems)


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tool=st.sampled_from(sorted(TOOLS)), cut=st.integers(0, 40_000), length=st.integers(1, 400), junk=st.binary(max_size=40))
def test_damaged_exports_give_problems(tool: str, cut: int, length: int, junk: bytes) -> None:
    root = Path(tempfile.mkdtemp(prefix="damaged-"))
    try:
        shutil.copytree(TEMPLATE / tool, root, dirs_exist_ok=True)
        path = root / TOOLS[tool]
        data = path.read_bytes()
        at = cut % max(len(data), 1)
        path.write_bytes(data[:at] + junk + data[at + length:])
        _load(root)
    finally:
        shutil.rmtree(root)
