"""How the targeted questions moved between cycles: changes and intervals worked out by hand,
and what an attacker could learn from them (nothing the report does not already print)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from lchc_gen.render import make_env
from lchc_gen.reports.pages import ReportOptions, build_report_pages
from lchc_gen.survey.load import load_survey
from lchc_gen.survey.model import SurveyInputs
from lchc_gen.survey.movement import bootstrap_change, loop_view
from lchc_gen.survey.score import compute_scores

from survey_fixtures import write_inputs

# Team a: five members both cycles. q01: all 3, then four 3s and a 5 (mean 3.00 -> 3.40).
# q02: 2,2,2,2,2 -> 4,4,4,4,4 (+2.00, no spread at all). q03: 1,5,1,5,1 -> 5,1,5,1,5 (2.60 -> 3.40).
# Team b: three members: q01 3,4,5 -> 4,4,5 (4.00 -> 4.33; three answers, no interval);
# q02 1,1,1 -> 5,5,5 (withheld both cycles: their mean gives every answer away).
# Team c: four members in H1 (q01 5,5,5,4: 4.75, withheld) and five in H2.
H1 = """\
team,respondent,role,q01,q02,q03
a,m1,member,3,2,1
a,m2,member,3,2,5
a,m3,member,3,2,1
a,m4,member,3,2,5
a,m5,member,3,2,1
b,m1,member,3,1,3
b,m2,member,4,1,3
b,m3,member,5,1,4
c,m1,member,5,3,3
c,m2,member,5,3,3
c,m3,member,5,4,3
c,m4,member,4,4,4
"""
H2 = """\
team,respondent,role,q01,q02,q03
a,x1,member,3,4,5
a,x2,member,3,4,1
a,x3,member,3,4,5
a,x4,member,3,4,1
a,x5,member,5,4,5
b,x1,member,4,5,3
b,x2,member,4,5,3
b,x3,member,5,5,4
c,x1,member,2,3,3
c,x2,member,2,3,3
c,x3,member,3,3,3
c,x4,member,2,3,3
c,x5,member,2,3,3
"""
ORG = """\
people:
  - {id: p1, name: Ann Example}
  - {id: p2, name: Bo Example}
  - {id: p3, name: Cy Example}
  - {id: hr, name: Hal Admin}
teams:
  - {id: a, name: Team A, manager: p1, invited: 6}
  - {id: b, name: Team B, manager: p2, parent: a, invited: 4}
  - {id: c, name: Team C, manager: p3, parent: a, invited: 6}
admins: [hr]
"""
AGREEMENTS = """\
agreements:
  - {team: a, cycle: 2026-H1, agreed: Goals on Mondays, questions: [q01, q02, q03], check_in: 2026-06-15, status: tried}
  - {team: b, cycle: 2026-H1, agreed: One promise per 1:1, questions: [q01, q02], check_in: 2026-06-20}
  - {team: c, cycle: 2026-H1, agreed: Ask before deciding, questions: [q01], check_in: 2026-06-20, status: not yet}
  - {team: a, cycle: 2026-H2, agreed: Thank someone every Friday, questions: [q03], check_in: 2026-12-01}
