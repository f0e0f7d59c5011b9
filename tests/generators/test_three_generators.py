"""The demo built three ways: MkDocs + Material (the plugin), ProperDocs + Material (the same
plugin, through ProperDocs' entry points) and Zensical (`lchc-gen build -- zensical build`).
Each build passes the canary leak scan and the Chromium sign-in test, and all three publish
the same reports with the same numbers."""

from __future__ import annotations

import csv
import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lchc_gen.access.blobs import decrypt_page, open_keyring
from lchc_gen.access.demo import demo_passphrase
from lchc_gen.access.keystore import load_keystore
from lchc_gen.access.publish import keyring_path
from lchc_gen.cli import main
from tests.access.conftest import _plant_canaries
from tests.access.conftest import build_id as _build_id
from tests.conftest import TEST_KDF_FLOOR, build_site, make_demo_project
from tests.reports.test_layout_browser import WAIT, sign_in

GENERATORS = ("mkdocs", "properdocs", "zensical")
BIN = Path(sys.executable).parent
MARKERS = re.compile(r"canaryperson|canarymail|canaryteam|canaryresp|canarycomment|canaryagreed|canaryhappened", re.I)
ADMIN, MANAGER = "p00024", "p00007"
# A build in a subprocess keeps the KDF floor: lowered there, as the suite lowers it here,
# for the cheap test keys (the readers who sign in have full-cost ones).
FLOOR = f"import lchc_gen.access.crypto as c; c.MIN_ITERATIONS = {TEST_KDF_FLOOR}; "


def _plant_comment_canaries(root: Path) -> None:
    for path in (root / "feedback").glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        if "comment" not in rows[0]:
            continue
        at = rows[0].index("comment")
        for i, row in enumerate(rows[1:]):
            if len(row) > at and row[at].strip():
                row[at] = f"Canarycomment{i:03d}x {row[at]}"
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)


