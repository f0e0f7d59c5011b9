"""mkdocs.yml read by the core, without MkDocs: INHERIT merged as MkDocs merges it, tags the
core does not need kept opaque, !ENV read, and every problem named by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config

from lchc_gen.problems import InputError
from lchc_gen.project import Opaque
from lchc_gen.site.config import read_site

PARENT = """site_url: https://learning.example.org/base
theme:
  name: material
  custom_dir: overrides
  features: [navigation.instant, content.tabs.link]
extra:
  scope: /
  analytics: {provider: none}
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
  - toc:
      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
"""
CHILD = """INHERIT: shared/parent.yml
site_name: Child
docs_dir: content
use_directory_urls: false
extra:
  analytics: {provider: custom}
nav:
  - Home: index.md
plugins:
  - search
  - lchc:
      today: "2027-01-01"
      programs_dir: my-programs
"""


def _project(tmp_path: Path, child: str = CHILD, parent: str = PARENT) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "overrides").mkdir()  # custom_dir: relative to mkdocs.yml, wherever it is set
    (tmp_path / "content" / "index.md").write_text("# Home\n")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "parent.yml").write_text(parent)
    (tmp_path / "mkdocs.yml").write_text(child)
    return tmp_path / "mkdocs.yml"


def test_inherit_is_merged_as_mkdocs_merges_it(tmp_path: Path) -> None:
    path = _project(tmp_path)
    config, options = read_site(path)
    ours = load_config(str(path))  # MkDocs' own reading, for comparison
    assert config.site_name == ours.site_name == "Child"
    assert config.site_url == ours.site_url == "https://learning.example.org/base/"
    assert config.use_directory_urls is ours.use_directory_urls is False
    assert config.extra == dict(ours.extra) == {"scope": "/", "analytics": {"provider": "custom"}}
    assert config.nav == ours.nav
    assert config.theme_name == ours.theme.name == "material"
    assert config.theme_dir == tmp_path / "overrides" and config.theme_features == ["navigation.instant", "content.tabs.link"]
    assert config.docs_dir == tmp_path / "content" and config.site_dir == tmp_path / "site"
    assert options.programs_dir == "my-programs" and options.today == "2027-01-01" and options.prefix == "programs"


def test_python_tags_are_kept_as_opaque_values_and_never_imported(tmp_path: Path) -> None:
    from lchc_gen.project import read_config

    data = read_config(_project(tmp_path, parent=PARENT.replace("material.extensions.emoji", "no_such_package.emoji"))).data
    emoji = data["markdown_extensions"][0]["pymdownx.emoji"]["emoji_index"]
    assert emoji == Opaque("!!python/name:no_such_package.emoji.twemoji", "")
    assert isinstance(data["markdown_extensions"][1]["toc"]["slugify"], Opaque)


def test_env_tags_are_read_as_mkdocs_reads_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    child = CHILD.replace("site_name: Child", "site_name: !ENV [LCHC_TEST_NAME, Fallback]")
    monkeypatch.delenv("LCHC_TEST_NAME", raising=False)
    assert read_site(_project(tmp_path, child))[0].site_name == "Fallback"
    monkeypatch.setenv("LCHC_TEST_NAME", "From the environment")
    assert read_site(tmp_path / "mkdocs.yml")[0].site_name == "From the environment"


def test_a_missing_parent_is_named_with_its_line(tmp_path: Path) -> None:
    path = _project(tmp_path, "site_name: x\n" + CHILD.replace("shared/parent.yml", "shared/nope.yml"))
    with pytest.raises(InputError) as err:
        read_site(path)
    assert "mkdocs.yml:2: INHERIT: the inherited file shared/nope.yml does not exist" in str(err.value)


def test_a_file_that_inherits_from_itself_is_refused(tmp_path: Path) -> None:
    path = _project(tmp_path, parent="INHERIT: ../mkdocs.yml\nsite_url: https://x.example/\n")
    with pytest.raises(InputError) as err:
        read_site(path)
    assert "shared/parent.yml:1: INHERIT: ../mkdocs.yml inherits, directly or not, from this file" in str(err.value)


def test_option_problems_name_the_file_that_holds_the_options(tmp_path: Path) -> None:
    """Options in the parent file: their problems name it, at their own line."""
    parent = PARENT + "plugins:\n  - lchc:\n      programs_dir: 3\n      keystor: typo.json\n"
    child = "\n".join(line for line in CHILD.splitlines() if not line.startswith(("plugins", "  -", "      "))) + "\n"
    with pytest.raises(InputError) as err:
        read_site(_project(tmp_path, child, parent))
    shown = str(err.value)
    assert "shared/parent.yml:16: plugins[0].lchc.programs_dir: Input should be a valid string" in shown, shown
    assert "shared/parent.yml:17: plugins[0].lchc.keystor: unknown field (check the spelling)" in shown, shown


def test_settings_of_the_wrong_kind_and_a_missing_plugin(tmp_path: Path) -> None:
    path = _project(tmp_path, CHILD.replace("docs_dir: content", "docs_dir: [content]"))
    with pytest.raises(InputError) as err:
        read_site(path)
    assert "mkdocs.yml:3: docs_dir: must be text, not list" in str(err.value)
    assert "is not a folder" not in str(err.value)  # one problem for one value
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins: [search]\n")
    with pytest.raises(InputError) as err:
        read_site(tmp_path / "mkdocs.yml")
    assert "no `lchc` entry under `plugins:`" in str(err.value)
