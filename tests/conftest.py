"""Shared fixtures: small sites built for real with MkDocs in a tmp_path, and a headless browser."""

from __future__ import annotations

import contextlib
import functools
import http.server
import mimetypes
import os
import shutil
import signal
import textwrap
import threading
from pathlib import Path
from typing import Callable, Iterator

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

REPO = Path(__file__).resolve().parent.parent


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


TEST_KDF_FLOOR = 1_000  # test keys use 1,000 PBKDF2 iterations, to be quick to make


@pytest.fixture(scope="session", autouse=True)
def cheap_test_keys() -> Iterator[None]:
    """Builds refuse keys below 600,000 iterations; test keystores are made with 1,000, so the
    floor is lowered for the suite. The test of the floor itself restores the real one."""
    from lchc_gen.access import crypto

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(crypto, "MIN_ITERATIONS", TEST_KDF_FLOOR)
        yield


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """A minimal project: mkdocs.yml, content/index.md and the given program files."""

    def _make(programs: dict[str, str] | None = None, plugin: dict | None = None, copy_demo: bool = False) -> Path:
        root = tmp_path / "project"
        write(root / "content" / "index.md", "# Home\n")
        (root / "programs").mkdir(parents=True, exist_ok=True)
        if copy_demo:
            for f in (REPO / "programs").glob("*.yml"):
                shutil.copy(f, root / "programs" / f.name)
        for name, text in (programs or {}).items():
            write(root / "programs" / name, text)
        config = {
            "site_name": "Test site",
            "site_url": "https://learning.example.org/",
            "docs_dir": "content",
            "site_dir": "site",
            "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
            "markdown_extensions": ["admonition", "attr_list"],
            "plugins": ["search", {"lchc": {"today": "2027-01-01", **(plugin or {})}}],
        }
        write(root / "mkdocs.yml", yaml.safe_dump(config, sort_keys=False))
        return root

    return _make


@pytest.fixture
def demo_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A demo keystore (cheap keys) for commands run on the repository's own mkdocs.yml, named by
    $LCHC_KEYSTORE: they read the keystore as a build does, whatever this clone's .secrets holds."""
    from lchc_gen.access.demo import demo_keystore

    org = yaml.safe_load((REPO / "survey" / "org.yml").read_text(encoding="utf-8"))
    path = tmp_path / "keys" / "demo.keystore.json"
    demo_keystore(path, path.with_name("handout.tsv"), {t["manager"] for t in org["teams"]} | set(org["admins"]), iterations=1_000)
    monkeypatch.setenv("LCHC_KEYSTORE", str(path))
    return path


def build_site(root: Path, strict: bool = True) -> Path:
    """Run a full MkDocs build in-process, as `mkdocs build` does."""
    cfg = load_config(str(root / "mkdocs.yml"), strict=strict)
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return root / "site"


DEMO_READERS = ("p00007", "p00001", "p00024")  # a crew's manager, a department head, an admin (README)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own demo site, built once for the whole session."""
    return build_site(make_demo_project(tmp_path_factory.mktemp("demo")), strict=False)


def make_demo_project(root: Path) -> Path:
    """A copy of the repository's demo project in `root`, with its demo keystore (cheap keys,
    but full-cost ones for the readers the README names)."""
    for name in ("content", "programs", "templates"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for extra in ("survey", "feedback"):
        if (REPO / extra).exists():
            shutil.copytree(REPO / extra, root / extra)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    # The demo keystore, as `lchc-gen keys demo` makes it, with cheap test keys.
    from lchc_gen.access.demo import demo_keystore

    org = yaml.safe_load((root / "survey" / "org.yml").read_text())
    readers = {t["manager"] for t in org["teams"]} | set(org["admins"])
    demo_keystore(root / ".secrets" / "demo.keystore.json", root / ".secrets" / "handout.tsv", readers, iterations=1_000)
    from lchc_gen.access.demo import demo_passphrase

    # The readers the README names sign in in a browser, which refuses keys below the KDF floor.
    strengthen(root / ".secrets" / "demo.keystore.json", {r: demo_passphrase(r) for r in DEMO_READERS})
    return root


def strengthen(keystore_path: Path, passphrases: dict[str, str]) -> None:
    """Give these readers keys at the full KDF cost, keeping their passphrases.

    Test keystores use cheap keys (a build never runs the KDF, so their cost only matters
    when issuing); the browser refuses a keyring below 600,000 iterations, so readers who sign
    in there need real ones."""
    from dataclasses import replace

    # DEFAULT_ITERATIONS, not MIN_ITERATIONS: the suite lowers the build's floor for cheap
    # test keys, but the browser's floor stays at 600,000.
    from lchc_gen.access.crypto import DEFAULT_ITERATIONS, derive_kek, normalize_passphrase, random_salt
    from lchc_gen.access.keystore import ReaderKey, load_keystore, save_keystore

    store = load_keystore(keystore_path)
    readers = dict(store.readers)
    for rid, passphrase in passphrases.items():
        salt = random_salt()
        kek = derive_kek(normalize_passphrase(passphrase), salt, DEFAULT_ITERATIONS)
        readers[rid] = ReaderKey(salt=salt, iterations=DEFAULT_ITERATIONS, kek=kek, issued=readers[rid].issued)
    save_keystore(keystore_path, replace(store, readers=readers))


# --- browser ---------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("LCHC_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium. In CI a missing browser fails the run; elsewhere the tests skip, saying why."""
    exe = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        sync_playwright = None
    if exe is None or sync_playwright is None:
        reason = "headless Chromium (Debian package 'chromium') and the 'playwright' package are needed"
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature from the base class
        pass


def serve_at_localhost(context, site: Path) -> str:  # type: ignore[no-untyped-def]
    """The site at http://localhost/ (a secure context) for one browser context, answered from
    its files inside the browser. Material's instant navigation matches links against
    sitemap.xml with the host replaced but not the port, so it only works on a default port."""

    def answer(route) -> None:  # type: ignore[no-untyped-def]
        path = site / route.request.url.split("/", 3)[3].split("?")[0].split("#")[0]
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            route.fulfill(status=404, body="")
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        route.fulfill(body=path.read_bytes(), content_type=kind)

    context.route("http://localhost/**", answer)
    return "http://localhost/"


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    """Serve a built site on 127.0.0.1 (a secure context for WebCrypto); returns its base URL."""
    servers = []

    def _serve(site: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield _serve
    for s in servers:
        s.shutdown()


class Overtime(BaseException):
    """Not an Exception, so that no `except Exception` in the code under test can swallow it."""


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail rather than hang: a block still running after `seconds` is interrupted with
    Overtime (SIGALRM, so only in the main thread, which is where pytest runs tests)."""

    def stop(signum, frame):  # type: ignore[no-untyped-def]
        raise Overtime(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
