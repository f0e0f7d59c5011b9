"""publish(): the authorisation matrix through real keyrings, uniform sizes, no leaks."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from lchc_gen.access import keystore as ks
from lchc_gen.access.authz import readers_of_overview, readers_of_team_report
from lchc_gen.access.blobs import KEYRING_MIN_BYTES, decrypt_page, open_keyring
from lchc_gen.access.crypto import unb64u
from lchc_gen.access.errors import DecryptError
from lchc_gen.access.publish import ProtectedPage, keyring_path, new_build_id, page_blob_path, publish

# Long ids, so that none turns up by chance inside base64 text.
TEAMS = {
    "team-board": ("person-ceo", None),
    "team-sales": ("person-vp", "team-board"),
    "team-north": ("person-mia", "team-sales"),
    "team-south": ("person-leo", "team-sales"),
}
ADMINS = ["person-hr"]
READERS = ["person-ceo", "person-vp", "person-mia", "person-leo", "person-hr"]


@pytest.fixture(scope="module")
def keystore(tmp_path_factory: pytest.TempPathFactory) -> ks.Keystore:
    folder = tmp_path_factory.mktemp("keys")
    # "person-ghost" is in the keystore but reads nothing; leo is left out to be reported.
    ids = [r for r in READERS if r != "person-leo"] + ["person-ghost"]
    ks.issue(folder / "k.json", ids, folder / "h.tsv", iterations=1000)
    return ks.load_keystore(folder / "k.json")


def pages(keystore: ks.Keystore, share_up: int = 1) -> list[ProtectedPage]:
    out = []
    for team in TEAMS:
        pid = ks.opaque_id(keystore, "b", team)
        out.append(
            ProtectedPage(
                pid,
                f"r/{pid}/",
                f"<p>CANARY-{team}-SCORE managed by CANARY-MGR-{TEAMS[team][0]}</p>",
                f"CANARY-LABEL-{team}",
                readers_of_team_report(team, TEAMS, ADMINS, share_up),
            )
        )
    oid = ks.opaque_id(keystore, "b", "overview")
    out.append(
        ProtectedPage(
            oid, f"r/{oid}/", "<p>CANARY-OVERVIEW</p>", "CANARY-LABEL-overview", readers_of_overview(ADMINS)
        )
    )
    return out


@pytest.mark.parametrize("share_up", [1, 2])
def test_each_reader_opens_exactly_the_pages_the_rule_allows(keystore: ks.Keystore, share_up: int) -> None:
    build = new_build_id()
    protected = pages(keystore, share_up)
    pub = publish(build, protected, keystore)
    files = {f.path: f.data for f in pub.files}
    for rid, reader in keystore.readers.items():
        entries = open_keyring(files[keyring_path(build, rid)], reader.kek, build, rid)
        allowed = {p.page_id for p in protected if rid in p.readers}
        assert {e.page_id for e in entries} == allowed, rid
        for e in entries:
            page = next(p for p in protected if p.page_id == e.page_id)
            assert (e.url, e.label) == (page.url, page.label)
            assert decrypt_page(files[page_blob_path(e.page_id)], e.key, build, e.url) == page.html
        # A key for one page does not open another.
        for p in protected:
            if p.page_id not in allowed and entries:
                with pytest.raises(DecryptError):
                    decrypt_page(files[page_blob_path(p.page_id)], entries[0].key, build, p.url)


def test_outputs_hide_reader_counts_and_contents(keystore: ks.Keystore) -> None:
    build = new_build_id()
    pub = publish(build, pages(keystore), keystore)
    keyrings = [f for f in pub.files if f.path.startswith("_access/k/")]
    blobs = [f for f in pub.files if f.path.startswith("_access/p/")]
    assert len(keyrings) == len(keystore.readers) and len(blobs) == len(TEAMS) + 1
    assert len({len(f.data) for f in keyrings}) == 1  # the admin's keyring looks like the ghost's
    assert len({len(f.data) for f in blobs}) == 1
    for f in pub.files:
        text = f.data.decode("utf-8") + f.path
        assert "CANARY" not in text
        for name in [*READERS, "person-ghost", *TEAMS]:
            assert name not in text, (name, f.path)


def test_keyrings_fall_in_few_size_classes(keystore: ks.Keystore) -> None:
    # An admin who opens 200 reports gets a larger keyring; everyone who opens few shares one size.
    many = [ProtectedPage(f"p{i:03d}", f"reports/p{i:03d}/", "x", f"Team {i:03d}, H2 2026",
                          frozenset({"person-hr", "person-mia"} if i == 0 else {"person-hr"})) for i in range(200)]
    build = new_build_id()
    pub = publish(build, many, keystore)
    size = {rid: len(f.data) for rid in keystore.readers for f in pub.files if f.path == keyring_path(build, rid)}
    assert size["person-ghost"] == size["person-mia"] == size["person-ceo"] < size["person-hr"]
    small = json.loads(next(f.data for f in pub.files if f.path == keyring_path(build, "person-mia")))
    large = json.loads(next(f.data for f in pub.files if f.path == keyring_path(build, "person-hr")))
    # Ciphertext = padded plaintext + 16-byte tag: 4 KiB for the small class, a larger power of two.
    padded = [len(unb64u(k["ct"])) - 16 for k in (small, large)]
    assert padded[0] == KEYRING_MIN_BYTES == 4 * 1024 and padded[1] > padded[0] and padded[1] & (padded[1] - 1) == 0


def test_missing_readers_are_reported_unless_revoked(keystore: ks.Keystore) -> None:
    pub = publish(new_build_id(), pages(keystore), keystore)
    leo_pages = {p.page_id for p in pages(keystore) if "person-leo" in p.readers}
    assert set(pub.missing_readers) == {"person-leo"}
    assert set(pub.missing_readers["person-leo"]) == leo_pages
    revoked = replace(keystore, revoked={"person-leo": "2026-01-01T00:00:00Z"})
    assert publish(new_build_id(), pages(keystore), revoked).missing_readers == {}


def test_every_page_of_a_size_group_has_one_size(keystore: ks.Keystore) -> None:
    # Compressed sizes on both sides of a size class: one short page, one long and varied.
    long = "".join(f"<p>{i} {hash(i) * i}</p>" for i in range(3000))
    pages_ = [ProtectedPage(f"p{i}", f"r/p{i}/", html, "x", frozenset({"person-hr"}), size_group="team")
              for i, html in enumerate(["<p>short</p>", long, "<p>another</p>"])]
    pages_.append(ProtectedPage("o", "r/o/", "<p>overview</p>", "o", frozenset({"person-hr"}), size_group="overview"))
    pub = publish(new_build_id(), pages_, keystore)
    size = {f.path: len(f.data) for f in pub.files}
    teams = {size[page_blob_path(f"p{i}")] for i in range(3)}
    assert len(teams) == 1 and teams.pop() > 1.5 * size[page_blob_path("o")]  # a larger class than the overview


def test_files_come_in_path_order(keystore: ks.Keystore) -> None:
    pub = publish(new_build_id(), pages(keystore), keystore)
    assert [f.path for f in pub.files] == sorted(f.path for f in pub.files)


def test_content_keys_and_locators_change_every_build(keystore: ks.Keystore) -> None:
    a, b = (publish(new_build_id(), pages(keystore), keystore) for _ in range(2))
    assert {f.path for f in a.files if "/k/" in f.path}.isdisjoint(f.path for f in b.files if "/k/" in f.path)
    a_blobs = {f.path: f.data for f in a.files if "/p/" in f.path}
    b_blobs = {f.path: f.data for f in b.files if "/p/" in f.path}
    assert a_blobs.keys() == b_blobs.keys()  # stable page ids keep bookmarks working
    assert all(json.loads(a_blobs[p])["ct"] != json.loads(b_blobs[p])["ct"] for p in a_blobs)


def test_bad_inputs_are_refused(keystore: ks.Keystore) -> None:
    page = ProtectedPage("a", "r/a/", "x", "x", frozenset())
    with pytest.raises(ValueError):
        publish("bad id", [page], keystore)
    with pytest.raises(ValueError):
        publish(new_build_id(), [page, ProtectedPage("b", "r/a/", "y", "y", frozenset())], keystore)
    with pytest.raises(ValueError):
        publish(new_build_id(), [ProtectedPage("../x", "r/x/", "x", "x", frozenset())], keystore)


def test_nothing_is_written(keystore: ks.Keystore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    publish(new_build_id(), pages(keystore), keystore)
    assert list(tmp_path.iterdir()) == []


def test_names_and_page_info_travel_only_inside_the_keyrings(keystore: ks.Keystore) -> None:
    """A reader's display name and what each page is to them ("own": their own team) are in
    their keyring, encrypted: the published files hold neither in plaintext."""
    from lchc_gen.access.blobs import open_keyring_with_name

    build = new_build_id()
    protected = [
        replace(p, info={"cycle": 0, "kind": "team"}, owner=TEAMS[team][0])
        for p, team in zip(pages(keystore), TEAMS)
    ]
    names = {rid: f"CANARY-NAME-{rid}" for rid in READERS}
    pub = publish(build, protected, keystore, names=names, cycles=["CANARY-CYCLE"])
    files = {f.path: f.data for f in pub.files}
    for data in files.values():
        assert b"CANARY" not in data
    for rid, reader in keystore.readers.items():
        entries, name = open_keyring_with_name(files[keyring_path(build, rid)], reader.kek, build, rid)
        assert name == names.get(rid)
        for e in entries:
            page = next(p for p in protected if p.page_id == e.page_id)
            if page.info:
                assert e.info == {**page.info, "own": rid == page.owner}
            else:
                assert e.info is None
    mia = open_keyring(files[keyring_path(build, "person-mia")], keystore.readers["person-mia"].kek, build, "person-mia")
    assert [e.info["own"] for e in mia] == [True]
    vp = open_keyring(files[keyring_path(build, "person-vp")], keystore.readers["person-vp"].kek, build, "person-vp")
    assert sorted(e.info["own"] for e in vp) == [False, False, True]  # their own team, and two they read for


def test_a_department_heads_keyring_stays_in_the_smallest_size_class() -> None:
    """Names and "My reports" info make keyring entries longer; a reader of 19 reports (a head of
    eight teams over two cycles, plus their own) must still get the keyring every front-line
    manager gets, so that its size does not single them out."""
    from lchc_gen.access.blobs import KeyringEntry, keyring_plaintext

    entries = [
        KeyringEntry(f"{i:016x}", f"reports/#{i:016x}", f"Amber Lantern Crew {i}, Second half 2026", bytes(32),
                     {"cycle": i % 2, "kind": "team", "own": i == 0})
        for i in range(19)
    ]
    plain = keyring_plaintext(entries, "Alexandra Placeholder-Smith", ["First half 2026", "Second half 2026"])
    assert len(plain) < KEYRING_MIN_BYTES
