"""Keystore safety in full builds and CLI runs: demo keystores, keystores under site_dir,
sticky revocation, the KDF floor, id-key rotation and keys that git history once held."""

from __future__ import annotations

import functools
import json
import logging
import subprocess
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import Abort

from lchc_gen import cli
from lchc_gen.access import crypto
from lchc_gen.access.demo import demo_keystore, demo_passphrase
from lchc_gen.access.keystore import issue, load_keystore
from tests.access.conftest import FAST, build_id, opaque
from tests.conftest import build_site


def _keys(root: Path, *args: str) -> int:
    return cli.main(["keys", *args, "--config", str(root / "mkdocs.yml")])


def _readers(root: Path) -> list[str]:
    org = yaml.safe_load((root / "survey" / "org.yml").read_text())
    return sorted({t["manager"] for t in org["teams"]} | set(org["admins"]))


def _set_option(root: Path, **options: object) -> None:
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["plugins"][1]["lchc"].update(options)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))


@pytest.fixture
def cheap_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    """`lchc-gen keys demo` as it is, with test-cost keys."""
    monkeypatch.setattr(cli, "demo_keystore", functools.partial(demo_keystore, iterations=FAST))


# --- finding: `keys demo` replaced a real keystore and an undelivered hand-out file ----------


def test_keys_demo_leaves_a_real_keystore_alone(protected_site, cheap_demo, capsys) -> None:
    root, keystore, _ = protected_site()
    before = keystore.read_bytes()
    assert _keys(root, "demo") == 1
    assert "is a real keystore" in capsys.readouterr().err
    assert keystore.read_bytes() == before
    assert not keystore.with_name(keystore.stem + ".passphrases.tsv").exists()


def test_keys_demo_leaves_an_undelivered_handout_file_alone(protected_site, cheap_demo, tmp_path: Path, capsys) -> None:
    root, _, _ = protected_site()
    target = tmp_path / "secrets" / "demo.keystore.json"
    handout = tmp_path / "secrets" / "handout.tsv"  # written by `issue`, not yet handed out
    before = handout.read_bytes()
    assert _keys(root, "demo", "--keystore", str(target), "--handout", str(handout)) == 1
    assert "not demo ones" in capsys.readouterr().err
    assert handout.read_bytes() == before and not target.exists()


def test_keys_demo_twice_and_for_a_grown_organisation(protected_site, cheap_demo, tmp_path: Path, capsys) -> None:
    root, _, _ = protected_site()
    target = tmp_path / "demo" / "demo.keystore.json"
    assert _keys(root, "demo", "--keystore", str(target)) == 0
    first = target.read_bytes()
    assert load_keystore(target).demo
    assert _keys(root, "demo", "--keystore", str(target)) == 0
    assert "already covers every reader" in capsys.readouterr().out and target.read_bytes() == first
    # A reader more: the demo keystore and its demo hand-out file are simply made again.
    handout = target.with_name("demo.keystore.passphrases.tsv")
    org = yaml.safe_load((root / "survey" / "org.yml").read_text())
    org["admins"].append(org["people"][-1]["id"])
    (root / "survey" / "org.yml").write_text(yaml.safe_dump(org, sort_keys=False))
    assert _keys(root, "demo", "--keystore", str(target)) == 0
    assert set(load_keystore(target).readers) == set(_readers(root))
    lines = [line.split("\t") for line in handout.read_text().splitlines()[1:]]
    assert {rid: phrase for rid, phrase in lines} == {r: demo_passphrase(r) for r in _readers(root)}


def test_keys_demo_replaces_an_unmarked_demo_keystore_of_an_earlier_version(protected_site, cheap_demo, tmp_path: Path) -> None:
    root, _, _ = protected_site()
    target = tmp_path / "old" / "demo.keystore.json"
    demo_keystore(target, tmp_path / "old" / "h.tsv", _readers(root)[:3], iterations=FAST)
    doc = json.loads(target.read_text())
    del doc["demo"]  # as earlier versions wrote it
    target.write_text(json.dumps(doc))
    assert _keys(root, "demo", "--keystore", str(target)) == 0
    assert load_keystore(target).demo and set(load_keystore(target).readers) == set(_readers(root))


def test_a_demo_keystore_warns_and_strict_refuses_it_unless_the_site_is_the_demo(
    protected_site, tmp_path: Path, caplog
) -> None:
    root, keystore, _ = protected_site()
    keystore.unlink()
    demo_keystore(keystore, tmp_path / "demo.tsv", _readers(root), iterations=FAST)
    build_site(root, strict=False)
    assert "this is a demo keystore" in caplog.text and "allow_demo_keystore" in caplog.text
    caplog.clear()
    (root / "site").rename(root / "site-before")
    with pytest.raises(Abort):
        build_site(root, strict=True)
    assert "this is a demo keystore" in caplog.text
    assert not (root / "site").exists()  # refused before anything was written
    caplog.clear()
    _set_option(root, allow_demo_keystore=True)
    caplog.set_level(logging.INFO, logger="mkdocs")
    site = build_site(root, strict=True)
    assert (site / "_access" / "k").is_dir()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "the keystore is the demo one" in caplog.text


