"""The private part of the site: team reports, overviews, learner comments and the L&D admin
view, encrypted into one publication for their readers (or, in the development preview, plain
pages), and the one "My reports" page that shows any of them by ``#<id>``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from typing import Callable

import jinja2

from ..access.cache import ReportCache
from ..access.keystore import opaque_id
from ..access.publish import ACCESS_ROOT, LinkedPage, ProtectedPage, Publication, new_build_id, publish, seal_linked
from ..feedback.private import PrivatePage, admin_view, comment_pages, reach_pages
from ..inputs import Inputs
from ..memo import Memo, digest
from ..programs.attend import session_for
from ..programs.load import LoadedProgram
from ..programs.pages import GeneratedFile, PageOptions
from ..programs.timefmt import span
from ..render import long_date, page_url, relative_url, yaml_string
from ..reports.department import build_department_pages
from ..reports.gaps import gap_pages
from ..reports.pages import DEFAULT_REFLECTION, ReportOptions, ReportPage, SessionDate, build_report_pages, overview_src, page_id
from ..reports.team_page import OPENER as TEAM_OPENER
from ..reports.team_page import TeamPage, bound_url, team_pages
from ..reports.team_page import link as team_link
from ..survey import Scores
from ..survey.privacy import reader_views, summary
from .options import PluginOptions

VIEWER_SRC = f"{ReportOptions.prefix}/index.md"  # "My reports"


@dataclass
class Memos:
    """Results kept across `mkdocs serve` rebuilds: editing a program must not reload, rescore
    and re-render a thousand teams' survey data. The same reports and keystore give the same
    encrypted files, build id included, so a reader stays signed in across rebuilds."""

    survey: Memo[Scores] = field(default_factory=Memo)
    reports: Memo[list[ReportPage]] = field(default_factory=Memo)
    publication: Memo[Publication] = field(default_factory=Memo)
    # Report ids derive from the build id: one per publication, kept while reports and keys stay.
    build_id: Memo[str] = field(default_factory=Memo)
    # Teams' own pages, and their keys (page id -> key), made once per publication (build id), in no keystore.
    team_pages: Memo[list[TeamPage]] = field(default_factory=Memo)
    team_keys: dict[str, dict[str, bytes]] = field(default_factory=dict)


@dataclass
class Private:
    """What the private pages add to a build."""

    files: list[GeneratedFile] = field(default_factory=list)  # "My reports", or preview pages
    preview: dict[str, str] = field(default_factory=dict)  # src_uri -> report HTML (plaintext preview)
    publication: Publication | None = None
    info: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# Opens the build cache beside the keystore: the cache, or None and why not (access/cache.py).
CacheOpener = Callable[[], tuple[ReportCache | None, list[str]]]


def private_pages(
    inputs: Inputs, options: PluginOptions, env: jinja2.Environment, opts: PageOptions, memos: Memos, now: dt.datetime,
    report_cache: CacheOpener | None = None,
) -> Private:
    out = Private()
    scores, loop, keystore = inputs.scores, inputs.loop, inputs.keystore
    n = sum(len(scores.team_ids(c)) for c in scores.cycle_ids) if scores is not None else 0
    if not options.reports_plaintext_preview and keystore is None:
        cycles = len(scores.cycle_ids) if scores is not None else 0
        also = "; nor are learner comments and the admin view" if loop is not None else ""
        out.info.append(
            f"scored {n} team reports in {cycles} cycles; not published: reports are private "
            f"and no keystore is configured (see `lchc-gen keys`){also}"
        )
        return out
    if keystore is None:
        what = ", the overview, learner comments and the admin view" if loop is not None else " and the overview"
        out.warnings.append(
            f"reports_plaintext_preview is ON: {n} team reports{what} are published as plain pages "
            "that ANYONE who can open this site can read. Use this for development only, never for a published site."
        )
    reflection = next((lp for lp in inputs.programs if lp.program.id == options.reflection_program), None)
    report_opts = ReportOptions(
        use_directory_urls=opts.use_directory_urls,
        reflection={**DEFAULT_REFLECTION, **(options.reflection or {})},
        reflection_program=reflection.program.id if reflection else None,
        reflection_sessions=_reflection_sessions(reflection, scores.cycle_ids if scores else [], now),
        programs_prefix=opts.prefix,
        viewer=VIEWER_SRC if keystore is not None else None,
    )
    sources = [env.loader.get_source(env, name)[0] for name in ("team_report.html.j2", "team_kit.html.j2", "team_loop.html.j2", "team_link.html.j2", "overview.html.j2", "team_page.html.j2", "department.html.j2")]
    # Every option but the `opaque` function, which the build id stands for.
    settings = {f.name: getattr(report_opts, f.name) for f in fields(report_opts) if f.name != "opaque"}
    private = [*_loop_pages(inputs, env, opts), *gap_pages(scores, inputs.programs, inputs.loop.attended if inputs.loop else {}, env)]
    loop_key = digest([], *(f"{q.name}\0{q.label}\0{sorted(q.readers)}\0{q.html}" for q in private))
    key = digest([], inputs.survey_key, *sources, repr(settings))
    build_id = ""
    if keystore is not None:
        # A new publication (build id, and report ids derived from it) whenever reports or keys change.
        build_id = memos.build_id.get(digest([], key, loop_key, inputs.keystore_key), new_build_id)
        report_opts = replace(report_opts, opaque=lambda name: opaque_id(keystore, build_id, name))
    # Teams' own pages (key in the link, printed on the team summary): encrypted publications only.
    team: list[TeamPage] = []
    if keystore is not None and scores is not None:
        memos.team_keys = {build_id: memos.team_keys.get(build_id, {})}
        keys, opaque = memos.team_keys[build_id], report_opts.opaque
        team = memos.team_pages.get(digest([], key, build_id), lambda: team_pages(scores, env, opaque, keys))
        report_opts = replace(report_opts, team_links={
            p.name.removesuffix("/team-page"): team_link(opts.site_url, opts.use_directory_urls, p) for p in team if p.linked})
    key = digest([], key, build_id or "preview")
    pages = memos.reports.get(key, lambda: [*_render(scores, env, report_opts, report_cache, out),
                                            *build_department_pages(scores, env, report_opts)]) if scores is not None else []
    groups = {"overview": {overview_src(report_opts, c) for c in scores.cycle_ids} if scores is not None else set()}
    for q in private:
        src = f"{report_opts.prefix}/{report_opts.opaque(q.name) if report_opts.opaque else q.name}.md"
        pages = [*pages, ReportPage(src, q.html, q.readers, q.label, info={"kind": q.size_group})]
        groups.setdefault(q.size_group, set()).add(src)
    if not pages:
        return out
    if keystore is None:
        out.preview = {p.src: p.html for p in pages}
        out.files = [GeneratedFile(p.src, _report_front_matter(p.label), in_nav=False) for p in pages]
        return out
    # One page, "My reports", shows every report: the address's #fragment names the report,
    # so the generator renders no page per report and nothing on the server sees which one is read.
    viewer = page_url(VIEWER_SRC, opts.use_directory_urls)
    group_of = {src: group for group, srcs in groups.items() for src in srcs}

    def encrypt() -> Publication:
        protected = [
            ProtectedPage(page_id(p.src), f"{viewer}#{page_id(p.src)}", p.html, p.label, p.readers,
                          size_group=group_of.get(p.src, p.info.get("kind", "team")), info=p.info, owner=p.owner,
                          deflated=p.deflated)
            for p in pages
        ]
        names = {person.id: person.name for person in scores.data.organisation.people} if scores is not None else {}
        cycles = [c.label for c in scores.data.inputs.cycles] if scores is not None else []
        pub = publish(build_id, protected, keystore, root=ACCESS_ROOT, names=names, cycles=cycles)
        linked = seal_linked(build_id, [LinkedPage(p.page_id, bound_url(p.page_id), p.html) for p in team],
                             {p.page_id: p.key for p in team})
        return replace(pub, files=tuple(sorted(pub.files + linked, key=lambda f: f.path)))

    out.publication = memos.publication.get(digest([], key, loop_key, inputs.keystore_key), encrypt)
    out.info.append(f"{len(pages)} reports encrypted for {len(keystore.readers)} readers")
    if keystore.revoked:
        out.info.append(f"{len(keystore.revoked)} revoked readers get no keyring")
    out.files = [GeneratedFile(VIEWER_SRC, env.get_template("my_reports.md.j2").render(feedback=loop is not None))]
    if team:  # the public page that opens a team's page from its link
        out.files.append(GeneratedFile(TEAM_OPENER, env.get_template("team_page.md.j2").render(), in_nav=False))
    return out


def _render(scores: Scores, env: jinja2.Environment, report_opts: ReportOptions, report_cache: CacheOpener | None, out: Private) -> list[ReportPage]:
    """Published reports come compressed, from the cache beside the keystore where they can."""
    if report_opts.viewer is None or report_cache is None:  # the plaintext preview, or no keystore
        return build_report_pages(scores, env, report_opts, deflated=report_opts.viewer is not None)
    cache, notes = report_cache()
    pages = build_report_pages(scores, env, report_opts, deflated=True, cache=cache)
    out.info += [*notes, *(cache.close() if cache else [])]
    return pages


def _admins(inputs: Inputs) -> frozenset[str]:
    admins = set(inputs.loop.inputs.admins) if inputs.loop else set()
    if inputs.scores is not None:
        admins |= set(inputs.scores.data.organisation.admins)
    return frozenset(admins)


def _loop_pages(inputs: Inputs, env: jinja2.Environment, opts: PageOptions) -> list[PrivatePage]:
    """Learner comments per program and the L&D admin view (feedback option)."""
    loop = inputs.loop
    if loop is None:
        return []
    admins = _admins(inputs)
    pages = comment_pages(inputs.programs, loop.scores, admins, env)
    pages += reach_pages(inputs.programs, loop.reach, admins, env)  # names of people not reached yet
    if admins:
        link_program = loop.inputs.lchc_link.program if loop.inputs.lchc_link else None
        pages.append(
            admin_view(
                inputs.programs, loop.scores, loop.link, link_program, admins, env, opts.today,
                lambda pid: relative_url(VIEWER_SRC, opts.src(f"{pid}.md"), opts.use_directory_urls),
                privacy=_privacy_by_cycle(inputs.scores),
            )
        )
    return pages


def _report_front_matter(title: str) -> str:
    """A preview report page's Markdown: front matter only; the adapter puts in its HTML."""
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


def _privacy_by_cycle(scores: Scores | None) -> list[tuple[str, list[dict]]] | None:
    """The LCHC privacy summary per cycle, for the admin view."""
    if scores is None:
        return None
    rows = summary(reader_views(scores))
    return [(scores.data.inputs.cycle(c).label, [r for r in rows if r["cycle"] == c]) for c in scores.cycle_ids]
