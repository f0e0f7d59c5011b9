"""The encrypted cache beside the keystore: a build scores again only changed survey data and
renders again exactly the team reports whose inputs changed, ignores a cache it cannot open,
and leaves nothing readable."""

from __future__ import annotations

import json
import logging
import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from lchc_gen.access import cache as cache_module
from lchc_gen.access.cache import MAGIC, cache_key, cache_path
from lchc_gen.access.crypto import b64u, random_key, unseal
from lchc_gen.access.keystore import load_keystore
from lchc_gen.cli import main as cli
from lchc_gen.memo import Memo
from lchc_gen.survey import compute_scores, load_survey
from lchc_gen.survey.model import SurveyInputs

REPORTS = 24  # 12 teams x 2 cycles
SCORES_REUSED = "survey files unchanged since the last build: scores read from the cache"
REUSED = re.compile(r"reused (\d+) of (\d+) team reports from the cache")


def _build(root: Path, caplog: pytest.LogCaptureFixture) -> tuple[int, int] | None:
    """A `mkdocs build` as in a new process (MkDocs keeps the plugin within one, so its
    in-memory results are dropped first): (reused, total) from its log."""
    caplog.clear()
    cfg = load_config(str(root / "mkdocs.yml"))
    cfg.plugins["lchc"].site.memos.survey, cfg.plugins["lchc"].site.memos.reports = Memo(), Memo()
    cfg.plugins.on_startup(command="build", dirty=False)
    with caplog.at_level(logging.INFO):
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    found = [REUSED.search(r.getMessage()) for r in caplog.records]
    hits = [(int(m.group(1)), int(m.group(2))) for m in found if m]
    return hits[-1] if hits else None


def _scores(root: Path):
    survey = yaml.safe_load((root / "mkdocs.yml").read_text())["plugins"][1]["lchc"]["survey"]
    return compute_scores(load_survey(SurveyInputs.model_validate(survey), root))


def _notes(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records)


def _edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_unchanged_inputs_and_a_program_edit_render_nothing_again(protected_site, caplog) -> None:
    root, keystore_path, _ = protected_site()
    before = keystore_path.read_bytes()
    assert _build(root, caplog) == (0, REPORTS)
    assert keystore_path.read_bytes() == before  # the build never writes the keystore
    folder = cache_path(keystore_path)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert sorted(f.name for f in folder.iterdir()) == ["reports", "scores"]
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in folder.iterdir())
    assert SCORES_REUSED not in _notes(caplog)
    assert _build(root, caplog) == (REPORTS, REPORTS)
    assert SCORES_REUSED in _notes(caplog)
    program = root / "programs" / "sales-discovery-calls.yml"
    program.write_text(program.read_text().replace("title: Better discovery calls", "title: Discovery calls, edited"))
    assert _build(root, caplog) == (REPORTS, REPORTS)
    assert SCORES_REUSED in _notes(caplog)


def test_each_changed_input_renders_again_exactly_the_reports_it_changes(protected_site, caplog, monkeypatch) -> None:
    root, _, _ = protected_site()
    assert _build(root, caplog) == (0, REPORTS)

    # Organisation: a team's name is in its own two reports only (the overview is never cached).
    _edit_yaml(root / "survey" / "org.yml", lambda org: org["teams"][5].update(name="Renamed Crew"))
    assert _build(root, caplog) == (REPORTS - 2, REPORTS)

    # A response in the second cycle: its benchmark and percentiles move, so that cycle's reports
    # change, but those of teams with too few answers to show any number; the first cycle's
    # (their trend ends there) do not.
    answers = root / "survey" / "responses" / "2026-H2.csv"
    lines = answers.read_text().splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if ",member," in line and line.rstrip().endswith(",3"))
    lines[row] = lines[row].rstrip()[:-1] + "4\n"
    answers.write_text("".join(lines))
    assert SCORES_REUSED not in _notes(caplog)
    silent = sum(r.suppressed for r in _scores(root).team_reports("2026-H2"))
    assert 0 < silent < REPORTS // 2
    assert _build(root, caplog) == (REPORTS // 2 + silent, REPORTS)
    assert SCORES_REUSED not in _notes(caplog)

    # The questionnaire: a question's text is in every report.
    _edit_yaml(root / "survey" / "lchc.yml", lambda q: q["questions"][0].update(text=q["questions"][0]["text"] + " (edited)"))
    assert _build(root, caplog) == (0, REPORTS)

    # An option of the plugin that reports show.
    _edit_yaml(root / "mkdocs.yml", lambda c: c["plugins"][1]["lchc"].update(reflection={"what": ["What happened this half?"]}))
    assert _build(root, caplog) == (0, REPORTS)
    assert _build(root, caplog) == (REPORTS, REPORTS)

    # A template: the overview's is not a team report's; the team report's is.
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "overview.html.j2").write_text("<h1>Overview</h1>\n")
    assert _build(root, caplog) == (REPORTS, REPORTS)
    (root / "templates" / "team_kit.html.j2").write_text("<p>No kit this time.</p>\n")
    assert _build(root, caplog) == (0, REPORTS)

    # The code version.
    monkeypatch.setattr(cache_module, "code_version", lambda: "9.9.9+different")
    assert _build(root, caplog) == (0, REPORTS)


