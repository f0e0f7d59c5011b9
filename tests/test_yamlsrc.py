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


def test_merged_keys_keep_the_lines_of_their_defaults() -> None:
    """`<<: *defaults` is counted against the alias limits before anything is built, and the
    merged values still point at the lines they came from."""
    text = 'defaults: &d\n  duration: 60\n  start: "09:00"\nsessions:\n  - <<: *d\n    id: a\n  - id: b\n    <<: *d\n    duration: 90\n'
    src = yamlsrc.parse(text, "m.yml")
    assert src.data["sessions"] == [{"duration": 60, "start": "09:00", "id": "a"}, {"duration": 90, "start": "09:00", "id": "b"}]
    assert src.lines[("sessions", 0, "duration")] == 2 and src.lines[("sessions", 1, "duration")] == 9
    assert src.lines[("sessions", 1, "start")] == 3 and ("sessions", 0, "<<") not in src.lines


def test_a_merge_key_bomb_is_stopped_before_it_is_merged() -> None:
    lines = ["m0: &m0 {" + ", ".join(f"k{i}: lol" for i in range(9)) + "}"]
    lines += [f"m{n}: &m{n} {{<<: [" + ", ".join([f"*m{n - 1}"] * 9) + f"], own{n}: 1}}" for n in range(1, 9)]
    with pytest.raises(yamlsrc.LimitError) as caught:
        yamlsrc.parse("\n".join(lines), "m.yml")
    assert caught.value.problem == "aliases expand to more than 100,000 values"
