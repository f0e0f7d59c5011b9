"""The fixture exports: one set of answers as each survey tool writes it (tests/fixtures/exports)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "exports"
TOOLS = ("native", "google-forms", "microsoft-forms", "limesurvey", "qualtrics")

# How each tool's file is configured: what a team writes in mkdocs.yml.
SURVEY = {
    "native": {"responses": "native.csv"},
    "google-forms": {
        "responses": "google-forms.csv",
        "format": "google-forms",
        "columns": {
            "team": "Which team are you in?",
            "respondent": "Your survey code (from the invitation email)",
            "role": "Are you the manager of this team?",
        },
        "roles": {"Yes, I lead this team": "self", "No, I am a member of this team": "member"},
    },
    "microsoft-forms": {"responses": "microsoft-forms.xlsx", "format": "microsoft-forms"},
    "limesurvey": {"responses": "limesurvey.csv", "format": "limesurvey"},
    "qualtrics": {"responses": "qualtrics.csv", "format": "qualtrics"},
}
FEEDBACK = {
    "native": {"path": "feedback-native.csv"},
    "google-forms": {"path": "feedback-google-forms.csv", "format": "google-forms",
                     "columns": {"comment": "Anything else you would like to tell us?"}},
    "microsoft-forms": {"path": "feedback-microsoft-forms.xlsx", "format": "microsoft-forms"},
    "limesurvey": {"path": "feedback-limesurvey.csv", "format": "limesurvey"},
    "qualtrics": {"path": "feedback-qualtrics.csv", "format": "qualtrics",
                  "columns": {"comment": "Anything else you would like to tell us?"}},
}
PROGRAM = "sales-discovery-calls"


def project(root: Path, survey_tools=(), feedback_tools=(), **plugin) -> Path:
    """A project with the fixture files and a mkdocs.yml reading the given tools' exports:
    each survey tool's file as a cycle of its own, each feedback file as a run."""
    root.mkdir(parents=True, exist_ok=True)
    for f in FIXTURES.iterdir():
        shutil.copy(f, root / f.name)
    (root / "programs").mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "program.yml", root / "programs" / f"{PROGRAM}.yml")
    (root / "content").mkdir(exist_ok=True)
    (root / "content" / "index.md").write_text("# Home\n")
    options: dict = {"programs_dir": "programs", "today": "2027-01-01", **plugin}
    if survey_tools:
        options["survey"] = {
            "questionnaire": "lchc.yml",
            "organisation": "org.yml",
            "cycles": [{"id": f"2026-{tool}", "label": tool, **SURVEY[tool]} for tool in survey_tools],
        }
        org = yaml.safe_load((root / "org.yml").read_text())
        for team in org["teams"]:  # every cycle invites the same people
            team["invited"] = {f"2026-{tool}": team["invited"] for tool in survey_tools}
        (root / "org.yml").write_text(yaml.safe_dump(org, sort_keys=False))
    if feedback_tools:
        options["feedback"] = {
            "files": [{**FEEDBACK[tool], "run": tool, "program": PROGRAM, "invited": 12, "closes": "2026-06-30"} for tool in feedback_tools]
        }
    config = {
        "site_name": "Exports", "site_url": "https://learning.example.org/", "docs_dir": "content", "site_dir": "site",
        "theme": {"name": "material", "font": False}, "plugins": ["search", {"lchc": options}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return root

# Real layouts of the tools' exports (see README.md in the fixture folder): each holds the same
# answers as native.csv, plus what the layout adds (incomplete responses, identity columns, ...).
LAYOUTS = {
    "microsoft-forms-quiz": {"responses": "microsoft-forms-quiz.xlsx", "format": "microsoft-forms"},
    "qualtrics-legacy": {"responses": "qualtrics-legacy.csv", "format": "qualtrics"},
    "limesurvey-code-text": {"responses": "limesurvey-code-text.csv", "format": "limesurvey"},
    "limesurvey-de": {"responses": "limesurvey-de.csv", "format": "limesurvey"},
    "limesurvey-fr": {"responses": "limesurvey-fr.csv", "format": "limesurvey"},
    "limesurvey-es": {"responses": "limesurvey-es.csv", "format": "limesurvey"},
    "limesurvey-anonymised": {"responses": "limesurvey-anonymised.csv", "format": "limesurvey"},
    "limesurvey-abbreviated": {"responses": "limesurvey-abbreviated.csv", "format": "limesurvey"},
    "limesurvey-codes": {
        "responses": "limesurvey-codes.csv", "format": "limesurvey",
        "columns": {"team": "G00Q01", "respondent": "G00Q02", "role": "G00Q03"},
        "codes": {f"G01Q{i:02d}": f"q{i:02d}" for i in range(1, 13)},
    },
    "google-forms-repeated": {
        **SURVEY["google-forms"], "responses": "google-forms-repeated.csv",
    },
}
SURVEY.update(LAYOUTS)
FEEDBACK_LAYOUTS = {
    "microsoft-forms-quiz": {"path": "feedback-microsoft-forms-quiz.xlsx", "format": "microsoft-forms"},
}
FEEDBACK.update(FEEDBACK_LAYOUTS)
