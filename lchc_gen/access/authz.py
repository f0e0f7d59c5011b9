"""Who may read what (spec: "Who may read what"), as pure functions.

A team report: the team's manager, the managers of the next `share_up` teams up the
line (default 1: the manager's own manager), and every admin.
The organisation overview: admins only.
"""

from __future__ import annotations

from typing import Iterable, Mapping

# team id -> (manager id, parent team id or None for the top of the organisation)
Teams = Mapping[str, tuple[str, str | None]]


def managers_up_the_line(team_id: str, teams: Teams, share_up: int = 1) -> list[str]:
    """The managers of the next `share_up` teams up the line, nearest first (no one for the top team).
    Reports name exactly these readers, so the sentence and the keys cannot disagree."""
    return [teams[t][0] for t in teams_up_the_line(team_id, teams, share_up)]


def teams_up_the_line(team_id: str, teams: Teams, share_up: int = 1) -> list[str]:
    """The next `share_up` teams up the line, nearest first: their managers read this team's report."""
    if share_up < 0:
        raise ValueError("share_up must be zero or more")
    if team_id not in teams:
        raise KeyError(f"unknown team {team_id!r}")
    _, parent = teams[team_id]
    line: list[str] = []
    # Bounded by share_up, so a cycle in bad input cannot loop forever.
    for _ in range(share_up):
        if parent is None:
            break
        if parent not in teams:
            raise KeyError(f"team {team_id!r} has unknown parent team {parent!r}")
        line.append(parent)
        parent = teams[parent][1]
    return line


def readers_of_team_report(
    team_id: str, teams: Teams, admins: Iterable[str], share_up: int = 1
) -> frozenset[str]:
    line = managers_up_the_line(team_id, teams, share_up)
    return frozenset({teams[team_id][0], *line, *admins})


def readers_of_overview(admins: Iterable[str]) -> frozenset[str]:
    return frozenset(admins)


def department_crews(team_id: str, teams: Teams, share_up: int = 1) -> list[str]:
    """A department: the team and every team below it whose report its manager opens (those within
    `share_up` levels: the report names its manager as a manager up the line), in `teams` order.
    A team with no such team below it is no department (a list of one). Drawn this way, a
    department's readers know every crew shown in it."""
    if team_id not in teams:
        raise KeyError(f"unknown team {team_id!r}")
    return departments(teams, share_up)[team_id]


def departments(teams: Teams, share_up: int = 1) -> dict[str, list[str]]:
    """Every team's department (see department_crews), in one pass over the teams."""
    out: dict[str, list[str]] = {t: [t] for t in teams}
    for team in teams:  # in `teams` order, so each department lists its crews in that order
        for parent in teams_up_the_line(team, teams, share_up):
            out[parent].append(team)
    return out


def readers_of_department_view(team_id: str, teams: Teams, admins: Iterable[str]) -> frozenset[str]:
    """A department's view: its head (the team's manager) and every admin."""
    return frozenset({teams[team_id][0], *admins})
