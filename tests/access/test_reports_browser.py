"""Readers in a real browser (headless Chromium): sign in once, read exactly their reports,
with the numbers `lchc-gen scores` exports, move between them in the one "My reports" page
(reports/#<id>) with links and the back button, and lock them again by signing out."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest
import yaml

from lchc_gen.access.keystore import load_keystore
from lchc_gen.cli import main
from lchc_gen.survey import format as fmt
from tests.access.conftest import build_id, opaque
from tests.conftest import CHROMIUM_ARGS, build_site, chromium_path, serve_at_localhost, strengthen

pytestmark = pytest.mark.browser
WAIT = 30_000  # ms; a sign-in runs the full KDF (under a second), this covers a slow machine


@pytest.fixture
def world(protected_site, serve, monkeypatch, capsys):
    """A protected site, served, with the people and numbers the tests need."""
    root, keystore_path, passphrases = protected_site()
    monkeypatch.chdir(root)
    assert main(["scores", "--cycle", "2026-H2", "--format", "csv"]) == 0
    rows = {r["team"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    org = yaml.safe_load((root / "survey" / "org.yml").read_text())
    teams = {t["id"]: t for t in org["teams"]}
    # A front-line team with numbers shown, its parent, and a sibling with another manager.
    team = next(t for t in teams.values() if t.get("parent") and teams[t["parent"]].get("parent") and rows[t["id"]]["suppressed"] == "False")
    parent = teams[team["parent"]]
    other = next(t for t in teams.values() if t["manager"] not in (team["manager"], parent["manager"]) and t["id"] != parent["id"] and t.get("parent") != team["id"])
    # Those who sign in get keys at the full KDF cost: the browser refuses cheaper ones.
    strengthen(keystore_path, {rid: passphrases[rid] for rid in (team["manager"], parent["manager"], org["admins"][0])})
    site = build_site(root, strict=False)
    key = load_keystore(keystore_path).id_key
    url = lambda name: f"{base}reports/#{opaque(key, build_id(site), name)}"  # noqa: E731
    base = serve(site)
    return {
        "site": site,
        "base": base,
        "pw": passphrases,
        "manager": team["manager"],
        "boss": parent["manager"],
        "admin": org["admins"][0],
        "row": rows[team["id"]],
        "own": url(f"2026-H2/{team['id']}"),
        "own_h1": url(f"2026-H1/{team['id']}"),
        "parent": url(f"2026-H2/{parent['id']}"),
        "other": url(f"2026-H2/{other['id']}"),
        "overview": url("2026-H2/overview"),
    }


def _sign_in(page, w, reader: str, passphrase: str | None = None) -> None:
    page.fill("#lchc-reader", reader)
    page.fill("#lchc-passphrase", passphrase if passphrase is not None else w["pw"][reader])
    page.click(".lchc-signin button[type=submit]")


def _signed_out_page(browser, url: str):
    """A new browser session (so nobody is signed in) on a page showing the sign-in form."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(".lchc-signin:not([hidden])", timeout=WAIT)
    return context, page


def _signed_in_list(browser, w, reader: str):
    """A new browser session, signed in as `reader` on "My reports", their list shown."""
    context, page = _signed_out_page(browser, w["base"] + "reports/")
    _sign_in(page, w, reader)
    page.wait_for_selector(".lchc-report-list li", timeout=WAIT)
    return context, page


def _status_says(page, text: str) -> None:
    page.wait_for_function("t => document.querySelector('.lchc-status').textContent.includes(t)", arg=text, timeout=WAIT)


def _opened(page) -> None:
    page.wait_for_selector(".lchc-report-body h1", timeout=WAIT)


