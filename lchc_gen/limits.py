"""Resource limits on input files, in one place.

A small file must not be able to stop a build: a YAML file whose aliases expand to billions of
values, a workbook that declares a million rows, a file of many gigabytes. Every input is read
within these limits, and a file over one is a problem naming the file and its line (or sheet),
like any other input problem. The limits are generous for their kind of file: the survey and
feedback ones fit an organisation of 100,000 employees with room to spare (see the guide's
"Large organisations" page, which lists them all).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

KIB = 1024
MIB = 1024 * KIB

# YAML files (programs, questionnaire, organisation, mkdocs.yml).
YAML_MAX_ALIASES = 1_000  # `*name` references in one file; hand-written files need a few at most
YAML_MAX_ALIAS_VALUES = 100_000  # values that aliases add when expanded (a billion-laughs file adds billions)
YAML_MAX_DEPTH = 50  # levels of nesting; the deepest real input (a mkdocs.yml nav) needs about ten

PROGRAM_FILE_BYTES = 1 * MIB  # a demo program is 7 KiB
QUESTIONNAIRE_FILE_BYTES = 1 * MIB
ORGANISATION_FILE_BYTES = 64 * MIB  # 100,000 employees (12,000 teams and their managers) take about 2 MiB
MKDOCS_YML_BYTES = 1 * MIB

# Tables (CSV or XLSX). One responses file is one survey cycle: at most one submission per employee
# and cycle plus resubmissions, so 300,000 rows fit 100,000 employees three times over.
RESPONSES_FILE_BYTES = 256 * MIB
RESPONSES_MAX_ROWS = 300_000
FEEDBACK_FILE_BYTES = 256 * MIB
FEEDBACK_MAX_ROWS = 500_000  # a year of every program's feedback in one file, several per learner
ATTENDANCE_FILE_BYTES = 64 * MIB
AGREEMENTS_FILE_BYTES = 16 * MIB  # one agreement per team and cycle: a few hundred bytes each
AGREEMENTS_MAX_ROWS = 100_000
PROGRAMS_WORKBOOK_BYTES = 16 * MIB  # `lchc-gen programs import`
PROGRAMS_WORKBOOK_MAX_ROWS = 10_000  # one row per session
SHEET_MAX_COLUMNS = 1_000  # a survey tool's export has a column per question plus a few dozen of its own
# A workbook is a zip: what it unpacks to bounds the XML that openpyxl parses (shared strings are
# held in memory), whatever the size of the file itself.
WORKBOOK_UNPACKED_BYTES = 1024 * MIB


@dataclass(frozen=True)
class FileLimit:
    """How large one kind of input file may be."""

    what: str  # named in problems: "a program file"
    max_bytes: int


@dataclass(frozen=True)
class TableLimits(FileLimit):
    """The limits of one kind of table file."""

    max_rows: int | None = None  # rows of a sheet (XLSX); a CSV file is bounded by its size
    max_columns: int = SHEET_MAX_COLUMNS


PROGRAM_FILE = FileLimit("a program file", PROGRAM_FILE_BYTES)
QUESTIONNAIRE_FILE = FileLimit("a questionnaire", QUESTIONNAIRE_FILE_BYTES)
ORGANISATION_FILE = FileLimit("an organisation file", ORGANISATION_FILE_BYTES)
ACTIONS_FILE = FileLimit("a file of actions", QUESTIONNAIRE_FILE_BYTES)
MKDOCS_YML = FileLimit("mkdocs.yml", MKDOCS_YML_BYTES)
RESPONSES = TableLimits("a responses file", RESPONSES_FILE_BYTES, RESPONSES_MAX_ROWS)
FEEDBACK = TableLimits("a feedback file", FEEDBACK_FILE_BYTES, FEEDBACK_MAX_ROWS)
ATTENDANCE = TableLimits("an attendance file", ATTENDANCE_FILE_BYTES)
AGREEMENTS_YAML = FileLimit("an agreements file", AGREEMENTS_FILE_BYTES)
AGREEMENTS = TableLimits("an agreements file", AGREEMENTS_FILE_BYTES, AGREEMENTS_MAX_ROWS)
PROGRAMS_WORKBOOK = TableLimits("a programs workbook", PROGRAMS_WORKBOOK_BYTES, PROGRAMS_WORKBOOK_MAX_ROWS)


class TooLarge(Exception):
    """A file over its size limit; the message says which limit."""


def size_text(n: int) -> str:
    if n >= 1024 * MIB:
        return f"{n / (1024 * MIB):,.4g} GiB"
    if n >= MIB:
        return f"{n / MIB:,.4g} MiB"
    return f"{n / KIB:,.4g} KiB" if n >= KIB else f"{n:,} bytes"


def read_bytes(path: Path, limit: FileLimit) -> bytes:
    """The file's bytes, never more than the limit read (a device or a growing file cannot hang
    the build); raises ``TooLarge``, or ``OSError`` as ``Path.read_bytes`` does."""
    with path.open("rb") as f:
        data = f.read(limit.max_bytes + 1)
    if len(data) > limit.max_bytes:
        raise TooLarge(too_large(limit))
    return data


def too_large(limit: FileLimit) -> str:
    return f"the file is larger than {size_text(limit.max_bytes)}, the limit for {limit.what}"
