"""Display rules: 2 decimals, whole percentages, plain words."""

from __future__ import annotations

import pytest

from lchc_gen.survey import format as fmt
from lchc_gen.survey.model import ScaleOption

SCALE = [ScaleOption(value=v, label=label) for v, label in enumerate(["Never", "Rarely", "Sometimes", "Often", "Always"], 1)]


@pytest.mark.parametrize(("x", "shown"), [(4.1, "4.10"), (4.125, "4.13"), (11 / 3, "3.67"), (-0.001, "0.00"), (None, "–")])
def test_number_has_two_decimals_rounding_half_up(x, shown):
    assert fmt.number(x) == shown


@pytest.mark.parametrize(("x", "shown"), [(0.4, "+0.40"), (-1 / 3, "-0.33"), (0.001, "0.00"), (None, "–")])
def test_signed(x, shown):
    assert fmt.signed(x) == shown


def test_percent_and_participation():
    assert fmt.percent(7 / 9) == "78%"
    assert fmt.percent(1 / 8) == "13%"  # 12.5 rounds up
    assert fmt.participation(7, 9) == "7 of 9 (78%)"


def test_nearest_label():
    assert fmt.nearest_label(4.1, SCALE) == "Often"
    assert fmt.nearest_label(3.5, SCALE) == "Often"  # halfway goes to the higher word
    assert fmt.nearest_label(1.2, SCALE) == "Never"


def test_self_awareness_words_describe_direction():
    assert fmt.self_awareness_words(0.4) == "On average, you rate yourself 0.40 points higher than your team rates you."
    assert fmt.self_awareness_words(-0.25) == "On average, you rate yourself 0.25 points lower than your team rates you."
    assert fmt.self_awareness_words(0.001) == "On average, you rate yourself the same as your team rates you."
    assert "no self-awareness score" in fmt.self_awareness_words(None)


def test_self_awareness_words_name_the_manager_for_other_readers():
    assert fmt.self_awareness_words(0.4, "Sasha Lee") == "On average, Sasha Lee rates themself 0.40 points higher than the team rates them."
    assert fmt.self_awareness_words(0.0, "Sasha Lee") == "On average, Sasha Lee rates themself the same as the team rates them."
