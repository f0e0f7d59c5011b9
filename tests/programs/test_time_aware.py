"""Program pages and the upcoming page hold up between rebuilds: a small script marks past
sessions and shows the next one by the reader's own clock, in the reader's zone beside the
program's. Without the script, the page shows the view of its build date."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import build_site

# Between sessions of the demo's sales program: 12, 14 and 19 October are over, 21 October is next.
NOW = "2027-10-20T12:00:00Z"


def test_build_date_view_is_the_fallback(make_site) -> None:
    site = build_site(make_site(copy_demo=True, plugin={"today": "2027-10-20"}), strict=False)
    html = (site / "programs" / "sales-discovery-calls" / "index.html").read_text()
    assert 'id="tuesday-practice-2027-10-12" data-lchc-title="Discovery practice" class="lchc-date lchc-past"' in html
    assert 'id="tuesday-practice-2027-10-26" data-lchc-title="Discovery practice" class="lchc-date"' in html
    # without a script, the next session as of the build date (the same rule as the script's)
    assert '<p class="lchc-next" data-lchc-next>Next session, as of Wed 20 Oct 2027: <a href="#thursday-unpack-2027-10-21">' in html
    assert "Sessions that ended before Wed 20 Oct 2027, the day this page was built, are marked as over." in html
    upcoming = (site / "programs" / "upcoming" / "index.html").read_text()
    assert "from Wed 20 Oct 2027 on (the day this page was built)" in upcoming
    assert "tuesday-practice-2027-10-12" not in upcoming and "tuesday-practice-2027-10-26" in upcoming


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_script_marks_past_sessions_and_shows_the_next_in_the_readers_zone(demo_site: Path, browser, serve, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base = serve(demo_site)  # built on the real date: nothing in the demo is past in its HTML
    context = browser.new_context(viewport={"width": width, "height": 900}, timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.clock.set_fixed_time(NOW)
    page.goto(base + "programs/sales-discovery-calls/")
    page.wait_for_selector("[data-lchc-next]:not([hidden])")
    nxt = page.inner_text("[data-lchc-next]")
    # one labelling scheme for the program's time and the reader's (programs/timefmt.py)
    assert nxt == "Next session: Unpacking the week's calls, Thu, 21 Oct 2027, 15:00 Berlin time (UTC+2) (your time: Thu, 21 Oct 2027, 22:00 Tokyo time (UTC+9))"
    assert page.get_attribute("[data-lchc-next] a", "href") == "#thursday-unpack-2027-10-21"
    assert page.inner_text("[data-lchc-pastnote]") == "Sessions that are over, by your device's clock, are marked as over."
    for past in ("tuesday-practice-2027-10-12", "thursday-unpack-2027-10-14", "tuesday-practice-2027-10-19"):
        assert "lchc-past" in page.get_attribute(f"#{past}", "class") and "(over)" in page.inner_text(f"#{past}")
    assert "lchc-past" not in page.get_attribute("#tuesday-practice-2027-10-26", "class")
    # the moved session's change keeps its colour (a more specific rule used to win)
    moved = page.eval_on_selector(".lchc-changes li.lchc-moved", "e => getComputedStyle(e).borderLeftColor")
    assert moved == "rgb(138, 90, 0)"
    axe = Axe()
    found = {"program": [v["id"] for v in axe.run(page).response["violations"]]}

    page.goto(base + "programs/upcoming/")
    page.wait_for_selector("[data-lchc-next]:not([hidden])")
    assert "by your device's clock" in page.inner_text("[data-lchc-asof]")
    assert not page.is_visible("#sales-discovery-calls--tuesday-practice-2027-10-12")
    assert page.is_visible("#sales-discovery-calls--tuesday-practice-2027-10-26")
    series = page.inner_text("#sales-discovery-calls--session-thursday-unpack")
    assert "Your time, next date: Thu, 21 Oct 2027, 22:00 Tokyo time (UTC+9)" in series and "GMT" not in series
    card = page.eval_on_selector("#sales-discovery-calls--tuesday-practice-2027-11-02", "e => getComputedStyle(e).borderLeftColor")
    assert card == "rgb(138, 90, 0)"  # moved
    found["upcoming"] = [v["id"] for v in axe.run(page).response["violations"]]
    if width == 375:
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    context.close()
    assert found == {"program": [], "upcoming": []}
