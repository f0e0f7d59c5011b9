"""The program definition: one YAML file per program, validated by these models.

These models are the single source of truth for the program file format: the loader
validates with them and the shipped JSON Schema is generated from them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import unicodedata
from enum import Enum
from typing import Annotated, Any, Literal, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, description="Stable id: lowercase letters, digits and dashes.")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- small value types -------------------------------------------------------------

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _parse_time(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        m = _TIME.match(value.strip())
        if m:
            return dt.time(int(m.group(1)), int(m.group(2)))
    raise ValueError("expected a 24-hour time HH:MM, e.g. \"09:30\"")


LocalTime = Annotated[
    dt.time,
    BeforeValidator(_parse_time),
    WithJsonSchema({"type": "string", "pattern": _TIME.pattern, "description": "24-hour local time HH:MM"}),
]

_DURATION = re.compile(r"^(?:(\d+)h)?\s*(?:(\d+)m(?:in)?)?$")


def _parse_duration(value: Any) -> Any:
    """Durations are minutes (``60``) or ``1h``, ``90m``, ``1h30m``."""
    if isinstance(value, bool):
        raise ValueError("expected minutes (60) or a duration like \"1h30m\"")
    if isinstance(value, int):
        minutes = value
    elif isinstance(value, str) and (m := _DURATION.match(value.strip())) and any(m.groups()):
        minutes = int(m.group(1) or 0) * 60 + int(m.group(2) or 0)
    else:
        raise ValueError("expected minutes (60) or a duration like \"1h30m\"")
    if not 1 <= minutes <= 24 * 60:
        raise ValueError("a session lasts between 1 minute and 24 hours")
    return dt.timedelta(minutes=minutes)


Duration = Annotated[
    dt.timedelta,
    BeforeValidator(_parse_duration),
    WithJsonSchema(
        {
            "anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": _DURATION.pattern}],
            "description": "Minutes (60) or a duration like 1h30m",
        }
    ),
]


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _strict_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date YYYY-MM-DD without a time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (m := _DATE.match(value.strip())):
        try:
            return dt.date(*map(int, m.groups()))
        except ValueError:
            raise ValueError(f"{value.strip()} is not a day in the calendar") from None
    raise ValueError("expected a date YYYY-MM-DD")


Date = Annotated[
    dt.date, BeforeValidator(_strict_date), WithJsonSchema({"type": "string", "pattern": _DATE.pattern, "description": "YYYY-MM-DD"})
]

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAY_NAMES = {name.lower(): code for code, name in zip(WEEKDAYS, ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}


def _parse_weekday(value: Any) -> Any:
    if isinstance(value, str):
        v = value.strip().lower()
        if v.upper() in WEEKDAYS:
            return v.upper()
        if v in _WEEKDAY_NAMES:
            return _WEEKDAY_NAMES[v]
        if len(v) >= 3:
            for name, code in _WEEKDAY_NAMES.items():
                if name.startswith(v):
                    return code
    raise ValueError("expected a weekday: MO TU WE TH FR SA SU or a name like Tuesday")


Weekday = Annotated[
    Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
    BeforeValidator(_parse_weekday),
]


def text_hash(text: str) -> str:
    """Hash of an objective's text, insensitive to spacing and Unicode form only."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return "sha256:" + hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


# --- people ------------------------------------------------------------------------


class Person(Strict):
    id: Id
    name: str = Field(min_length=1)
    role: str = Field(min_length=1, description="What this person does in the program, e.g. 'Sales coach'.")
    organisation: str | None = Field(None, description="Set for people outside the company, e.g. an outsourcing partner.")
    email: str | None = None


# --- objectives --------------------------------------------------------------------


class Domain(str, Enum):
    know = "know"
    believe = "believe"
    do = "do"


class ReviewState(str, Enum):
    draft = "draft"
    in_review = "in review"
    approved = "approved"
    changes_requested = "changes requested"


