"""Read learner feedback CSVs, check every cell against the programs, keep the latest submission.

Every problem in every file is collected and raised once as ``InputError``, each naming
``file:row:column``; the caller (the build) stops before site/ is touched.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import limits
from ..problems import InputError, Problem
from ..programs.load import LoadedProgram
from ..tabular import Canonical, Target, csv_records, is_workbook, read_grid, read_text, to_canonical
from .model import FeedbackInputs

OBJ_PREFIX = "obj:"
COLUMNS = ("program", "session", "respondent", "submitted_at", "nps", "comment")
NPS_SCALE = range(0, 11)
CONFIDENCE_SCALE = range(1, 6)
_OCCURRENCE = re.compile(r"^(?P<id>[^@]+)@(?P<date>\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Submission:
    program: str
    run: int  # index of the run in FeedbackData.runs (while reading: of the file)
    file: str
    row: int  # line of the record in its file (header = 1)
    session: str | None
    respondent: str | None
    submitted_at: dt.datetime | None
    nps: int | None
    confidence: dict[str, int]  # objective id -> 1..5, answered ones only
    comment: str | None
    cohort: tuple[dt.date, str] | None = None  # the session's first date and cohort, for files without a run name


@dataclass(frozen=True)
class Run:
    index: int
    label: str
    file: str
    invited: int | None  # the file's own count, else None (see score.group_size)
    program: str | None = None  # the program a file is configured for: its run even without rows
    closes: dt.date | None = None  # the file's own closing day, else worked out from the sessions
    cohort: bool = False  # the label is a cohort of the program's sessions (a file without a run name)


@dataclass
class FeedbackData:
    inputs: FeedbackInputs
    runs: list[Run]
    submissions: list[Submission]  # the kept ones: latest per (program, session, respondent)
    notes: list[str] = field(default_factory=list)


def shown_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


_SMALL_INTS = {str(i): i for i in range(11)}


def _int_in(raw: str, scale: range) -> int | None:
    if raw in _SMALL_INTS:  # the usual cell: a plain digit
        value = _SMALL_INTS[raw]
        return value if value in scale else None
    try:
        value = float(raw)
    except ValueError:
        return None
    if not value.is_integer() or int(value) not in scale:
        return None
    return int(value)


def _timestamp(raw: str) -> dt.datetime | None:
    try:
        stamp = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    # Naive stamps are taken as UTC, so that they sort with aware ones.
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)


class _FeedbackFile:
    def __init__(
        self, shown: str, run: int, default_program: str | None, programs: dict[str, LoadedProgram], by_cohort: bool = False
    ):
        self.shown, self.run, self.default_program, self.programs = shown, run, default_program, programs
        self.by_cohort = by_cohort  # the file has no run name: each row's run is its session's cohort
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        # Looked up once per file, not once per row (files may hold many thousands of rows).
        self.objectives = {pid: {o.id for o in lp.program.objectives} for pid, lp in programs.items()}
        self.sessions = {pid: {s.id for s in lp.program.sessions} for pid, lp in programs.items()}
        self.dates: dict[str, dict[str, set[str]]] = {}
        for pid, lp in programs.items():
            for o in lp.occurrences:
                if not o.cancelled:
                    self.dates.setdefault(pid, {}).setdefault(o.session.id, set()).add(o.start.date().isoformat())
        self.checked: set[tuple[str, str]] = set()  # (program, session) cells already found good

    origin: Canonical | None = None  # a tool's export: problems name its own headings

    def problem(self, row: int, column: str, message: str) -> None:
        if self.origin is not None:
            column = self.origin.heading(row, column)
        self.problems.append(Problem(self.shown, row, column, message, cell=True))

    def read(self, text: str) -> list[Submission]:
        try:
            rows = list(csv_records(text))
        except csv.Error as exc:
            self.problem(1, "(file)", f"not a valid CSV file: {exc}")
            return []
        return self.read_rows(rows)

    def read_export(self, path: Path, f) -> list[Submission]:
        """A survey tool's export (or a native XLSX): its columns matched to the program's questions first."""
        grid = read_grid(path, self.shown, self.problems, f.sheet, limits.FEEDBACK)
        if grid is None:
            return []
        programs = [self.programs[f.program]] if f.program in self.programs else list(self.programs.values())
        titles = [lp.program.title for lp in self.programs.values()]
        by_title = {lp.program.title: pid for pid, lp in self.programs.items() if titles.count(lp.program.title) == 1}
        table = to_canonical(grid, f.format, feedback_targets(programs), f.columns, {"program": by_title},
                             codes=f.codes, incomplete=f.incomplete)
        self.shown, self.origin = table.shown, table
        self.problems += table.problems
        self.notes += table.notes
        if not table.columns_ok:
            return []
        return self.read_rows([(table.header_row, table.header), *table.rows])

    def read_rows(self, rows: list[tuple[int, list[str]]]) -> list[Submission]:
        if not rows:
            self.problem(1, "(file)", "the file is empty (a header row is required)")
            return []
        header_line, header = rows[0]
        columns = self._columns(header_line, header)
        if self.problems:
            return []
        self.obj_columns = [(c, c[len(OBJ_PREFIX):]) for c in columns.values() if c.startswith(OBJ_PREFIX)]
        out = []
        for line, record in rows[1:]:
            if len(record) > len(header):
                self.problem(line, "(row)", f"{len(record)} cells, but the header has {len(header)} columns")
                continue
            cells = {name: (record[pos].strip() if pos < len(record) else "") for pos, name in columns.items()}
            sub = self._row(line, cells)
            if sub is not None:
                out.append(sub)
        return out

    def _columns(self, line: int, header: list[str]) -> dict[int, str]:
        known = {c: c for c in COLUMNS}
        objectives = {o.id for lp in self.programs.values() for o in lp.program.objectives}
        if self.default_program in self.programs:
            objectives = {o.id for o in self.programs[self.default_program].program.objectives}
        names: dict[int, str] = {}
        ignored = []
        for pos, raw in enumerate(header):
            name = raw.strip()
            key = name.casefold()
            if key.startswith(OBJ_PREFIX):
                oid = name[len(OBJ_PREFIX):].strip()
                if oid not in objectives:
                    scope = f"program {self.default_program!r}" if self.default_program else "any program"
                    self.problem(line, name, f"unknown objective {oid!r} (not an objective of {scope})")
                    continue
                canonical = OBJ_PREFIX + oid
            elif key in known:
                canonical = known[key]
            else:
                ignored.append(name or f"(unnamed column {pos + 1})")
                continue
            if canonical in names.values():
                self.problem(line, canonical, "the column appears more than once")
            else:
                names[pos] = canonical
        if "program" not in names.values() and self.default_program is None:
            self.problem(line, "program", "no `program` column, and the file is not configured for one program")
        if ignored:
            self.notes.append(f"{self.shown}: ignored columns: {', '.join(ignored)}")
        return names

    def _row(self, line: int, cells: dict[str, str]) -> Submission | None:
        before = len(self.problems)
        pid = cells.get("program") or self.default_program
        lp = self.programs.get(pid or "")
        if not pid:
            self.problem(line, "program", "program is empty")
        elif lp is None:
            self.problem(line, "program", f"unknown program {pid!r} (known: {', '.join(sorted(self.programs))})")
        elif self.default_program and pid != self.default_program:
            self.problem(line, "program", f"program {pid!r}, but the file is configured for {self.default_program!r}")
        session = cells.get("session") or None
        if session and lp is not None and (pid, session) not in self.checked:
            if self._check_session(line, lp, session):
                self.checked.add((pid, session))
        stamp = None
        if raw := cells.get("submitted_at"):
            stamp = _timestamp(raw)
            if stamp is None:
                self.problem(line, "submitted_at", f"not an ISO 8601 timestamp: {raw!r}")
        nps = None
        if raw := cells.get("nps"):
            nps = _int_in(raw, NPS_SCALE)
            if nps is None:
                self.problem(line, "nps", f"value {raw!r} is not a whole number from 0 to 10")
        confidence = {}
        own = self.objectives.get(pid or "", set())
        for column, oid in self.obj_columns:
            raw = cells[column]
            if not raw:
                continue
            value = _int_in(raw, CONFIDENCE_SCALE)
            if lp is not None and oid not in own:
                self.problem(line, column, f"program {pid!r} has no objective {oid!r}")
            elif value is None:
                self.problem(line, column, f"value {raw!r} is not a whole number from 1 to 5")
            else:
                confidence[oid] = value
        cohort = None
        if self.by_cohort and lp is not None and len(self.problems) == before:
            cohort = self._cohort(line, lp, session)
        if len(self.problems) > before or lp is None:
            return None
        return Submission(
            program=pid, run=self.run, file=self.shown, row=line, session=session,
            respondent=cells.get("respondent") or None, submitted_at=stamp, nps=nps,
            confidence=confidence, comment=cells.get("comment") or None, cohort=cohort,
        )

    def _cohort(self, line: int, lp: LoadedProgram, session: str | None) -> tuple[dt.date, str] | None:
        """The run of a row in a file without a run name: its session's cohort, dated by the
        occurrence named (session@date) or the session's first one."""
        if not session:
            self.problem(line, "session", "the file has no `run`, so each row needs a session: its cohort is the run")
            return None
        m = _OCCURRENCE.match(session)
        sid = m.group("id") if m else session
        s = next(x for x in lp.program.sessions if x.id == sid)
        if not s.cohort:
            self.problem(line, "session", f"session {sid!r} has no `cohort`: give it one, or give the file a `run`")
            return None
        day = m.group("date") if m else min(self.dates.get(lp.program.id, {}).get(sid, {"9999-12-31"}))
        return dt.date.fromisoformat(day), s.cohort

    def _check_session(self, line: int, lp: LoadedProgram, session: str) -> bool:
        pid = lp.program.id
        sessions = self.sessions[pid]
        m = _OCCURRENCE.match(session)
        sid = m.group("id") if m else session
        if sid not in sessions:
            self.problem(line, "session", f"program {pid!r} has no session {sid!r} (known: {', '.join(sorted(sessions))})")
            return False
        if m and m.group("date") not in self.dates.get(pid, {}).get(sid, set()):
            self.problem(line, "session", f"session {sid!r} has no occurrence on {m.group('date')}")
            return False
        return True


