"""``lchc-gen``: the core without MkDocs, for admins, editors and other site generators."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Sequence

import yaml

from .access.cache import cache_path, clear_cache
from .access.demo import demo_keystore
from .access.errors import AccessError
from .access.keystore import (
    check_keystore_location,
    issue,
    list_readers,
    reissue,
    resolve_keystore_path,
    revoke,
    rotate_id_key,
)
from .inputs import Settings, load_inputs
from .problems import InputError, Problem
from .programs.checks import program_warnings
from .programs.load import load_programs
from .programs.model import text_hash
from .programs.pages import PageOptions, build_program_files
from .programs.schema import floor_schema_text, schema_text, shipped_floor_schema_path, shipped_schema_path
from .survey.agreements import agreements_schema
from .project import feedback_inputs, plugin_options, read_config, survey_inputs
from .survey.load import load_survey_organisation
from .demo_output import NotDemoOutput, write_demo_files
from .feedback.demo import DEMO_ATTENDANCE, DEMO_OBSERVED, DEMO_ROSTER, attendance_file, observation_file, roster_file
from .feedback.demo import demo_files as demo_feedback_files, sized_files as sized_feedback_files
from .feedback.export import feedback_csv, feedback_json
from .feedback.views import loop_views
from .feedback.load import load_feedback
from .feedback.score import FeedbackScores
from .survey.demo import generate as generate_demo_data
from .survey.export import run_scores_command
from .render import make_env
from .cli_programs import add_parser as add_programs_parser


def _validate(args: argparse.Namespace) -> int:
    """Every input the build reads, with the build's own loading code: exit 0 when a build would
    go on, 1 when it would stop (or, with --strict, warn)."""
    config = Path(args.config or "mkdocs.yml")
    if args.config and not config.exists():  # a mistyped --config must not pass with less checked
        print(f"lchc-gen validate: {config} does not exist", file=sys.stderr)
        return 2
    progress = None if args.quiet else lambda message: print(message, file=sys.stderr, flush=True)
    if config.exists():
        settings = Settings.from_config(config, strict=args.strict)
        if args.programs:
            settings = replace(settings, programs_dir=args.programs)
    else:  # no site: the program files alone
        if progress:
            progress(f"{config} not found: checking the program files only")
        root = Path.cwd()
        settings = Settings(root=root, config_file=None, docs_dir=root / "docs", site_dir=root / "site",
                            programs_dir=args.programs or "programs", strict=args.strict)
    if args.today:  # instead of the plugin's `today`, as the build would with that option
        settings = replace(settings, today=dt.date.fromisoformat(args.today))
    today = settings.today or dt.date.today()
    inputs = load_inputs(settings, progress=progress)  # InputError: main() lists every problem, exit 1
    warnings = [*inputs.warnings, *map(str, program_warnings(inputs.programs, today))]
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    for note in [] if args.quiet else inputs.notes:
        print(f"note: {note}", file=sys.stderr)
    n = sum(len(lp.occurrences) for lp in inputs.programs)
    found = f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else "no problems"
    checked = [f"{len(inputs.programs)} programs, {n} sessions"]
    if inputs.scores is not None:
        data = inputs.scores.data
        checked.append(f"{inputs.survey_files} survey files ({len(data.inputs.cycles)} cycles, {len(data.organisation.teams)} teams)")
    if inputs.loop is not None:
        subs = len(inputs.loop.scores.data.submissions)
        checked.append(f"{len(inputs.loop.inputs.files)} feedback files ({subs} submissions)")
        if inputs.loop.inputs.lchc_link is not None:
            checked.append("attendance")
    if inputs.keystore is not None:
        checked.append(f"the keystore ({len(inputs.keystore.readers)} readers)")
    print(f"ok: {', '.join(checked)}, {found}")
    return 1 if warnings and args.strict else 0


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
        site_url=args.site_url,
    )
    # Measured results and changes come from the program files; feedback numbers need the build's config.
    generated = build_program_files(programs, make_env(Path(args.templates)), opts, loop=loop_views(programs, None))
    for g in generated:
        target = out / g.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(g.content, bytes):
            target.write_bytes(g.content)
        else:
            target.write_text(g.content, encoding="utf-8")
        print(f"wrote {target}")
    return 0


def _build(args: argparse.Namespace) -> int:
    """Generated pages into docs_dir, the generator's command, then the output step."""
    from .external_build import BuildError, build  # the generator-neutral build: no MkDocs

    command = list(args.generator)
    if command[:1] == ["--"]:
        command = command[1:]
    try:
        return build(Path(args.config), command, strict=args.strict)
    except BuildError as exc:
        print(f"lchc-gen build: {exc}", file=sys.stderr)
        return 1


