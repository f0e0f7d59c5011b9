"""The output step's index scrubbing, on the search indexes of MkDocs and Zensical and on the sitemap."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from lchc_gen.csp import script_hash
from lchc_gen.site.output import base_urls, blocked_scripts, page_url_of, scrub_indexes


def test_hidden_pages_leave_both_search_indexes_and_the_sitemap(tmp_path: Path) -> None:
    (tmp_path / "search").mkdir()
    docs = [{"location": "", "title": "Home"}, {"location": "reports/", "title": "My reports"},
            {"location": "reports/#sign-in", "title": "Sign in"}, {"location": "reports/2026/", "title": "Kept"}]
    (tmp_path / "search" / "search_index.json").write_text(json.dumps({"config": {}, "docs": docs}))
    (tmp_path / "search.json").write_text(json.dumps({"config": {}, "items": docs}))
    sitemap = ("<urlset>\n<url>\n<loc>https://h.example/</loc>\n</url>\n<url>\n<loc>https://h.example/r/t1/</loc>\n"
               "<lastmod>2026-01-01</lastmod>\n</url>\n</urlset>")
    (tmp_path / "sitemap.xml").write_text(sitemap)
    with gzip.open(tmp_path / "sitemap.xml.gz", "wt") as f:
        f.write(sitemap)

    removed = scrub_indexes(str(tmp_path), unsearchable=["reports/"], unlisted=["r/t1/"])

    assert removed == 2 + 2 + 1
    for rel, key in (("search/search_index.json", "docs"), ("search.json", "items")):
        left = [d["location"] for d in json.loads((tmp_path / rel).read_text())[key]]
        assert left == ["", "reports/2026/"]
    for text in ((tmp_path / "sitemap.xml").read_text(), gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()).decode()):
        assert "r/t1/" not in text and "<loc>https://h.example/</loc>" in text


def test_a_pages_base_url_comes_from_its_address_only() -> None:
    # As Zensical renders it: "." at the root, "../.." two folders down, the site's path on 404.html.
    assert base_urls("", "https://h.example/") == {".", "./", "/"}
    assert base_urls("a/b/", None) == {"../..", "../../", "/"}
    assert base_urls("a/b.html", "https://h.example/docs/") == {"..", "../", "/docs/", "/docs"}


def test_scripts_count_as_blocked_unless_their_hash_is_allowed() -> None:
    html = '<script>a()</script><script>b()</script><script src="c.js"></script><script type="application/json">{}</script>'
    assert blocked_scripts(html, [script_hash("a()")]) == 1 and blocked_scripts(html, []) == 2


def test_built_files_map_to_their_addresses() -> None:
    assert page_url_of("index.html", True) == "" and page_url_of("a/b/index.html", True) == "a/b/"
    assert page_url_of("a/b.html", False) == "a/b.html" and page_url_of("a/index.html", False) == "a/index.html"
