"""The feedback inputs as configured in mkdocs.yml (the lchc plugin's ``feedback`` option)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..tabular.model import ExportOptions

K_FEEDBACK_FLOOR = 3  # fewer people than this would let a reader work out single answers
CLOSE_AFTER_DAYS = 14  # late answers usually come within two weeks of the last session


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedbackFile(ExportOptions):
    """One file of submissions: one run of one program, or one file for several programs."""

    path: str = Field(min_length=1, description="CSV or XLSX file, relative to the project root.")
    program: str | None = Field(None, description="The program of every row, when the file has no `program` column.")
    run: str | None = Field(
        None,
        min_length=1,
        description="The run's name, e.g. 'October 2026'; files are runs in this order. Without it, each row's run "
        "is the `cohort` of its session, and the file's cohorts are runs in the order of their first dates.",
    )
    invited: int | None = Field(None, ge=1, description="People in this run; without it, no response rate (unless the run is the program's only cohort: its audience.size).")
    closes: dt.date | None = Field(
        None,
        description="The day the run closes: its figures are published from then on, and answers submitted after it "
        "are left out. Without it, the run closes `close_after_days` after its last session.",
    )


class ObservationFile(ExportOptions):
    """The managers' observation checklist, filled in as a form (feedback/observe.py): columns
    `learner`, `when` (before / after), optional `submitted_at`, and `obs:<objective-id>` (yes / no)."""

    path: str = Field(min_length=1, description="CSV or XLSX file, relative to the project root (never inside docs_dir).")
    program: str = Field(min_length=1, description="The program whose 'do' objectives were observed.")
    closes: dt.date = Field(
        description="The day the observation round closes: its shares are published from then on, and observations "
        "submitted after it are left out (a share that changed with each new answer would give that answer away)."
    )


class ReachInput(ExportOptions):
    """Who has not been reached yet (feedback/reach.py): an HR roster (columns `person`, `team`,
    `location`, `start_date`, optional `manager`: the reader id of the team's manager) and who attended."""

    program: str = Field(min_length=1)
    roster: str = Field(min_length=1, description="CSV or XLSX roster, relative to the project root (never inside docs_dir).")
    attendance: str | None = Field(None, min_length=1, description="Attendance CSV (person, session or session@date) of the program.")


class AttendanceFile(_Strict):
    """Who attended which session of a program: columns `person` and `session`."""

    program: str = Field(min_length=1)
    path: str = Field(min_length=1)


class LchcLink(_Strict):
    """Compare LCHC score changes of managers who attended a program with those who did not."""

    program: str = Field(min_length=1, description="The program whose attendance is compared.")
    attendance: str = Field(min_length=1, description="Attendance CSV (person, session), relative to the project root.")
    cycle_dates: dict[str, dt.date] = Field(
        description="Each LCHC cycle id and the date its survey closed: attendance between two of them counts for that pair."
    )


class FeedbackInputs(_Strict):
    k_feedback: int = Field(
        5, description="People (not answers) needed before a figure or a run's comments are shown (at least 3)."
    )
    close_after_days: int = Field(
        CLOSE_AFTER_DAYS,
        ge=0,
        description="Days after a run's last session before it closes and its figures are published (a file's "
        "`closes` overrides it). Until then pages say when results will appear.",
    )
    files: list[FeedbackFile] = Field(default_factory=list)
    admins: list[str] = Field(
        default_factory=list, description="Reader ids of L&D admins (besides the survey's admins): they read every comment and the admin view."
    )
    lchc_link: LchcLink | None = None
    observations: list[ObservationFile] = Field(
        default_factory=list, description="Observation checklists from the managers' briefs: a Level-3 measure per program."
    )
    reach: list[ReachInput] = Field(
        default_factory=list, description="Rosters and attendance: who joined after the last session and when they can catch up."
    )

    @field_validator("k_feedback")
    @classmethod
    def _floor(cls, v: int) -> int:
        if v < K_FEEDBACK_FLOOR:
            raise ValueError(f"k_feedback protects respondents and cannot be below {K_FEEDBACK_FLOOR}")
        return v

    @model_validator(mode="after")
    def _distinct_files(self) -> "FeedbackInputs":
        paths = [f.path for f in self.files] + [f.path for f in self.observations] + [r.roster for r in self.reach]
        dupes = sorted({p for p in paths if paths.count(p) > 1})
        if dupes:
            raise ValueError(f"a feedback file is listed twice: {', '.join(dupes)}")
        return self
