"""Resource limits (lchc_gen/limits.py): a small hostile file is a problem naming the file and
its line or sheet, within seconds and modest memory, never a traceback or a hang. Each test
bounds its own time (a subprocess timeout, or `within`)."""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from lchc_gen import limits
from lchc_gen.feedback.load import load_feedback
from lchc_gen.problems import InputError
from lchc_gen.programs.load import load_programs
from lchc_gen.programs.workbook import SESSIONS_SHEET, _shape, session_columns
from lchc_gen.project import feedback_inputs, read_config, survey_inputs
from lchc_gen.survey.load import load_survey
from lchc_gen.tabular import read as tabular_read
from lchc_gen.tabular.read import read_grid

from .conftest import REPO, write, within
from .hostile_shapes import RECURSIVE_ALIAS, billion_laughs, billion_laughs_document, dimension_bomb, nested
from .tabular.exports import FIXTURES, PROGRAM, project

MEMORY_CAP = 1024 * 2**20  # address space of the CLI process: the bomb took 2.8 GB before


LCHC_GEN = "import sys; from lchc_gen.cli import main; sys.exit(main(sys.argv[1:]))"


def _cli(root: Path, *args: str, timeout: float = 60) -> tuple[str, float]:
    """`lchc-gen ARGS` in `root`, in a process capped in time and memory: its output and seconds."""
    return _run(root, ["-c", LCHC_GEN, *args], timeout)


def _run(root: Path, args: list[str], timeout: float) -> tuple[str, float]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    start = time.monotonic()
    done = subprocess.run([sys.executable, *args], cwd=root, capture_output=True, text=True, timeout=timeout, preexec_fn=cap)
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output[-2000:]
    assert done.returncode == 1, output[-2000:]
    return output, time.monotonic() - start


def _problems(call) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        call()
    return [str(p) for p in caught.value.problems]


# --- YAML ------------------------------------------------------------------------------


def test_an_alias_bomb_in_a_program_file_is_a_problem_within_seconds(make_site) -> None:
    bomb = billion_laughs_document()
    assert len(bomb) < 600  # 9 levels of 9 aliases: 387 million values from a few hundred bytes
    root = make_site(programs={"bomb.yml": bomb})
    output, seconds = _cli(root, "validate", "--today", "2027-01-01")
    assert re.search(r"programs/bomb\.yml:[5-9]: \(yaml\): aliases expand to more than 100,000 values", output), output
    assert seconds < 30


def test_an_alias_bomb_in_mkdocs_yml_is_a_problem_within_seconds(make_site) -> None:
    root = make_site(copy_demo=True)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "extra:\n  lol: " + billion_laughs() + "\n")
    line = len(config.read_text().splitlines())
    output, seconds = _cli(root, "validate", "--today", "2027-01-01")
    assert f"mkdocs.yml:{line}: (yaml): aliases expand to more than 100,000 values" in output, output
    assert seconds < 30


def test_an_alias_bomb_in_mkdocs_yml_stops_mkdocs_build_within_seconds(make_site) -> None:
    """MkDocs reads mkdocs.yml itself and logs the repr of every value before any plugin event
    (a MemoryError after 43 s); the plugin checks the file while its options are validated."""
    root = make_site()
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "extra:\n  lol: " + billion_laughs() + "\n")
    line = len(config.read_text().splitlines())
    output, seconds = _run(root, ["-m", "mkdocs", "build"], 90)
    assert f"mkdocs.yml:{line}: (yaml): aliases expand to more than 100,000 values" in output, output[-2000:]
    assert not (root / "site").exists() and seconds < 60


def test_a_recursive_alias_is_a_problem(make_site, tmp_path: Path) -> None:
    root = make_site(programs={"rec.yml": f"id: {RECURSIVE_ALIAS}\n"})
    with within(10):
        found = _problems(lambda: load_programs(root / "programs", root))
    assert found == ["programs/rec.yml:1: (yaml): an alias refers to a value that contains it (a recursive alias); the guide lists the limits"]
    config = write(tmp_path / "mkdocs.yml", f"site_name: x\nextra:\n  loop: &l {{again: *l}}\n")
    with within(10):
        found = _problems(lambda: read_config(config))
    assert len(found) == 1 and found[0].startswith("mkdocs.yml:3: (yaml): an alias refers to a value that contains it")


