"""A protected site: survey data, a keystore for every reader, encrypted reports."""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path

import pytest
import yaml

from lchc_gen.access.keystore import issue
from lchc_gen.survey.demo import generate
from tests.reports.test_reports import SURVEY

FAST = 1_000  # test keys only; real keys use 600,000 iterations


def _readers(org: dict) -> list[str]:
    return sorted({t["manager"] for t in org["teams"]} | set(org["admins"]))


@pytest.fixture
def protected_site(make_site, tmp_path: Path):
    """A site with 12 teams x 2 cycles and a keystore (outside the project) for every reader."""

    def _make(canary: bool = False, keystore: Path | None = None, teams: int = 12, seed: int = 3) -> tuple[Path, Path, dict[str, str]]:
        keystore = keystore or tmp_path / "secrets" / "keystore.json"
        root = make_site(copy_demo=True, plugin={"survey": SURVEY, "keystore": str(keystore)})
        generate(root / "survey", teams=teams, cycles=2, seed=seed)
        if canary:
            _plant_canaries(root)
        org = yaml.safe_load((root / "survey" / "org.yml").read_text())
        result = issue(keystore, _readers(org), tmp_path / "secrets" / "handout.tsv", iterations=FAST)
        return root, keystore, dict(result.passphrases)

    return _make


def _plant_canaries(root: Path) -> None:
    """Give every protected value a unique marker: names, emails, ids, respondents."""
    org_path = root / "survey" / "org.yml"
    org = yaml.safe_load(org_path.read_text())
    for i, person in enumerate(org["people"]):
        person["name"] = f"Canaryperson{i:03d}x"
        person["email"] = f"canarymail{i:03d}@example.org"
    for i, team in enumerate(org["teams"]):
        team["name"] = f"Canaryteam{i:03d}x"
    org_path.write_text(yaml.safe_dump(org, sort_keys=False))
    agreements_path = root / "survey" / "agreements.yml"
    agreements = yaml.safe_load(agreements_path.read_text())
    for i, a in enumerate(agreements["agreements"]):
        a["agreed"] = f"Canaryagreed{i:03d}x"
        if a.get("happened"):
            a["happened"] = f"Canaryhappened{i:03d}x"
    agreements_path.write_text(yaml.safe_dump(agreements, sort_keys=False))
    for csv_path in (root / "survey" / "responses").glob("*.csv"):
        text = csv_path.read_text()
        text = re.sub(r"(?m)^([^,\n]*,)([^,\n]+)(,(?:member|self),)", lambda m: f"{m.group(1)}canaryresp{m.group(2)}{m.group(3)}", text)
        csv_path.write_text(text)



def build_id(site: Path) -> str:
    return re.search(r'<meta name="lchc-build-id" content="([^"]+)">', (site / "index.html").read_text()).group(1)


def keyring_labels(site: Path, keystore: Path) -> dict[str, set[str]]:
    """What each reader of the keystore finds under "My reports" in a built site: their pages' labels."""
    from lchc_gen.access.blobs import open_keyring
    from lchc_gen.access.keystore import load_keystore
    from lchc_gen.access.publish import keyring_path

    build = build_id(site)
    return {
        rid: {e.label for e in open_keyring((site / keyring_path(build, rid)).read_bytes(), key.kek, build, rid)}
        for rid, key in load_keystore(keystore).readers.items()
    }


def opaque(id_key: bytes, build: str, name: str) -> str:
    """A report's opaque id in the publication `build`, computed independently of the code under test."""
    return hmac.new(id_key, b"lchc-page-id\0" + build.encode() + b"\0" + name.encode(), hashlib.sha256).hexdigest()[:16]
