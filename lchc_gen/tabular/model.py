"""How a responses or feedback file is read: its format, its sheet, and a mapping of its columns."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .presets import Format

_LETTERS = re.compile(r"[A-Za-z]{1,3}")


class ColumnAt(BaseModel):
    """A column named by its position, for headings that are not unique: a spreadsheet letter
    (``C``, ``AB``) or a number counted from 1."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str | int = Field(description="The column's spreadsheet letter (C) or its number from 1 (3).")

    @property
    def position(self) -> int | None:
        """0-based position, or None for a value that names no column."""
        if isinstance(self.column, int):
            return self.column - 1 if self.column >= 1 else None
        text = self.column.strip()
        if text.isdigit():
            return int(text) - 1 if int(text) >= 1 else None
        if not _LETTERS.fullmatch(text):
            return None
        n = 0
        for ch in text.upper():
            n = n * 26 + ord(ch) - 64
        return n - 1


class ExportOptions(BaseModel):
    """Fields shared by every configured table file (a survey cycle's responses, a feedback file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Format = Field(
        "native",
        description="Who wrote the file: native (the documented columns), google-forms, microsoft-forms, limesurvey "
        "or qualtrics. Question columns are matched by their question text.",
    )
    sheet: str | None = Field(None, min_length=1, description="The sheet of an XLSX workbook (default: the first).")
    columns: dict[str, str | ColumnAt] = Field(
        default_factory=dict,
        description="A column's own name -> the heading it has in this file, e.g. {team: 'Which team are you in?'},"
        " or its position where headings repeat, e.g. {team: {column: C}}.",
    )
    codes: dict[str, str] = Field(
        default_factory=dict,
        description="An export's question code -> the question id it answers, e.g. {G01Q03: q01}.",
    )
    incomplete: Literal["skip", "keep"] = Field(
        "skip",
        description="Responses the tool marks as not finished: skip (the default; counted in the build log) or keep"
        " (read like the others).",
    )
