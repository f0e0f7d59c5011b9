"""A raw input reachable from docs_dir by any path, symbolic links included, stops the build
before anything is written: every generator publishes what docs_dir holds as it is."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from lchc_gen.cli import main
from tests.conftest import build_site
from tests.generators.test_three_generators import MARKERS

# A generator that publishes docs_dir as it is, following links (as MkDocs and Zensical do).
COPY = "import shutil; shutil.copytree('content', 'site', dirs_exist_ok=True)"


def _leaks(site: Path) -> list[str]:
    """Every file of the site that holds a planted canary."""
    found = []
    for path in (p for p in site.rglob("*") if p.is_file()) if site.exists() else ():
        data = path.read_bytes()
        text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", errors="replace")
        if MARKERS.search(text):
            found.append(path.relative_to(site).as_posix())
    return found


def _build(generator: str, root: Path, capsys) -> str:
    """Build, expecting a refusal; returns what it said."""
    if generator == "mkdocs":
        with pytest.raises(Abort):
            build_site(root, strict=False)
    else:
        assert main(["build", "--config", str(root / "mkdocs.yml"), "--", sys.executable, "-c", COPY]) == 1
    out = capsys.readouterr()
    return out.out + out.err


def _file_link(root: Path) -> tuple[Path, Path]:
    link = root / "content" / "people.yml"
    link.symlink_to(root / "survey" / "org.yml")
    return link, root / "survey" / "org.yml"


def _folder_link(root: Path) -> tuple[Path, Path]:
    link = root / "content" / "downloads" / "raw"
    link.parent.mkdir()
    link.symlink_to(root / "feedback", target_is_directory=True)
    return link, root / "feedback" / "sales.csv"


@pytest.mark.parametrize("generator", ["mkdocs", "lchc-gen"])
@pytest.mark.parametrize("plant", [_file_link, _folder_link], ids=["file link", "folder link"])
def test_a_link_from_docs_dir_to_raw_data_stops_the_build(feedback_protected, generator: str, plant, capsys, caplog) -> None:
    root = feedback_protected()["root"]
    link, raw = plant(root)
    said = _build(generator, root, capsys) + caplog.text
    assert f"through {link}" in said and raw.name in said, said  # names the link and the file it reaches
    assert _leaks(root / "site") == [] and not (root / "site").exists()
    assert MARKERS.search(raw.read_text())  # the canaries are there to be found


@pytest.mark.parametrize("target", ["survey/responses/2026-H1.csv", "survey/agreements.yml", "keystore", "survey"])
def test_every_raw_input_is_refused_through_a_link(feedback_protected, target: str, caplog) -> None:
    made = feedback_protected()
    root = made["root"]
    reached = made["keystore"] if target == "keystore" else root / target
    link = root / "content" / "linked"
    link.symlink_to(reached, target_is_directory=reached.is_dir())
    with pytest.raises(Abort):
        build_site(root, strict=False)
    assert f"through {link}" in caplog.text, caplog.text
    assert not (root / "site").exists()


def test_a_hard_link_to_raw_data_is_refused_too(feedback_protected, caplog) -> None:
    root = feedback_protected()["root"]
    copy = root / "content" / "people.yml"
    copy.hardlink_to(root / "survey" / "org.yml")
    with pytest.raises(Abort):
        build_site(root, strict=False)
    assert f"survey/org.yml is the same file as {copy} in docs_dir (a hard link)" in caplog.text, caplog.text
    assert not (root / "site").exists()
