"""Mutated and generated input files: the core either builds or reports problems, never a traceback.

Hypothesis takes the demo's program and survey files and changes them the way people and tools
damage files: a value replaced by one of another type (a mapping where an id belongs, a list, a
number, text with newlines, quotes and markup), a field removed or added, characters cut out of
the raw text, a CSV cell or header changed. Every run must end in one of two ways: every page
and calendar rendered, or an ``InputError`` whose problems each name one of the input files and
a line (or row) in it. Anything else (TypeError, AssertionError, KeyError ...) is a bug.

The runs are derandomized so CI is repeatable; ``HYPOTHESIS_PROFILE=explore`` searches afresh.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import os
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis import given

from lchc_gen.problems import InputError
from lchc_gen.programs.checks import program_warnings
from lchc_gen.programs.load import load_programs
from lchc_gen.programs.pages import PageOptions, build_program_files
from lchc_gen.render import make_env
from lchc_gen.reports.pages import ReportOptions, build_report_pages
from lchc_gen.survey import SurveyInputs, compute_scores, load_survey

from .conftest import REPO

settings.register_profile(
    "ci", max_examples=120, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("explore", max_examples=1_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

DEMO_PROGRAMS = sorted((REPO / "programs").glob("*.yml"))
ENV = make_env(REPO / "templates")
OPTS = PageOptions(today=dt.date(2027, 1, 1), stamp=dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc), site_url="https://x.example/")

# Values of every YAML type, and text that has broken builds elsewhere.
NASTY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "line one\nline two",
        "\r\n",
        'quote " and \' and </script> <b>bold</b>',
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "\u202eright-to-left\u202c",
        "{{ 7 * 7 }} {% raw %}",
        "25:99",
        "2027-02-30",
        "Mars/Phobos",
        "-1",
        "x" * 5_000,
        "\x00",
    ]
)
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.text(max_size=40),
    NASTY_TEXT,
)
VALUE = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a YAML tree, the root excluded."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append(prefix + (k,))
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append(prefix + (i,))
            out += _paths(v, prefix + (i,))
    return out


def _mutate(data: Any, draw: st.DrawFn, times: int) -> Any:
    data = copy.deepcopy(data)
    for _ in range(times):
        places = _paths(data)
        if not places:
            return data
        path = draw(st.sampled_from(places))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add", "wrap"]))
        if action == "replace":
            parent[key] = draw(VALUE)
        elif action == "delete":
            del parent[key]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(VALUE)
        elif action == "add":
            parent.insert(key, draw(VALUE))
        else:
            parent[key] = draw(st.sampled_from([[parent[key]], {"id": parent[key]}]))
    return data


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _assert_problems_name_files(exc: InputError, files: set[str]) -> None:
    assert exc.problems, "an InputError without problems"
    for p in exc.problems:
        assert p.path in files, f"problem names an unknown file: {p}"
        assert p.line >= 0 and p.field and p.message, str(p)


def _build_programs(root: Path) -> None:
    programs = load_programs(root / "programs", root)
    program_warnings(programs, OPTS.today)
    build_program_files(programs, ENV, OPTS)


@pytest.fixture(scope="module")  # one folder per test; each example clears its own subfolder
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutants")


PROGRAM_FILES = {f"programs/{p.name}" for p in DEMO_PROGRAMS} | {"programs"}  # what problems may name
DEMO_TEXTS = {p: p.read_text(encoding="utf-8") for p in DEMO_PROGRAMS}


def _build_with_one_program_changed(root: Path, data: st.DataObject, change: Callable[[str], str]) -> None:
    """The demo's programs with one of them changed: it builds, or every problem names a program file."""
    shutil.rmtree(root, ignore_errors=True)
    (root / "programs").mkdir(parents=True)
    target = data.draw(st.sampled_from(DEMO_PROGRAMS), label="file")
    for path, text in DEMO_TEXTS.items():
        (root / "programs" / path.name).write_text(change(text) if path == target else text, encoding="utf-8")
    try:
        _build_programs(root)
    except InputError as exc:
        _assert_problems_name_files(exc, PROGRAM_FILES)


