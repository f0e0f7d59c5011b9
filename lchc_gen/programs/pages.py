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
from .agenda import follow_up_views, session_views, step_view, time_needed, utc_iso, zone_words
from .calendar import program_calendar
from .jsonld import course_jsonld
from .load import LoadedProgram
from .model import Domain, Location, Program, ReviewState
from .operations import PAGE as OPERATIONS_PAGE, operations_view
from .schedule import follow_ups
from .timefmt import span


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


def calendar_name(pid: str, sid: str | None = None) -> str:
    """Calendar files: one per program, and one per session beside it."""
    return f"{pid}.ics" if sid is None else f"{pid}/{sid}.ics"


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
        "needed": time_needed(lp.occurrences),
        "objectives_by_domain": [(h, objs) for h, objs in by_domain if objs],
        "provisional": [o for o in p.objectives if not o.settled],
        "sessions": session_views(lp, zones, lambda sid: opts.href(page, calendar_name(p.id, sid))),
        "follow_ups": follow_up_views(lp),
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
                "state": r.state.value,
                "stale": o.stale,
                "reviewer": people.get(r.reviewer) if r.reviewer else None,
                "date": r.date,
            }
        )
    return rows


def _upcoming_rows(programs: list[LoadedProgram], opts: PageOptions) -> list[dict[str, Any]]:
    """Sessions and follow-ups of every program that end on or after the build date, in time order."""
    rows: list[tuple[dt.datetime, str, dict[str, Any]]] = []
    for lp in programs:
        p = lp.program
        href = opts.href("upcoming.md", f"{p.id}.md")
        people = p.people()
        for o in lp.occurrences:
            if o.cancelled or o.end.date() < opts.today:
                continue
            rows.append(
                (
                    o.start.astimezone(dt.timezone.utc),
                    p.id,
                    {
                        "kind": "session",
                        "lp": lp,
                        "id": f"{p.id}--{o.anchor}",
                        "href": f"{href}#{o.anchor}",
                        "title": o.session.title,
                        "date": o.start.date(),
                        "time": span(o.start, o.end, p.timezone),
                        "start_utc": utc_iso(o.start),
                        "end_utc": utc_iso(o.end),
                        "moved": o.moved,
                        "extra": o.extra is not None,
                        "facilitators": [people[f].name for f in o.session.facilitators if f in people],
                        "cohort": o.session.cohort,
                        "why": o.rationale,
                    },
                )
            )
        for f in follow_ups(p, lp.occurrences):
            step = step_view(f, p.timezone)
            if f.day < opts.today:
                continue
            rows.append(
                (
                    f.sort_key,
                    p.id,
                    {
                        "kind": "follow-up",
                        "lp": lp,
                        "id": f"{p.id}--{f.dom_id}",
                        "href": f"{href}#{f.dom_id}",
                        "title": f.reinforcement.title,
                        "date": f.day,
                        "time": step["time"],
                        "start_utc": step["start_utc"],
                        "end_utc": step["end_utc"],
                        "moved": False,
                        "extra": False,
                        "facilitators": [],
                        "cohort": f"{step['offset']} after {f.anchor_label}" if f.offset_days else None,
                        "why": f.reinforcement.purpose,
                    },
                )
            )
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows]


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
    operations = operations_view(programs, lambda name: opts.href(OPERATIONS_PAGE, name))
    files.append(GeneratedFile(opts.src(OPERATIONS_PAGE), env.get_template("operations.md.j2").render(programs=operations)))
    files.append(
        GeneratedFile(
            opts.src("upcoming.md"),
            env.get_template("upcoming.md.j2").render(rows=_upcoming_rows(programs, opts), today=opts.today),
        )
    )
    review = [
        {"lp": lp, "rows": _review_rows(lp.program), "href": opts.href("review.md", f"{lp.program.id}.md")} for lp in programs
    ]
    counts = {s.value: 0 for s in ReviewState}
    stale = 0
    for section in review:
        for row in section["rows"]:
            counts[row["state"]] += 1
            stale += row["stale"]
    files.append(
        GeneratedFile(
            opts.src("review.md"),
            env.get_template("review.md.j2").render(sections=review, counts=counts, stale=stale),
        )
    )
    return files
