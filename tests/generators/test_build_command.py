"""`lchc-gen build`: a bad input stops it before the docs tree, the site or the generator is
touched, naming file and line; the generated files never stay in docs_dir."""

from __future__ import annotations

import sys
from pathlib import Path

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
    import json

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
    manifest = {"docs_dir": str((root / "content").resolve()), "files": ["programs/index.md"]}
    (root / ".lchc-generated.json").write_text(json.dumps(manifest))
    assert main(["build", "--config", str(root / "mkdocs.yml"), "--", sys.executable, "-c", FAKE]) == 0
    assert _tree(root / "content") == {"index.md": b"# Home\n"} and not (root / ".lchc-generated.json").exists()
