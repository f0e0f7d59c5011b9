"""One script policy under every generator: script written into a page title, a heading, a
navigation label or a static .html page never runs, on any page ("My reports" included),
whether MkDocs, ProperDocs or Zensical (`lchc-gen build`) wrote the HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from lchc_gen.csp import inline_scripts, script_hash
from tests.generators.test_three_generators import GENERATORS, build_with
from tests.test_csp import CSP_META, _watched

# Each payload marks the page if it runs: window.__pwned names where it came from.
TITLE = "window.__pwned='title'"
HEADING = "document.documentElement.dataset.pwned='heading'"
NAV = "window.__pwned='nav'"
STATIC = "window.__pwned='static'"
PAYLOADS = (TITLE, HEADING, NAV, STATIC)
NOTES = f"""---
title: "Pwn <script>{TITLE}</script>"
---
# Notes

## Plans <script>{HEADING}</script>

Text.
"""
# A static page that tries to hide the <head> the policy would be put in.
STATIC_PAGE = f"<!doctype html><html><!-- <head> --><body><p>Static</p><script>{STATIC}</script></body></html>"
PAGES = ("", "notes/", "reports/", "static.html")


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A small protected site with script in a title, a heading, a nav label and a static page,
    built by each generator."""
    from lchc_gen.access.keystore import issue
    from lchc_gen.survey.demo import generate
    from tests.access.conftest import _readers
    from tests.reports.test_reports import SURVEY

    built = {}
    for generator in GENERATORS:
        root = tmp_path_factory.mktemp(f"hostile-{generator}")
        keystore = root / "secrets" / "keystore.json"
        (root / "content").mkdir()
        (root / "content" / "index.md").write_text("# Home\n", encoding="utf-8")
        (root / "content" / "notes.md").write_text(NOTES, encoding="utf-8")
        (root / "content" / "static.html").write_text(STATIC_PAGE, encoding="utf-8")
        (root / "programs").mkdir()
        generate(root / "survey", teams=12, cycles=2, seed=5)
        config = {
            "site_name": "Hostile site",
            "site_url": "https://learning.example.org/",
            "docs_dir": "content",
            "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
            "nav": [{"Home": "index.md"}, {f"Notes <script>{NAV}</script>": "notes.md"}, {"My reports": "reports/index.md"}],
            "plugins": ["search", {"lchc": {"today": "2027-01-01", "keystore": str(keystore),
                                            "survey": SURVEY}}],
        }
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        org = yaml.safe_load((root / "survey" / "org.yml").read_text())
        issue(keystore, _readers(org), root / "secrets" / "handout.tsv", iterations=1_000)
        built[generator] = build_with(generator, root)
    return built


@pytest.mark.parametrize("generator", GENERATORS)
def test_every_html_file_has_one_policy_that_allows_no_payload(hostile_sites: dict[str, Path], generator: str) -> None:
    site = hostile_sites[generator]
    pages = sorted(site.rglob("*.html"))
    assert site / "static.html" in pages and site / "reports" / "index.html" in pages
    found = set()
    for path in pages:
        html = path.read_text(encoding="utf-8")
        policies = CSP_META.findall(html)
        assert len(policies) == 1, f"{path.relative_to(site)}: {len(policies)} policies"
        # Before anything else a browser would read as markup: nothing can hide it.
        assert html.index("Content-Security-Policy") < min(html.index(m) for m in ("<script", "<body", "<!--") if m in html), path
        for payload in PAYLOADS:
            assert script_hash(payload) not in policies[0], f"{path.relative_to(site)} allows {payload}"
        found |= {s for s in inline_scripts(html) if s in PAYLOADS}
    # The payloads are in the built pages (or a theme dropped them): blocked, not just missing.
    assert {TITLE, STATIC} <= found
    viewer = (site / "reports" / "index.html").read_text(encoding="utf-8")
    assert f"<script>{NAV}</script>" in viewer or f"<script>{TITLE}</script>" in viewer


@pytest.mark.browser
@pytest.mark.parametrize("generator", GENERATORS)
def test_no_payload_runs_in_chromium(hostile_sites: dict[str, Path], generator: str, browser, serve) -> None:
    base = serve(hostile_sites[generator])
    context = browser.new_context()
    errors: list[str] = []
    try:
        page = _watched(context, errors)
        for path in PAGES:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            ran = page.evaluate("[window.__pwned || null, document.documentElement.dataset.pwned || null,"
                                " document.querySelectorAll('[data-pwned]').length]")
            assert ran == [None, None, 0], f"{generator} {path or 'home'}: {ran}"
            violations = page.evaluate("window.__violations")
            if generator == "zensical":  # its bundle adds a <style> element (see test_three_generators)
                violations = [v for v in violations if not v.startswith("style-src-elem inline")]
            # Blocked: each payload that is in the page, and none of the theme's own scripts.
            assert violations and all(v.startswith("script-src") and "pwned" in v for v in violations), (path, violations)
        # Instant navigation (Material, Zensical) from "My reports" to the notes: still nothing.
        page.goto(base + "reports/")
        page.wait_for_load_state("networkidle")
        page.click('nav a[href$="notes/"] >> nth=0')
        page.wait_for_url(re.compile(r"/notes/$"))
        page.wait_for_load_state("networkidle")
        assert page.evaluate("[window.__pwned || null, document.documentElement.dataset.pwned || null]") == [None, None]
    finally:
        context.close()