NPS_QUESTION = "How likely are you to recommend this program to a colleague?"


def feedback_targets(programs: list[LoadedProgram]) -> list[Target]:
    """The columns of a feedback file, and the wordings a survey tool heads them with."""
    objectives = {o.id: o.text for lp in programs for o in lp.program.objectives}
    return [
        Target("program", ("Program", "Programme")),
        Target("session", ("Session",)),
        Target("respondent", ("Respondent", "Respondent id")),
        Target("submitted_at", ("Submitted at",)),
        Target("nps", (NPS_QUESTION, "How likely are you to recommend this programme to a colleague?"),
               question=True, answers="scale", described="the recommendation question"),
        *(
            Target(f"{OBJ_PREFIX}{oid}", contains=(text.rstrip(". "),), question=True, answers="scale",
                   described=f"objective {oid} ({text!r})")
            for oid, text in objectives.items()
        ),
        Target("comment", ("Comment", "Comments")),
    ]


def latest_per_respondent(subs: list[Submission]) -> tuple[list[Submission], list[Submission]]:
    """The latest submission per (program, session, respondent) wins; rows without a respondent
    all count. Without timestamps, the later row (and the later file) is the latest.
    Returns (kept, dropped)."""
    floor = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    order = sorted(subs, key=lambda s: (s.submitted_at or floor, s.run, s.row))  # s.run: file order while loading
    latest: dict[tuple[str, str | None, str], Submission] = {}
    for s in order:
        if s.respondent is not None:
            latest[(s.program, s.session, s.respondent)] = s
    keep = {id(s) for s in latest.values()}
    kept = [s for s in subs if s.respondent is None or id(s) in keep]
    dropped = [s for s in subs if s.respondent is not None and id(s) not in keep]
    return kept, dropped


