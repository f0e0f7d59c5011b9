"""Team report pages and the organisation overview, rendered from ``Scores``.

Pure: returns ``ReportPage``s, each a finished HTML fragment and the place it belongs in the
site. Reports are rendered straight to HTML, without a Markdown pass: at a thousand teams the
Markdown parser's handling of a report's tables and SVG would be most of the build. Whether
they are published in plaintext (development preview) or encrypted is the caller's decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import jinja2

from ..access.authz import managers_up_the_line, readers_of_overview, readers_of_team_report
from ..render import relative_url
from ..survey import Scores, TeamReport
from ..survey import format as fmt
from ..survey.privacy import reader_views, summary
from ..survey.score import DISTRIBUTION_MIN, PERCENTILE_MIN_TEAMS
from .charts import ItemPoint, histogram, item_chart, trend_chart
from .loop import agreement_counts, loop_context
from .team_page import team_link_context

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


def _team_view(scores: Scores, reports: Reports, report: TeamReport, src: str, opts: ReportOptions, readers: list[tuple[str | None, str]]) -> dict:
    scale = _scale(scores)
    points = [ItemPoint(i.question_id, i.text, i.mean, i.self_value if i.shown else None, i.benchmark, i.status) for i in report.items]
    labels, team, self_ = _history(scores, reports, report)
    previous = reports.get(report.previous_cycle_id or "", {}).get(report.team_id)
    reflection_href = None
    if opts.reflection_program:
        reflection_href = site_href(opts, src, f"{opts.programs_prefix}/{opts.reflection_program}.md")
    return {
        "r": report,
        "scale": scale,
        "fmt": fmt,
        "label_of": lambda mean: fmt.nearest_label(mean, scores.data.questionnaire.scale),
        "chart": None if report.suppressed else item_chart(points, scale, f"items-{report.team_id}"),
        # A line needs two cycles with answers to show: a chart with fewer would be drawn empty.
        "trend": trend_chart(labels, team, self_, scale, f"trend-{report.team_id}") if sum(v is not None for v in team) > 1 else None,
        "voices": voices(report.manager_name),
        "previous": previous,
        "compared": _compared,
        "read_by": readers,
        "reflection": opts.reflection,
        "reflection_href": reflection_href,
        "reflection_session": opts.reflection_sessions.get(report.cycle_id),
        "shade": _shade,
        "distribution_min": DISTRIBUTION_MIN,
        "percentile_min": PERCENTILE_MIN_TEAMS,
        "protects_why": PROTECTS_WHY,
        **loop_context(scores, report),
        **team_link_context(opts.team_links.get(f"{report.cycle_id}/{report.team_id}")),
    }


def _compared(value: float | None, team: str) -> str:
    """A self-awareness score in words: how the manager's own rating compares with the team's."""
    if value is None:
        return ""
    if fmt.signed(value) == fmt.number(0):
        return f"the same as {team}"
    return f"{fmt.number(abs(value))} points {'higher' if value > 0 else 'lower'} than {team}"


# Why a benchmark or percentile is missing from one report though the organisation has enough teams.
PROTECTS_WHY = "next to the other reports its readers can open, it would let someone work out another team's numbers"


def build_report_pages(
    scores: Scores,
    env: jinja2.Environment,
    opts: ReportOptions,
) -> list[ReportPage]:
    """A report per team per cycle, and an overview per cycle."""
    pages: list[ReportPage] = []
    org = scores.data.organisation
    teams = {t.id: (t.manager, t.parent) for t in org.teams}
    admins = frozenset(org.admins)
    team_tpl = env.get_template("team_report.html.j2")
    overview_tpl = env.get_template("overview.html.j2")
    privacy = summary(reader_views(scores))
    # Every cycle's reports, built once: pages and their trend charts both read them.
    reports: Reports = {c: {r.team_id: r for r in scores.team_reports(c)} for c in scores.cycle_ids}
    for order, cycle_id in enumerate(scores.cycle_ids):
        for report in reports[cycle_id].values():
            src = report_src(opts, cycle_id, report.team_id)
            line = managers_up_the_line(report.team_id, teams, scores.data.inputs.share_up)
            named = read_by(report, line, lambda pid: org.person(pid).name, bool(admins))
            pages.append(
                ReportPage(
                    src,
                    team_tpl.render(**_team_view(scores, reports, report, src, opts, named)),
                    readers=readers_of_team_report(report.team_id, teams, admins, scores.data.inputs.share_up),
                    label=f"{report.team_name}, {report.cycle_label}",
                    info={"cycle": order, "kind": "team"},
                    owner=report.manager_id,
                )
            )
        ov = scores.overview(cycle_id)
        src = overview_src(opts, cycle_id)
        bins = [(f"{b.lower:+.1f} to {b.upper:+.1f}", b.count) for b in ov.self_awareness_bins]
        pages.append(
            ReportPage(
                src,
                overview_tpl.render(
                    ov=ov,
                    fmt=fmt,
                    min_responses=scores.min_responses,
                    benchmark_min_teams=scores.benchmark_min_teams,
                    report_href=lambda team_id, _src=src, _c=cycle_id: report_href(opts, _src, report_src(opts, _c, team_id)),
                    histogram=histogram(bins, f"sa-{cycle_id}", "Self-awareness scores of the teams", "Self-awareness score (self minus team)") if bins else None,
                    heat=_heat,
                    privacy=[row for row in privacy if row["cycle"] == cycle_id],
                    agreements=agreement_counts(scores, cycle_id) if scores.data.inputs.agreements else None,
                ),
                readers=readers_of_overview(admins),
                label=f"Organisation overview, {ov.cycle_label}",
                info={"cycle": order, "kind": "overview"},
            )
        )
    return pages


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
