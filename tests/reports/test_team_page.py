"""A team's own page: opened by the key in its link (never by a keystore key), only for the latest
cycle's teams whose answers are shown, replaced with each publication, never in plaintext."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import yaml

from lchc_gen.access.blobs import decrypt_page, open_keyring
from lchc_gen.access.keystore import load_keystore
from lchc_gen.access.publish import keyring_path
from tests.access.conftest import build_id, protected_site  # noqa: F401 - fixture
from tests.conftest import build_site

LINK = re.compile(r'<a href="(https://learning\.example\.org/team/#([0-9a-f]{16})\.([A-Za-z0-9_-]{43}))" class="lchc-kit-url">')


def _reports(site: Path, keystore: Path, reader: str) -> dict[str, str]:
    """label -> decrypted HTML of every team report the reader's keyring opens."""
    build = build_id(site)
    kek = load_keystore(keystore).readers[reader].kek
    return {
        e.label: decrypt_page((site / "_access" / "p" / f"{e.page_id}.json").read_bytes(), e.key, build, e.url)
        for e in open_keyring((site / keyring_path(build, reader)).read_bytes(), kek, build, reader)
        if (e.info or {}).get("kind") == "team"
    }


def _key(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=")


def test_the_summary_links_a_team_page_that_its_key_opens(protected_site, tmp_path: Path) -> None:  # noqa: F811
    root, keystore, _ = protected_site()
    site = build_site(root, strict=False)
    org = yaml.safe_load((root / "survey" / "org.yml").read_text())
    admin = org["admins"][0]
    reports = _reports(site, keystore, admin)
    latest = {label: html for label, html in reports.items() if label.endswith("Second half 2026") and "overview" not in label.lower()}
    links = {label: LINK.search(html) for label, html in latest.items()}
    suppressed = [label for label, html in latest.items() if 'id="suppressed"' in html]
    assert suppressed and all(links[label] is None for label in suppressed)  # nothing for a suppressed team
    shown = {label: m for label, m in links.items() if label not in suppressed}
    assert shown and all(m is not None for m in shown.values())
    assert not any(LINK.search(h) for label, h in reports.items() if "First half 2026" in label)  # latest cycle only
    # Every link's key opens its page, bound to its address; the summary carries its QR code.
    build = build_id(site)
    label, m = next(iter(shown.items()))
    assert 'aria-label="QR code of the team page' in latest[label]
    html = decrypt_page((site / "_access" / "t" / f"{m.group(2)}.json").read_bytes(), _key(m.group(3)), build, f"team/#{m.group(2)}")
    team = label.rsplit(",", 1)[0]
    assert f"<h1>{team}: what we said, Second half 2026</h1>" in html
    assert "self score" not in html.lower() and "self-assessment" not in html.lower()  # team numbers only
    # The key is random: in no keystore, and not the page's keyring key.
    stored = json.loads(keystore.read_text())
    secrets = [r["kek"] for r in stored["readers"].values()] + [stored["id_key"]]
    assert m.group(3) not in json.dumps(stored) and all(m.group(3) not in s for s in secrets)
    # One file per team of the cycle, all of one size: the count does not tell how many were suppressed.
    team_blobs = list((site / "_access" / "t").glob("*.json"))
    assert len(team_blobs) == len(latest) > len(shown)
    assert {f"{x.group(2)}.json" for x in shown.values()} <= {p.name for p in team_blobs}
    assert len({len(json.loads(p.read_text())["ct"]) for p in team_blobs}) == 1
    assert (site / "team" / "index.html").exists() and "Canary" not in (site / "team" / "index.html").read_text()
    # The next publication replaces it: a new build gives another link, and the old one opens nothing.
    site2 = build_site(root, strict=False)
    again = _reports(site2, keystore, admin)[label]
    m2 = LINK.search(again)
    assert m2.group(1) != m.group(1) and not (site2 / "_access" / "t" / f"{m.group(2)}.json").exists()


def test_without_site_url_the_summary_prints_no_qr_code() -> None:
    from lchc_gen.reports.team_page import TeamPage, link, team_link_context

    page = TeamPage("2026-H2/t001/team-page", "0123456789abcdef", bytes(32), "")
    relative = link(None, True, page)
    assert relative == "../team/#0123456789abcdef." + "A" * 43  # from "My reports", where the summary is
    assert team_link_context(relative)["team_qr"] is None
    absolute = team_link_context(link("https://learning.example.org/", True, page))
    assert 'aria-label="QR code' in absolute["team_qr"] and absolute["team_link_absolute"]
