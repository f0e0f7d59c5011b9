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
from .model import Domain, Program, ReviewState
from .schedule import Occurrence, reinforcement_date


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


def _times(occ: Occurrence, extra_zones: list[str]) -> dict[str, Any]:
    def span(start: dt.datetime, end: dt.datetime) -> str:
        return f"{start:%H:%M}\u2013{end:%H:%M} {start.tzname()}"

    others = []
    for name in extra_zones:
        z = ZoneInfo(name)
        s, e = occ.start.astimezone(z), occ.end.astimezone(z)
        day = "" if s.date() == occ.start.date() else f" ({s:%a} {s.day} {s:%b})"
        others.append(f"{span(s, e)}{day} in {name}")
    return {"local": span(occ.start, occ.end), "others": others}


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
        "times": _times(occ, program.display_timezones),
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
    return {
        "lp": lp,
        "p": p,
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
