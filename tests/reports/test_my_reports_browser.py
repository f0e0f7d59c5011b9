"""An admin's "My reports" (in the demo, 48 team reports, 2 overviews, learner comments and the
admin view) in Chromium: the programs first, then each cycle with its overview first; cycles fold;
a labelled filter box finds a team by any part of its name, on a phone as on a desktop. A reader
id is taken in any case. Screenshots of the report states at 375 and 1280 px go to a folder for
a person to look at, and axe-core finds nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lchc_gen.access.demo import demo_passphrase
from tests.conftest import DEMO_READERS
from tests.reports.layout import measure
from tests.reports.test_layout_browser import WAIT, open_report, sign_in

pytestmark = pytest.mark.browser
ADMIN = DEMO_READERS[-1]


def _sections(page) -> list[tuple[str, str, list[str]]]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        """() => [...document.querySelectorAll('.lchc-report-list section')].map(s => [
             s.querySelector('h2 .lchc-group-name').textContent,
             s.querySelector('h2 button').getAttribute('aria-expanded'),
             [...s.querySelectorAll('h3')].map(h => h.textContent)])"""
    )


@pytest.mark.parametrize("size", [(375, 812), (1280, 800)], ids=["phone", "desktop"])
def test_an_admin_finds_a_report_by_cycle_and_by_filter(demo_site: Path, browser, serve, size: tuple[int, int]) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    sign_in(page, serve(demo_site), ADMIN)
    sections = _sections(page)
    assert sections[0] == ["Programs", "true", ["Learner comments", "L&D admin view"]]
    assert sections[1] == ["Second half 2026", "true", ["Organisation overview", "Departments", "Teams you read for"]]
    assert sections[2][0:2] == ["First half 2026", "false"]  # folded: the admin has 50 and more
    assert page.is_hidden("#lchc-cycle-0 li") if page.locator("#lchc-cycle-0").count() else True
    # Unfold by the heading's button, as a keyboard user would.
    page.locator(".lchc-report-list section").nth(2).locator("h2 button").focus()
    page.keyboard.press("Enter")
    assert _sections(page)[2][1] == "true"
    # The filter: labelled, 16 px or more on a phone (no zoom), and it finds a team in both cycles.
    box = page.locator("#lchc-report-filter")
    assert box.is_visible() and page.locator("label[for=lchc-report-filter]").is_visible()
    assert float(page.evaluate("() => getComputedStyle(document.querySelector('#lchc-report-filter')).fontSize")[:-2]) >= 16
    box.fill("hollow teapot")
    shown = page.eval_on_selector_all(".lchc-report-list li:not([hidden])", "els => els.filter(e => e.offsetParent).map(e => e.textContent)")
    assert shown == ["Hollow Teapot Crew, Second half 2026", "Hollow Teapot Crew, First half 2026"]
    assert page.inner_text("#lchc-filter-count") == f"2 of {page.locator('.lchc-report-list li').count()} reports match."
    box.fill("second half overview")
    shown = page.eval_on_selector_all(".lchc-report-list li:not([hidden])", "els => els.filter(e => e.offsetParent).map(e => e.textContent)")
    assert shown == ["Organisation overview, Second half 2026"]
    box.fill("no such team")
    assert page.inner_text("#lchc-filter-count") == "No report matches."
    assert measure(page)["page"] <= 0
    context.close()


def test_a_manager_with_few_reports_gets_no_filter_and_a_reader_id_in_capitals_signs_in(demo_site: Path, browser, serve) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(serve(demo_site) + "reports/")
    page.wait_for_selector(".lchc-signin:not([hidden])", timeout=WAIT)
    page.fill("#lchc-reader", DEMO_READERS[0].upper())  # "P00007"
    page.fill("#lchc-passphrase", demo_passphrase(DEMO_READERS[0]))
    page.click(".lchc-signin button[type=submit]")
    page.wait_for_selector(".lchc-report-list li", timeout=WAIT)
    assert page.is_hidden(".lchc-report-filter")
    assert all(expanded == "true" for _, expanded, _ in _sections(page))
    context.close()


def test_a_report_shows_the_reflection_as_the_readers_clock_has_it(demo_site: Path, browser, serve) -> None:
    """The 2026-H2 session (13 Oct 2026) in the Second half 2026 report: before it, the report
    says to bring the questions; after it, that it took place, whatever day the site was built."""
    base = serve(demo_site)
    seen = {}
    for day, iso in (("before", "2026-10-01T08:00:00Z"), ("after", "2026-12-07T08:00:00Z")):
        context = browser.new_context()
        page = context.new_page()
        page.clock.install(time=iso)
        sign_in(page, base, DEMO_READERS[0])
        href, label = next((h, l) for h, l in page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => [e.href, e.textContent])") if "Second half 2026" in l)
        open_report(page, href, label)
        seen[day] = (page.is_visible('[data-field="reflection-next"]'), page.is_visible('[data-field="reflection-over"]'))
        context.close()
    assert seen == {"before": (True, False), "after": (False, True)}


def test_screenshots_of_every_report_state_for_a_person_to_look_at(demo_site: Path, browser, serve, tmp_path: Path) -> None:
    """A report, a suppressed report, the team summary and My reports at 375 and 1280 px: each
    fits the screen and passes axe; the images go to LCHC_SHOTS (or tmp) to be looked at."""
    from axe_playwright_python.sync_playwright import Axe

    shots = Path(os.environ.get("LCHC_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    base, axe, problems = serve(demo_site), Axe(), {}
    for width, height in ((375, 812), (1280, 800)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        sign_in(page, base, ADMIN)
        states = [("my-reports", None)]
        links = page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => [e.href, e.textContent])")
        states += [("report", next(x for x in links if x[1].startswith("Hollow Teapot Crew, Second")))]
        states += [("suppressed", None), ("team-summary", None)]
        for name, link in states:
            if name == "report":
                open_report(page, *link)
            elif name == "suppressed":
                for href, label in links:
                    if "overview" in label.lower() or not label.endswith("2026") or label.startswith(("Learner", "L&D")):
                        continue
                    open_report(page, href, label)
                    if page.locator("#suppressed").count():
                        break
                assert page.locator("#suppressed").count(), "the demo has a suppressed report"
            elif name == "team-summary":
                page.click("[data-lchc-kit-open]")
                page.wait_for_selector(".lchc-kit:not([hidden])", timeout=WAIT)
            page.screenshot(full_page=True, path=shots / f"{name}-{width}.png")
            m = measure(page)
            if m["page"] > 0 or m["wide"] or m["cut"]:
                problems[f"{name} {width}"] = m
            found = axe.run(page).response["violations"]
            if found:
                problems[f"{name} {width} axe"] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]
        context.close()
    assert problems == {}