# --- finding: a keystore inside site_dir was accepted -----------------------------------------


@pytest.mark.parametrize("where", ["site/.lchc/keystore.json", "site/keys/deep/keystore.json", "link/keystore.json"])
def test_a_keystore_under_site_dir_is_refused(protected_site, monkeypatch: pytest.MonkeyPatch, caplog, where: str) -> None:
    root, keystore, _ = protected_site()
    (root / "site" / ".lchc").mkdir(parents=True)
    (root / "link").symlink_to(root / "site" / ".lchc")  # a harmless-looking name for a folder in site/
    target = root / where
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(keystore.read_bytes())
    monkeypatch.chdir(root)
    monkeypatch.setenv("LCHC_KEYSTORE", where)
    with pytest.raises(Abort):
        build_site(root)
    assert "inside site_dir" in caplog.text
    assert target.exists()  # MkDocs' clean step never ran
    assert _keys(root, "list") == 1  # the admin's commands refuse it too


# --- finding: `keys revoke` did not stick ---------------------------------------------------


def test_revocation_sticks_through_keys_issue(protected_site, capsys, caplog) -> None:
    root, keystore, _ = protected_site()
    handout = keystore.with_name("keystore.passphrases.tsv")
    reader = _readers(root)[0]
    assert _keys(root, "revoke", reader) == 0
    assert _keys(root, "issue") == 0
    out = capsys.readouterr().out
    assert "issued 0" in out and f"left out 1 revoked readers: {reader}" in out and "--reinstate" in out
    assert not handout.exists() and reader not in load_keystore(keystore).readers
    site = build_site(root, strict=True)  # no warning about a reader without a key
    assert len(list((site / "_access" / "k").glob("*.json"))) == len(_readers(root)) - 1
    assert _keys(root, "issue", "--reinstate") == 0
    assert reader in handout.read_text() and reader in load_keystore(keystore).readers


# --- finding: the build only warned on keys below the KDF floor --------------------------------


def test_keys_below_the_kdf_floor_stop_the_build(protected_site, monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    root, _, _ = protected_site()  # test keys: 1,000 iterations
    monkeypatch.setattr(crypto, "MIN_ITERATIONS", 600_000)  # the real floor
    with pytest.raises(Abort):
        build_site(root, strict=False)
    assert "fewer than 600,000 PBKDF2 iterations" in caplog.text and "lchc-gen keys reissue" in caplog.text
    assert not (root / "site").exists()


# --- finding: no way to rotate the id key ----------------------------------------------------


def test_rotate_id_key(protected_site, capsys) -> None:
    root, keystore, _ = protected_site()
    before = load_keystore(keystore)
    assert _keys(root, "rotate-id-key") == 0
    after = load_keystore(keystore)
    assert after.id_key != before.id_key and after.readers == before.readers
    site = build_site(root)
    build = build_id(site)
    blobs = {p.stem for p in (site / "_access" / "p").glob("*.json")}
    assert opaque(after.id_key, build, "2026-H2/overview") in blobs
    assert opaque(before.id_key, build, "2026-H2/overview") not in blobs


# --- finding: a keystore once committed to git was accepted later ------------------------------


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


def test_a_keystore_that_git_history_held_is_refused(protected_site, tmp_path: Path, caplog) -> None:
    secrets = tmp_path / "project" / ".secrets" / "keystore.json"
    root, keystore, _ = protected_site(keystore=secrets)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "add", "-f", ".secrets/keystore.json")
    _git(root, "commit", "-qm", "site")
    # "Fixed" the usual way: untracked and ignored; the keys are still in every clone.
    (root / ".gitignore").write_text(".secrets/\nsite/\n")
    _git(root, "rm", "-q", "--cached", ".secrets/keystore.json")
    _git(root, "add", ".gitignore")
    _git(root, "commit", "-qm", "untrack the keystore")
    with pytest.raises(Abort):
        build_site(root)
    assert "holds this keystore's keys" in caplog.text and "lchc-gen keys issue --keystore" in caplog.text
    # The fix the message gives: a new keystore outside the repository.
    fresh = tmp_path / "outside" / "keystore.json"
    issue(fresh, _readers(root), tmp_path / "outside" / "handout.tsv", iterations=FAST)
    _set_option(root, keystore=str(fresh))
    assert (build_site(root) / "_access" / "k").is_dir()
    assert json.loads(fresh.read_text())["id_key"] != json.loads(keystore.read_text())["id_key"]
