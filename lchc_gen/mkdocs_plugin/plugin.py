"""MkDocs events -> core calls.

Inputs are loaded and checked in ``on_pre_build``, which MkDocs runs before it cleans or
writes anything in site/: a bad program file stops the build with site/ untouched.
Generated pages are added in ``on_files`` as ``File.generated``, never written into docs_dir.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from ..assets import ASSETS
from ..problems import InputError
from ..programs.load import LoadedProgram, load_programs
from ..programs.pages import GeneratedFile, PageOptions, build_program_files
from ..render import make_env
from .config import LchcConfig

log = logging.getLogger("mkdocs.plugins.lchc")

ASSET_PREFIX = "assets/lchc"
# Material's search dialog has no accessible name (axe: aria-dialog-name); we add one.
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_DIALOG_NAMED = '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'


class LchcPlugin(BasePlugin[LchcConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.root = Path.cwd()
        self.programs: list[LoadedProgram] = []
        self.generated: list[GeneratedFile] = []

    def _path(self, value: str) -> Path:
        p = Path(value)
        return p if p.is_absolute() else self.root / p

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        for name in sorted(ASSETS):
            if name.endswith(".css"):
                config.extra_css.append(f"{ASSET_PREFIX}/{name}")
        return config

    @event_priority(50)  # before other plugins' pre_build: fail before anything else runs
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        today = dt.date.fromisoformat(self.config.today) if self.config.today else dt.date.today()
        stamp = _build_stamp()
        try:
            self.programs = load_programs(self._path(self.config.programs_dir), self.root)
        except InputError as exc:
            raise PluginError(exc.report()) from None
        opts = PageOptions(
            prefix=self.config.prefix.strip("/"),
            use_directory_urls=config.use_directory_urls,
            today=today,
            stamp=stamp,
        )
        env = make_env(self._path(self.config.templates_dir))
        self.generated = build_program_files(self.programs, env, opts)
        docs = Path(config.docs_dir)
        clashes = [g.path for g in self.generated if (docs / g.path).exists()]
        if clashes:
            raise PluginError(
                "lchc: these generated pages would replace files in docs_dir; move or rename them, "
                f"or set the plugin's `prefix`: {', '.join(clashes)}"
            )
        n = sum(len(lp.occurrences) for lp in self.programs)
        log.info(f"lchc: {len(self.programs)} programs, {n} sessions, {len(self.generated)} generated files")

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for g in self.generated:
            files.append(File.generated(config, g.path, content=g.content))
        for name, data in ASSETS.items():
            files.append(File.generated(config, f"{ASSET_PREFIX}/{name}", content=data))
        return files

    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str:
        return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG_NAMED, 1)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        for value in (self.config.programs_dir, self.config.templates_dir):
            path = self._path(value)
            if path.exists():
                server.watch(str(path))
        return server


def _build_stamp() -> dt.datetime:
    """DTSTAMP for calendars: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
