"""The output step, after any site generator has written its pages: what a built site needs
besides them. Used by the MkDocs adapter (from its events) and by `lchc-gen build` (around any
other generator, on the files it wrote), so that the two cannot drift apart.

- The encrypted files of the publication, written in path order with one modification time,
  and the ones an earlier build left removed.
- Every page's head: the build id and where the encrypted files are (meta tags), JSON-LD moved
  into <head>, and the Content-Security-Policy first in it.
- The search index and the sitemap: pages that must not be found there taken out.
"""

from __future__ import annotations

import gzip
import json
import os
import posixpath
import re
import time
from pathlib import Path
from typing import Callable, Collection, Iterable, Sequence
from urllib.parse import urlsplit

from ..access.publish import ACCESS_ROOT, OutputFile, Publication
from ..access.site import head_tags, relative_root
from ..csp import add_policy, has_policy, inline_scripts, json_ld_to_head, policy, script_hash

# Material's (and Zensical's) search dialog has no accessible name (axe: aria-dialog-name); we add one.
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_DIALOG_NAMED = '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'
_CSP_META = '<meta http-equiv="Content-Security-Policy"'
# The whole content of the theme's 404 page (Material and Zensical): a heading and no way on.
_NOT_FOUND = re.compile(r"<h1>\s*404 - Not found\s*</h1>")
NOT_FOUND_PAGE = "404.html"
# Search indexes: MkDocs' search plugin (docs) and Zensical's (items); both list "location".
SEARCH_INDEXES = {"search/search_index.json": "docs", "search.json": "items"}


def finish_html(html: str, *, url: str, build_id: str | None, csp: str) -> str:
    """A built page (or template) as it is published: named search dialog, build id and access
    root for protected sites, JSON-LD in <head>, and the policy first in <head>."""
    html = html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG_NAMED, 1)
    if build_id is not None:
        html = html.replace("</head>", head_tags(build_id, url, ACCESS_ROOT) + "</head>", 1)
    return add_policy(json_ld_to_head(html), csp)


def finish_not_found(html: str, content: str) -> str:
    """The 404 page with `content` (the not_found template: what happened and a link home) in
    place of the theme's bare heading, and its search dialog named as on every other page."""
    html = html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG_NAMED, 1)
    return _NOT_FOUND.sub(lambda m: content, html, count=1)


def home_path(site_url: str | None) -> str:
    """The home page's address from any depth: the path of site_url ("/" without one)."""
    path = urlsplit(site_url).path if site_url else ""
    return path if path.endswith("/") else path + "/"


def blocked_scripts(html: str, allowed: Collection[str]) -> int:
    """How many runnable inline scripts of a page the policy's hash sources do not allow."""
    return sum(script_hash(s) not in allowed for s in inline_scripts(html))


def base_urls(url: str, site_url: str | None) -> set[str]:
    """Every value a theme may give a page's base_url (which its inline scripts contain): the
    way up to the site's root from the page ("." at the root, "../.." two folders down), and the
    path of site_url, with and without its closing slash (404.html, served at any address).
    Computed from the page's address only, never read from the page."""
    depth = url.count("/")
    up = "/".join([".."] * depth) if depth else "."
    path = urlsplit(site_url or "/").path or "/"
    return {up, up + "/", path, path.rstrip("/") or "/"}


def write_files(files: Sequence[OutputFile], site_dir: str, stamp: int | None = None) -> int:
    """Write every file, in path order, all with the modification time `stamp` (default now),
    so neither the order nor the times in a listing say which file belongs to which report."""
    stamp = int(time.time()) if stamp is None else stamp
    make_folders(files, site_dir)
    for f in sorted(files, key=lambda f: f.path):
        write_one(os.path.join(site_dir, f.path), f.data, stamp)
    return stamp


def make_folders(files: Sequence[OutputFile], site_dir: str) -> None:
    for folder in sorted({posixpath.dirname(f.path) for f in files}):
        os.makedirs(os.path.join(site_dir, folder), exist_ok=True)


