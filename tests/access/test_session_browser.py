"""The browser session, against pages of another path on the same origin and across a browser
restart (headless Chromium): what stays on disk cannot open a report and names nobody; a
browser that restores its last session (cookies, each tab's sessionStorage) does not restore
the sign-in; a session ends after its lifetime and without use; a page that did not sign in
learns nothing; a keyring below the KDF floor is refused."""

from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any, Callable

import pytest

from lchc_gen.access import keystore as ks
from lchc_gen.access.crypto import derive_kek, normalize_passphrase, random_salt
from lchc_gen.access.publish import ProtectedPage, new_build_id, publish
from tests.access.test_browser import STORED, call
from tests.conftest import CHROMIUM_ARGS, chromium_path

pytestmark = pytest.mark.browser

LABELS = ("North report", "East report")
WEAK_PASSPHRASE = "only one round of key derivation here"


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> dict[str, Any]:
    """One origin serving the site at /site/ and an unrelated page at /other/."""
    work = tmp_path_factory.mktemp("session-origin")
    issued = ks.issue(work / "keys.json", ["alice"], work / "handout.tsv", iterations=600_000)
    store = ks.load_keystore(work / "keys.json")
    salt = random_salt()
    weak = ks.ReaderKey(salt=salt, iterations=1, kek=derive_kek(normalize_passphrase(WEAK_PASSPHRASE), salt, 1), issued="2026-01-01T00:00:00Z")
    store = replace(store, readers={**store.readers, "weak": weak})
    build = new_build_id()
    pages = [
        ProtectedPage("pa1", "r/pa1/", "<p>Team North</p>", LABELS[0], frozenset({"alice", "weak"})),
        ProtectedPage("pa2", "r/pa2/", "<p>Team East</p>", LABELS[1], frozenset({"alice"})),
    ]
    site = work / "root" / "site"
    for f in publish(build, pages, store).files:
        (site / f.path).parent.mkdir(parents=True, exist_ok=True)
        (site / f.path).write_bytes(f.data)
    script = resources.files("lchc_gen.access").joinpath("assets", "lchc-access.js").read_text("utf-8")
    (site / "lchc-access.js").write_text(script, encoding="utf-8")
    (site / "index.html").write_text(
        "<!doctype html><html><head>"
        f'<meta name="lchc-build-id" content="{build}">'
        '<meta name="lchc-access-root" content="_access/"><meta name="lchc-site-root" content="./">'
        '<script src="lchc-access.js"></script></head><body></body></html>',
        encoding="utf-8",
    )
    other = work / "root" / "other"
    other.mkdir()
    (other / "index.html").write_text("<!doctype html><html><head></head><body></body></html>", encoding="utf-8")
    base = serve(work / "root")
    return {"site": base + "site/index.html", "other": base + "other/index.html", "build": build,
            "passphrase": issued.passphrases["alice"]}


def _assert_nothing_usable(stored: dict[str, Any], passphrase: str) -> None:
    assert stored["cryptoKeys"] == 0, "usable keys are stored"
    for secret in ("alice", *LABELS, passphrase):
        assert secret not in stored["text"], f"{secret!r} is stored in plaintext"


def test_closing_the_browser_ends_the_session_and_what_stays_on_disk_is_useless(
    browser, origin: dict[str, Any], tmp_path: Path
) -> None:
    exe = chromium_path()
    profile = tmp_path / "profile"  # the same user-data folder across a browser restart

    first = browser.browser_type.launch_persistent_context(str(profile), executable_path=exe, args=CHROMIUM_ARGS)
    page = first.new_page()
    page.goto(origin["site"])
    assert call(page, "signIn", "alice", origin["passphrase"])["ok"]["readerId"] == "alice"
    assert call(page, "openPage", "pa1") == {"ok": "<p>Team North</p>"}
    first.close()  # closing the browser without signing out

    second = browser.browser_type.launch_persistent_context(str(profile), executable_path=exe, args=CHROMIUM_ARGS)
    try:
        # Read the disk's state first from a page that does not run the site's script.
        spy = second.new_page()
        spy.goto(origin["other"])
        stored = spy.evaluate(STORED)
        assert stored["records"] == 1  # the record survived the restart ...
        _assert_nothing_usable(stored, origin["passphrase"])  # ... but holds nothing usable
        assert not any(c["name"].startswith("lchc") for c in second.cookies())

        page = second.new_page()
        page.goto(origin["site"])
        assert call(page, "session") == {"ok": None}
        assert call(page, "openPage", "pa1")["code"] == "signed-out"
        assert page.evaluate(STORED)["records"] == 0  # a visit without a session wipes it
    finally:
        second.close()


