"""The plugin's options as MkDocs config_options, derived from the core's ``PluginOptions``
(the one schema), so the two cannot disagree on a name, a type or a default."""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from mkdocs.config import base
from mkdocs.config import config_options as c
from pydantic.fields import FieldInfo

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


def plugin_options(config: base.Config) -> PluginOptions:
    return PluginOptions(**dict(config))
