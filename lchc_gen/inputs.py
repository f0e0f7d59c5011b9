"""Every input a build reads, loaded and checked in one place, without MkDocs.

The MkDocs plugin (``on_pre_build``, which ``lchc-gen build`` runs too) and ``lchc-gen validate``
both call ``load_inputs``, so validate finds exactly the problems a build stops on: programs,
the keystore's place and keys, the survey (questionnaire, organisation, every cycle's responses),
feedback files and attendance (with the warnings of feedback/checks.py), and raw inputs that
docs_dir would publish.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Callable, Mapping

from .access.cache import cached_scores, open_cache
from .access.keystore import (
    Keystore,
    check_git_history,
    check_kdf_floor,
    check_keystore_location,
    load_keystore,
    publication_fingerprint,
    resolve_keystore_path,
)
from .disclosure.published import PublicationRecord, record_path
from .docs_reach import DocsReach
from .feedback.gaps import gap_program_problems
from .feedback.link import settle_link
from .feedback.loop import Loop, load_loop
from .feedback.model import FeedbackInputs
from .memo import Memo, digest
from .problems import InputError, Problem
from .programs.load import LoadedProgram, load_programs
from .reports.pages import prepare_reports
from .site.options import PluginOptions, SiteConfig
from .project import feedback_inputs, plugin_options, read_config, survey_inputs
from .survey import Scores, SurveyInputs, compute_scores, load_survey
from .yamlsrc import Source

Progress = Callable[[str], None]

DEMO_KEYSTORE = (
    "this is a demo keystore (made by `lchc-gen keys demo`): its passphrases are published, so anyone "
    "can read every report. Issue real ones into a new keystore (`lchc-gen keys issue --keystore "
    "<new path>`), or, for the demo site only, set the plugin's `allow_demo_keystore: true`"
)


@dataclass(frozen=True)
class Settings:
    """What decides which inputs a build reads: the plugin's options and the site's folders."""

    root: Path  # the folder of mkdocs.yml; relative input paths start here
    config_file: Path | None  # mkdocs.yml: its lines name the place of option problems
    docs_dir: Path
    site_dir: Path
    programs_dir: str = "programs"
    keystore: Path | None = None
    survey: bool = False  # the plugin has a `survey` section
    feedback: bool = False  # ... and a `feedback` section
    reports_plaintext_preview: bool = False
    allow_demo_keystore: bool = False
    strict: bool = False
    today: dt.date | None = None  # the plugin's `today`: feedback scores and the LCHC link as of this day
    cache: bool = False  # a build: scores kept in the encrypted cache beside the keystore (access/cache.py)

    @classmethod
    def of(cls, config: SiteConfig, options: PluginOptions, env: Mapping[str, str] = os.environ) -> Settings:
        """The settings of a build (the core site's, under any generator)."""
        return cls(
            root=config.root,
            config_file=config.config_file,
            docs_dir=config.docs_dir,
            site_dir=config.site_dir,
            programs_dir=options.programs_dir,
            keystore=resolve_keystore_path(options.keystore, env, config.root),
            survey=options.survey is not None,
            feedback=options.feedback is not None,
            reports_plaintext_preview=options.reports_plaintext_preview,
            allow_demo_keystore=options.allow_demo_keystore,
            strict=config.strict,
            today=options.today_date(),
            cache=True,
        )

    @classmethod
    def from_config(cls, config_file: Path, *, strict: bool = False, env: Mapping[str, str] = os.environ) -> Settings:
        """The settings a build of this mkdocs.yml uses (the plugin's defaults where it says
        nothing); lenient, so that `validate` reports the inputs' problems whatever else is odd."""
        source = read_config(config_file)
        options, loc = plugin_options(source)
        data: dict[str, Any] = source.data if isinstance(source.data, dict) else {}
        root = config_file.resolve().parent
        return cls(
            root=root,
            config_file=config_file,
            docs_dir=root / str(data.get("docs_dir") or "docs"),
            site_dir=root / str(data.get("site_dir") or "site"),
            programs_dir=str(options.get("programs_dir") or PluginOptions().programs_dir),
            keystore=resolve_keystore_path(options.get("keystore"), env, root),
            survey=options.get("survey") is not None,
            feedback=options.get("feedback") is not None,
            reports_plaintext_preview=bool(options.get("reports_plaintext_preview")),
            allow_demo_keystore=bool(options.get("allow_demo_keystore")),
            strict=strict,
            today=_option_date(source, options, loc, "today"),
        )

    def path(self, value: str) -> Path:
        p = Path(value)
        return p if p.is_absolute() else self.root / p


@dataclass
class Inputs:
    """Everything loaded, and what the build should say about it."""

    programs: list[LoadedProgram] = field(default_factory=list)
    keystore: Keystore | None = None
    keystore_key: str = ""  # changes whenever the keystore file does (serve's memos)
    scores: Scores | None = None
    survey_key: str = ""
    loop: Loop | None = None  # learner feedback and the LCHC link
    notes: list[str] = field(default_factory=list)  # information (dropped duplicates, ignored columns)
    warnings: list[str] = field(default_factory=list)  # --strict fails on these
    record: PublicationRecord | None = None  # what earlier builds published; saved once the site is written
    survey_files: int = 0  # how many survey files were read (for validate's summary)


def load_inputs(settings: Settings, *, survey_memo: Memo[Scores] | None = None, progress: Progress | None = None) -> Inputs:
    """Load and check every input; every problem in every file is raised together as InputError."""
    say = progress or (lambda message: None)
    out = Inputs()
    problems: list[Problem] = []
    say(f"reading the program files in {settings.programs_dir}/ ...")
    try:
        out.programs = load_programs(settings.path(settings.programs_dir), settings.root)
    except InputError as exc:
        problems += exc.problems
    private = settings.survey or settings.feedback
    # Every file docs_dir reaches, links followed: no raw input may be among them.
    reach = DocsReach.walk(settings.docs_dir) if private or settings.keystore is not None else None
    problems += _keystore(settings, reach, private, out)
    source, options, loc = None, {}, ()
    if private and settings.config_file is not None:
        try:
            source = read_config(settings.config_file)
            options, loc = plugin_options(source)
        except InputError as exc:
            problems += exc.problems
    if settings.survey and source is not None:
        problems += _survey(settings, source, options, loc, reach, survey_memo, say, out)
    if settings.feedback and source is not None and not problems:  # checked against valid programs
        problems += _feedback(settings, source, options, loc, reach, say, out)
    if out.scores is not None and not problems:
        problems += gap_program_problems(out.scores, out.programs)
    if problems:
        raise InputError(problems)
    return out


def _keystore(settings: Settings, reach: DocsReach | None, private: bool, out: Inputs) -> list[Problem]:
    """The keystore's place (never published, never committed), its keys' cost, the demo's."""
    path = settings.keystore
    if path is None or reach is None:
        return []
    exposed = _keystore_reached(reach, path)
    if exposed is not None:
        return [exposed]
    if not private or settings.reports_plaintext_preview:
        return []
    # git finds the keystore's own work tree
    misplaced = check_keystore_location(path, settings.docs_dir, None, site_dir=settings.site_dir)
    if misplaced:
        return [misplaced]
    try:
        keystore = load_keystore(path)
    except InputError as exc:
        return list(exc.problems)
    problems = [p for p in (check_kdf_floor(keystore, path), check_git_history(keystore, path, [settings.root])) if p]
    if keystore.demo:
        # Its passphrases are published: say so on every build, and let a strict build through
        # only on a site that declares itself the demo.
        if settings.allow_demo_keystore:
            out.notes.append("the keystore is the demo one (allow_demo_keystore): its passphrases are published")
        elif settings.strict:
            problems.append(Problem(path=str(path), line=0, field="keystore", message=DEMO_KEYSTORE))
        else:
            out.warnings.append(f"{path}: {DEMO_KEYSTORE}")
    out.keystore, out.keystore_key = keystore, publication_fingerprint(keystore)
    return problems


def _survey(
    settings: Settings, source: Source, options: dict, loc: tuple, reach: DocsReach | None,
    memo: Memo[Scores] | None, say: Progress, out: Inputs,
) -> list[Problem]:
    try:
        inputs = survey_inputs(source, options, loc)
    except InputError as exc:
        return list(exc.problems)
    if inputs is None:
        return []
    inside = _survey_inside_docs(inputs, settings.root, reach) if reach is not None else []
    if inside:
        return [source.problem((*loc, "survey", *at), msg) for at, msg in inside]
    files = [inputs.questionnaire, inputs.organisation, *(c.responses for c in inputs.cycles),
             *(f for f in (inputs.actions, inputs.gaps) if f)]
    files += [inputs.agreements.path] if inputs.agreements is not None else []
    out.survey_files = len(files)
    out.survey_key = digest([settings.root / f for f in files], inputs.model_dump_json())
    memo = memo if memo is not None else Memo()
    hits = memo.hits
    started = time.monotonic()
    say(f"reading the survey: {_sizes(settings.root, files)} ...")
    compute: Callable[[], Scores] = lambda: compute_scores(load_survey(inputs, settings.root))
    if settings.cache and out.keystore is not None and settings.keystore is not None:
        folder, key, notes = open_cache(settings.keystore, out.keystore, settings.docs_dir, settings.site_dir)
        out.notes += notes
        if folder is not None:
            scored = compute  # with every team report and its digest made, so that the cache keeps them
            compute = partial(cached_scores, folder, key, out.survey_key, lambda: prepare_reports(scored()), out.notes)
    try:
        out.scores = memo.get(out.survey_key, compute)
    except InputError as exc:
        say(f"  survey read in {time.monotonic() - started:.1f} s: {len(exc.problems)} problems")
        return list(exc.problems)
    if memo.hits > hits:
        out.notes.append("survey files unchanged since the last build: scores reused")
    else:
        say(f"  survey read and scored in {time.monotonic() - started:.1f} s")
    out.notes += out.scores.data.notes
    return []


def _feedback(
    settings: Settings, source: Source, options: dict, loc: tuple, reach: DocsReach | None, say: Progress, out: Inputs,
) -> list[Problem]:
    try:
        inputs = feedback_inputs(source, options, loc)
    except InputError as exc:
        return list(exc.problems)
    if inputs is None:
        return []
    inside = _inside_docs(inputs, settings.root, reach) if reach is not None else []
    if inside:
        return [source.problem((*loc, "feedback", *at), msg) for at, msg in inside]
    files = [f.path for f in inputs.files] + ([inputs.lchc_link.attendance] if inputs.lchc_link else [])
    files += [f.path for f in inputs.observations]
    files += [p for r in inputs.reach for p in (r.roster, r.attendance) if p]
    started = time.monotonic()
    say(f"reading the feedback: {_sizes(settings.root, files)} ...")
    try:
        out.loop = load_loop(inputs, out.programs, settings.root, out.scores, source, loc, settings.today)
    except InputError as exc:
        say(f"  feedback read in {time.monotonic() - started:.1f} s: {len(exc.problems)} problems")
        return list(exc.problems)
    say(f"  feedback read and scored in {time.monotonic() - started:.1f} s")
    out.notes += out.loop.notes
    out.warnings += out.loop.warnings  # answers a page would report untruly (feedback/checks.py)
    return _settle_link(settings, out, settings.today or dt.date.today())


def _settle_link(settings: Settings, out: Inputs, today: dt.date) -> list[Problem]:
    """The LCHC link as the record of earlier publications allows (see disclosure/published).
    Only with a keystore: without one, the admin view that shows the link is not published."""
    loop = out.loop
    if loop is None or not loop.link or loop.inputs.lchc_link is None or out.keystore is None or settings.keystore is None:
        return []
    path = record_path(settings.keystore)
    misplaced = check_keystore_location(path, settings.docs_dir, None, site_dir=settings.site_dir, what="publication record")
    if misplaced:
        return [misplaced]
    try:
        out.record = PublicationRecord.load(path)
    except InputError as exc:
        return list(exc.problems)
    loop.link = settle_link(loop.link, out.record, loop.inputs.lchc_link.program, today)
    return []


def _option_date(source: Source, options: Mapping[str, Any], loc: tuple, name: str) -> dt.date | None:
    """A YYYY-MM-DD plugin option of mkdocs.yml, or None where it says nothing."""
    value = options.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError([source.problem((*loc, name), f"{value!r} is not a date (YYYY-MM-DD)")]) from None


def _sizes(root: Path, files: list[str]) -> str:
    """"3 files, 1.2 MiB" (what is about to be read, so a long wait has a reason)."""
    size = 0
    for f in files:
        try:
            size += (root / f).stat().st_size
        except OSError:
            pass  # the loader names a missing file
    shown = f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{max(1, round(size / 2**10))} KiB"
    return f"{len(files)} file{'s' if len(files) != 1 else ''}, {shown}"


def _inside_docs(inputs: FeedbackInputs, root: Path, reach: DocsReach) -> list[tuple[tuple, str]]:
    """Feedback, attendance and observation files that docs_dir reaches would be copied into site/ as they are, comments and all."""
    paths = [(("files", i, "path"), f.path) for i, f in enumerate(inputs.files)]
    if inputs.lchc_link is not None:
        paths.append((("lchc_link", "attendance"), inputs.lchc_link.attendance))
    paths += [(("observations", i, "path"), f.path) for i, f in enumerate(inputs.observations)]  # managers' answers
    for i, r in enumerate(inputs.reach):  # names of people on a roster, and who attended
        paths += [(("reach", i, field), value) for field, value in (("roster", r.roster), ("attendance", r.attendance)) if value]
    return _published_as_is(paths, root, reach, "comments and all")


def _survey_inside_docs(inputs: SurveyInputs, root: Path, reach: DocsReach) -> list[tuple[tuple, str]]:
    """The organisation file (names, emails), raw answers and the teams' agreements would be copied into site/ as they are.
    The questionnaire is not private: its questions are printed in every report anyway."""
    paths = [(("organisation",), inputs.organisation)]
    paths += [(("cycles", i, "responses"), c.responses) for i, c in enumerate(inputs.cycles)]
    if inputs.agreements is not None:  # what teams agreed and how it went: for the reports' readers only
        paths.append((("agreements", "path"), inputs.agreements.path))
    return _published_as_is(paths, root, reach, "names, answers and agreements")


def _published_as_is(paths: list[tuple[tuple, str]], root: Path, reach: DocsReach, what: str) -> list[tuple[tuple, str]]:
    out = []
    for at, value in paths:
        how = reach.how(root / value)
        if how is not None:
            out.append((at, f"{value} {how}, so the site would publish it as it is ({what}): keep it out of docs_dir, links included"))
    return out


def _keystore_reached(reach: DocsReach, path: Path) -> Problem | None:
    """A keystore docs_dir reaches would be published, every reader's key with it."""
    how = reach.how(path) if path.exists() else None
    if how is None:
        return None
    return Problem(
        path=str(path), line=0, field="keystore",
        message=f"the keystore {how}, so the site would publish it and every reader's key: keep it out of docs_dir, links included",
    )