def test_a_damaged_or_foreign_cache_is_ignored_with_a_note(protected_site, caplog) -> None:
    root, keystore_path, _ = protected_site()
    _build(root, caplog)
    path = cache_path(keystore_path) / "reports"
    damaged = bytearray(path.read_bytes())
    damaged[-1] ^= 1  # the last page's authentication tag
    path.write_bytes(bytes(damaged))
    assert _build(root, caplog) == (REPORTS - 1, REPORTS)
    assert "was ignored: it is damaged or was written under another keystore's key" in _notes(caplog)
    assert _build(root, caplog) == (REPORTS, REPORTS)  # written afresh

    scores = cache_path(keystore_path) / "scores"
    scores.write_bytes(scores.read_bytes()[:-1])
    assert _build(root, caplog) == (REPORTS, REPORTS)
    assert f"the cache file {scores} was ignored" in _notes(caplog) and SCORES_REUSED not in _notes(caplog)

    doc = json.loads(keystore_path.read_text())
    doc["id_key"] = b64u(random_key())  # another keystore: its cache key derives from another id key
    keystore_path.write_text(json.dumps(doc))
    assert _build(root, caplog) == (0, REPORTS)
    assert f"the cache file {path} was ignored" in _notes(caplog) and SCORES_REUSED not in _notes(caplog)

    path.write_bytes(b"not a cache at all")
    assert _build(root, caplog) == (0, REPORTS)
    assert f"the cache file {path} was ignored" in _notes(caplog)


def _inflate_what_can_be(data: bytes) -> bytes:
    """As much as raw DEFLATE makes of these bytes before it fails (random bytes may decode a little)."""
    inflater, out = zlib.decompressobj(-15), []
    for at in range(0, len(data), 64):
        try:
            out.append(inflater.decompress(data[at:at + 64]))
        except zlib.error:
            break
    return b"".join(out)


def _sealed_pages(data: bytes) -> dict[bytes, bytes]:
    """The reports file's records, read here independently of the code under test."""
    pages, at = {}, len(MAGIC)
    while at < len(data):
        key, length = struct.unpack_from(">32sI", data, at)
        pages[key] = data[at + 36:at + 36 + length]
        at += 36 + length
    return pages


def test_the_cache_holds_no_plaintext(protected_site, caplog) -> None:
    root, keystore_path, _ = protected_site(canary=True)
    _build(root, caplog)
    _build(root, caplog)
    files = {f.name: f.read_bytes() for f in cache_path(keystore_path).iterdir()}
    assert sorted(files) == ["reports", "scores"]
    markers = re.compile(rb"canaryperson|canarymail|canaryteam|canaryresp|data-field", re.I)
    for name, data in files.items():
        assert not markers.search(data), name
    pages = _sealed_pages(files["reports"])
    assert len(pages) == REPORTS
    for sealed in pages.values():  # not merely compressed either
        assert not markers.search(_inflate_what_can_be(sealed[12:]))
    # What the files hold is private (so the scan above would find it in plaintext): opened with
    # the keystore's key, the pages inflate to reports that carry the canaries, and the scores
    # hold the organisation's people.
    key = cache_key(load_keystore(keystore_path))
    page_key, sealed = next(iter(pages.items()))
    html = zlib.decompressobj(-15).decompress(unseal(key, sealed[:12], sealed[12:], MAGIC + b"reports\0" + page_key))
    assert re.search(rb"Canaryteam\d+x", html)
    scores = files["scores"]
    n = int.from_bytes(scores[len(MAGIC):len(MAGIC) + 2], "big")
    wanted, rest = scores[len(MAGIC) + 2:len(MAGIC) + 2 + n], scores[len(MAGIC) + 2 + n:]
    assert re.search(rb"Canaryperson\d+x", unseal(key, rest[:12], rest[12:], MAGIC + b"scores\0" + wanted))


def test_no_cache_where_git_would_take_it(protected_site, caplog, tmp_path: Path) -> None:
    """The keystore is ignored by name; the cache beside it is not, so it is not written."""
    keystore = tmp_path / "repo" / "keystore.json"
    keystore.parent.mkdir()
    subprocess.run(["git", "init", "-q", str(keystore.parent)], check=True)
    (keystore.parent / ".gitignore").write_text("keystore.json\n")
    root, _, _ = protected_site(keystore=keystore)
    assert _build(root, caplog) is None
    assert "no cache: the cache is inside the git work tree" in _notes(caplog)
    assert not cache_path(keystore).exists()


def test_cache_clear(protected_site, caplog, capsys) -> None:
    root, keystore_path, _ = protected_site()
    _build(root, caplog)
    assert cache_path(keystore_path).exists()
    assert cli(["cache", "clear", "--config", str(root / "mkdocs.yml")]) == 0
    assert not cache_path(keystore_path).exists()
    assert "removed the report cache" in capsys.readouterr().out
    assert cli(["cache", "clear", "--config", str(root / "mkdocs.yml")]) == 0
    assert "no report cache" in capsys.readouterr().out
    assert _build(root, caplog) == (0, REPORTS)
