"""The program workbook carries the floor's figures on their own sheets, read back with the same
numbers as the operations page's functions."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from lchc_gen.programs.workbook import export_workbook
from tests.programs.floor_fixtures import FLOOR, PROGRAM_A, PROGRAM_B
from tests.programs.test_floor_away import _load


def _rows(book, name: str) -> list[tuple]:
    return [tuple(c.value for c in row) for row in book[name].iter_rows(min_row=2)]


def test_the_floor_sheets_read_back(tmp_path) -> None:
    programs = _load(tmp_path, {"_floor.yml": FLOOR, "a.yml": PROGRAM_A, "b.yml": PROGRAM_B})
    export_workbook(programs, tmp_path / "book.xlsx")
    book = load_workbook(tmp_path / "book.xlsx")
    floor = _rows(book, "Floor")
    assert floor[0] == ("Dublin", "phone", "Europe/Dublin", 20, 40, "EUR", "10 people, MO TU WE TH FR 08:00-18:00 (opening hours)")
    assert floor[2] == ("Manila", None, "Asia/Manila", 30, 12.5, "EUR", "50% of the headcount, MO TU WE TH FR SA SU 16:00-18:00 (the afternoon peak)")
    away = {(r[0], r[1], r[2].date(), r[3]): r[4:9] for r in _rows(book, "Away at once")}
    assert away[("Manila", None, dt.date(2027, 3, 30), "16:00")] == (18, 12, 15, "yes", None)
    assert away[("Dublin", "phone", dt.date(2027, 3, 30), "09:00")] == (10, 10, 10, None, None)
    assert len(away) == 7 + 7  # Dublin phone's hours and Manila's
    costs = {(r[0], r[1], r[2], r[3].date()): r[4:] for r in _rows(book, "Floor costs")}
    assert costs[("a", "Wave 1", "Dublin", dt.date(2027, 3, 1))] == (24, 960, "EUR")
    assert costs[("b", "everyone", "Manila", dt.date(2027, 4, 1))] == (4, 50, "EUR")
    assert [r[:2] + r[7:] for r in _rows(book, "Hours saved")] == [("a", "Dublin", 72, 2880, "EUR"), ("a", "Manila", 120, 1500, "EUR")]
    assert [(r[0], r[1].date(), r[2], r[3], r[4]) for r in _rows(book, "Agents ready")] == [
        ("Dublin", dt.date(2027, 3, 1), 6, 6, 30), ("Manila", dt.date(2027, 3, 1), 10, 10, 30)
    ]


def test_without_a_floor_file_no_floor_sheets(tmp_path) -> None:
    programs = _load(tmp_path, {"b.yml": PROGRAM_B.split("floor:")[0]})
    export_workbook(programs, tmp_path / "book.xlsx")
    assert "Floor" not in load_workbook(tmp_path / "book.xlsx").sheetnames