"""


def _scores(root: Path, h1: str = H1, h2: str = H2):
    base = write_inputs(root, {"2026-H1": h1, "2026-H2": h2}, organisation=ORG)
    (root / "agreements.yml").write_text(AGREEMENTS, encoding="utf-8")
    inputs = SurveyInputs.model_validate({**base.model_dump(exclude={"agreements"}), "agreements": "agreements.yml"})
    return compute_scores(load_survey(inputs, root))


def test_bootstrap_interval_by_hand() -> None:
    values = np.array([1, 2, 3, 4, 5])
    # No spread in either cycle: every resample gives the same change.
    assert bootstrap_change(values, np.array([0, 5, 0, 0, 0]), np.array([0, 0, 0, 5, 0])) == (2.0, 2.0)
    # 3,3,3,3,3 -> 3,3,3,3,5: the change is 2K/5 with K ~ Binomial(5, 0.2). P(K = 0) = 0.33 and
    # P(K >= 4) = 0.007, so the 2.5th percentile is 0 and the 97.5th is 2 x 3 / 5 = 1.2.
    low, high = bootstrap_change(values, np.array([0, 0, 5, 0, 0]), np.array([0, 0, 4, 0, 1]))
    assert (low, high) == pytest.approx((0.0, 1.2))
    # The same counts always give the same interval (a fixed seed): builds are reproducible.
    assert bootstrap_change(values, np.array([3, 0, 0, 0, 2]), np.array([2, 0, 0, 0, 3])) == \
        bootstrap_change(values, np.array([3, 0, 0, 0, 2]), np.array([2, 0, 0, 0, 3]))


def test_movements_on_hand_computed_data(root: Path) -> None:
    scores = _scores(root)
    view = loop_view(scores, "2026-H2", "a")
    assert view.agreement.agreed == "Goals on Mondays" and view.next_agreement.agreed == "Thank someone every Friday"
    q01, q02, q03 = view.movements
    assert (q01.before, q01.after) == pytest.approx((3.0, 3.4)) and math.isclose(q01.change, 0.4)
    assert (q01.low, q01.high) == pytest.approx((0.0, 1.2)) and q01.could_be_chance
    assert q02.change == 2.0 and (q02.low, q02.high) == (2.0, 2.0) and not q02.could_be_chance
    assert math.isclose(q03.change, 0.8) and q03.low < 0 < q03.high and q03.could_be_chance
    # Team b, q01: three answers each cycle. The change of two shown means, without an interval.
    b01, b02 = loop_view(scores, "2026-H2", "b").movements
    assert math.isclose(b01.change, 1 / 3) and b01.low is None and "too few answers" in b01.why_not
    # q02 is withheld in both cycles (1,1,1 and 5,5,5): no change, which would be 4 and give both away.
    assert b02.change is None and b02.before is None and "withheld" in b02.why_not
    # Team c, q01: withheld in H1 (5,5,5,4), shown in H2 (2.20): a change would give the H1 mean back.
    (c01,) = loop_view(scores, "2026-H2", "c").movements
    assert c01.change is None and c01.before is None and c01.after is None
    # H1's reports: no earlier agreement, only the one made after them.
    h1 = loop_view(scores, "2026-H1", "a")
    assert h1.agreement is None and h1.movements == [] and h1.next_agreement.agreed == "Goals on Mondays"


def _report(scores, team: str) -> str:
    pages = build_report_pages(scores, make_env(None), ReportOptions())
    return next(p.html for p in pages if p.src == f"reports/2026-H2/{team}.md")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" .", ".")


def test_the_report_says_it_in_words_and_never_judges(root: Path) -> None:
    text = _text(_report(_scores(root), "a"))
    assert "After the 2026-H1 report, the team agreed to try: Goals on Mondays" in text
    assert "At the check-in (15 June 2026), the team said it had tried it." in text
    assert "Up: Sometimes (3.40) this cycle, Sometimes (3.00) before (change +0.40)." in text
    assert "This could be chance: from the answers, the change could be anywhere from 0.00 to +1.20, which includes no change." in text
    assert "This is more than chance alone would usually give: from the answers, the change is +2.00 however they are resampled." in text
    assert "After this report, the team agreed to try: Thank someone every Friday" in text
    for verdict in ("worked", "success", "failed", "should"):
        assert verdict not in text.split("How to read this report")[0].lower()


def test_an_attacker_learns_no_hidden_mean_and_no_small_groups_answers(root: Path) -> None:
    """A reader of team b's and c's reports: every figure of the loop section is either a difference
    of two means the report prints anyway or a function of the counts it prints anyway."""
    scores = _scores(root)
    c = _text(_report(scores, "c"))
    # c's H1 q01 mean (4.75) is withheld; nothing in H2's report may let a reader get it back.
    assert "4.75" not in c and "+2.55" not in c and "-2.55" not in c and "−2.55" not in c
    assert "Not compared: its mean is withheld for 2026-H1" in c
    b = _text(_report(scores, "b"))
    assert "change +0.33" in b and "too few answers to say how sure" in b
    assert "+4.00" not in b and "1.00" not in b.split("What the team agreed")[1].split("How to read")[0]
    # The interval is a function of the printed Never-to-Always counts: another set of answers
    # with the same counts in each cycle (other people, other rows) gives exactly the same interval.
    shuffled_h1 = "\n".join([H1.splitlines()[0], *sorted(H1.splitlines()[1:], reverse=True)]) + "\n"
    other = _scores(root / "other", shuffled_h1.replace("m1", "z9"), H2)
    assert loop_view(other, "2026-H2", "a").movements == loop_view(scores, "2026-H2", "a").movements


def test_the_overview_counts_agreements_by_department(root: Path) -> None:
    scores = _scores(root)
    pages = build_report_pages(scores, make_env(None), ReportOptions())
    h1 = _text(next(p.html for p in pages if p.src == "reports/2026-H1/overview.md"))
    # a is the top team (its own department); b and c, just below it, are departments of their own.
    # Columns: teams, agreed, checked in, tried, partly, not yet.
    assert "Team A 1 1 1 1 0 0 Team B 1 1 0 0 0 0 Team C 1 1 1 0 0 1" in h1
    h2 = _text(next(p.html for p in pages if p.src == "reports/2026-H2/overview.md"))
    assert "Team A 1 1 0 0 0 0 Team B 1 0 0 0 0 0 Team C 1 0 0 0 0 0" in h2
    assert "Goals on Mondays" not in h1  # counts only: the texts stay in the teams' reports


def test_agreement_texts_are_escaped(root: Path) -> None:
    scores = _scores(root)
    hostile = AGREEMENTS.replace("Goals on Mondays", "'<script>alert(1)</script> & \"more\"'")
    (root / "agreements.yml").write_text(hostile, encoding="utf-8")
    inputs = scores.data.inputs
    html = _report(compute_scores(load_survey(inputs, root)), "a")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;more&#34;" in html


def test_why_small_groups_get_no_interval() -> None:
    """Three answers the same in both cycles: their bootstrap interval has no width, and with the
    two means it tells every answer. The rule keeps intervals to groups whose counts are printed."""
    from lchc_gen.disclosure.changes import change_may_show, interval_may_show

    values = np.array([1, 2, 3, 4, 5])
    assert bootstrap_change(values, np.array([0, 0, 3, 0, 0]), np.array([0, 0, 0, 3, 0])) == (1.0, 1.0)
    assert not interval_may_show(3, 5) and not interval_may_show(5, 4) and interval_may_show(5, 5)
    assert change_may_show("shown", "shown")
    assert not any(change_may_show(a, "shown") or change_may_show("shown", a)
                   for a in ("withheld", "suppressed", "not enough answers", "no data"))
