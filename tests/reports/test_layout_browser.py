"""Every report and the overview fit a phone (375 x 812) and a desktop (1280 x 800) screen, as
each demo reader sees them after signing in: nothing wider than the viewport, no box cut off or
scrolling sideways, no chart text past its chart's edge, every chart text at 12 CSS px or more
on the phone, and axe-core finds nothing. Printing hides the site's chrome and prints the wide
charts."""

from __future__ import annotations

from pathlib import Path

import pytest

from lchc_gen.access.demo import demo_passphrase
from tests.conftest import DEMO_READERS
from tests.reports.layout import measure, png_width

pytestmark = pytest.mark.browser
WAIT = 30_000
ADMIN = DEMO_READERS[-1]


def sign_in(page, base: str, reader: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "reports/")
    page.wait_for_selector(".lchc-signin:not([hidden])", timeout=WAIT)
    page.fill("#lchc-reader", reader)
    page.fill("#lchc-passphrase", demo_passphrase(reader))
    page.click(".lchc-signin button[type=submit]")
    page.wait_for_selector(".lchc-report-list li", timeout=WAIT)
    page.mouse.move(0, 0)  # not left hovering over a link where the button was (hover colours are the theme's)


def open_report(page, href: str, label: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(href)
    name = label.rsplit(",", 1)[0]
    # A team report's title holds the team's name; the admin view's title starts its label.
    page.wait_for_function(
        "([n, label]) => { const h = document.querySelector('.lchc-report-body h1')?.textContent;"
        " return !!h && (h.includes(n) || label.startsWith(h)); }",
        arg=[name.removeprefix("Organisation overview").strip() or "Organisation overview", label], timeout=WAIT)


def _fits(page, what: str, width: int, shots: Path | None) -> list[str]:  # type: ignore[no-untyped-def]
    m = measure(page)
    problems = []
    if m["page"] > 0:
        problems.append(f"{what}: the page scrolls sideways by {m['page']}px")
    problems += [f"{what}: wider than the screen: {e}" for e in m["wide"]]
    problems += [f"{what}: cut off: {e}" for e in m["cut"]]
    problems += [f"{what}: chart text cut at the chart's edge: {e}" for e in m["clipped"]]
    if width == 375:
        problems += [f"{what}: chart text below 12px: {e}" for e in m["small"]]
    if shots is None:
        return problems
    shot = page.screenshot(full_page=True, path=shots / f"{len(list(shots.iterdir())):03d}.png")
    if png_width(shot) != width:
        problems.append(f"{what}: the full-page screenshot is {png_width(shot)}px wide")
    return problems


@pytest.mark.parametrize("reader", DEMO_READERS)
@pytest.mark.parametrize("size", [(375, 812), (1280, 800)], ids=["phone", "desktop"])
def test_every_report_fits_the_screen(demo_site: Path, browser, serve, tmp_path: Path, reader: str, size: tuple[int, int]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    sign_in(page, serve(demo_site), reader)
    axe = Axe()
    problems = _fits(page, "My reports", width, tmp_path)
    violations = {"My reports": axe.run(page).response["violations"]}
    links = page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => [e.href, e.textContent])")
    assert links
    charts = 0
    for k, (href, label) in enumerate(links):
        open_report(page, href, label)
        # Every report is measured; every report of a manager, and the admin's overviews and
        # first two reports, are also screenshot and run through axe (the admin's other team
        # reports are the same markup as the managers'), which keeps the admin's 50 quick.
        sample = reader != ADMIN or k < 2 or label.startswith("Organisation overview")
        problems += _fits(page, label, width, tmp_path if sample else None)
        charts += measure(page)["chartTexts"]
        if sample:
            result = axe.run(page).response
            assert result["passes"], "axe ran no rule: the check itself is broken"
            violations[label] = result["violations"]
    context.close()
    assert charts > 0, "no chart text was measured: the check itself is broken"
    assert problems == []
    assert {k: [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in vs] for k, vs in violations.items()} == {k: [] for k in violations}


def test_a_report_prints_without_the_sites_chrome(demo_site: Path, browser, serve) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    sign_in(page, serve(demo_site), DEMO_READERS[0])
    href, label = page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => [e.href, e.textContent])")[-1]
    open_report(page, href, label)
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".lchc-signed-in", ".lchc-back"):
        assert page.locator(chrome).first.is_hidden(), chrome
    assert page.locator("svg.lchc-chart-wide").first.is_visible()  # printed charts are the wide ones
    assert page.locator("svg.lchc-chart-narrow").first.is_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000
    context.close()
