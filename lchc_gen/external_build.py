"""`lchc-gen build -- <command>`: the site built by another generator (Zensical, or MkDocs
without the plugin), with the same pages and the same output step as the MkDocs plugin.

1. Load and check every input exactly as the plugin does (its own code, run outside MkDocs:
   `on_config` and `on_pre_build`), so a bad input stops here, before the docs tree or the
   site is touched, with every problem as file:line.
2. Write the generated pages, assets and the "My reports" page into docs_dir, at the paths
   the plugin gives them (so every URL is the same), recording them in a manifest beside
   mkdocs.yml; refuse to replace a file that is not ours.
3. Run the generator's command.
4. The output step (`site_output.finish_site`): heads, encrypted files, search index, sitemap.
5. Remove the generated files from docs_dir again, whatever happened.
"""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path
from typing import Sequence

from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from .assets import ACCESS_JS, ASSETS
from .feedback.results import latest_changes_html
from .mkdocs_plugin.plugin import ASSET_PREFIX, CHANGES_LINE, LchcPlugin
from .render import make_env, page_url
from .reports.pages import ReportOptions
from .site_output import finish_site
from .access.site import relative_root

MANIFEST = ".lchc-generated.json"  # beside mkdocs.yml: the files step 2 wrote, for step 5


class BuildError(Exception):
    """The build stopped; the message says why (every input problem with its file and line)."""


class _Warnings(logging.Handler):
    """Prints the plugin's log lines and counts its warnings (for --strict)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.count += 1
            print(f"warning: {record.getMessage()}", flush=True)
        else:
            print(record.getMessage(), flush=True)


def _remove_generated(root: Path) -> None:
    """Delete the files the manifest lists, and the folders that leaves empty inside docs_dir."""
    manifest = root / MANIFEST
    if not manifest.exists():
        return
    listed = json.loads(manifest.read_text(encoding="utf-8"))
    docs = Path(listed["docs_dir"])
    for name in listed["files"]:
        path = docs / name
        if path.is_file():
            path.unlink()
        folder = path.parent
        while folder != docs and folder.is_relative_to(docs) and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    manifest.unlink()


def build(config_file: Path, command: Sequence[str], *, strict: bool = False) -> int:
    """Run the whole build; returns the generator's exit status (0 when all went well)."""
    if not command:
        raise BuildError("give the generator's command after `--`, e.g. `lchc-gen build -- zensical build`")
    root = config_file.resolve().parent
    handler = _Warnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        _remove_generated(root)  # what a run that was stopped left behind
        try:
            cfg = load_config(str(config_file), strict=strict)
        except MkDocsException as exc:
            raise BuildError(f"{config_file}: {exc}") from None
        plugin = cfg.plugins.get("lchc")
        if not isinstance(plugin, LchcPlugin):
            raise BuildError(f"{config_file}: no `lchc` entry under `plugins:`; its options say what to build")
        if plugin.config.reports_plaintext_preview:
            raise BuildError(
                f"{config_file}: reports_plaintext_preview works only inside MkDocs (the report pages are filled in "
                "while MkDocs renders them); `lchc-gen build` publishes reports encrypted or not at all"
            )
        plugin.on_startup(command="build", dirty=False)
        try:
            cfg = plugin.on_config(cfg)
            plugin.on_pre_build(config=cfg)
        except MkDocsException as exc:  # PluginError: every problem, file and line
            raise BuildError(str(exc)) from None
        if strict and handler.count:
            raise BuildError(f"{handler.count} warnings with --strict: nothing was written")
        docs = Path(cfg.docs_dir)
        files: dict[str, bytes | str] = {g.path: g.content for g in plugin.generated}
        files |= {f"{ASSET_PREFIX}/{name}": data for name, data in {**ASSETS, ACCESS_JS[0]: ACCESS_JS[1]}.items()}
        clashes = sorted(p for p in files if (docs / p).exists())
        if clashes:
            raise BuildError(f"these generated files would replace files in {docs}: {', '.join(clashes)}")
        manifest = {"docs_dir": str(docs.resolve()), "files": sorted(files)}
        (root / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        try:
            for rel, content in files.items():
                target = docs / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(content, bytes):
                    target.write_bytes(content)
                else:
                    target.write_text(content, encoding="utf-8")
            print(f"lchc-gen: wrote {len(files)} generated files into {docs}; running: {' '.join(command)}", flush=True)
            status = subprocess.run(list(command), cwd=root).returncode
            if status != 0:
                print(f"lchc-gen: the generator failed (exit status {status}); {cfg.site_dir} was not finished", flush=True)
                return status
            env = make_env(plugin._path(plugin.config.templates_dir))
            prefix = plugin.config.prefix.strip("/")
            udu = cfg.use_directory_urls

            def changes(url: str, html: str) -> str:
                if not CHANGES_LINE.search(html):
                    return html
                target = lambda pid: relative_root(url) + page_url(f"{prefix}/{pid}.md" if prefix else f"{pid}.md", udu)
                block = latest_changes_html(plugin.programs, env, target)
                return CHANGES_LINE.sub(lambda m: block, html)

            styles = [s for s in cfg.extra_css if s.startswith(ASSET_PREFIX + "/")]
            scripts = [str(s) for s in cfg.extra_javascript if str(s).startswith(ASSET_PREFIX + "/")]
            viewer = page_url(f"{ReportOptions.prefix}/index.md", udu)
            try:
                done = finish_site(
                    cfg.site_dir, plugin.publication, use_directory_urls=udu, stylesheets=styles, scripts=scripts,
                    unsearchable=[viewer] if plugin.publication is not None else [], page_hook=changes,
                )
            except ValueError as exc:
                raise BuildError(str(exc)) from None
            plugin.record_publication()  # the site is written: what it published is on record
            pub = plugin.publication
            if pub is not None:
                for reader, pages in pub.missing_readers.items():
                    print(f"warning: reader {reader!r} may read {len(pages)} reports but has no key: run `lchc-gen keys issue`")
            print(
                f"lchc-gen: finished {done['pages']} pages in {cfg.site_dir}: {done['encrypted']} encrypted files, "
                f"{done['stale']} left by an earlier build removed, {done['scrubbed']} search entries taken out",
                flush=True,
            )
            if done["content_scripts"]:
                print(f"warning: {done['content_scripts']} inline scripts in page content are blocked by the policy")
            return 0
        finally:
            _remove_generated(root)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
