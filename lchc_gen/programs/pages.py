"""Program pages, the programs index, upcoming sessions, the review page and calendars.

Pure: takes loaded programs, returns generated files (path relative to the docs dir, content).
The MkDocs adapter turns them into ``File.generated``; a CLI can write them to disk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import jinja2
from zoneinfo import ZoneInfo

from ..render import relative_url
from .calendar import program_calendar
from .jsonld import course_jsonld
from .load import LoadedProgram, upcoming
from .model import Domain, Location, Program, ReviewState
from .schedule import Occurrence, reinforcement_date
from .timefmt import span, zone_city


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

    def src(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def href(self, from_name: str, to_name: str) -> str:
        return relative_url(self.src(from_name), self.src(to_name), self.use_directory_urls)


DOMAIN_HEADINGS = {
    Domain.know: "What you will know",
    Domain.believe: "What you will believe",
    Domain.do: "What you will do",
}


def other_zones(program: Program) -> list[str]:
    """Zones to show beside the program's own: display_timezones, then each location's, once each."""
    zones = [*program.display_timezones, *(loc.timezone for loc in program.audience.locations)]
    return [z for i, z in enumerate(zones) if z != program.timezone and z not in zones[:i]]


def _times(occ: Occurrence, home: str, extra_zones: list[str]) -> dict[str, Any]:
    others = []
    for name in extra_zones:
        z = ZoneInfo(name)
        s, e = occ.start.astimezone(z), occ.end.astimezone(z)
        day = "" if s.date() == occ.start.date() else f" ({s:%a} {s.day} {s:%b})"
        others.append(f"{span(s, e, name)}{day}")
    return {"local": span(occ.start, occ.end, home), "others": others}


def _occurrence_view(lp: LoadedProgram, occ: Occurrence) -> dict[str, Any]:
    program = lp.program
    people = program.people()
    objectives = {o.id: o for o in program.objectives}
    ov = occ.override
    original = None
    if ov is not None and not occ.cancelled:
        s = occ.session
        original = f"{occ.original_date:%a} {occ.original_date.day} {occ.original_date:%b} at {s.start:%H:%M}"
    return {
        "occ": occ,
        "times": _times(occ, program.timezone, other_zones(program)),
        "facilitators": [people[f] for f in occ.session.facilitators if f in people],
        "objectives": [objectives[o] for o in occ.session.objectives if o in objectives],
        "original": original,
    }


def _program_view(lp: LoadedProgram, opts: PageOptions) -> dict[str, Any]:
    p = lp.program
    held = [o for o in lp.occurrences if not o.cancelled]
    by_domain = [(DOMAIN_HEADINGS[d], [o for o in p.objectives if o.domain is d]) for d in Domain]
    reinforcement = [
        (r, r.date or reinforcement_date(lp.occurrences, r.offset_days or 0)) for r in p.reinforcement
    ]
    outside = [s for s in p.sessions if s.outside_working_hours]
    return {
        "lp": lp,
        "p": p,
        "home_zone": f"{zone_city(p.timezone)} time" if zone_city(p.timezone) != "UTC" else "UTC",
        "zones_also": [f"{zone_city(z)} time" for z in other_zones(p)],
        "locations": [_location_view(loc) for loc in p.audience.locations],
        "outside": outside,
        "held": held,
        "first": held[0].start if held else None,
        "last": held[-1].end if held else None,
        "total_minutes": sum(o.duration_minutes for o in held),
        "objectives_by_domain": [(h, objs) for h, objs in by_domain if objs],
        "provisional": [o for o in p.objectives if not o.settled],
        "agenda": [_occurrence_view(lp, o) for o in lp.occurrences],
        "reinforcement": reinforcement,
        "calendar_href": opts.href(f"{p.id}.md", f"{p.id}.ics"),
        "index_href": opts.href(f"{p.id}.md", "index.md"),
        "review_href": opts.href(f"{p.id}.md", "review.md"),
        "jsonld": course_jsonld(lp),
    }


_DAY_WORDS = dict(zip(("MO", "TU", "WE", "TH", "FR", "SA", "SU"), ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")))


def _location_view(loc: Location) -> dict[str, str]:
    h0, h1 = (f"{m // 60:02d}:{m % 60:02d}" for m in loc.working_hours)
    days = loc.working_days
    order = list(_DAY_WORDS)
    idx = sorted(order.index(d) for d in days)
    if len(idx) > 2 and idx == list(range(idx[0], idx[-1] + 1)):
        day_text = f"{_DAY_WORDS[order[idx[0]]]} to {_DAY_WORDS[order[idx[-1]]]}"
    else:
        day_text = ", ".join(_DAY_WORDS[order[i]] for i in idx)
    city = zone_city(loc.timezone)
    return {"name": loc.name, "hours": f"{h0}\u2013{h1}", "zone": "UTC" if city == "UTC" else f"{city} time", "days": day_text}


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


def build_program_files(programs: list[LoadedProgram], env: jinja2.Environment, opts: PageOptions) -> list[GeneratedFile]:
    files: list[GeneratedFile] = []
    views = {lp.program.id: _program_view(lp, opts) for lp in programs}  # the index reuses them
    for lp in programs:
        pid = lp.program.id
        page = env.get_template("program.md.j2").render(**views[pid])
        files.append(GeneratedFile(opts.src(f"{pid}.md"), page))
        files.append(GeneratedFile(opts.src(f"{pid}.ics"), program_calendar(lp, opts.stamp), in_nav=False))

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
            ),
        )
    )
    soon = [
        {"lp": lp, "v": _occurrence_view(lp, o), "href": opts.href("upcoming.md", f"{lp.program.id}.md")}
        for lp, o in upcoming(programs, opts.today)
    ]
    files.append(
        GeneratedFile(opts.src("upcoming.md"), env.get_template("upcoming.md.j2").render(rows=soon, today=opts.today))
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