def _signed_in_then_closed(browser, origin: dict[str, Any], profile: Path) -> list[dict[str, Any]]:
    """Sign in, open a report, leave the site's page for another (so the tab holds the site's
    hand-off), close the browser. Returns the session cookie, as a restoring browser keeps it."""
    first = browser.browser_type.launch_persistent_context(str(profile), executable_path=chromium_path(), args=CHROMIUM_ARGS)
    page = first.new_page()
    page.goto(origin["site"])
    assert "ok" in call(page, "signIn", "alice", origin["passphrase"])
    assert call(page, "openPage", "pa1") == {"ok": "<p>Team North</p>"}
    page.goto(origin["other"])
    cookies = [c for c in first.cookies() if c["name"] == "lchc-session"]
    first.close()
    assert len(cookies) == 1
    return cookies


def test_a_restored_session_cookie_does_not_sign_in_a_new_tab(browser, origin: dict[str, Any], tmp_path: Path) -> None:
    """"Continue where you left off" brings the session cookie back (within its lifetime): a tab
    opened after the restart gets no session, and what was stored is wiped."""
    cookies = _signed_in_then_closed(browser, origin, tmp_path / "profile")
    second = browser.browser_type.launch_persistent_context(str(tmp_path / "profile"), executable_path=chromium_path(), args=CHROMIUM_ARGS)
    try:
        second.add_cookies(cookies)
        page = second.new_page()
        page.goto(origin["site"])
        assert call(page, "session") == {"ok": None}
        assert call(page, "openPage", "pa1")["code"] == "signed-out"
        assert page.evaluate(STORED)["records"] == 0
        assert not [c for c in second.cookies() if c["name"] == "lchc-session"]
    finally:
        second.close()


def test_a_restored_tab_with_its_session_storage_does_not_sign_in(browser, origin: dict[str, Any], tmp_path: Path) -> None:
    """A restored tab brings back its sessionStorage too, hand-off included, however quick the
    restart; it loads as a history navigation ("back_forward"), which never takes a hand-off."""
    cookies = _signed_in_then_closed(browser, origin, tmp_path / "profile")
    second = browser.browser_type.launch_persistent_context(str(tmp_path / "profile"), executable_path=chromium_path(), args=CHROMIUM_ARGS)
    try:
        second.add_cookies(cookies)
        page = second.new_page()
        # The tab's history as restored: the site's page (not run now: its first load here is a
        # stand-in, which no cache keeps), then another page, holding the tab's hand-off.
        stand_in = {"left": 1}

        def once(route) -> None:  # type: ignore[no-untyped-def]
            if stand_in["left"]:
                stand_in["left"] -= 1
                route.fulfill(body="<!doctype html><title>restored</title>", content_type="text/html", headers={"Cache-Control": "no-store"})
            else:
                route.continue_()

        page.route(origin["site"], once)
        page.goto(origin["site"])
        page.goto(origin["other"])
        page.evaluate("sessionStorage.setItem('lchc-handoff:/site/', JSON.stringify({at: Date.now()}))")
        page.go_back()
        page.wait_for_function("() => window.LchcAccess !== undefined")
        assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "back_forward"
        assert call(page, "session") == {"ok": None}
        assert page.evaluate(STORED)["records"] == 0
    finally:
        second.close()


def test_within_one_browser_run_reloads_new_addresses_and_new_tabs_keep_the_session(browser, origin: dict[str, Any]) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(origin["site"])
        assert "ok" in call(page, "signIn", "alice", origin["passphrase"])
        page.reload()  # the same tab's hand-off
        assert call(page, "session")["ok"]["readerId"] == "alice"
        page.goto(origin["other"])
        page.goto(origin["site"])  # away and back in the same tab, a moment later
        assert call(page, "session")["ok"]["readerId"] == "alice"
        tab = context.new_page()  # a live tab answers for it
        tab.goto(origin["site"])
        assert call(tab, "openPage", "pa2") == {"ok": "<p>Team East</p>"}
    finally:
        context.close()


ENDED = """() => { window.reasons = []; LchcAccess.onChange((r) => window.reasons.push(r)); }"""


