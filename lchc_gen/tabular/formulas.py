"""Spreadsheet formulas: every value we write is data, and a formula is never read as data.

Spreadsheet programs (Excel, LibreOffice, Google Sheets) take a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return for a formula, which can fetch an address or
run a command when the file is opened (OWASP: CSV injection). Names, titles and labels come
from input files, so every exporter writes through this one module:

- CSV (`csv_value`): such a text gets a leading single quote (``'=1+1``), which spreadsheet
  programs read as "text follows". A plain number (``-12``, ``+3.5``) is left as it is: it is
  read as a number and cannot be a formula.
- XLSX (`save_workbook`): every text is a string cell (never a formula cell), and one that
  looks like a formula also gets Excel's "quote prefix" style, so that editing the cell keeps
  it text. The text itself is unchanged, so `programs import` reads back exactly what was written.
- Reading a workbook (`formula_cells`): the places of formula cells, so that an import can
  name them instead of taking a value the formula may never have computed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def looks_like_formula(text: str) -> bool:
    """True for a text a spreadsheet program would take for a formula."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def csv_value(value: Any) -> Any:
    """A CSV field's value: a text that looks like a formula with a leading ', anything else as it is."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


# XML turns a carriage return into a line feed; OOXML writes it as _x000D_ (and the "_" of a
# text that already looks like such an escape as _x005F_). openpyxl does neither.
_TO_OOXML = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|\r")
_FROM_OOXML = re.compile(r"_x([0-9A-Fa-f]{4})_")


def save_workbook(book: Any, path: Path) -> None:
    """Save an openpyxl workbook with every text as a string cell: openpyxl itself makes a
    formula of any text that starts with "=" when it is put in a cell."""
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    text = cell.value
                    cell.value = _TO_OOXML.sub(lambda m: "_x000D_" if m.group() == "\r" else "_x005F_", text)
                    cell.data_type = "s"  # after the value: assigning one makes "=..." a formula again
                    if looks_like_formula(text):
                        cell.quotePrefix = True
    book.save(path)


def cell_text(text: str) -> str:
    """A string cell's text as written (OOXML escapes such as _x000D_ decoded)."""
    return _FROM_OOXML.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def formula_cells(path: Path, sheet: str) -> list[tuple[int, int, str]]:
    """(row, column, formula) of every formula cell of one sheet of a workbook, numbered from 1."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=False)
    try:
        return [
            (cell.row, cell.column, str(cell.value))
            for row in book[sheet].iter_rows()
            for cell in row
            if getattr(cell, "data_type", None) == "f"
        ]
    finally:
        book.close()
