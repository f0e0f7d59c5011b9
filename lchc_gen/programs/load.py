"""Load every program file, validate it, and collect every problem in every file.

Schema problems come from the pydantic models. Cross-references (unknown objective,
facilitator or reviewer; duplicate ids) are checked on the raw data, so they are found
even in a file that also has schema errors. Checks that need a whole valid program
(overlaps, overrides of dates the series does not have) run once the file is valid.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .. import limits
from ..problems import InputError, Problem
from ..validation import validate
from ..yamlsrc import Source, load as load_yaml
from .model import Program, Series
from .schedule import Occurrence, expand, series_dates
from .staffing import LoadedFloor, learner_problems, load_floor

PROGRAM_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class LoadedProgram:
    program: Program
    path: str  # as shown to users, relative to the project
    occurrences: tuple[Occurrence, ...]
    source: Source | None = None  # for warnings that name a line (programs/checks.py)
    floor: LoadedFloor | None = None  # the site's floor file, the same for every program (programs/staffing.py)


def program_files(programs_dir: Path) -> list[Path]:
    return sorted(p for p in programs_dir.iterdir() if p.suffix in PROGRAM_SUFFIXES and not p.name.startswith((".", "_")))


def _items(data: Any, key: str) -> Iterator[tuple[int, dict]]:
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _ids(data: Any, *keys: str) -> set[str]:
    return {str(item["id"]) for key in keys for _, item in _items(data, key) if "id" in item}


def _duplicate_ids(src: Source, key: str, what: str, seen: set[str] | None = None) -> list[Problem]:
    problems = []
    seen = set() if seen is None else seen
    for i, item in _items(src.data, key):
        ident = item.get("id")
        if not isinstance(ident, (str, int)):  # missing, or a mapping or list: the schema says so
            continue
        if ident in seen:
            problems.append(src.problem((key, i, "id"), f"duplicate {what} id {ident!r}"))
        seen.add(ident)
    return problems


def reference_problems(src: Source) -> list[Problem]:
    """Cross-references inside one program file, checked on the raw data."""
    data = src.data
    problems = _duplicate_ids(src, "objectives", "objective") + _duplicate_ids(src, "sessions", "session")
    people_seen: set[str] = set()
    problems += _duplicate_ids(src, "facilitators", "person", people_seen)
    problems += _duplicate_ids(src, "stakeholders", "person", people_seen)

    objectives, facilitators, stakeholders = _ids(data, "objectives"), _ids(data, "facilitators"), _ids(data, "stakeholders")
    for i, session in _items(data, "sessions"):
        for field, known, what in (("objectives", objectives, "objective"), ("facilitators", facilitators, "facilitator")):
            refs = session.get(field)
            if not isinstance(refs, list):
                continue
            for j, ref in enumerate(refs):
                if isinstance(ref, str) and ref not in known:
                    hint = f" (known: {', '.join(sorted(known))})" if known else f" (the program defines no {field})"
                    problems.append(src.problem(("sessions", i, field, j), f"unknown {what} {ref!r}{hint}"))
    for i, objective in _items(data, "objectives"):
        review = objective.get("review")
        reviewer = review.get("reviewer") if isinstance(review, dict) else None
        if isinstance(reviewer, str) and reviewer not in stakeholders:
            problems.append(
                src.problem(("objectives", i, "review", "reviewer"), f"unknown stakeholder {reviewer!r}: reviewers must be listed under stakeholders")
            )
    return problems


def follow_up_reference_problems(src: Source) -> list[Problem]:
    """Reinforcements that name an unknown objective, session or attendance group, or share an
    id (calendar UIDs); a series with two extra occurrences on one date (the same UID)."""
    data = src.data
    objectives = {str(o.get("id")) for _, o in _items(data, "objectives")}
    sessions = {str(s.get("id")) for _, s in _items(data, "sessions")}
    groups = {str(s.get("one_of")) for _, s in _items(data, "sessions") if s.get("one_of") is not None}
    problems = []
    for i, s in _items(data, "sessions"):
        seen: set[str] = set()
        for k, x in _items(s, "extra"):
            day = str(x.get("date"))
            if day in seen:
                problems.append(src.problem(("sessions", i, "extra", k, "date"), f"a second extra occurrence on {day}"))
            seen.add(day)
    keys: set[str] = set()
    for i, r in _items(data, "reinforcement"):
        key = r.get("id") if isinstance(r.get("id"), str) else None
        if key is None and isinstance(r.get("title"), str):
            key = re.sub(r"[^a-z0-9]+", "-", r["title"].lower()).strip("-") or "follow-up"
        if key in keys:
            problems.append(src.problem(("reinforcement", i), f"another reinforcement has the id {key!r} (from its id or title): give each an `id`"))
        keys.add(key)
        refs = r.get("objectives")
        for j, ref in enumerate(refs if isinstance(refs, list) else []):
            if isinstance(ref, str) and ref not in objectives:
                problems.append(src.problem(("reinforcement", i, "objectives", j), f"unknown objective {ref!r}"))
        after = r.get("after")
        if not isinstance(after, dict):
            continue
        if isinstance(after.get("session"), str) and after["session"] not in sessions:
            problems.append(src.problem(("reinforcement", i, "after", "session"), f"unknown session {after['session']!r}"))
        if isinstance(after.get("one_of"), str) and after["one_of"] not in groups:
            known = f" (known: {', '.join(sorted(groups))})" if groups else " (no session sets `one_of`)"
            problems.append(src.problem(("reinforcement", i, "after", "one_of"), f"unknown attendance group {after['one_of']!r}{known}"))
    return problems


def _session_loc(occ: Occurrence) -> tuple[str | int, ...]:
    s = occ.session
    if occ.override is not None and isinstance(s, Series):
        return ("sessions", occ.index, "overrides", s.overrides.index(occ.override))
    return ("sessions", occ.index)


def _fmt(occ: Occurrence) -> str:
    return f"{occ.start:%Y-%m-%d %H:%M}-{occ.end:%H:%M}"


def schedule_problems(src: Source, program: Program, occurrences: list[Occurrence]) -> list[Problem]:
    problems = []
    for i, s in enumerate(program.sessions):
        if not isinstance(s, Series):
            continue
        dates = set(series_dates(s))
        for k, ov in enumerate(s.overrides):
            if ov.date not in dates:
                problems.append(src.problem(("sessions", i, "overrides", k, "date"), f"the series has no occurrence on {ov.date}"))
        if not dates:
            problems.append(src.problem(("sessions", i), "the series has no occurrences (check weekdays, first_date and until)"))

    held = [o for o in occurrences if not o.cancelled]
    latest: Occurrence | None = None  # the held occurrence that ends last so far
    for occ in held:  # sorted by start
        if latest is not None and occ.start < latest.end:
            problems.append(
                src.problem(
                    _session_loc(occ),
                    f"overlaps session {latest.session.id!r}: {_fmt(occ)} and {_fmt(latest)} ({program.timezone})",
                )
            )
        if latest is None or occ.end > latest.end:
            latest = occ
    return problems


def load_programs(programs_dir: Path, root: Path | None = None) -> list[LoadedProgram]:
    """Load and check every program under ``programs_dir``; raise one InputError listing all problems."""
    root = root or programs_dir.parent
    if not programs_dir.is_dir():
        raise InputError([Problem(_shown(programs_dir, root), 1, "(directory)", "programs directory not found")])
    problems: list[Problem] = []
    loaded: list[LoadedProgram] = []
    program_ids: dict[str, str] = {}
    floor, problems = load_floor(programs_dir, _shown(programs_dir, root))
    floor_broken = floor is None and bool(problems)  # said once, not again for each program
    for path in program_files(programs_dir):
        shown = _shown(path, root)
        src = load_yaml(path, shown, limits.PROGRAM_FILE)
        if isinstance(src, Problem):
            problems.append(src)
            continue
        if not isinstance(src.data, dict):
            problems.append(Problem(shown, 1, "(file)", "a program file must be a mapping of fields (id, title, ...)"))
            continue
        pid = src.data.get("id")
        if isinstance(pid, str):
            if pid in program_ids:
                problems.append(src.problem(("id",), f"duplicate program id {pid!r} (also in {program_ids[pid]})"))
            program_ids.setdefault(pid, shown)
        problems += reference_problems(src)
        problems += follow_up_reference_problems(src)
        program, schema_problems = validate(Program, src)
        problems += schema_problems
        if program is None:
            continue
        occurrences = expand(program)
        problems += schedule_problems(src, program, occurrences)
        if not floor_broken:
            problems += learner_problems(program, src, floor, _shown(programs_dir, root))
        loaded.append(LoadedProgram(program, shown, tuple(occurrences), src, floor))
    if problems:
        raise InputError(problems)
    return sorted(loaded, key=lambda lp: lp.program.title.lower())


def _shown(path: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:
        return path.as_posix()


def upcoming(programs: list[LoadedProgram], today: dt.date) -> list[tuple[LoadedProgram, Occurrence]]:
    """Held occurrences from ``today`` on, across programs, in time order."""
    rows = [(lp, o) for lp in programs for o in lp.occurrences if not o.cancelled and o.end.date() >= today]
    return sorted(rows, key=lambda row: (row[1].start.astimezone(dt.timezone.utc), row[0].program.id))
