"""A department head signs in and reads, decrypted, which of their managers have not attended the
Leadership Development program yet (the demo's three new joiners among them): axe clean at 1280
and 375 px, nothing wider than the screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 375])
def test_a_department_head_reads_their_new_joiners(demo_site: Path, browser, serve, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from lchc_gen.access.demo import demo_passphrase

    reader = "p00001"  # the README's department head
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(serve(demo_site) + "reports/")
    page.wait_for_selector(".lchc-signin:not([hidden])", timeout=30_000)
    page.fill("#lchc-reader", reader)
    page.fill("#lchc-passphrase", demo_passphrase(reader))
    page.click(".lchc-signin button[type=submit]")
    page.wait_for_selector(".lchc-report-list li", timeout=30_000)
    links = dict(page.eval_on_selector_all(".lchc-report-list a", "els => els.map(e => [e.textContent, e.href])"))
    mine = [label for label in links if label.startswith("Not reached yet:")]
    assert mine == ["Not reached yet: Leadership Development after your LCHC report, Copper Teapot Department"], mine
    page.goto(links[mine[0]])
    page.wait_for_function("() => document.querySelector('.lchc-report-body h1')?.textContent.startsWith('Not reached yet') === true",
                           timeout=30_000)
    body = page.inner_text(".lchc-report-body")
    for newcomer in ("p90001", "p90002", "p90003"):
        assert newcomer in body
    if dt.date.today() < dt.date(2027, 7, 13):  # the demo is built as of today: until then, theirs to catch
        assert "Your LCHC report: What, So what, Now what (2027-H1 cycle)" in body
    result = Axe().run(page)
    assert result.response["passes"], "axe ran no rule: the check itself is broken"
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]] == []
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    context.close()
