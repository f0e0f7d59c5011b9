"""Jinja2 environment for generated pages.

Templates are looked up first in the user's templates directory (so any shipped template
can be overridden by a file of the same name), then in the package. Autoescaping is on for
every template: page bodies are HTML blocks inside Markdown, and all data is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

PACKAGE_TEMPLATES = Path(str(files("lchc_gen.templates")))

# Python-Markdown honours a backslash only before these (its ESCAPED_CHARS); before any other
# character the backslash is printed, so "Video\\: ..." would show in the heading and the TOC.
_MD_BACKSLASH = re.compile(r"([\\`*_{}\[\]()#+\-.!>])")
# Syntax of common extensions (tables, emoji shortcodes, strikethrough, mark, caret) becomes
# a character reference: shown as the character, never read as syntax.
_MD_ENTITY = re.compile(r"[|:~=^]")


def md_text(value: Any) -> Markup:
    """Escape text for a Markdown context (headings, table cells): HTML first, then Markdown syntax."""
    text = _MD_BACKSLASH.sub(r"\\\1", html.escape(str(value), quote=False))
    return Markup(_MD_ENTITY.sub(lambda m: f"&#{ord(m.group())};", text))


def yaml_string(value: Any) -> Markup:
    """A front-matter value. MkDocs and themes print page titles and descriptions as HTML
    without escaping, in text and in attributes (<meta name="description" content="...">),
    so the text is HTML-escaped for both, quotes included; the JSON string form is valid YAML."""
    return Markup(json.dumps(html.escape(str(value), quote=True), ensure_ascii=False))


def json_ld(value: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> block; '<' escaped so no tag can close it."""
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def long_date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def page_url(src_path: str, use_directory_urls: bool) -> str:
    """The URL MkDocs gives a Markdown page (relative to the site root)."""
    stem, _ = posixpath.splitext(src_path)
    if not src_path.endswith(".md"):
        return src_path
    if not use_directory_urls:
        return stem + ".html"
    if posixpath.basename(stem) in ("index", "README"):
        parent = posixpath.dirname(stem)
        return parent + "/" if parent else ""
    return stem + "/"


def relative_url(from_src: str, to_src: str, use_directory_urls: bool) -> str:
    """Href from one generated page to another file, as MkDocs would write it."""
    here = page_url(from_src, use_directory_urls)
    there = page_url(to_src, use_directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    rel = posixpath.relpath(there or ".", base.rstrip("/") or ".")
    if there.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return "./" if rel == "./" else rel


def make_env(override_dir: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if override_dir is not None and override_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(override_dir)))
    loaders.append(jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md_text, yaml_string=yaml_string, json_ld=json_ld, long_date=long_date)
    env.globals["zip"] = zip
    return env
