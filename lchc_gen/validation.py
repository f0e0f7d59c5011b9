"""Validate a YAML ``Source`` against a pydantic model, reporting every error with its line."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .problems import Problem
from .yamlsrc import Loc, Source

M = TypeVar("M", bound=BaseModel)


def _data_loc(data: Any, loc: tuple[Any, ...]) -> Loc:
    """Drop the tags pydantic adds for unions (e.g. ``'series'``) so ``loc`` follows the data."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            out.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            out.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and part.startswith(("function-", "tagged-")):
            continue
        elif isinstance(node, dict) and isinstance(part, str) and part in _UNION_TAGS:
            continue
        else:
            out.append(part)
            node = None
    return tuple(out)


# Tag names used by discriminated unions in our models; they never name a data field.
_UNION_TAGS = {"series", "once"}


def _message(err: dict[str, Any]) -> str:
    msg = str(err["msg"])
    # pydantic prefixes custom errors with "Value error, "; the field name already says enough.
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    if err["type"] == "missing":
        return "required field is missing"
    if err["type"] == "extra_forbidden":
        return "unknown field (check the spelling)"
    if err["type"] != "value_error" and "input" in err and not isinstance(err["input"], (dict, list)):
        msg += f" (got {err['input']!r})"
    return msg


def validate(model: type[M], source: Source, context: dict[str, Any] | None = None) -> tuple[M | None, list[Problem]]:
    try:
        return model.model_validate(source.data, context=context), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = _data_loc(source.data, tuple(err["loc"]))
            problems.append(source.problem(loc, _message(err)))
        return None, problems