def test_manager_reads_own_numbers_moves_on_without_signing_in_again_and_signs_out(browser, world) -> None:
    w = world
    context, page = _signed_out_page(browser, w["own"])
    _sign_in(page, w, w["manager"])
    _opened(page)
    row = w["row"]
    assert page.inner_text("[data-field=team_score]").startswith(fmt.number(float(row["team_score"])))
    expected_sa = fmt.signed(float(row["self_awareness"])) if row["self_awareness"] else "not available"
    assert page.inner_text("[data-field=self_awareness]") == expected_sa
    assert page.inner_text("[data-field=participation]") == fmt.participation(int(row["members"]), int(row["invited"]))
    assert page.is_visible(".lchc-report-body svg.lchc-chart")  # decrypted charts render

    # Another report of theirs: no second sign-in.
    page.goto(w["own_h1"])
    _opened(page)
    assert page.is_hidden(".lchc-signin")

    # Someone else's team: a plain refusal, no content.
    page.goto(w["other"])
    _status_says(page, "not one of the readers")
    assert page.inner_text(".lchc-report-body") == ""

    # Sign out locks every report again.
    page.goto(w["own"])
    _opened(page)
    page.click(".lchc-signout")
    page.wait_for_selector(".lchc-signin:not([hidden])", timeout=WAIT)
    assert page.inner_text(".lchc-report-body") == ""
    page.reload()
    page.wait_for_selector(".lchc-signin:not([hidden])", timeout=WAIT)
    assert page.inner_text(".lchc-report-body") == ""
    context.close()


def test_wrong_passphrase_says_so(browser, world) -> None:
    context, page = _signed_out_page(browser, world["base"] + "reports/")
    _sign_in(page, world, world["manager"], "not the right words at all")
    _status_says(page, "Wrong reader id or passphrase")
    assert page.is_visible(".lchc-signin")
    context.close()


def test_managers_manager_opens_both_and_lists_them(browser, world) -> None:
    w = world
    context, page = _signed_in_list(browser, w, w["boss"])
    links = set(page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => e.href)"))
    assert {w["own"], w["parent"]} <= links and w["overview"] not in links
    page.click(f'.lchc-report-list a[href="{w["own"]}"]')
    _opened(page)
    assert page.url == w["own"] and page.is_hidden(".lchc-report-list li")
    page.go_back()  # the list again, no report left on the page
    page.wait_for_selector(".lchc-report-list li", timeout=WAIT)
    assert page.inner_text(".lchc-report-body") == ""
    page.goto(w["parent"])
    _opened(page)
    page.click(".lchc-back a")
    page.wait_for_selector(".lchc-report-list li", timeout=WAIT)
    context.close()


def test_from_another_page_through_instant_navigation(browser, world) -> None:
    w = world
    context = browser.new_context()
    base = serve_at_localhost(context, w["site"])  # a default port, where instant navigation works
    page = context.new_page()
    page.goto(base + "reports/")
    _sign_in(page, w, w["manager"])
    page.wait_for_selector(".lchc-report-list li", timeout=WAIT)
    page.goto(base)  # the home page, then a link to a report, as a bookmark would be
    report = w["own"].replace(w["base"], base)
    page.evaluate("url => { const a = document.createElement('a'); a.href = url; a.id = 'to-report';"
                  " a.textContent = 'report'; document.querySelector('article').append(a); window.samePage = true; }", report)
    page.click("#to-report")  # Material's instant navigation fetches reports/ and shows it
    _opened(page)
    assert page.inner_text("[data-field=participation]")
    assert page.evaluate("window.samePage") is True  # no page load: it was instant navigation
    context.close()


def test_admin_opens_the_overview(browser, world) -> None:
    w = world
    context, page = _signed_out_page(browser, w["overview"])
    _sign_in(page, w, w["admin"])
    _opened(page)
    assert page.inner_text(".lchc-report-body h1").startswith("Organisation overview")
    # The overview's links open team reports in place, and back returns to the overview.
    link = ".lchc-report-body table.lchc-items tbody a >> nth=3"
    team = page.inner_text(link)
    page.click(link)
    page.wait_for_function("t => document.querySelector('.lchc-report-body h1')?.textContent.startsWith(t + ':') === true",
                           arg=team, timeout=WAIT)
    assert page.is_visible("[data-field=participation]")
    page.go_back()
    page.wait_for_function("() => document.querySelector('.lchc-report-body h1')?.textContent.startsWith('Organisation') === true", timeout=WAIT)
    assert page.url == w["overview"]
    context.close()