def _schema(args: argparse.Namespace) -> int:
    if args.kind == "agreements":
        if args.write or args.floor:
            print("lchc-gen schema agreements: prints the agreements file's schema (no --write, no --floor)", file=sys.stderr)
            return 1
        sys.stdout.write(json.dumps(agreements_schema(), indent=2, ensure_ascii=False) + "\n")
        return 0
    if args.write:
        for text, shipped in ((schema_text(), shipped_schema_path()), (floor_schema_text(), shipped_floor_schema_path())):
            path = Path(str(shipped))
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    else:
        sys.stdout.write(floor_schema_text() if args.floor else schema_text())
    return 0


def _survey_section(config: Path):
    """The survey options of a mkdocs.yml, or None (said on stderr) when it has none."""
    inputs = survey_inputs(read_config(config))
    if inputs is None:
        print(f"{config}: the lchc plugin has no `survey` section", file=sys.stderr)
    return inputs


def _scores(args: argparse.Namespace) -> int:
    config = Path(args.config)
    inputs = _survey_section(config)
    if inputs is None:
        return 2
    return run_scores_command(inputs, config.resolve().parent, args.cycle, args.format, out=sys.stdout, err=sys.stderr)


def _privacy(args: argparse.Namespace) -> int:
    """Per kind of reader (or per reader): what the reports show them and what is kept from them."""
    from .survey import compute_scores, load_survey
    from .survey.privacy import reader_views, summary

    config = Path(args.config)
    inputs = _survey_section(config)
    if inputs is None:
        return 2
    try:
        scores = compute_scores(load_survey(inputs, config.resolve().parent))
    except InputError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    views = reader_views(scores, recheck=True)  # every reader checked again from nothing
    rows = [vars(v) for v in views] if args.by_reader else summary(views)
    columns = ["cycle", *(["reader"] if args.by_reader else []), "kind", *([] if args.by_reader else ["readers"]),
               "reports", "shown", "threshold", "withheld", "protecting", "derivable", "narrowest"]
    print("\t".join(columns))
    for row in rows:
        print("\t".join(f"{row[c]:.2f}" if c == "narrowest" and row[c] != float("inf") else
                        ("-" if c == "narrowest" else str(row[c])) for c in columns))
    derivable = sum(v.derivable for v in views)
    print(
        "\nshown: item means, team scores, benchmarks and percentiles the readers' reports show; threshold: held back "
        "by min_responses; withheld: means that would give a small group's answers away; protecting: benchmarks and "
        "percentiles left out so that no team a reader cannot open can be worked out; derivable: values of such a team "
        "that a reader's view still pins down to within one step of the scale (must be 0); narrowest: the least "
        "uncertainty left on such a team.",
        file=sys.stderr,
    )
    if derivable:
        print(f"{derivable} values are derivable: do not publish this site", file=sys.stderr)
        return 1
    return 0


def _feedback(args: argparse.Namespace) -> int:
    """Every program's feedback numbers by run, hidden where the pages hide them."""
    config = Path(args.config)
    source = read_config(config)
    options, loc = plugin_options(source)
    inputs = feedback_inputs(source, options, loc)
    if inputs is None:
        print(f"{config}: the lchc plugin has no `feedback` section", file=sys.stderr)
        return 2
    root = config.resolve().parent
    programs = load_programs(root / str(options.get("programs_dir") or "programs"), root)
    today = dt.date.fromisoformat(str(options["today"])) if options.get("today") else None  # the plugin's `today`
    scores = FeedbackScores(load_feedback(inputs, programs, root), programs, today)
    sys.stdout.write(feedback_csv(scores) if args.format == "csv" else feedback_json(scores))
    return 0


