"""The site's settings and the plugin's options from mkdocs.yml, read by the core itself (for
`lchc-gen build`, which runs without MkDocs): only what the core needs, with MkDocs' defaults,
and every problem as file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..problems import InputError, Problem
from ..project import Opaque, plugin_options, read_config, validated
from ..yamlsrc import Source
from .options import PluginOptions, SiteConfig


def read_site(config_file: Path, *, strict: bool = False) -> tuple[SiteConfig, PluginOptions]:
    """mkdocs.yml (its INHERIT chain merged) as the core's settings; InputError lists every problem."""
    source = read_config(config_file)
    data: dict[str, Any] = source.data if isinstance(source.data, dict) else {}
    raw, loc = plugin_options(source)
    if not loc:
        raise InputError([Problem(source.path, 1, "plugins", "no `lchc` entry under `plugins:`; its options say what to build")])
    problems: list[Problem] = []
    options = PluginOptions()
    try:
        options = validated(source, raw if isinstance(raw, dict) else {}, loc, PluginOptions)
    except InputError as exc:
        problems += exc.problems
    before = len(problems)
    text = {key: _text(source, key, problems) for key in ("docs_dir", "site_dir", "site_url", "site_name")}
    root = config_file.resolve().parent
    docs = root / (text["docs_dir"] or "docs")
    if len(problems) == before and not docs.is_dir():
        problems.append(source.problem(("docs_dir",), f"{docs} is not a folder"))
    theme = data.get("theme")
    theme = theme if isinstance(theme, dict) else {"name": theme}
    custom = theme.get("custom_dir")
    features = theme.get("features")
    if problems:
        raise InputError(problems)
    return SiteConfig(
        config_file=config_file,
        docs_dir=docs,
        site_dir=root / (text["site_dir"] or "site"),
        site_url=_dir_url(text["site_url"]),
        site_name=text["site_name"] or "",
        use_directory_urls=data.get("use_directory_urls", True) is not False,
        nav=data.get("nav"),
        strict=strict,
        theme_name=theme.get("name") if isinstance(theme.get("name"), str) else None,
        theme_dir=root / custom if isinstance(custom, str) else None,
        theme_features=[f for f in features if isinstance(f, str)] if isinstance(features, list) else [],
        extra=data["extra"] if isinstance(data.get("extra"), dict) else {},
    ), options


def _text(source: Source, key: str, problems: list[Problem]) -> str | None:
    value = source.data.get(key) if isinstance(source.data, dict) else None
    if value is None or isinstance(value, str):
        return value
    shown = value.tag if isinstance(value, Opaque) else type(value).__name__
    problems.append(source.problem((key,), f"must be text, not {shown}"))
    return None


def _dir_url(url: str | None) -> str | None:
    """site_url as MkDocs keeps it: a path ends in "/"."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.path and not parts.path.endswith("/"):
        parts = parts._replace(path=parts.path + "/")
    return urlunsplit(parts)
