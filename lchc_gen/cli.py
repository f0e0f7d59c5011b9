"""``lchc-gen``: the core without MkDocs, for admins, editors and other site generators."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Sequence

from .problems import InputError
from .programs.load import load_programs
from .programs.model import text_hash
from .programs.pages import PageOptions, build_program_files
from .programs.schema import schema_text, shipped_schema_path
from .project import read_config, survey_inputs
from .survey.export import run_scores_command
from .render import make_env


def _validate(args: argparse.Namespace) -> int:
    programs = load_programs(Path(args.programs), Path.cwd())
    n = sum(len(lp.occurrences) for lp in programs)
    print(f"ok: {len(programs)} programs, {n} sessions, no problems")
    return 0


def _hash(args: argparse.Namespace) -> int:
    """Print each objective's text hash, to paste as review.approved_text_hash when approving."""
    for lp in load_programs(Path(args.programs), Path.cwd()):
        for o in lp.program.objectives:
            if args.program and lp.program.id != args.program:
                continue
            flag = " (approval is stale)" if o.stale else ""
            print(f"{lp.path}\t{o.id}\t{text_hash(o.text)}{flag}")
    return 0


def _render(args: argparse.Namespace) -> int:
    out = Path(args.out)
    programs = load_programs(Path(args.programs), Path.cwd())
    opts = PageOptions(
        prefix=args.prefix,
        use_directory_urls=not args.html_urls,
        today=dt.date.fromisoformat(args.today) if args.today else dt.date.today(),
    )
    generated = build_program_files(programs, make_env(Path(args.templates)), opts)
    for g in generated:
        target = out / g.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(g.content, bytes):
            target.write_bytes(g.content)
        else:
            target.write_text(g.content, encoding="utf-8")
        print(f"wrote {target}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.write:
        path = Path(str(shipped_schema_path()))
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    else:
        sys.stdout.write(text)
    return 0


def _scores(args: argparse.Namespace) -> int:
    config = Path(args.config)
    inputs = survey_inputs(read_config(config))
    if inputs is None:
        print(f"{config}: the lchc plugin has no `survey` section", file=sys.stderr)
        return 2
    return run_scores_command(inputs, config.resolve().parent, args.cycle, args.format, out=sys.stdout, err=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lchc-gen", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check every program file without building the site")
    p.add_argument("--programs", default="programs", help="folder of program YAML files (default: programs)")
    p.set_defaults(func=_validate)

    p = sub.add_parser("hash", help="print objective text hashes for review.approved_text_hash")
    p.add_argument("--programs", default="programs")
    p.add_argument("program", nargs="?", help="only this program id")
    p.set_defaults(func=_hash)

    p = sub.add_parser("render", help="write the generated program pages and calendars to a folder (no MkDocs)")
    p.add_argument("--programs", default="programs")
    p.add_argument("--templates", default="templates", help="your template overrides")
    p.add_argument("--out", required=True)
    p.add_argument("--prefix", default="programs")
    p.add_argument("--today", help="YYYY-MM-DD for the upcoming-sessions page")
    p.add_argument("--html-urls", action="store_true", help="links for use_directory_urls: false")
    p.set_defaults(func=_render)

    p = sub.add_parser("scores", help="every team's numbers for a cycle, suppression applied as in the reports")
    p.add_argument("--config", default="mkdocs.yml", help="the mkdocs.yml whose lchc plugin options to use")
    p.add_argument("--cycle", help="cycle id (default: the latest)")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.set_defaults(func=_scores)

    p = sub.add_parser("schema", help="print the program JSON Schema (--write updates the shipped copy)")
    p.add_argument("--write", action="store_true")
    p.set_defaults(func=_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(exc.report(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
