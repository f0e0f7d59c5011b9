"""Read a CSV or XLSX file as a grid of text cells, each row with its number in the file.

Rows keep the number a person sees: the CSV line a record starts on, or the spreadsheet row.
Cells become text as the tool would show them (a whole number without ".0", a date as ISO 8601).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..limits import WORKBOOK_UNPACKED_BYTES, FileLimit, TableLimits, TooLarge, read_bytes, size_text, too_large
from ..problems import Problem

XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class Grid:
    shown: str  # how problems name the file: "path" or "path:Sheet" for a workbook
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells); blank rows skipped
    sheet: str | None = None


def is_workbook(path: Path) -> bool:
    return path.suffix.casefold() in XLSX_SUFFIXES


def read_grid(path: Path, shown: str, problems: list[Problem], sheet: str | None, limit: TableLimits) -> Grid | None:
    """The file's rows, or None with a problem when it cannot be read or is over its limits."""
    if is_workbook(path):
        return _read_xlsx(path, shown, problems, sheet, limit)
    text = read_text(path, shown, problems, limit)
    if text is None:
        return None
    try:
        return Grid(shown, list(csv_records(text, _delimiter(text))))
    except csv.Error as exc:
        problems.append(Problem(shown, 1, "(file)", f"not a valid CSV file: {exc}", cell=True))
        return None


def _delimiter(text: str) -> str:
    """"," or ";": the one that splits the header record into more fields. A tool exporting in
    a language whose decimal mark is a comma (LimeSurvey or Excel in French, German, ...) writes
    semicolons; a comma inside a quoted heading does not count."""
    first = {d: next(csv.reader(io.StringIO(text), delimiter=d), []) for d in (",", ";")}
    return ";" if len(first[";"]) > len(first[","]) else ","


def csv_records(text: str, delimiter: str = ","):
    """CSV records with the line each starts on (header = 1); blank lines skipped."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    start = 1
    for record in reader:
        if "".join(record).strip():
            yield start, record
        start = reader.line_num + 1


def read_text(path: Path, shown: str, problems: list[Problem], limit: FileLimit) -> str | None:
    """A CSV file's text (UTF-8, a BOM allowed), or None with the reason added to `problems`."""
    try:
        data = read_bytes(path, limit)
    except TooLarge as exc:
        problems.append(Problem(shown, 1, "(file)", str(exc), cell=True))
        return None
    except FileNotFoundError:
        problems.append(Problem(shown, 1, "(file)", "file not found", cell=True))
        return None
    except OSError as exc:
        problems.append(Problem(shown, 1, "(file)", f"cannot read: {exc}", cell=True))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, 1, "(file)", f"cannot read: not UTF-8 text (byte {exc.start}); save it as \"CSV UTF-8\"", cell=True))
        return None


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):  # a date cell is a datetime at midnight
        return value.date().isoformat() if value.time() == dt.time(0) and value.tzinfo is None else value.isoformat(sep="T")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def _read_xlsx(path: Path, shown: str, problems: list[Problem], sheet: str | None, limit: TableLimits) -> Grid | None:
    from openpyxl import load_workbook  # only workbooks need it

    if not path.is_file():
        problems.append(Problem(shown, 1, "(file)", "file not found", cell=True))
        return None
    too_big = _workbook_size_problem(path, limit)
    if too_big is not None:
        problems.append(Problem(shown, 1, "(file)", too_big, cell=True))
        return None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key, value errors) for a damaged file
        problems.append(Problem(shown, 1, "(file)", f"not a readable XLSX workbook ({type(exc).__name__}); save it again from the tool", cell=True))
        return None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            problems.append(Problem(shown, 1, "(file)", f"no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})", cell=True))
            return None
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        rows = _sheet_rows(ws, f"{shown}:{ws.title}", limit, problems)
        return None if rows is None else Grid(f"{shown}:{ws.title}", rows, ws.title)
    except Exception as exc:  # cells are parsed lazily: a damaged sheet fails here
        problems.append(Problem(shown, 1, "(file)", f"not a readable XLSX workbook ({type(exc).__name__}); save it again from the tool", cell=True))
        return None
    finally:
        book.close()


def _workbook_size_problem(path: Path, limit: TableLimits) -> str | None:
    """Why the workbook is too large to open, from its size and what its zip unpacks to."""
    if path.stat().st_size > limit.max_bytes:
        return too_large(limit)
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError):
        return None  # openpyxl says it is not a readable workbook
    if unpacked > WORKBOOK_UNPACKED_BYTES:
        return f"the workbook unpacks to more than {size_text(WORKBOOK_UNPACKED_BYTES)}, the limit for a workbook"
    return None


def _sheet_rows(ws, shown: str, limit: TableLimits, problems: list[Problem]) -> list[tuple[int, list[str]]] | None:
    """The sheet's non-blank rows, read row by row and stopped at the limits.

    The size a sheet declares (its dimension) is not trusted: with it, openpyxl pads every row
    to the declared width and yields every declared row, so a few kilobytes declaring
    A1:XFD1048576 would take half an hour. Without it, a row is as wide as its last cell.
    """
    ws.reset_dimensions()
    rows = []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if limit.max_rows is not None and number > limit.max_rows:
            problems.append(Problem(shown, number, "(sheet)", f"the sheet goes on past row {limit.max_rows:,}, "
                                    f"the limit for {limit.what}", cell=True))
            return None
        if len(values) > limit.max_columns and any(v is not None for v in values[limit.max_columns:]):
            problems.append(Problem(shown, number, "(sheet)", f"the row has cells past column {limit.max_columns:,}, "
                                    f"the limit for {limit.what}", cell=True))
            return None
        cells = [cell_text(v) for v in values[: limit.max_columns]]
        while cells and cells[-1] == "":
            cells.pop()
        if "".join(cells).strip():
            rows.append((number, cells))
    return rows
