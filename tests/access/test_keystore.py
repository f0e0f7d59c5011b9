"""The keystore: issuing, re-issuing and revoking readers, safe files, safe location."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from lchc_gen.access import keystore as ks
from lchc_gen.access.errors import AccessError, UnknownReader
from lchc_gen.problems import InputError

ITER = 1000  # fast for tests; production issues at 600,000


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def handouts(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "reader_id\tpassphrase"
    return dict(line.split("\t") for line in lines[1:])


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "secrets" / "keystore.json"
    ks.issue(path, ["alice", "bob"], tmp_path / "handout-1.tsv", iterations=ITER)
    return path


def test_issue_writes_private_files_and_independently_checkable_keys(tmp_path: Path) -> None:
    path, handout = tmp_path / "keystore.json", tmp_path / "handout.tsv"
    seen = []
    result = ks.issue(
        path, ["alice", "bob", "alice"], handout, iterations=ITER, progress=lambda *a: seen.append(a)
    )
    assert seen == [(1, 2, "alice"), (2, 2, "bob")]
    assert mode(path) == 0o600 and mode(handout) == 0o600
    assert handouts(handout) == result.passphrases
    store = ks.load_keystore(path)
    for rid, phrase in result.passphrases.items():
        r = store.readers[rid]
        # The KEK must be PBKDF2 of the normalised passphrase, checked with hashlib.
        assert r.kek == hashlib.pbkdf2_hmac("sha256", phrase.encode(), r.salt, ITER)
        assert r.iterations == ITER and len(r.salt) == 16
    assert store.readers["alice"].salt != store.readers["bob"].salt
    assert "passphrase" not in path.read_text() and result.passphrases["alice"] not in path.read_text()


def test_issue_skips_existing_readers(store: Path, tmp_path: Path) -> None:
    before = ks.load_keystore(store).readers["alice"]
    result = ks.issue(store, ["alice", "carol"], tmp_path / "handout-2.tsv", iterations=ITER)
    assert result.skipped == ("alice",) and set(result.passphrases) == {"carol"}
    assert ks.load_keystore(store).readers["alice"] == before


def test_reissue_replaces_salt_key_and_passphrase(store: Path, tmp_path: Path) -> None:
    old = handouts(tmp_path / "handout-1.tsv")["alice"]
    before = ks.load_keystore(store)
    phrase = ks.reissue(store, "alice", tmp_path / "handout-2.tsv", iterations=ITER)
    after = ks.load_keystore(store)
    assert phrase != old and handouts(tmp_path / "handout-2.tsv") == {"alice": phrase}
    assert after.readers["alice"].salt != before.readers["alice"].salt
    assert after.readers["alice"].kek != before.readers["alice"].kek
    assert after.readers["bob"] == before.readers["bob"] and after.id_key == before.id_key
    with pytest.raises(UnknownReader):
        ks.reissue(store, "zed", tmp_path / "handout-3.tsv", iterations=ITER)


def test_revoke_and_list(store: Path) -> None:
    ks.revoke(store, "bob")
    listed = ks.list_readers(store)
    assert [r.reader_id for r in listed] == ["alice"]
    assert listed[0].iterations == ITER and "kek" not in repr(listed[0])
    assert mode(store) == 0o600
    with pytest.raises(UnknownReader):
        ks.revoke(store, "bob")


def test_handout_file_is_never_overwritten(store: Path, tmp_path: Path) -> None:
    before = store.read_bytes()
    with pytest.raises(AccessError):
        ks.issue(store, ["carol"], tmp_path / "handout-1.tsv", iterations=ITER)
    assert store.read_bytes() == before


def test_atomic_write_keeps_the_old_file_on_failure(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = store.read_bytes()

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        ks.revoke(store, "bob")
    assert store.read_bytes() == before
    assert sorted(p.name for p in store.parent.iterdir()) == ["keystore.json"]


def test_invalid_reader_ids_are_refused(tmp_path: Path) -> None:
    for bad in ["", " alice", "al\tice", "a\x00b"]:
        with pytest.raises(ValueError):
            ks.issue(tmp_path / "k.json", [bad], tmp_path / "h.tsv", iterations=ITER)


def test_malformed_or_missing_keystore_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no keystore"):
        ks.load_keystore(tmp_path / "absent.json")
    bad = tmp_path / "bad.json"
    for text in ["not json", json.dumps({"v": 2}), json.dumps({"v": 1, "id_key": "AA", "readers": {}})]:
        bad.write_text(text)
        with pytest.raises(InputError):
            ks.load_keystore(bad)


def test_opaque_ids_are_stable_and_keyed(store: Path) -> None:
    keystore = ks.load_keystore(store)
    assert ks.opaque_id(keystore, "team-sales") == ks.opaque_id(keystore, "team-sales")
    assert ks.opaque_id(keystore, "team-sales") != ks.opaque_id(ks.new_keystore(), "team-sales")
    assert len(ks.opaque_id(keystore, "team-sales")) == 16


def test_resolve_keystore_path(tmp_path: Path) -> None:
    assert ks.resolve_keystore_path(None, {}) is None
    assert ks.resolve_keystore_path("k.json", {}, tmp_path) == tmp_path / "k.json"
    assert ks.resolve_keystore_path("k.json", {"LCHC_KEYSTORE": "/srv/k.json"}, tmp_path) == Path(
        "/srv/k.json"
    )
    assert ks.resolve_keystore_path(None, {"LCHC_KEYSTORE": ""}) is None
    assert ks.resolve_keystore_path("~/k.json", {}) == Path.home() / "k.json"


# --- location ------------------------------------------------------------------------


def test_location_inside_docs_dir_is_refused(tmp_path: Path) -> None:
    docs = tmp_path / "content"
    problem = ks.check_keystore_location(docs / "sub" / "k.json", docs, None)
    assert problem is not None and "docs_dir" in problem.message and problem.field == "keystore"
    assert ks.check_keystore_location(tmp_path / "k.json", docs, None) is None


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / ".gitignore").write_text("secrets/\n")
    return root


@needs_git
def test_location_tracked_by_git_is_refused(repo: Path) -> None:
    (repo / "k.json").write_text("{}")
    git(repo, "add", "k.json")
    problem = ks.check_keystore_location(repo / "k.json", repo / "content", repo)
    assert problem is not None and "tracked" in problem.message


@needs_git
def test_location_in_work_tree_but_not_ignored_is_refused(repo: Path) -> None:
    problem = ks.check_keystore_location(repo / "k.json", repo / "content", None)
    assert problem is not None and ".gitignore" in problem.message


@needs_git
def test_ignored_location_is_accepted(repo: Path) -> None:
    assert ks.check_keystore_location(repo / "secrets" / "k.json", repo / "content", repo) is None


@needs_git
def test_ignored_but_tracked_location_is_refused(repo: Path) -> None:
    (repo / "secrets").mkdir()
    (repo / "secrets" / "k.json").write_text("{}")
    git(repo, "add", "-f", "secrets/k.json")
    problem = ks.check_keystore_location(repo / "secrets" / "k.json", repo / "content", repo)
    assert problem is not None and "tracked" in problem.message
