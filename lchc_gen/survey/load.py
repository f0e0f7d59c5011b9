"""Load the questionnaire, the organisation and every cycle's responses, cleaned.

Every problem in every file is collected and raised once as ``InputError``; warnings that do
not stop the build (dropped duplicates, ignored columns) are returned as ``SurveyData.notes``.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel

from .. import limits, yamlsrc
from ..problems import InputError, Problem
from ..tabular import Canonical, Target, is_workbook, read_grid, to_canonical
from ..validation import validate
from ..programs.model import Change
from .agreements import Agreements, Known, load_agreements
from .model import Actions, GapMap, Organisation, gap_map_problems, Questionnaire, SurveyInputs, organisation_problems, questionnaire_problems

M = TypeVar("M", bound=BaseModel)

KEY_COLUMNS = ("team", "respondent", "role")
OPTIONAL_COLUMNS = ("submitted_at",)
ROLES = ("self", "member")
LONG_COLUMNS = ["cycle", "team", "respondent", "role", "question", "value"]


@dataclass
class SurveyData:
    inputs: SurveyInputs
    questionnaire: Questionnaire
    organisation: Organisation
    # One row per kept submission and question; ``value`` is NaN for N/A or empty answers.
    responses: pd.DataFrame
    # One row per (cycle, team) taking part in the cycle, with the number of members invited.
    invited: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    actions: list[Change] = field(default_factory=list)  # the organisation's, in file order
    gaps: GapMap | None = None  # themes -> program objectives, and its file for problems that name lines
    gaps_source: yamlsrc.Source | None = None
    # (team, cycle) -> what the team agreed to try after that cycle's report (the `agreements` option).
    agreements: Agreements = field(default_factory=dict)


def load_survey(inputs: SurveyInputs, root: Path) -> SurveyData:
    problems: list[Problem] = []
    notes: list[str] = []
    questionnaire = _load_yaml(
        Questionnaire, root / inputs.questionnaire, root, problems, questionnaire_problems, limits.QUESTIONNAIRE_FILE,
    )
    if problems:  # a broken questionnaire would only add confusing errors in every CSV
        questionnaire = None
    organisation = _load_organisation(inputs, root, problems)
    actions = None
    if inputs.actions:
        actions = _load_yaml(Actions, root / inputs.actions, root, problems, lambda _a, _s: [], limits.ACTIONS_FILE)
    gaps = gaps_source = None
    if inputs.gaps:
        gaps_source = yamlsrc.load(root / inputs.gaps, _shown(root / inputs.gaps, root), limits.ACTIONS_FILE)
        if isinstance(gaps_source, Problem):
            problems.append(gaps_source)
            gaps_source = None
        else:
            gaps, found = validate(GapMap, gaps_source)
            problems += found + (gap_map_problems(gaps, gaps_source, questionnaire) if gaps is not None else [])
    frames = []
    if questionnaire is not None:  # without it no cell can be checked
        for cycle in inputs.cycles:
            teams = None
            if organisation is not None:
                teams = {t.id for t in organisation.teams if t.invited_in(cycle.id) is not None}
            reader = _ResponsesFile(root / cycle.responses, _shown(root / cycle.responses, root), cycle.id)
            if cycle.format == "native" and not is_workbook(root / cycle.responses) and not cycle.columns:
                frame = reader.read(questionnaire, teams, organisation)
            else:
                frame = reader.read_export(cycle, questionnaire, teams, organisation)
            problems += reader.problems
            notes += reader.notes
            frames.append(frame)
    agreements: Agreements = {}
    if inputs.agreements is not None and questionnaire is not None and organisation is not None:
        teams_in = {c.id: {t.id for t in organisation.teams if t.invited_in(c.id) is not None} for c in inputs.cycles}
        path = root / inputs.agreements.path
        agreements, found, more = load_agreements(
            inputs.agreements, root, _shown(path, root), Known([c.id for c in inputs.cycles], teams_in, questionnaire)
        )
        problems += found
        notes += more
    if problems or questionnaire is None or organisation is None:
        raise InputError(problems)
    invited = pd.DataFrame(
        [
            (c.id, t.id, n)
            for c in inputs.cycles
            for t in organisation.teams
            if (n := t.invited_in(c.id)) is not None
        ],
        columns=["cycle", "team", "invited"],
    )
    responses = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=LONG_COLUMNS)
    return SurveyData(inputs, questionnaire, organisation, responses, invited, notes, actions.actions if actions else [],
                      gaps, gaps_source, agreements)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _load_yaml(
    model: type[M], path: Path, root: Path, problems: list[Problem],
    check: Callable[[M, yamlsrc.Source], list[Problem]], limit: limits.FileLimit,
) -> M | None:
    src = yamlsrc.load(path, _shown(path, root), limit)
    if isinstance(src, Problem):
        problems.append(src)
        return None
    obj, found = validate(model, src)
    problems += found
    if obj is not None:
        problems += check(obj, src)
    return obj


def _record_lines(text: str, records: int) -> np.ndarray:
    """The file line where each CSV record starts (header = 1).

    Usually one record per line; blank lines (skipped by pandas) and quoted line breaks
    shift the numbering, and only then is the file walked again to find the real lines.
    """
    physical = text.count("\n") + (0 if text.endswith("\n") else 1)
    if physical == records:
        return np.arange(1, records + 1)
    starts = []
    reader = csv.reader(io.StringIO(text))
    start = 1
    for record in reader:
        if any(cell.strip() for cell in record) or len(record) > 1:
            starts.append(start)
        start = reader.line_num + 1
    return np.asarray(starts[:records])


class _ResponsesFile:
    """One cycle's responses CSV: read, checked cell by cell, then cleaned."""

    def __init__(self, path: Path, shown: str, cycle_id: str):
        self.path, self.shown, self.cycle_id = path, shown, cycle_id
        self.problems: list[Problem] = []
        self.notes: list[str] = []

    origin: Canonical | None = None  # a tool's export: problems name its own headings

    def _problem(self, row: int, column: str, message: str) -> None:
        if self.origin is not None:
            column = self.origin.heading(int(row), column)
        self.problems.append(Problem(self.shown, int(row), column, message, cell=True))

    def read_export(
        self, cycle, questionnaire: Questionnaire, teams: set[str] | None, organisation: Organisation | None,
    ) -> pd.DataFrame:
        """A survey tool's export (or a native XLSX): its columns matched to the questionnaire first."""
        grid = read_grid(self.path, self.shown, self.problems, cycle.sheet, limits.RESPONSES)
        if grid is None:
            return pd.DataFrame(columns=LONG_COLUMNS)
        # A form offers team names as its choices: each unambiguous name reads as its team's id.
        names = [t.name for t in organisation.teams] if organisation is not None else []
        teams_by_name = {t.name: t.id for t in (organisation.teams if organisation is not None else []) if names.count(t.name) == 1}
        table = to_canonical(
            grid, cycle.format, response_targets(questionnaire), cycle.columns,
            {"role": cycle.roles, "team": teams_by_name}, questionnaire.looks_like_question,
            cycle.codes, cycle.incomplete,
        )
        self.shown, self.origin = table.shown, table
        self.problems += table.problems
        self.notes += table.notes
        if not table.columns_ok:
            return pd.DataFrame(columns=LONG_COLUMNS)
        width = len(table.header)
        rows = [table.header] + [cells + [""] * (width - len(cells)) for _, cells in table.rows]
        raw = pd.DataFrame(rows, dtype=str)
        lines = np.asarray([table.header_row] + [row for row, _ in table.rows])
        return self._check(raw, lines, questionnaire, teams, organisation)

    def _cell_problems(self, frame: pd.DataFrame, bad: pd.Series, column: str, message: Callable[[str], str]) -> None:
        for row, raw in zip(frame.loc[bad, "_line"], frame.loc[bad, column]):
            self._problem(row, column, message(raw))

    def read(
        self, questionnaire: Questionnaire, teams: set[str] | None, organisation: Organisation | None,
    ) -> pd.DataFrame:
        try:
            text = limits.read_bytes(self.path, limits.RESPONSES).decode("utf-8-sig")
            raw = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False)
        except limits.TooLarge as exc:
            self._problem(1, "(file)", str(exc))
            return pd.DataFrame(columns=LONG_COLUMNS)
        except (OSError, UnicodeDecodeError) as exc:
            self._problem(1, "(file)", f"cannot read: {exc}")
            return pd.DataFrame(columns=LONG_COLUMNS)
        except pd.errors.EmptyDataError:
            self._problem(1, "(file)", "the file is empty (a header row is required)")
            return pd.DataFrame(columns=LONG_COLUMNS)
        except pd.errors.ParserError as exc:
            where = re.search(r"line (\d+)", str(exc))
            self._problem(int(where.group(1)) if where else 1, "(file)", f"not a valid CSV file: {str(exc).strip()}")
            return pd.DataFrame(columns=LONG_COLUMNS)
        return self._check(raw, _record_lines(text, len(raw)), questionnaire, teams, organisation)

    def _check(
        self, raw: pd.DataFrame, lines: np.ndarray, questionnaire: Questionnaire,
        teams: set[str] | None, organisation: Organisation | None,
    ) -> pd.DataFrame:
        frame = self._columns(raw, questionnaire)
        frame["_line"] = lines[1:]
        qids = questionnaire.question_ids
        present = [q for q in qids if q in frame.columns]
        self._check_keys(frame, teams, organisation)
        values = {q: self._answers(frame, q, questionnaire) for q in present}
        if self.problems:
            return pd.DataFrame(columns=LONG_COLUMNS)
        wide = frame[[*KEY_COLUMNS, "_line", "_ts"]].assign(**values)
        wide = self._deduplicate(wide)
        long = wide.melt(id_vars=list(KEY_COLUMNS), value_vars=qids, var_name="question", value_name="value")
        long.insert(0, "cycle", self.cycle_id)
        return long[LONG_COLUMNS].astype({"value": "float64"})

    def _columns(self, raw: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
        """Name the columns by their canonical names; report missing, doubled and q13-like ones."""
        known = {c.casefold(): c for c in (*KEY_COLUMNS, *OPTIONAL_COLUMNS, *questionnaire.question_ids)}
        header = [str(h).strip() for h in raw.iloc[0]]
        names: dict[int, str] = {}
        ignored = []
        for pos, name in enumerate(header):
            canonical = known.get(name.casefold())
            if canonical is None:
                if questionnaire.looks_like_question(name):
                    self._problem(1, name, f"not a question of questionnaire {questionnaire.id!r}"
                                           f" (its questions are {', '.join(questionnaire.question_ids)})")
                else:
                    ignored.append(name or f"(unnamed column {pos + 1})")
            elif canonical in names.values():
                self._problem(1, canonical, "the column appears more than once")
            else:
                names[pos] = canonical
        for name in (*KEY_COLUMNS, *questionnaire.question_ids):
            if name not in names.values():
                self._problem(1, name, "required column is missing")
        if ignored:
            self.notes.append(f"{self.shown}: ignored columns not in the questionnaire: {', '.join(ignored)}")
        body = raw.iloc[1:, list(names)].fillna("")
        body.columns = [names[pos] for pos in names]
        return body.reset_index(drop=True)

    def _check_keys(self, frame: pd.DataFrame, teams: set[str] | None, organisation: Organisation | None) -> None:
        for column in KEY_COLUMNS:
            if column in frame.columns:
                frame[column] = frame[column].str.strip()
                self._cell_problems(frame, frame[column] == "", column, lambda _: f"{column} is empty")
        if "role" in frame.columns:
            frame["role"] = frame["role"].str.casefold()
            bad = ~frame["role"].isin(ROLES) & (frame["role"] != "")
            self._cell_problems(frame, bad, "role", lambda r: f"unknown role {r!r} (expected 'self' or 'member')")
        if "team" in frame.columns and teams is not None and organisation is not None:
            every = {t.id for t in organisation.teams}
            bad = ~frame["team"].isin(teams) & (frame["team"] != "")
            self._cell_problems(
                frame, bad, "team",
                lambda t: f"team {t!r} was not invited in cycle {self.cycle_id} (no 'invited' count for it)"
                if t in every else f"unknown team {t!r} (not in the organisation file)",
            )
        if "submitted_at" not in frame.columns:
            frame["_ts"] = pd.NaT
            return
        stamps = frame["submitted_at"].str.strip()
        frame["_ts"] = pd.to_datetime(stamps.where(stamps != ""), errors="coerce", utc=True, format="ISO8601")
        bad = frame["_ts"].isna() & (stamps != "")
        self._cell_problems(frame, bad, "submitted_at", lambda s: f"not an ISO 8601 timestamp: {s!r}")

    def _answers(self, frame: pd.DataFrame, question: str, questionnaire: Questionnaire) -> pd.Series:
        """Map one question column to numbers (NaN = N/A); report cells that are no answer."""
        accepted: dict[str, float] = {"": np.nan}
        accepted.update({label.strip().casefold(): np.nan for label in questionnaire.na_labels})
        for option in questionnaire.scale:
            accepted[str(option.value)] = float(option.value)
            accepted[option.label.strip().casefold()] = float(option.value)
        cells = frame[question].str.strip().str.casefold()
        bad = ~cells.isin(accepted.keys())
        words = [o.label for o in questionnaire.scale] + list(questionnaire.na_labels)
        scale = ", ".join(f"{o.value}={o.label}" for o in questionnaire.scale)

        def message(raw: str) -> str:
            close = difflib.get_close_matches(raw.strip().casefold(), [w.casefold() for w in words], n=1, cutoff=0.6)
            hint = f"did you mean {words[[w.casefold() for w in words].index(close[0])]!r}?" if close else f"scale: {scale}"
            return f"value {raw!r} is not a scale value, scale label or N/A label ({hint})"

        self._cell_problems(frame, bad, question, message)
        return cells.map(accepted)

    def _deduplicate(self, wide: pd.DataFrame) -> pd.DataFrame:
        """Cleaning rules 1 and 2: keep the latest submission (file order breaks ties)."""
        ordered = wide.sort_values(["_ts", "_line"], na_position="first", kind="stable")
        repeated = ordered.duplicated(["team", "respondent"], keep="last")
        if repeated.any():
            rows = sorted(ordered.loc[repeated, "_line"])
            self.notes.append(
                f"{self.shown}: dropped {len(rows)} duplicate submission{'s' if len(rows) != 1 else ''}"
                f" (same team and respondent; the latest was kept): row{'s' if len(rows) != 1 else ''}"
                f" {', '.join(map(str, rows))}"
            )
        kept = ordered[~repeated]
        selfs = kept[kept["role"] == "self"]
        extra = selfs.duplicated("team", keep="last")
        for team, group in selfs[selfs["team"].isin(selfs.loc[extra, "team"])].groupby("team", sort=True):
            lines = list(group["_line"])
            self.notes.append(
                f"{self.shown}: team {team!r} has {len(lines)} self-assessments; kept the latest (row {lines[-1]}),"
                f" dropped row{'s' if len(lines) > 2 else ''} {', '.join(map(str, sorted(lines[:-1])))}"
            )
        return kept.drop(index=selfs.index[extra]).sort_values("_line")


def response_targets(questionnaire: Questionnaire) -> list[Target]:
    """The columns of a responses file, and the wordings a survey tool heads them with."""
    return [
        Target("team", ("Team", "Your team", "Team id"), required=True, described="the team"),
        Target("respondent", ("Respondent", "Respondent id"), required=True, described="the respondent id"),
        Target("role", ("Role", "Your role"), required=True, described="the role (self or member)"),
        Target("submitted_at", ("Submitted at",)),
        *(
            Target(q.id, (q.text, q.self_text), required=True, question=True, described=f"question {q.id} ({q.text!r})")
            for q in questionnaire.questions
        ),
    ]


def _load_organisation(inputs: SurveyInputs, root: Path, problems: list[Problem]) -> Organisation | None:
    cycle_ids = [c.id for c in inputs.cycles]
    return _load_yaml(
        Organisation, root / inputs.organisation, root, problems,
        lambda org, src: organisation_problems(org, src, cycle_ids), limits.ORGANISATION_FILE,
    )


def load_survey_organisation(inputs: SurveyInputs, root: Path) -> Organisation:
    """Only the organisation file (for `lchc-gen keys`), checked as in a full load."""
    problems: list[Problem] = []
    org = _load_organisation(inputs, root, problems)
    if problems or org is None:
        raise InputError(problems)
    return org