def load_feedback(inputs: FeedbackInputs, programs: list[LoadedProgram], root: Path) -> FeedbackData:
    by_id = {lp.program.id: lp for lp in programs}
    problems: list[Problem] = []
    notes: list[str] = []
    subs: list[Submission] = []
    origins: dict[str, Canonical] = {}  # a tool export's own headings, by the file's shown name
    shown_of = [shown_path(root / f.path, root) for f in inputs.files]
    for index, f in enumerate(inputs.files):
        shown = shown_of[index]
        if f.program is not None and f.program not in by_id:
            problems.append(Problem(shown, 1, "(file)", f"configured for unknown program {f.program!r}", cell=True))
            continue
        reader = _FeedbackFile(shown, index, f.program, by_id, by_cohort=f.run is None)
        if f.format == "native" and not is_workbook(root / f.path) and not f.columns:
            text = read_text(root / f.path, shown, problems, limits.FEEDBACK)
            if text is None:
                continue
            subs += reader.read(text)
        else:
            subs += reader.read_export(root / f.path, f)
        problems += reader.problems
        notes += reader.notes
        if reader.origin is not None:
            origins[reader.shown] = reader.origin
    if problems:
        raise InputError(problems)
    kept, dropped = latest_per_respondent(subs)
    runs, kept = _runs(inputs, shown_of, kept)
    untied = untied_rows(runs, kept, origins)
    if untied:
        raise InputError(untied)
    if dropped:
        where = ", ".join(f"{s.file}:{s.row}" for s in sorted(dropped, key=lambda s: (s.run, s.row)))
        notes.append(f"feedback: dropped {len(dropped)} earlier submission{'s' if len(dropped) != 1 else ''} of the same respondent: {where}")
    return FeedbackData(inputs, runs, kept, notes)


