"""What a protected site needs besides the encrypted files: the page shell that replaces a
report's content, the settings every page carries, and a sitemap without protected pages."""

from __future__ import annotations

import gzip
import posixpath
import re
from typing import Iterable

_URL = re.compile(r"\s*<url>\s*<loc>([^<]*)</loc>.*?</url>", re.S)


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


def strip_sitemap(xml: str, protected_urls: Iterable[str]) -> str:
    """Remove every <url> whose location ends with a protected page's URL."""
    urls = tuple(protected_urls)

    def keep(m: re.Match[str]) -> str:
        loc = m.group(1).strip()
        return "" if any(loc.endswith("/" + u) or loc == u for u in urls) else m.group(0)

    return _URL.sub(keep, xml)


def strip_sitemap_gz(data: bytes, protected_urls: Iterable[str]) -> bytes:
    xml = gzip.decompress(data).decode("utf-8")
    # mtime=0: the same sitemap always compresses to the same bytes.
    return gzip.compress(strip_sitemap(xml, protected_urls).encode("utf-8"), mtime=0)
