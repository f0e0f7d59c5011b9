"""The team conversation kit, as Chromium prints it (page.pdf, the print stylesheet): one A4
page with the team's numbers only, no self-assessment unless the box is ticked, no number the
report itself hides, the What / So what / Now what guide and room to write; nothing stored."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.reports.test_layout_browser import WAIT, open_report, sign_in

pytestmark = pytest.mark.browser
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?%?")


def _pdf_text(pdf: bytes) -> tuple[str, int]:
    from pdfminer.high_level import extract_pages, extract_text

    return extract_text(io.BytesIO(pdf)), sum(1 for _ in extract_pages(io.BytesIO(pdf)))


def _print_kit(page, with_self: bool) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    box = page.locator("[data-lchc-kit-self]")
    if box.count():
        box.set_checked(with_self)
    else:
        assert not with_self, "no box to tick for the self-assessment"
    page.click("[data-lchc-kit-open]")
    page.wait_for_selector(".lchc-kit:not([hidden])", timeout=WAIT)
    text, pages = _pdf_text(page.pdf(format="A4", print_background=True))
    link = page.locator(".lchc-kit a.lchc-kit-url")
    if link.count():  # the team page's link, printed on lines of its own beside its QR code
        url = link.get_attribute("href")
        assert page.locator(".lchc-kit-link svg[aria-label^='QR code']").count() == 1
        lines = text.splitlines()
        kept = [line for line in lines if not (line.strip() and line.strip() in url)]
        assert "".join(line.strip() for line in lines if line not in kept) == url, "the whole link is printed"
        text = "\n".join(kept)
    page.click("[data-lchc-kit-close]")
    page.wait_for_selector(".lchc-kit[hidden]", state="attached", timeout=WAIT)
    return text, pages


def _reports(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return dict(page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => [e.textContent, e.href])"))


def test_printed_team_summary_holds_only_what_it_may(demo_site: Path, browser, serve) -> None:
    import csv

    rows = {r["team_name"]: r for r in csv.DictReader((Path(__file__).resolve().parents[1] / "expected" / "scores-2026-H2.csv").open())}
    with_self = next(n for n, r in rows.items() if r["suppressed"] == "False" and r["self_score"] and r["team_score"])
    hidden_item = next(n for n, r in rows.items() if r["suppressed"] == "False" and r["self_score"]
                       and any(r[f"q{q:02d}_status"] != "shown" for q in range(1, 13)))
    suppressed = next(n for n, r in rows.items() if r["suppressed"] == "True")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in(page, serve(demo_site), "p00024")  # the admin reads every team
    links = _reports(page)
    for team in dict.fromkeys([with_self, hidden_item, suppressed]):
        label = f"{team}, Second half 2026"
        open_report(page, links[label], label)
        shown = page.inner_text(".lchc-report-body")  # what the report shows, kit closed
        url = page.url
        plain, pages = _print_kit(page, with_self=False)
        assert pages == 1, f"{team}: the team summary prints on {pages} pages"
        assert team in plain and "What we agreed to try" in plain and "Now what?" in plain
        # The team's own page: link and QR code on the summary, except for a suppressed team.
        has_link = page.locator(".lchc-kit a.lchc-kit-url").count() == 1
        assert has_link == (rows[team]["suppressed"] == "False"), team
        assert not has_link or "Our team's own page" in plain
        assert "self" not in plain.lower(), f"{team}: self-assessment printed without being chosen"
        # Every number on paper is one the report shows (nothing hidden comes back).
        assert set(NUMBER.findall(plain)) <= set(NUMBER.findall(shown)), team
        row = rows[team]
        if row["suppressed"] == "True":
            assert fmt_number(row["team_score"]) is None and "not shown" in plain
            assert page.locator("[data-lchc-kit-self]").count() == 0  # nothing to include
            continue
        assert f"Team score: {fmt_number(row['team_score'])}" in plain
        for q in range(1, 13):
            if row[f"q{q:02d}_status"] != "shown":
                assert row[f"q{q:02d}_status"] in plain
        chosen, pages = _print_kit(page, with_self=True)
        assert pages == 1
        assert f"self score: {fmt_number(row['self_score'])}" in chosen and "Self" in chosen
        assert set(NUMBER.findall(chosen)) <= set(NUMBER.findall(shown)), team
        # Nothing about it is stored or put in the address.
        assert page.url == url
        assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
    context.close()


def fmt_number(value: str) -> str | None:
    from lchc_gen.survey import format as fmt

    return fmt.number(float(value)) if value else None


def test_open_team_summary_fits_a_phone_and_passes_axe(demo_site: Path, browser, serve) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from tests.reports.layout import measure

    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    sign_in(page, serve(demo_site), "p00007")
    label, href = next(iter(_reports(page).items()))
    open_report(page, href, label)
    page.check("[data-lchc-kit-self]")
    page.click("[data-lchc-kit-open]")
    page.wait_for_selector(".lchc-kit:not([hidden])", timeout=WAIT)
    assert page.is_hidden(".lchc-report-body h1") and page.is_visible(".lchc-kit [data-lchc-kit-self-part]")
    m = measure(page)
    assert (m["page"], m["wide"], m["cut"]) == (0, [], [])
    result = Axe().run(page).response
    assert result["passes"] and result["violations"] == []
    context.close()
