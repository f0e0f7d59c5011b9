"""What each team agreed to try after a cycle's report, and how its check-in went.

The format (pydantic) is the single source of truth for the YAML file and its JSON Schema
(`lchc-gen schema agreements`). A form export (CSV or XLSX from Google Forms, Microsoft Forms,
LimeSurvey, Qualtrics) is read through ``tabular`` into the same model, row by row, so its
problems name file, row and the tool's own column heading.

Agreement texts and check-in notes are private: they reach readers only inside the encrypted
team reports (and the team's own page), never a page of their own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .. import limits, yamlsrc
from ..problems import Problem
from ..tabular import PRESETS, Target, normalised, read_grid, to_canonical
from ..tabular.presets import Preset
from ..validation import validate
from .model import AgreementsSource, Questionnaire

Status = Literal["tried", "partly", "not yet"]
STATUSES: tuple[str, ...] = ("tried", "partly", "not yet")
SCHEMA_ID = "https://lchc-gen.example/schema/agreements.schema.json"


def _status(v: object) -> object:
    """"Not yet", "not_yet", " Tried " -> the canonical words; anything else is left to fail."""
    if isinstance(v, str):
        key = re.sub(r"[\s_-]+", " ", v).strip().casefold()
        return key or None
    return v


class Agreement(BaseModel):
    """One team's agreed experiment after one cycle's report, and its check-in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    team: str = Field(min_length=1, description="The team's id in the organisation file.")
    cycle: str = Field(min_length=1, description="The cycle whose report the team discussed; the next cycle's report shows how the targeted questions moved.")
    agreed: str = Field(min_length=1, max_length=2000, description="What the team agreed to try, in its own words.")
    questions: list[str] = Field(min_length=1, description="The LCHC question ids the experiment targets, e.g. [q03, q07].")
    check_in: dt.date = Field(description="When the team looks back at it (YYYY-MM-DD).")
    status: Status | None = Field(None, description="At the check-in: tried, partly or not yet (empty until then).")
    happened: str | None = Field(None, max_length=2000, description="At the check-in: a line on what happened.")

    @field_validator("status", mode="before")
    @classmethod
    def _words(cls, v: object) -> object:
        return _status(v)

    @field_validator("agreed", "happened")
    @classmethod
    def _trimmed(cls, v: str | None) -> str | None:
        return v.strip() if v is not None else None

    @property
    def checked_in(self) -> bool:
        return self.status is not None


class AgreementsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    agreements: list[Agreement] = Field(default_factory=list)


def agreements_schema() -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "lchc_gen agreed experiments",
        **AgreementsFile.model_json_schema(mode="validation"),
    }


@dataclass(frozen=True)
class Known:
    """What an agreement may name: the organisation's teams per cycle, the cycles, the questions."""

    cycles: list[str]
    teams_in: Mapping[str, Collection[str]]  # cycle id -> teams taking part
    questionnaire: Questionnaire


Agreements = dict[tuple[str, str], Agreement]  # (team, cycle) -> agreement


def load_agreements(source: AgreementsSource, root: Path, shown: str, known: Known) -> tuple[Agreements, list[Problem], list[str]]:
    """Every agreement, every problem (file:line or file:row:column), and notes for the build log."""
    path = root / source.path
    if source.is_yaml:
        return _from_yaml(path, shown, known)
    return _from_table(source, path, shown, known)


def _cross_problems(raw: Mapping[str, object], known: Known) -> list[tuple[tuple[str | int, ...], str]]:
    """(field path, message) for names the organisation, cycles or questionnaire do not know. Read from
    the raw values, so they are found in an entry with schema problems too."""
    out = []
    team, cycle, questions = raw.get("team"), raw.get("cycle"), raw.get("questions")
    if isinstance(cycle, str) and cycle not in known.cycles:
        out.append((("cycle",), f"unknown cycle {cycle!r} (cycles: {', '.join(known.cycles)})"))
    elif isinstance(team, str) and isinstance(cycle, str) and team not in known.teams_in.get(cycle, ()):
        taking_part = any(team in teams for teams in known.teams_in.values())
        out.append((("team",), f"team {team!r} was not part of cycle {cycle}" if taking_part else f"unknown team {team!r}"))
    ids = set(known.questionnaire.question_ids)
    for j, q in enumerate(questions if isinstance(questions, list) else ()):
        if isinstance(q, str) and q not in ids:
            out.append((("questions", j), f"unknown question {q!r} (questions: {', '.join(known.questionnaire.question_ids)})"))
    return out


def _from_yaml(path: Path, shown: str, known: Known) -> tuple[Agreements, list[Problem], list[str]]:
    src = yamlsrc.load(path, shown, limits.AGREEMENTS_YAML)
    if isinstance(src, Problem):
        return {}, [src], []
    data, problems = validate(AgreementsFile, src)
    entries = src.data.get("agreements") if isinstance(src.data, dict) else None
    first: dict[tuple[object, object], int] = {}
    for i, raw in enumerate(entries if isinstance(entries, list) else ()):
        if not isinstance(raw, dict):
            continue
        for at, message in _cross_problems(raw, known):
            problems.append(src.problem(("agreements", i, *at), message))
        key = (raw.get("team"), raw.get("cycle"))
        if key in first:
            problems.append(src.problem(("agreements", i, "team"), f"a second agreement for team {key[0]!r} after cycle "
                                        f"{key[1]} (first at line {src.line_of(('agreements', first[key]))}): one per team and cycle"))
        first.setdefault(key, i)
    if data is None or problems:
        return {}, problems, []
    return {(a.team, a.cycle): a for a in data.agreements}, problems, []