def test_signing_out_in_one_tab_locks_the_others(browser, world) -> None:
    w = world
    context, first = _signed_out_page(browser, w["own"])
    _sign_in(first, w, w["manager"])
    _opened(first)
    reading = context.new_page()  # other tabs need no sign-in: one shows a report, one the list
    reading.goto(w["own_h1"])
    _opened(reading)
    listing = context.new_page()
    listing.goto(w["base"] + "reports/")
    listing.wait_for_selector(".lchc-report-list li", timeout=WAIT)
    # The tab showing a report is titled with its name; the list's tab with the page's own title.
    page_title = listing.title()
    assert page_title.startswith("My reports") and reading.title() != page_title

    first.click(".lchc-signout")
    for tab in (reading, listing):
        tab.wait_for_selector(".lchc-signin:not([hidden])", timeout=WAIT)
        assert tab.inner_text(".lchc-report-body") == ""
        assert tab.locator(".lchc-report-list li").count() == 0
        assert tab.is_hidden(".lchc-signed-in")
        assert tab.title() == page_title  # no report's name stays in any tab
    assert first.title() == page_title
    _status_says(listing, "Signed out")
    context.close()


def test_a_session_that_ran_out_locks_the_open_report_and_says_why(browser, world) -> None:
    w = world
    context = browser.new_context()
    page = context.new_page()
    page.clock.install()
    page.goto(w["own"])
    page.wait_for_selector(".lchc-signin:not([hidden])", timeout=WAIT)
    page_title = page.title()
    _sign_in(page, w, w["manager"])
    _opened(page)
    assert page.title() != page_title
    page.clock.fast_forward("32:00")  # nobody used it for more than 30 minutes
    page.wait_for_selector(".lchc-signin:not([hidden])", timeout=WAIT)
    _status_says(page, "Your sign-in has ended")
    assert page.inner_text(".lchc-report-body") == "" and page.title() == page_title
    context.close()


def test_the_browsers_history_keeps_no_report_name(browser, world, tmp_path) -> None:
    """The tab is titled with the open report, but its history entry keeps the page's own title:
    the title goes back before the reader leaves a report, by a link or for another page."""
    w = world
    profile = tmp_path / "profile"  # a profile of its own, whose history database we can read
    context = browser.browser_type.launch_persistent_context(str(profile), executable_path=chromium_path(), args=CHROMIUM_ARGS)
    base = serve_at_localhost(context, w["site"])  # on a default port, where instant navigation works
    page = context.new_page()
    page.goto(w["own"].replace(w["base"], base))
    page.wait_for_selector(".lchc-signin:not([hidden])", timeout=WAIT)
    _sign_in(page, w, w["manager"])
    _opened(page)
    titled = page.title()
    page.click(".lchc-back a")  # to the list, by the page's own link
    page.wait_for_selector(".lchc-report-list li", timeout=WAIT)
    labels = page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => e.textContent)")
    assert labels and titled.startswith(tuple(labels))
    page.click(".lchc-report-list a >> nth=-1")
    _opened(page)
    page.go_back()  # by the browser's button, to the list: the last this report's entry saw
    page.wait_for_selector(".lchc-report-list li", timeout=WAIT)
    page.click(".lchc-report-list a >> nth=0")
    _opened(page)
    page.evaluate("window.__samePage = true")
    page.click("a.md-header__button.md-logo")  # home, by instant navigation
    page.wait_for_url(base, timeout=WAIT)
    assert page.evaluate("window.__samePage") is True
    page.goto(w["own"].replace(w["base"], base))  # a report again, in a new page load
    _opened(page)
    page.wait_for_timeout(500)
    page.goto(base + "404.html")  # another page, with a report open
    page.wait_for_timeout(500)
    context.close()
    with sqlite3.connect(profile / "Default" / "History") as db:
        titles = [t for (t,) in db.execute("select title from urls")]
    assert len(titles) >= 3 and any(t.startswith("My reports") for t in titles)
    assert not [t for t in titles if any(label in t for label in labels)], titles
