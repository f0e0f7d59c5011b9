"""The manager's brief in Chromium: axe clean at 1280 and 375 px, nothing wider than the screen,
no text below 12 px; printed to PDF it is A4, a few pages, with the checklist's last line on it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.reports.layout import measure

pytestmark = pytest.mark.browser

BRIEFS = [
    "programs/sales-discovery-calls/brief/everyone/",
    "programs/support-onboarding/brief/everyone--manila/",
    "programs/leadership-development/brief/managers-who-received-a-report-in-the-2026-h2-cycle/",
    "programs/safety-refresher/brief/first-shift-at-both-centres/",
]

SMALLEST_TEXT_JS = r"""
() => {
  const small = [];
  const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el.getClientRects().length) continue;
    const s = getComputedStyle(el);
    if (s.clip && s.clip !== 'auto') continue;  // visually hidden on purpose
    const px = parseFloat(s.fontSize);
    if (px < 12) small.push(`${n.textContent.trim().slice(0, 30)} ${px}px`);
  }
  return small.slice(0, 5);
}
"""


@pytest.mark.parametrize("width", [1280, 375])
def test_briefs_are_accessible_and_fit_the_screen(demo_site: Path, browser, serve, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base = serve(demo_site)
    page = browser.new_page(viewport={"width": width, "height": 900})
    axe = Axe()
    found = {}
    for path in BRIEFS:
        page.goto(base + path)
        assert page.inner_text("h1").startswith("Manager's brief")
        result = axe.run(page)
        assert result.response["passes"], "axe ran no rule: the check itself is broken"
        m = measure(page)
        found[path] = {
            "axe": [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]],
            "sideways": max(m["page"], 0),
            "wide": m["wide"],
            "cut": m["cut"],
            "small": page.evaluate(SMALLEST_TEXT_JS),
        }
    page.close()
    assert found == {p: {"axe": [], "sideways": 0, "wide": [], "cut": [], "small": []} for p in BRIEFS}


def test_briefs_print_on_a4(demo_site: Path, browser, serve) -> None:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfpage import PDFPage

    base = serve(demo_site)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sizes = {}
    for path in BRIEFS:
        page.goto(base + path)
        last_item = page.eval_on_selector_all(".lchc-checklist tbody th", "els => els.length ? els[els.length - 1].textContent : ''")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        boxes = [tuple(round(v) for v in p.mediabox) for p in PDFPage.get_pages(io.BytesIO(pdf))]
        text = " ".join(extract_text(io.BytesIO(pdf)).split())
        assert set(boxes) == {(0, 0, 595, 842)}, f"{path}: not A4: {set(boxes)}"
        assert "Manager's brief" in text and "Search" not in text  # the site's header stays off paper
        assert " ".join(last_item.split()) in text, f"{path}: the checklist's last line is not on paper"
        sizes[path] = (len(boxes), len(pdf))
    page.close()
    # A brief is a handout: at most three sheets (the demo's longest, onboarding, has 17 dates).
    assert all(n <= 3 for n, _ in sizes.values()), sizes
    print(sizes)