def test_many_aliases_are_a_problem_but_a_few_are_fine(make_site) -> None:
    many = "x: &x 1\nuses: [" + ", ".join(["*x"] * (limits.YAML_MAX_ALIASES + 1)) + "]\n"
    root = make_site(programs={"many.yml": many})
    with within(10):
        found = _problems(lambda: load_programs(root / "programs", root))
    assert found == ["programs/many.yml:2: (yaml): more than 1,000 aliases (*name) in one file; the guide lists the limits"]
    demo = (REPO / "programs" / "sales-discovery-calls.yml").read_text()
    few = demo.replace("timezone: Europe/Berlin", "timezone: &zone Europe/Berlin", 1) + "x-note: *zone\n"
    (root / "programs" / "many.yml").write_text(few)
    found = _problems(lambda: load_programs(root / "programs", root))
    assert all("alias" not in p for p in found) and any("x-note" in p for p in found)  # the model's own check


@pytest.mark.parametrize("levels", [limits.YAML_MAX_DEPTH + 1, 990])  # 990: below libyaml's own limit, past Python's recursion
def test_deep_nesting_is_a_problem(make_site, levels: int) -> None:
    root = make_site(programs={"deep.yml": nested(levels)})
    with within(10):
        found = _problems(lambda: load_programs(root / "programs", root))
    assert found == [f"programs/deep.yml:{limits.YAML_MAX_DEPTH + 1}: (yaml): nested deeper than 50 levels; the guide lists the limits"]


def test_an_oversized_program_file_is_a_problem(make_site) -> None:
    root = make_site(copy_demo=True)
    big = root / "programs" / "big.yml"
    big.write_text((REPO / "programs" / "safety-refresher.yml").read_text().replace("id: safety-refresher", "id: big", 1)
                   + "# " + "x" * limits.PROGRAM_FILE_BYTES + "\n")
    found = _problems(lambda: load_programs(root / "programs", root))
    assert found == ["programs/big.yml:1: (file): the file is larger than 1 MiB, the limit for a program file"]


def test_the_organisation_and_questionnaire_are_read_within_limits(tmp_path: Path) -> None:
    root = project(tmp_path / "p", survey_tools=["native"])
    org = root / "org.yml"
    org.write_text(org.read_text() + "x-lol: " + billion_laughs() + "\n")
    bomb_line = len(org.read_text().splitlines())
    questionnaire = root / "lchc.yml"
    questionnaire.write_text(questionnaire.read_text() + "#" * limits.QUESTIONNAIRE_FILE_BYTES)
    with within(20):
        found = _problems(lambda: load_survey(survey_inputs(read_config(root / "mkdocs.yml")), root))
    assert "lchc.yml:1: (file): the file is larger than 1 MiB, the limit for a questionnaire" in found
    assert f"org.yml:{bomb_line}: (yaml): aliases expand to more than 100,000 values; the guide lists the limits" in found


# --- tables ----------------------------------------------------------------------------


def test_oversized_responses_and_feedback_files_are_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Writing 256 MiB would only slow the suite: the limits are lowered to 512 bytes instead.
    monkeypatch.setattr(limits, "RESPONSES", limits.TableLimits("a responses file", 512, 10))
    monkeypatch.setattr(limits, "FEEDBACK", limits.TableLimits("a feedback file", 512, 10))
    root = project(tmp_path / "p", survey_tools=["native", "microsoft-forms"], feedback_tools=["native", "microsoft-forms"])
    source = read_config(root / "mkdocs.yml")
    found = _problems(lambda: load_survey(survey_inputs(source), root))
    assert found == ["microsoft-forms.xlsx:1:(file): the file is larger than 512 bytes, the limit for a responses file",
                     "native.csv:1:(file): the file is larger than 512 bytes, the limit for a responses file"]
    programs = load_programs(root / "programs", root)
    found = _problems(lambda: load_feedback(feedback_inputs(source), programs, root))
    assert found == ["feedback-microsoft-forms.xlsx:1:(file): the file is larger than 512 bytes, the limit for a feedback file",
                     "feedback-native.csv:1:(file): the file is larger than 512 bytes, the limit for a feedback file"]


