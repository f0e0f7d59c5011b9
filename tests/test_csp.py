"""The Content-Security-Policy meta tag: first in <head>, allowing the theme's own inline
scripts by hash and nothing a page's content brings; in headless Chromium the demo's pages
run without one violation, and a script injected into page content is blocked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lchc_gen.csp import add_policy, inline_scripts, json_ld_to_head, policy, script_hash
from tests.conftest import build_site, serve_at_localhost

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
INJECTED = "window.injected = 'ran'"
HOSTILE_PAGE = f"""# Notes

<script>{INJECTED}</script>

<img src="missing.png" alt="" onerror="window.handler = 'ran'">

[a link](javascript:window.linked='ran')
"""


def test_inline_scripts_are_the_runnable_ones() -> None:
    html = ('<script>a()</script><script src="x.js"></script><script type="application/json">{"b": 1}</script>'
            '<script type="application/ld+json">{}</script><script type="module">c()</script>'
            "<SCRIPT type='text/javascript'>d()</SCRIPT>")
    assert inline_scripts(html) == ["a()", "c()", "d()"]


def test_script_hash_is_the_csp_sha256_of_the_exact_text() -> None:
    # echo -n "alert(1)" | openssl dgst -sha256 -binary | base64
    assert script_hash("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"


def test_the_policy_goes_right_after_the_charset_before_any_script() -> None:
    page = '<html><head>\n<meta charset="utf-8"><script>x()</script></head><body><meta charset="x"></body></html>'
    out = add_policy(page, policy([script_hash("x()")]))
    assert out.index("Content-Security-Policy") < out.index("<script>")
    assert out.index('<meta charset="utf-8">') < out.index("Content-Security-Policy")
    no_charset = add_policy("<html><head><title>t</title></head></html>", policy([]))
    assert no_charset.startswith('<html><head><meta http-equiv="Content-Security-Policy"')


def test_json_ld_moves_to_head_where_instant_navigation_does_not_run_it() -> None:
    page = ('<html><head><title>t</title></head><body><article>'
            '<script type="application/ld+json">{"@type": "Course"}</script><p>text</p></article></body></html>')
    out = json_ld_to_head(page)
    assert out == ('<html><head><title>t</title><script type="application/ld+json">{"@type": "Course"}</script>'
                   "</head><body><article><p>text</p></article></body></html>")
    assert json_ld_to_head(out) == out


def _policy_of(html: str) -> str:
    found = CSP_META.findall(html)
    assert len(found) == 1, "exactly one policy per page"
    return found[0]


def test_every_page_carries_a_strict_policy_that_allows_only_the_theme_scripts(make_site) -> None:
    root = make_site()
    (root / "content" / "notes.md").write_text(HOSTILE_PAGE, encoding="utf-8")
    site = build_site(root)
    pages = [p for p in site.rglob("*.html")]
    assert site / "404.html" in pages and site / "notes" / "index.html" in pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        csp = _policy_of(html)
        assert html.index("Content-Security-Policy") < html.index("<script")
        directives = dict(d.split(" ", 1) for d in csp.split("; "))
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
        assert directives["base-uri"] == directives["form-action"] == directives["connect-src"] == "'self'"
        assert directives["img-src"] == "'self' data:" and directives["style-src"] == "'self'"
        assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]
        # Every inline script of the page but the injected one is allowed, by hash.
        allowed = set(directives["script-src"].split()[1:])
        for body in inline_scripts(html):
            assert (script_hash(body) in allowed) == (body != INJECTED), body[:60]
    assert INJECTED in (site / "notes" / "index.html").read_text(encoding="utf-8")


# --- in the browser --------------------------------------------------------------------

WATCH = """() => {
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (e) =>
    window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || "")));
}"""


def _watched(context, errors: list[str]):  # type: ignore[no-untyped-def]
    context.add_init_script(f"({WATCH})()")
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


@pytest.mark.browser
def test_the_demo_runs_without_a_violation(demo_site: Path, browser) -> None:
    from lchc_gen.access.demo import demo_passphrase

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    base = serve_at_localhost(context, demo_site)
    errors: list[str] = []
    page = _watched(context, errors)
    seen = {}
    for path in ["", "programs/sales-discovery-calls/", "programs/upcoming/", "programs/review/", "guide/scale/"]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        seen[path] = page.evaluate("window.__violations")
    # Search: the worker and its index load, results show.
    page.goto(base)
    page.wait_for_load_state("networkidle")  # the search worker has its index
    page.click("input.md-search__input")
    page.keyboard.type("discovery", delay=50)  # keystrokes, as a person searches
    page.wait_for_selector(".md-search-result__item", state="attached", timeout=30_000)
    seen["search"] = page.evaluate("window.__violations")
    # My reports: signed in as the admin, the overview open (its heatmap colours cells).
    admin = "p00024"
    page.goto(base + "reports/")
    page.fill("#lchc-reader", admin)
    page.fill("#lchc-passphrase", demo_passphrase(admin))
    page.click(".lchc-signin button[type=submit]")
    page.click(".lchc-report-list a >> text=Organisation overview", timeout=30_000)
    page.wait_for_selector(".lchc-report-body h1", timeout=30_000)
    # Then instant navigation to a page at another depth, from a link in the site's navigation.
    page.evaluate("window.__samePage = true")
    page.click('nav a[href$="programs/sales-discovery-calls/"] >> nth=0')
    page.wait_for_url(re.compile(r"/programs/sales-discovery-calls/$"), timeout=30_000)
    page.wait_for_selector("h1:has-text('Better discovery calls')", timeout=30_000)
    assert page.evaluate("window.__samePage") is True  # no page load: instant navigation
    seen["reports and instant navigation"] = page.evaluate("window.__violations")
    context.close()
    assert seen == {k: [] for k in seen}
    assert errors == []


@pytest.mark.browser
def test_a_script_in_page_content_is_blocked(make_site, browser, serve) -> None:
    root = make_site()
    (root / "content" / "notes.md").write_text(HOSTILE_PAGE, encoding="utf-8")
    base = serve(build_site(root))
    context = browser.new_context()
    errors: list[str] = []
    page = _watched(context, errors)
    page.goto(base + "notes/")
    page.click("text=a link")
    page.wait_for_function("() => window.__violations.length >= 3", timeout=10_000)
    assert page.evaluate("[window.injected, window.handler, window.linked]") == [None, None, None]
    violations = page.evaluate("window.__violations")
    assert all(v.startswith("script-src") for v in violations), violations
    context.close()


@pytest.mark.parametrize("page", [
    "<html><!-- <head> --><head></head><body><script>x()</script>",  # a <head> in a comment
    '<html title="<head>"><head></head><script>x()</script>',  # ... in an attribute value
    "<html>\u00a0<head><script>x()</script>",  # ... after text (no-break space is not HTML's whitespace)
    "<p>text</p><head><script>x()</script>",
    "<!doctype html><html><head><script>x()</script></head>",
])
def test_the_policy_lands_where_a_browser_puts_it_in_head_whatever_the_page_says(page: str) -> None:
    out = add_policy(page, "P")
    at = out.index('<meta http-equiv="Content-Security-Policy" content="P">')
    # Only what opens a document stands before it: a doctype, <html>, <head>, no comment or text.
    assert re.fullmatch(r'(<!doctype html>)?(<html( title="<head>")?>)?(<head>)?', out[:at])
