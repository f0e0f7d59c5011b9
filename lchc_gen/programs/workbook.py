"""Programs to and from a spreadsheet (XLSX).

Export: per program, a sheet of every occurrence (date, local time in each audience location,
duration, facilitators, why then), a sheet of learner time off the floor, the floor's sheets
(floor_workbook.py, with a floor file), and one "Sessions"
sheet (one row per session) whose columns come from the session model; a "Columns" sheet
documents them with the model's own help text.
Import: the "Sessions" sheet back into program YAML; the other fields of each program come from
its existing file. Problems name ``file:sheet:row:column``.
"""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from .. import limits, yamlsrc
from ..problems import InputError, Problem
from ..tabular.formulas import cell_text, formula_cells, save_workbook
from ..tabular.read import read_grid
from .floor import cohort_ends, places, week_loads
from .floor_workbook import floor_sheets
from .load import LoadedProgram
from .model import OneOff, Series, Session, SessionFields
from .timefmt import span

SESSIONS_SHEET = "Sessions"
COLUMNS_SHEET = "Columns"


def session_columns() -> list[tuple[str, str]]:
    """(column, help) in model order: the shared fields, then a series', then a one-off's date."""
    out: list[tuple[str, str]] = [("program", "The program id (the file's `id`).")]
    seen = {"program"}
    for model, kind in ((SessionFields, ""), (Series, "Series: "), (OneOff, "One-off: ")):
        for name, info in model.model_fields.items():
            if name not in seen:
                seen.add(name)
                help_text = info.description or ""
                shape = _shape(name)
                if shape == "list":
                    help_text += " Comma-separated."
                elif shape == "nested":
                    help_text += " A YAML list, as in the program file."
                out.append((name, (kind + help_text).strip()))
    return out


def _shape(name: str) -> str:
    info = Series.model_fields.get(name) or OneOff.model_fields.get(name)
    annotation = info.annotation if info else str
    if typing.get_origin(annotation) is list:
        (arg,) = typing.get_args(annotation)
        arg = typing.get_args(arg)[0] if typing.get_origin(arg) is typing.Annotated else arg
        return "nested" if isinstance(arg, type) and issubclass(arg, BaseModel) else "list"
    return "scalar"


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        if any(isinstance(v, (dict, list)) for v in value):
            return yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=1 << 20, allow_unicode=True).strip()
        return ", ".join(str(v) for v in value)
    if isinstance(value, (dict, bool)):
        return yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=1 << 20).strip()
    return value


