"""The plugin's options and the site's settings as written in mkdocs.yml, read without MkDocs
(for the CLI, `lchc-gen build` and error lines).

Tags are read as MkDocs reads them where we need the value (``!ENV``: the first environment
variable set, else the default) and kept as opaque values elsewhere (``!!python/name:...`` in
Material's emoji settings, ``!relative``): nothing is imported or called. ``INHERIT:`` is
resolved as MkDocs does: the parent file (relative to this one, recursively), deep-merged under
this one (mappings merged key by key, anything else replaced).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel
from yaml_env_tag import construct_env_tag

from . import limits, yamlsrc
from .feedback.model import FeedbackInputs
from .problems import InputError, Problem
from .survey import SurveyInputs
from .validation import validate
from .yamlsrc import Loc, Source

M = TypeVar("M", bound=BaseModel)

PLUGIN_NAME = "lchc"
INHERIT = "INHERIT"
MAX_INHERIT = 10  # parents in one chain


@dataclass(frozen=True)
class Opaque:
    """A tagged value we do not need (``!!python/name:material.extensions.emoji.twemoji``): kept, never resolved."""

    tag: str
    value: Any


class _TolerantLoader(yamlsrc._Loader):
    pass


def _opaque(loader: yaml.SafeLoader, suffix: str, node: yaml.Node, prefix: str = "!") -> Opaque:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return Opaque(prefix + suffix, value)


_TolerantLoader.add_constructor("!ENV", construct_env_tag)
_TolerantLoader.add_multi_constructor("!", _opaque)
_TolerantLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/", lambda loader, suffix, node: _opaque(loader, suffix, node, "!!python/")
)


def read_config(path: Path) -> Source:
    """mkdocs.yml as a Source, its ``INHERIT`` chain merged in, within the limits of every YAML
    input; ``InputError`` if it cannot be read. Lines name the file that holds the plugin's options."""
    return _read(path, path.name, [])


def _read(path: Path, shown: str, chain: list[Path]) -> Source:
    """One file of the chain (`chain`: the files that inherit from it, mkdocs.yml first)."""
    try:
        text = limits.read_bytes(path, limits.MKDOCS_YML).decode("utf-8-sig")
    except limits.TooLarge as exc:
        raise InputError([Problem(shown, 1, "(file)", str(exc))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(shown, 1, "(file)", f"cannot read: {exc}")]) from None
    try:
        src = yamlsrc.parse(text, shown, _TolerantLoader)
    except (yaml.YAMLError, RecursionError) as exc:
        raise InputError([yamlsrc.problem_of(exc, shown)]) from None
    if not isinstance(src.data, dict):
        return Source(shown, {}, src.lines)
    if INHERIT not in src.data:
        return src
    parent_name = src.data.pop(INHERIT)
    if not isinstance(parent_name, str) or not parent_name:
        raise InputError([src.problem((INHERIT,), "give the path of the parent file, relative to this one")])
    parent_path = Path(os.path.normpath(path.parent / parent_name))
    if not parent_path.is_file():
        raise InputError([src.problem((INHERIT,), f"the inherited file {parent_name} does not exist ({parent_path})")])
    if parent_path.resolve() in chain or len(chain) >= MAX_INHERIT:
        raise InputError([src.problem((INHERIT,), f"{parent_name} inherits, directly or not, from this file (or the chain is longer than {MAX_INHERIT})")])
    chain = [*chain, path.resolve()]
    parent = _read(parent_path, os.path.relpath(parent_path, chain[0].parent), chain)
    data = _merge(parent.data, src.data)
    # The plugin's options come from one file: this one where it sets `plugins`, else the parent.
    return Source(src.path, data, src.lines) if "plugins" in src.data else Source(parent.path, data, parent.lines)


def _merge(parent: Any, child: Any) -> Any:
    """MkDocs' deep merge (mergedeep's default): mappings key by key, anything else the child's."""
    if isinstance(parent, dict) and isinstance(child, dict):
        return {**parent, **{k: _merge(parent[k], v) if k in parent else v for k, v in child.items()}}
    return child


def plugin_options(config: Source) -> tuple[dict[str, Any], Loc]:
    """The ``lchc`` plugin's options and where they are in the file."""
    plugins = config.data.get("plugins") if isinstance(config.data, dict) else None
    if isinstance(plugins, dict):
        return plugins.get(PLUGIN_NAME) or {}, ("plugins", PLUGIN_NAME)
    for i, entry in enumerate(plugins or []):
        if isinstance(entry, dict) and PLUGIN_NAME in entry:
            return entry[PLUGIN_NAME] or {}, ("plugins", i, PLUGIN_NAME)
        if entry == PLUGIN_NAME:
            return {}, ("plugins", i)
    return {}, ()


def survey_inputs(config: Source, options: dict[str, Any] | None = None, loc: Loc | None = None) -> SurveyInputs | None:
    """The survey section of the plugin options, validated, with mkdocs.yml lines in errors."""
    return _section(config, options, loc, "survey", SurveyInputs)


def feedback_inputs(config: Source, options: dict[str, Any] | None = None, loc: Loc | None = None) -> FeedbackInputs | None:
    """The feedback section of the plugin options, validated, with mkdocs.yml lines in errors."""
    return _section(config, options, loc, "feedback", FeedbackInputs)


def _section(config: Source, options: dict[str, Any] | None, loc: Loc | None, name: str, model: type[M]) -> M | None:
    if options is None or loc is None:
        options, loc = plugin_options(config)
    raw = options.get(name)
    return None if raw is None else validated(config, raw, (*loc, name), model)


def validated(config: Source, raw: Any, at: Loc, model: type[M]) -> M:
    """The value at `at` of mkdocs.yml as `model`; InputError with the file's lines otherwise."""
    sub = Source(config.path, raw, {k[len(at):]: v for k, v in config.lines.items() if k[: len(at)] == at})
    inputs, problems = validate(model, sub)
    if problems or inputs is None:
        prefix = yamlsrc.format_loc(at)
        raise InputError(
            [Problem(p.path, p.line, f"{prefix}.{p.field}" if p.field != "(file)" else prefix, p.message) for p in problems]
        )
    return inputs
