"""yamlsrc: libyaml's parser (fast) and PyYAML's own give the same data and the same lines."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lchc_gen import yamlsrc

REPO = Path(__file__).resolve().parent.parent
FILES = sorted((REPO / "programs").glob("*.yml")) + [REPO / "survey" / "org.yml", REPO / "survey" / "lchc.yml"]


class _PureLoader(yaml.SafeLoader):
    pass


_PureLoader.yaml_implicit_resolvers = yamlsrc._Loader.yaml_implicit_resolvers


def test_the_fast_parser_is_used_when_pyyaml_has_it() -> None:
    assert issubclass(yamlsrc._Loader, getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_both_parsers_give_the_same_values_and_lines(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = yamlsrc.parse(path.read_text(encoding="utf-8"), path.name)
    monkeypatch.setattr(yamlsrc, "_Loader", _PureLoader)
    pure = yamlsrc.parse(path.read_text(encoding="utf-8"), path.name)
    assert fast.data == pure.data and fast.lines == pure.lines
    assert len(fast.lines) > 20


def test_times_and_impossible_dates_stay_text() -> None:
    src = yamlsrc.parse("start: 9:00\nday: 2027-02-30\nn: 12\n", "t.yml")
    assert src.data == {"start": "9:00", "day": "2027-02-30", "n": 12}
    assert src.lines[("day",)] == 2


def test_a_syntax_error_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("a: 1\nb: [1, 2\nc: 3\n", encoding="utf-8")
    problem = yamlsrc.load(bad, "bad.yml")
    assert isinstance(problem, yamlsrc.Problem)
    assert problem.path == "bad.yml" and problem.line in (2, 3) and problem.field == "(yaml)"
