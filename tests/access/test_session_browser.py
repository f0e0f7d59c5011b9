"""The browser session, against pages of another path on the same origin and across a browser
restart (headless Chromium): what stays on disk cannot open a report and names nobody; a page
that did not sign in learns nothing; a keyring below the KDF floor is refused."""

from __future__ import annotations

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
        assert spy.evaluate("window.heard") == []
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
