"""Programs to and from a spreadsheet: the export stakeholders read, and the round trip."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lchc_gen.cli import main
from lchc_gen.programs.load import load_programs
from lchc_gen.programs.model import Series
from tests.conftest import build_site


def _cli(root: Path, *args: str) -> int:
    before = Path.cwd()
    os.chdir(root)
    try:
        return main(list(args))
    finally:
        os.chdir(before)


def _pages(site: Path) -> dict[str, bytes]:
    """Every generated program file; calendars without DTSTAMP (the time they were made)."""
    return {
        p.relative_to(site).as_posix(): re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"DTSTAMP", p.read_bytes())
        for p in (site / "programs").rglob("*") if p.is_file()
    }


def test_export_then_import_builds_the_same_pages(make_site, capsys) -> None:
    root = make_site(copy_demo=True)
    before = _pages(build_site(root))
    assert _cli(root, "programs", "export", "--format", "xlsx", "--out", "programs.xlsx") == 0
    assert _cli(root, "programs", "import", "programs.xlsx", "--out", "imported") == 0
    assert "wrote imported/sales-discovery-calls.yml: 2 sessions" in capsys.readouterr().out
    shutil.rmtree(root / "programs")
    (root / "imported").rename(root / "programs")
    shutil.rmtree(root / "site")
    after = _pages(build_site(root))
    assert len(before) > 10 and before.keys() == after.keys()
    assert [k for k in before if before[k] != after[k]] == []


def test_the_export_shows_every_occurrence_in_each_location(make_site) -> None:
    root = make_site(copy_demo=True)
    assert _cli(root, "programs", "export", "--out", "book.xlsx") == 0
    book = load_workbook(root / "book.xlsx")
    programs = {lp.program.id: lp for lp in load_programs(root / "programs", root)}
    support = book["support-onboarding"]
    rows = list(support.iter_rows(min_row=4, values_only=True))
    assert len(rows) == len(programs["support-onboarding"].occurrences)
    header = [c.value for c in support[3]]
    assert header[:3] == ["date", "session", "time (Europe/Dublin)"] and "time in Manila (outsourcing partner)" in header
    manila = header.index("time in Manila (outsourcing partner)")
    assert rows[0][2].startswith("08:00\u201310:00 Dublin time") and rows[0][manila].startswith("16:00\u201318:00 Manila time (UTC+8)")
    why = header.index("why then")
    assert all(r[why] for r in rows)
    floor = list(book["Time off the floor"].iter_rows(values_only=True))
    assert ("support-onboarding", "Dublin") in {(r[0], r[1]) for r in floor}
    hours = [r[3] for r in floor if r[0] == "support-onboarding" and r[1] == "Dublin"]
    assert sum(hours) * 60 == pytest.approx(sum(o.duration_minutes for o in programs["support-onboarding"].occurrences if not o.cancelled))
    assert any(r[0] == "sales-discovery-calls" and r[3] and "(Europe/Berlin)" in str(r[3]) for r in floor)  # when the cohort finishes
    documented = {r[0]: r[1] for r in book["Columns"].iter_rows(min_row=2, values_only=True)}
    assert documented["rationale"] == Series.model_fields["rationale"].description
    assert "Comma-separated" in documented["weekdays"] and "YAML list" in documented["overrides"]


def test_import_problems_name_file_sheet_row_and_column(make_site, capsys) -> None:
    root = make_site(copy_demo=True)
    assert _cli(root, "programs", "export", "--out", "book.xlsx") == 0
    book = load_workbook(root / "book.xlsx")
    ws = book["Sessions"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("start") + 1, value="9 o'clock")
    ws.cell(row=3, column=header.index("program") + 1, value="sales-discovery-cals")
    ws.cell(row=4, column=header.index("weekdays") + 1, value="MO, XX")
    ws.cell(row=1, column=len(header) + 1, value="room size")
    book.save(root / "book.xlsx")
    capsys.readouterr()
    assert _cli(root, "programs", "import", "book.xlsx", "--out", "imported") == 1
    err = capsys.readouterr().err
    assert "book.xlsx:Sessions:2:start: " in err
    assert "book.xlsx:Sessions:3:program: unknown program 'sales-discovery-cals'" in err
    assert "book.xlsx:Sessions:4:weekdays: expected a weekday" in err
    assert "book.xlsx:Sessions:1:room size: unknown column" in err
    assert not (root / "imported").exists()  # nothing half-written
