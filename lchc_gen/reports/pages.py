"""Team report pages and the organisation overview, rendered from ``Scores``.

Pure: returns ``ReportPage``s, each a finished HTML fragment and the place it belongs in the
site. Reports are rendered straight to HTML, without a Markdown pass: at a thousand teams the
Markdown parser's handling of a report's tables and SVG would be most of the build. Whether
they are published in plaintext (development preview) or encrypted is the caller's decision.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import jinja2
from markupsafe import Markup, escape

from ..access.authz import managers_up_the_line, readers_of_overview, readers_of_team_report
from ..access.blobs import deflate, inflate
from ..render import relative_url
from ..survey import Scores, TeamReport
from ..survey import format as fmt
from ..survey.privacy import reader_views, summary
from ..survey.score import DISTRIBUTION_MIN, PERCENTILE_MIN_TEAMS
from .batch import PageStore, render_all
from .charts import ItemPoint, histogram, item_chart, trend_chart
from .loop import agreement_counts, loop_context
from .team_page import fill_link

# The Leadership Development program's own post-report reflection, in the manager's words.
# Configurable: the plugin's `reflection` option replaces any of the three lists.
DEFAULT_REFLECTION = {
    "what": [
        "Reflect on the past few months: what has it been like for me as a team lead? What has it been like for my team?",
    ],
    "so_what": [
        "So what could I have done differently to get a more desirable outcome?",
    ],
    "now_what": [
        "Now what does my team need to hear from me at this point?",
    ],
}


@dataclass(frozen=True)
class SessionDate:
    """The reflection session a report names: in words, and its end (UTC, ISO 8601) so the reader's
    browser can tell whether it is over on the day the report is read (lchc-ui.js)."""

    when: str  # "Tue 13 Oct 2026, 10:00–11:30 Berlin time (UTC+2)"
    day: str  # "Tue 13 Oct 2026"
    end_utc: str
    over: bool  # over on the day of the build: the view without script


@dataclass(frozen=True)
class ReportOptions:
    prefix: str = "reports"
    use_directory_urls: bool = True
    reflection: dict[str, list[str]] = field(default_factory=lambda: dict(DEFAULT_REFLECTION))
    reflection_program: str | None = "leadership-development"  # program page the reflection leads to
    # Cycle id -> the reflection program's session for that cycle's reports (programs/attend.py).
    reflection_sessions: dict[str, SessionDate] = field(default_factory=dict)
    programs_prefix: str = "programs"
    # Maps a report's name ("2026-H2/t001", "2026-H2/overview") to an opaque id for its URL.
    # None: readable paths, for the development preview only.
    opaque: Callable[[str], str] | None = None
    # The one page that shows every report, chosen by the address's #fragment (the source, e.g.
    # "reports/index.md"). None: each report is a page of its own at its `src`.
    viewer: str | None = None
    # "cycle/team" -> the link of the team's own page (key in its #fragment), printed with a QR
    # code on the team summary; only in an encrypted publication (reports/team_page.py).
    team_links: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportPage:
    src: str  # the report's own source name, e.g. "reports/<id>.md"; its page id is the file stem
    html: str  # the report itself, ready HTML (all data escaped)
    readers: frozenset[str]  # person ids who may read it
    label: str  # e.g. "Amber Lantern Crew, H2 2026": for "My reports" and preview page titles
    # For grouping under "My reports" (published only inside encrypted keyrings, so kept small:
    # every entry counts against a keyring's size class): the cycle's position in the cycles
    # list and the kind ("team" or "overview"); and the team's manager.
    info: dict = field(default_factory=dict)
    owner: str | None = None
    # The HTML compressed for publication (access/blobs.deflate), when the caller asked for it
    # instead of `html` (then "").
    deflated: bytes | None = None


@dataclass(frozen=True)
class Voice:
    """Who a report speaks to. Every report carries both voices; the browser keeps "you" for
    the team's own manager and "named" for everyone else (their manager, an admin), so the
    choice needs no plaintext and no extra page: see lchc-ui.js."""

    key: str  # "you" or "named"
    you: str  # subject: "you" / "Sasha Lee"
    You: str
    your: str  # possessive: "your" / "Sasha Lee's"
    Your: str
    yourself: str  # "yourself" / "themself"
    s: str  # verb ending: "you rate" / "Sasha Lee rates"
    team: str  # "your team" / "the team"
    Team: str


def voices(manager_name: str) -> list[Voice]:
    return [
        Voice("you", "you", "You", "your", "Your", "yourself", "", "your team", "Your team"),
        Voice("named", manager_name, manager_name, f"{manager_name}'s", f"{manager_name}'s", "themself", "s", "the team", "The team"),
    ]


def _src(opts: ReportOptions, name: str) -> str:
    return f"{opts.prefix}/{opts.opaque(name) if opts.opaque else name}.md"


def report_src(opts: ReportOptions, cycle_id: str, team_id: str) -> str:
    return _src(opts, f"{cycle_id}/{team_id}")


def overview_src(opts: ReportOptions, cycle_id: str) -> str:
    return _src(opts, f"{cycle_id}/overview")


def page_id(src: str) -> str:
    return src.rsplit("/", 1)[-1].removesuffix(".md")


def report_href(opts: ReportOptions, from_src: str, to_src: str) -> str:
    """A link from one report to another, as it works where reports are shown."""
    if opts.viewer:
        return f"#{page_id(to_src)}"
    return relative_url(from_src, to_src, opts.use_directory_urls)


def site_href(opts: ReportOptions, from_src: str, to_src: str) -> str:
    """A link from a report to another page of the site."""
    return relative_url(opts.viewer or from_src, to_src, opts.use_directory_urls)


def _scale(scores: Scores) -> list[tuple[int, str]]:
    return [(o.value, o.label) for o in scores.data.questionnaire.scale]


Reports = dict[str, dict[str, TeamReport]]  # cycle id -> team id -> report


def _history(scores: Scores, reports: Reports, report: TeamReport) -> tuple[list[str], list[float | None], list[float | None]]:
    """Team and self score for every cycle up to this one, for the trend chart."""
    labels, team, self_ = [], [], []
    for cycle in scores.data.inputs.cycles:
        r = reports[cycle.id].get(report.team_id)
        if r is not None:
            labels.append(cycle.label)
            team.append(None if r.suppressed else r.team_score)
            self_.append(None if r.suppressed else r.self_score)
        if cycle.id == report.cycle_id:
            break
    return labels, team, self_


UP_THE_LINE = ("their own manager", "their manager's manager")


def read_by(report: TeamReport, line: list[str], names: Callable[[str], str], admins: bool) -> list[tuple[str | None, str]]:
    """Who the report says reads it, as (person id or None for the admins, words): exactly its
    readers (the top team's manager has no manager to name)."""
    out: list[tuple[str | None, str]] = [(report.manager_id, report.manager_name)]
    for depth, pid in enumerate(line):
        if pid in (p for p, _ in out):
            continue
        role = UP_THE_LINE[depth] if depth < len(UP_THE_LINE) else f"a manager {depth + 1} levels up"
        out.append((pid, f"{names(pid)} ({role})"))
    if admins:
        out.append((None, "the L&D admins"))
    return out


def _shared_view(scores: Scores, opts: ReportOptions) -> dict:
    """What every team report of a build reads the same: worked out once, not per report."""
    scale = _scale(scores)
    reflection_href = None
    if opts.reflection_program and opts.viewer:  # every report links from the viewer's address
        reflection_href = site_href(opts, opts.viewer, f"{opts.programs_prefix}/{opts.reflection_program}.md")
    options = scores.data.questionnaire.scale
    return {
        "scale": scale,
        "fmt": fmt,
        "label_of": lru_cache(maxsize=1 << 12)(lambda mean: fmt.nearest_label(mean, options)),
        "compared": _compared,
        "reflection": opts.reflection,
        "reflection_href": reflection_href,
        "shade": _shade,
        "dist": _dist,
        "distribution_min": DISTRIBUTION_MIN,
        "percentile_min": PERCENTILE_MIN_TEAMS,
        "protects_why": PROTECTS_WHY,
    }


def _team_view(scores: Scores, reports: Reports, report: TeamReport, src: str, opts: ReportOptions,
               readers: list[tuple[str | None, str]], shared: dict | None = None) -> dict:
    shared = shared if shared is not None else _shared_view(scores, opts)
    scale = shared["scale"]
    points = [ItemPoint(i.question_id, i.text, i.mean, i.self_value if i.shown else None, i.benchmark, i.status) for i in report.items]
    labels, team, self_ = _history(scores, reports, report)
    previous = reports.get(report.previous_cycle_id or "", {}).get(report.team_id)
    reflection_href = shared["reflection_href"]
    if opts.reflection_program and not opts.viewer:  # each report is a page of its own
        reflection_href = site_href(opts, src, f"{opts.programs_prefix}/{opts.reflection_program}.md")
    return {
        **shared,
        "r": report,
        "chart": None if report.suppressed else item_chart(points, scale, f"items-{report.team_id}"),
        # A line needs two cycles with answers to show: a chart with fewer would be drawn empty.
        "trend": trend_chart(labels, team, self_, scale, f"trend-{report.team_id}") if sum(v is not None for v in team) > 1 else None,
        "voices": voices(report.manager_name),
        "previous": previous,
        "read_by": readers,
        "reflection_href": reflection_href,
        "reflection_session": opts.reflection_sessions.get(report.cycle_id),
        **loop_context(scores, report),
        # Only where the link goes: it is new with each publication, so it is filled in after the
        # (cached) rendering, by build_report_pages.
        "team_link": f"{report.cycle_id}/{report.team_id}" in opts.team_links,
    }


def _dist(counts: list) -> Markup:
    """The Never-to-Always counts as a small stacked bar (decoration) and as numbers (the content)."""
    total = sum(c.count for c in counts)
    n = len(counts)
    bars = "".join(
        f'<span style="width: {100 * c.count / total:.1f}%; background-color: {_shade(i, n)}"></span>'
        for i, c in enumerate(counts) if c.count
    )
    numbers = " · ".join(f'<span title="{escape(c.label)}">{c.count}</span>' for c in counts)
    return Markup(f'<span class="lchc-dist" aria-hidden="true">{bars}</span>\n<span class="lchc-dist-counts">{numbers}</span>')


def _compared(value: float | None, team: str) -> str:
    """A self-awareness score in words: how the manager's own rating compares with the team's."""
    if value is None:
        return ""
    if fmt.signed(value) == fmt.number(0):
        return f"the same as {team}"
    return f"{fmt.number(abs(value))} points {'higher' if value > 0 else 'lower'} than {team}"


# Why a benchmark or percentile is missing from one report though the organisation has enough teams.
PROTECTS_WHY = "next to the other reports its readers can open, it would let someone work out another team's numbers"


# The templates a team report is rendered from (team_report.html.j2 includes the kit).
TEAM_TEMPLATES = ("team_report.html.j2", "team_kit.html.j2", "team_loop.html.j2")


@dataclass(frozen=True)
class _Job:
    order: int  # the cycle's position
    report: TeamReport
    src: str
    read_by: list[tuple[str | None, str]]


def render_team_reports(
    scores: Scores,
    env: jinja2.Environment,
    opts: ReportOptions,
    reports: Reports,
    jobs: list[_Job],
    *,
    deflated: bool,
    cache: PageStore | None,
    workers: int | None,
) -> list[str | bytes]:
    template = env.get_template("team_report.html.j2")
    shared = _shared_view(scores, opts)

    def render(i: int) -> str:
        job = jobs[i]
        return template.render(**_team_view(scores, reports, job.report, job.src, opts, job.read_by, shared))

    keys = None
    if cache is not None:
        base = _base_key(scores, env, opts)
        keys = [_job_key(base, scores, reports, job, opts) for job in jobs]
    return render_all(len(jobs), render, keys, deflated=deflated, cache=cache, workers=workers)


def _base_key(scores: Scores, env: jinja2.Environment, opts: ReportOptions) -> hashlib._Hash:
    """What every team report of this build is rendered from: the code (with the shipped
    templates), the templates in use, the options (but the ids, which are per publication,
    and which no team report shows) and the answer scale."""
    from ..access.cache import code_version  # here: the cache is optional, and the hash is read once

    h = hashlib.sha256(b"lchc-team-report\0" + code_version().encode() + b"\0")
    for name in TEAM_TEMPLATES:
        h.update(env.loader.get_source(env, name)[0].encode() + b"\0")  # type: ignore[union-attr]
    # Team page links are per publication and per team: in each report's own key (_job_key).
    settings = {f.name: getattr(opts, f.name) for f in dataclasses.fields(opts) if f.name not in ("opaque", "team_links")}
    h.update(repr((settings, _scale(scores))).encode())
    return h


def _job_key(base: hashlib._Hash, scores: Scores, reports: Reports, job: _Job, opts: ReportOptions) -> str:
    """Everything one team report shows: its scores (the team's answers, benchmarks and the
    organisation's names as the scores hold them), its trend, its readers, where it links."""
    h = base.copy()
    previous = reports.get(job.report.previous_cycle_id or "", {}).get(job.report.team_id)
    where = opts.viewer or job.src  # a report's own address matters only where it is its own page
    team, cycle = job.report.team_id, job.report.cycle_id
    agreed = scores.data.agreements  # the loop: the agreements after the previous cycle and this one
    loop = (agreed.get((team, job.report.previous_cycle_id or "")), agreed.get((team, cycle)),
            f"{cycle}/{team}" in opts.team_links)
    parts = (report_digest(scores, job.report), _history(scores, reports, job.report),
             report_digest(scores, previous) if previous else None, job.read_by, where, loop)
    h.update(repr(parts).encode())
    return h.hexdigest()


def report_digest(scores: Scores, report: TeamReport) -> str:
    """A hash of the report's repr, the same in every process (a set's order changes with each
    process's string hashing, so `protects` is sorted; any other set would only cost cache
    hits). Kept with the scores, and so in the build cache with them."""
    made: dict[tuple[str, str], str] = scores.__dict__.setdefault("_report_digests", {})
    key = (report.cycle_id, report.team_id)
    if key not in made:
        text = repr(dataclasses.replace(report, protects=tuple(sorted(report.protects))))  # type: ignore[arg-type]
        made[key] = hashlib.sha256(text.encode()).hexdigest()
    return made[key]


def prepare_reports(scores: Scores) -> Scores:
    """Every team report and its digest made now, so that what keeps the scores keeps them too."""
    for cycle_id in scores.cycle_ids:
        for report in scores.team_reports(cycle_id):
            report_digest(scores, report)
    return scores


def build_report_pages(
    scores: Scores,
    env: jinja2.Environment,
    opts: ReportOptions,
    *,
    deflated: bool = False,
    cache: PageStore | None = None,
    workers: int | None = None,
) -> list[ReportPage]:
    """A report per team per cycle, and an overview per cycle.

    `deflated`: each page carries its compressed HTML (`ReportPage.deflated`) instead of the
    HTML, as publication needs it: a thousand teams' HTML is never held at once. `cache`: team
    reports found there by a hash of everything they are rendered from are not rendered again
    (deflated pages only). `workers`: processes that render (default: one per core the
    process may use; 1 renders here)."""
    org = scores.data.organisation
    teams = {t.id: (t.manager, t.parent) for t in org.teams}
    admins = frozenset(org.admins)
    # Every cycle's reports, built once: pages and their trend charts both read them.
    reports: Reports = {c: {r.team_id: r for r in scores.team_reports(c)} for c in scores.cycle_ids}
    names = {p.id: p.name for p in org.people}
    jobs: list[_Job] = []
    for order, cycle_id in enumerate(scores.cycle_ids):
        for report in reports[cycle_id].values():
            line = managers_up_the_line(report.team_id, teams, scores.data.inputs.share_up)
            jobs.append(_Job(order, report, report_src(opts, cycle_id, report.team_id), read_by(report, line, names.__getitem__, bool(admins))))
    done = render_team_reports(scores, env, opts, reports, jobs, deflated=deflated, cache=cache, workers=workers)
    done = [_with_link(scores, env, opts, job, content, deflated) for job, content in zip(jobs, done)]
    pages: list[ReportPage] = []
    by_cycle: dict[int, list[ReportPage]] = {}
    for job, content in zip(jobs, done):
        report = job.report
        by_cycle.setdefault(job.order, []).append(
            ReportPage(
                job.src,
                "" if deflated else content.decode("utf-8") if isinstance(content, bytes) else content,
                readers=readers_of_team_report(report.team_id, teams, admins, scores.data.inputs.share_up),
                label=f"{report.team_name}, {report.cycle_label}",
                info={"cycle": job.order, "kind": "team"},
                owner=report.manager_id,
                deflated=content if deflated else None,
            )
        )
    overview_tpl = env.get_template("overview.html.j2")
    privacy = summary(reader_views(scores))
    for order, cycle_id in enumerate(scores.cycle_ids):
        pages += by_cycle.get(order, [])
        ov = scores.overview(cycle_id)
        src = overview_src(opts, cycle_id)
        bins = [(f"{b.lower:+.1f} to {b.upper:+.1f}", b.count) for b in ov.self_awareness_bins]
        # Not cached: its links name the team reports by their ids, new with every publication.
        html = overview_tpl.render(
            ov=ov,
            fmt=fmt,
            min_responses=scores.min_responses,
            benchmark_min_teams=scores.benchmark_min_teams,
            report_href=lambda team_id, _src=src, _c=cycle_id: report_href(opts, _src, report_src(opts, _c, team_id)),
            histogram=histogram(bins, f"sa-{cycle_id}", "Self-awareness scores of the teams", "Self-awareness score (self minus team)") if bins else None,
            heat=_heat,
            privacy=[row for row in privacy if row["cycle"] == cycle_id],
            agreements=agreement_counts(scores, cycle_id) if scores.data.inputs.agreements else None,
        )
        pages.append(
            ReportPage(
                src,
                "" if deflated else html,
                readers=readers_of_overview(admins),
                label=f"Organisation overview, {ov.cycle_label}",
                info={"cycle": order, "kind": "overview"},
                deflated=deflate(html.encode("utf-8")) if deflated else None,
            )
        )
    return pages


def _with_link(scores: Scores, env: jinja2.Environment, opts: ReportOptions, job: _Job, content: str | bytes, deflated: bool) -> str | bytes:
    """A report of the latest cycle with its team page's link and QR code (new each publication)."""
    url = opts.team_links.get(f"{job.report.cycle_id}/{job.report.team_id}")
    if url is None:
        return content
    html = inflate(content).decode("utf-8") if deflated else content.decode("utf-8") if isinstance(content, bytes) else content
    agreed = any((job.report.team_id, c) in scores.data.agreements for c in (job.report.cycle_id, job.report.previous_cycle_id))
    html = fill_link(html, env, url, agreed)
    return deflate(html.encode("utf-8")) if deflated else html


def _heat(mean: float | None, lo: float = 1.0, hi: float = 5.0) -> str:
    """A light-to-mid blue background for a heatmap cell; dark text stays readable on all of them."""
    if mean is None:
        return ""
    t = max(0.0, min(1.0, (mean - lo) / (hi - lo)))
    start, end = (247, 251, 255), (107, 174, 214)
    r, g, b = (round(s + (e - s) * t) for s, e in zip(start, end))
    return f"background-color: rgb({r}, {g}, {b}); color: #000"


def _shade(index: int, count: int) -> str:
    """The colour of answer option `index` of `count` in a distribution bar: light to dark indigo."""
    t = index / max(count - 1, 1)
    start, end = (197, 202, 233), (26, 35, 126)
    r, g, b = (round(s + (e - s) * t) for s, e in zip(start, end))
    return f"rgb({r}, {g}, {b})"