def test_a_session_ends_after_30_minutes_without_use_and_8_hours_after_sign_in(browser, origin: dict[str, Any]) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.clock.install()
        page.goto(origin["site"])
        page.evaluate(ENDED)
        assert "ok" in call(page, "signIn", "alice", origin["passphrase"])
        # Used every 25 minutes, it lasts; it ends at 8 hours after sign-in, whatever the use.
        for step in range(1, 21):
            page.clock.fast_forward("25:00")
            alive = call(page, "session")["ok"] is not None
            assert alive == (step * 25 < 8 * 60), step
        assert page.evaluate("window.reasons") == ["ended"]
        assert page.evaluate(STORED)["records"] == 0 and "lchc-session" not in page.evaluate("document.cookie")

        # Unused for 31 minutes, with a report open and nobody touching it: it ends by itself.
        assert "ok" in call(page, "signIn", "alice", origin["passphrase"])
        page.clock.fast_forward("29:00")
        assert page.evaluate("window.reasons") == ["ended"]
        page.clock.fast_forward("03:00")
        page.wait_for_function("() => window.reasons.length === 2")
        assert page.evaluate("window.reasons") == ["ended", "ended"]
        assert call(page, "openPage", "pa1")["code"] == "signed-out"
        assert "30 minutes without use" in page.evaluate("LchcAccess.message('ended')")
    finally:
        context.close()


LISTEN = """() => {
  window.heard = [];
  const ch = new BroadcastChannel("lchc-access");
  ch.onmessage = (e) => window.heard.push(JSON.stringify(e.data));
  // Ask the way the site's tabs once asked each other for the session.
  for (const ask of ["token?", {type: "token?"}, "session?", "keys?"]) ch.postMessage(ask);
}"""


def test_a_page_of_the_same_origin_that_did_not_sign_in_gets_nothing(browser, origin: dict[str, Any]) -> None:
    context = browser.new_context()
    try:
        site = context.new_page()
        site.goto(origin["site"])
        assert "ok" in call(site, "signIn", "alice", origin["passphrase"])
        # The session's secret: a cookie for this browser session only, for the site's path only.
        (cookie,) = context.cookies()
        assert (cookie["name"], cookie["path"], cookie["sameSite"], cookie["expires"]) == ("lchc-session", "/site/", "Strict", -1)

        spy = context.new_page()
        spy.goto(origin["other"])
        spy.evaluate(LISTEN)
        # The site at work meanwhile: a reload, a report opened, a second tab of the site.
        site.reload()
        assert call(site, "openPage", "pa2") == {"ok": "<p>Team East</p>"}
        tab = context.new_page()
        tab.goto(origin["site"])
        assert call(tab, "session")["ok"]["readerId"] == "alice"
        spy.wait_for_timeout(500)
        # What it heard: the new tab asking whether a tab of the session is alive, with a random
        # challenge, and the answer, an HMAC of it: nothing of the session, which it cannot answer.
        heard = [json.loads(h) for h in spy.evaluate("window.heard")]
        assert [h["t"] for h in heard] == ["alive?", "alive"]
        assert set(heard[0]) == {"t", "n"} and set(heard[1]) == {"t", "n", "m"}
        secret = next(c["value"] for c in context.cookies() if c["name"] == "lchc-session")
        for text in ("alice", *LABELS, origin["passphrase"], secret):
            assert text not in json.dumps(heard)
        assert "lchc" not in spy.evaluate("document.cookie")
        _assert_nothing_usable(spy.evaluate(STORED), origin["passphrase"])

        # The site's own script, run by that page against the site's files: still nothing.
        spy.add_script_tag(url="/site/lchc-access.js")
        spy.evaluate("b => LchcAccess.configure({buildId: b, root: '/site/_access/', siteRoot: '/site/'})", origin["build"])
        assert call(spy, "session") == {"ok": None}
        assert call(spy, "openPage", "pa1")["code"] == "signed-out"
    finally:
        context.close()


def test_a_keyring_below_the_kdf_floor_is_refused(browser, origin: dict[str, Any]) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(origin["site"])
        result = call(page, "signIn", "weak", WEAK_PASSPHRASE)
        assert result["code"] == "weak-key"
        assert "600,000" in result["message"] and "re-issue" in result["message"]
        assert call(page, "session") == {"ok": None}
    finally:
        context.close()
