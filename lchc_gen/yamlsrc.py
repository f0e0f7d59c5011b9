"""YAML loading that remembers where every value came from.

Validation errors must name ``file:line: field``. PyYAML's composed node tree carries the
line of every node, so we compose once, construct the plain data from the same tree and
keep a map from each value's location (a tuple of keys and list indexes) to its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from .problems import Problem


# libyaml's parser when PyYAML has it (PyPI's wheels do): its nodes carry the same line marks,
# and it parses a 1,000-team organisation file about 6x faster than the pure-Python one.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader without YAML 1.1's base-60 integers (``9:00`` must stay a string) and without
    implicit timestamps (``2027-02-30`` must reach validation as text, not crash the parser)."""


_DROPPED = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp"}
_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)

Loc = tuple[str | int, ...]


@dataclass
class Source:
    """A parsed YAML document with the line (1-based) of every value in it."""

    path: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Iterable[str | int]) -> int:
        """Line of the deepest existing value on ``loc`` (a missing field points at its parent)."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)

    def problem(self, loc: Iterable[str | int], message: str) -> Problem:
        loc = tuple(loc)
        return Problem(self.path, self.line_of(loc), format_loc(loc), message)


def format_loc(loc: Iterable[str | int]) -> str:
    """``('sessions', 2, 'start')`` -> ``sessions[2].start``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(file)"


def _index(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key_loc = (*loc, key_node.value)
                _index(value_node, key_loc, lines)
                lines[key_loc] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*loc, i), lines)


def parse(text: str, path: str) -> Source:
    """Parse YAML text; raises ``yaml.YAMLError`` on a syntax error."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is not None:
        _index(node, (), lines)
    return Source(path, data, lines)


def load(path: Path, display_path: str | None = None) -> Source | Problem:
    """Load a YAML file, or return the problem that stops it from being read at all."""
    shown = display_path or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return Problem(shown, 1, "(file)", f"cannot read: {exc}")
    try:
        return parse(text, shown)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return Problem(shown, line, "(yaml)", f"not valid YAML: {exc.problem or exc}")
    except yaml.YAMLError as exc:
        return Problem(shown, 1, "(yaml)", f"not valid YAML: {exc}")
