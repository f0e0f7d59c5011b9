"""The plugin's options as MkDocs config_options, derived from the core's ``PluginOptions``
(the one schema), so the two cannot disagree on a name, a type or a default."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from .. import project
from ..problems import InputError
from ..site.options import PluginOptions


def option(info: FieldInfo) -> c.BaseConfigOption:
    """`str`, `bool` and `dict[...]` as c.Type; `X | None` as c.Optional(c.Type(X))."""
    kind: Any = info.annotation
    optional = get_origin(kind) in (Union, types.UnionType) and type(None) in get_args(kind)
    if optional:
        kind = next(a for a in get_args(kind) if a is not type(None))
    kind = get_origin(kind) or kind
    return c.Optional(c.Type(kind)) if optional else c.Type(kind, default=info.default)


LchcConfig = type("LchcConfig", (base.Config,), {name: option(info) for name, info in PluginOptions.model_fields.items()})


def plugin_options(config: base.Config, config_file: str | None) -> PluginOptions:
    """The core's options; a value MkDocs' types let through but the core refuses (a `today`
    that is no date) is named with its line of mkdocs.yml."""
    try:
        return PluginOptions(**dict(config))
    except ValidationError as exc:
        if config_file:
            source = project.read_config(Path(config_file))
            try:
                project.validated(source, *project.plugin_options(source), PluginOptions)
            except InputError as problems:
                raise PluginError(problems.report()) from None
        raise PluginError(f"lchc: {exc}") from None
