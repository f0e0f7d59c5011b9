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
import re
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis import example, given

from lchc_gen.feedback.load import load_feedback
from lchc_gen.problems import InputError
from lchc_gen.project import feedback_inputs, read_config
from lchc_gen.programs.checks import program_warnings
from lchc_gen.programs.load import load_programs
from lchc_gen.programs.pages import PageOptions, build_program_files
from lchc_gen.render import make_env
from lchc_gen.reports.pages import ReportOptions, build_report_pages
from lchc_gen.survey import SurveyInputs, compute_scores, load_survey

from .conftest import REPO, within
from .hostile_shapes import RECURSIVE_ALIAS, billion_laughs, dimension_bomb, nested
from .tabular.exports import FIXTURES, project

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
        with within(30):  # an alias bomb or a deep file must be a problem, not a hang
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
            insert = data.draw(st.sampled_from(["", ":", "- ", "\t", '"', "'", "{", "[", "&a", "*a", "!!python/object ", "\n  x: 1\n", "é",
                                                  billion_laughs(), RECURSIVE_ALIAS]), label="insert")
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


# --- shapes that would stop a build: alias bombs, recursive aliases, deep nesting, dimension bombs ---

HOSTILE_VALUES = st.one_of(
    st.builds(billion_laughs, st.integers(2, 12), st.integers(2, 12)),
    st.just(RECURSIVE_ALIAS),
    st.just("&x {again: *x, and: [*x]}"),
    st.integers(45, 2_000).map(lambda n: "[" * n + "]" * n),
)
VALUE_LINE = re.compile(r"^(\s*(?:- )?[A-Za-z_]+: ).+$", re.M)


def _hostile_value(text: str, data: st.DataObject) -> str:
    """One `key: value` line of the text with its value replaced by a hostile shape."""
    lines = list(VALUE_LINE.finditer(text))
    m = data.draw(st.sampled_from(lines), label="line")
    return text[: m.start()] + m.group(1) + data.draw(HOSTILE_VALUES, label="shape") + text[m.end():]


@settings(max_examples=40)
@given(data=st.data())
def test_alias_bombs_and_deep_values_in_program_files_are_problems(data: st.DataObject, workdir: Path) -> None:
    _build_with_one_program_changed(workdir / "h", data, lambda text: _hostile_value(text, data))


@settings(max_examples=20)
@given(data=st.data())
def test_alias_bombs_and_deep_values_in_survey_files_are_problems(data: st.DataObject, workdir: Path) -> None:
    root = workdir / "hs"
    shutil.rmtree(root, ignore_errors=True)
    target = data.draw(st.sampled_from([SURVEY_INPUTS.questionnaire, SURVEY_INPUTS.organisation]), label="file")
    for name in SURVEY_FILES:
        text = (REPO / name).read_text(encoding="utf-8")
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(_hostile_value(text, data) if name == target else text, encoding="utf-8")
    with pytest.raises(InputError) as caught, within(30):
        _build_survey(root)
    _assert_problems_name_files(caught.value, set(SURVEY_FILES))


@settings(max_examples=15)
@example(dimension="A1:XFD1048576", far_row=1_048_576)  # the shape found: 37 minutes before
@example(dimension="A1:XFD1048576", far_row=200_000)  # within the row limit
@given(
    dimension=st.sampled_from(["A1:XFD1048576", "A1:ZZ300000", "A1:XFD1", "B2:C3", "A1", "A0:?"]),
    far_row=st.one_of(st.none(), st.integers(13, 1_048_576)),
)
def test_workbooks_declaring_any_size_load_or_report_problems_quickly(dimension: str, far_row: int | None, workdir: Path) -> None:
    """A feedback workbook whose declared dimension lies (and which may hold one more row far down):
    read as quickly as the cells it really has, or a problem naming the file."""
    root = workdir / "dim"
    shutil.rmtree(root, ignore_errors=True)
    project(root, feedback_tools=["microsoft-forms"])
    path = root / "feedback-microsoft-forms.xlsx"
    dimension_bomb(FIXTURES / path.name, path, dimension, far_row)
    programs = load_programs(root / "programs", root)
    try:
        with within(30):
            load_feedback(feedback_inputs(read_config(root / "mkdocs.yml")), programs, root)
    except InputError as exc:
        assert far_row is not None or dimension == "A0:?", str(exc)  # a size that is no size is damage
        for p in exc.problems:
            assert p.path.startswith(path.name) and p.line >= 1, str(p)
