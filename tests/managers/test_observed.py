"""Observed behaviour as a Level-3 measure: the brief's checklist filled in as a form, read like
feedback files (native CSV or a survey tool's export), shown as shares of people with the
feedback thresholds; learners and answers never reach the site; bad cells name file:row:column."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from lchc_gen.feedback.observe import share
from tests.conftest import build_site, write

PID = "sales-discovery-calls"  # its "do" objective: do-ask-first
COL = "obs:do-ask-first"


def _site(make_site, csv_text: str, k: int = 5, path: str = "observed/sales.csv", fmt: str | None = None,
          closes: str = "2026-12-31") -> Path:
    spec = {"path": path, "program": PID, "closes": closes}  # make_site builds as of 2027-01-01
    if fmt:
        spec["format"] = fmt
    root = make_site(copy_demo=True, plugin={"feedback": {"k_feedback": k, "observations": [spec]}})
    write(root / path, csv_text)
    return root


def _rows(before: list[str], after: list[str]) -> str:
    lines = [f"canarylearner{i:02d}x,before,{a}\n" for i, a in enumerate(before)]
    lines += [f"canarylearner{i:02d}x,after,{a}\n" for i, a in enumerate(after)]
    return f"learner,when,{COL}\n" + "".join(lines)


def _observed(site: Path) -> str:
    page = (site / "programs" / PID / "index.html").read_text()
    start = page.index("Observed by managers")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start:page.index("</table>", start)]))


def test_shares_before_and_after_with_the_change(make_site) -> None:
    site = build_site(_site(make_site, _rows(["yes", "no", "no", "no", "yes", "no"], ["yes", "yes", "yes", "no", "yes", "yes"])), strict=True)
    text = _observed(site)
    assert "Ask at least four discovery questions" in text
    assert "33% of 6 people observed" in text and "83% of 6 people observed" in text
    assert "up 50 percentage points" in text
    page = (site / "programs" / PID / "index.html").read_text()
    assert "Behaviour observed by managers" in page  # listed with the Level-3 measures


def test_an_open_round_shows_nothing_and_late_answers_are_left_out(make_site, caplog) -> None:
    """A share that moved with each new answer would give that answer away: while the round is
    open the page says when results appear; answers after the closing day do not count."""
    import logging

    caplog.set_level(logging.INFO)
    rows = _rows(["no"] * 6, ["yes"] * 6)
    site = build_site(_site(make_site, rows, closes="2027-02-15"), strict=True)
    page = (site / "programs" / PID / "index.html").read_text()
    assert "The observation round is still open: results from Mon 15 Feb 2027." in page and "% of 6 people" not in page
    late = f"learner,when,submitted_at,{COL}\n" + "".join(
        f"canarylearner{i:02d}x,after,2026-12-{10 + i}T09:00:00Z,yes\n" for i in range(6)
    ) + "canarylearner06x,after,2027-01-02T09:00:00Z,no\n"
    site = build_site(_site(make_site, late, closes="2026-12-31"), strict=True)
    assert "100% of 6 people observed" in _observed(site)
    assert "observed/sales.csv: 1 observation(s) submitted after the round closed on 2026-12-31 left out: rows 8" in caplog.text


def test_fewer_than_k_people_are_not_shown(make_site) -> None:
    site = build_site(_site(make_site, _rows(["yes"] * 4, ["yes"] * 6)), strict=True)
    text = _observed(site)
    assert "not enough people observed (n of at least 5)" in text and "100% of 6 people observed" in text
    assert "not shown" in text.split("100% of 6")[1]  # no change from a hidden figure


def test_thresholds_count_people_not_rows(make_site) -> None:
    """Ten rows from three learners (the latest per learner and phase counts) are three people."""
    rows = "".join(f"canarylearner{i % 3:02d}x,after,{'yes' if i % 2 else 'no'}\n" for i in range(10))
    site = build_site(_site(make_site, f"learner,when,{COL}\n" + rows), strict=True)
    assert "not enough people observed (n of at least 5)" in _observed(site)


def test_attacker_cannot_rebuild_a_small_group_even_at_the_lowest_k() -> None:
    """With k_feedback 3, a share of 3 or 4 people would give every answer (n and the count);
    the small-group check withholds it. From 5 on, the share is what feedback would show too."""
    for n in (3, 4):
        for seen in range(n + 1):
            s = share([True] * seen + [False] * (n - seen), 3)
            assert s.seen is None and s.percent is None and str(seen) not in s.text.replace(str(n), ""), s
    assert share([True, False, True, False, True], 3).percent == 60


def test_bad_cells_name_file_row_and_column(make_site, caplog) -> None:
    rows = f"learner,when,{COL}\nanna,before,maybe\n,after,yes\nbo,later,no\n"
    with pytest.raises(Abort):
        build_site(_site(make_site, rows), strict=False)
    assert f"observed/sales.csv:2:{COL}: 'maybe' is neither yes nor no" in caplog.text
    assert "observed/sales.csv:3:learner: learner is empty" in caplog.text
    assert "observed/sales.csv:4:when: 'later' is neither 'before' nor 'after'" in caplog.text


def test_a_survey_tool_export_is_read_by_its_question_text(make_site) -> None:
    head = "Timestamp,Email Address,Learner,When,Ask at least four discovery questions before the first product mention in every first call\n"
    rows = "".join(f"2026/11/2{i % 9} 10:00:0{i} am GMT+1,canarymail{i}x@example.org,canarylearner{i:02d}x,after,{'Yes' if i < 4 else 'No'}\n" for i in range(5))
    site = build_site(_site(make_site, head + rows, fmt="google-forms"), strict=True)
    assert "80% of 5 people observed" in _observed(site)
    for path in (p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", errors="replace")
        assert "canarylearner" not in text and "canarymail" not in text, f"{path} leaks an observation"
    assert not list(site.rglob("*.csv"))


def test_an_observation_file_inside_docs_dir_is_refused(make_site, caplog) -> None:
    root = _site(make_site, _rows(["yes"] * 5, ["yes"] * 5), path="content/observed.csv")
    with pytest.raises(Abort):
        build_site(root, strict=False)
    assert "content/observed.csv" in caplog.text and "keep it out of docs_dir" in caplog.text
    assert not (root / "site").exists()
