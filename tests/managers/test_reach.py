"""Who has not been reached: from a roster and attendance, each person's state as of the build
date, the next session they can catch; counts on the program page, names only encrypted for
the team's manager and the admins; a roster inside docs_dir is refused."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from lchc_gen.access.blobs import decrypt_page, open_keyring
from lchc_gen.access.keystore import issue, load_keystore
from lchc_gen.access.publish import keyring_path
from lchc_gen.feedback.reach import MISSED, REACHED, WAITING, Member, entry_points, status_of
from lchc_gen.programs.load import load_programs
from tests.access.conftest import build_id, keyring_labels
from tests.conftest import build_site, write

PROGRAM = """\
id: intro
title: Introduction
summary: One session per intake.
status: draft
owner: Tests
timezone: Europe/London
audience:
  description: New starters.
  why_this_group: Everyone starts here.
objectives:
  - {id: know-a, domain: know, text: Know A.}
sessions:
  - id: spring
    title: Intro (spring)
    date: 2027-03-02
    start: "10:00"
    duration: 60
    one_of: intro
    objectives: [know-a]
    rationale: The spring intake.
  - id: autumn
    title: Intro (autumn)
    date: 2027-09-07
    start: "10:00"
    duration: 60
    one_of: intro
    objectives: [know-a]
    rationale: The autumn intake.
reinforcement:
  - {id: recap, title: Recap, purpose: Recall A., after: {one_of: intro}, offsets: [1w], objectives: [know-a]}
