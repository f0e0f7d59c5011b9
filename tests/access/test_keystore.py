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
    assert [(r.reader_id, bool(r.revoked)) for r in listed] == [("alice", False), ("bob", True)]
    assert listed[0].iterations == ITER and "kek" not in repr(listed[0])
    assert "bob" not in ks.load_keystore(store).readers  # no key left: no keyring from now on
    assert "bob" not in json.loads(store.read_text())["readers"]
    assert mode(store) == 0o600
    with pytest.raises(AccessError, match="already revoked"):
        ks.revoke(store, "bob")
    with pytest.raises(UnknownReader):
        ks.revoke(store, "zed")


def test_revocation_sticks_until_a_reader_is_reinstated(store: Path, tmp_path: Path) -> None:
    ks.revoke(store, "bob")
    result = ks.issue(store, ["alice", "bob", "carol"], tmp_path / "handout-2.tsv", iterations=ITER)
    assert set(result.passphrases) == {"carol"} and result.revoked == ("bob",)
    assert "bob" not in ks.load_keystore(store).readers and "bob" in ks.load_keystore(store).revoked
    with pytest.raises(AccessError, match="revoked"):
        ks.reissue(store, "bob", tmp_path / "handout-3.tsv", iterations=ITER)
    result = ks.issue(store, ["bob"], tmp_path / "handout-4.tsv", iterations=ITER, reinstate=True)
    assert set(result.passphrases) == {"bob"} and result.revoked == ()
    after = ks.load_keystore(store)
    assert "bob" in after.readers and "bob" not in after.revoked
    ks.revoke(store, "alice")
    phrase = ks.reissue(store, "alice", tmp_path / "handout-5.tsv", iterations=ITER, reinstate=True)
    assert handouts(tmp_path / "handout-5.tsv") == {"alice": phrase} and "alice" in ks.load_keystore(store).readers


def test_rotate_id_key_keeps_readers(store: Path) -> None:
    before = ks.load_keystore(store)
    ks.rotate_id_key(store)
    after = ks.load_keystore(store)
    assert after.id_key != before.id_key and len(after.id_key) == 32
    assert after.readers == before.readers
    assert ks.opaque_id(after, "build", "2026-H2/t001") != ks.opaque_id(before, "build", "2026-H2/t001")


def test_kdf_floor(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lchc_gen.access import crypto

    monkeypatch.setattr(crypto, "MIN_ITERATIONS", 600_000)  # the real floor (the suite lowers it)
    problem = ks.check_kdf_floor(ks.load_keystore(store), store)
    assert problem is not None and "600,000" in problem.message and "alice, bob" in problem.message
    assert "lchc-gen keys reissue" in problem.message
    monkeypatch.setattr(crypto, "MIN_ITERATIONS", ITER)
    assert ks.check_kdf_floor(ks.load_keystore(store), store) is None


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


def test_opaque_ids_are_keyed_and_change_with_the_publication(store: Path) -> None:
    keystore = ks.load_keystore(store)
    assert ks.opaque_id(keystore, "b1", "team-sales") == ks.opaque_id(keystore, "b1", "team-sales")
    assert ks.opaque_id(keystore, "b1", "team-sales") != ks.opaque_id(keystore, "b2", "team-sales")
    assert ks.opaque_id(keystore, "b1", "team-sales") != ks.opaque_id(ks.new_keystore(), "b1", "team-sales")
    assert len(ks.opaque_id(keystore, "b1", "team-sales")) == 16


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


def test_location_inside_site_dir_is_refused_at_any_depth_and_through_links(tmp_path: Path) -> None:
    docs, site = tmp_path / "content", tmp_path / "site"
    for inside in (site / "k.json", site / ".lchc" / "deep" / "k.json"):
        problem = ks.check_keystore_location(inside, docs, None, site_dir=site)
        assert problem is not None and "site_dir" in problem.message, inside
    (site / ".lchc").mkdir(parents=True)
    (tmp_path / "innocent").symlink_to(site / ".lchc")  # a link whose name says nothing
    problem = ks.check_keystore_location(tmp_path / "innocent" / "k.json", docs, None, site_dir=site)
    assert problem is not None and "site_dir" in problem.message
    assert ks.check_keystore_location(tmp_path / "keys" / "k.json", docs, None, site_dir=site) is None


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


@needs_git
def test_git_history_that_ever_held_the_keys_is_refused(repo: Path, tmp_path: Path) -> None:
    path = repo / "k.json"
    ks.issue(path, ["alice", "bob"], tmp_path / "h.tsv", iterations=ITER)
    (repo / "readme.md").write_text("site\n")
    git(repo, "add", "readme.md")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    assert ks.check_git_history(ks.load_keystore(path), path, [repo]) is None
    git(repo, "add", "k.json")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "oops")
    git(repo, "rm", "-q", "--cached", "k.json")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "remove it")
    # Moved out of the repository and edited since: the keys are what matter, not the path.
    outside = tmp_path / "elsewhere" / "k.json"
    outside.parent.mkdir()
    path.rename(outside)
    ks.revoke(outside, "bob")
    problem = ks.check_git_history(ks.load_keystore(outside), outside, [repo])
    assert problem is not None and "git history" in problem.message
    assert "lchc-gen keys issue --keystore" in problem.message
    ks.rotate_id_key(outside)  # alice's key is still in the history
    assert ks.check_git_history(ks.load_keystore(outside), outside, [repo]) is not None
    fresh = tmp_path / "new" / "k.json"  # the fix the message gives: a new keystore
    ks.issue(fresh, ["alice"], tmp_path / "h2.tsv", iterations=ITER)
    assert ks.check_git_history(ks.load_keystore(fresh), fresh, [repo]) is None


