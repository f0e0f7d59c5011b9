"""The department view as its head reads it (the README's p00001), decrypted in "My reports":
axe-clean, nothing wider than the screen, no text under 12 px, and missing figures explained."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

HEAD = "p00001"  # the README's department head: Copper Teapot Department
WAIT = 30_000


def _reads_well(page, text: str) -> None:
    """axe finds nothing, nothing is wider than the screen, and no text (``text``: a selector) is under 12 px."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    assert result.response["passes"], "axe ran no rule: the check itself is broken"
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]] == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
    smallest = page.evaluate("s => Math.min(...[...document.querySelectorAll(s)].map(e => parseFloat(getComputedStyle(e).fontSize)))", text)
    assert smallest >= 12, f"text of {smallest}px"


@pytest.mark.parametrize("width", [1280, 375])
def test_the_department_view_reads_well(demo_site: Path, browser, serve, width: int, tmp_path: Path) -> None:
    from lchc_gen.access.demo import demo_passphrase

    base = serve(demo_site)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(base + "reports/")
    page.wait_for_selector(".lchc-signin:not([hidden])", timeout=WAIT)
    page.fill("#lchc-reader", HEAD)
    page.fill("#lchc-passphrase", demo_passphrase(HEAD))
    page.click(".lchc-signin button[type=submit]")
    page.wait_for_selector(".lchc-report-list li", timeout=WAIT)
    links = page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => [e.href, e.textContent])")
    mine = [href for href, label in links if label == "Copper Teapot Department (department view), Second half 2026"]
    assert len(mine) == 1, [label for _, label in links]
    page.goto(mine[0])
    page.wait_for_function("() => document.querySelector('.lchc-report-body h1')?.textContent.startsWith('Copper Teapot Department (department view)') === true",
                           timeout=WAIT)
    _reads_well(page, ".lchc-department td, .lchc-department th, .lchc-department p")
    # One crew answered too little to show: most of the department's figures say why they are missing.
    text = page.inner_text(".lchc-department")
    assert "not shown: too few answers outside the teams shown" in text
    assert len(page.query_selector_all(".lchc-department tr[data-team]")) == 8
    shots = Path(os.environ.get("LCHC_SHOTS", tmp_path))  # for a person to look at
    page.screenshot(full_page=True, path=shots / f"department-{width}.png")
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_page_for_all_staff_reads_well(demo_site: Path, browser, serve, width: int, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(serve(demo_site) + "you-told-us/")
    _reads_well(page, ".md-content td, .md-content th, .md-content li, .md-content p")
    assert len(page.query_selector_all("tr[data-theme]")) == 6
    assert len(page.query_selector_all(".lchc-you-said li")) == 4
    page.screenshot(full_page=True, path=Path(os.environ.get("LCHC_SHOTS", tmp_path)) / f"all-staff-{width}.png")
    page.close()
