"""Program pages, the programs index, upcoming sessions, the review page and calendars.

Pure: takes loaded programs, returns generated files (path relative to the docs dir, content).
The MkDocs adapter turns them into ``File.generated``; a CLI can write them to disk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import jinja2

from ..render import page_url, relative_url
from .agenda import follow_up_views, other_zone_spans, repeat_words, session_views, step_view, time_needed, utc_iso, zone_words
from .calendar import program_calendar
from .brief import brief_calendar, brief_name, brief_view, briefs
from .coverage import coverage_views
from .cohorts import Cohort, build_moment, cohorts, cohorts_by_next, next_occurrence
from .jsonld import course_jsonld
from .load import LoadedProgram
from .model import Domain, Location, ObjectiveState, Program, Series
from .floor_feed import aways, coming_weeks, feed_name, location_calendar, notice_name, notice_view
from .floor_view import floor_view
from .operations import PAGE as OPERATIONS_PAGE, operations_view
from .schedule import follow_ups
from .timefmt import short_date, span


@dataclass(frozen=True)
class GeneratedFile:
    path: str  # relative to docs_dir, POSIX separators
    content: str | bytes
    in_nav: bool = True
    # Set for private pages: who may read it and its name under "My reports" (kept encrypted).
    readers: frozenset[str] | None = None
    label: str = ""


@dataclass(frozen=True)
class PageOptions:
    prefix: str = "programs"  # folder under docs_dir for generated program pages
    use_directory_urls: bool = True
    today: dt.date = field(default_factory=dt.date.today)
    stamp: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    site_url: str | None = None  # absolute links from calendar events back to program pages

    def src(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def href(self, from_name: str, to_name: str) -> str:
        return relative_url(self.src(from_name), self.src(to_name), self.use_directory_urls)

    def absolute(self, name: str) -> str | None:
        if not self.site_url:
            return None
        return self.site_url.rstrip("/") + "/" + page_url(self.src(name), self.use_directory_urls)


DOMAIN_HEADINGS = {
    Domain.know: "What you will know",
    Domain.believe: "What you will believe",
    Domain.do: "What you will do",
}

KIRKPATRICK = {
    1: "Level 1, reaction: how learners found it",
    2: "Level 2, learning: what they learned",
    3: "Level 3, behaviour: what they do differently at work",
    4: "Level 4, results: what changed for the business",
}


def other_zones(program: Program) -> list[str]:
    """Zones to show beside the program's own: display_timezones, then each location's, once each."""
    zones = [*program.display_timezones, *(loc.timezone for loc in program.audience.locations)]
    return [z for i, z in enumerate(zones) if z != program.timezone and z not in zones[:i]]


def calendar_name(pid: str, sid: str | None = None, cohort: str | None = None) -> str:
    """Calendar files: one per program, one per session beside it, and one per cohort."""
    if cohort is not None:
        return f"{pid}/cohorts/{cohort}.ics"  # a folder of its own: no session id can collide
    return f"{pid}.ics" if sid is None else f"{pid}/{sid}.ics"


def _needed(groups: list[Cohort]) -> dict[str, Any]:
    """Time needed per person: once when every cohort needs the same, else per cohort."""
    each = [(c.name, time_needed(c.occurrences)) for c in groups]
    if len({n["text"] for _, n in each}) == 1:
        return {**each[0][1], "by_cohort": []}
    return {**each[0][1], "by_cohort": each}


def _calendar_views(lp: LoadedProgram, groups: list[Cohort], opts: PageOptions, page: str) -> list[dict[str, Any]]:
    """One calendar per cohort, the one a reader can still join first (by the build date; the
    reader's clock and a ?cohort= in the address reorder them in the browser)."""
    if len(groups) < 2:
        return []
    now = build_moment(opts.today)
    out = []
    for c in cohorts_by_next(groups, now):
        held = c.held
        nxt = c.next(now)
        out.append({
            "key": c.key,
            "name": c.name,
            "href": opts.href(page, calendar_name(lp.program.id, cohort=c.key)),
            "events": len(held) + len(c.follow_ups),
            "next": nxt,
            "last_end_utc": utc_iso(max(o.end for o in held)) if held else "",
            "over": nxt is None,
        })
    return out


_DAY_WORDS = dict(zip(("MO", "TU", "WE", "TH", "FR", "SA", "SU"), ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")))


def _location_view(loc: Location) -> dict[str, str]:
    h0, h1 = (f"{m // 60:02d}:{m % 60:02d}" for m in loc.working_hours)
    order = list(_DAY_WORDS)
    idx = sorted(order.index(d) for d in loc.working_days)
    if len(idx) > 2 and idx == list(range(idx[0], idx[-1] + 1)):
        day_text = f"{_DAY_WORDS[order[idx[0]]]} to {_DAY_WORDS[order[idx[-1]]]}"
    else:
        day_text = ", ".join(_DAY_WORDS[order[i]] for i in idx)
    return {"name": loc.name, "hours": f"{h0}\u2013{h1}", "zone": zone_words(loc.timezone), "days": day_text}


def _person(p: Any) -> str:
    """"Tom Becker, Senior account executive (peer coach)": a role may hold brackets of its own."""
    org = f", {p.organisation}" if getattr(p, "organisation", None) else ""
    return f"{p.name}, {p.role}{org}"


def _program_view(lp: LoadedProgram, opts: PageOptions, loop: dict[str, Any] | None = None) -> dict[str, Any]:
    p = lp.program
    held = [o for o in lp.occurrences if not o.cancelled]
    by_domain = [(DOMAIN_HEADINGS[d], [o for o in p.objectives if o.domain is d]) for d in Domain]
    page = f"{p.id}.md"
    zones = other_zones(p)
    groups = cohorts(lp)
    return {
        "lp": lp,
        "p": p,
        "home_zone": zone_words(p.timezone),
        "zones_also": [zone_words(z) for z in zones],
        "locations": [_location_view(loc) for loc in p.audience.locations],
        "outside": [s for s in p.sessions if s.outside_working_hours],
        "held": held,
        "first": held[0].start if held else None,
        "last": max(o.end for o in held) if held else None,
        "needed": _needed(groups),
        "calendars": _calendar_views(lp, groups, opts, page),
        "next_fallback": next_occurrence(lp.occurrences, build_moment(opts.today)),
        "objectives_by_domain": [(h, objs) for h, objs in by_domain if objs],
        "provisional": [o for o in p.objectives if not o.settled],
        "sessions": session_views(lp, zones, lambda sid: opts.href(page, calendar_name(p.id, sid))),
        "follow_ups": follow_up_views(lp),
        "coverage": coverage_views(lp),
        "briefs": _brief_links(lp, opts, page),
        "person": _person,
        "kirkpatrick": KIRKPATRICK,
        "past_before": opts.today,
        "calendar_href": opts.href(page, calendar_name(p.id)),
        "index_href": opts.href(page, "index.md"),
        "review_href": opts.href(page, "review.md"),
        "upcoming_href": opts.href(page, "upcoming.md"),
        "jsonld": course_jsonld(lp),
        # Feedback, measured results and changes ("closing the loop"), made by the caller.
        "closing": {
            "feedback": None,
            "nps_chart": None,
            "confidence": {},
            "measures": [],
            "observed": [],  # the managers' observation checklists (feedback/observe)
            "reach": None,  # who has not been reached, counts per location (feedback/reach)
            "changes": sorted(p.changes, key=lambda c: c.date, reverse=True),
            **(loop or {}),
        },
    }


def _review_rows(p: Program) -> list[dict[str, Any]]:
    people = p.people()
    rows = []
    for o in p.objectives:
        r = o.review
        rows.append(
            {
                "objective": o,
                "state": o.state,
                "stale": o.stale,
                "reviewer": people.get(r.reviewer) if r.reviewer else None,
                "date": r.date,
            }
        )
    return rows


def _upcoming_dates(lp: LoadedProgram, occs: list[Any], href: str) -> list[dict[str, Any]]:
    p = lp.program
    out = []
    for o in occs:
        s = o.session
        usual = f"{s.start:%H:%M}"
        out.append({
            "id": f"{p.id}--{o.anchor}",
            "href": f"{href}#{o.anchor}",
            "title": s.title,
            "date": o.start.date(),
            "label": f"{short_date(o.start.date())} {o.start.year}",
            # The series' line gives the usual time; a date says its own only when it differs.
            "time": span(o.start, o.end, p.timezone) if f"{o.start:%H:%M}" != usual or o.duration_minutes != int(s.duration.total_seconds() // 60) else "",
            "start_utc": utc_iso(o.start),
            "end_utc": utc_iso(o.end),
            "flag": "Moved" if o.moved else "Extra" if o.extra is not None else "",
            "allday": False,
            "why": o.rationale if o.rationale != s.rationale else "",
        })
    return out


def _upcoming_groups(programs: list[LoadedProgram], opts: PageOptions) -> list[dict[str, Any]]:
    """Per program, each session (series) and each follow-up with its dates from the build date
    on: "why then" once per series, every location's local time; programs and series in the
    order of their next date."""
    far = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    out = []
    for lp in programs:
        p = lp.program
        href = opts.href("upcoming.md", f"{p.id}.md")
        people = p.people()
        zones = other_zones(p)
        series: list[dict[str, Any]] = []
        for index, s in enumerate(p.sessions):
            occs = [o for o in lp.occurrences if o.index == index and not o.cancelled and o.end.date() >= opts.today]
            if not occs:
                continue
            minutes = int(s.duration.total_seconds() // 60)
            first = occs[0]
            usual = first.start.replace(hour=s.start.hour, minute=s.start.minute)  # a moved first date keeps the series' time here
            series.append({
                "kind": "session",
                "id": f"{p.id}--session-{s.id}",
                "href": f"{href}#session-{s.id}",
                "title": s.title,
                "when": (f"{repeat_words(s)}, " if isinstance(s, Series) else "") + span(usual, usual + dt.timedelta(minutes=minutes), p.timezone),
                "others": other_zone_spans(occs, zones),
                "facilitators": [people[f].name for f in s.facilitators if f in people],
                "cohort": s.cohort,
                "why": s.rationale,
                "dates": _upcoming_dates(lp, occs, href),
                "sort": first.start.astimezone(dt.timezone.utc),
            })
        steps = [f for f in follow_ups(p, lp.occurrences) if f.day >= opts.today]
        for index, r in enumerate(p.reinforcement):
            mine = [f for f in steps if f.index == index]
            if not mine:
                continue
            dates = []
            for f in mine:
                step = step_view(f, p.timezone)
                dates.append({
                    "id": f"{p.id}--{f.dom_id}", "href": f"{href}#{f.dom_id}", "title": r.title, "date": f.day,
                    "label": step["label"], "time": step["time"], "start_utc": step["start_utc"], "end_utc": step["end_utc"],
                    "allday": not step["timed"], "flag": "",
                    "why": f"{step['offset']} after {f.anchor_label}" if f.offset_days else "",
                })
            series.append({
                "kind": "follow-up",
                "id": f"{p.id}--follow-up-{r.key}",
                "href": f"{href}#{mine[0].dom_id}",
                "title": r.title,
                "when": r.format or "",
                "others": [],
                "facilitators": [],
                "cohort": None,
                "why": r.purpose,
                "dates": dates,
                "sort": mine[0].sort_key,
            })
        if not series:
            continue
        series.sort(key=lambda g: g["sort"])
        out.append({"lp": lp, "series": series, "sort": series[0]["sort"] if series else far})
    out.sort(key=lambda g: (g["sort"], g["lp"].program.id))
    return out


def _floor_files(programs: list[LoadedProgram], env: jinja2.Environment, opts: PageOptions) -> list[GeneratedFile]:
    """Per floor location: a calendar feed and a printable week notice (linked from the operations page)."""
    floor = next((lp.floor for lp in programs if lp.floor is not None), None)
    if floor is None:
        return []
    by_location = aways(programs)
    revisions = {lp.program.id: lp.program.revision for lp in programs}
    files = []
    for loc in floor.floor.locations:
        weeks = coming_weeks(by_location.get(loc.name, []), loc.timezone, opts.today)
        items = [a for week in weeks.values() for a in week]
        link = opts.absolute(notice_name(loc.name))
        files.append(GeneratedFile(opts.src(feed_name(loc.name)), location_calendar(loc.name, items, revisions, opts.stamp, link), in_nav=False))
        notice = env.get_template("floor_notice.md.j2").render(v=notice_view(loc.name, loc.timezone, weeks, opts.today))
        files.append(GeneratedFile(opts.src(notice_name(loc.name)), notice, in_nav=False))
    return files


def _brief_links(lp: LoadedProgram, opts: PageOptions, page: str) -> list[dict[str, Any]]:
    found = briefs(lp)
    several_zones = len({b.zone for b in found}) > 1
    return [
        {
            "href": opts.href(page, brief_name(lp.program.id, b.key)),
            "cohort": b.cohort.name,
            "zone": zone_words(b.zone) if several_zones else None,
        }
        for b in found
    ]


def _brief_files(lp: LoadedProgram, env: jinja2.Environment, opts: PageOptions) -> list[GeneratedFile]:
    """A manager's brief per cohort (and zone), and its calendar of the manager's steps when it has any."""
    pid = lp.program.id
    out = []
    for b in briefs(lp):
        page, ics = brief_name(pid, b.key), brief_name(pid, b.key, "ics")
        html = env.get_template("brief.md.j2").render(
            **brief_view(b), program_href=opts.href(page, f"{pid}.md"), ics_href=opts.href(page, ics)
        )
        out.append(GeneratedFile(opts.src(page), html, in_nav=False))
        if b.manager_steps:  # a calendar with no event is no help to anyone
            out.append(GeneratedFile(opts.src(ics), brief_calendar(b, opts.stamp, page_url=opts.absolute(page)), in_nav=False))
    return out


def build_program_files(
    programs: list[LoadedProgram],
    env: jinja2.Environment,
    opts: PageOptions,
    loop: dict[str, dict[str, Any]] | None = None,
) -> list[GeneratedFile]:
    """Every program's pages and calendars; ``loop`` holds each program's feedback, measured
    results and changes (feedback/views.py), when the caller has them."""
    files: list[GeneratedFile] = []
    loop = loop or {}
    views = {lp.program.id: _program_view(lp, opts, loop.get(lp.program.id)) for lp in programs}  # the index reuses them
    for lp in programs:
        pid = lp.program.id
        page = env.get_template("program.md.j2").render(**views[pid])
        files.append(GeneratedFile(opts.src(f"{pid}.md"), page))
        link = opts.absolute(f"{pid}.md")
        files.append(GeneratedFile(opts.src(calendar_name(pid)), program_calendar(lp, opts.stamp, page_url=link), in_nav=False))
        for index, s in enumerate(lp.program.sessions):
            ics = program_calendar(lp, opts.stamp, page_url=link, session_index=index)
            files.append(GeneratedFile(opts.src(calendar_name(pid, s.id)), ics, in_nav=False))
        groups = cohorts(lp)
        for c in groups if len(groups) > 1 else []:
            ics = program_calendar(lp, opts.stamp, page_url=link, cohort=c)
            files.append(GeneratedFile(opts.src(calendar_name(pid, cohort=c.key)), ics, in_nav=False))
        files += _brief_files(lp, env, opts)

    index_rows = [
        {"lp": lp, "view": views[lp.program.id], "href": opts.href("index.md", f"{lp.program.id}.md")} for lp in programs
    ]
    files.append(
        GeneratedFile(
            opts.src("index.md"),
            env.get_template("programs_index.md.j2").render(
                rows=index_rows,
                upcoming_href=opts.href("index.md", "upcoming.md"),
                review_href=opts.href("index.md", "review.md"),
                operations_href=opts.href("index.md", OPERATIONS_PAGE),
            ),
        )
    )
    operations = operations_view(programs, lambda name: opts.href(OPERATIONS_PAGE, name), opts.today)
    floor = floor_view(programs, lambda name: opts.href(OPERATIONS_PAGE, name))
    files.append(GeneratedFile(opts.src(OPERATIONS_PAGE), env.get_template("operations.md.j2").render(programs=operations, today=opts.today, floor=floor)))
    files += _floor_files(programs, env, opts)
    files.append(
        GeneratedFile(
            opts.src("upcoming.md"),
            env.get_template("upcoming.md.j2").render(groups=_upcoming_groups(programs, opts), today=opts.today),
        )
    )
    review = [
        {"lp": lp, "rows": _review_rows(lp.program), "href": opts.href("review.md", f"{lp.program.id}.md")} for lp in programs
    ]
    counts = {s: 0 for s in ObjectiveState}  # each objective in exactly one state: a stale approval is not approved
    for section in review:
        for row in section["rows"]:
            counts[row["state"]] += 1
    stale = counts[ObjectiveState.stale]
    files.append(
        GeneratedFile(
            opts.src("review.md"),
            env.get_template("review.md.j2").render(sections=review, counts=counts, stale=stale),
        )
    )
    return files