def _demo_feedback(args: argparse.Namespace) -> int:
    out = Path(args.out or "feedback")
    programs = load_programs(Path(args.programs), Path.cwd())
    seed = 11 if args.seed is None else args.seed
    observations: list[dict[str, object]] = []  # the managers' observation checklist, filled in
    reach: list[dict[str, object]] = []  # an HR roster of the managers, with the attendance
    if args.rows is None:
        print(f"writing SYNTHETIC learner feedback for the demo programs, seed {seed} ...", file=sys.stderr)
        files, entries = demo_feedback_files(out, programs, seed)
        org_path = Path(args.org)
        pid, sid, name = DEMO_ATTENDANCE
        lp = next((lp for lp in programs if lp.program.id == pid), None)
        attended = None
        if org_path.exists() and lp is not None and any(s.id == sid for s in lp.program.sessions):
            org = yaml.safe_load(org_path.read_text(encoding="utf-8"))
            managers = sorted({t["manager"] for t in org["teams"]} - set(org.get("admins") or []))
            files[name], n = attendance_file(managers, sid, seed=seed)
            attended = f"wrote {out / name}: {n} of {len(managers)} managers attended {sid}"
            came = {line.split(",")[0] for line in files[name].decode("utf-8").splitlines()[1:]}
            files[DEMO_ROSTER[1]] = roster_file(org, came, seed=seed)
            reach.append({"program": DEMO_ROSTER[0], "roster": (out / DEMO_ROSTER[1]).as_posix(), "attendance": (out / name).as_posix()})
        observed = next((lp for lp in programs if lp.program.id == DEMO_OBSERVED[0]), None)
        if observed is not None:
            files[DEMO_OBSERVED[1]] = observation_file(observed, seed=seed)
            observations.append({"path": (out / DEMO_OBSERVED[1]).as_posix(), "program": DEMO_OBSERVED[0], "closes": "2026-08-31"})
    else:
        if args.rows < 0 or args.runs < 1:
            print("lchc-gen demo-data: --rows must be 0 or more and --runs at least 1", file=sys.stderr)
            return 2
        print(f"writing SYNTHETIC learner feedback: {args.runs} runs of {args.rows} submissions per program ...", file=sys.stderr)
        files, entries = sized_feedback_files(out, programs, args.rows, args.runs, seed)
        attended = None
    try:
        write_demo_files(out, files, args.force)
    except NotDemoOutput as exc:
        print(f"lchc-gen demo-data: {exc}", file=sys.stderr)
        return 1
    if attended:
        print(attended, file=sys.stderr)
    print("# the lchc plugin's `feedback` option for these files:")
    print("feedback:")
    print("  files:")
    for e in entries:
        print("    - {" + ", ".join(f"{k}: {json.dumps(v)}" for k, v in e.items()) + "}")
    for key, listed in (("observations", observations), ("reach", reach)):
        if listed:
            print(f"  {key}:")
            for e in listed:
                print("    - {" + ", ".join(f"{k}: {json.dumps(v)}" for k, v in e.items()) + "}")
    return 0


def _demo_data(args: argparse.Namespace) -> int:
    if args.what == "feedback":
        return _demo_feedback(args)
    out = Path(args.out or "survey")
    args.seed = 7 if args.seed is None else args.seed
    if args.teams < 12:
        print("lchc-gen demo-data: --teams must be at least 12 (the demo shows every special case)", file=sys.stderr)
        return 2
    if args.cycles < 1:
        print("lchc-gen demo-data: --cycles must be at least 1", file=sys.stderr)
        return 2
    print(f"writing SYNTHETIC survey data: {args.teams} teams, {args.cycles} cycles, seed {args.seed} ...", file=sys.stderr)
    try:
        inputs = generate_demo_data(out, args.teams, args.cycles, args.seed, force=args.force)
    except NotDemoOutput as exc:
        print(f"lchc-gen demo-data: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {out}/{inputs.questionnaire}, {out}/{inputs.organisation}, {len(inputs.cycles)} response files"
          " and the teams' agreements", file=sys.stderr)
    print("# the lchc plugin's `survey` option for these files:")
    print("survey:")
    print(f"  questionnaire: {(out / inputs.questionnaire).as_posix()}")
    print(f"  organisation: {(out / inputs.organisation).as_posix()}")
    print("  cycles:")
    for c in inputs.cycles:
        print(f"    - {{id: {c.id}, label: {c.label}, responses: {(out / c.responses).as_posix()}}}")
    if inputs.agreements is not None:
        print(f"  agreements: {(out / inputs.agreements.path).as_posix()}")
    return 0


