"""Away at once: every hour, how many learners all programs take off each floor together,
hand-computed across two programs, cohorts, an attendance group, follow-ups, two zones and a
change of clocks; a breach is a warning that --strict refuses, unless a session says why."""

from __future__ import annotations

import datetime as dt

import pytest
from mkdocs.exceptions import Abort

from lchc_gen.problems import InputError
from lchc_gen.programs.away import floor_loads
from lchc_gen.programs.load import load_programs
from tests.conftest import build_site
from tests.programs.floor_fixtures import FLOOR, PROGRAM_A, PROGRAM_B


def _load(tmp_path, files: dict[str, str]):
    folder = tmp_path / "programs"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return load_programs(folder, tmp_path)


def _hours(programs) -> dict[str, dict[tuple[str, int], int]]:
    return {
        load.unit.name: {(f"{h.day:%a %d}", h.hour): h.away for h in load.hours} for load in floor_loads(programs)
    }


def test_away_at_once_by_hand(tmp_path) -> None:
    got = _hours(_load(tmp_path, {"_floor.yml": FLOOR, "a.yml": PROGRAM_A, "b.yml": PROGRAM_B}))
    assert got["Dublin (phone)"] == {
        ("Tue 23", 9): 6, ("Tue 23", 10): 6,  # Basics 09:00-10:30 GMT
        ("Wed 24", 9): 6,  # the recap
        ("Tue 30", 9): 10, ("Tue 30", 10): 10,  # Basics 09:00-10:30 IST, with the launch from 09:30
        ("Wed 31", 9): 8,  # the recap 09:00-09:30 and half of B's 4 at the clinic 09:00-10:00
        ("Thu 01", 9): 2,  # the other half
    }
    assert got["Manila"] == {
        ("Tue 23", 17): 10, ("Tue 23", 18): 10,  # 17:00-18:30 while Dublin is on GMT
        ("Wed 24", 17): 10,
        ("Tue 30", 16): 18, ("Tue 30", 17): 18,  # an hour earlier once Dublin is on summer time, with the launch
        ("Wed 31", 16): 14,  # the recap 16:00-16:30 and half of B's 8
        ("Thu 01", 16): 4,
    }
    assert got["Dublin (chat)"] == {}


def test_back_to_back_sessions_do_not_add_up(tmp_path) -> None:
    b = PROGRAM_B.replace('date: 2027-03-30, start: "16:30"', 'date: 2027-03-30, start: "17:30"')
    got = _hours(_load(tmp_path, {"_floor.yml": FLOOR, "a.yml": PROGRAM_A, "b.yml": b}))
    # Basics ends 17:30 Manila as the launch starts: 10, then 8, never 18.
    assert got["Manila"][("Tue 30", 16)] == 10 and got["Manila"][("Tue 30", 17)] == 10 and got["Manila"][("Tue 30", 18)] == 8


def test_the_minimum_and_the_tightest_hours(tmp_path) -> None:
    loads = {u.unit.name: u for u in floor_loads(_load(tmp_path, {"_floor.yml": FLOOR, "a.yml": PROGRAM_A, "b.yml": PROGRAM_B}))}
    manila = loads["Manila"]
    # Half of 30 must stay 16:00-18:00: Tue 30 leaves 12 in both hours; Wed 31 leaves 16.
    assert [(h.day, h.hour, h.staying, h.must_stay) for h in manila.breaches()] == [
        (dt.date(2027, 3, 30), 16, 12, 15), (dt.date(2027, 3, 30), 17, 12, 15)
    ]
    assert manila.tightest(3)[2].day == dt.date(2027, 3, 31)
    # Dublin phone: 10 of 20 away leaves exactly the 10 who must stay: tight, not a breach.
    phone = loads["Dublin (phone)"]
    assert phone.breaches() == [] and phone.tightest(1)[0].spare == 0


def test_a_breach_fails_strict_with_file_and_line(make_site, caplog) -> None:
    root = make_site({"_floor.yml": FLOOR, "a.yml": PROGRAM_A, "b.yml": PROGRAM_B})
    with pytest.raises(Abort):
        build_site(root, strict=True)
    assert (
        "programs/b.yml:13: sessions[0]: Tue 2027-03-30 16:00-17:00 and 1 more hour at Manila: 18 of 30 away "
        "(with Program A) leaves 12, below the 15 who must stay (the afternoon peak); move it, or say why in "
        "`floor.below_minimum`"
    ) in caplog.text
    assert len([line for line in caplog.text.splitlines() if "lchc: programs/" in line]) == 1  # one warning


def test_a_reason_accepts_the_breach(make_site) -> None:
    b = PROGRAM_B + "  below_minimum:\n    - {session: launch, why: The vendor can only go live that evening.}\n"
    build_site(make_site({"_floor.yml": FLOOR, "a.yml": PROGRAM_A, "b.yml": b}), strict=True)


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "message"),
    [
        ("a.yml", "location: Manila, count: 10", "location: Manilla, count: 10", 21,
         "floor.learners[1].location: unknown location 'Manilla' (the floor file has: Dublin, Manila)"),
        ("a.yml", "channel: phone, count: 6", "count: 6", 20, "floor.learners[0].channel: say which channel: Dublin has channels phone, chat"),
        ("a.yml", "{cohort: Wave 1, location: Manila", "{cohort: Wave 2, location: Manila", 21,
         "floor.learners[1].cohort: no session has the cohort 'Wave 2' (the sessions name: Wave 1)"),
        ("_floor.yml", "share: 0.5, hours", "share: 1.5, hours", 17, "locations[1].minimum[0].share: Input should be less than or equal to 1"),
    ],
)
def test_bad_floor_input_names_file_and_line(tmp_path, name, old, new, line, message) -> None:
    files = {"_floor.yml": FLOOR, "a.yml": PROGRAM_A, "b.yml": PROGRAM_B}
    assert old in files[name]
    files[name] = files[name].replace(old, new)
    with pytest.raises(InputError) as exc:
        _load(tmp_path, files)
    shown = [str(p) for p in exc.value.problems]
    assert any(s.startswith(f"programs/{name}:{line}: {message}") for s in shown), shown


def test_learners_without_a_floor_file(tmp_path) -> None:
    with pytest.raises(InputError) as exc:
        _load(tmp_path, {"a.yml": PROGRAM_A})
    assert "there is no floor file (programs/_floor.yml)" in str(exc.value.problems[0])