"""

ROSTER = """\
person,team,location,start_date,manager
canaryrosterann x,Blue team,Leeds,2027-01-10,mgr-blue
canaryrosterbob x,Blue team,Leeds,2027-01-10,mgr-blue
canaryrostercat x,Blue team,York,2027-04-01,mgr-blue
canaryrosterdan x,Red team,York,2027-05-15,mgr-red
canaryrostereve x,Blue team,Leeds,2026-06-01,mgr-blue
canaryrosterfay x,Red team,York,2026-06-01,mgr-red
"""
ATTENDANCE = "person,session\ncanaryrosterann x,spring\ncanaryrostereve x,spring\ncanaryrosterfay x,spring\n"
TODAY = dt.date(2027, 6, 1)  # between the two intakes


def test_a_new_joiner_between_two_cohorts_waits_for_the_next(tmp_path) -> None:
    (tmp_path / "programs").mkdir()
    (tmp_path / "programs" / "p.yml").write_text(PROGRAM)
    lp = load_programs(tmp_path / "programs", tmp_path)[0]
    points = entry_points(lp)
    assert [o.session.id for o in points] == ["spring", "autumn"]
    now = dt.datetime.combine(TODAY, dt.time(), dt.timezone.utc)

    def state(start: dt.date, attended: bool = False):  # type: ignore[no-untyped-def]
        s = status_of(Member("x", "t", "l", start, None), attended, points, now)
        return s.state, s.last_before.session.id if s.last_before else None, s.next.session.id if s.next else None

    assert state(dt.date(2027, 1, 10), attended=True)[0] == REACHED
    assert state(dt.date(2027, 1, 10)) == (MISSED, None, "autumn")  # spring was theirs to attend
    assert state(dt.date(2027, 4, 1)) == (WAITING, "spring", "autumn")  # joined between the intakes
    assert state(dt.date(2027, 3, 2)) == (MISSED, None, "autumn")  # a start on the day of a session: theirs to attend
    assert state(dt.date(2027, 10, 1)) == (WAITING, "autumn", None)  # nothing planned after they joined


def _site(make_site, tmp_path: Path, keystore: Path | None, roster_at: str = "hr/roster.csv") -> Path:
    plugin = {"today": TODAY.isoformat(), "feedback": {
        "admins": ["ld-admin"],
        "k_feedback": 3,
        "reach": [{"program": "intro", "roster": roster_at, "attendance": "hr/attendance.csv"}],
    }}
    if keystore is not None:
        plugin["keystore"] = str(keystore)
    root = make_site({"p.yml": PROGRAM}, plugin=plugin)
    write(root / roster_at, ROSTER)
    write(root / "hr" / "attendance.csv", ATTENDANCE)
    return root


def test_counts_on_the_page_names_only_for_the_teams_manager_and_admins(make_site, tmp_path: Path) -> None:
    keystore = tmp_path / "secrets" / "keys.json"
    issue(keystore, ["mgr-blue", "mgr-red", "ld-admin", "someone-else"], tmp_path / "secrets" / "handout.tsv", iterations=1_000)
    site = build_site(_site(make_site, tmp_path, keystore), strict=True)
    page = (site / "programs" / "intro" / "index.html").read_text()
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page[page.index('id="who-has-not-been-reached-yet"'):])))
    assert "of 6 people, 3 attended, 2 joined after the last session they could have attended (or before the first), and 1 could have attended and did not" in text
    assert "Leeds 3 2 0 1 \u2013" in text and "York 3 1 2 0 Intro (autumn), Tue 7 Sep 2027" in text
    labels = keyring_labels(site, keystore)
    assert labels["mgr-blue"] == {"Not reached yet: Introduction, Blue team"}
    assert labels["mgr-red"] == {"Not reached yet: Introduction, Red team"}
    assert {"Not reached yet: Introduction, Blue team", "Not reached yet: Introduction, Red team",
            "Not reached yet: Introduction, every team"} <= labels["ld-admin"]
    assert labels["someone-else"] == set()
    # Canary scan: no roster name in any file of the site, compressed ones included.
    for path in (p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        body = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", errors="replace")
        assert "canaryroster" not in body, f"{path.relative_to(site)} leaks a roster name"
    assert not list(site.rglob("*.csv"))


def test_the_teams_page_names_its_people_and_their_next_session(make_site, tmp_path: Path) -> None:
    """As the manager of the Blue team reads it, decrypted."""
    keystore = tmp_path / "secrets" / "keys.json"
    issue(keystore, ["mgr-blue", "mgr-red", "ld-admin"], tmp_path / "secrets" / "handout.tsv", iterations=1_000)
    site = build_site(_site(make_site, tmp_path, keystore), strict=True)
    store = load_keystore(keystore)
    build = build_id(site)
    key = store.readers["mgr-blue"]
    entry = next(iter(open_keyring((site / keyring_path(build, "mgr-blue")).read_bytes(), key.kek, build, "mgr-blue")))
    page = decrypt_page((site / "_access" / "p" / f"{entry.page_id}.json").read_bytes(), entry.key, build, entry.url)
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    assert "canaryrostercat x York Thu 1 Apr 2027 joined after the last session they could have attended (Intro (spring), Tue 2 Mar 2027) Intro (autumn), Tue 7 Sep 2027" in text
    assert "canaryrosterbob x Leeds Sun 10 Jan 2027 could have attended, did not Intro (autumn)" in text
    assert "canaryrosterann" not in text.split("people on the roster")[0].split("Next session they can catch")[1]
    assert "canaryrosterdan" not in text  # another team's person


def test_small_locations_are_counted_together_so_none_can_be_worked_out(tmp_path) -> None:
    """k = 5: locations of 1 and 2 people merge with the next smallest until the group has 5;
    no location under 5 is shown, and the totals less the shown rows give only merged groups."""
    from lchc_gen.feedback.reach import OTHER, Reach, Status, reach_view

    def people(loc: str, n: int, state: str) -> list[Status]:
        return [Status(Member(f"{loc}{i}", "t", loc, dt.date(2027, 1, 1), None), state, None, None) for i in range(n)]

    statuses = people("A", 1, REACHED) + people("B", 2, MISSED) + people("C", 3, WAITING) + people("D", 9, REACHED)
    view = reach_view(Reach("p", TODAY, tuple(statuses), 5))
    shown = {name: c["people"] for name, c, _ in view["locations"]}
    assert shown == {"D": 9, OTHER: 6}, shown  # A+B (3) is under 5, so C joins them
    assert all(n >= 5 for n in shown.values()) and view["total"]["people"] == 15
    assert reach_view(Reach("p", TODAY, tuple(people("A", 4, REACHED)), 5)) is None  # fewer than k in all


def test_a_roster_inside_docs_dir_is_refused(make_site, tmp_path: Path, caplog) -> None:
    root = _site(make_site, tmp_path, None, roster_at="content/roster.csv")
    with pytest.raises(Abort):
        build_site(root, strict=False)
    assert "content/roster.csv" in caplog.text and "keep it out of docs_dir" in caplog.text
    assert not (root / "site").exists()


def test_bad_roster_cells_name_file_row_and_column(make_site, tmp_path: Path, caplog) -> None:
    root = _site(make_site, tmp_path, None)
    write(root / "hr" / "roster.csv", "person,team,location,start_date\nann,Blue,Leeds,soon\nann,Blue,Leeds,2027-01-01\nbob,,Leeds,2027-01-01\n")
    with pytest.raises(Abort):
        build_site(root, strict=False)
    assert "hr/roster.csv:2:start_date: not a date YYYY-MM-DD: 'soon'" in caplog.text
    assert "hr/roster.csv:4:team: team is empty" in caplog.text
