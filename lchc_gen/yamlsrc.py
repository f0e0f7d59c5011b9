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

from . import limits
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


class LimitError(yaml.MarkedYAMLError):
    """A document over one of the limits in ``limits.py``; raised before its data is built."""


# A node to visit: the node, its location (None under a key that is not text), its depth, the line
# its location gets, the line of the reference to it (the key, or the sequence holding it), and the
# line of the alias being expanded (0 outside an expansion).
_Step = tuple[yaml.Node, "Loc | None", int, int, int, int]
_MERGE = "tag:yaml.org,2002:merge"
_Scalar = yaml.ScalarNode


class _Walk:
    """What the walk has seen: the nodes, the aliases and the values they added."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.aliases = self.added = 0

    def again(self, path: list[int], nid: int, ref: int, expanding: int) -> int:
        """A node reached again is an alias (PyYAML composes `*x` as the anchored node itself):
        count it, and return the line of the alias being expanded."""
        if nid in path:
            raise _limit(ref, "an alias refers to a value that contains it (a recursive alias)")
        if not expanding:
            expanding = ref
            self.aliases += 1
            if self.aliases > limits.YAML_MAX_ALIASES:
                raise _limit(ref, f"more than {limits.YAML_MAX_ALIASES:,} aliases (*name) in one file")
        self.added += 1
        if self.added > limits.YAML_MAX_ALIAS_VALUES:
            raise _limit(expanding, f"aliases expand to more than {limits.YAML_MAX_ALIAS_VALUES:,} values")
        return expanding


def _index(root: yaml.Node) -> tuple[dict[Loc, int], bool]:
    """The line of every value, walking the nodes as the data will be built (aliases expanded),
    and whether there are merge keys (``<<``), whose lines are only right once they are merged.

    Walks iteratively and counts as it goes, so that an alias bomb, a recursive alias or deep
    nesting is a ``LimitError`` after a bounded amount of work rather than gigabytes of lines.
    Scalars, most of a document, are handled where they are found rather than on the stack.
    """
    first = root.start_mark.line + 1
    if type(root) is _Scalar:
        return {(): first}, False
    walk, merges = _Walk(), False
    seen, lines = walk.seen, {}
    path: list[int] = []  # ids of the containers above the current one
    stack: list[_Step] = [(root, (), 0, first, first, 0)]
    while stack:
        node, loc, depth, line, ref, expanding = stack.pop()
        del path[depth:]
        nid = id(node)
        if nid in seen:
            expanding = walk.again(path, nid, ref, expanding)
        else:
            seen.add(nid)
        if depth >= limits.YAML_MAX_DEPTH and node.value:  # its children would be deeper: name the first
            child = node.value[0][0] if isinstance(node, yaml.MappingNode) else node.value[0]
            raise _limit(child.start_mark.line + 1, f"nested deeper than {limits.YAML_MAX_DEPTH} levels")
        if loc is not None:
            lines[loc] = line
        path.append(nid)
        depth += 1
        todo: list[_Step] = []
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                at = key.start_mark.line + 1
                if type(key) is _Scalar:
                    merges = merges or key.tag == _MERGE
                    at_loc = None if loc is None else (*loc, key.value)
                else:  # a list or mapping as a key: no location, but counted like any value
                    todo.append((key, None, depth, at, at, expanding))
                    at_loc = None
                if type(value) is not _Scalar:
                    todo.append((value, at_loc, depth, at, at, expanding))
                    continue
                if id(value) in seen:
                    walk.again(path, id(value), at, expanding)
                else:
                    seen.add(id(value))
                if at_loc is not None:
                    lines[at_loc] = at
        else:
            here = node.start_mark.line + 1
            for i, item in enumerate(node.value):
                item_loc = None if loc is None else (*loc, i)
                if type(item) is not _Scalar:
                    todo.append((item, item_loc, depth, item.start_mark.line + 1, here, expanding))
                    continue
                if id(item) in seen:
                    walk.again(path, id(item), here, expanding)
                else:
                    seen.add(id(item))
                if item_loc is not None:
                    lines[item_loc] = item.start_mark.line + 1
        stack.extend(reversed(todo))
    return lines, merges


def _merged_lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    """Lines of a document whose merge keys the constructor has merged into their mappings (it
    does so on the nodes); bounded, as `_index` has checked the same nodes before."""
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key_loc = (*loc, key_node.value)
                _merged_lines(value_node, key_loc, lines)
                lines[key_loc] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _merged_lines(item, (*loc, i), lines)


def _limit(line: int, message: str) -> LimitError:
    return LimitError(problem=message, problem_mark=yaml.Mark("", 0, line - 1, 0, None, None))


def parse(text: str, path: str, loader_class: type[yaml.SafeLoader] | None = None) -> Source:
    """Parse YAML text; raises ``yaml.YAMLError`` on a syntax error, ``LimitError`` (one of them)
    on a document over the limits, before its data is built."""
    loader = (loader_class or _Loader)(text)
    try:
        node = loader.get_single_node()
        lines, merges = _index(node) if node is not None else ({}, False)
        data = loader.construct_document(node) if node is not None else None
        if merges:
            lines = {}
            _merged_lines(node, (), lines)
    finally:
        loader.dispose()
    return Source(path, data, lines)


def problem_of(exc: yaml.YAMLError | RecursionError, shown: str) -> Problem:
    """The problem that a parse error is, at its line."""
    if isinstance(exc, RecursionError):  # PyYAML's pure-Python parser, when libyaml is missing
        return Problem(shown, 1, "(yaml)", f"nested deeper than {limits.YAML_MAX_DEPTH} levels")
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        if isinstance(exc, LimitError):
            return Problem(shown, line, "(yaml)", f"{exc.problem}; the guide lists the limits")
        return Problem(shown, line, "(yaml)", f"not valid YAML: {exc.problem or exc}")
    return Problem(shown, 1, "(yaml)", f"not valid YAML: {exc}")


def load(path: Path, display_path: str | None = None, limit: limits.FileLimit = limits.PROGRAM_FILE) -> Source | Problem:
    """Load a YAML file, or return the problem that stops it from being read at all."""
    shown = display_path or str(path)
    try:
        text = limits.read_bytes(path, limit).decode("utf-8-sig")
    except limits.TooLarge as exc:
        return Problem(shown, 1, "(file)", str(exc))
    except (OSError, UnicodeDecodeError) as exc:
        return Problem(shown, 1, "(file)", f"cannot read: {exc}")
    try:
        return parse(text, shown)
    except (yaml.YAMLError, RecursionError) as exc:
        return problem_of(exc, shown)
