"""`lchc-gen build -- zensical build` where MkDocs cannot be imported: the core reads mkdocs.yml
itself (an INHERIT chain, Material's `!!python/name:` emoji settings kept as opaque values) and
publishes the same encrypted reports."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from lchc_gen.access.blobs import decrypt_page, open_keyring
from lchc_gen.access.keystore import load_keystore
from lchc_gen.access.publish import keyring_path
from tests.access.conftest import build_id, protected_site  # noqa: F401 (a fixture)
from tests.conftest import TEST_KDF_FLOOR

BIN = Path(sys.executable).parent
BLOCKED = ("mkdocs", "material", "properdocs")
# Installed first in every Python process of the build (lchc-gen and Zensical alike): any
# import of MkDocs, Material or ProperDocs fails as if they were not installed.
SHIM = f"""import sys

class _NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {BLOCKED!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, _NotInstalled())
"""
RUN = f"""import sys
import lchc_gen.access.crypto as c; c.MIN_ITERATIONS = {TEST_KDF_FLOOR}
try:
    import mkdocs
except ImportError:
    pass
else:
    sys.exit("MkDocs is importable: the shim did not load")
from lchc_gen.cli import main
status = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {BLOCKED!r})
sys.exit(f"imported {{loaded}}" if loaded else status)
"""
BASE = """# Shared settings, as a site with several configurations keeps them.
theme:
  name: material
  font: false
  features: [navigation.instant]
markdown_extensions:
  - admonition
  - attr_list
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
"""
CANARY = re.compile(r"canaryperson|canarymail|canaryteam|canaryresp", re.I)


def _inherit(root: Path) -> None:
    """The project's mkdocs.yml split in two: theme and extensions in a parent file it inherits."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("theme", "markdown_extensions"):
        config.pop(key)
    (root / "config").mkdir()
    (root / "config" / "base.yml").write_text(BASE, encoding="utf-8")
    (root / "mkdocs.yml").write_text("INHERIT: config/base.yml\n" + yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    (root / "content" / "index.md").write_text("# Home :smile:\n", encoding="utf-8")


def test_the_build_runs_where_mkdocs_cannot_be_imported(protected_site, tmp_path: Path) -> None:
    root, keystore, _ = protected_site(canary=True)
    _inherit(root)
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(SHIM, encoding="utf-8")
    env = {"PATH": str(BIN), "PYTHONPATH": str(shim), "HOME": str(tmp_path)}
    blocked = subprocess.run([sys.executable, "-c", "import material"], env=env, capture_output=True, text=True)
    assert blocked.returncode == 1 and "No module named 'material'" in blocked.stderr  # the shim works

    command = ["build", "--", str(BIN / "zensical"), "build", "-f", "mkdocs.yml"]
    run = subprocess.run([sys.executable, "-c", RUN, *command], cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert re.search(r"lchc: \d+ reports encrypted", run.stdout)

    site = root / "site"
    assert "twemoji" in (site / "index.html").read_text(encoding="utf-8")  # the emoji settings reached Zensical
    build = build_id(site)
    store = load_keystore(keystore)
    org = yaml.safe_load((root / "survey" / "org.yml").read_text(encoding="utf-8"))
    admin = org["admins"][0]  # opens every report
    entries = open_keyring((site / keyring_path(build, admin)).read_bytes(), store.readers[admin].kek, build, admin)
    reports = [decrypt_page((site / "_access" / "p" / f"{e.page_id}.json").read_bytes(), e.key, build, e.url) for e in entries]
    assert len(reports) == len(list((site / "_access" / "p").glob("*.json"))) >= 26  # 12 teams x 2 cycles, 2 overviews
    assert all(CANARY.search(html) for html in reports)
    for path in site.rglob("*"):
        if path.is_file():
            assert not CANARY.search(path.read_text(encoding="utf-8", errors="replace")), path
    assert not (root / ".lchc-generated.json").exists() and not (root / "content" / "programs").exists()
