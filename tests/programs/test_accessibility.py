"""Program pages, the index, upcoming sessions and the review page pass axe-core in headless
Chromium with no violations, on a desktop and a 375 px phone screen, without sideways scrolling."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "programs/",
    "programs/upcoming/",
    "programs/review/",
    "programs/operations/",
    "programs/sales-discovery-calls/",
    "programs/support-onboarding/",
    "programs/leadership-development/",
    "programs/safety-refresher/",
    "reports/",  # "My reports": the sign-in form
]


@pytest.mark.parametrize("width", [1280, 375])
def test_pages_have_no_axe_violations(demo_site: Path, browser, serve, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base = serve(demo_site)
    page = browser.new_page(viewport={"width": width, "height": 900})
    axe = Axe()
    found = {}
    for path in PAGES:
        page.goto(base + path)
        result = axe.run(page)
        found[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]]
        assert result.response["passes"], "axe ran no rule: the check itself is broken"
        if width == 375:
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375px"
    page.close()
    assert found == {path: [] for path in PAGES}


@pytest.mark.parametrize("width", [1280, 375])
def test_decrypted_reports_have_no_axe_violations(demo_site: Path, browser, serve, width: int) -> None:
    """The overview and team reports as a reader sees them: decrypted inside "My reports"."""
    from axe_playwright_python.sync_playwright import Axe

    from lchc_gen.access.demo import demo_passphrase

    admin = "p00024"  # the demo's L&D admin: reads every report
    base = serve(demo_site)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(base + "reports/")
    page.wait_for_selector(".lchc-signin:not([hidden])", timeout=30_000)
    page.fill("#lchc-reader", admin)
    page.fill("#lchc-passphrase", demo_passphrase(admin))
    page.click(".lchc-signin button[type=submit]")
    page.wait_for_selector(".lchc-report-list li", timeout=30_000)
    links = page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => [e.href, e.textContent])")
    overview = [link for link in links if link[1].startswith("Organisation overview")][:1]
    teams = [link for link in links if not link[1].startswith("Organisation overview")]
    # The overview, the suppressed team's report and two with numbers (labels: "Team, cycle").
    rows = csv.DictReader((Path(__file__).resolve().parents[1] / "expected" / "scores-2026-H2.csv").open())
    hidden = next(r["team_name"] for r in rows if r["suppressed"] == "True")
    cycle = "Second half 2026"
    chosen = overview + [t for t in teams if t[1] == f"{hidden}, {cycle}"]
    chosen += [t for t in teams if "Crew" in t[1] and t[1].endswith(cycle) and not t[1].startswith(hidden)][:2]
    assert len(chosen) == 4
    axe = Axe()
    found = {}
    for href, label in chosen:
        page.goto(href)
        name = label.split(",")[0]
        page.wait_for_function("n => document.querySelector('.lchc-report-body h1')?.textContent.startsWith(n) === true",
                               arg=name, timeout=30_000)
        result = axe.run(page)
        assert result.response["passes"], "axe ran no rule: the check itself is broken"
        found[label] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]]
        if width == 375:
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{label} scrolls sideways by {overflow}px at 375px"
    context.close()
    assert found == {label: [] for _, label in chosen}
