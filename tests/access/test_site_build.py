"""Encrypted reports in full builds: the authorisation matrix, leak hygiene and the canary scan."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import Abort

from lchc_gen.access import crypto
from lchc_gen.access.blobs import decrypt_page, open_keyring
from lchc_gen.access.keystore import load_keystore
from lchc_gen.access.publish import keyring_path
from tests.access.conftest import build_id as _build_id
from tests.access.conftest import opaque
from tests.conftest import REPO, build_site

def test_every_report_opens_for_exactly_its_readers(protected_site) -> None:
    # The demo organisation itself: the generator's output for these arguments is the committed survey/.
    root, keystore_path, _ = protected_site(teams=24, seed=7)
    assert (root / "survey" / "org.yml").read_text() == (REPO / "survey" / "org.yml").read_text()
    site = build_site(root, strict=False)
    keystore = load_keystore(keystore_path)
    build = _build_id(site)
    org = yaml.safe_load((root / "survey" / "org.yml").read_text())
    teams = {t["id"]: t for t in org["teams"]}
    admins = set(org["admins"])

    def page_id(name: str) -> str:  # the opaque id, computed independently of the code under test
        return opaque(keystore.id_key, build, name)

    expected: dict[str, set[str]] = {}
    for cycle in ("2026-H1", "2026-H2"):
        for team in teams.values():
            parent = teams[team["parent"]]["manager"] if team.get("parent") else None
            expected[page_id(f"{cycle}/{team['id']}")] = {team["manager"], *([parent] if parent else []), *admins}
            if any(t.get("parent") == team["id"] for t in teams.values()):  # a department: its head and the admins
                expected[page_id(f"{cycle}/department-{team['id']}")] = {team["manager"], *admins}
        expected[page_id(f"{cycle}/overview")] = set(admins)

    actual: dict[str, set[str]] = {pid: set() for pid in expected}
    for reader, key in keystore.readers.items():
        blob = (site / keyring_path(build, reader)).read_bytes()
        for entry in open_keyring(blob, key.kek, build, reader):
            actual.setdefault(entry.page_id, set()).add(reader)
    assert actual == expected
    assert all((site / "_access" / "p" / f"{pid}.json").exists() for pid in expected)


def test_canary_values_appear_nowhere_in_the_built_site(protected_site) -> None:
    root, keystore_path, _ = protected_site(canary=True)
    # With the page for all staff (public): aggregates and actions only, no name.
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    next(p["lchc"] for p in config["plugins"] if isinstance(p, dict) and "lchc" in p)["survey"]["all_staff"] = "public"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    # What a keystore write killed before its rename leaves, had the keystore been in docs_dir.
    (root / "content" / ".lchc.keystore.json.x1y2z3.lchc-tmp").write_bytes(keystore_path.read_bytes())
    site = build_site(root, strict=False)
    assert (site / "you-told-us" / "index.html").exists()
    keystore = json.loads(keystore_path.read_text())
    markers = re.compile(r"canaryperson|canarymail|canaryteam|canaryresp|canaryagreed|canaryhappened", re.I)
    secrets = [r["kek"] for r in keystore["readers"].values()] + [keystore["id_key"]]
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 50
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        text = data.decode("utf-8", errors="replace")
        assert not markers.search(text), f"{path.relative_to(site)} leaks {markers.search(text).group(0)}"
        assert 'data-field="team_score"' not in text, f"{path.relative_to(site)} holds a plaintext report"
        assert not any(s in text for s in secrets), f"{path.relative_to(site)} holds key material"
    assert not list(site.rglob("*.csv")) and not list(site.rglob("org.yml")) and not list(site.rglob("*keystore*"))
    assert not list(site.rglob("agreements*"))
    # The agreements were read: an admin's decrypted reports hold them (so the scan above means something).
    admin = next(r for r in json.loads(keystore_path.read_text())["readers"] if r in _admins(root))
    kek = load_keystore(keystore_path).readers[admin].kek
    build = _build_id(site)
    opened = "".join(
        decrypt_page((site / "_access" / "p" / f"{e.page_id}.json").read_bytes(), e.key, build, e.url)
        for e in open_keyring((site / keyring_path(build, admin)).read_bytes(), kek, build, admin)
    )
    assert re.search(r"Canaryagreed\d{3}x", opened) and re.search(r"Canaryhappened\d{3}x", opened)


def _admins(root: Path) -> set[str]:
    return set(yaml.safe_load((root / "survey" / "org.yml").read_text())["admins"])


def test_reports_have_no_pages_of_their_own_and_no_trace_outside_access(protected_site) -> None:
    root, keystore_path, _ = protected_site()
    site = build_site(root, strict=False)
    key = load_keystore(keystore_path).id_key
    org = yaml.safe_load((root / "survey" / "org.yml").read_text())
    heads = sorted({t["parent"] for t in org["teams"] if t.get("parent")})  # each leads a department
    names = [*(f"t{i:03d}" for i in range(12)), "overview", *(f"department-{t}" for t in heads)]
    ids = [opaque(key, _build_id(site), f"{c}/{t}") for c in ("2026-H1", "2026-H2") for t in names]
    blobs = {p.stem for p in (site / "_access" / "p").glob("*.json")}
    assert blobs == set(ids)
    # One page shows every report (reports/#<id>): nothing per report outside _access/.
    assert [p.relative_to(site).as_posix() for p in (site / "reports").rglob("*") if p.is_file()] == ["reports/index.html"]
    for path in site.rglob("*"):
        if path.is_file() and "_access" not in path.parts:
            data = path.read_bytes()
            text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", errors="replace")
            assert not any(i in text for i in ids), path.relative_to(site)
    viewer = (site / "reports" / "index.html").read_text()
    assert "<title>My reports" in viewer and 'class="md-nav__link" href="#' not in viewer  # no TOC
    assert "reports/" in (site / "sitemap.xml").read_text()  # the public "My reports" page stays
    assert "reports/" not in (site / "search" / "search_index.json").read_text()


def test_build_refuses_a_keystore_inside_docs_or_tracked_by_git(protected_site, tmp_path: Path, caplog) -> None:
    root, keystore, _ = protected_site()
    inside = root / "content" / "keys.json"
    inside.write_bytes(keystore.read_bytes())
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace(str(keystore), "content/keys.json"))
    with pytest.raises(Abort):
        build_site(root)
    assert "the keystore is inside docs_dir" in caplog.text

    tracked = root / "keys.json"
    tracked.write_bytes(keystore.read_bytes())
    config.write_text(config.read_text().replace("content/keys.json", "keys.json"))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "keys.json"], check=True)
    caplog.clear()
    with pytest.raises(Abort):
        build_site(root)
    assert "keys.json" in caplog.text and "keystore" in caplog.text


def test_no_page_loads_anything_from_another_host(protected_site) -> None:
    root, _, _ = protected_site()
    site = build_site(root, strict=False)
    tags = re.compile(r"<(?:script|link|img|iframe)\b[^>]*>", re.I)
    remote = re.compile(r'(?:src|href)="(?:https?:)?//', re.I)
    for page in site.rglob("*.html"):
        loads = [t for t in tags.findall(page.read_text()) if remote.search(t) and 'rel="canonical"' not in t]
        assert loads == [], page.relative_to(site)


def test_a_build_never_runs_the_kdf(protected_site, monkeypatch: pytest.MonkeyPatch) -> None:
    root, _, _ = protected_site()  # keys are issued first: that is where the KDF belongs
    calls: list[str] = []

    def no_kdf(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append("pbkdf2")
        raise AssertionError("the build ran the KDF")

    monkeypatch.setattr(crypto, "PBKDF2HMAC", no_kdf)
    monkeypatch.setattr(hashlib, "pbkdf2_hmac", no_kdf)
    site = build_site(root, strict=False)
    assert calls == []
    assert len(list((site / "_access" / "k").glob("*.json"))) == 14  # 12 managers + 2 admins


@pytest.mark.parametrize(
    ("site_url", "own_origin", "warns"),
    [
        ("https://org.github.io/lchc/", False, True),
        ("https://org.github.io/lchc/", True, False),
        ("https://learning.example.org/", False, False),
        ("http://localhost:8000", False, False),
    ],
)
def test_a_site_on_a_path_of_a_shared_origin_warns(protected_site, caplog, site_url: str, own_origin: bool, warns: bool) -> None:
    root, _, _ = protected_site()
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["site_url"] = site_url
    config["plugins"][1]["lchc"]["own_origin"] = own_origin
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    with caplog.at_level("WARNING", logger="mkdocs.plugins.lchc"):
        build_site(root, strict=False)
    shared = [r.getMessage() for r in caplog.records if "own_origin" in r.getMessage()]
    assert bool(shared) == warns
    if warns:
        assert "https://org.github.io" in shared[0] and "origin of its own" in shared[0]


def test_the_demo_site_url_is_an_origin_of_its_own() -> None:
    from lchc_gen.access.site import shared_origin_warning

    assert shared_origin_warning(yaml.safe_load((REPO / "mkdocs.yml").read_text())["site_url"]) is None
