"""Small survey projects written to disk, for the disclosure tests."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from lchc_gen.survey import SurveyInputs, compute_scores, load_survey, Scores

SCALE = [{"value": v, "label": label} for v, label in enumerate(["Never", "Rarely", "Sometimes", "Often", "Always"], 1)]


def write_project(
    root: Path,
    teams: list[tuple[str, str | None]],  # (team id, parent team id)
    answers: dict[str, dict[str, list[list[int | None]]]],  # cycle -> team -> member rows
    questions: int = 12,
    admins: tuple[str, ...] = ("admin",),
    **options,
) -> Scores:
    qids = [f"q{i:02d}" for i in range(1, questions + 1)]
    questionnaire = {
        "id": "lchc", "title": "LCHC", "scale": SCALE,
        "questions": [{"id": q, "text": f"How often does your manager do {q}?", "self_text": f"Do you {q}?",
                       "theme": "All"} for q in qids],
    }
    managers = {t: f"m-{t}" for t, _ in teams}
    org = {
        "people": [{"id": p, "name": p} for p in [*managers.values(), *admins]],
        "teams": [{"id": t, "name": f"Team {t}", "manager": managers[t], "invited": 12,
                   **({"parent": parent} if parent else {})} for t, parent in teams],
        "admins": list(admins),
    }
    root.mkdir(parents=True, exist_ok=True)
    (root / "lchc.yml").write_text(yaml.safe_dump(questionnaire, sort_keys=False))
    (root / "org.yml").write_text(yaml.safe_dump(org, sort_keys=False))
    cycles = []
    for cycle, by_team in answers.items():
        path = root / f"{cycle}.csv"
        with path.open("w", newline="") as f:
            out = csv.writer(f)
            out.writerow(["team", "respondent", "role", *qids])
            for team, rows in by_team.items():
                for n, row in enumerate(rows):
                    out.writerow([team, f"{team}-r{n}", "member", *["" if v is None else v for v in row]])
        cycles.append({"id": cycle, "label": cycle, "responses": path.name})
    inputs = SurveyInputs(questionnaire="lchc.yml", organisation="org.yml", cycles=cycles, **options)
    return compute_scores(load_survey(inputs, root))


def manager(team: str) -> str:
    return f"m-{team}"
