"""Every bad-input case in the spec gives its exact `file:line: field: message`, all in one run,
and a failed build leaves site/ exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from lchc_gen.problems import InputError
from lchc_gen.programs.load import load_programs
from tests.conftest import build_site, write

# Line numbers matter in this file: each bad value sits on a known line.
BAD = """\
id: bad-program
title: A program with one of every mistake
summary: Used by the tests.
status: draft
owner: Test owner
timezone: Europe/Berlinn
audience:
  description: Testers
objectives:
  - {id: know-a, domain: know, text: Know A.}
  - {id: know-a, domain: do, text: Do A.}
facilitators:
  - {id: fac-1, name: Fac One, role: Trainer}
sessions:
  - id: weekly
    title: Weekly
    weekdays: [TU]
    first_date: 2027-03-10
    until: 2027-03-01
    start: "09:00"
    duration: 60
    rationale: Mornings are quiet.
  - id: once
    title: Once
    date: 2027-02-30
    start: "9am"
    duration: 60
    facilitators: [fac-9]
    objectives: [know-zzz]
"""

EXPECTED = [
    "programs/bad.yml:6: timezone: unknown timezone 'Europe/Berlinn'; did you mean Europe/Berlin?",
    "programs/bad.yml:7: audience.why_this_group: required field is missing",
    "programs/bad.yml:11: objectives[1].id: duplicate objective id 'know-a'",
    "programs/bad.yml:15: sessions[0]: ends before it starts: until 2027-03-01 is before first_date 2027-03-10",
    "programs/bad.yml:23: sessions[1].rationale: required field is missing",
    "programs/bad.yml:25: sessions[1].date: 2027-02-30 is not a day in the calendar",
    "programs/bad.yml:26: sessions[1].start: expected a 24-hour time HH:MM, e.g. \"09:30\"",
    "programs/bad.yml:28: sessions[1].facilitators[0]: unknown facilitator 'fac-9' (known: fac-1)",
    "programs/bad.yml:29: sessions[1].objectives[0]: unknown objective 'know-zzz' (known: know-a)",
]


def test_every_problem_reported_at_once_with_file_line_and_field(tmp_path: Path) -> None:
    write(tmp_path / "programs" / "bad.yml", BAD)
    with pytest.raises(InputError) as exc:
        load_programs(tmp_path / "programs", tmp_path)
    assert [str(p) for p in exc.value.problems] == EXPECTED


GOOD_HEAD = """\
id: {pid}
title: Program {pid}
summary: Used by the tests.
status: draft
owner: Test owner
timezone: Europe/Berlin
audience: {{description: Testers, why_this_group: They asked.}}
objectives:
  - {{id: know-a, domain: know, text: Know A.}}
sessions:
"""


def _program(pid: str, sessions: str) -> str:
    return GOOD_HEAD.format(pid=pid) + sessions


def test_overlapping_sessions_of_one_program(tmp_path: Path) -> None:
    write(
        tmp_path / "programs" / "p.yml",
        _program(
            "p",
            """\
  - {id: first, title: First, date: 2027-03-02, start: "09:00", duration: 90, rationale: R.}
  - {id: second, title: Second, date: 2027-03-02, start: "10:00", duration: 30, rationale: R.}
