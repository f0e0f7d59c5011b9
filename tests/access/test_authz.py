"""The authorisation rule over a small hierarchy.

T0 (ceo)
└── T1 (vp)
    ├── T2 (mia)
    │   └── T4 (leo)
    └── T3 (vp)      the vp also manages T3 directly
"""

from __future__ import annotations

import pytest

from lchc_gen.access.authz import readers_of_overview, readers_of_team_report

TEAMS = {
    "T0": ("ceo", None),
    "T1": ("vp", "T0"),
    "T2": ("mia", "T1"),
    "T3": ("vp", "T1"),
    "T4": ("leo", "T2"),
}
ADMINS = ["hr1", "hr2"]


@pytest.mark.parametrize(
    "team, share_up, expected",
    [
        ("T4", 1, {"leo", "mia"}),
        ("T4", 2, {"leo", "mia", "vp"}),
        ("T4", 3, {"leo", "mia", "vp", "ceo"}),
        ("T4", 9, {"leo", "mia", "vp", "ceo"}),
        ("T4", 0, {"leo"}),
        ("T2", 1, {"mia", "vp"}),
        ("T2", 2, {"mia", "vp", "ceo"}),
        ("T3", 1, {"vp"}),
        ("T3", 2, {"vp", "ceo"}),
        ("T0", 1, {"ceo"}),
    ],
)
def test_team_report_readers(team: str, share_up: int, expected: set[str]) -> None:
    assert readers_of_team_report(team, TEAMS, ADMINS, share_up) == frozenset(expected | set(ADMINS))


def test_default_share_up_is_one_level() -> None:
    assert readers_of_team_report("T4", TEAMS, []) == {"leo", "mia"}


def test_overview_is_admins_only() -> None:
    assert readers_of_overview(ADMINS) == {"hr1", "hr2"}
    assert readers_of_overview([]) == frozenset()


def test_bad_input_is_refused() -> None:
    with pytest.raises(KeyError):
        readers_of_team_report("T9", TEAMS, ADMINS)
    with pytest.raises(KeyError):
        readers_of_team_report("X", {"X": ("a", "missing")}, ADMINS)
    with pytest.raises(ValueError):
        readers_of_team_report("T4", TEAMS, ADMINS, -1)


def test_a_cycle_cannot_loop_forever() -> None:
    cyclic = {"A": ("a", "B"), "B": ("b", "A")}
    assert readers_of_team_report("A", cyclic, [], 5) == {"a", "b"}