class ObjectiveState(str, Enum):
    """What an objective's review means for the pages: the review state, except that an approval
    of other words than the objective's text now has (stale) is its own state. The one definition
    the program page, the review page and the admin view all read."""

    draft = "draft"
    in_review = "in review"
    changes_requested = "changes requested"
    stale = "approval stale"
    approved = "approved"

    @property
    def css(self) -> str:
        return self.value.replace(" ", "-")


class Review(Strict):
    state: ReviewState = ReviewState.draft
    reviewer: str | None = Field(None, description="Id of the stakeholder who reviewed the objective.")
    date: Date | None = None
    approved_text_hash: str | None = Field(
        None,
        description="Hash of the text as approved (`lchc-gen hash FILE` prints it). "
        "If the text changes afterwards the approval is shown as stale.",
    )
    comment: str | None = None

    @model_validator(mode="after")
    def _approval_is_complete(self) -> "Review":
        if self.state is ReviewState.approved:
            missing = [n for n in ("reviewer", "date", "approved_text_hash") if getattr(self, n) is None]
            if missing:
                raise ValueError(f"an approved objective needs {', '.join(missing)} (run `lchc-gen hash` for the hash)")
        elif self.state in (ReviewState.in_review, ReviewState.changes_requested) and self.reviewer is None:
            raise ValueError(f"an objective '{self.state.value}' needs the reviewer's id")
        return self


class Objective(Strict):
    id: Id
    text: str = Field(min_length=1)
    domain: Domain
    review: Review = Review()

    # --- for the learners' managers (programs/brief.py): asked and looked for, never invented ---
    one_to_one: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list, description="Questions a manager can ask in one-to-ones about this objective (the manager's brief lists them)."
    )
    observe: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        description="'do' objectives only: what a manager can see someone do once they apply it; the brief's "
        "observation checklist (default: the objective's text).",
    )

    @model_validator(mode="after")
    def _observe_is_for_behaviour(self) -> "Objective":
        if self.observe and self.domain is not Domain.do:
            raise ValueError("`observe` lists behaviours a manager can see: only a 'do' objective has them")
        return self

    @property
    def stale(self) -> bool:
        """Approved, but the text has changed since."""
        r = self.review
        return r.state is ReviewState.approved and r.approved_text_hash != text_hash(self.text)

    @property
    def state(self) -> ObjectiveState:
        return ObjectiveState.stale if self.stale else ObjectiveState(self.review.state.value)

    @property
    def settled(self) -> bool:
        """Approved, and the approval is for this text: the only state not shown as provisional."""
        return self.state is ObjectiveState.approved

    @property
    def state_label(self) -> str:
        return "approval stale: the text changed after it was approved" if self.stale else self.state.value


# --- sessions ----------------------------------------------------------------------


class SessionFields(Strict):
    """What every session, recurring or one-off, tells the learner."""

    id: Id = Field(description="Stable id; part of every calendar UID, so keep it once published.")
    title: str = Field(min_length=1)
    start: LocalTime = Field(description="Local wall-clock start time in the program's timezone.")
    duration: Duration
    rationale: str = Field(min_length=1, description="Why this session is scheduled when it is (required).")
    description: str | None = None
    format: Literal["in person", "online", "hybrid", "video"] = "in person"
    location: str | None = None
    join_url: str | None = Field(None, pattern=r"^https?://")
    facilitators: list[Id] = Field(default_factory=list, description="Facilitator ids.")
    objectives: list[Id] = Field(default_factory=list, description="Ids of the objectives this session serves.")
    one_of: Id | None = Field(
        None,
        description="Attendance group: each learner attends ONE occurrence of all the sessions (or of the series) "
        "with this group id, e.g. the session after each LCHC cycle. Time needed is counted per learner.",
    )
    cohort: str | None = Field(None, description="Who attends this session, e.g. 'Managers with a 2026-H2 report'.")
    outside_working_hours: str | None = Field(
        None,
        min_length=1,
        description="Why this session may fall outside an audience location's working hours "
        "(without it, the build warns about each such occurrence).",
    )