""",
        ),
    )
    with pytest.raises(InputError) as exc:
        load_programs(tmp_path / "programs", tmp_path)
    assert [str(p) for p in exc.value.problems] == [
        "programs/p.yml:12: sessions[1]: overlaps session 'first': 2027-03-02 10:00-10:30 and 2027-03-02 09:00-10:30 (Europe/Berlin)"
    ]


def test_duplicate_program_ids_across_files_and_bad_yaml(tmp_path: Path) -> None:
    one = _program("same", '  - {id: s, title: S, date: 2027-03-02, start: "09:00", duration: 30, rationale: R.}\n')
    write(tmp_path / "programs" / "a.yml", one)
    write(tmp_path / "programs" / "b.yml", one)
    write(tmp_path / "programs" / "c.yml", "id: c\ntitle: [unclosed\n")
    with pytest.raises(InputError) as exc:
        load_programs(tmp_path / "programs", tmp_path)
    shown = [str(p) for p in exc.value.problems]
    assert shown[0] == "programs/b.yml:1: id: duplicate program id 'same' (also in programs/a.yml)"
    assert shown[1].startswith("programs/c.yml:3: (yaml): not valid YAML:")
    assert len(shown) == 2


def test_override_of_a_date_the_series_does_not_have(tmp_path: Path) -> None:
    write(
        tmp_path / "programs" / "p.yml",
        _program(
            "p",
            """\
  - id: weekly
    title: Weekly
    weekdays: [TU]
    first_date: 2027-03-02
    count: 2
    start: "09:00"
    duration: 30
    rationale: R.
    overrides:
      - {date: 2027-03-03, cancel: true}
""",
        ),
    )
    with pytest.raises(InputError) as exc:
        load_programs(tmp_path / "programs", tmp_path)
    assert [str(p) for p in exc.value.problems] == [
        "programs/p.yml:20: sessions[0].overrides[0].date: the series has no occurrence on 2027-03-03"
    ]


def test_failed_build_leaves_existing_site_byte_for_byte_unchanged(make_site, caplog) -> None:
    root = make_site({"bad.yml": BAD})
    site = root / "site"
    write(site / "index.html", "<p>the previous, good build</p>\n")
    (site / "assets").mkdir()
    (site / "assets" / "logo.bin").write_bytes(bytes(range(256)))
    before = {p.relative_to(site): (p.read_bytes(), p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()}

    with pytest.raises(Abort):
        build_site(root)

    assert "programs/bad.yml:6: timezone: unknown timezone" in caplog.text
    assert "programs/bad.yml:29: sessions[1].objectives[0]: unknown objective 'know-zzz'" in caplog.text
    after = {p.relative_to(site): (p.read_bytes(), p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()}
    assert after == before


def test_values_that_once_crashed_the_build_are_problems(tmp_path: Path) -> None:
    """Each of these gave a traceback before: an id as a mapping or a list (unhashable), and a
    timezone name too long to be a file name (OSError from zoneinfo)."""
    text = _program("p", '  - {id: first, title: First, date: 2027-03-02, start: "09:00", duration: 90, rationale: R.}\n')
    write(tmp_path / "programs" / "p.yml", text.replace("timezone: Europe/Berlin", "timezone: " + "Europe" * 100)
          .replace("  - {id: know-a,", "  - {id: {a: 1},"))
    write(tmp_path / "programs" / "q.yml", _program("q", "  - {id: [1, 2], title: T, date: 2027-03-02, start: '09:00', duration: 30, rationale: R.}\n"))
    with pytest.raises(InputError) as exc:
        load_programs(tmp_path / "programs", tmp_path)
    shown = [str(p) for p in exc.value.problems]
    assert any(s.startswith("programs/p.yml:6: timezone: unknown timezone 'EuropeEurope") for s in shown), shown
    assert any(s.startswith("programs/p.yml:9: objectives[0].id:") for s in shown), shown
    assert "programs/q.yml:11: sessions[0].id: Input should be a valid string" in shown


def test_a_title_with_a_newline_builds_a_calendar(make_site) -> None:
    """icalendar wrote the calendar name unescaped and then refused its own output."""
    text = _program("p", '  - {id: first, title: First, date: 2027-03-02, start: "09:00", duration: 90, rationale: R.}\n')
    site = build_site(make_site({"p.yml": text.replace("title: Program p", 'title: "Two\\nlines"')}), strict=False)
    assert b"X-WR-CALNAME:Two\\nlines" in (site / "programs" / "p.ics").read_bytes()
