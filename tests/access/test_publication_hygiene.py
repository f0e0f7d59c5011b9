"""What the published files show besides their content: sizes, write order, times, ids across
publications, and plaintext report pages an earlier build left behind."""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from lchc_gen.access.crypto import unb64u
from lchc_gen.site import output  # where the encrypted files are written (plugin and lchc-gen build)
from tests.access.conftest import build_id, opaque
from tests.conftest import build_site


def _blob_sizes(site: Path) -> dict[str, int]:
    """Padded plaintext size of every page blob (ciphertext less the 16-byte tag)."""
    return {p.stem: len(unb64u(json.loads(p.read_bytes())["ct"])) - 16 for p in (site / "_access" / "p").glob("*.json")}


def test_every_team_report_has_one_size_even_with_long_questions(protected_site) -> None:
    root, keystore, _ = protected_site()
    path = root / "survey" / "lchc.yml"
    questionnaire = yaml.safe_load(path.read_text())
    rng = random.Random(5)
    words = "trust clarity feedback goals coaching listening decisions priorities recognition growth".split()
    for q in questionnaire["questions"]:  # long, varied wording: compresses poorly, like real questions
        q["text"] += " " + " ".join(rng.choice(words) + str(rng.randrange(1000)) for _ in range(120))
    path.write_text(yaml.safe_dump(questionnaire, sort_keys=False))
    site = build_site(root, strict=False)
    from lchc_gen.access.keystore import load_keystore

    key, build = load_keystore(keystore).id_key, build_id(site)
    sizes = _blob_sizes(site)
    overviews = {opaque(key, build, f"{c}/overview") for c in ("2026-H1", "2026-H2")}
    org = yaml.safe_load((root / "survey" / "org.yml").read_text())
    reports = {opaque(key, build, f"{c}/{t['id']}") for c in ("2026-H1", "2026-H2") for t in org["teams"]}
    teams = {size for pid, size in sizes.items() if pid in reports}
    assert len(reports & set(sizes)) == 24 and len(teams) == 1, sorted(teams)  # suppressed or not, one size
    assert teams.pop() > 8 * 1024  # the long questions did push reports past the smallest class
    assert len({sizes[o] for o in overviews}) == 1


def test_encrypted_files_are_written_in_id_order_with_one_time(protected_site, monkeypatch: pytest.MonkeyPatch) -> None:
    root, _, _ = protected_site()
    written: list[str] = []
    real_open = open

    def slow_open(path, mode="r", *args, **kwargs):  # a slow disk: every write a moment apart
        if "w" in mode:
            written.append(os.path.relpath(path, root / "site").replace(os.sep, "/"))
            time.sleep(0.003)
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(output, "open", slow_open, raising=False)
    site = build_site(root, strict=False)
    blobs = [w for w in written if w.startswith("_access/")]
    # 26 reports, 6 department views (3 departments x 2 cycles), 14 keyrings, 12 team pages (one per
    # team of the latest cycle); ids are keyed hashes: no team order
    assert len(blobs) == 26 + 6 + 14 + 12 and blobs == sorted(blobs)
    files = [p for p in (site / "_access").rglob("*.json")]
    assert len({p.stat().st_mtime_ns for p in files}) == 1


def test_served_files_share_one_time_and_keep_their_ids_between_rebuilds(protected_site, tmp_path: Path) -> None:
    root, _, _ = protected_site()
    served = tmp_path / "served"
    cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(served))
    cfg.plugins.on_startup(command="serve", dirty=False)
    try:
        build(cfg, serve_url="http://127.0.0.1:8000/")
        files = list((served / "_access").rglob("*.json"))
        assert len(files) == 40 + 6 + 12 and len({p.stat().st_mtime_ns for p in files}) == 1  # department views, team pages
        before = sorted(p.name for p in files)
        program = root / "programs" / "sales-discovery-calls.yml"
        program.write_text(program.read_text().replace("title: Better discovery calls", "title: Edited"))
        # A rebuild while serving keeps the publication, so a signed-in reader stays signed in.
        build(load_config(str(root / "mkdocs.yml"), site_dir=str(served)), serve_url="http://127.0.0.1:8000/")
        assert sorted(p.name for p in (served / "_access").rglob("*.json")) == before
    finally:
        cfg.plugins.on_shutdown()


def test_report_ids_change_with_every_publication(protected_site, tmp_path: Path) -> None:
    root, _, _ = protected_site()
    first = {p.name for p in (build_site(root, strict=False) / "_access" / "p").glob("*.json")}
    second = {p.name for p in (build_site(root, strict=False) / "_access" / "p").glob("*.json")}
    assert len(first) == len(second) == 26 + 6 and first.isdisjoint(second)  # reports, overviews, department views


def test_an_encrypted_build_removes_plaintext_reports_an_earlier_preview_left(protected_site) -> None:
    root, keystore, _ = protected_site()
    config = root / "mkdocs.yml"
    text = config.read_text()
    preview = yaml.safe_load(text)
    preview["plugins"][1]["lchc"]["reports_plaintext_preview"] = True
    config.write_text(yaml.safe_dump(preview, sort_keys=False))
    site = build_site(root, strict=False)
    assert len(list((site / "reports" / "2026-H2").glob("*/index.html"))) == 13 + 3  # plaintext pages, department views too
    config.write_text(text)
    cfg = load_config(str(config))
    cfg.plugins.on_startup(command="build", dirty=True)
    try:
        build(cfg, dirty=True)  # `mkdocs build --dirty`: MkDocs itself cleans nothing
    finally:
        cfg.plugins.on_shutdown()
    left = sorted(p.relative_to(site).as_posix() for p in (site / "reports").rglob("*") if p.is_file())
    assert left == ["reports/index.html"]
    assert not [p for p in site.rglob("*.html") if 'data-field="team_score"' in p.read_text()]
    assert len(list((site / "_access" / "p").glob("*.json"))) == 26 + 6
