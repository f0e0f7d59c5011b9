"""The Content-Security-Policy every page carries, as a <meta> tag (static hosts rarely let
one set headers).

Scripts run only from the site's own files, plus the theme's own inline scripts allowed by
their SHA-256 hash. The hashes come from the theme's script templates rendered on their own
(see ``theme_scripts``), never from a built page, so no script that came in with page content
(Markdown, a title, a navigation label, a heading in the table of contents, a static page) can
ever be allowed by them, wherever in the page it lands.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any, Iterable

import jinja2

# Classic scripts written inline; data blocks (application/json, ld+json) never run.
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.I)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
# Where the policy goes: after what opens a document, matched as a browser tokenizes it (HTML's
# own whitespace, quoted attribute values), so that no comment, attribute or text of a page
# can make a "<head>" that is not one. Whatever does not match keeps the policy earlier, where
# the parser still puts it in <head>: before the first thing it does not recognise.
_WS = r"[ \t\n\f\r]"
_ATTRS = rf"""(?:{_WS}+[^ \t\n\f\r"'<>/=]+(?:{_WS}*={_WS}*(?:"[^"]*"|'[^']*'|[^ \t\n\f\r"'<>=`]+))?)*{_WS}*"""
_OPENING = re.compile(
    rf"\A\ufeff?{_WS}*(?:<!doctype\b[^>]*>{_WS}*)?(?:<html{_ATTRS}>{_WS}*)?"
    rf"""(?:<head{_ATTRS}>(?:{_WS}*<meta{_WS}+charset{_WS}*={_WS}*(?:"[^"]*"|'[^']*'|[\w-]+){_WS}*/?>)?)?""",
    re.I,
)
SCRIPT_TEMPLATES = "partials/javascripts/"  # where Material and Zensical keep their inline scripts
_JSON_LD = re.compile(r"""<script\s+type=["']application/ld\+json["']\s*>.*?</script\s*>""", re.S | re.I)

# Styles: the site's own style sheets only; style *attributes* are allowed because Markdown
# tables align columns with them and the overview's heatmap colours its cells with them.
# Script cannot run from a style attribute, and img-src/font-src keep CSS from calling out.
_FIXED = (
    "default-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script in ``html`` that a browser would run."""
    found = []
    for m in _SCRIPT.finditer(html):
        attrs = m.group(1)
        if re.search(r"\bsrc\s*=", attrs, re.I):
            continue
        kind = _TYPE.search(attrs)
        if (kind.group(1).lower() if kind else "") in _JS_TYPES:
            found.append(m.group(2))
    return found


def script_hash(text: str) -> str:
    """A CSP hash source for a script's exact text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def theme_script_hashes(rendered_templates: Iterable[str]) -> list[str]:
    """Hash sources of the inline scripts in the theme's own script templates, rendered with
    the page's context but without its content."""
    return sorted({script_hash(s) for html in rendered_templates for s in inline_scripts(html)})


def theme_scripts(env: jinja2.Environment, context: dict[str, Any]) -> list[str]:
    """Hash sources of the theme's inline scripts: its script templates (``SCRIPT_TEMPLATES``)
    rendered on their own with `context` (base_url, config, features), no page content in it."""
    names = env.list_templates(filter_func=lambda n: n.startswith(SCRIPT_TEMPLATES))
    return theme_script_hashes(env.get_template(n).render(context) for n in names)


def policy(script_hashes: Iterable[str]) -> str:
    scripts = " ".join(["'self'", *script_hashes, "'report-sample'"])
    return "; ".join([_FIXED[0], f"script-src {scripts}", *_FIXED[1:]])


def add_policy(html: str, csp: str) -> str:
    """Put the policy first in <head> (after the charset that opens it, which must stay in the
    first 1024 bytes): a policy governs only what follows it."""
    at = _OPENING.match(html).end()
    return html[:at] + policy_tag(csp) + html[at:]


def policy_tag(csp: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{csp}">'


def has_policy(html: str, csp: str) -> bool:
    """Whether `html` opens with exactly this policy where add_policy puts it."""
    return html.startswith(policy_tag(csp), _OPENING.match(html).end())


def json_ld_to_head(html: str) -> str:
    """Move JSON-LD blocks from the page body into <head>.

    Material's instant navigation re-creates every script of the new page's content as a
    plain script, type dropped, so a JSON-LD block in the content would be run as JavaScript:
    the policy blocks it, and reports a violation. JSON-LD is for crawlers, which load pages
    in full, so <head> serves it as well."""
    end = html.find("</head>")
    if end < 0:
        return html
    blocks = _JSON_LD.findall(html, end)
    if not blocks:
        return html
    body = _JSON_LD.sub("", html[end:])
    return html[:end] + "".join(blocks) + body
