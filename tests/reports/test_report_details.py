"""Small things a reader would otherwise stumble on: a chart legend that lists only what the
chart draws, overview cells that say why they are empty, a percentile that says its direction."""

from __future__ import annotations

import re

from lchc_gen.reports.charts import ItemPoint, item_chart, trend_chart
from tests.conftest import build_site
from tests.reports.test_reports import survey_site  # noqa: F401 - fixture

SCALE = [(1, "Never"), (2, "Rarely"), (3, "Sometimes"), (4, "Often"), (5, "Always")]


def test_legend_lists_only_what_the_chart_draws() -> None:
    with_self = item_chart([ItemPoint("q01", "Q?", 3.2, 4, 3.0, "shown")], SCALE, "a")
    without_self = item_chart([ItemPoint("q01", "Q?", 3.2, None, 3.0, "shown")], SCALE, "b")
    no_benchmark = item_chart([ItemPoint("q01", "Q?", 3.2, None, None, "shown")], SCALE, "c")
    assert with_self.count(">Self-assessment<") == 2  # the wide and the narrow layout
    assert ">Self-assessment<" not in without_self and ">Organisation benchmark<" in without_self
    assert ">Self-assessment<" not in no_benchmark and ">Organisation benchmark<" not in no_benchmark
    assert ">Self score<" not in trend_chart(["A", "B"], [3.0, 3.5], [None, None], SCALE, "t")


def test_every_chart_text_is_12_units_and_the_narrow_layout_is_320_wide() -> None:
    svg = str(item_chart([ItemPoint(f"q{i:02d}", "Q?", 3.0, 4, 3.1, "shown") for i in range(12)], SCALE, "x"))
    assert re.findall(r'viewBox="0 0 (\d+) ', svg) == ["640", "320"]
    assert "font-size" not in svg.replace('font-size="12"', "")  # no text drawn smaller


def test_overview_says_why_a_cell_is_empty_and_reports_say_which_way_percentile_goes(survey_site) -> None:  # noqa: F811
    site = build_site(survey_site(preview=True), strict=False)
    overview = (site / "reports" / "2026-H2" / "overview" / "index.html").read_text()
    rows = re.findall(r"<tr><th scope=\"row\"><a [^>]*>.*?</tr>", overview, re.S)
    assert rows
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert all(c.strip() for c in cells), row  # no blank cell without a word
    assert "<em>no self-assessment</em>" in overview and "<em>suppressed</em>" in overview
    report = next(p.read_text() for p in (site / "reports" / "2026-H2").glob("t*/index.html")
                  if 'data-field="percentile">' in p.read_text() and "% of the other teams' team scores" in p.read_text())
    assert "The team score is higher than" in report


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_reports_say_it_in_words_first_with_the_statistic_beside(survey_site) -> None:  # noqa: F811
    """For a manager who is not a statistician: what a change means for the team, then the number;
    a gap whose sign is explained before the tables; a spread, not an "agreement" that grows as
    agreement falls; a percentile said as a comparison."""
    site = build_site(survey_site(preview=True), strict=False)
    reports = [p.read_text() for p in sorted((site / "reports" / "2026-H2").glob("t*/index.html"))]
    trends = [h for h in reports if 'data-field="trend-self-awareness"' in h]
    assert trends
    for html in reports:
        text = _text(html)
        assert "changed by" not in text and "Agreement (SD)" not in text and "Spread (SD)" in text or 'id="suppressed"' in html
        if "<table" in html:
            assert html.index("Gap</strong> is the manager's own answer minus the team's mean") < html.index("<table")
    for html in trends:
        words = _text(re.search(r'<p data-field="trend-self-awareness">(.*?)</p>', html, re.S).group(1))
        before, now = (float(x) for x in re.search(r"Self-awareness score ([+-]?\d\.\d\d) → ([+-]?\d\.\d\d)", words).groups())
        expected = "closer to" if abs(now) < abs(before) else "further from" if abs(now) > abs(before) else "as close to"
        assert f"own view is {expected}" in words, words
    overview = _text((site / "reports" / "2026-H2" / "overview" / "index.html").read_text())
    assert "Cronbach's alpha" in overview and "the closer to 1" in overview


def test_a_change_that_rounds_to_zero_has_no_sign() -> None:
    from pathlib import Path

    from lchc_gen.survey import format as fmt

    assert fmt.signed(-0.001) == "0.00"
    admin = (Path(__file__).resolve().parents[2] / "templates" / "feedback_admin.html.j2").read_text()
    assert "%+.2f" not in admin  # the LCHC link table prints changes with fmt.signed ("-0.00" before)
