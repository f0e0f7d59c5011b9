"""The floor: who works at each location (and channel), how many must stay, what an hour costs.

Read from ``_floor.yml`` in the programs folder (a leading underscore: not a program). Programs
say in their ``floor`` block how many learners of each cohort work where; this module checks those
references against the floor file, so a typo names its file and line instead of dropping learners.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, model_validator

from .. import limits
from ..problems import Problem
from ..validation import validate
from ..yamlsrc import Source, load as load_yaml
from .model import WEEKDAYS, Program, Strict, Weekday, WorkingHours, _check_zone

FLOOR_FILE = "_floor.yml"


def location_key(name: str) -> str:
    """A location's part of its feed's and notice's file names."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "floor"


class Minimum(Strict):
    """How many must stay on the floor in a time band of the week: a number, or a share of the headcount."""

    stay: int | None = Field(None, ge=0, description="People who must stay on the floor.")
    share: float | None = Field(None, gt=0, le=1, description="Share of the headcount that must stay, e.g. 0.8.")
    days: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS), description="Default: every day.")
    hours: WorkingHours = Field((0, 24 * 60), description="Local hours of the band, e.g. \"10:00-12:00\" (default: all day).")
    why: str | None = Field(None, description="Why, in words, e.g. 'the morning call peak'.")

    @model_validator(mode="after")
    def _number_or_share(self) -> "Minimum":
        if (self.stay is None) == (self.share is None):
            raise ValueError("a minimum needs exactly one of `stay` (people) or `share` (of the headcount)")
        return self

    def people(self, headcount: int) -> int:
        """People who must stay; a share rounds up (80% of 11 is 9, not 8.8)."""
        return self.stay if self.stay is not None else math.ceil(round(self.share * headcount, 9))  # type: ignore[operator]


class Channel(Strict):
    name: str = Field(min_length=1, description="e.g. 'phone', 'chat' or a queue's name.")
    headcount: int = Field(ge=1)
    minimum: list[Minimum] = Field(default_factory=list, description="Bands of the week; where two overlap, the higher one counts.")


class FloorLocation(Strict):
    name: str = Field(min_length=1, description="The name programs use in `audience.locations` and `floor.learners`.")
    timezone: str = Field(description="IANA timezone name: the bands are in its local time.")
    hourly_cost: float = Field(gt=0, description="Loaded cost of one hour of one person's time (pay, taxes, overhead).")
    currency: str | None = Field(None, min_length=1, max_length=8, description="The currency of `hourly_cost`, when not the file's.")
    headcount: int | None = Field(None, ge=1, description="People on this floor (leave out when it lists channels).")
    minimum: list[Minimum] = Field(default_factory=list, description="Bands of the week; where two overlap, the higher one counts.")
    channels: list[Channel] = Field(default_factory=list, description="Channels or queues, each with its own headcount and minimum.")

    @model_validator(mode="after")
    def _floor_or_channels(self) -> "FloorLocation":
        _check_zone(self.timezone)
        if self.channels and (self.headcount is not None or self.minimum):
            raise ValueError("a location with channels gives each channel its headcount and minimum, not the location")
        if not self.channels and self.headcount is None:
            raise ValueError("a location needs a `headcount`, or `channels` with theirs")
        names = [c.name for c in self.channels]
        if len(set(names)) != len(names):
            raise ValueError("two channels share a name")
        return self


class Floor(Strict):
    currency: str = Field("EUR", min_length=1, max_length=8, description="Shown beside every cost, e.g. EUR or USD.")
    locations: list[FloorLocation] = Field(min_length=1)


@dataclass(frozen=True)
class Unit:
    """One floor that must stay staffed: a location, or one of its channels."""

    location: str
    channel: str | None
    timezone: str
    headcount: int
    minimum: tuple[Minimum, ...] = field(compare=False)  # a unit is known by its place in the file
    hourly_cost: float
    currency: str
    index: tuple[int, int | None]  # where it is in the floor file (location, channel)

    @property
    def name(self) -> str:
        return f"{self.location} ({self.channel})" if self.channel else self.location

    @property
    def key(self) -> str:
        """For element ids: letters, digits and dashes."""
        return location_key(self.name)

    def must_stay(self, weekday: int, hour: int) -> tuple[int, Minimum | None]:
        """The most people any band asks to stay during this local hour (bands count per whole hour)."""
        best: tuple[int, Minimum | None] = (0, None)
        for m in self.minimum:
            if WEEKDAYS[weekday] in m.days and m.hours[0] < (hour + 1) * 60 and hour * 60 < m.hours[1]:
                n = m.people(self.headcount)
                if n > best[0]:
                    best = (n, m)
        return best