def build_with(generator: str, root: Path) -> Path:
    """Build the project in `root` with one of GENERATORS; returns its site folder."""
    if generator == "mkdocs":
        return build_site(root, strict=False)
    if generator == "properdocs":
        code = FLOOR + "import sys; from properdocs.__main__ import cli; sys.argv = ['properdocs', 'build', '-f', 'mkdocs.yml']; cli()"
        run = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert re.search(r"lchc: \d+ reports encrypted", run.stderr)  # our plugin ran inside ProperDocs
        return root / "site"
    status = main(["build", "--config", str(root / "mkdocs.yml"), "--", str(BIN / "zensical"), "build", "-f", "mkdocs.yml"])
    assert status == 0
    assert not (root / ".lchc-generated.json").exists() and not (root / "content" / "programs").exists()
    return root / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo, with a unique marker in every protected input, built by each generator."""
    built = {}
    for generator in GENERATORS:
        root = make_demo_project(tmp_path_factory.mktemp(generator))
        _plant_canaries(root)
        _plant_comment_canaries(root)
        built[generator] = build_with(generator, root)
    return built


@pytest.mark.parametrize("generator", GENERATORS)
def test_canary_values_appear_nowhere_in_the_built_site(sites: dict[str, Path], generator: str) -> None:
    site = sites[generator]
    keystore = json.loads((site.parent / ".secrets" / "demo.keystore.json").read_text())
    secrets = [r["kek"] for r in keystore["readers"].values()] + [keystore["id_key"]]
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 100
    assert any(p.name in ("search_index.json", "search.json") for p in files)
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        text = data.decode("utf-8", errors="replace")
        assert not MARKERS.search(text), f"{path.relative_to(site)} leaks {MARKERS.search(text).group(0)}"
        assert 'data-field="team_score"' not in text, f"{path.relative_to(site)} holds a plaintext report"
        assert not any(s in text for s in secrets), f"{path.relative_to(site)} holds key material"
    assert not list(site.rglob("*.csv")) and not list(site.rglob("org.yml")) and not list(site.rglob("*keystore*"))
    # The planted markers are there to be found: they are in the inputs and inside the reports.
    assert MARKERS.search((site.parent / "survey" / "org.yml").read_text())
    assert any(MARKERS.search(html) for html in _reports(site).values())


@pytest.mark.parametrize("generator", GENERATORS)
def test_every_page_has_its_head(sites: dict[str, Path], generator: str) -> None:
    """Build id, access root and policy on every page, the package's scripts on the report page,
    and the latest changes on the home page, whichever generator wrote the HTML."""
    site = sites[generator]
    build = _build_id(site)
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert html.count('http-equiv="Content-Security-Policy"') == 1, path
        assert html.index('http-equiv="Content-Security-Policy"') < html.index("<script"), path
        # 404.html is served at any address: no relative access root there, whoever built it.
        assert (f'<meta name="lchc-build-id" content="{build}">' in html) == (path.name != "404.html"), path
    viewer = (site / "reports" / "index.html").read_text(encoding="utf-8")
    for script in ("lchc-access.js", "lchc-ui.js"):
        assert f'src="../assets/lchc/{script}"' in viewer
    assert 'class="lchc-latest-changes"' in (site / "index.html").read_text(encoding="utf-8")
    assert "lchc:changes" not in (site / "index.html").read_text(encoding="utf-8")
    # "My reports" is not searchable; nothing under _access is listed anywhere.
    index = next(p for p in (site / "search" / "search_index.json", site / "search.json") if p.exists())
    doc = json.loads(index.read_text(encoding="utf-8"))
    locations = [e["location"] for e in doc.get("docs", doc.get("items", []))]
    assert locations and not [loc for loc in locations if loc.startswith("reports/")]
    assert "_access" not in index.read_text(encoding="utf-8") and "_access" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    # The feedback guide quotes the marker in a sentence: there it stays text.
    guide = (site / "guide" / "feedback" / "index.html").read_text(encoding="utf-8")
    assert "lchc-latest-changes" not in guide and "&lt;!-- lchc:changes --&gt;" in guide


def _reports(site: Path) -> dict[str, str]:
    """Every report the admin can open, decrypted: label -> HTML."""
    store = load_keystore(site.parent / ".secrets" / "demo.keystore.json")
    build = _build_id(site)
    entries = open_keyring((site / keyring_path(build, ADMIN)).read_bytes(), store.readers[ADMIN].kek, build, ADMIN)
    return {
        e.label: decrypt_page((site / "_access" / "p" / f"{e.page_id}.json").read_bytes(), e.key, build, e.url)
        for e in entries
    }


_FIELD = re.compile(r'data-field="([a-z_]+)"[^>]*>(.*?)</', re.S)


def test_three_builds_publish_the_same_reports_with_the_same_numbers(sites: dict[str, Path]) -> None:
    numbers = {g: {label: _FIELD.findall(html) for label, html in _reports(site).items()} for g, site in sites.items()}
    labels = {g: set(n) for g, n in numbers.items()}
    assert len(labels["mkdocs"]) >= 50  # 24 teams and an overview in each of 2 cycles, comments, the admin view
    assert labels["properdocs"] == labels["mkdocs"] == labels["zensical"]
    assert sum(len(v) for v in numbers["mkdocs"].values()) > 500
    assert numbers["properdocs"] == numbers["mkdocs"] == numbers["zensical"]
    # And every reader's keyring lists the same pages: the same set of protected pages per reader.
    store = load_keystore(next(iter(sites.values())).parent / ".secrets" / "demo.keystore.json")
    readable = {}
    for g, site in sites.items():
        build = _build_id(site)
        readable[g] = {
            rid: sorted(e.label for e in open_keyring((site / keyring_path(build, rid)).read_bytes(), load_keystore(site.parent / ".secrets" / "demo.keystore.json").readers[rid].kek, build, rid))
            for rid in store.readers
        }
    assert readable["properdocs"] == readable["mkdocs"] == readable["zensical"]


def test_three_builds_give_the_same_navigation(sites: dict[str, Path]) -> None:
    from tests.test_navigation import nav_entries

    for page in ("index.html", "programs/index.html", "guide/index.html"):
        navs = {g: nav_entries((sites[g] / page).read_text(encoding="utf-8")) for g in GENERATORS}
        assert navs["mkdocs"][:4] == ["§ Home", "Home", "Where to start", "You said, we did"] or page != "index.html"
        assert navs["properdocs"] == navs["mkdocs"] and navs["zensical"] == navs["mkdocs"], page


@pytest.mark.parametrize("generator", GENERATORS)
def test_every_404_page_leads_home_with_a_named_search_dialog(sites: dict[str, Path], generator: str) -> None:
    html = (sites[generator] / "404.html").read_text(encoding="utf-8")
    assert '<a href="/">Go to the home page of Acme Learning &amp; Development</a>' in html
    assert "404 - Not found" not in html and 'role="dialog" aria-label="Search"' in html


@pytest.mark.browser
@pytest.mark.parametrize("generator", GENERATORS)
def test_a_manager_signs_in_reads_their_numbers_and_nothing_else(sites: dict[str, Path], generator: str, browser, serve) -> None:
    site = sites[generator]
    reports = _reports(site)
    base = serve(site)
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        sign_in(page, base, MANAGER)
        labels = page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => [e.href, e.textContent])")
        assert len(labels) == 2 and all(label.startswith("Canaryteam") for _, label in labels)
        href, label = labels[0]
        page.goto(href)
        page.wait_for_selector(".lchc-report-body [data-field=team_score]", timeout=WAIT)
        expected = dict(_FIELD.findall(reports[label]))["team_score"]
        assert page.inner_text(".lchc-report-body [data-field=team_score]") == expected
        # Another team's report (the admin's list has them): a plain refusal, no content.
        others = [e for e in reports if e not in dict((l, h) for h, l in labels)]
        other_url = _url_of(site, others[0])
        page.goto(base + other_url)
        page.wait_for_function("() => /not one of the readers/.test(document.querySelector('.lchc-status').textContent)", timeout=WAIT)
        assert page.inner_text(".lchc-report-body") == ""
        page.click(".lchc-signout")
        page.wait_for_selector(".lchc-signin:not([hidden])", timeout=WAIT)
        # A wrong passphrase says so.
        page.fill("#lchc-reader", MANAGER)
        page.fill("#lchc-passphrase", demo_passphrase(MANAGER) + " wrong")
        page.click(".lchc-signin button[type=submit]")
        page.wait_for_function("() => /Wrong reader id or passphrase/.test(document.querySelector('.lchc-status').textContent)", timeout=WAIT)
        blocked = [e for e in errors if "Content Security Policy" in e or "Refused" in e]
        if generator == "zensical":
            # Zensical's script bundle adds a <style> element that the policy's style-src blocks
            # (documented in the guide); no script of the theme or ours is blocked.
            blocked = [e for e in blocked if not e.startswith("Applying inline style")]
        assert not blocked, errors
    finally:
        context.close()


def _url_of(site: Path, label: str) -> str:
    store = load_keystore(site.parent / ".secrets" / "demo.keystore.json")
    build = _build_id(site)
    entries = open_keyring((site / keyring_path(build, ADMIN)).read_bytes(), store.readers[ADMIN].kek, build, ADMIN)
    return next(e.url for e in entries if e.label == label)


@pytest.mark.browser
@pytest.mark.parametrize("size", [(375, 812), (1280, 800)], ids=["phone", "desktop"])
def test_the_zensical_build_reads_well_at_both_widths(sites: dict[str, Path], browser, serve, size: tuple[int, int]) -> None:
    """Zensical's own theme around our pages: "My reports" and a report fit the screen and
    their content passes axe, as with Material. (Zensical 0.0.73's own chrome has two axe
    findings, the palette toggle's focusable hidden input and the footer's contrast; the guide
    says so. Our style sheet corrects Material's, not Zensical's.)"""
    from axe_playwright_python.sync_playwright import Axe

    from tests.reports.layout import measure
    from tests.reports.test_layout_browser import open_report

    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        sign_in(page, serve(sites["zensical"]), MANAGER)
        href, label = page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => [e.href, e.textContent])")[0]
        found = {}
        for what in ("My reports", label):
            if what == label:
                open_report(page, href, label)
            m = measure(page)
            result = Axe().run(page, context=".md-content").response
            assert result["passes"], "axe ran no rule: the check itself is broken"
            found[what] = {
                "sideways": max(m["page"], 0), "wide": m["wide"], "cut": m["cut"],
                "axe": [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]],
            }
        assert found == {w: {"sideways": 0, "wide": [], "cut": [], "axe": []} for w in found}
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("generator", GENERATORS)
def test_the_themes_own_scripts_search_and_instant_navigation_run_without_a_violation(
    sites: dict[str, Path], generator: str, browser
) -> None:
    """The policy allows every script the site ships, whichever generator wrote the pages."""
    from tests.conftest import serve_at_localhost
    from tests.test_csp import _watched

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    base = serve_at_localhost(context, sites[generator])
    errors: list[str] = []
    try:
        page = _watched(context, errors)
        page.goto(base)
        page.wait_for_load_state("networkidle")  # the search worker has its index
        # Material: a search field; Zensical: a button that opens its dialog (in a shadow root).
        page.click("input.md-search__input, .md-search__button")
        page.keyboard.type("discovery", delay=50)
        page.wait_for_selector(".md-search-result__item, [aria-label='Search results'] [role=option]", state="attached", timeout=WAIT)
        page.goto(base + "reports/")
        page.wait_for_selector(".lchc-signin:not([hidden])", timeout=WAIT)
        page.evaluate("window.__samePage = true")
        page.click('nav a[href$="programs/sales-discovery-calls/"] >> nth=0')
        page.wait_for_url(re.compile(r"/programs/sales-discovery-calls/$"), timeout=WAIT)
        page.wait_for_selector("h1:has-text('Better discovery calls')", timeout=WAIT)
        assert page.evaluate("window.__samePage") is True  # no page load: instant navigation
        violations = page.evaluate("window.__violations")
    finally:
        context.close()
    if generator == "zensical":  # its bundle's <style> element, as above
        violations = [v for v in violations if not v.startswith("style-src-elem inline")]
        errors = [e for e in errors if not e.startswith("Applying inline style")]
    assert violations == [] and errors == []