class Override(Strict):
    """Moves or cancels one occurrence of a series."""

    date: Date = Field(description="The date of the occurrence as the series would have it.")
    cancel: bool = False
    new_date: Date | None = None
    start: LocalTime | None = None
    duration: Duration | None = None
    location: str | None = None
    rationale: str | None = Field(None, description="Why this occurrence is moved or cancelled.")

    @model_validator(mode="after")
    def _moves_or_cancels(self) -> "Override":
        moved = any(v is not None for v in (self.new_date, self.start, self.duration, self.location))
        if self.cancel and moved:
            raise ValueError("an override either cancels an occurrence or changes it, not both")
        if not self.cancel and not moved:
            raise ValueError("an override needs cancel: true, or a new_date, start, duration or location")
        return self


class Extra(Strict):
    """An extra occurrence of a series, on a date the pattern does not have."""

    date: Date
    start: LocalTime | None = None
    duration: Duration | None = None
    location: str | None = None
    rationale: str = Field(min_length=1, description="Why this extra occurrence is added (required).")


class Series(SessionFields):
    """A series (has `first_date`): the same local time every week, month or year, from a first
    date to an end date or count."""

    frequency: Literal["weekly", "monthly", "yearly"] = Field(
        "weekly",
        description="weekly (on `weekdays`), monthly (on first_date's day of the month, or on the "
        "`week_of_month`-th of `weekdays`) or yearly (on first_date's day and month).",
    )
    weekdays: list[Weekday] = Field(default_factory=list, description="Required for a weekly series.")
    week_of_month: Literal[1, 2, 3, 4, -1] | None = Field(
        None, description="Monthly only: 1 to 4 for the first to fourth, -1 for the last of `weekdays` in the month."
    )
    interval: int = Field(1, ge=1, le=52, description="Every N weeks, months or years.")
    first_date: Date
    until: Date | None = Field(None, description="Last possible date (inclusive).")
    count: int | None = Field(None, ge=1, le=500, description="Number of occurrences.")
    exceptions: list[Date] = Field(default_factory=list, description="Dates with no session (holidays).")
    overrides: list[Override] = Field(default_factory=list)
    extra: list[Extra] = Field(default_factory=list, description="Extra occurrences, each with its own rationale.")

    @model_validator(mode="after")
    def _has_one_end(self) -> "Series":
        if (self.until is None) == (self.count is None):
            raise ValueError("a series needs exactly one of `until` or `count`")
        if self.until is not None and self.until < self.first_date:
            raise ValueError(f"ends before it starts: until {self.until} is before first_date {self.first_date}")
        if self.frequency == "weekly" and not self.weekdays:
            raise ValueError("a weekly series needs `weekdays`")
        if self.frequency == "yearly" and self.weekdays:
            raise ValueError("a yearly series repeats first_date's day and month: leave out `weekdays`")
        if self.frequency == "monthly" and (self.week_of_month is None) != (not self.weekdays):
            raise ValueError("a monthly series on a weekday needs both `weekdays` and `week_of_month` (or neither)")
        if self.frequency != "monthly" and self.week_of_month is not None:
            raise ValueError("`week_of_month` is for monthly series only")
        return self


class OneOff(SessionFields):
    """A one-off session (has `date`)."""

    date: Date


def _session_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "series" if {"weekdays", "first_date", "frequency"} & set(value) else "once"
    return "series" if isinstance(value, Series) else "once"


Session = Annotated[
    Union[Annotated[Series, Tag("series")], Annotated[OneOff, Tag("once")]],
    Discriminator(_session_kind),
]


# --- the rest of a program ---------------------------------------------------------


_HOURS = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-4]):([0-5]\d)\s*$")