def test_demo_keystores_are_marked_and_refuse_real_issuing(tmp_path: Path) -> None:
    from lchc_gen.access.demo import demo_keystore

    path = tmp_path / "demo.json"
    assert demo_keystore(path, tmp_path / "demo.tsv", ["alice"], iterations=ITER)
    assert ks.load_keystore(path).demo and json.loads(path.read_text())["demo"] is True
    with pytest.raises(AccessError, match="demo keystore"):
        ks.issue(path, ["bob"], tmp_path / "h.tsv", iterations=ITER)
    with pytest.raises(AccessError, match="demo keystore"):
        ks.reissue(path, "alice", tmp_path / "h.tsv", iterations=ITER)
    assert not ks.load_keystore(tmp_path / "demo.json").readers.keys() - {"alice"}


_KILLED_WRITE = """
import os, signal, sys
from pathlib import Path
from lchc_gen.access import keystore as ks
os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)  # the process dies before the rename
ks.revoke(Path(sys.argv[1]), "bob")
"""


def _leftovers(folder: Path, target: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name not in (target.name, ".git", ".gitignore")]


def test_a_write_killed_midway_leaves_only_a_private_ignored_temp_file_and_the_next_write_removes_it(tmp_path: Path) -> None:
    # A keystore at the top of a site repository with the project's ignore rules, outside `.secrets/`.
    repo = tmp_path / "site"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    shutil.copy(Path(__file__).resolve().parents[2] / ".gitignore", repo / ".gitignore")
    store = repo / "lchc.keystore.json"
    ks.issue(store, ["alice", "bob"], tmp_path / "handout.tsv", iterations=ITER)
    before = store.read_bytes()
    killed = subprocess.run([os.sys.executable, "-c", _KILLED_WRITE, str(store)], check=False)
    assert killed.returncode == -9
    assert store.read_bytes() == before
    (left,) = _leftovers(repo, store)  # the new keystore, written but never renamed
    assert json.loads(left.read_text())["readers"]  # it holds every key, so:
    assert mode(left) == 0o600
    ignored = subprocess.run(["git", "-C", str(repo), "check-ignore", "-q", left.name], check=False)
    assert ignored.returncode == 0, f"{left.name} is not covered by .gitignore"
    ks.revoke(store, "bob")  # the next write removes what the crash left
    assert _leftovers(repo, store) == [] and "bob" in ks.load_keystore(store).revoked


def test_a_failed_write_removes_its_temp_file_and_stale_ones_of_earlier_versions(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = store.parent / f".{store.name}.k3xq9a.tmp"  # as an earlier version named it
    stale.write_text("{}")

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", crash)
        with pytest.raises(OSError):
            ks.revoke(store, "bob")
    assert _leftovers(store.parent, store) == []


def test_readers_who_differ_only_in_case_are_refused(store: Path, tmp_path: Path) -> None:
    """They would share one keyring file, as sign-in does not tell case apart."""
    with pytest.raises(AccessError, match="'alice' and 'Alice' differ only in case"):
        ks.issue(store, ["Alice"], tmp_path / "handout-2.tsv", iterations=ITER)
    assert not (tmp_path / "handout-2.tsv").exists()