def write_one(path: str, data: bytes, stamp: int) -> None:
    with open(path, "wb") as out:
        out.write(data)
    os.utime(path, (stamp, stamp))


def link_on_path(base: Path, parts: Sequence[str]) -> Path | None:
    """The first symbolic link on the way from `base` down through `parts` (base itself is the
    user's choice and not checked), or None; stops where the path no longer exists."""
    here = base
    for part in parts:
        here = here / part
        if here.is_symlink():
            return here
        if not here.exists():
            return None
    return None


def remove_stale(site_dir: str, folder: str, keep: Collection[str]) -> list[str]:
    """Delete every file under site_dir/folder whose site-relative POSIX path is not in `keep`
    (what an earlier build left there, e.g. after `--dirty`), and folders left empty. Nothing
    is removed through a symbolic link: a linked folder is not ours to clean."""
    removed: list[str] = []
    top = os.path.join(site_dir, folder)
    if link_on_path(Path(site_dir), Path(folder).parts) is not None:
        return removed
    for here, dirs, names in os.walk(top, topdown=False):
        for name in names:
            path = os.path.join(here, name)
            rel = os.path.relpath(path, site_dir).replace(os.sep, "/")
            if rel not in keep:
                os.remove(path)
                removed.append(rel)
        if here != top and not os.listdir(here):
            os.rmdir(here)
    return sorted(removed)


def scrub_indexes(site_dir: str, *, unsearchable: Collection[str] = (), unlisted: Collection[str] = ()) -> int:
    """Take pages out of the search index (`unsearchable` and `unlisted`, site-relative URLs)
    and out of sitemap.xml and sitemap.xml.gz (`unlisted`). Returns how many entries went."""
    hidden = {u.lstrip("/") for u in (*unsearchable, *unlisted)}
    removed = 0
    for rel, key in SEARCH_INDEXES.items():
        path = Path(site_dir, rel)
        if not hidden or not path.is_file():
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        entries = doc.get(key) or []
        kept = [e for e in entries if _page_of(str(e.get("location", ""))) not in hidden]
        if len(kept) != len(entries):
            removed += len(entries) - len(kept)
            doc[key] = kept
            path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    if unlisted:
        removed += _scrub_sitemap(Path(site_dir), {u.lstrip("/") for u in unlisted})
    return removed


def _page_of(location: str) -> str:
    """A search entry's page: its location without the #section."""
    return location.split("#", 1)[0].lstrip("/")


_URL_ENTRY = re.compile(r"\s*<url>\s*<loc>([^<]*)</loc>.*?</url>", re.S)


def _scrub_sitemap(site: Path, unlisted: set[str]) -> int:
    xml_path = site / "sitemap.xml"
    if not xml_path.is_file():
        return 0
    text = xml_path.read_text(encoding="utf-8")
    count = 0

    def drop(m: re.Match[str]) -> str:
        nonlocal count
        path = re.sub(r"^[a-z]+://[^/]+/", "", m.group(1).strip()).lstrip("/")
        if any(path == u or path.endswith("/" + u) for u in unlisted):
            count += 1
            return ""
        return m.group(0)

    text = _URL_ENTRY.sub(drop, text)
    if count:
        xml_path.write_text(text, encoding="utf-8")
        if (site / "sitemap.xml.gz").is_file():
            with gzip.GzipFile(site / "sitemap.xml.gz", "wb", mtime=0) as out:
                out.write(text.encode("utf-8"))
    return count


def page_url_of(rel_path: str, use_directory_urls: bool) -> str:
    """The site-relative URL of a built HTML file (`a/b/index.html` -> `a/b/`)."""
    if use_directory_urls and (rel_path == "index.html" or rel_path.endswith("/index.html")):
        return rel_path[: -len("index.html")]
    return rel_path


