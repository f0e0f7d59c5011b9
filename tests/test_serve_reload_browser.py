"""`mkdocs serve` with the script policy on: the editor's open page reloads itself after an edit,
in Chromium, with no policy violation; the policy allows only the live-reload script MkDocs adds."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lchc_gen.csp import script_hash
from tests.conftest import build_site, write

pytestmark = pytest.mark.browser
WAIT = 60_000  # ms: a rebuild of the small site takes a few seconds on a busy machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"mkdocs serve stopped: {proc.stdout.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("mkdocs serve did not answer within a minute")


def test_an_edit_under_mkdocs_serve_reloads_the_open_page(make_site, browser) -> None:
    root = make_site(programs={})
    write(root / "content" / "index.md", "# Before the edit\n")
    built_page = (build_site(root) / "index.html").read_text()
    built_policy = built_page.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    context = browser.new_context()
    try:
        _wait_until_up(url, proc)
        page = context.new_page()
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(url)
        page.wait_for_selector("h1:has-text('Before the edit')", timeout=WAIT)
        served = page.content()
        assert "livereload(" in served  # MkDocs added its script to this answer ...
        policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]  # ... allowed by its hash only
        time.sleep(1)  # the page's poll for changes is open
        write(root / "content" / "index.md", "# After the edit\n")
        page.wait_for_selector("h1:has-text('After the edit')", timeout=WAIT)  # nobody pressed reload
        assert refused == []
    finally:
        context.close()
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    # The policy served is the built page's, with exactly one more hash: the reload script's.
    extra = set(policy.split()) - set(built_policy.split())
    script = served.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    assert "livereload(" in script and extra == {script_hash(script)}
    assert (root / "site" / "index.html").read_text() == built_page  # serving left the built site as it was
