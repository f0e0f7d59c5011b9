"""The site, assembled without any site generator.

From the plugin's options and the generator's few settings (``SiteConfig``), ``Site`` loads and
checks every input (``inputs.load_inputs``: every problem at once, file:line), renders the
generated pages, calendars and assets, builds the publication of the private pages, and runs the
output step once the generator has written its pages. Adapters only hand things over:

    site = Site(log)                      # once; kept across `mkdocs serve` rebuilds
    site.start(serving=...)               # a build (or a serve session) begins
    stylesheets, scripts = site.configure(config, options)
    site.build()                          # before anything is written; SiteError stops it
    site.generated, site.assets           # pages and files for the generator
    ... the generator renders, using site.preview, site.changes, site.not_found_html ...
    site.finish(site_dir, ...)            # MkDocs' output: encrypted files, indexes, stale files, the record
    site.finish_built(...)                # or, after a generator that runs no plugin: every page's head too
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from pathlib import Path
from typing import Callable, Collection

import jinja2

from ..access.cache import ReportCache, open_report_cache
from ..access.keystore import resolve_keystore_path
from ..access.publish import ACCESS_ROOT, Publication
from ..access.site import relative_root, shared_origin_warning
from ..assets import ACCESS_JS, ASSETS
from ..feedback.results import latest_changes_html
from ..feedback.views import loop_views
from ..inputs import Inputs, Settings, load_inputs
from ..memo import Memo
from ..problems import InputError
from ..programs.checks import program_warnings
from ..programs.cohorts import build_moment
from ..programs.pages import GeneratedFile, PageOptions, build_program_files
from ..reports.all_staff import all_staff_files
from ..render import make_env, page_url
from ..reports.pages import ReportOptions
from ..survey import Scores
from .linked import LinkedOutput
from .options import PluginOptions, SiteConfig
from .output import add_static_policy, finish_site, home_path, remove_stale, scrub_indexes, write_files
from .private import VIEWER_SRC, Memos, private_pages

ASSET_PREFIX = "assets/lchc"
CHANGES_MARKER = "<!-- lchc:changes -->"
# Only on a line of its own: the marker quoted in a sentence or code (as the guide does) stays text.
CHANGES_LINE = re.compile(r"^[ \t]*" + re.escape(CHANGES_MARKER) + r"[ \t]*$", re.M)
PROGRAMS_JS = "lchc-programs.js"


class SiteError(Exception):
    """The build stops before anything is written; the message says why (every problem)."""


class Site:
    """One site's generated content; kept alive for a serve session, so its memos are reused."""

    def __init__(self, log: logging.Logger | None = None) -> None:
        self.log = log or logging.getLogger("lchc_gen")
        self.options = PluginOptions()
        self.config: SiteConfig | None = None
        self.inputs = Inputs()
        self.generated: list[GeneratedFile] = []
        self.preview: dict[str, str] = {}  # src_uri -> report HTML, for plaintext preview pages
        self.publication: Publication | None = None  # the encrypted reports of this build
        self.memos = Memos()
        self.serving = False
        self.linked = LinkedOutput()
        # This build's warnings: a strict build fails on them here, whatever the log level
        # (with -q, MkDocs and ProperDocs drop them before their strict counters see them).
        self.warnings: list[str] = []

    # -- the build's life -------------------------------------------------------------------

    def start(self, *, serving: bool) -> None:
        """A serve session keeps one publication while its inputs stay; every other build is a
        new publication (new build id, report ids and content keys)."""
        self.serving = serving
        if not serving:
            self.memos.build_id, self.memos.publication = Memo(), Memo()

    def close(self) -> None:
        self.serving = False
        self.linked.close()

    def configure(self, config: SiteConfig, options: PluginOptions) -> tuple[list[str], list[str]]:
        """Checks that need no input file; returns the style sheets and scripts every page links."""
        self.config, self.options, self.warnings = config, options, []
        styles = [f"{ASSET_PREFIX}/{name}" for name in sorted(ASSETS) if name.endswith(".css")]
        # Marks past sessions and shows the next one by the reader's clock (program pages, upcoming).
        scripts = [f"{ASSET_PREFIX}/{PROGRAMS_JS}"]
        if self.keystore_path() is not None and not options.reports_plaintext_preview:
            # The decryption library first: the UI script uses it.
            scripts += [f"{ASSET_PREFIX}/{ACCESS_JS[0]}", f"{ASSET_PREFIX}/lchc-ui.js"]
            shared = None if options.own_origin else shared_origin_warning(config.site_url)
            if shared:
                self.warn(shared)
        if options.survey is not None:
            scripts.append(f"{ASSET_PREFIX}/lchc-kit.js")  # the team conversation kit inside team reports
        if options.reports_plaintext_preview and config.strict:
            # Here, before anything is built or written, whichever sections the site has (survey,
            # feedback or neither): a strict build must not leave readable reports or comments behind.
            raise SiteError(
                "lchc: reports_plaintext_preview publishes every report and learner comment as a plain page "
                "that anyone can read; a --strict build refuses it. Turn it off in mkdocs.yml."
            )
        self.refuse_warnings()
        return styles, scripts

    def build(self) -> None:
        """Load and check every input, render every generated page, encrypt the private ones."""
        config, options = self._config(), self.options
        today = options.today_date() or dt.date.today()
        self.preview, self.publication = {}, None
        self._load()
        for warning in program_warnings(self.inputs.programs, today):  # --strict fails on these
            self.warn(str(warning))
        opts = PageOptions(
            prefix=options.prefix.strip("/"),
            use_directory_urls=config.use_directory_urls,
            today=today,
            stamp=build_stamp(),
            site_url=config.site_url or None,
        )
        env = self.env()
        programs, loop = self.inputs.programs, self.inputs.loop
        views = loop_views(programs, loop.scores, loop.observed, loop.reach) if loop else loop_views(programs, None)
        self.generated = build_program_files(programs, env, opts, loop=views)
        if self.inputs.scores is not None or loop is not None:
            now = build_moment(today) if options.today else dt.datetime.now(dt.timezone.utc)
            private = private_pages(self.inputs, options, env, opts, self.memos, now, self._report_cache)
            for line in private.info:
                self.log.info(f"lchc: {line}")
            for warning in private.warnings:
                self.warn(warning)
            self.generated += private.files
            self.preview, self.publication = private.preview, private.publication
        self.generated += all_staff_files(self.inputs.scores, env)
        clashes = [g.path for g in self.generated if (config.docs_dir / g.path).exists()]
        if clashes:
            raise SiteError(
                "lchc: these generated pages would replace files in docs_dir; move or rename them, "
                f"or set the plugin's `prefix`: {', '.join(clashes)}"
            )
        self._check_nav()
        pub = self.publication
        for reader, pages in (pub.missing_readers.items() if pub is not None else ()):
            self.warn(f"reader {reader!r} may read {len(pages)} reports but has no key: run `lchc-gen keys issue`")
        self.refuse_warnings()
        n = sum(len(lp.occurrences) for lp in programs)
        self.log.info(f"lchc: {len(programs)} programs, {n} sessions, {len(self.generated)} generated files")

    def finish(self, site_dir: str | Path, *, static_html: Collection[str] = (), written: Collection[str] = ()) -> None:
        """After the generator wrote the site (MkDocs' layout): the policy of static HTML pages,
        preview reports out of the indexes, files earlier builds left, the encrypted files, and
        the record of what was published. `written`: every file this build wrote (for --dirty)."""
        site_dir = str(site_dir)
        add_static_policy(site_dir, static_html)
        # Plaintext preview reports stay out of the sitemap and the search index (their front
        # matter keeps them out of MkDocs' search; other search plugins may not read it).
        scrub_indexes(site_dir, unlisted=[page_url(src, self._config().use_directory_urls) for src in self.preview])
        pub = self.publication
        if self.options.survey is not None or self.options.feedback is not None:
            self._remove_stale(site_dir, pub, set(written))
        if pub is None:
            return
        if self.serving:
            self.linked.place(pub.files, site_dir)
        else:
            write_files(pub.files, site_dir)
        self.log.info(f"lchc: wrote {len(pub.files)} encrypted files under {ACCESS_ROOT}/")
        self.record_publication()

    def finish_built(self, theme_scripts: Callable[[str], set[str]], stylesheets: list[str], scripts: list[str]) -> dict[str, int]:
        """After a generator that runs no plugin wrote the whole site (`lchc-gen build`): every
        HTML file's head, assets and changes block (finish_site), the encrypted files, the
        indexes, and the record of what was published. Returns what finish_site counted."""
        config = self._config()
        udu = config.use_directory_urls
        done = finish_site(
            str(config.site_dir), self.publication, use_directory_urls=udu, theme_scripts=theme_scripts,
            stylesheets=stylesheets, scripts=scripts,
            unsearchable=[page_url(VIEWER_SRC, udu)] if self.publication is not None else [],
            page_hook=lambda url, html: self.changes(html, lambda src: relative_root(url) + page_url(src, udu)),
            not_found=self.not_found_html(),
        )
        self.record_publication()  # the site is written: what it published is on record
        return done

    def record_publication(self) -> None:
        """Once the site is written: remember what it published (not while serving a preview)."""
        if self.inputs.record is not None and not self.serving:
            self.inputs.record.save()

    # -- what adapters read -----------------------------------------------------------------

    @property
    def assets(self) -> dict[str, bytes | str]:
        """The package's style sheets and scripts, at their paths in the site."""
        return {f"{ASSET_PREFIX}/{name}": data for name, data in {**ASSETS, ACCESS_JS[0]: ACCESS_JS[1]}.items()}

    @property
    def viewer(self) -> str:
        """The "My reports" page's source path."""
        return VIEWER_SRC

    @property
    def scores(self) -> Scores | None:
        return self.inputs.scores

    def env(self) -> jinja2.Environment:
        """The package's templates, the site's overrides first."""
        return make_env(self.path(self.options.templates_dir))

    def changes(self, text: str, link: Callable[[str], str]) -> str:
        """`<!-- lchc:changes -->` on a line of its own: the latest "you said, we did" changes
        across programs. `link` turns a program page's source path into an address from here."""
        if not CHANGES_LINE.search(text):
            return text
        prefix = self.options.prefix.strip("/")
        block = latest_changes_html(self.inputs.programs, self.env(), lambda pid: link(f"{prefix}/{pid}.md" if prefix else f"{pid}.md"))
        return CHANGES_LINE.sub(lambda m: block, text)

    def not_found_html(self) -> str:
        """The 404 page's content: what happened and a link home (templates/not_found.html.j2)."""
        config = self._config()
        return self.env().get_template("not_found.html.j2").render(home=home_path(config.site_url), site_name=config.site_name)

    def watched_paths(self) -> list[Path]:
        """Every input file and folder a serve session should rebuild on."""
        watched = [self.path(self.options.programs_dir), self.path(self.options.templates_dir)]
        root = self._config().root
        if self.inputs.scores is not None:
            inputs = self.inputs.scores.data.inputs
            watched += [root / inputs.questionnaire, root / inputs.organisation, *(root / c.responses for c in inputs.cycles)]
        loop = self.inputs.loop
        if loop is not None:
            watched += [root / f.path for f in loop.inputs.files]
            if loop.inputs.lchc_link:
                watched.append(root / loop.inputs.lchc_link.attendance)
        return [p for p in watched if p.exists()]

    def path(self, value: str) -> Path:
        p = Path(value)
        return p if p.is_absolute() else self._config().root / p

    def keystore_path(self) -> Path | None:
        return resolve_keystore_path(self.options.keystore, os.environ, self._config().root)

    def _report_cache(self) -> tuple[ReportCache | None, list[str]]:
        """The team reports' cache beside the keystore (access/cache.py), or None and why not."""
        path, keystore, config = self.keystore_path(), self.inputs.keystore, self._config()
        if path is None or keystore is None:
            return None, []
        return open_report_cache(path, keystore, config.docs_dir, config.site_dir)

    def warn(self, message: str) -> None:
        self.warnings.append(message)
        self.log.warning(f"lchc: {message}")

    def refuse_warnings(self) -> None:
        """A strict build stops on our warnings whatever the log level, before anything is written."""
        if self._config().strict and self.warnings:
            listed = "\n".join(f"  - {w}" for w in self.warnings)
            raise SiteError(f"lchc: {len(self.warnings)} warnings in a --strict build, so nothing was written:\n{listed}")

    # -- inside ---------------------------------------------------------------------------

    def _config(self) -> SiteConfig:
        if self.config is None:
            raise RuntimeError("Site.configure comes first")
        return self.config

    def _load(self) -> None:
        """Every input, every problem in every file reported together (the same core as `lchc-gen validate`)."""
        settings = Settings.of(self._config(), self.options)
        self.inputs = Inputs()
        try:
            self.inputs = load_inputs(settings, survey_memo=self.memos.survey)
        except InputError as exc:
            raise SiteError(exc.report()) from None
        for note in self.inputs.notes:
            self.log.info(f"lchc: {note}")
        for warning in self.inputs.warnings:
            self.warn(warning)

    def _check_nav(self) -> None:
        """A site that lists its pages in `nav` shows only those in its menus (under every
        generator): a generated page left out, such as a new program's, is one readers cannot find."""
        nav = self._config().nav
        if not nav:
            return
        listed = set(nav_paths(nav))
        missing = [g.path for g in self.generated if g.in_nav and g.path.endswith(".md") and g.path not in listed]
        if missing:
            self.warn(
                f"mkdocs.yml's nav leaves out these generated pages, so no menu leads to them: {', '.join(missing)}; "
                "add them to the nav (a program's page under the other programs)"
            )

    def _remove_stale(self, site_dir: str, pub: Publication | None, written: set[str]) -> None:
        """What earlier builds left (`mkdocs build --dirty`): plaintext preview reports after
        a preview build, and encrypted files of earlier publications."""
        removed = remove_stale(site_dir, ACCESS_ROOT, {f.path for f in pub.files} if pub else set())
        if not self.options.reports_plaintext_preview:
            removed += remove_stale(site_dir, ReportOptions.prefix, written)
        if removed:
            self.log.info(f"lchc: removed {len(removed)} report files an earlier build left in the site")


def nav_paths(nav) -> list[str]:
    """Every page path in a `nav` setting (titles, sections and links aside)."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in nav_paths(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in nav_paths(item)]
    return []


def build_stamp() -> dt.datetime:
    """DTSTAMP for calendars: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)

