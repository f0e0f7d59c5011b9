"""Program pages, the index, upcoming sessions and the review page pass axe-core in headless
Chromium with no violations, on a desktop and a 375 px phone screen, without sideways scrolling."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "programs/",
    "programs/upcoming/",
    "programs/review/",
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