def _parse_hours(value: Any) -> Any:
    if isinstance(value, tuple):
        return value
    if isinstance(value, str) and (m := _HOURS.match(value)):
        h1, m1, h2, m2 = map(int, m.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end > 24 * 60 or end <= start:
            raise ValueError("working hours end after they start, e.g. \"08:00-18:00\"")
        return (start, end)
    raise ValueError("expected working hours as \"HH:MM-HH:MM\", e.g. \"08:00-18:00\"")


WorkingHours = Annotated[
    tuple[int, int],
    BeforeValidator(_parse_hours),
    WithJsonSchema({"type": "string", "pattern": _HOURS.pattern, "description": "Local working hours HH:MM-HH:MM"}),
]


class Location(Strict):
    """Where part of the audience works: sessions are checked against its working hours."""

    name: str = Field(min_length=1, description="e.g. 'Manila (outsourcing partner)'.")
    timezone: str = Field(description="IANA timezone name of this location.")
    working_hours: WorkingHours = Field(description="Local working hours, e.g. \"08:00-18:00\".")
    working_days: list[Weekday] = Field(
        default_factory=lambda: ["MO", "TU", "WE", "TH", "FR"], description="Default: Monday to Friday."
    )
    peak_hours: list[WorkingHours] = Field(
        default_factory=list,
        description="Local hours on working days when everyone is needed at work, e.g. [\"10:00-12:00\"]: "
        "the operations page lists the sessions that overlap them.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _check_zone(value)


class Audience(Strict):
    description: str = Field(min_length=1, description="Who takes part.")
    why_this_group: str = Field(min_length=1, description="Why these people were chosen (required).")
    size: int | None = Field(None, ge=1)
    locations: list[Location] = Field(
        default_factory=list, description="Where the learners work: every session is shown and checked in each location's time."
    )


_OFFSET = re.compile(r"^\s*(\d+)\s*(d|w)\s*$")


def _parse_offset(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("expected days (14) or an offset like \"2d\" or \"6w\"")
    if isinstance(value, int) and 0 <= value <= 3660:
        return value
    if isinstance(value, str) and (m := _OFFSET.match(value)):
        return int(m.group(1)) * (7 if m.group(2) == "w" else 1)
    raise ValueError("expected days (14) or an offset like \"2d\" or \"6w\"")


Offset = Annotated[
    int,
    BeforeValidator(_parse_offset),
    WithJsonSchema(
        {
            "anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": _OFFSET.pattern}],
            "description": "Days (14), or \"2d\", \"6w\"",
        }
    ),
]


class Anchor(Strict):
    """What a reinforcement sequence is timed from: exactly one of these."""

    session: Id | None = Field(None, description="A session id: after it (a series: after each occurrence, see `each`).")
    each: bool = Field(True, description="With `session` set to a series: after each occurrence (true) or after its last one (false).")
    one_of: Id | None = Field(None, description="An attendance group: after each of its occurrences, so every cohort gets the sequence.")
    lchc_cycle: str | None = Field(None, description="An LCHC cycle id, e.g. 2027-H1: after its reports are released.")
    released: Date | None = Field(None, description="With `lchc_cycle`: the date its reports are released.")

    @model_validator(mode="after")
    def _one_anchor(self) -> "Anchor":
        if sum(v is not None for v in (self.session, self.one_of, self.lchc_cycle)) != 1:
            raise ValueError("`after` needs exactly one of `session`, `one_of` or `lchc_cycle`")
        if (self.lchc_cycle is None) != (self.released is None):
            raise ValueError("`lchc_cycle` and `released` go together")
        return self


class Reinforcement(Strict):
    """A follow-up, or a spaced sequence of them, after the sessions."""

    id: Id | None = Field(None, description="Stable id, part of calendar UIDs (default: made from the title).")
    title: str = Field(min_length=1)
    purpose: str = Field(min_length=1)
    date: Date | None = None
    offset_days: int | None = Field(None, ge=0, description="Days after the last session ends.")
    after: Anchor | None = Field(None, description="What `offsets` count from: a session, each occurrence of an attendance group, or an LCHC cycle.")
    offsets: list[Offset] = Field(default_factory=list, description="A spaced sequence after `after`, e.g. [2d, 1w, 6w].")
    start: LocalTime | None = Field(None, description="Local start time; without it the follow-up is a whole-day item.")
    duration: Duration | None = None
    objectives: list[Id] = Field(default_factory=list, description="Ids of the objectives it reinforces.")
    format: str | None = None
    outside_working_hours: str | None = Field(
        None, min_length=1, description="Why a step may fall outside a location's working hours or days (else the build warns)."
    )

    # --- for the learners' managers (programs/brief.py) ---
    manager: str | None = Field(
        None,
        min_length=1,
        description="What the learner's manager does at this step, e.g. 'Ask how the first call went': "
        "the manager's brief and its calendar list the step.",
    )

    @model_validator(mode="after")
    def _when(self) -> "Reinforcement":
        ways = (self.date is not None) + (self.offset_days is not None) + (self.after is not None)
        if ways != 1:
            raise ValueError("a reinforcement needs exactly one of `date`, `offset_days` or `after` with `offsets`")
        if (self.after is None) != (not self.offsets):
            raise ValueError("`after` and `offsets` go together")
        if len(set(self.offsets)) != len(self.offsets):
            raise ValueError("`offsets` repeats a day")
        if (self.start is None) != (self.duration is None):
            raise ValueError("`start` and `duration` go together")
        return self

    @property
    def key(self) -> str:
        """Stable part of calendar UIDs."""
        if self.id:
            return self.id
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-") or "follow-up"


class Reading(Strict):
    """One measured value of a measure, on the day it was measured."""

    value: float
    date: Date


class Measurement(Strict):
    """What will show that the program worked; with numbers once they are measured."""

    level: int = Field(ge=1, le=4, description="Kirkpatrick level: 1 reaction, 2 learning, 3 behaviour, 4 results.")
    what: str = Field(min_length=1)
    how: str = Field(min_length=1)
    when: str | None = None
    unit: str | None = Field(None, description="Unit of the values, e.g. '%' or 'incidents per month'.")
    better: Literal["higher", "lower"] | None = Field(None, description="Which direction is an improvement.")
    baseline: Reading | None = Field(None, description="The value before the program.")
    target: float | None = Field(None, description="The value the program aims for.")
    results: list[Reading] = Field(default_factory=list, description="Values measured after the program, any order.")
    source: str | None = Field(None, description="Where the values come from, e.g. 'CRM quarterly report' (required with values).")

    @model_validator(mode="after")
    def _numbers_hang_together(self) -> "Measurement":
        numbered = self.baseline is not None or self.results or self.target is not None
        if not numbered:
            return self
        missing = [n for n in ("baseline", "better", "source") if getattr(self, n) is None]
        if missing:
            raise ValueError(f"a measure with values needs {', '.join(missing)}")
        dates = [r.date for r in self.results]
        if len(set(dates)) != len(dates):
            raise ValueError("`results` has two values on one date")
        if any(d <= self.baseline.date for d in dates):  # type: ignore[union-attr]
            raise ValueError("every result is dated after the baseline")
        return self

    @property
    def latest(self) -> Reading | None:
        return max(self.results, key=lambda r: r.date) if self.results else None


class Change(Strict):
    """Something the L&D team changed because of what they heard ("you said, we did")."""

    date: Date
    what: str = Field(min_length=1, description="What changed.")
    why: str = Field(min_length=1, description="What learners or stakeholders said that led to it.")
    source: str = Field(min_length=1, description="Where it came from, e.g. 'feedback, spring run'.")


class Request(Strict):
    requested_by: str = Field(min_length=1)
    asked_for: str = Field(min_length=1)
    opportunity: str | None = Field(None, description="What the L&D team saw in the request beyond it.")


class Status(str, Enum):
    draft = "draft"
    in_review = "in review"
    approved = "approved"
    running = "running"
    finished = "finished"


# --- operations: learners on the floor (programs/staffing.py reads the site's floor file) ---


class FloorLearners(Strict):
    """How many learners of one cohort work at one location (and channel) of the floor file."""

    location: str = Field(min_length=1, description="A location's name in the floor file (programs/_floor.yml).")
    channel: str | None = Field(None, description="A channel or queue of that location, when the floor file lists channels.")
    cohort: str | None = Field(None, description="A session's `cohort`; leave out when no session names one.")
    count: int = Field(ge=1, description="How many learners of this cohort work there.")


class ComparedTo(Strict):
    """The design this program replaces: time per learner, in sessions or in hours."""

    design: str = Field(min_length=1, description="The design in words, e.g. 'two classroom days in the first week'.")
    hours_per_learner: float | None = Field(None, gt=0, le=1000)
    sessions: int | None = Field(None, ge=1, le=500, description="With `session_duration`: the sessions each learner attended.")
    session_duration: Duration | None = None

    @model_validator(mode="after")
    def _one_way(self) -> "ComparedTo":
        if (self.hours_per_learner is None) == (self.sessions is None):
            raise ValueError("`compared_to` needs exactly one of `hours_per_learner` or `sessions` with `session_duration`")
        if (self.sessions is None) != (self.session_duration is None):
            raise ValueError("`sessions` and `session_duration` go together")
        return self

    @property
    def hours(self) -> float:
        """Hours off the floor per learner in the design it replaces."""
        if self.hours_per_learner is not None:
            return self.hours_per_learner
        assert self.sessions is not None and self.session_duration is not None
        return self.sessions * self.session_duration.total_seconds() / 3600


class BelowMinimum(Strict):
    """A session or follow-up that may take the floor below its minimum, and why."""

    session: Id = Field(description="A session id, or a reinforcement's id.")
    why: str = Field(min_length=1)


class ProgramFloor(Strict):
    learners: list[FloorLearners] = Field(
        default_factory=list, description="Who is away during the sessions: counts per cohort and location (never names)."
    )
    ready: str | None = Field(
        None, min_length=1, description="What a learner can do once their cohort finishes, e.g. 'take customer calls': "
        "the operations page counts them as ready that month.",
    )
    compared_to: ComparedTo | None = Field(None, description="The design this program replaces, for the hours and cost saved.")
    below_minimum: list[BelowMinimum] = Field(
        default_factory=list, description="Sessions that may leave fewer people on the floor than its minimum, each with why."
    )


class Program(Strict):
    id: Id
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    status: Status
    owner: str = Field(min_length=1)
    timezone: str = Field(description="IANA timezone name, e.g. Europe/Berlin. Session times are local to it.")
    display_timezones: list[str] = Field(
        default_factory=list, description="Extra zones to show times in, e.g. for remote or outsourced learners."
    )
    design_rationale: str | None = Field(None, description="Why the whole program is shaped the way it is (shown at the top).")
    what_to_expect: str | None = Field(None, description="What a learner can expect from the sessions.")
    prework: list[str] = Field(default_factory=list, description="What to prepare before the first session.")
    audience: Audience
    objectives: list[Objective] = Field(min_length=1)
    facilitators: list[Person] = Field(default_factory=list)
    stakeholders: list[Person] = Field(default_factory=list)
    sessions: list[Session] = Field(min_length=1)
    reinforcement: list[Reinforcement] = Field(default_factory=list)
    measurement: list[Measurement] = Field(default_factory=list)
    request: Request | None = None
    owners: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        description="Person ids (reader ids of the keystore) of the program's owners: they read its learner comments.",
    )
    changes: list[Change] = Field(default_factory=list, description="What changed because of feedback (\"you said, we did\").")
    revision: int = Field(
        0, ge=0, description="Raise by one when you change a published schedule; calendar apps then take the update."
    )
    # operations (see ProgramFloor above)
    floor: ProgramFloor | None = Field(None, description="How many learners each cohort takes off which floor, and what it replaces.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _check_zone(value)

    @field_validator("display_timezones")
    @classmethod
    def _known_zones(cls, value: list[str]) -> list[str]:
        return [_check_zone(v) for v in value]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def people(self) -> dict[str, Person]:
        return {p.id: p for p in (*self.facilitators, *self.stakeholders)}


def _check_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long to be a file
        close = difflib.get_close_matches(value, sorted(available_timezones()), n=1, cutoff=0.8)
        hint = f"; did you mean {close[0]}?" if close else " (use an IANA name such as Europe/Berlin)"
        raise ValueError(f"unknown timezone {value!r}{hint}") from None
    return value
