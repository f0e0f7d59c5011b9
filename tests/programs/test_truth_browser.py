"""What a person sees on the program pages, the upcoming page and the operations page, in
Chromium at 375 and 1280 px: labels beside their values, text at text size, results charts
redrawn for the phone with nothing covering the target, distinct state badges that pass
contrast, one zone labelling scheme, past weeks marked by the reader's clock, the reader's
cohort's calendar first; nothing wider than the screen, and axe finds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reports.layout import measure, png_width

pytestmark = pytest.mark.browser
SIZES = [(375, 812), (1280, 800)]

CONTRAST_JS = r"""
(sel) => {
  const rgb = c => c.match(/[\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  return [...document.querySelectorAll(sel)].map(el => {
    const s = getComputedStyle(el); const a = lum(s.color), b = lum(s.backgroundColor);
    return [el.className, s.backgroundColor, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}
"""


def _page(browser, width: int, height: int, clock: str | None = None):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": height}, timezone_id="Asia/Manila")
    page = context.new_page()
    if clock:
        page.clock.set_fixed_time(clock)
    return context, page


def _fits(page, what: str, shots: Path, width: int) -> list[str]:  # type: ignore[no-untyped-def]
    m = measure(page)
    problems = [f"{what}: scrolls sideways by {m['page']}px"] if m["page"] > 0 else []
    problems += [f"{what}: wider than the screen: {e}" for e in m["wide"]]
    problems += [f"{what}: chart text cut at the chart's edge: {e}" for e in m["clipped"]]
    if width == 375:
        problems += [f"{what}: chart text below 12px: {e}" for e in m["small"]]
    shot = page.screenshot(full_page=True, path=shots / f"{what.replace('/', '_')}-{width}.png")
    assert png_width(shot) == width
    return problems


@pytest.mark.parametrize("size", SIZES, ids=["phone", "desktop"])
def test_program_pages_as_a_person_sees_them(demo_site: Path, browser, serve, tmp_path: Path, size: tuple[int, int]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    width, height = size
    base = serve(demo_site)
    context, page = _page(browser, width, height, clock="2026-12-07T09:00:00Z")
    axe = Axe()
    problems: list[str] = []
    violations = {}

    # The programs index: "For" gets the card's width, not a third of it (9 lines at 1280 px).
    page.goto(base + "programs/")
    for card in page.query_selector_all(".lchc-card"):
        dd = card.eval_on_selector("dl.lchc-details", "dl => { const d = [...dl.querySelectorAll('dt')].find(t => t.textContent === 'For').nextElementSibling;"
                                   " const r = d.getBoundingClientRect(); return [r.width, dl.getBoundingClientRect().width, r.height / parseFloat(getComputedStyle(d).lineHeight)]; }")
        assert dd[0] >= 0.95 * dd[1] and dd[2] <= 5.5, dd
    problems += _fits(page, "programs", tmp_path, width)
    violations["programs"] = axe.run(page).response["violations"]

    # The design rationale at text size; the results charts: the phone's is drawn for it, the
    # target's label is clear of every point, and the axis has round steps between its ends.
    page.goto(base + "programs/sales-discovery-calls/")
    sizes = page.evaluate("[getComputedStyle(document.querySelector('.lchc-design p:not(.admonition-title)')).fontSize,"
                          " getComputedStyle(document.querySelector('.lchc-design .admonition-title')).fontSize,"
                          " getComputedStyle(document.querySelector('.lchc-summary')).fontSize]")
    assert sizes[0] == sizes[1] == sizes[2], sizes
    charts = page.evaluate(r"""() => [...document.querySelectorAll('figure.lchc-measure-figure svg')].filter(s => s.getClientRects().length).map(s => {
        const label = [...s.querySelectorAll('text')].find(t => t.textContent.startsWith('target'));
        const lb = label.getBoundingClientRect();
        const hits = [...s.querySelectorAll('circle')].map(c => c.getBoundingClientRect())
          .filter(r => r.left < lb.right && r.right > lb.left && r.top < lb.bottom && r.bottom > lb.top).length;
        const ticks = [...s.querySelectorAll('text[text-anchor=end]')].filter(t => /^[\d.,-]+$/.test(t.textContent)).length;
        return [s.classList.contains('lchc-chart-narrow'), hits, ticks];
      })""")
    assert len(charts) == 2, charts
    assert all(narrow is (width == 375) and hits == 0 and ticks >= 3 for narrow, hits, ticks in charts), charts
    problems += _fits(page, "sales", tmp_path, width)
    violations["sales"] = axe.run(page).response["violations"]

    # The reader's cohort first when the address names it; otherwise the one still open.
    page.goto(base + "programs/leadership-development/")
    first = page.eval_on_selector("[data-lchc-calendars] li", "li => [li.dataset.lchcCohort, li.querySelector('.md-button').className]")
    assert first[0] == "managers-who-received-a-report-in-the-2027-h1-cycle" and "md-button--primary" in first[1]
    assert page.inner_text("[data-lchc-next]").endswith("(your time: Tue, 13 Jul 2027, 16:00 Manila time (UTC+8))")
    problems += _fits(page, "leadership", tmp_path, width)
    violations["leadership"] = axe.run(page).response["violations"]
    page.goto(base + "programs/leadership-development/?cohort=managers-who-received-a-report-in-the-2026-h2-cycle")
    first = page.eval_on_selector("[data-lchc-calendars] li", "li => [li.dataset.lchcCohort, li.textContent]")
    assert first[0] == "managers-who-received-a-report-in-the-2026-h2-cycle" and "(over)" in first[1]

    # The upcoming page: grouped, every zone named one way, and far shorter on a phone.
    page.goto(base + "programs/upcoming/")
    text = page.inner_text("article")
    assert "GMT" not in text and "Manila time (UTC+8)" in text
    assert text.count("Your time, next date:") >= 10
    if width == 375:
        assert page.evaluate("document.documentElement.scrollHeight") < 12_000  # 21,394 px before
    problems += _fits(page, "upcoming", tmp_path, width)
    violations["upcoming"] = axe.run(page).response["violations"]

    # The review page: a badge per state, each its own colour, each readable.
    page.goto(base + "programs/review/")
    badges = page.evaluate(CONTRAST_JS, ".lchc-summary-counts .lchc-badge")
    assert len(badges) == 5 and len({bg for _, bg, _ in badges}) == 5, badges
    assert all(ratio >= 4.5 for _, _, ratio in badges), badges
    problems += _fits(page, "review", tmp_path, width)
    violations["review"] = axe.run(page).response["violations"]
    context.close()
    assert problems == []
    assert {k: [v["id"] for v in found] for k, found in violations.items()} == {k: [] for k in violations}


@pytest.mark.parametrize("size", SIZES, ids=["phone", "desktop"])
def test_operations_marks_what_is_over_by_the_readers_clock(demo_site: Path, browser, serve, tmp_path: Path, size: tuple[int, int]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    width, height = size
    context, page = _page(browser, width, height, clock="2027-01-20T12:00:00Z")
    page.goto(serve(demo_site) + "programs/operations/")
    rows = page.evaluate("""() => [...document.querySelectorAll('table.lchc-ops tbody th')].map(th =>
        [th.querySelector('time').getAttribute('datetime'), th.classList.contains('lchc-past'), th.textContent.includes('(over)')])""")
    assert rows
    for week, past, said in rows:
        assert past is said is (week < "2027-01-18"), (week, past, said)  # weeks that ended by 20 Jan 2027
    ends = page.evaluate("""() => [...document.querySelectorAll('ul.lchc-ops-list li[data-lchc-until]')].map(li =>
        [li.dataset.lchcUntil, li.classList.contains('lchc-past')])""")
    assert ends and all(past is (until < "2027-01-20T12:00:00Z") for until, past in ends), ends
    assert "by your device's clock" in page.inner_text("[data-lchc-pastnote]")
    problems = _fits(page, "operations", tmp_path, width)
    found = [v["id"] for v in Axe().run(page).response["violations"]]
    context.close()
    assert problems == [] and found == []