@dataclass(frozen=True)
class LoadedFloor:
    floor: Floor
    path: str
    source: Source | None = None

    def units(self) -> list[Unit]:
        out = []
        for i, loc in enumerate(self.floor.locations):
            money = loc.currency or self.floor.currency
            if loc.channels:
                out += [Unit(loc.name, c.name, loc.timezone, c.headcount, tuple(c.minimum), loc.hourly_cost, money, (i, j))
                        for j, c in enumerate(loc.channels)]
            else:
                assert loc.headcount is not None
                out.append(Unit(loc.name, None, loc.timezone, loc.headcount, tuple(loc.minimum), loc.hourly_cost, money, (i, None)))
        return out

    def unit(self, location: str, channel: str | None) -> Unit | None:
        return next((u for u in self.units() if u.location == location and u.channel == channel), None)

    def headcount(self, location: str) -> int:
        return sum(u.headcount for u in self.units() if u.location == location)


def load_floor(programs_dir: Path, shown_dir: str) -> tuple[LoadedFloor | None, list[Problem]]:
    """The floor file of a programs folder, or None when it has none."""
    path = programs_dir / FLOOR_FILE
    if not path.is_file():
        return None, []
    shown = f"{shown_dir}/{FLOOR_FILE}"
    src = load_yaml(path, shown, limits.PROGRAM_FILE)
    if isinstance(src, Problem):
        return None, [src]
    if not isinstance(src.data, dict):
        return None, [Problem(shown, 1, "(file)", "the floor file is a mapping with `locations`")]
    floor, problems = validate(Floor, src)
    if floor is None:
        return None, problems
    seen: dict[str, str] = {}  # file name (feed, notice) -> location
    for i, loc in enumerate(floor.locations):
        key = location_key(loc.name)
        if loc.name in seen.values():
            problems.append(src.problem(("locations", i, "name"), f"another location is called {loc.name!r}"))
        elif key in seen:
            problems.append(src.problem(("locations", i, "name"), f"{loc.name!r} and {seen[key]!r} would share the feed {key}.ics: rename one"))
        seen.setdefault(key, loc.name)
    return LoadedFloor(floor, shown, src), problems


def learner_problems(program: Program, src: Source, floor: LoadedFloor | None, shown: str) -> list[Problem]:
    """A program's `floor.learners` against the floor file and the program's own cohorts."""
    pf = program.floor
    if pf is None:
        return []
    problems = []
    if floor is None and pf.learners:
        problems.append(src.problem(("floor", "learners"), f"the learners name locations, but there is no floor file ({shown}/{FLOOR_FILE})"))
        return problems
    cohorts = {s.cohort for s in program.sessions if s.cohort}
    for i, e in enumerate(pf.learners):
        at = ("floor", "learners", i)
        loc = next((x for x in floor.floor.locations if x.name == e.location), None) if floor else None
        if loc is None:
            known = ", ".join(x.name for x in floor.floor.locations) if floor else ""
            problems.append(src.problem((*at, "location"), f"unknown location {e.location!r} (the floor file has: {known})"))
        elif loc.channels and e.channel not in {c.name for c in loc.channels}:
            names = ", ".join(c.name for c in loc.channels)
            what = f"unknown channel {e.channel!r}" if e.channel else "say which channel"
            problems.append(src.problem((*at, "channel"), f"{what}: {loc.name} has channels {names}"))
        elif not loc.channels and e.channel is not None:
            problems.append(src.problem((*at, "channel"), f"{loc.name} lists no channels in the floor file"))
        if cohorts and e.cohort is None:
            problems.append(src.problem(at, f"name the cohort: the sessions name cohorts ({', '.join(sorted(cohorts))})"))
        elif e.cohort is not None and e.cohort not in cohorts:
            known = f" (the sessions name: {', '.join(sorted(cohorts))})" if cohorts else " (no session names a cohort)"
            problems.append(src.problem((*at, "cohort"), f"no session has the cohort {e.cohort!r}{known}"))
    named = {e.cohort for e in pf.learners}
    if pf.learners:
        for i, s in enumerate(program.sessions):
            if s.cohort and s.cohort not in named:
                problems.append(src.problem(("sessions", i, "cohort"), f"`floor.learners` says nothing of the cohort {s.cohort!r}: how many are away?"))
    keys = {s.id for s in program.sessions} | {r.key for r in program.reinforcement}
    for i, b in enumerate(pf.below_minimum):
        if b.session not in keys:
            problems.append(src.problem(("floor", "below_minimum", i, "session"), f"no session or reinforcement has the id {b.session!r}"))
    return problems
