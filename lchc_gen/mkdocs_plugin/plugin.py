"""MkDocs events -> core calls.

Inputs are loaded and checked in ``on_pre_build``, which MkDocs runs before it cleans or
writes anything in site/: a bad program file stops the build with site/ untouched.
Generated pages are added in ``on_files`` as ``File.generated``, never written into docs_dir.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from ..access.keystore import Keystore, opaque_id, resolve_keystore_path
from ..access.publish import ACCESS_ROOT, LinkedPage, ProtectedPage, Publication, new_build_id, publish, seal_linked
from ..access.site import shared_origin_warning
from ..assets import ACCESS_JS, ASSETS
from ..csp import add_policy, policy, theme_scripts
from ..disclosure.published import PublicationRecord
from ..feedback.loop import Loop
from ..feedback.private import PrivatePage, admin_view, comment_pages
from ..feedback.results import latest_changes_html
from ..feedback.views import loop_views
from ..inputs import Settings, load_inputs
from ..memo import Memo, digest
from ..problems import InputError
from ..programs.checks import program_warnings
from ..programs.load import LoadedProgram
from ..programs.pages import GeneratedFile, PageOptions, build_program_files
from ..project import read_config
from ..programs.attend import session_for
from ..programs.cohorts import build_moment
from ..programs.timefmt import span
from ..render import long_date, make_env, page_url, relative_url, yaml_string
from ..reports.team_page import OPENER as TEAM_OPENER
from ..reports.team_page import bound_url, team_pages
from ..reports.team_page import link as team_link
from ..reports.pages import DEFAULT_REFLECTION, ReportOptions, ReportPage, SessionDate, build_report_pages, overview_src, page_id
from ..site_output import NOT_FOUND_PAGE, add_static_policy, finish_html, finish_not_found, home_path, scrub_indexes
from ..survey import Scores
from .config import LchcConfig
from .livereload import allow_live_reload
from .output import LinkedOutput, remove_stale, write_files

log = logging.getLogger("mkdocs.plugins.lchc")

ASSET_PREFIX = "assets/lchc"
CHANGES_MARKER = "<!-- lchc:changes -->"
# Only on a line of its own: the marker quoted in a sentence or code (as the guide does) stays text.
CHANGES_LINE = re.compile(r"^[ \t]*" + re.escape(CHANGES_MARKER) + r"[ \t]*$", re.M)
PROGRAMS_JS = "lchc-programs.js"


class LchcPlugin(BasePlugin[LchcConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.root = Path.cwd()
        self.programs: list[LoadedProgram] = []
        self.scores: Scores | None = None
        self.loop: Loop | None = None  # learner feedback, the LCHC link (feedback option)
        self.record: PublicationRecord | None = None  # group figures published before (beside the keystore)
        self.generated: list[GeneratedFile] = []
        self.keystore: Keystore | None = None
        self.preview: dict[str, str] = {}  # src_uri -> report HTML, for plaintext preview pages
        self.publication: Publication | None = None  # the encrypted reports of this build
        # Kept across `mkdocs serve` rebuilds (on_startup keeps this instance alive): editing a
        # program must not reload, rescore and re-render a thousand teams' survey data.
        self.survey_memo: Memo[Scores] = Memo()
        self.reports_memo: Memo[list[ReportPage]] = Memo()
        # The same reports and keystore give the same encrypted files, build id included, so a
        # reader stays signed in across serve rebuilds; `mkdocs build` always starts afresh.
        self.publication_memo: Memo[Publication] = Memo()
        # Report ids are derived from the build id, so one build id per publication: kept
        # while serving as long as the reports and the keystore stay the same.
        self.build_id_memo: Memo[str] = Memo()
        # The team pages' keys (page id -> key), made once per publication (build id), in no keystore.
        self.team_page_keys: dict[str, dict[str, bytes]] = {}
        self.team_page_memo: Memo[list] = Memo()
        self.build_uris: set[str] = set()  # every file this build writes, from on_files
        self.static_html: list[str] = []  # HTML files copied from docs_dir as they are, from on_files
        self.survey_key = self.keystore_key = ""
        self.serving = False
        self.linked = LinkedOutput()
        self.theme_env = None  # the theme's Jinja environment (on_env)
        self.csp = ""  # the policy of the page or template being rendered
        # This build's warnings: with -q, MkDocs (and ProperDocs) drop them before their strict
        # counter sees them, so a strict build fails on them here (_refuse_warnings).
        self.warnings: list[str] = []

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
        self.serving = command == "serve"
        if not self.serving:
            self.build_id_memo, self.publication_memo = Memo(), Memo()

    def on_shutdown(self) -> None:
        self.serving = False
        self.linked.close()

    def _path(self, value: str) -> Path:
        p = Path(value)
        return p if p.is_absolute() else self.root / p

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        log.warning(f"lchc: {message}")

    def _refuse_warnings(self, config: MkDocsConfig) -> None:
        """A strict build stops on our warnings whatever the log level, before anything is written."""
        if config.strict and self.warnings:
            listed = "\n".join(f"  - {w}" for w in self.warnings)
            raise PluginError(f"lchc: {len(self.warnings)} warnings in a --strict build, so nothing was written:\n{listed}")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        self.warnings = []
        for name in sorted(ASSETS):
            if name.endswith(".css"):
                config.extra_css.append(f"{ASSET_PREFIX}/{name}")
        # Marks past sessions and shows the next one by the reader's clock (program pages, upcoming).
        config.extra_javascript.append(f"{ASSET_PREFIX}/{PROGRAMS_JS}")
        if self._keystore_path() is not None and not self.config.reports_plaintext_preview:
            # The decryption library first: the UI script uses it.
            config.extra_javascript += [f"{ASSET_PREFIX}/{ACCESS_JS[0]}", f"{ASSET_PREFIX}/lchc-ui.js"]
            shared = None if self.config.own_origin else shared_origin_warning(config.site_url)
            if shared:
                self._warn(shared)
        if self.config.survey is not None:
            # The team conversation kit inside team reports (encrypted or preview).
            config.extra_javascript.append(f"{ASSET_PREFIX}/lchc-kit.js")
        if self.config.reports_plaintext_preview and config.strict:
            # Here, before anything is built or written, whichever sections the site has (survey,
            # feedback or neither): a strict build must not leave readable reports or comments behind.
            raise PluginError(
                "lchc: reports_plaintext_preview publishes every report and learner comment as a plain page "
                "that anyone can read; a --strict build refuses it. Turn it off in mkdocs.yml."
            )
        self._refuse_warnings(config)
        return config

    def _now(self, today: dt.date) -> dt.datetime:
        """The build's moment: the start of the configured `today` (tests, reproducible builds), else now."""
        if self.config.today:
            return build_moment(today)  # as the program pages' no-script view
        return dt.datetime.now(dt.timezone.utc)

    def _keystore_path(self) -> Path | None:
        return resolve_keystore_path(self.config.keystore, os.environ, self.root)

    @event_priority(50)  # before other plugins' pre_build: fail before anything else runs
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        today = dt.date.fromisoformat(self.config.today) if self.config.today else dt.date.today()
        stamp = _build_stamp()
        self.preview, self.publication = {}, None
        self._load_inputs(config)
        for warning in program_warnings(self.programs, today):  # --strict fails on these
            self._warn(str(warning))
        opts = PageOptions(
            prefix=self.config.prefix.strip("/"),
            use_directory_urls=config.use_directory_urls,
            today=today,
            stamp=stamp,
            site_url=config.site_url or None,
        )
        env = make_env(self._path(self.config.templates_dir))
        loop = loop_views(self.programs, self.loop.scores if self.loop else None)
        self.generated = build_program_files(self.programs, env, opts, loop=loop)
        if self.scores is not None or self.loop is not None:
            self.generated += self._reports(config, env, opts)
        docs = Path(config.docs_dir)
        clashes = [g.path for g in self.generated if (docs / g.path).exists()]
        if clashes:
            raise PluginError(
                "lchc: these generated pages would replace files in docs_dir; move or rename them, "
                f"or set the plugin's `prefix`: {', '.join(clashes)}"
            )
        self._check_nav(config)
        pub = self.publication
        for reader, pages in (pub.missing_readers.items() if pub is not None else ()):
            self._warn(f"reader {reader!r} may read {len(pages)} reports but has no key: run `lchc-gen keys issue`")
        self._refuse_warnings(config)
        n = sum(len(lp.occurrences) for lp in self.programs)
        log.info(f"lchc: {len(self.programs)} programs, {n} sessions, {len(self.generated)} generated files")

    def _load_inputs(self, config: MkDocsConfig) -> None:
        """Every input, every problem in every file reported together (the same core as `lchc-gen validate`)."""
        settings = Settings(
            root=self.root,
            config_file=Path(config.config_file_path) if config.config_file_path else None,
            docs_dir=Path(config.docs_dir),
            site_dir=Path(config.site_dir),
            programs_dir=self.config.programs_dir,
            keystore=self._keystore_path(),
            survey=self.config.survey is not None,
            feedback=self.config.feedback is not None,
            reports_plaintext_preview=self.config.reports_plaintext_preview,
            allow_demo_keystore=self.config.allow_demo_keystore,
            strict=bool(config.strict),
            today=dt.date.fromisoformat(self.config.today) if self.config.today else None,
        )
        self.programs, self.keystore, self.scores, self.loop, self.record = [], None, None, None, None
        self.keystore_key = self.survey_key = ""
        try:
            inputs = load_inputs(settings, survey_memo=self.survey_memo)
        except InputError as exc:
            raise PluginError(exc.report()) from None
        self.programs, self.keystore, self.keystore_key = inputs.programs, inputs.keystore, inputs.keystore_key
        self.scores, self.survey_key, self.loop = inputs.scores, inputs.survey_key, inputs.loop
        self.record = inputs.record  # saved by record_publication once the site is written
        for note in inputs.notes:
            log.info(f"lchc: {note}")
        for warning in inputs.warnings:
            self._warn(warning)

    def record_publication(self) -> None:
        """Once the site is written: remember what it published (not while serving a preview)."""
        if self.record is not None and not self.serving:
            self.record.save()

    def _check_nav(self, config: MkDocsConfig) -> None:
        """A site that lists its pages in `nav` shows only those in its menus (under every
        generator): a generated page left out, such as a new program's, is one readers cannot find."""
        if not config.nav:
            return
        listed = set(_nav_paths(config.nav))
        missing = [g.path for g in self.generated if g.in_nav and g.path.endswith(".md") and g.path not in listed]
        if missing:
            self._warn(
                f"mkdocs.yml's nav leaves out these generated pages, so no menu leads to them: {', '.join(missing)}; "
                "add them to the nav (a program's page under the other programs)"
            )

    def _admins(self) -> frozenset[str]:
        admins = set(self.loop.inputs.admins) if self.loop else set()
        if self.scores is not None:
            admins |= set(self.scores.data.organisation.admins)
        return frozenset(admins)

    def _private_loop_pages(self, env, opts: PageOptions, viewer_src: str, use_directory_urls: bool) -> list[PrivatePage]:
        """Learner comments per program and the L&D admin view (feedback option)."""
        loop = self.loop
        if loop is None:
            return []
        admins = self._admins()
        pages = comment_pages(self.programs, loop.scores, admins, env)
        if admins:
            link_program = loop.inputs.lchc_link.program if loop.inputs.lchc_link else None
            pages.append(
                admin_view(
                    self.programs, loop.scores, loop.link, link_program, admins, env, opts.today,
                    lambda pid: relative_url(viewer_src, opts.src(f"{pid}.md"), use_directory_urls),
                )
            )
        return pages

    def _reports(self, config: MkDocsConfig, env, opts: PageOptions) -> list[GeneratedFile]:
        scores = self.scores
        n = sum(len(scores.team_ids(c)) for c in scores.cycle_ids) if scores is not None else 0
        keystore = self.keystore
        if not self.config.reports_plaintext_preview and keystore is None:
            cycles = len(scores.cycle_ids) if scores is not None else 0
            also = "; nor are learner comments and the admin view" if self.loop is not None else ""
            log.info(
                f"lchc: scored {n} team reports in {cycles} cycles; not published: reports are private "
                f"and no keystore is configured (see `lchc-gen keys`){also}"
            )
            return []
        if keystore is None:
            what = ", the overview, learner comments and the admin view" if self.loop is not None else " and the overview"
            self._warn(
                f"reports_plaintext_preview is ON: {n} team reports{what} are published as plain pages "
                "that ANYONE who can open this site can read. Use this for development only, never for a published site."
            )
        viewer_src = f"{ReportOptions.prefix}/index.md"
        reflection = next((lp for lp in self.programs if lp.program.id == self.config.reflection_program), None)
        report_opts = ReportOptions(
            use_directory_urls=config.use_directory_urls,
            reflection={**DEFAULT_REFLECTION, **(self.config.reflection or {})},
            reflection_program=reflection.program.id if reflection else None,
            reflection_sessions=_reflection_sessions(reflection, scores.cycle_ids if scores else [], self._now(opts.today)),
            programs_prefix=opts.prefix,
            viewer=viewer_src if keystore is not None else None,
        )
        sources = [env.loader.get_source(env, name)[0] for name in ("team_report.html.j2", "team_kit.html.j2", "team_loop.html.j2", "overview.html.j2", "team_page.html.j2")]
        # Every option but the `opaque` function, which the build id stands for.
        settings = {f.name: getattr(report_opts, f.name) for f in fields(report_opts) if f.name != "opaque"}
        private = self._private_loop_pages(env, opts, viewer_src, config.use_directory_urls)
        loop_key = digest([], *(f"{q.name}\0{q.label}\0{sorted(q.readers)}\0{q.html}" for q in private))
        key = digest([], self.survey_key, *sources, repr(settings))
        build_id = ""
        if keystore is not None:
            # A new publication (build id, and report ids derived from it) whenever reports or keys change.
            build_id = self.build_id_memo.get(digest([], key, loop_key, self.keystore_key), new_build_id)
            report_opts = replace(report_opts, opaque=lambda name: opaque_id(keystore, build_id, name))
        # Teams' own pages (key in the link, printed on the team summary): encrypted publications only.
        team = []
        if keystore is not None and scores is not None:
            self.team_page_keys = {build_id: self.team_page_keys.get(build_id, {})}
            keys, opaque = self.team_page_keys[build_id], report_opts.opaque
            team = self.team_page_memo.get(digest([], key, build_id), lambda: team_pages(scores, env, opaque, keys))
            report_opts = replace(report_opts, team_links={
                p.name.removesuffix("/team-page"): team_link(config.site_url, config.use_directory_urls, p) for p in team if p.linked})
        key = digest([], key, build_id or "preview")
        pages = self.reports_memo.get(key, lambda: build_report_pages(scores, env, report_opts)) if scores is not None else []
        groups = {"overview": {overview_src(report_opts, c) for c in scores.cycle_ids} if scores is not None else set()}
        for q in private:
            src = f"{report_opts.prefix}/{report_opts.opaque(q.name) if report_opts.opaque else q.name}.md"
            pages = [*pages, ReportPage(src, q.html, q.readers, q.label, info={"kind": q.size_group})]
            groups.setdefault(q.size_group, set()).add(src)
        if not pages:
            return []
        if keystore is None:
            self.preview = {p.src: p.html for p in pages}
            return [GeneratedFile(p.src, _report_front_matter(p.label), in_nav=False) for p in pages]
        # One page, "My reports", shows every report: the address's #fragment names the report,
        # so MkDocs renders no page per report and nothing on the server sees which one is read.
        viewer = page_url(viewer_src, config.use_directory_urls)
        group_of = {src: group for group, srcs in groups.items() for src in srcs}

        def encrypt() -> Publication:
            protected = [
                ProtectedPage(page_id(p.src), f"{viewer}#{page_id(p.src)}", p.html, p.label, p.readers,
                              size_group=group_of.get(p.src, "team"), info=p.info, owner=p.owner)
                for p in pages
            ]
            names = {person.id: person.name for person in scores.data.organisation.people} if scores is not None else {}
            cycles = [c.label for c in scores.data.inputs.cycles] if scores is not None else []
            pub = publish(build_id, protected, keystore, root=ACCESS_ROOT, names=names, cycles=cycles)
            linked = seal_linked(build_id, [LinkedPage(p.page_id, bound_url(p.page_id), p.html) for p in team],
                                 {p.page_id: p.key for p in team})
            return replace(pub, files=tuple(sorted(pub.files + linked, key=lambda f: f.path)))

        self.publication = self.publication_memo.get(digest([], key, loop_key, self.keystore_key), encrypt)
        log.info(f"lchc: {len(pages)} reports encrypted for {len(keystore.readers)} readers")
        if keystore.revoked:
            log.info(f"lchc: {len(keystore.revoked)} revoked readers get no keyring")
        opener = [GeneratedFile(TEAM_OPENER, env.get_template("team_page.md.j2").render(), in_nav=False)] if team else []
        return [GeneratedFile(viewer_src, env.get_template("my_reports.md.j2").render(feedback=self.loop is not None)), *opener]

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for g in self.generated:
            f = File.generated(config, g.path, content=g.content)
            if not g.in_nav and f.is_documentation_page():
                f.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(f)
        for name, data in {**ASSETS, ACCESS_JS[0]: ACCESS_JS[1]}.items():
            files.append(File.generated(config, f"{ASSET_PREFIX}/{name}", content=data))
        self.build_uris = {f.dest_uri for f in files}
        # No theme renders these, so neither on_post_page nor on_post_template sees them.
        self.static_html = [f.dest_uri for f in files if not f.is_documentation_page()
                            and f.dest_uri.lower().endswith((".html", ".htm"))]
        return files

    def on_page_markdown(self, markdown: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """`<!-- lchc:changes -->` on a page: the latest "you said, we did" changes across programs."""
        if not CHANGES_LINE.search(markdown):
            return markdown
        env = make_env(self._path(self.config.templates_dir))
        prefix = self.config.prefix.strip("/")
        html = latest_changes_html(
            self.programs, env,
            lambda pid: relative_url(page.file.src_uri, f"{prefix}/{pid}.md" if prefix else f"{pid}.md", config.use_directory_urls),
        )
        return CHANGES_LINE.sub(lambda m: html, markdown)

    @event_priority(-100)  # last: whatever other plugins did, the report page shows exactly this
    def on_page_content(self, html: str, *, page, config: MkDocsConfig, files: Files) -> str:
        return self.preview.get(page.file.src_uri, html)

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
            output_content = finish_not_found(output_content, self.not_found_html(config))
        return add_policy(output_content, self.csp) if template_name.endswith(".html") else output_content

    def not_found_html(self, config: MkDocsConfig) -> str:
        """The 404 page's content: what happened and a link home (templates/not_found.html.j2)."""
        env = make_env(self._path(self.config.templates_dir))
        return env.get_template("not_found.html.j2").render(home=home_path(config.site_url), site_name=config.site_name)

    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str:
        build_id = self.publication.build_id if self.publication is not None else None
        return finish_html(output, url=page.url, build_id=build_id, csp=self.csp)

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        add_static_policy(config.site_dir, self.static_html)
        pub = self.publication
        # Plaintext preview reports stay out of the sitemap and the search index (their front
        # matter already keeps them out of MkDocs' search; other search plugins may not read it).
        preview = [page_url(src, config.use_directory_urls) for src in self.preview]
        scrub_indexes(config.site_dir, unlisted=preview)
        if self.config.survey is not None or self.config.feedback is not None:
            self._remove_stale(config.site_dir, pub)
        if pub is None:
            return
        if self.serving:
            self.linked.place(pub.files, config.site_dir)
        else:
            write_files(pub.files, config.site_dir)
        log.info(f"lchc: wrote {len(pub.files)} encrypted files under {ACCESS_ROOT}/")
        self.record_publication()

    def _remove_stale(self, site_dir: str, pub: Publication | None) -> None:
        """What earlier builds left (`mkdocs build --dirty`): plaintext preview reports after
        a preview build, and encrypted files of earlier publications."""
        removed = remove_stale(site_dir, ACCESS_ROOT, {f.path for f in pub.files} if pub else set())
        if not self.config.reports_plaintext_preview:
            removed += remove_stale(site_dir, ReportOptions.prefix, self.build_uris)
        if removed:
            log.info(f"lchc: removed {len(removed)} report files an earlier build left in the site")

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        allow_live_reload(server)  # the page's policy would block MkDocs' reload script
        watched = [self._path(self.config.programs_dir), self._path(self.config.templates_dir)]
        if self.scores is not None:
            inputs = self.scores.data.inputs
            watched += [self.root / inputs.questionnaire, self.root / inputs.organisation]
            watched += [self.root / c.responses for c in inputs.cycles]
        if self.loop is not None:
            watched += [self.root / f.path for f in self.loop.inputs.files]
            if self.loop.inputs.lchc_link:
                watched.append(self.root / self.loop.inputs.lchc_link.attendance)
        for path in watched:
            if path.exists():
                server.watch(str(path))
        return server


def _nav_paths(nav) -> list[str]:
    """Every page path in a `nav` setting (titles, sections and links aside)."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_paths(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_paths(item)]
    return []


def _report_front_matter(title: str) -> str:
    """A report page's Markdown: front matter only. Its content comes from on_page_content."""
    return f"---\ntitle: {yaml_string(title)}\nsearch:\n  exclude: true\n---\n"


def _reflection_sessions(lp: LoadedProgram | None, cycle_ids: list[str], now: dt.datetime) -> dict[str, SessionDate]:
    """Each cycle's reflection session as its reports name it (programs/attend decides which)."""
    out: dict[str, SessionDate] = {}
    if lp is None:
        return out
    for cycle_id in cycle_ids:
        occ, over = session_for(lp, cycle_id, now)
        if occ is not None:
            when = f"{long_date(occ.start.date())}, {span(occ.start, occ.end, lp.program.timezone)}"
            end = occ.end.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            out[cycle_id] = SessionDate(when, long_date(occ.start.date()), end, over)
    return out


def _build_stamp() -> dt.datetime:
    """DTSTAMP for calendars: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