def asset_tags(url: str, stylesheets: Iterable[str], scripts: Iterable[str]) -> tuple[str, str]:
    """<link> tags for <head> and <script> tags for the end of <body>, relative to the page,
    where the generator was not told about the assets (the MkDocs adapter adds them to the config)."""
    root = relative_root(url)
    head = "".join(f'<link rel="stylesheet" href="{root}{s}">' for s in stylesheets)
    body = "".join(f'<script src="{root}{s}"></script>' for s in scripts)
    return head, body


def finish_site(
    site_dir: str,
    publication: Publication | None,
    *,
    use_directory_urls: bool,
    theme_scripts: Callable[[str], Collection[str]] = lambda url: (),
    stylesheets: Sequence[str] = (),
    scripts: Sequence[str] = (),
    unsearchable: Collection[str] = (),
    page_hook: Callable[[str, str], str] | None = None,
    not_found: str | None = None,
) -> dict[str, int]:
    """Finish a site another generator has built in `site_dir`: every HTML file gets its head
    (and the package's style sheets and scripts), the publication's files are written, what an
    earlier publication left is removed, and the search index and sitemap are scrubbed.
    `theme_scripts(url)` gives the hash sources of the theme's own inline scripts for the page at
    `url` (learnt from the theme, never from the page): the policy allows those and no other.
    `page_hook(url, html)` may change a page before it is finished; `not_found` replaces the
    404 page's bare heading (`finish_not_found`).

    Checks every page before it changes any: a page that already carries a policy was finished
    before (run the generator again first)."""
    site = Path(site_dir)
    pages = sorted(p for p in site.rglob("*.htm*") if p.suffix in (".html", ".htm") and ACCESS_ROOT not in p.relative_to(site).parts[:1])
    texts = {p: p.read_text(encoding="utf-8") for p in pages}
    done = [str(p.relative_to(site)) for p, t in texts.items() if _CSP_META in t]
    if done:
        raise ValueError(
            f"{site_dir} was finished already ({done[0]} has a Content-Security-Policy): build it again with the site generator first"
        )
    blocked = 0
    for path, html in texts.items():
        url = page_url_of(path.relative_to(site).as_posix(), use_directory_urls)
        if page_hook is not None:
            html = page_hook(url, html)
        if url == NOT_FOUND_PAGE and not_found is not None:
            html = finish_not_found(html, not_found)
        head, body = asset_tags(url, stylesheets, scripts)
        html = html.replace("</head>", head + "</head>", 1)
        html = html.replace("</body>", body + "</body>", 1) if "</body>" in html else html + body
        allowed = sorted(theme_scripts(url))
        blocked += blocked_scripts(html, allowed)
        # 404.html is served at any address, so relative meta tags would point anywhere (as in MkDocs: none).
        build_id = publication.build_id if publication is not None and url != "404.html" else None
        html = finish_html(html, url=url, build_id=build_id, csp=policy(allowed))
        path.write_text(html, encoding="utf-8")
    keep = {f.path for f in publication.files} if publication else set()
    stale = remove_stale(site_dir, ACCESS_ROOT, keep)
    if publication is not None:
        write_files(publication.files, site_dir)
    scrubbed = scrub_indexes(site_dir, unsearchable=unsearchable)
    return {"pages": len(texts), "encrypted": len(keep), "stale": len(stale), "scrubbed": scrubbed, "blocked_scripts": blocked}


def add_static_policy(site_dir: str, rel_paths: Iterable[str]) -> int:
    """The policy for HTML files a generator copied as they are (a static .html page in
    docs_dir): no theme rendered them, so no inline script of theirs is allowed. Idempotent
    (a --dirty build leaves unchanged files in place). Returns how many files it changed."""
    csp, changed = policy([]), 0
    for rel in rel_paths:
        path = Path(site_dir, rel)
        if not path.is_file():
            continue
        html = path.read_text(encoding="utf-8", errors="surrogateescape")
        if not has_policy(html, csp):
            path.write_text(add_policy(html, csp), encoding="utf-8", errors="surrogateescape")
            changed += 1
    return changed