FORM_QUESTIONS = {
    "team": ("Team", "Team id", "Which team?"),
    "cycle": ("Cycle", "Survey cycle", "After which survey cycle?"),
    "agreed": ("What did the team agree to try?", "Agreed", "What we agreed to try"),
    "questions": ("Which questions does it target?", "Questions", "Targeted questions"),
    "check_in": ("Check-in date", "Check in", "When will you check in?"),
    "status": ("Did the team try it?", "Status", "Tried"),
    "happened": ("What happened?", "Happened", "What happened"),
}


def agreement_targets() -> list[Target]:
    required = {"team", "cycle"}
    return [Target(name, texts, required=name in required) for name, texts in FORM_QUESTIONS.items()] + [
        Target("submitted_at", ("Submitted at", "Timestamp"))
    ]


def _question_ids(raw: str, questionnaire: Questionnaire) -> list[str]:
    """"q03, q07", "Q03; q07" or question texts, one per line, as a form's checkboxes write them."""
    by_key = {q.id.casefold(): q.id for q in questionnaire.questions}
    by_key |= {normalised(q.text): q.id for q in questionnaire.questions}
    out = []
    for token in re.split(r"[;,\n]+", raw):
        token = token.strip()
        if not token:
            continue
        first = token.split(maxsplit=1)[0].rstrip(".:").casefold()
        out.append(by_key.get(token.casefold()) or by_key.get(normalised(token)) or by_key.get(first) or token)
    return out


def _from_table(source: AgreementsSource, path: Path, shown: str, known: Known) -> tuple[Agreements, list[Problem], list[str]]:
    problems: list[Problem] = []
    grid = read_grid(path, shown, problems, source.sheet, limits.AGREEMENTS)
    if grid is None:
        return {}, problems, []
    table = to_canonical(grid, source.format, agreement_targets(), source.columns, codes=source.codes, incomplete=source.incomplete)
    problems += table.problems
    notes = list(table.notes)
    if not table.columns_ok:
        return {}, problems, notes
    preset = PRESETS[source.format]
    # A form is often filled in twice for one team and cycle: at the meeting (the agreement) and at
    # the check-in. Rows merge in file order; a later row's filled cells win.
    merged: dict[tuple[str, str], tuple[int, dict[str, str], dict[str, int]]] = {}
    repeats: list[int] = []
    for row, cells in table.rows:
        values = dict(zip(table.header, cells))
        key = (values.get("team", "").strip(), values.get("cycle", "").strip())
        if key in merged:
            repeats.append(row)
            _, old, rows = merged[key]
            for name, v in values.items():
                if v.strip():
                    old[name], rows[name] = v, row
        else:
            merged[key] = (row, values, {name: row for name in values})
    if repeats:
        notes.append(f"{shown}: {len(repeats)} row{'s' if len(repeats) != 1 else ''} for a team and cycle already named "
                     f"above merged into it (a later filled-in cell wins): rows {', '.join(map(str, repeats))}")
    out: Agreements = {}
    for (team, cycle), (row, values, rows) in merged.items():

        def problem(name: str, message: str) -> None:
            problems.append(Problem(shown, rows.get(name, row), table.heading(rows.get(name, row), name), message, cell=True))

        raw = {k: v.strip() for k, v in values.items() if k != "submitted_at" and v.strip()}
        if "questions" in raw:
            raw["questions"] = _question_ids(raw["questions"], known.questionnaire)
        if "check_in" in raw:
            day = _date(raw["check_in"], preset)
            if isinstance(day, str):
                problem("check_in", day)
                continue
            raw["check_in"] = day or raw["check_in"]
        try:
            a = Agreement.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                name = str(err["loc"][0]) if err["loc"] else "team"
                message = "required, but empty" if err["type"] == "missing" else _plain(err)
                problem(name, message)
            continue
        found = _cross_problems(a.model_dump(), known)
        for at, message in found:
            problem(str(at[0]), message)
        if not found:
            out[(team, cycle)] = a
    return out, problems, notes


def _date(raw: str, preset: Preset) -> dt.date | str | None:
    """A form's date answer: ISO, or the tool's own date formats where only one reading fits
    (6/20/2026); a date two of them read differently (6/7/2026) is a problem (the message)."""
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        pass
    formats = dict.fromkeys(f.split(" ")[0] for f in preset.timestamp_formats)
    readings = set()
    for f in formats:
        try:
            readings.add(dt.datetime.strptime(raw, f).date())
        except ValueError:
            continue
    if len(readings) > 1:
        return f"{raw!r} reads as {' or '.join(sorted(d.isoformat() for d in readings))}: write it as YYYY-MM-DD"
    return readings.pop() if readings else None


def _plain(err: dict) -> str:
    if err["type"] == "literal_error":
        return f"{err['input']!r} is not one of: {', '.join(STATUSES)}"
    if err["type"].startswith("date"):
        return f"{err['input']!r} is not a date (YYYY-MM-DD)"
    return str(err["msg"])
