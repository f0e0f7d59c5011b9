""""You told us, we are doing": figures for everyone, by hand and against the attacker."""

from __future__ import annotations

import numpy as np
import pytest

from lchc_gen.disclosure.everyone import alone_leaves, for_everyone
from lchc_gen.survey.all_staff import NO_BENCHMARK, PROTECTING, all_staff_view
from tests.disclosure.attacker import narrowest, views
from tests.disclosure.orgs import manager, write_project
from tests.disclosure.test_attacks import FIVE_TEAMS, _answers


def test_a_benchmark_alone_by_hand() -> None:
    # Five teams averaging 4.9 add up to 24.5: each is at least 24.5 - 4 * 5 = 4.5, so within half a step.
    assert not alone_leaves(4.9, 5, (1, 5), 1.0)
    assert alone_leaves(4.75, 5, (1, 5), 1.0)  # at least 3.75: exactly one step
    assert alone_leaves(3.0, 5, (1, 5), 1.0)
    assert not for_everyone(3.0, 5, True, (1, 5), 1.0)  # hidden in a report: never for everyone
    assert not for_everyone(None, 5, False, (1, 5), 1.0)


def test_a_benchmark_hidden_in_a_report_is_not_shown_to_everyone(tmp_path) -> None:
    # The department head could subtract their four reports from it (test_attacks).
    scores = write_project(tmp_path, FIVE_TEAMS, {"c1": _answers(FIVE_TEAMS, 1)})
    view = all_staff_view(scores)
    assert [(r.theme, f.value, f.reason) for r in view.themes for f in r.figures] == [("All", None, PROTECTING)]
    small = write_project(tmp_path / "small", FIVE_TEAMS[:3], {"c1": _answers(FIVE_TEAMS[:3], 1)})
    assert all_staff_view(small).themes[0].figures[0].reason == NO_BENCHMARK


WIDE = [("top", None), ("dept", "top"), *[(f"crew{i}", "dept") for i in range(1, 4)],
        *[(f"t{i:02d}", "top") for i in range(1, 9)]]


@pytest.mark.parametrize("seed", [3, 4])
def test_no_reader_works_out_a_team_with_the_page_for_everyone(tmp_path, seed) -> None:
    rng = np.random.default_rng(seed)
    answers = {"c1": {t: rng.integers(1, 6, size=(5, 4)).tolist() for t, _ in WIDE}}
    scores = write_project(tmp_path, WIDE, answers, questions=4)
    (row,) = all_staff_view(scores).themes
    value = row.figures[0].value
    assert value is not None  # shown: the attack below has it to work with
    themes = [([f"q{i:02d}" for i in range(1, 5)], round(value, 2))]
    seen = views(scores)
    for reader in (manager("dept"), manager("top"), manager("t01"), "admin"):
        width, what = narrowest(scores, "c1", seen[reader]["c1"], themes=themes)
        assert width >= 1.0 - 1e-6, f"{reader}: {what} is pinned to within {width:.3f}"
    width, what = narrowest(scores, "c1", [], themes=themes)  # someone who opens no report
    assert width >= 1.0 - 1e-6, f"everyone: {what} is pinned to within {width:.3f}"
