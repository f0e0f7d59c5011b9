"""What every page of a protected site carries besides the encrypted files: the build id and
where the encrypted files are, as meta tags; and whether the site's address gives it an origin
of its own."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit


def relative_root(page_url: str) -> str:
    """Href from a page (site-relative URL, e.g. ``reports/abc/``) back to the site root."""
    folder = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    depth = folder.count("/")
    return "../" * depth if depth else "./"


def head_tags(build_id: str, page_url: str, access_root: str) -> str:
    root = relative_root(page_url)
    return (
        f'<meta name="lchc-build-id" content="{build_id}">'
        f'<meta name="lchc-access-root" content="{root}{access_root}/">'
        f'<meta name="lchc-site-root" content="{root}">'
    )


def shared_origin_warning(site_url: str | None) -> str | None:
    """A warning when ``site_url`` puts the site on a path below its host's root.

    Browsers separate sites by origin (scheme, host and port), not by path: every page of the
    origin can read what a signed-in reader's browser keeps for this site, or frame its pages.
    ``https://org.github.io/site/`` shares its origin with every other project of that account."""
    if not site_url:
        return None
    parts = urlsplit(site_url)
    if parts.path in ("", "/"):
        return None
    origin = f"{parts.scheme}://{parts.netloc}"
    return (
        f"site_url {site_url} puts the site on a path of {origin}, which other sites may share: "
        f"any page served from {origin} could use a signed-in reader's session. Give the site an "
        f"origin of its own (e.g. a subdomain), or, if nothing but this site is ever served from "
        f"{origin}, say so with the lchc option `own_origin: true`."
    )
