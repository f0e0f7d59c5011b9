"""Benchmark: a full `mkdocs build` of our site against plain MkDocs + Material.

    python benchmarks/build_bench.py                      # N = 100, 1,000 and 5,000 teams
    python benchmarks/build_bench.py --teams 1000 --runs 7

For each N it prepares two sites in a temporary folder and builds them in turn (ours,
baseline, ours, baseline, ...), each build a separate `python -m mkdocs build` process:

- ours: the demo programs, N teams x C cycles of synthetic survey data (`lchc-gen
  demo-data`) and a keystore with a key for every manager and admin, so every report is
  encrypted. The keystore's KDF cost does not matter here: the build never runs the KDF,
  so random keys stand in for derived ones (recorded at the 600,000 iterations the build
  requires), to be quick to make.
- baseline: MkDocs + Material with the same theme settings and the same pages as
  ready-written Markdown (the programs' pages and every report in plaintext, written by
  the core), reports kept out of the nav. No lchc plugin.
  With `--baseline simple`: as many simple pages of one 12-row table each, out of the nav.

Every build of ours starts from nothing: the build cache beside the keystore is removed first
(a build with it is what `mkdocs build` costs after an edit; see the README).

It prints the median wall time of each, the median of the per-pair ratios (ours /
baseline) and each build's peak memory (maximum resident set size of the process).

The sites are prepared in a separate process, and this one imports nothing heavy: on Linux a
child's peak memory counts what its parent held when it forked, so a parent holding the
prepared data would inflate every build's figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
THEME = {"name": "material", "font": False, "features": ["navigation.instant", "navigation.sections"]}
TODAY = "2027-01-01"


@dataclass
class Run:
    wall: float
    peak_mib: float


def _write_yaml(path: Path, data: dict) -> None:
    import yaml

    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def prepare(root: Path, teams: int, cycles: int, seed: int, baseline: str = "reports") -> tuple[Path, Path, int]:
    """Write both sites; return their mkdocs.yml paths and the number of report pages."""
    from lchc_gen.access.crypto import MIN_ITERATIONS, random_key, random_salt
    from lchc_gen.access.keystore import Keystore, ReaderKey, opaque_id, save_keystore
    from lchc_gen.programs.load import load_programs
    from lchc_gen.programs.pages import PageOptions, build_program_files
    from lchc_gen.render import make_env
    from lchc_gen.reports.pages import DEFAULT_REFLECTION, ReportOptions, build_report_pages
    from lchc_gen.survey import compute_scores, load_survey
    from lchc_gen.survey.demo import generate
    from lchc_gen.survey.model import SurveyInputs

    ours, base = root / "ours", root / "baseline"
    for site in (ours, base):
        (site / "content").mkdir(parents=True)
        (site / "content" / "index.md").write_text("# Learning & Development\n\nBenchmark site.\n", encoding="utf-8")
    shutil.copytree(REPO / "programs", ours / "programs")
    inputs = generate(ours / "survey", teams=teams, cycles=cycles, seed=seed)
    survey = {
        "questionnaire": f"survey/{inputs.questionnaire}",
        "organisation": f"survey/{inputs.organisation}",
        "cycles": [{"id": c.id, "label": c.label, "responses": f"survey/{c.responses}"} for c in inputs.cycles],
    }
    _write_yaml(ours / "mkdocs.yml", {
        "site_name": "Benchmark", "site_url": "https://learning.example.org/", "docs_dir": "content",
        "theme": THEME,
        "plugins": ["search", {"lchc": {"programs_dir": "programs", "today": TODAY, "survey": survey,
                                        "keystore": "secrets/keystore.json"}}],
    })
    # The core, driven directly, writes the same pages as ready-written Markdown for the baseline.
    data = load_survey(SurveyInputs.model_validate(survey), ours)
    scores = compute_scores(data)
    readers = sorted({t.manager for t in data.organisation.teams} | set(data.organisation.admins))
    (ours / "secrets").mkdir()
    keystore = Keystore(id_key=random_key(), readers={  # see the module docstring: the build never derives keys
        r: ReaderKey(salt=random_salt(), iterations=MIN_ITERATIONS, kek=random_key(), issued="2026-01-01T00:00:00Z")
        for r in readers
    })
    save_keystore(ours / "secrets" / "keystore.json", keystore)
    env = make_env(REPO / "templates")
    programs = load_programs(ours / "programs", ours)
    opts = PageOptions(prefix="programs", use_directory_urls=True, today=dt.date.fromisoformat(TODAY))
    report_opts = ReportOptions(use_directory_urls=True, reflection=dict(DEFAULT_REFLECTION),
                                opaque=lambda name: opaque_id(keystore, "baseline", name))
    files = {g.path: g.content for g in build_program_files(programs, env, opts)}
    reports = build_report_pages(scores, env, report_opts)
    if baseline == "simple":  # one small table a page, in place of each report
        files = {r.src: _simple_page(i) for i, r in enumerate(reports)}
    else:  # a report as a ready-written page: its HTML is its Markdown, kept out of search like ours
        files |= {r.src: f"---\ntitle: Team report\nsearch:\n  exclude: true\n---\n\n{r.html}" for r in reports}
    for path, content in files.items():
        target = base / "content" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    _write_yaml(base / "mkdocs.yml", {
        "site_name": "Benchmark", "site_url": "https://learning.example.org/", "docs_dir": "content",
        "theme": THEME, "plugins": ["search"],
        "not_in_nav": "\n".join(sorted({"/" + r.src.rsplit("/", 1)[0] + "/" for r in reports})),
    })
    return ours / "mkdocs.yml", base / "mkdocs.yml", len(reports)


def _simple_page(i: int) -> str:
    rows = "".join(f"| q{q:02d} | {1 + (i * 7 + q * 3) % 40 / 10:.2f} | {1 + (i + q) % 5} |\n" for q in range(1, 13))
    return f"# Team {i:05d}\n\n| Question | Team mean | Self |\n| --- | ---: | ---: |\n{rows}"


def build(config: Path) -> Run:
    """One `mkdocs build` in its own process: wall time and peak resident memory."""
    site = config.parent / "site"
    shutil.rmtree(config.parent / "secrets" / "keystore.json.lchc-cache", ignore_errors=True)  # from nothing
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
        cwd=config.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"mkdocs build failed for {config}:\n{stderr}")
    return Run(wall, usage.ru_maxrss / 1024)  # Linux reports KiB


def site_size_mib(config: Path) -> float:
    site = config.parent / "site"
    return sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 2**20


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--cycles", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3, help="timed builds of each site per N (default: 3)")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--baseline", choices=["reports", "simple"], default="reports",
                        help="the baseline's pages: the reports as ready-written pages, or simple one-table pages")
    parser.add_argument("--keep", type=Path, help="prepare the sites here and keep them (default: a temporary folder)")
    parser.add_argument("--prepare-only", type=Path, help=argparse.SUPPRESS)  # the child process's job
    args = parser.parse_args(argv)
    if args.prepare_only:
        _, _, reports = prepare(args.prepare_only, args.teams[0], args.cycles, args.seed, args.baseline)
        print(reports)
        return

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for teams in args.teams:
            root = (args.keep or Path(tmp)) / f"n{teams}"
            if root.exists():
                shutil.rmtree(root)
            print(f"N = {teams}: preparing both sites ...", file=sys.stderr, flush=True)
            out = subprocess.run(
                [sys.executable, __file__, "--prepare-only", str(root), "--teams", str(teams),
                 "--cycles", str(args.cycles), "--seed", str(args.seed), "--baseline", args.baseline],
                check=True, capture_output=True, text=True,
            ).stdout
            ours, base, reports = root / "ours" / "mkdocs.yml", root / "baseline" / "mkdocs.yml", int(out.split()[-1])
            build(ours), build(base)  # warm-up: file caches, .pyc files
            pairs: list[tuple[Run, Run]] = []
            for i in range(args.runs):
                pairs.append((build(ours), build(base)))
                a, b = pairs[-1]
                print(f"  run {i + 1}/{args.runs}: ours {a.wall:.2f} s, baseline {b.wall:.2f} s", file=sys.stderr, flush=True)
            rows.append((
                teams, reports,
                statistics.median(a.wall for a, _ in pairs), statistics.median(b.wall for _, b in pairs),
                statistics.median(a.wall / b.wall for a, b in pairs),
                statistics.median(a.peak_mib for a, _ in pairs), statistics.median(b.peak_mib for _, b in pairs),
                site_size_mib(ours), site_size_mib(base),
            ))
    print(f"\n{args.cycles} cycles, median of {args.runs} builds of each site, run in turn:\n")
    print("| teams | reports | ours (s) | baseline (s) | ratio | peak memory ours / baseline (MiB) | site/ ours / baseline (MiB) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for teams, reports, a, b, ratio, ma, mb, sa, sb in rows:
        print(f"| {teams:,} | {reports:,} | {a:.2f} | {b:.2f} | {ratio:.2f} | {ma:.0f} / {mb:.0f} | {sa:.0f} / {sb:.0f} |")


if __name__ == "__main__":
    main()
