"""Bad feedback files fail with file:row:column, every problem in one run, before site/ is touched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from lchc_gen.feedback.load import load_feedback
from lchc_gen.feedback.model import FeedbackInputs
from lchc_gen.problems import InputError
from lchc_gen.programs.load import load_programs
from tests.conftest import REPO, build_site, write


@pytest.fixture(scope="module")
def programs():
    return load_programs(REPO / "programs", REPO)


BAD = """\
program,session,respondent,submitted_at,nps,obj:know-question-types,comment
sales-discovery-calls,tuesday-practice,r1,2026-01-01T10:00:00,11,3,fine
no-such-program,,r2,,9,,
sales-discovery-calls,no-such-session,r3,,9,,
sales-discovery-calls,tuesday-practice@2027-10-13,r4,,9,,
sales-discovery-calls,,r5,yesterday,nine,6,
support-onboarding,,r6,,9,4,
"""


def test_every_problem_named_by_file_row_and_column(tmp_path: Path, programs) -> None:
    write(tmp_path / "feedback" / "bad.csv", BAD)
    write(tmp_path / "feedback" / "header.csv", "program,nps,obj:no-such-objective\nsales-discovery-calls,9,1\n")
    inputs = FeedbackInputs(files=[{"path": "feedback/bad.csv", "run": "A"}, {"path": "feedback/header.csv", "run": "B"},
                                   {"path": "feedback/missing.csv", "run": "C"}])
    with pytest.raises(InputError) as caught:
        load_feedback(inputs, programs, tmp_path)
    found = [str(p) for p in caught.value.problems]
    expected = [
        "feedback/bad.csv:2:nps: value '11' is not a whole number from 0 to 10",
        "feedback/bad.csv:3:program: unknown program 'no-such-program'",
        "feedback/bad.csv:4:session: program 'sales-discovery-calls' has no session 'no-such-session'",
        "feedback/bad.csv:5:session: session 'tuesday-practice' has no occurrence on 2027-10-13",
        "feedback/bad.csv:6:submitted_at: not an ISO 8601 timestamp: 'yesterday'",
        "feedback/bad.csv:6:nps: value 'nine' is not a whole number from 0 to 10",
        "feedback/bad.csv:6:obj:know-question-types: value '6' is not a whole number from 1 to 5",
        "feedback/bad.csv:7:obj:know-question-types: program 'support-onboarding' has no objective 'know-question-types'",
        "feedback/header.csv:1:obj:no-such-objective: unknown objective 'no-such-objective'",
        "feedback/missing.csv:1:(file): file not found",
    ]
    for line in expected:
        assert any(f.startswith(line) for f in found), (line, found)
    assert len(found) == len(expected)


def test_a_file_without_program_needs_the_column(tmp_path: Path, programs) -> None:
    write(tmp_path / "f.csv", "nps\n9\n")
    with pytest.raises(InputError, match=r"f\.csv:1:program: no `program` column"):
        load_feedback(FeedbackInputs(files=[{"path": "f.csv", "run": "A"}]), programs, tmp_path)


def test_build_stops_before_site_is_touched(make_site, caplog) -> None:
    root = make_site(copy_demo=True, plugin={"feedback": {"files": [{"path": "fb.csv", "run": "A", "program": "sales-discovery-calls"}]}})
    write(root / "fb.csv", "nps\n9\n")
    site = build_site(root)
    marker = site / "index.html"
    before = marker.read_bytes()
    write(root / "fb.csv", "nps\n12\n")
    with pytest.raises(Abort):
        build_site(root)
    assert "fb.csv:2:nps: value '12' is not a whole number from 0 to 10" in caplog.text
    assert marker.read_bytes() == before


def test_bad_feedback_option_names_mkdocs_yml_line(make_site, caplog) -> None:
    root = make_site(copy_demo=True, plugin={"feedback": {"k_feedback": 2}})
    with pytest.raises(Abort):
        build_site(root)
    assert "lchc.feedback.k_feedback: k_feedback protects respondents and cannot be below 3" in caplog.text


def test_lchc_link_problems_name_the_mkdocs_yml_line(make_site, caplog) -> None:
    from tests.reports.test_reports import SURVEY
    from lchc_gen.survey.demo import generate

    link = {"program": "no-such-program", "attendance": "att.csv", "cycle_dates": {"2026-H1": "2026-03-16"}}
    root = make_site(copy_demo=True, plugin={"survey": SURVEY, "feedback": {"lchc_link": link}})
    generate(root / "survey", teams=12, cycles=2, seed=3)
    with pytest.raises(Abort):
        build_site(root)
    assert re.search(r"mkdocs\.yml:\d+: plugins\[1\]\.lchc\.feedback\.lchc_link\.program: unknown program 'no-such-program'", caplog.text)
    text = (root / "mkdocs.yml").read_text().replace("no-such-program", "leadership-development").replace("2026-H1:", "2031-H1:")
    (root / "mkdocs.yml").write_text(text)
    write(root / "att.csv", "person,session\nnobody,reflection-2026-h2\np00001,no-session\n")
    caplog.clear()
    with pytest.raises(Abort):
        build_site(root)
    assert re.search(r"mkdocs\.yml:\d+: plugins\[1\]\.lchc\.feedback\.lchc_link\.cycle_dates: unknown cycle 2031-H1", caplog.text)
    assert "att.csv:2:person: unknown person 'nobody'" in caplog.text
    assert "att.csv:3:session: program 'leadership-development' has no session 'no-session'" in caplog.text


def test_feedback_files_inside_docs_dir_are_refused(make_site, caplog) -> None:
    root = make_site(copy_demo=True, plugin={"feedback": {"files": [{"path": "content/fb.csv", "run": "A", "program": "sales-discovery-calls"}]}})
    write(root / "content" / "fb.csv", "nps,comment\n9,private words\n")
    with pytest.raises(Abort):
        build_site(root)
    assert re.search(r"mkdocs\.yml:\d+: plugins\[1\]\.lchc\.feedback\.files\[0\]\.path: content/fb\.csv is inside docs_dir", caplog.text)
    assert not (root / "site").exists()


def test_unreadable_files_are_problems_not_crashes(tmp_path: Path, programs) -> None:
    (tmp_path / "nul.csv").write_bytes(b"nps\n9\x00\n")
    (tmp_path / "latin1.csv").write_bytes("nps,comment\n9,caf\xe9\n".encode("latin-1"))
    (tmp_path / "empty.csv").write_bytes(b"")
    files = [{"path": n, "run": n, "program": "sales-discovery-calls"} for n in ("nul.csv", "latin1.csv", "empty.csv")]
    with pytest.raises(InputError) as caught:
        load_feedback(FeedbackInputs(files=files), programs, tmp_path)
    found = sorted(str(p) for p in caught.value.problems)
    assert [f.split(":")[0] for f in found] == ["empty.csv", "latin1.csv", "nul.csv"]
    assert "empty.csv:1:(file): the file is empty" in found[0] and "cannot read" in found[1]
    assert found[2].startswith("nul.csv:2:nps: value")  # a NUL byte is a bad cell, named like any other


def test_validate_checks_the_sites_feedback_files(make_site, monkeypatch, capsys) -> None:
    from lchc_gen.cli import main

    root = make_site(copy_demo=True, plugin={"feedback": {"files": [{"path": "fb.csv", "run": "A", "program": "sales-discovery-calls"}]}})
    write(root / "fb.csv", "nps\n9\n10\n")
    monkeypatch.chdir(root)
    assert main(["validate"]) == 0
    assert ", 1 feedback files (2 submissions), " in capsys.readouterr().out
    write(root / "fb.csv", "nps\n9\n12\n")
    assert main(["validate"]) == 1
    assert "fb.csv:3:nps: value '12' is not a whole number from 0 to 10" in capsys.readouterr().err


def test_rows_that_do_not_fit_the_file(tmp_path: Path, programs) -> None:
    write(tmp_path / "f.csv", "program,nps\nsales-discovery-calls,9\nsupport-onboarding,9\nsales-discovery-calls,9,extra\n")
    with pytest.raises(InputError) as caught:
        load_feedback(FeedbackInputs(files=[{"path": "f.csv", "run": "A", "program": "sales-discovery-calls"}]), programs, tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "f.csv:3:program: program 'support-onboarding', but the file is configured for 'sales-discovery-calls'",
        "f.csv:4:(row): 3 cells, but the header has 2 columns",
    ]


def test_unknown_columns_are_ignored_and_noted(tmp_path: Path, programs) -> None:
    write(tmp_path / "f.csv", "Timestamp from the form,nps,Email\n2026-01-01,9,a@example.org\n")
    data = load_feedback(FeedbackInputs(files=[{"path": "f.csv", "run": "A", "program": "sales-discovery-calls"}]), programs, tmp_path)
    assert data.notes == ["f.csv: ignored columns: Timestamp from the form, Email"]
    assert [s.nps for s in data.submissions] == [9]
