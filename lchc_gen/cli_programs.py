"""``lchc-gen programs export|import``: programs to and from a spreadsheet."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from .programs.load import load_programs
from .programs.staffing import FLOOR_FILE
from .programs.workbook import export_workbook, import_workbook, program_yaml


def _programs(args: argparse.Namespace) -> int:
    programs = load_programs(Path(args.programs), Path.cwd())
    if args.action == "export":
        out = Path(args.out or "programs.xlsx")
        export_workbook(programs, out)
        print(f"wrote {out}: {len(programs)} programs")
        return 0
    if not args.file:
        print("lchc-gen programs import needs the workbook to read", file=sys.stderr)
        return 2
    book = Path(args.file)
    imported = import_workbook(book, args.file, programs)
    out = Path(args.out or args.programs)
    out.mkdir(parents=True, exist_ok=True)
    by_id = {lp.program.id: lp for lp in programs}
    for pid, data in imported.items():
        target = out / Path(by_id[pid].path).name
        target.write_text(program_yaml(data), encoding="utf-8")
        print(f"wrote {target}: {len(data['sessions'])} sessions")
    floor, copy = Path(args.programs) / FLOOR_FILE, out / FLOOR_FILE
    if floor.is_file() and not copy.exists():  # the floor sheets are for reading: the file stays the source
        shutil.copyfile(floor, copy)
        print(f"copied {floor} to {copy}")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("programs", help="programs to and from a spreadsheet (XLSX)")
    p.add_argument("action", choices=["export", "import"])
    p.add_argument("file", nargs="?", help="import: the workbook whose Sessions sheet to read")
    p.add_argument("--programs", default="programs", help="folder of program YAML files (default: programs)")
    p.add_argument("--format", choices=["xlsx"], default="xlsx", help="export: the file format (default: xlsx)")
    p.add_argument("--out", help="export: the workbook to write (default: programs.xlsx); "
                                 "import: the folder to write program files to (default: --programs)")
    p.set_defaults(func=_programs)
