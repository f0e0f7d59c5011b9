"""lchc-access.js in headless Chromium against files made by the Python side.

Uses the `browser` and `serve` fixtures of tests/conftest.py: in CI a missing Chromium
fails these tests; elsewhere they skip, saying why.
"""

from __future__ import annotations

import base64
import json
from importlib import resources
from pathlib import Path
from typing import Any, Callable

import pytest

from lchc_gen.access import keystore as ks
from lchc_gen.access.publish import ProtectedPage, new_build_id, page_blob_path, publish

pytestmark = pytest.mark.browser

MESSAGE_BAD = "Wrong reader id or passphrase."


def flip_ciphertext_bit(blob: bytes) -> bytes:
    doc = json.loads(blob)
    raw = bytearray(base64.urlsafe_b64decode(doc["ct"] + "=" * (-len(doc["ct"]) % 4)))
    raw[len(raw) // 2] ^= 0x10
    doc["ct"] = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    return json.dumps(doc).encode()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("access-site")
    issued = ks.issue(work / "keys.json", ["alice", "bob"], work / "handout.tsv", iterations=600_000)
    build = new_build_id()
    pages = {
        "pa1": ProtectedPage(
            "pa1", "r/pa1/", "<p>Team North: 4.2 ✓</p>", "North report", frozenset({"alice"}),
            info={"cycle": 1, "kind": "team"}, owner="alice",
        ),
        "pa2": ProtectedPage("pa2", "r/pa2/", "<p>Team East</p>", "East report", frozenset({"alice"})),
        "pb1": ProtectedPage("pb1", "r/pb1/", "<p>Team South</p>", "South report", frozenset({"bob"})),
    }
    root = work / "site"
    names = {"alice": "Alice Example"}
    for f in publish(build, pages.values(), ks.load_keystore(work / "keys.json"), names=names, cycles=["Spring", "Autumn"]).files:
        target = root / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = flip_ciphertext_bit(f.data) if f.path == page_blob_path("pa2") else f.data
        target.write_bytes(data)
    script = resources.files("lchc_gen.access").joinpath("assets", "lchc-access.js").read_text("utf-8")
    (root / "lchc-access.js").write_text(script, encoding="utf-8")
    (root / "index.html").write_text(
        "<!doctype html><html><head>"
        f'<meta name="lchc-build-id" content="{build}">'
        '<meta name="lchc-access-root" content="_access/">'
        '<script src="lchc-access.js"></script></head><body></body></html>',
        encoding="utf-8",
    )
    return {"root": root, "passphrases": issued.passphrases}


@pytest.fixture(scope="module")
def url(site: dict[str, Any], serve: Callable[[Path], str]) -> str:
    return serve(site["root"]) + "index.html"


@pytest.fixture
def context(browser):  # type: ignore[no-untyped-def]
    ctx = browser.new_context()  # a fresh profile: a new browser session
    yield ctx
    ctx.close()


# Everything the site's IndexedDB holds, as text (byte arrays decoded as Latin-1), and how many
# CryptoKey objects are in it.
STORED = """() => new Promise((done) => {
  const open = indexedDB.open("lchc-access");
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.length) { db.close(); done({records: 0, cryptoKeys: 0, text: ""}); return; }
    const get = db.transaction(db.objectStoreNames[0]).objectStore(db.objectStoreNames[0]).getAll();
    get.onsuccess = () => {
      let keys = 0;
      const walk = (v) => {
        if (v instanceof CryptoKey) { keys++; return "<key>"; }
        if (ArrayBuffer.isView(v)) return String.fromCharCode(...new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
        if (v && typeof v === "object") return Object.entries(v).map(([k, x]) => k + ":" + walk(x)).join(",");
        return String(v);
      };
      const text = get.result.map(walk).join("\\n");
      db.close();
      done({records: get.result.length, cryptoKeys: keys, text});
    };
  };
})"""


CALL = """async ([method, args]) => {
  try { return {ok: await window.LchcAccess[method](...args)}; }
  catch (e) { return {code: e.code, message: e.message}; }
}"""


def call(page, method: str, *args: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return page.evaluate(CALL, [method, list(args)])


def signed_in_page(context, url: str, passphrase: str):  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(url)
    assert "ok" in call(page, "signIn", "alice", passphrase)
    return page


def test_sign_in_lists_my_reports_and_decrypts_them(context, url: str, site: dict[str, Any]) -> None:
    page = context.new_page()
    page.goto(url)
    assert call(page, "support")["ok"]["ok"] is True
    assert call(page, "session") == {"ok": None}
    typed = "  " + site["passphrases"]["alice"].upper().replace(" ", "   ") + " "
    result = call(page, "signIn", " alice ", typed)["ok"]
    assert result["readerId"] == "alice" and result["name"] == "Alice Example"
    north_info = {"cycle_order": 1, "cycle_label": "Autumn", "kind": "team", "own": True}
    assert result["reports"] == [
        {"id": "pa2", "url": "r/pa2/", "label": "East report", "info": None},
        {"id": "pa1", "url": "r/pa1/", "label": "North report", "info": north_info},
    ]
    assert call(page, "openPage", "pa1") == {"ok": "<p>Team North: 4.2 ✓</p>"}
    # The session survives a reload, and what it stores is ciphertext only: no CryptoKey,
    # no label, no reader id, never the passphrase.
    page.reload()
    again = call(page, "session")["ok"]
    assert again["readerId"] == "alice" and again["name"] == "Alice Example" and again["reports"] == result["reports"]
    assert call(page, "openPage", "pa1") == {"ok": "<p>Team North: 4.2 ✓</p>"}
    stored = page.evaluate(STORED)
    assert stored["cryptoKeys"] == 0 and stored["records"] == 1
    for secret in ("alice", "Alice Example", "North report", "East report", "Autumn", site["passphrases"]["alice"]):
        assert secret not in stored["text"]
    assert "passphrase" not in json.dumps(page.evaluate("() => ({...sessionStorage, ...localStorage})"))


def test_another_teams_report_cannot_be_opened(context, url: str, site: dict[str, Any]) -> None:
    page = signed_in_page(context, url, site["passphrases"]["alice"])
    assert call(page, "openPage", "pb1")["code"] == "not-authorised"


def test_wrong_passphrase_and_unknown_reader_get_the_same_plain_message(
    context, url: str, site: dict[str, Any]
) -> None:
    page = context.new_page()
    page.goto(url)
    wrong = call(page, "signIn", "alice", site["passphrases"]["bob"])
    unknown = call(page, "signIn", "mallory", site["passphrases"]["alice"])
    assert wrong == unknown == {"code": "bad-credentials", "message": MESSAGE_BAD}
    assert call(page, "session") == {"ok": None}


def test_a_flipped_bit_fails_with_a_clear_error(context, url: str, site: dict[str, Any]) -> None:
    page = signed_in_page(context, url, site["passphrases"]["alice"])
    result = call(page, "openPage", "pa2")
    assert result["code"] == "tampered" and "damaged or was altered" in result["message"]


def test_session_is_per_browser_session_shared_by_tabs_and_wiped_on_sign_out(
    browser, context, url: str, site: dict[str, Any]
) -> None:
    first = signed_in_page(context, url, site["passphrases"]["alice"])
    second_tab = context.new_page()
    second_tab.goto(url)
    assert call(second_tab, "session")["ok"]["readerId"] == "alice"
    other = browser.new_context()
    try:
        elsewhere = other.new_page()
        elsewhere.goto(url)
        assert call(elsewhere, "session") == {"ok": None}
    finally:
        other.close()
    call(first, "signOut")
    assert call(first, "session") == {"ok": None}
    assert call(second_tab, "openPage", "pa1")["code"] == "signed-out"


def test_outside_a_secure_context_it_says_why(context, site: dict[str, Any]) -> None:
    root: Path = site["root"]

    def from_disk(route) -> None:  # type: ignore[no-untyped-def]
        path = root / route.request.url.split("/", 3)[3]
        route.fulfill(
            body=path.read_bytes(), content_type="text/html" if path.suffix == ".html" else "text/javascript"
        )

    # Served by interception, so no name lookup and no traffic leave the browser.
    context.route("http://reports.invalid/**", from_disk)
    page = context.new_page()
    page.goto("http://reports.invalid/index.html")
    support = call(page, "support")["ok"]
    assert support["ok"] is False and "HTTPS" in support["message"]
    assert call(page, "signIn", "alice", site["passphrases"]["alice"])["code"] == "insecure-context"
