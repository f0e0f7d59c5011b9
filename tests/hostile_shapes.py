"""Small files shaped to stop a build: YAML alias bombs, recursive aliases, deep nesting, and
workbooks that declare a huge size. Used by the limit tests and the mutation tests."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

RECURSIVE_ALIAS = "&x [*x]"


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    """One line of flow YAML: `levels` anchors, each a list of `width` aliases of the one
    before, so the last stands for width ** levels values (9 ** 9: 387 million)."""
    parts = ["&a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        parts.append(f"&a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "[" + ", ".join(parts) + "]"


def billion_laughs_document(levels: int = 9, width: int = 9) -> str:
    """The classic shape: one anchored key per line, the last line expanding to everything."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def nested(levels: int) -> str:
    """A block mapping `levels` deep."""
    return "".join(" " * i + f"k{i}:\n" for i in range(levels)) + " " * levels + "leaf\n"


def dimension_bomb(source: Path, target: Path, dimension: str = "A1:XFD1048576", far_row: int | None = 1_048_576) -> None:
    """A copy of a workbook whose sheets declare `dimension` and, if `far_row` is given, hold one
    more cell in column A of that row. openpyxl pads every row to the declared width and yields
    every row up to the far one: 16,384 empty cells for each of a million rows."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", info.filename):
                data, n = re.subn(rb"<dimension ref=\"[^\"]*\"", f'<dimension ref="{dimension}"'.encode(), data)
                assert n == 1, "the sheet declares no dimension"
                if far_row is not None:
                    cell = f'<row r="{far_row}"><c r="A{far_row}" t="inlineStr"><is><t>far</t></is></c></row>'
                    data = data.replace(b"</sheetData>", cell.encode() + b"</sheetData>")
            out.writestr(info, data)