def untied_rows(runs: list[Run], subs: list[Submission], origins: dict[str, Canonical] | None = None) -> list[Problem]:
    """Thresholds count people. A row without a respondent id counts as one person only when the
    run asks each person once (one session); in a run whose rows name several sessions one learner
    may have answered each of them, so nobody can say how many people answered: refused."""
    by_run: dict[tuple[str, int], list[Submission]] = {}
    for s in subs:
        by_run.setdefault((s.program, s.run), []).append(s)
    problems = []
    for (pid, index), rows in by_run.items():
        anonymous = [s for s in rows if s.respondent is None]
        sessions = sorted({s.session or "(no session)" for s in rows})
        if not anonymous or len(sessions) < 2:
            continue
        first = min(anonymous, key=lambda s: s.row)
        shown = ", ".join(sessions[:4]) + (f" and {len(sessions) - 4} more" if len(sessions) > 4 else "")
        origin = (origins or {}).get(first.file)
        problems.append(Problem(
            first.file, first.row, origin.heading(first.row, "respondent") if origin else "respondent",
            f"run {runs[index].label!r} of program {pid!r} has rows for several sessions ({shown}), and "
            f"{len(anonymous)} of them have no respondent id, so one learner's answers to several sessions cannot "
            "be told from several learners': add a respondent column (a pseudonymous learner code) to the export, "
            "or give each session its own file and run",
            cell=True,
        ))
    return problems


def _runs(inputs: FeedbackInputs, shown_of: list[str], subs: list[Submission]) -> tuple[list[Run], list[Submission]]:
    """Runs in order: each named file is one; a file without a name gives one run per cohort,
    in the order of the cohorts' first dates. Submissions get their run's index."""
    runs: list[Run] = []
    index_of: dict[tuple[int, str | None], int] = {}
    for i, f in enumerate(inputs.files):
        if f.run is not None:
            index_of[(i, None)] = len(runs)
            runs.append(Run(len(runs), f.run, shown_of[i], f.invited, f.program, f.closes))
            continue
        cohorts = sorted({s.cohort for s in subs if s.run == i and s.cohort is not None})
        for _, label in cohorts:
            if (i, label) not in index_of:
                index_of[(i, label)] = len(runs)
                runs.append(Run(len(runs), label, shown_of[i], f.invited, closes=f.closes, cohort=True))
    out = [replace(s, run=index_of[(s.run, s.cohort[1] if s.cohort else None)]) for s in subs]
    return runs, out
