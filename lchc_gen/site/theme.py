"""The theme's script templates for a site another generator builds, found without MkDocs:
Zensical's own theme under `zensical`, else the theme mkdocs.yml names (found through the
`mkdocs.themes` entry points' metadata, nothing imported), `custom_dir` first in both."""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
from pathlib import Path
from typing import Callable, Sequence

import jinja2
import yaml

from ..csp import theme_scripts as csp_theme_scripts
from .options import SiteConfig
from .output import base_urls


class ThemeError(Exception):
    """The theme's templates cannot be found; the message says what to install."""


def theme_folders(name: str, seen: tuple[str, ...] = ()) -> list[Path]:
    """The templates folder of an installed theme, then those of the themes it extends."""
    entry = next((e for e in importlib.metadata.entry_points(group="mkdocs.themes") if e.name == name), None)
    if entry is None or name in seen:
        raise ThemeError(f"the theme {name!r} that mkdocs.yml names is not installed")
    top, _, rest = entry.value.partition(".")
    spec = importlib.util.find_spec(top)  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ThemeError(f"the theme {name!r} is registered but its package {top} is missing")
    folder = Path(next(iter(spec.submodule_search_locations)), *rest.split(".") if rest else ())
    meta = folder / "mkdocs_theme.yml"
    parent = (yaml.safe_load(meta.read_text(encoding="utf-8")) or {}).get("extends") if meta.is_file() else None
    return [folder, *(theme_folders(parent, (*seen, name)) if isinstance(parent, str) else [])]


def theme_env(config: SiteConfig, command: Sequence[str]) -> jinja2.Environment:
    """The templates the generator renders: Zensical's own theme for `zensical` (it uses its
    theme, not the one mkdocs.yml names, and escapes values in HTML templates), else the named
    theme's, as MkDocs loads them (no autoescape); custom_dir first in both."""
    custom = [config.theme_dir] if config.theme_dir else []
    if any(Path(part).name == "zensical" for part in command[:3]):
        spec = importlib.util.find_spec("zensical")
        if spec is None or not spec.submodule_search_locations:
            raise ThemeError(
                "the script policy needs Zensical's theme templates: install zensical in the same environment as lchc-gen"
            )
        folder = Path(next(iter(spec.submodule_search_locations))) / "templates"
        return jinja2.Environment(loader=jinja2.FileSystemLoader([*custom, folder]), autoescape=True)
    folders = theme_folders(config.theme_name) if config.theme_name else []
    return jinja2.Environment(loader=jinja2.FileSystemLoader([*custom, *folders]), auto_reload=False)


def theme_scripts(config: SiteConfig, command: Sequence[str]) -> Callable[[str], set[str]]:
    """The hash sources of the theme's own inline scripts for the page at a URL: its script
    templates rendered as the generator renders them (with the config and the features), once
    for each base_url the page can have. Nothing of a built page goes in."""
    env = theme_env(config, command)
    settings = {"extra": config.extra, "site_url": config.site_url, "theme": {"features": config.theme_features}}

    @functools.cache
    def for_base(base_url: str) -> frozenset[str]:
        return frozenset(csp_theme_scripts(env, {"base_url": base_url, "config": settings, "features": config.theme_features}))

    return lambda url: set().union(*(for_base(b) for b in base_urls(url, config.site_url)))
