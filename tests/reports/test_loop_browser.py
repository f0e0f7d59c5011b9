"""A manager opens this cycle's report and finds what the team agreed after the last one: the
agreement, its check-in and how the targeted questions moved, readable on a phone and a desktop."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reports.layout import measure
from tests.reports.test_layout_browser import open_report, sign_in

pytestmark = pytest.mark.browser
MANAGER = "p00007"  # Hollow Teapot Crew (t007): agreed to try something after First half 2026


@pytest.mark.parametrize("size", [(375, 812), (1280, 800)], ids=["phone", "desktop"])
def test_a_manager_sees_last_cycles_agreement_in_the_new_report(demo_site: Path, browser, serve, size) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    sign_in(page, serve(demo_site), MANAGER)
    links = page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => [e.href, e.textContent])")
    href, label = next(link for link in links if "Second half 2026" in link[1])
    open_report(page, href, label)
    loop = page.locator(".lchc-report-body .lchc-loop")
    loop.wait_for()
    text = " ".join(loop.inner_text().split())
    assert "After the First half 2026 report, the team agreed to try:" in text
    assert "At the check-in (15 June 2026), the team said it had" in text
    assert "How the answers to the questions it targets moved from First half 2026 to Second half 2026" in text
    assert "Not compared: not enough answers to it in" in text  # its q12 has too few answers
    assert "It cannot tell whether the experiment caused it" in text
    assert "After this report, the team agreed to try:" in text
    m = measure(page)
    assert m["page"] == 0 and not m["wide"] and not m["cut"], m
    violations = Axe().run(page, context=".lchc-loop").response["violations"]
    assert violations == [], violations
    context.close()
