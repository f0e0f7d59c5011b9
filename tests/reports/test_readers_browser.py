"""What each demo reader sees after signing in, in Chromium: their name (from the encrypted
keyring), "My reports" grouped by cycle (latest first) with their own team first, then the
teams they read for, then the overview; a report that says "you" only to its own manager; a
tab title that names the open report; and, opened from disk, a page that says what to do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from tests.reports.test_layout_browser import WAIT, open_report, sign_in

pytestmark = pytest.mark.browser

ORG = yaml.safe_load((REPO / "survey" / "org.yml").read_text())
NAMES = {p["id"]: p["name"] for p in ORG["people"]}
QUESTIONS = [q["text"] for q in yaml.safe_load((REPO / "survey" / "lchc.yml").read_text())["questions"]]
# Words addressed to the reader. Question texts are the team members' wording ("How often does
# your manager give you ..."), addressed to the members, so they are taken out first.
ADDRESSED = re.compile(r"\b(?:you|your|yourself|yours)\b", re.I)


def _groups(page) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    groups = page.evaluate(
        """() => [...document.querySelectorAll('.lchc-report-list section')].map(s =>
             [s.querySelector('h2 .lchc-group-name').textContent, [...s.querySelectorAll('h3')].map(h => h.textContent)])"""
    )
    return [(cycle, names) for cycle, names in groups]


def _visible_text(page) -> str:  # type: ignore[no-untyped-def]
    text = page.inner_text(".lchc-report-body")
    for question in QUESTIONS:
        text = text.replace(question, "")
    return text


def test_department_head_sees_their_name_groups_and_the_right_voice(demo_site: Path, browser, serve) -> None:
    reader = "p00001"  # manages Copper Teapot Department; reads for the crews under it
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, serve(demo_site), reader)
    assert page.inner_text(".lchc-who") == f"Signed in as {NAMES[reader]} ({reader})."
    assert page.is_hidden(".lchc-signin-hint") and page.is_hidden(".lchc-signin")
    assert _groups(page)[:2] == [  # then the pages of no cycle (the managers not reached yet)
        ("Second half 2026", ["Your team", "Your department", "Teams you read for"]),
        ("First half 2026", ["Your team", "Your department", "Teams you read for"]),
    ]
    first = page.locator(".lchc-report-list section").first
    own_label = first.locator("ul").first.inner_text()
    assert own_label == "Copper Teapot Department, Second half 2026"
    assert first.locator("ul").nth(1).inner_text() == "Copper Teapot Department (department view), Second half 2026"
    crews = first.locator("ul").nth(2).locator("a").all_inner_texts()
    assert crews == sorted(crews) and len(crews) == 7
    title = page.title()

    links = page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => [e.href, e.textContent])")
    for href, label in links:
        open_report(page, href, label)
        assert page.title().startswith(label + " - ")
        # Focus moves to the title for screen readers, without a box drawn around it.
        focus = page.evaluate("() => { const e = document.activeElement; return [e.tagName, getComputedStyle(e).outlineStyle]; }")
        assert focus == ["H1", "none"]
        text = _visible_text(page)
        if "(department view)" in label:  # about the department, by name: no one is "you" there
            assert not ADDRESSED.search(text) and f"{NAMES[reader]}'s department" in text
            continue
        manager_name = NAMES[next(t["manager"] for t in ORG["teams"] if label.startswith(t["name"] + ","))]
        if label.startswith("Copper Teapot Department"):
            assert ADDRESSED.search(text), f"{label}: the manager's own report does not address them"
            assert "Your reflection" in text
        else:
            found = [text[max(0, m.start() - 40):m.end() + 20] for m in ADDRESSED.finditer(text)]
            assert found == [], f"{label}: addresses the department head as 'you': {found}"
            assert f"{manager_name}'s reflection" in text
        # Only the reader's voice is left in the page, not merely hidden.
        assert page.locator(".lchc-report-body [data-lchc-voice]").count() == 0
    page.click(".lchc-back a")
    page.wait_for_selector(".lchc-report-list li", timeout=WAIT)
    assert page.title() == title
    context.close()


def test_crew_manager_is_addressed_as_you_and_admin_sees_programs_and_overviews_first(demo_site: Path, browser, serve) -> None:
    base = serve(demo_site)
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, base, "p00007")
    assert _groups(page) == [("Second half 2026", ["Your team"]), ("First half 2026", ["Your team"])]
    href, label = page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => [e.href, e.textContent])")[0]
    open_report(page, href, label)
    text = _visible_text(page)
    assert "On average your team says" in text and NAMES["p00007"] + "'s reflection" not in text
    page.click(".lchc-signout")
    page.wait_for_selector(".lchc-signin:not([hidden])", timeout=WAIT)
    assert page.is_visible(".lchc-signin-hint")

    sign_in(page, base, "p00024")
    groups = _groups(page)
    # An admin's programs first (they belong to no cycle), then the cycles, latest first, each
    # opening with its overview.
    assert [g[0] for g in groups] == ["Programs", "Second half 2026", "First half 2026"]
    assert groups[0][1] == ["Learner comments", "L&D admin view"]
    assert all(g[1][0] == "Organisation overview" for g in groups[1:])
    assert page.locator(".lchc-report-list section").nth(1).locator("li").first.inner_text() == "Organisation overview, Second half 2026"
    context.close()


def test_opened_from_disk_it_says_what_to_do(demo_site: Path, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto((demo_site / "reports" / "index.html").as_uri())
    page.wait_for_function("() => document.querySelector('.lchc-status').textContent.length > 0", timeout=WAIT)
    status = page.inner_text(".lchc-status")
    assert "opened from a file" in status and "http.server" in status and "published address" in status
    assert page.is_visible(".lchc-status") and page.is_hidden(".lchc-signin")
    context.close()