def _keys_context(args: argparse.Namespace) -> tuple[Path, Path, list[str]]:
    """Keystore path, hand-out path and every reader of the organisation, checked for safe places."""
    config_path = Path(args.config)
    source = read_config(config_path)
    options, _ = plugin_options(source)
    root = config_path.resolve().parent
    keystore = resolve_keystore_path(args.keystore or options.get("keystore"), os.environ, root)
    if keystore is None:
        raise InputError([Problem(config_path.name, 1, "keystore", "no keystore path: set the plugin's `keystore`, $LCHC_KEYSTORE or --keystore")])
    handout = Path(args.handout) if args.handout else keystore.with_name(keystore.stem + ".passphrases.tsv")
    docs = root / str(source.data.get("docs_dir") or "docs")
    site = root / str(source.data.get("site_dir") or "site")
    problems = [
        p
        for p in (
            check_keystore_location(keystore, docs, None, site_dir=site),
            check_keystore_location(handout, docs, None, site_dir=site, what="passphrase file"),
        )
        if p
    ]
    if problems:
        raise InputError(problems)
    inputs = survey_inputs(source)
    readers: set[str] = set()
    if inputs is not None:
        org = load_survey_organisation(inputs, root)
        readers = {t.manager for t in org.teams} | set(org.admins)
    loop = feedback_inputs(source)
    if loop is not None:  # program owners read their programs' comments; feedback admins everything
        programs = load_programs(root / str(options.get("programs_dir") or "programs"), root)
        readers |= {o for lp in programs for o in lp.program.owners} | set(loop.admins)
    return keystore, handout, sorted(readers)


def _cache(args: argparse.Namespace) -> int:
    """`cache clear`: delete the report cache beside the keystore; the next build renders every report."""
    config_path = Path(args.config)
    options, _ = plugin_options(read_config(config_path))
    keystore = resolve_keystore_path(args.keystore or options.get("keystore"), os.environ, config_path.resolve().parent)
    if keystore is None:
        raise InputError([Problem(config_path.name, 1, "keystore", "no keystore path: set the plugin's `keystore`, $LCHC_KEYSTORE or --keystore")])
    path = cache_path(keystore)
    print(f"removed the report cache {path}" if clear_cache(keystore) else f"no report cache at {path}")
    return 0


def _progress(done: int, total: int, reader: str) -> None:
    print(f"  [{done}/{total}] {reader}", file=sys.stderr, flush=True)