def export_workbook(programs: list[LoadedProgram], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    bold = Font(bold=True)
    names: set[str] = set()

    def sheet(title: str):
        base = title[:31]
        name, n = base, 2
        while name.casefold() in names:
            name = f"{base[:28]} {n}"
            n += 1
        names.add(name.casefold())
        ws = book.create_sheet(name)
        return ws

    def header(ws, row: list[str]) -> None:
        ws.append(row)
        for c in ws[ws.max_row]:
            c.font = bold
        ws.freeze_panes = f"A{ws.max_row + 1}"

    book.remove(book.active)
    for lp in programs:
        p = lp.program
        people = p.people()
        here = places(lp)
        ws = sheet(p.id)
        ws.append([p.title])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([f"Times are local: {p.timezone}" + "".join(f"; {pl.name}: {pl.timezone}" for pl in here if pl.timezone != p.timezone)])
        header(ws, ["date", "session", "time (" + p.timezone + ")",
                    *[f"time in {pl.name}" for pl in here if pl.timezone != p.timezone],
                    "minutes", "format", "location", "facilitators", "why then", "status"])
        for o in sorted(lp.occurrences, key=lambda o: o.start):
            s = o.session
            ws.append([
                o.start.date(), s.title, span(o.start, o.end, p.timezone),
                *[span(o.start.astimezone(ZoneInfo(pl.timezone)), o.end.astimezone(ZoneInfo(pl.timezone)), pl.timezone)
                  for pl in here if pl.timezone != p.timezone],
                o.duration_minutes, s.format, o.location or "", ", ".join(people[f].name if f in people else f for f in s.facilitators),
                o.rationale, "cancelled" if o.cancelled else ("moved" if o.moved else ""),
            ])
        for row in ws.iter_rows(min_row=4):
            row[0].number_format = "ddd d mmm yyyy"
            for c in row:
                c.alignment = Alignment(wrap_text=True, vertical="top")
        for col, width in zip("ABCDEFGHIJK", (16, 32, 30, 30, 9, 10, 24, 24, 60, 10)):
            ws.column_dimensions[col].width = width
    ws = sheet("Time off the floor")
    header(ws, ["program", "location", "week of (Monday)", "hours per learner", "sessions"])
    for lp in programs:
        for w in week_loads(lp):
            ws.append([lp.program.id, w.place.name, w.week, round(w.minutes / 60, 2), w.sessions])
    ws.append([])
    ws.append(["program", "cohort", "location", "finishes (last session ends)"])
    for c in ws[ws.max_row]:
        c.font = bold
    for lp in programs:
        for end in cohort_ends(lp):
            ws.append([lp.program.id, end.cohort, end.place.name, f"{end.last:%a %d %b %Y %H:%M} ({end.place.timezone})"])
    for col, width in zip("ABCDE", (26, 40, 30, 30, 10)):
        ws.column_dimensions[col].width = width
    floor_sheets(programs, sheet, header)  # the floor, away at once, costs, savings, agents ready
    columns = session_columns()
    ws = sheet(SESSIONS_SHEET)
    header(ws, [c for c, _ in columns])
    for lp in programs:
        raw = lp.source.data if lp.source is not None else {}
        for s in raw.get("sessions") or []:
            ws.append([lp.program.id, *(_cell(s.get(c)) for c, _ in columns[1:])])
    ws = sheet(COLUMNS_SHEET)
    header(ws, ["column", "what it holds"])
    for c, help_text in columns:
        ws.append([c, help_text])
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 22, 100
    save_workbook(book, path)  # every text a string cell: a title "=HYPERLINK(...)" stays text


def _free_text(name: str) -> bool:
    """A column of free text (title, rationale, cohort, ...): kept exactly as written, spaces
    and all; ids, times, dates, numbers and lists are trimmed."""
    info = Series.model_fields.get(name) or OneOff.model_fields.get(name)
    if info is None or any(getattr(m, "pattern", None) for m in info.metadata):
        return False
    return info.annotation in (str, str | None)


def _value(name: str, raw: str) -> Any:
    if _free_text(name):
        return raw
    raw = raw.strip()
    shape = _shape(name)
    if shape == "list":
        return [x.strip() for x in raw.split(",") if x.strip()]
    if shape == "nested":  # parsed as a program file is, within the same limits (a cell can hold an alias bomb)
        return yamlsrc.parse(raw, "").data
    if name in ("count", "interval", "week_of_month") or (name == "duration" and raw.isdigit()):
        try:
            return int(raw)
        except ValueError:
            return raw
    return raw


def import_workbook(path: Path, shown: str, programs: list[LoadedProgram]) -> dict[str, dict[str, Any]]:
    """Program data (as for a YAML file) for each program on the Sessions sheet; every problem raised at once."""
    problems: list[Problem] = []
    grid = read_grid(path, shown, problems, SESSIONS_SHEET, limits.PROGRAMS_WORKBOOK)
    if grid is None:
        raise InputError(problems)
    by_id = {lp.program.id: lp for lp in programs}
    known = dict(session_columns())
    if not grid.rows:
        raise InputError([Problem(grid.shown, 1, "(sheet)", "the sheet is empty (a header row is required)", cell=True)])
    header_row, header = grid.rows[0]
    names = [h.strip() for h in header]
    for h in names:
        if h and h not in known:
            problems.append(Problem(grid.shown, header_row, h, f"unknown column (columns: {', '.join(known)})", cell=True))
    if "program" not in names:
        problems.append(Problem(grid.shown, header_row, "program", "required column is missing", cell=True))
    adapter: TypeAdapter = TypeAdapter(Session)
    sessions: dict[str, list[dict[str, Any]]] = {}
    for row, cells in grid.rows[1:]:
        data: dict[str, Any] = {}
        for name, raw in zip(names, map(cell_text, cells)):
            if name in known and raw.strip():
                try:
                    data[name] = _value(name, raw)
                except (yaml.YAMLError, RecursionError) as exc:
                    problems.append(Problem(grid.shown, row, name, f"not a YAML list: {str(exc).splitlines()[0]}", cell=True))
        pid = data.pop("program", None)
        if pid not in by_id:
            problems.append(Problem(grid.shown, row, "program", f"unknown program {pid!r} (known: {', '.join(sorted(by_id))})"
                                    if pid else "program is empty", cell=True))
            continue
        try:
            adapter.validate_python(data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = [str(x) for x in err["loc"] if x not in ("series", "once")]
                column = loc[0] if loc and loc[0] in known else "(row)"
                where = f" (at {'.'.join(loc[1:])})" if len(loc) > 1 else ""
                problems.append(Problem(grid.shown, row, column, err["msg"].removeprefix("Value error, ") + where, cell=True))
        sessions.setdefault(pid, []).append(data)
    problems += _formula_problems(path, grid.shown, grid.sheet or SESSIONS_SHEET, names)
    if problems:
        raise InputError(problems)
    out = {}
    for pid, rows in sessions.items():
        data = dict(by_id[pid].source.data)
        data["sessions"] = rows
        out[pid] = data
    return out


def _formula_problems(path: Path, shown: str, sheet: str, names: list[str]) -> list[Problem]:
    """Formula cells are not read as values: the import would get what the formula last showed,
    or nothing at all when no spreadsheet program has computed it (a workbook a script wrote)."""
    return [
        Problem(shown, row, names[col - 1] if col <= len(names) and names[col - 1] else f"column {col}",
                f"a formula ({formula}); the import reads values: type the value itself "
                "(to keep a text that starts with =, type a ' before it)", cell=True)
        for row, col, formula in formula_cells(path, sheet)
    ]


def program_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
