"""Schemas of the survey inputs: the single source of truth for what the files may hold.

Field-level rules live in the pydantic models. Rules that relate one entry to another
(duplicate ids, unknown references, parent cycles) need the YAML ``Source`` to name the line
of the offending entry, so they are separate functions returning ``Problem``s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from ..problems import Problem
from ..programs.model import Change
from ..tabular.model import ExportOptions
from ..yamlsrc import Source

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
QUESTION_ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleOption(_Strict):
    value: int
    label: str = Field(min_length=1)


class Question(_Strict):
    id: str = Field(pattern=QUESTION_ID_PATTERN)
    text: str = Field(min_length=1)
    self_text: str = Field(min_length=1)
    theme: str = Field(min_length=1)


class Questionnaire(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    scale: list[ScaleOption] = Field(min_length=2)
    na_labels: list[str] = Field(default_factory=lambda: ["N/A", "NA", "Don't know"])
    questions: list[Question] = Field(min_length=1)

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def looks_like_question(self, column: str) -> bool:
        """True for a column such as ``q13`` when questions are named ``q01`` ... ``q12``."""
        prefixes = {m.group(1).casefold() for q in self.questions if (m := re.fullmatch(r"(.*?)\d+", q.id))}
        m = re.fullmatch(r"(.*?)\d+", column.strip())
        return bool(m) and m.group(1).casefold() in prefixes


class Person(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    email: str | None = None


class Team(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    manager: str
    parent: str | None = None
    # One number for every cycle, or a number per cycle id (a team absent from the map
    # was not part of that cycle).
    invited: int | dict[str, int]

    @field_validator("invited")
    @classmethod
    def _positive(cls, v: int | dict[str, int]) -> int | dict[str, int]:
        counts = [v] if isinstance(v, int) else list(v.values())
        if any(n < 1 for n in counts):
            raise ValueError("invited must be at least 1")
        return v

    def invited_in(self, cycle_id: str) -> int | None:
        return self.invited if isinstance(self.invited, int) else self.invited.get(cycle_id)


class Organisation(_Strict):
    people: list[Person] = Field(min_length=1)
    teams: list[Team] = Field(min_length=1)
    admins: list[str] = Field(default_factory=list)
    # Lookups by id; reports for thousands of teams must not scan the lists each time.
    _teams: dict[str, Team] = PrivateAttr(default_factory=dict)
    _people: dict[str, Person] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: object) -> None:
        self._teams.update((t.id, t) for t in reversed(self.teams))  # the first of duplicate ids wins
        self._people.update((p.id, p) for p in reversed(self.people))

    def team(self, team_id: str) -> Team:
        return self._teams[team_id]

    def person(self, person_id: str) -> Person:
        return self._people[person_id]

    def manager_of(self, team_id: str) -> Person:
        return self.person(self.team(team_id).manager)

    def parent_of(self, team_id: str) -> Team | None:
        parent = self.team(team_id).parent
        return self.team(parent) if parent else None


class Cycle(ExportOptions):
    id: str = Field(pattern=ID_PATTERN)
    label: str = Field(min_length=1)
    responses: str = Field(min_length=1, description="CSV or XLSX file, relative to the project root")
    roles: dict[str, str] = Field(
        default_factory=dict,
        description="An answer to the role question as written in the file -> `self` or `member`.",
    )

    @field_validator("roles")
    @classmethod
    def _roles(cls, v: dict[str, str]) -> dict[str, str]:
        bad = sorted({r for r in v.values() if r not in ("self", "member")})
        if bad:
            raise ValueError(f"roles map answers to 'self' or 'member', not {', '.join(map(repr, bad))}")
        return v


class AgreementsSource(ExportOptions):
    """Where the teams' agreed experiments are: a YAML file (`.yml`, `.yaml`) in the documented
    format, or a table (CSV, XLSX) as a form tool exports it."""

    path: str = Field(min_length=1, description="YAML, CSV or XLSX file, relative to the project root")

    @model_validator(mode="before")
    @classmethod
    def _path_alone(cls, v: object) -> object:
        return {"path": v} if isinstance(v, str) else v

    @property
    def is_yaml(self) -> bool:
        return self.path.lower().endswith((".yml", ".yaml"))


def _demo_cycles() -> list[Cycle]:
    return [
        Cycle(id=c, label=f"{c[-2:]} {c[:4]}", responses=f"survey/responses/{c}.csv")
        for c in ("2026-H1", "2026-H2")
    ]


class SurveyInputs(_Strict):
    """Where the survey files are and how to score them; the defaults point at the demo."""

    questionnaire: str = "survey/lchc.yml"
    organisation: str = "survey/org.yml"
    cycles: list[Cycle] = Field(default_factory=_demo_cycles, min_length=1)
    min_responses: int = 3
    gap_threshold: float = Field(default=1.0, gt=0)
    share_up: int = Field(default=1, ge=0)
    # Teams whose numbers a benchmark averages before it is shown: with 2, one manager could
    # work out the other team's numbers from their own and the benchmark.
    benchmark_min_teams: int = 5
    # "You told us, we are doing": the results page for all staff ("off", or "public": anyone who
    # can open the site) and the YAML file of the organisation's actions in response.
    all_staff: Literal["off", "public"] = "off"
    actions: str | None = None
    # LCHC themes -> the program objectives that address them (the admins' "from gaps to programs").
    gaps: str | None = None
    # What each team agreed to try after a cycle's report, and its check-in (private: shown only
    # inside the encrypted reports).
    agreements: AgreementsSource | None = None

    @field_validator("min_responses")
    @classmethod
    def _anonymity(cls, v: int) -> int:
        if v < 3:
            raise ValueError("min_responses protects anonymity and cannot be below 3")
        return v

    @field_validator("benchmark_min_teams")
    @classmethod
    def _benchmark_anonymity(cls, v: int) -> int:
        if v < 3:
            raise ValueError("benchmark_min_teams protects each team's numbers and cannot be below 3")
        return v

    @model_validator(mode="after")
    def _unique_cycles(self) -> SurveyInputs:
        ids = [c.id for c in self.cycles]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate cycle id: {', '.join(dupes)}")
        return self

    def cycle(self, cycle_id: str) -> Cycle:
        return next(c for c in self.cycles if c.id == cycle_id)


class Actions(_Strict):
    """The organisation's actions in response to the LCHC, each like a program's `changes` entry."""

    actions: list[Change] = Field(default_factory=list)


class ObjectiveRef(_Strict):
    program: str = Field(min_length=1)  # a program id
    objective: str = Field(min_length=1)  # one of its objectives' ids


class ThemeLink(_Strict):
    theme: str = Field(min_length=1)  # a theme of the questionnaire
    objectives: list[ObjectiveRef] = Field(min_length=1)


class GapMap(_Strict):
    """Which program objectives address each LCHC theme."""

    themes: list[ThemeLink] = Field(min_length=1)


def gap_map_problems(gaps: GapMap, src: Source, questionnaire: Questionnaire | None) -> list[Problem]:
    """Themes the questionnaire has, each once (programs are checked once they are loaded)."""
    problems = _duplicates(src, "themes", [t.theme for t in gaps.themes], "theme")
    if questionnaire is not None:
        known = list(dict.fromkeys(q.theme for q in questionnaire.questions))
        for i, link in enumerate(gaps.themes):
            if link.theme not in known:
                problems.append(src.problem(("themes", i, "theme"), f"unknown theme {link.theme!r}; the questionnaire's themes: {', '.join(known)}"))
    return problems


def _duplicates(src: Source, section: str, keys: Sequence[str], what: str) -> list[Problem]:
    """One problem per repeated key, pointing at the repeat and naming the first line."""
    first: dict[str, int] = {}
    out = []
    for i, key in enumerate(keys):
        if key in first:
            line = src.line_of((section, first[key]))
            out.append(src.problem((section, i, "id"), f"duplicate {what} {key!r} (first at line {line})"))
        else:
            first[key] = i
    return out


def questionnaire_problems(q: Questionnaire, src: Source) -> list[Problem]:
    out = _duplicates(src, "questions", [x.id.casefold() for x in q.questions], "question id")
    values = [str(o.value) for o in q.scale]
    for i, v in enumerate(values):
        if v in values[:i]:
            out.append(src.problem(("scale", i, "value"), f"duplicate scale value {v}"))
    labels = [o.label.strip().casefold() for o in q.scale]
    na = {x.strip().casefold() for x in q.na_labels}
    for i, label in enumerate(labels):
        if label in labels[:i]:
            out.append(src.problem(("scale", i, "label"), f"duplicate scale label {q.scale[i].label!r}"))
        elif label in na:
            out.append(src.problem(("scale", i, "label"), f"label {q.scale[i].label!r} is also an N/A label"))
    return out


def organisation_problems(org: Organisation, src: Source, cycle_ids: Sequence[str]) -> list[Problem]:
    out = _duplicates(src, "people", [p.id for p in org.people], "person id")
    out += _duplicates(src, "teams", [t.id for t in org.teams], "team id")
    people = {p.id for p in org.people}
    parents = {t.id: t.parent for t in org.teams}
    for i, team in enumerate(org.teams):
        if team.manager not in people:
            out.append(src.problem(("teams", i, "manager"), f"unknown person {team.manager!r}"))
        if team.parent is not None and team.parent not in parents:
            out.append(src.problem(("teams", i, "parent"), f"unknown team {team.parent!r}"))
        if isinstance(team.invited, dict):
            for cycle_id in team.invited:
                if cycle_id not in cycle_ids:
                    out.append(src.problem(("teams", i, "invited", cycle_id), f"unknown cycle {cycle_id!r}"))
    for j, admin in enumerate(org.admins):
        if admin not in people:
            out.append(src.problem(("admins", j), f"unknown person {admin!r}"))
    return out + _parent_cycles(org, src, parents)


def _parent_cycles(org: Organisation, src: Source, parents: dict[str, str | None]) -> list[Problem]:
    """Report each loop in the parent chain once, at its first team in file order."""
    out = []
    reported: set[str] = set()
    for i, team in enumerate(org.teams):
        chain = [team.id]
        node = parents.get(team.id)
        while node is not None and node in parents and node not in chain:
            chain.append(node)
            node = parents[node]
        if node is None or node not in chain:
            continue
        loop = chain[chain.index(node):]
        if team.id in loop and not reported & set(loop):
            reported.update(loop)
            path = " -> ".join([*loop, node])
            out.append(src.problem(("teams", i, "parent"), f"parent teams form a cycle: {path}"))
    return out