def _keys(args: argparse.Namespace) -> int:
    keystore, handout, readers = _keys_context(args)
    if args.action == "list":
        for r in list_readers(keystore):
            print(f"{r.reader_id}\trevoked\t{r.revoked}" if r.revoked else f"{r.reader_id}\t{r.iterations}\t{r.issued}")
        return 0
    if args.action == "rotate-id-key":
        rotate_id_key(keystore)
        print(f"new id key in {keystore}: from the next build on, report ids cannot be linked to teams with the old one")
        return 0
    if args.action == "revoke":
        revoke(keystore, args.reader)
        print(f"revoked {args.reader}: from the next build on they open nothing")
        return 0
    if args.action == "reissue":
        print(f"deriving a new key for {args.reader} ...", file=sys.stderr)
        reissue(keystore, args.reader, handout, progress=_progress, reinstate=args.reinstate)
        print(f"new passphrase for {args.reader} written to {handout}; the old one stops working at the next build")
        return 0
    if args.action == "demo":
        print(f"demo keystore for {len(readers)} readers (fixed, published passphrases: demo only) ...", file=sys.stderr)
        if demo_keystore(keystore, handout, readers, progress=_progress):
            print(f"wrote {keystore} and {handout}")
        else:
            print(f"{keystore} already covers every reader")
        return 0
    print(f"issuing passphrases for up to {len(readers)} readers (about a third of a second each) ...", file=sys.stderr)
    result = issue(keystore, readers, handout, progress=_progress, reinstate=args.reinstate)
    print(f"issued {len(result.passphrases)}, already had {len(result.skipped)}; hand out {handout} and then delete it")
    if result.revoked:
        print(
            f"left out {len(result.revoked)} revoked readers: {', '.join(result.revoked)} "
            "(--reinstate gives them new passphrases)"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lchc-gen", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "validate",
        help="check every input the build reads, without building the site",
        description="Loads every input a build of the site reads, with the build's own code: program files, "
        "the survey (questionnaire, organisation, every cycle's responses), feedback and attendance files, and "
        "the keystore's place and keys. Lists every problem as file:line (or file:row:column) and exits 1 if "
        "there is any (with --strict, warnings too), 0 if a build would go on; 2 for a wrong command line.",
    )
    p.add_argument("--programs", help="folder of program YAML files (default: the plugin's programs_dir, else programs)")
    p.add_argument("--today", help="YYYY-MM-DD to check statuses, review dates and feedback against (default: the plugin's today, else today)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too, as `mkdocs build --strict` does")
    p.add_argument("--config", help="the site whose inputs to check (default: mkdocs.yml, and without one the program files only)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress or notes: only problems, warnings and the summary")
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
    p.add_argument("--site-url", help="the site's address, for links from calendar events back to program pages")
    p.set_defaults(func=_render)

    p = sub.add_parser("scores", help="every team's numbers for a cycle, suppression applied as in the reports")
    p.add_argument("--config", default="mkdocs.yml", help="the mkdocs.yml whose lchc plugin options to use")
    p.add_argument("--cycle", help="cycle id (default: the latest)")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.set_defaults(func=_scores)

    p = sub.add_parser("privacy", help="per kind of reader: what the LCHC reports show them and what is kept from them")
    p.add_argument("--config", default="mkdocs.yml", help="the mkdocs.yml whose lchc plugin options to use")
    p.add_argument("--by-reader", action="store_true", help="one row per reader and cycle")
    p.set_defaults(func=_privacy)

    p = sub.add_parser("feedback", help="every program's learner feedback numbers by run, hidden as on the pages")
    p.add_argument("--config", default="mkdocs.yml", help="the mkdocs.yml whose lchc plugin options to use")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.set_defaults(func=_feedback)

    p = sub.add_parser("demo-data", help="write a SYNTHETIC organisation and survey answers of any size")
    p.add_argument("what", nargs="?", choices=["survey", "feedback"], default="survey",
                   help="SYNTHETIC survey data (default) or learner feedback for the programs in --programs")
    p.add_argument("--out", help="output folder (default: survey, or feedback)")
    p.add_argument("--programs", default="programs", help="feedback: the program files to write feedback for")
    p.add_argument("--rows", type=int, help="feedback: submissions per file (default: the demo's runs)")
    p.add_argument("--org", default="survey/org.yml", help="feedback: the organisation file for the demo's attendance file")
    p.add_argument("--runs", type=int, default=1, help="feedback with --rows: files (runs) per program (default: 1)")
    p.add_argument("--teams", type=int, default=24, help="number of teams, at least 12 (default: 24)")
    p.add_argument("--cycles", type=int, default=2, help="number of survey cycles (default: 2)")
    p.add_argument("--seed", type=int, help="random seed; the same seed gives the same files (default: 7; feedback: 11)")
    p.add_argument("--force", action="store_true",
                   help="replace files that demo-data did not make (by default it refuses and writes nothing)")
    p.set_defaults(func=_demo_data)

    p = sub.add_parser("keys", help="issue, re-issue, revoke or list readers' passphrases (admins)")
    p.add_argument("action", choices=["issue", "reissue", "revoke", "list", "demo", "rotate-id-key"])
    p.add_argument("reader", nargs="?", help="reader (person) id, for reissue and revoke")
    p.add_argument("--config", default="mkdocs.yml")
    p.add_argument("--keystore", help="keystore path (default: $LCHC_KEYSTORE, then the plugin's `keystore`)")
    p.add_argument("--handout", help="where to write new passphrases (default: beside the keystore)")
    p.add_argument("--reinstate", action="store_true", help="issue and reissue: give revoked readers new passphrases too")
    p.set_defaults(func=_keys)

    p = sub.add_parser("cache", help="the encrypted report cache beside the keystore: `cache clear` deletes it")
    p.add_argument("cache_action", choices=["clear"])
    p.add_argument("--config", default="mkdocs.yml")
    p.add_argument("--keystore", help="keystore path (default: $LCHC_KEYSTORE, then the plugin's `keystore`)")
    p.set_defaults(func=_cache)

    add_programs_parser(sub)  # programs export / import (cli_programs.py)

    p = sub.add_parser(
        "build",
        help="build the site with another generator: generated pages in, then encrypted files, heads, search index",
        description="Writes the generated pages, assets and the My reports page into docs_dir, runs the "
        "generator's command (after --, e.g. `lchc-gen build -- zensical build`), then writes the encrypted "
        "files into its site_dir, adds every page's head tags and scrubs the search index and sitemap; "
        "the generated files are removed from docs_dir again.",
    )
    p.add_argument("--config", default="mkdocs.yml", help="the mkdocs.yml whose lchc plugin options to use")
    p.add_argument("--strict", action="store_true", help="fail on warnings, before anything is written")
    p.add_argument("generator", nargs=argparse.REMAINDER, help="-- and the generator's build command")
    p.set_defaults(func=_build)

    p = sub.add_parser("schema", help="print the program JSON Schema, or the agreements file's (--write updates the shipped copies)")
    p.add_argument("kind", nargs="?", choices=("program", "agreements"), default="program")
    p.add_argument("--write", action="store_true")
    p.add_argument("--floor", action="store_true", help="the floor file's schema (programs/_floor.yml) instead")
    p.set_defaults(func=_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "action", None) in ("reissue", "revoke") and not args.reader:
        parser.error(f"keys {args.action} needs a reader id")
    try:
        return args.func(args)
    except InputError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except AccessError as exc:
        print(f"lchc-gen: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
