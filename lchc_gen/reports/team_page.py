"""A team's own page: what the team said (the team summary's team-level numbers, hidden where the
report hides them) and what it agreed to try, for the team's members.

Members have no reader id: the page opens with a key that travels in its link's #fragment
(team/#<id>.<key>), which browsers never send to a server. The key is random, made for each
publication and kept in no keystore; the page is encrypted like a report (access/publish
seal_linked). The manager hands out the link, printed with a QR code on the team summary. Only the
latest cycle's teams get a page, and none for a suppressed team; the next publication replaces them.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from typing import Callable

import jinja2
import segno
from markupsafe import Markup

from ..survey import Scores
from ..survey import format as fmt
from .loop import loop_context

OPENER = "team/index.md"
QR_MASK = 0  # the one public page that opens any team's page by its link


@dataclass(frozen=True)
class TeamPage:
    name: str  # "cycle/team", made opaque by the caller
    page_id: str
    key: bytes
    html: str
    # False for a suppressed team's stand-in: an empty page of the same padded size under a key no
    # one gets, so that the count of files does not tell how many teams had too few answers.
    linked: bool = True


def bound_url(page_id: str) -> str:
    """The address the page's ciphertext is bound to (lchc-access.js openLinked uses the same)."""
    return f"team/#{page_id}"


def link(site_url: str | None, use_directory_urls: bool, page: TeamPage) -> str:
    """The address a member opens: the key after the page id, in the fragment. Without a site_url,
    relative to "My reports" (reports/), where the summary is shown."""
    key = base64.urlsafe_b64encode(page.key).rstrip(b"=").decode("ascii")
    opener = "team/" if use_directory_urls else "team/index.html"
    root = site_url.rstrip("/") + "/" if site_url else "../"
    return f"{root}{opener}#{page.page_id}.{key}"


def qr_svg(url: str) -> Markup:
    """The link as an inline SVG QR code (no image file, nothing fetched). One fixed mask pattern:
    choosing the best of the eight takes segno about 20 ms a code (20 s at a thousand teams),
    and every reader decodes any of them."""
    svg = segno.make(url, error="m", micro=False, mask=QR_MASK).svg_inline(scale=1, border=2, omitsize=True)
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="QR code of the team page\'s link" ', 1))


SLOT = "<!--lchc:team-link-->"  # where team_kit.html.j2 leaves the link, filled in at publication


def team_link_context(url: str | None) -> dict:
    """What team_link.html.j2 reads: the link and its QR code. Without the site's `site_url` the
    link is relative: it works from the report, but on paper neither it nor a QR code of it would
    lead anywhere, so there is no code and the summary says so."""
    absolute = bool(url) and url.startswith(("https://", "http://"))
    return {"team_link": url, "team_qr": qr_svg(url) if absolute else None, "team_link_absolute": absolute}


def fill_link(html: str, env: jinja2.Environment, url: str, agreed: bool) -> str:
    """The report with its team summary's link and QR code in their place."""
    block = env.get_template("team_link.html.j2").render(agreed=agreed, **team_link_context(url))
    return html.replace(SLOT, block, 1)




def team_pages(scores: Scores, env: jinja2.Environment, opaque: Callable[[str], str], keys: dict[str, bytes]) -> list[TeamPage]:
    """Every team page of this publication. ``keys`` (page id -> key) is kept by the caller for the
    publication's lifetime: a key made here once is reused while the publication is the same."""
    tpl = env.get_template("team_page.html.j2")
    scale = [(o.value, o.label) for o in scores.data.questionnaire.scale]
    pages = []
    for r in scores.team_reports(scores.cycle_ids[-1]):  # the latest cycle's teams only
        name = f"{r.cycle_id}/{r.team_id}/team-page"
        page_id = opaque(name)
        key = keys.setdefault(page_id, secrets.token_bytes(32))
        if r.suppressed:  # nothing for a suppressed team
            pages.append(TeamPage(name, page_id, key, "", linked=False))
            continue
        html = tpl.render(
            r=r, fmt=fmt, scale=scale, label_of=lambda mean: fmt.nearest_label(mean, scores.data.questionnaire.scale),
            **loop_context(scores, r),
        )
        pages.append(TeamPage(name, page_id, key, html))
    return pages
