"""The Leadership Culture Health Check core: schemas, loading, scoring and export.

Pure Python and pandas; nothing here imports MkDocs, so the CLI and tests use it directly.
"""

from .load import SurveyData, load_survey
from .model import Cycle, Organisation, Questionnaire, SurveyInputs
from .score import ItemReport, Overview, Participation, Scores, TeamReport, compute_scores

__all__ = [
    "Cycle",
    "ItemReport",
    "Organisation",
    "Overview",
    "Participation",
    "Questionnaire",
    "Scores",
    "SurveyData",
    "SurveyInputs",
    "TeamReport",
    "compute_scores",
    "load_survey",
]
