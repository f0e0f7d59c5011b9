"""Tabular files as people export them: CSV and XLSX, native or from a survey tool."""

from .canonical import Canonical, normalised, to_canonical
from .presets import FORMATS, PRESETS, Format, Preset, Target
from .read import Grid, csv_records, is_workbook, read_grid, read_text

__all__ = ["Canonical", "FORMATS", "Format", "Grid", "PRESETS", "Preset", "Target", "csv_records", "is_workbook",
           "normalised", "read_grid", "read_text", "to_canonical"]
