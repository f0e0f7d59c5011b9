"""What every page of a protected site carries besides the encrypted files: the build id and
where the encrypted files are, as meta tags."""

from __future__ import annotations

import posixpath


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