@given(data=st.data())
def test_mutated_program_files_build_or_report_problems(data: st.DataObject, workdir: Path) -> None:
    def mutate(text: str) -> str:
        return _dump(_mutate(yaml.safe_load(text), data.draw, data.draw(st.integers(1, 3), label="mutations")))

    _build_with_one_program_changed(workdir / "p", data, mutate)


@given(data=st.data())
def test_damaged_program_text_builds_or_reports_problems(data: st.DataObject, workdir: Path) -> None:
    """Characters cut or inserted in the raw YAML: broken syntax, stray tabs, half a quote."""

    def damage(text: str) -> str:
        for _ in range(data.draw(st.integers(1, 3), label="edits")):
            at = data.draw(st.integers(0, len(text)), label="at")
            cut = data.draw(st.integers(0, 20), label="cut")
            insert = data.draw(st.sampled_from(["", ":", "- ", "\t", '"', "'", "{", "[", "&a", "*a", "!!python/object ", "\n  x: 1\n", "é"]), label="insert")
            text = text[:at] + insert + text[at + cut :]
        return text

    _build_with_one_program_changed(workdir / "t", data, damage)


# --- survey files ----------------------------------------------------------------------

SURVEY_INPUTS = SurveyInputs()  # the demo's paths: survey/lchc.yml, survey/org.yml, two cycles
SURVEY_FILES = [SURVEY_INPUTS.questionnaire, SURVEY_INPUTS.organisation, *(c.responses for c in SURVEY_INPUTS.cycles)]


def _mutate_csv(text: str, draw: st.DrawFn) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    for _ in range(draw(st.integers(1, 4), label="csv edits")):
        r = draw(st.integers(0, len(rows) - 1), label="row")
        action = draw(st.sampled_from(["cell", "cell", "drop column", "add column", "short row", "duplicate row"]))
        if action == "cell" and rows[r]:
            c = draw(st.integers(0, len(rows[r]) - 1), label="column")
            rows[r][c] = draw(st.one_of(NASTY_TEXT, st.text(max_size=12), st.sampled_from(["0", "6", "5.5", "often", " NEVER ", "N/A", "q13", "self", "boss"])))
        elif action == "drop column" and rows[0]:
            c = draw(st.integers(0, len(rows[0]) - 1), label="column")
            rows = [row[:c] + row[c + 1 :] for row in rows]
        elif action == "add column":
            name = draw(st.sampled_from(["q13", "extra", "team", "", "respondent"]))
            rows = [row + ([name] if i == 0 else ["1"]) for i, row in enumerate(rows)]
        elif action == "short row":
            rows[r] = rows[r][: len(rows[r]) // 2]
        else:
            rows.insert(r, list(rows[r]))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _build_survey(root: Path) -> None:
    scores = compute_scores(load_survey(SURVEY_INPUTS, root))
    build_report_pages(scores, ENV, ReportOptions())


@given(data=st.data())
def test_mutated_survey_files_score_or_report_problems(data: st.DataObject, workdir: Path) -> None:
    root = workdir / "s"
    shutil.rmtree(root, ignore_errors=True)
    target = data.draw(st.sampled_from(SURVEY_FILES), label="file")
    for name in SURVEY_FILES:
        text = (REPO / name).read_text(encoding="utf-8")
        if name == target and name.endswith(".csv"):
            text = _mutate_csv(text, data.draw)
        elif name == target:
            text = _dump(_mutate(yaml.safe_load(text), data.draw, data.draw(st.integers(1, 3), label="mutations")))
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    try:
        _build_survey(root)
    except InputError as exc:
        _assert_problems_name_files(exc, set(SURVEY_FILES))
