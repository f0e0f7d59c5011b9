"""A manager opens this cycle's report and finds what the team agreed after the last one: the
agreement, its check-in and how the targeted questions moved, readable on a phone and a desktop."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

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


@pytest.mark.parametrize("size", [(375, 812), (1280, 800)], ids=["phone", "desktop"])
def test_a_team_member_opens_the_team_page_from_the_summarys_link(demo_site: Path, browser, serve, size) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base = serve(demo_site)
    manager = browser.new_context(viewport={"width": 1280, "height": 800})
    page = manager.new_page()
    sign_in(page, base, MANAGER)
    links = page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => [e.href, e.textContent])")
    href, label = next(link for link in links if "Second half 2026" in link[1])
    open_report(page, href, label)
    link = page.get_attribute(".lchc-kit a.lchc-kit-url", "href")
    # The QR code, as Chromium draws it, scans to that link (decoded by an independent reader).
    page.click("[data-lchc-kit-open]")  # the team summary, as the manager prints it
    qr = page.locator(".lchc-kit-link svg")
    qr.scroll_into_view_if_needed()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [d.text for d in decoded] == [link]
    manager.close()
    assert link.startswith("https://learning.example.org/team/#")
    # A member: another browser, no sign-in, nothing stored; the link as the QR code gives it.
    member = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = member.new_page()
    page.goto(base + link.split("/", 3)[3])
    page.wait_for_selector(".lchc-team-page h1", timeout=30_000)
    text = " ".join(page.inner_text(".lchc-team-page").split())
    assert text.startswith("Hollow Teapot Crew: what we said, Second half 2026")
    assert "Team score:" in text and "self" not in text.lower()
    assert "After the First half 2026 report, the team agreed to try:" in text  # the loop, for the team too
    assert "After this report, the team agreed to try:" in text
    assert page.evaluate("() => localStorage.length + sessionStorage.length + document.cookie.length") == 0
    m = measure(page)
    assert m["page"] == 0 and not m["wide"] and not m["cut"], m
    assert Axe().run(page).response["violations"] == []
    # A link of an earlier publication, or a damaged one, says so plainly.
    page.goto(base + "team/#0123456789abcdef." + "A" * 43)
    page.wait_for_function("() => document.querySelector('.lchc-status.lchc-error')?.textContent"
                           ".includes('each publication replaces the team pages')", timeout=30_000)
    assert not page.inner_text(".lchc-report-body").strip()
    member.close()
