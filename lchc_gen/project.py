"""The plugin's options as written in mkdocs.yml, read without MkDocs (for the CLI and for
error lines). MkDocs-specific tags such as ``!ENV`` are tolerated and read as null."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel

from . import limits, yamlsrc
from .feedback.model import FeedbackInputs
from .problems import InputError, Problem
from .survey import SurveyInputs
from .validation import validate
from .yamlsrc import Loc, Source

M = TypeVar("M", bound=BaseModel)

PLUGIN_NAME = "lchc"


class _TolerantLoader(yamlsrc._Loader):
    pass


_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_config(path: Path) -> Source:
    """mkdocs.yml as a Source, within the limits of every YAML input; ``InputError`` if it cannot be read."""
    try:
        text = limits.read_bytes(path, limits.MKDOCS_YML).decode("utf-8-sig")
    except limits.TooLarge as exc:
        raise InputError([Problem(path.name, 1, "(file)", str(exc))]) from None
    try:
        src = yamlsrc.parse(text, path.name, _TolerantLoader)
    except (yaml.YAMLError, RecursionError) as exc:
        raise InputError([yamlsrc.problem_of(exc, path.name)]) from None
    return src if src.data is not None else Source(path.name, {}, src.lines)


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
    if raw is None:
        return None
    at = (*loc, name)
    sub = Source(config.path, raw, {k[len(at):]: v for k, v in config.lines.items() if k[: len(at)] == at})
    inputs, problems = validate(model, sub)
    if problems:
        prefix = yamlsrc.format_loc(at)
        raise InputError(
            [Problem(p.path, p.line, f"{prefix}.{p.field}" if p.field != "(file)" else prefix, p.message) for p in problems]
        )
    return inputs
