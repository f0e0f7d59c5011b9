"""MkDocs events -> core calls (``lchc_gen.site.core.Site``); nothing is loaded, checked or
rendered here that another generator's adapter would need too.

Inputs are loaded and checked in ``on_pre_build``, which MkDocs runs before it cleans or
writes anything in site/: a bad program file stops the build with site/ untouched.
Generated pages are added in ``on_files`` as ``File.generated``, never written into docs_dir.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from ..csp import add_policy, policy, theme_scripts
from ..problems import InputError
from ..project import read_config
from ..render import relative_url
from ..site.core import Site, SiteError
from ..site.options import SiteConfig
from ..site.output import NOT_FOUND_PAGE, finish_html, finish_not_found
from .config import LchcConfig, plugin_options
from .livereload import allow_live_reload

log = logging.getLogger("mkdocs.plugins.lchc")


class LchcPlugin(BasePlugin[LchcConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        # Kept across `mkdocs serve` rebuilds (on_startup keeps this instance alive), memos and all.
        self.site = Site(log)
        self.build_uris: set[str] = set()  # every file this build writes, from on_files
        self.static_html: list[str] = []  # HTML files copied from docs_dir as they are, from on_files
        self.theme_env = None  # the theme's Jinja environment (on_env)
        self.csp = ""  # the policy of the page or template being rendered

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> tuple[list, list]:
        """MkDocs logs every value of mkdocs.yml (as its repr) after validating it, before any
        event: an alias bomb there would exhaust memory first. Validating this plugin's options
        comes before that, so the file is held to the YAML limits here."""
        if config_file_path:
            try:
                read_config(Path(config_file_path))
            except InputError as exc:
                raise PluginError(exc.report()) from None
        return super().load_config(options, config_file_path)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Its presence makes MkDocs keep one plugin instance, and its memos, for a serve session
        (and for every build in one Python process: each build other than serve's is a new
        publication, with a new build id, new report ids and new content keys)."""
        self.site.start(serving=command == "serve")

    def on_shutdown(self) -> None:
        self.site.close()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        theme = config.theme
        site_config = SiteConfig(
            config_file=Path(config.config_file_path) if config.config_file_path else None,
            docs_dir=Path(config.docs_dir),
            site_dir=Path(config.site_dir),
            site_url=config.site_url or None,
            site_name=config.site_name,
            use_directory_urls=config.use_directory_urls,
            nav=config.nav,
            strict=bool(config.strict),
            theme_name=theme.name,
            theme_dir=Path(theme.custom_dir) if theme.custom_dir else None,
            theme_features=list(theme.get("features") or []),
            extra=dict(config.extra),
        )
        styles, scripts = self._core(self.site.configure, site_config, plugin_options(self.config, config.config_file_path))
        config.extra_css += styles
        config.extra_javascript += scripts
        return config

    def _core(self, step, *args):
        try:
            return step(*args)
        except SiteError as exc:  # every problem, file and line
            raise PluginError(str(exc)) from None

    @event_priority(50)  # before other plugins' pre_build: fail before anything else runs
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._core(self.site.build)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for g in self.site.generated:
            f = File.generated(config, g.path, content=g.content)
            if not g.in_nav and f.is_documentation_page():
                f.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(f)
        for path, data in self.site.assets.items():
            files.append(File.generated(config, path, content=data))
        self.build_uris = {f.dest_uri for f in files}
        # No theme renders these, so neither on_post_page nor on_post_template sees them.
        self.static_html = [f.dest_uri for f in files if not f.is_documentation_page()
                            and f.dest_uri.lower().endswith((".html", ".htm"))]
        return files

    def on_page_markdown(self, markdown: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """`<!-- lchc:changes -->` on a page: the latest "you said, we did" changes across programs."""
        here = page.file.src_uri
        return self.site.changes(markdown, lambda src: relative_url(here, src, config.use_directory_urls))

    @event_priority(-100)  # last: whatever other plugins did, the report page shows exactly this
    def on_page_content(self, html: str, *, page, config: MkDocsConfig, files: Files) -> str:
        return self.site.preview.get(page.file.src_uri, html)

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        self.theme_env = env
        return env

    def _theme_policy(self, context, config: MkDocsConfig) -> None:
        """The CSP for what is about to be rendered: the theme's script templates (Material keeps
        its inline scripts in partials/javascripts/) rendered with this context, content aside."""
        env = self.theme_env
        values = {**context, "features": config.theme.get("features") or []}
        self.csp = policy(theme_scripts(env, values) if env else [])

    def on_page_context(self, context, *, page, config: MkDocsConfig, nav):
        self._theme_policy(context, config)
        return context

    def on_template_context(self, context, *, template_name: str, config: MkDocsConfig):
        self._theme_policy(context, config)
        return context

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name == NOT_FOUND_PAGE:
            output_content = finish_not_found(output_content, self.site.not_found_html())
        return add_policy(output_content, self.csp) if template_name.endswith(".html") else output_content

    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str:
        pub = self.site.publication
        return finish_html(output, url=page.url, build_id=pub.build_id if pub is not None else None, csp=self.csp)

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.site.finish(config.site_dir, static_html=self.static_html, written=self.build_uris)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        allow_live_reload(server)  # the page's policy would block MkDocs' reload script
        for path in self.site.watched_paths():
            server.watch(str(path))
        return server