def test_a_declared_dimension_is_not_trusted(tmp_path: Path) -> None:
    """A few kilobytes declaring A1:XFD1048576 took openpyxl about 37 minutes; read row by row
    without the declared size, the same cells come back at once."""
    source = FIXTURES / "feedback-microsoft-forms.xlsx"
    bomb = tmp_path / "bomb.xlsx"
    dimension_bomb(source, bomb, far_row=200_000)  # within the feedback file's row limit
    assert bomb.stat().st_size < 10_000
    with within(10):
        plain = read_grid(source, "f.xlsx", [], None, limits.FEEDBACK)
        grid = read_grid(bomb, "f.xlsx", [], None, limits.FEEDBACK)
    assert plain is not None and grid is not None and len(plain.rows) > 5
    assert grid.rows == [*plain.rows, (200_000, ["far"])]


def test_a_dimension_bomb_past_the_row_limit_is_a_problem_naming_file_and_sheet(tmp_path: Path) -> None:
    root = project(tmp_path / "p", feedback_tools=["microsoft-forms"])
    path = root / "feedback-microsoft-forms.xlsx"
    dimension_bomb(FIXTURES / path.name, path)
    programs = load_programs(root / "programs", root)
    with within(20):
        found = _problems(lambda: load_feedback(feedback_inputs(read_config(root / "mkdocs.yml")), programs, root))
    assert found == ["feedback-microsoft-forms.xlsx:Sheet1:500001:(sheet): the sheet goes on past row 500,000, the limit for a feedback file"]


def _sessions_workbook(path: Path, rows: int) -> None:
    book = Workbook(write_only=True)
    ws = book.create_sheet(SESSIONS_SHEET)
    ws.append([c for c, _ in session_columns()])
    for i in range(rows):
        ws.append([PROGRAM, f"s{i}", "One session"])
    book.save(path)


def test_a_workbook_over_the_row_limit_is_a_problem_naming_file_and_sheet(make_site) -> None:
    root = make_site(programs={f"{PROGRAM}.yml": (FIXTURES / "program.yml").read_text()})
    _sessions_workbook(root / "book.xlsx", limits.PROGRAMS_WORKBOOK_MAX_ROWS)  # the header is the 10,001st row
    output, seconds = _cli(root, "programs", "import", "book.xlsx", "--out", "imported")
    assert "book.xlsx:Sessions:10001:(sheet): the sheet goes on past row 10,000, the limit for a programs workbook" in output, output
    assert not (root / "imported").exists() and seconds < 60


def test_a_row_past_the_column_limit_is_a_problem(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "Form1"
    ws.append(["team", "respondent"])
    ws.cell(row=2, column=limits.SHEET_MAX_COLUMNS + 1, value="far right")
    book.save(tmp_path / "wide.xlsx")
    problems: list = []
    with within(10):
        assert read_grid(tmp_path / "wide.xlsx", "wide.xlsx", problems, None, limits.RESPONSES) is None
    assert [str(p) for p in problems] == ["wide.xlsx:Form1:2:(sheet): the row has cells past column 1,000, the limit for a responses file"]


def test_a_workbook_that_unpacks_too_far_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular_read, "WORKBOOK_UNPACKED_BYTES", 20 * limits.KIB)  # instead of a gigabyte of zeros
    shutil.copy(FIXTURES / "microsoft-forms.xlsx", tmp_path / "r.xlsx")
    problems: list = []
    assert read_grid(tmp_path / "r.xlsx", "r.xlsx", problems, None, limits.RESPONSES) is None
    assert [str(p) for p in problems] == ["r.xlsx:1:(file): the workbook unpacks to more than 20 KiB, the limit for a workbook"]


def test_an_alias_bomb_in_a_workbook_cell_is_a_problem(make_site) -> None:
    root = make_site(programs={f"{PROGRAM}.yml": (FIXTURES / "program.yml").read_text()})
    columns = [c for c, _ in session_columns()]
    nested_column = next(c for c in columns if _shape(c) == "nested")
    book = Workbook()
    ws = book.active
    ws.title = SESSIONS_SHEET
    ws.append(columns)
    ws.append([PROGRAM if c == "program" else billion_laughs() if c == nested_column else None for c in columns])
    book.save(root / "book.xlsx")
    output, seconds = _cli(root, "programs", "import", "book.xlsx", "--out", "imported")
    assert f"book.xlsx:Sessions:2:{nested_column}: not a YAML list: aliases expand to more than 100,000 values" in output, output
    assert seconds < 30
