"""`lchc-gen build`: a bad input stops it before the docs tree, the site or the generator is
touched, naming file and line; the generated files never stay in docs_dir."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lchc_gen.cli import main

# A stand-in generator: records that it ran and writes one page.
FAKE = "import pathlib; pathlib.Path('ran').write_text('yes'); pathlib.Path('site').mkdir(exist_ok=True); " \
       "pathlib.Path('site/index.html').write_text('<html><head></head><body><script>theme()</script>" \
       "<article class=\"md-content__inner md-typeset\"><script>content()</script>\\n<!-- lchc:changes -->\\n<code>&lt;!-- lchc:changes --&gt;</code></article></body></html>')"


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_bad_program_stops_the_build_before_anything_is_touched(make_site, capsys) -> None:
    root = make_site(copy_demo=True, programs={"broken.yml": "id: broken\ntitle: 42\nsessions: nope\n"})
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("last good site")
    before = _tree(root / "content"), _tree(root / "site")
    status = main(["build", "--config", str(root / "mkdocs.yml"), "--", sys.executable, "-c", FAKE])
    assert status == 1
    err = capsys.readouterr().err
    assert "broken.yml:2: title: Input should be a valid string" in err, err
    assert (_tree(root / "content"), _tree(root / "site")) == before
    assert not (root / "ran").exists() and not (root / ".lchc-generated.json").exists()


def test_the_output_step_allows_the_themes_scripts_only_and_cleans_up(make_site, capsys) -> None:
    root = make_site(copy_demo=True)
    assert main(["build", "--config", str(root / "mkdocs.yml"), "--", sys.executable, "-c", FAKE]) == 0
    assert (root / "ran").exists()
    html = (root / "site" / "index.html").read_text()
    from lchc_gen.csp import script_hash

    # Neither is one of the theme's own scripts (rendered from its templates), wherever it stands.
    assert script_hash("theme()") not in html and script_hash("content()") not in html
    assert "2 inline scripts that are not the theme's own are blocked" in capsys.readouterr().out
    assert html.count('class="lchc-latest-changes"') == 1  # on a line of its own only
    assert "<code>&lt;!-- lchc:changes --&gt;</code>" in html  # quoted, it stays text
    assert _tree(root / "content") == {"index.md": b"# Home\n"}  # generated files removed again
    # Finishing the same output twice would stack policies: refused, and said why.
    assert main(["build", "--config", str(root / "mkdocs.yml"), "--", sys.executable, "-c", "pass"]) == 1
    assert "finished already" in capsys.readouterr().err


def test_files_a_killed_run_left_are_removed_by_the_next(make_site, monkeypatch) -> None:
    import lchc_gen.external_build as eb

    root = make_site(copy_demo=True)
    # A run that raised while the generator ran: its finally block cleans docs_dir.
    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(eb.subprocess, "run", crash)
    try:
        main(["build", "--config", str(root / "mkdocs.yml"), "--", "zensical", "build"])
    except KeyboardInterrupt:
        pass
    assert not (root / ".lchc-generated.json").exists() and _tree(root / "content") == {"index.md": b"# Home\n"}
    monkeypatch.undo()
    # A run killed outright leaves its manifest and files: the next run removes them first,
    # so they neither clash with its own nor stay behind.
    left = root / "content" / "programs" / "index.md"
    left.parent.mkdir(parents=True)
    left.write_text("left by a killed run")
    _manifest(root, root / "content", {"programs/index.md": b"left by a killed run"})
    assert main(["build", "--config", str(root / "mkdocs.yml"), "--", sys.executable, "-c", FAKE]) == 0
    assert _tree(root / "content") == {"index.md": b"# Home\n"} and not (root / ".lchc-generated.json").exists()


# --- what a build may remove, and where it may write -------------------------------


def _build(root: Path, *command: str) -> int:
    return main(["build", "--config", str(root / "mkdocs.yml"), "--", *(command or (sys.executable, "-c", FAKE))])


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _manifest(root: Path, docs: Path, files: dict[str, bytes]) -> None:
    """A manifest as a killed run leaves it, with the right hash of every file it lists."""
    import json

    listed = {"docs_dir": str(docs.resolve()), "files": {name: _digest(data) for name, data in files.items()}, "folders": []}
    (root / ".lchc-generated.json").write_text(json.dumps(listed))


def test_a_killed_run_leaves_a_file_the_user_edited_since_in_place(make_site, capsys) -> None:
    import subprocess

    root = make_site(copy_demo=True)
    # Killed outright while the generator runs: its manifest and files stay.
    kill = "import os, signal; os.kill(os.getppid(), signal.SIGKILL)"
    cli = [sys.executable, "-m", "lchc_gen.cli", "build", "--", sys.executable, "-c", kill]
    assert subprocess.run(cli, cwd=root, capture_output=True, timeout=300).returncode == -9
    assert (root / ".lchc-generated.json").exists() and (root / "content" / "programs" / "index.md").exists()
    edited = root / "content" / "programs" / "index.md"
    edited.write_text("my own notes, written after the killed run")
    # The next run removes what the killed one wrote but the edited page, and says so; the
    # page is now in the way of a generated one, so the build stops, replacing nothing.
    assert _build(root) == 1
    out = capsys.readouterr()
    assert f"{edited}: left in place: it changed since lchc-gen build wrote it" in out.out, out
    assert "would replace files" in out.err and "programs/index.md" in out.err
    assert _tree(root / "content") == {"index.md": b"# Home\n", "programs/index.md": b"my own notes, written after the killed run"}
    assert [p.name for p in (root / "content").iterdir() if p.is_dir()] == ["programs"]  # its folders removed
    assert not (root / ".lchc-generated.json").exists() and not (root / "ran").exists()


def _absolute(root: Path) -> tuple[Path, str]:
    victim = root / "elsewhere" / "keep.md"
    return victim, str(victim)


def _climbing(root: Path) -> tuple[Path, str]:
    return root / "keep.md", "../keep.md"


def _climbing_inside(root: Path) -> tuple[Path, str]:
    return root / "keep.md", "programs/../../keep.md"


@pytest.mark.parametrize("where", [_absolute, _climbing, _climbing_inside], ids=["absolute", "../", "a/../../"])
def test_manifest_entries_outside_docs_dir_are_left_in_place(make_site, capsys, where) -> None:
    root = make_site(copy_demo=True)
    victim, name = where(root)
    victim.parent.mkdir(parents=True, exist_ok=True)
    victim.write_text("the user's")
    _manifest(root, root / "content", {name: b"the user's"})
    assert _build(root) == 0
    assert victim.read_text() == "the user's"
    out = capsys.readouterr().out
    assert f"left in place: the manifest names a path outside docs_dir ({name})" in out, out


def test_a_manifest_of_another_docs_dir_removes_nothing_there(make_site, capsys) -> None:
    root = make_site(copy_demo=True)
    other = root / "other-docs"
    (other / "programs").mkdir(parents=True)
    (other / "programs" / "index.md").write_text("another site's page")
    _manifest(root, other, {"programs/index.md": b"another site's page"})
    assert _build(root) == 0
    assert (other / "programs" / "index.md").read_text() == "another site's page"
    out = capsys.readouterr().out
    assert f"lists files in {other.resolve()}, but this build's docs_dir is {(root / 'content').resolve()}" in out, out


def test_a_listed_file_behind_a_symlinked_folder_is_left_in_place(make_site, capsys) -> None:
    root = make_site(copy_demo=True)
    outside = root / "outside"
    outside.mkdir()
    (outside / "index.md").write_text("behind the link")
    (root / "content" / "programs").symlink_to(outside, target_is_directory=True)
    _manifest(root, root / "content", {"programs/index.md": b"behind the link"})
    assert _build(root) == 1  # the link is also in the way of the generated pages: nothing written
    out = capsys.readouterr()
    assert f"{root / 'content' / 'programs'} is a symbolic link" in out.out, out
    assert (outside / "index.md").read_text() == "behind the link" and (root / "content" / "programs").is_symlink()


def _dangling(root: Path) -> tuple[Path, Path]:
    link, target = root / "content" / "programs" / "index.md", root / "outside" / "page.md"
    link.parent.mkdir(parents=True)
    target.parent.mkdir()
    link.symlink_to(target)
    return link, target


def _folder(root: Path) -> tuple[Path, Path]:
    link, target = root / "content" / "programs", root / "outside"
    target.mkdir()
    link.symlink_to(target, target_is_directory=True)
    return link, target / "index.md"


@pytest.mark.parametrize("plant", [_dangling, _folder], ids=["dangling file link", "folder link"])
def test_a_symlink_on_a_generated_path_stops_the_build_before_writing(make_site, capsys, plant) -> None:
    root = make_site(copy_demo=True)
    link, target = plant(root)
    assert _build(root) == 1
    err = capsys.readouterr().err
    assert str(link) in err and "symbolic link" in err, err
    assert not target.exists() and [p.name for p in (root / "outside").iterdir()] == []  # nothing written through it
    assert link.is_symlink()  # the user's link stays
    assert not (root / "ran").exists() and not (root / ".lchc-generated.json").exists()


def test_stale_encrypted_files_are_not_removed_through_a_linked_folder(tmp_path: Path) -> None:
    from lchc_gen.site.output import remove_stale

    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "p").mkdir(parents=True)
    (elsewhere / "p" / "keep.json").write_text("not the site's")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "_access").symlink_to(elsewhere, target_is_directory=True)
    assert remove_stale(str(tmp_path / "site"), "_access", set()) == []
    assert (elsewhere / "p" / "keep.json").read_text() == "not the site's"
