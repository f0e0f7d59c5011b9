"""The core site on its own, as any adapter drives it: options and settings in, every problem at
once, pages, assets and the publication out, the output step after the generator."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest

from lchc_gen.site.config import read_site
from lchc_gen.site.core import Site, SiteError
from tests.access.conftest import protected_site  # noqa: F401 (a fixture)


def _site(root: Path, strict: bool = False) -> tuple[Site, list[str], list[str]]:
    config, options = read_site(root / "mkdocs.yml", strict=strict)
    site = Site(logging.getLogger("test.core"))
    site.start(serving=False)
    styles, scripts = site.configure(config, options)
    return site, styles, scripts


def test_every_problem_at_once_before_anything_is_written(make_site) -> None:
    root = make_site(programs={"a.yml": "id: a\ntitle: 42\n", "b.yml": "id: b\ntitle: [unclosed\n"})
    site, _, _ = _site(root)
    with pytest.raises(SiteError) as err:
        site.build()
    assert "a.yml:2: title: Input should be a valid string" in str(err.value)
    assert "b.yml:3: (yaml): not valid YAML" in str(err.value)
    assert not (root / "site").exists()


def test_pages_assets_and_the_publication(protected_site, tmp_path: Path) -> None:
    root, _, _ = protected_site()
    site, styles, scripts = _site(root)
    assert "assets/lchc/lchc.css" in styles and "assets/lchc/lchc-ui.js" in scripts
    assert set(styles + scripts) <= set(site.assets)  # every linked file is one the site adds
    site.build()
    paths = {g.path for g in site.generated}
    assert {"programs/index.md", site.viewer} <= paths
    pub = site.publication
    assert pub is not None and len([f for f in pub.files if f.path.startswith("_access/p/")]) == 26 + 6  # and 3 department views a cycle
    out = tmp_path / "out"
    site.finish(out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) == sorted(f.path for f in pub.files)


def test_a_strict_build_stops_on_warnings(make_site) -> None:
    root = make_site(copy_demo=True)
    site, _, _ = _site(root, strict=True)
    site.config = replace(site.config, nav=[{"Home": "index.md"}])  # leaves out every generated page
    with pytest.raises(SiteError) as err:
        site.build()
    assert "warnings in a --strict build, so nothing was written" in str(err.value)
    assert "nav leaves out these generated pages" in str(err.value)
