"""In Chromium: a program owner opens their program's learner comments in "My reports"; another
manager does not see them and is refused at their address; axe finds nothing on the comments,
the admin view and the public program page's new parts, at 1280 and 375 px."""

from __future__ import annotations

import pytest

from lchc_gen.access.keystore import load_keystore
from tests.access.conftest import build_id, opaque
from tests.conftest import build_site, strengthen

pytestmark = pytest.mark.browser
WAIT = 30_000


@pytest.fixture
def world(feedback_protected, serve):
    w = feedback_protected(canary=False)
    admin = sorted(w["admins"])[0]
    strengthen(w["keystore"], {rid: w["pw"][rid] for rid in (w["owner"], w["other"], admin)})
    site = build_site(w["root"], strict=False)
    key = load_keystore(w["keystore"]).id_key
    base = serve(site)
    url = lambda name: f"{base}reports/#{opaque(key, build_id(site), name)}"  # noqa: E731
    return {**w, "base": base, "admin": admin,
            "comments": url("feedback/sales-discovery-calls/comments"), "admin_view": url("feedback/admin")}


def _page(browser, url: str, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(".lchc-signin:not([hidden])", timeout=WAIT)
    return context, page


def _sign_in(page, reader: str, passphrase: str) -> None:
    page.fill("#lchc-reader", reader)
    page.fill("#lchc-passphrase", passphrase)
    page.click(".lchc-signin button[type=submit]")


def test_owner_reads_comments_another_manager_is_refused(browser, world) -> None:
    w = world
    context, page = _page(browser, w["base"] + "reports/")
    _sign_in(page, w["owner"], w["pw"][w["owner"]])
    page.wait_for_selector(".lchc-report-list li", timeout=WAIT)
    labels = page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => e.textContent)")
    assert "Learner comments: Better discovery calls" in labels
    page.goto(w["comments"])
    page.wait_for_function("() => document.querySelector('.lchc-report-body h1')?.textContent.startsWith('Learner comments') === true", timeout=WAIT)
    body = page.inner_text(".lchc-report-body")
    assert "canarycomment00x says <b>hi</b> & more" in body  # shown as text, not markup
    assert page.eval_on_selector_all(".lchc-report-body .lchc-comments b", "els => els.length") == 0
    assert "Spring 2026" in body
    context.close()

    context, page = _page(browser, w["base"] + "reports/")
    _sign_in(page, w["other"], w["pw"][w["other"]])
    page.wait_for_selector(".lchc-report-list li", timeout=WAIT)
    labels = page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => e.textContent)")
    assert not [label for label in labels if label.startswith("Learner comments") or label.startswith("L&D admin")]
    page.goto(w["comments"])
    page.wait_for_function("t => document.querySelector('.lchc-status').textContent.includes(t)", arg="not one of the readers", timeout=WAIT)
    assert page.inner_text(".lchc-report-body") == ""
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_comments_admin_view_and_program_page_pass_axe(browser, world, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    w = world
    axe = Axe()
    context, page = _page(browser, w["admin_view"], width)
    _sign_in(page, w["admin"], w["pw"][w["admin"]])
    found = {}
    for name, url, heading in (("admin view", w["admin_view"], "L&D admin view"), ("comments", w["comments"], "Learner comments")):
        if page.url != url:  # the first is open once the sign-in is done
            page.goto(url)
        page.wait_for_function("h => document.querySelector('.lchc-report-body h1')?.textContent.startsWith(h) === true", arg=heading, timeout=WAIT)
        result = axe.run(page)
        assert result.response["passes"], "axe ran no rule: the check itself is broken"
        found[name] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]]
        if width == 375:
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 375px"
    page.goto(w["base"] + "programs/sales-discovery-calls/")
    page.wait_for_selector("#how-learners-found-it")
    result = axe.run(page)
    found["program page"] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]]
    smallest = page.evaluate(
        "() => Math.min(...[...document.querySelectorAll('.lchc-feedback-table td, .lchc-confidence, .lchc-measure dd, .lchc-you-said li')]"
        ".map(e => parseFloat(getComputedStyle(e).fontSize)))"
    )
    assert smallest >= 12, f"feedback text is {smallest}px"
    context.close()
    assert found == {"admin view": [], "comments": [], "program page": []}
