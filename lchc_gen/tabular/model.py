"""How a responses or feedback file is read: its format, its sheet, and a mapping of its columns."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .presets import Format


class ExportOptions(BaseModel):
    """Fields shared by every configured table file (a survey cycle's responses, a feedback file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Format = Field(
        "native",
        description="Who wrote the file: native (the documented columns), google-forms, microsoft-forms, limesurvey "
        "or qualtrics. Question columns are matched by their question text.",
    )
    sheet: str | None = Field(None, min_length=1, description="The sheet of an XLSX workbook (default: the first).")
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="A column's own name -> the heading it has in this file, e.g. {team: 'Which team are you in?'}.",
    )
