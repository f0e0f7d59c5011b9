"""Seeded SYNTHETIC learner feedback: the demo's files, and files of any size for benchmarks.

Answers are drawn per run from a made-up tendency; comments from a fixed pool of invented
sentences. The same seed gives the same files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from ..demo_output import write_demo_files
from ..programs.load import LoadedProgram

COMMENTS = (  # fits any program
    "I would have liked the slides before the session.",
    "Clear, practical, and short enough to fit my week.",
    "More time for questions at the end would help.",
    "Loved the peer feedback round.",
    "Audio in the hybrid room was poor.",
    "Good pace, and the examples came from our own work.",
)
PROGRAM_COMMENTS = {  # invented, but true to each demo program
    "sales-discovery-calls": (
        "The practice calls were the most useful part.",
        "Too much theory in the first hour; more role play please.",
        "The Thursday session repeated too much of Tuesday.",
        "I did not see how this applies to renewals.",
        "The question checklist is already on my desk.",
    ),
    "support-onboarding": (
        "Hard to join the live sessions from the Manila office at that hour.",
        "The escalation rules were the hardest part to apply.",
        "The practice tickets were close to the real ones.",
    ),
    "leadership-development": (
        "Reading my report with peers made the numbers less scary.",
        "I would have liked more time for Now what.",
        "Good that nobody had to show their numbers.",
    ),
}


# A comment about a room only fits a program that has one; elsewhere its online counterpart.
ROOM_COMMENT = "Audio in the hybrid room was poor."
ONLINE_COMMENT = "The video call worked well, even from home."

# What each demo run's learners said, so that each program's "you said, we did" (`changes`) is
# true to the run it names: {run file: {program: {drawn comment: what this run said instead}}}.
# A replacement, not a new draw, so every other number of the demo stays as it was.
RUN_COMMENTS: dict[str, dict[str, dict[str, str]]] = {
    "sales-discovery-calls-pilot.csv": {"sales-discovery-calls": {
        # the pilot's complaint, fixed in April; the slides came up in June
        "I would have liked the slides before the session.": "The Thursday session repeated too much of Tuesday.",
    }},
    "sales-discovery-calls-2026-06.csv": {"sales-discovery-calls": {
        # Thursday starts from each rep's own calls since April
        "The Thursday session repeated too much of Tuesday.": "Starting Thursday from our own calls of the week works well.",
    }},
    "2026-H1-all-programs.csv": {"leadership-development": {
        "I would have liked the slides before the session.": "The six-week check-in is easy to forget once the day-to-day takes over.",
    }},
}


@dataclass(frozen=True)
class DemoRun:
    path: str  # relative to the output folder
    run: str
    programs: tuple[str, ...]  # one: the file is configured for it; several: a `program` column
    rows: dict[str, int]  # program id -> submissions
    invited: int | None = None
    mood: float = 8.0  # mean of the NPS answers
    start: dt.datetime = dt.datetime(2026, 3, 20, 16, 0, tzinfo=dt.timezone.utc)
    format: str = "native"  # "google-forms": written as Google Forms exports it (see google_forms_rows)
    # Per program: the session its rows are about (a `session` column), and when its form went out
    # (after that session, never before it; default `start`).
    sessions: dict[str, str] = field(default_factory=dict)
    starts: dict[str, dt.datetime] = field(default_factory=dict)
    # Per program: how many of the drawn rows are written (drawn in full, so that the seeded
    # answers of every other run stay what they were).
    kept: dict[str, int] = field(default_factory=dict)

    def start_of(self, program: str) -> dt.datetime:
        return self.starts.get(program, self.start)

    @property
    def closes(self) -> dt.date:
        """A past run: closed three weeks after its last feedback form went out (answers come within days)."""
        last = max([self.start, *self.starts.values()])
        return (last + dt.timedelta(days=21)).date()


# The demo site's runs: earlier runs of the demo programs, so a learner sees how each was received.
DEMO_RUNS = (
    # Leadership Development: 9 of the 11 managers who attended the 14 April session (the
    # attendance file) answered its form, sent when the session ended; support onboarding's
    # first-half run is not in its program file (which plans the January 2027 intake).
    DemoRun("2026-H1-all-programs.csv", "First half 2026", ("leadership-development", "support-onboarding"),
            {"leadership-development": 14, "support-onboarding": 9}, mood=7.8, kept={"leadership-development": 9},
            sessions={"leadership-development": "reflection-2026-h1"},
            starts={"leadership-development": dt.datetime(2026, 4, 14, 9, 30, tzinfo=dt.timezone.utc)}),
    DemoRun("sales-discovery-calls-pilot.csv", "Pilot, March 2026", ("sales-discovery-calls",),
            {"sales-discovery-calls": 11}, invited=12, mood=7.2, start=dt.datetime(2026, 3, 27, 15, 0, tzinfo=dt.timezone.utc)),
    DemoRun("sales-discovery-calls-2026-06.csv", "June 2026", ("sales-discovery-calls",),
            {"sales-discovery-calls": 13}, invited=14, mood=8.6, start=dt.datetime(2026, 6, 26, 15, 0, tzinfo=dt.timezone.utc)),
    DemoRun("support-onboarding-2026-09.csv", "September 2026 intake", ("support-onboarding",),
            {"support-onboarding": 4}, invited=6, mood=8.2, start=dt.datetime(2026, 9, 25, 14, 0, tzinfo=dt.timezone.utc),
            format="google-forms"),
)

# How the demo's Google Form asks its questions; `columns` maps the two its wording does not give away.
GOOGLE_CODE = "Your learner code (from the invitation)"
GOOGLE_COMMENT = "Anything else you would like to tell us?"
GOOGLE_NPS = "How likely are you to recommend this program to a colleague?"
_DUBLIN_SUMMER = dt.timezone(dt.timedelta(hours=1))
_CONFIDENCE = {"1": "1 - Not at all confident", "5": "5 - Completely confident"}


def _google_question(o) -> str:
    text = o.text.rstrip(".")
    if o.domain.value == "believe":
        return f"How much do you agree? {text}."
    return f"How confident are you that you can do this: {text[0].lower() + text[1:]}?"


def google_forms_rows(lp: LoadedProgram, rows: list[dict[str, str]]) -> list[list[str]]:
    """The same submissions as a Google Forms CSV: its timestamp, an email column, question texts as headings."""
    objectives = lp.program.objectives
    header = ["Timestamp", "Email Address", GOOGLE_CODE, GOOGLE_NPS, *(_google_question(o) for o in objectives), GOOGLE_COMMENT]
    out = [header]
    for row in rows:
        stamp = dt.datetime.fromisoformat(row["submitted_at"].replace("Z", "+00:00")).astimezone(_DUBLIN_SUMMER)
        code = row["respondent"]
        out.append([
            stamp.strftime("%Y/%m/%d %I:%M:%S %p") + " GMT+1", f"learner.{code[-4:]}@example.org", code, row["nps"],
            *(_CONFIDENCE.get(row[f"obj:{o.id}"], row[f"obj:{o.id}"]) for o in objectives), row["comment"],
        ])
    return out


# The demo's LCHC link: who attended the first reflection session, between the two survey cycles.
DEMO_ATTENDANCE = ("leadership-development", "reflection-2026-h1", "leadership-attendance.csv")


def _nps(rng: random.Random, mood: float) -> int | None:
    if rng.random() < 0.06:
        return None  # skipped the question
    return max(0, min(10, round(rng.gauss(mood, 1.6))))


def _rows(rng: random.Random, lp: LoadedProgram, n: int, mood: float, start: dt.datetime, with_program: bool, counter: list[int],
          session: str | None = None) -> list[dict[str, str]]:
    objectives = [o.id for o in lp.program.objectives]
    pool = COMMENTS + PROGRAM_COMMENTS.get(lp.program.id, ())
    hybrid = any(s.format == "hybrid" for s in lp.program.sessions)
    out = []
    for i in range(n):
        counter[0] += 1
        row = {"program": lp.program.id} if with_program else {}
        if session:
            row["session"] = session
        stamp = start + dt.timedelta(minutes=rng.randint(0, 60 * 48))
        nps = _nps(rng, mood)
        row.update(
            respondent=f"R{counter[0]:06d}",
            submitted_at=stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
            nps="" if nps is None else str(nps),
        )
        for oid in objectives:
            row[f"obj:{oid}"] = "" if rng.random() < 0.08 else str(max(1, min(5, round(rng.gauss(mood / 2.2, 0.8)))))
        row["comment"] = rng.choice(pool) if rng.random() < 0.45 else ""
        if row["comment"] == ROOM_COMMENT and not hybrid:
            row["comment"] = ONLINE_COMMENT
        out.append(row)
    return out


def _csv(rows: list[dict[str, str]]) -> bytes:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _table(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)  # as Google writes it
    return out.getvalue().encode("utf-8")


def demo_files(out: Path, programs: list[LoadedProgram], seed: int = 11) -> tuple[dict[str, bytes], list[dict[str, object]]]:
    """The demo's feedback files (name in `out` -> bytes) and their `feedback.files` entries for mkdocs.yml."""
    rng = random.Random(seed)
    by_id = {lp.program.id: lp for lp in programs}
    counter = [0]
    files: dict[str, bytes] = {}
    entries = []
    for run in DEMO_RUNS:
        several = len(run.programs) > 1
        rows = []
        for pid in run.programs:
            said = RUN_COMMENTS.get(run.path, {}).get(pid, {})
            drawn = _rows(rng, by_id[pid], run.rows[pid], run.mood, run.start_of(pid), several, counter, run.sessions.get(pid))
            for row in drawn[: run.kept.get(pid, len(drawn))]:
                rows.append(dict(row, comment=said.get(row["comment"], row["comment"])))
        if rows:  # one respondent changed their mind: the later submission is the one that counts
            again = dict(rows[0], submitted_at=(dt.datetime.fromisoformat(rows[0]["submitted_at"].replace("Z", "+00:00")) + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ"))
            again["nps"] = "9"
            rows.append(again)
        entry: dict[str, object] = {"path": (out / run.path).as_posix(), "run": run.run}
        if run.format == "google-forms":
            files[run.path] = _table(google_forms_rows(by_id[run.programs[0]], rows))
            entry.update(format="google-forms", columns={"respondent": GOOGLE_CODE, "comment": GOOGLE_COMMENT})
        else:
            files[run.path] = _csv(rows)
        if not several:
            entry["program"] = run.programs[0]
        if run.invited:
            entry["invited"] = run.invited
        entry["closes"] = run.closes.isoformat()
        entries.append(entry)
    return files, entries


def generate_demo(out: Path, programs: list[LoadedProgram], seed: int = 11, force: bool = False) -> list[dict[str, object]]:
    """Write the demo's feedback files; returns the `feedback.files` entries for mkdocs.yml.
    NotDemoOutput, before anything is written, if one exists that is not demo output (unless `force`)."""
    files, entries = demo_files(out, programs, seed)
    write_demo_files(out, files, force)
    return entries


def sized_files(out: Path, programs: list[LoadedProgram], rows: int, runs: int = 1, seed: int = 11) -> tuple[dict[str, bytes], list[dict[str, object]]]:
    """`runs` files per program with `rows` submissions each (any size, for tests and benchmarks)."""
    rng = random.Random(seed)
    counter = [0]
    files: dict[str, bytes] = {}
    entries = []
    for lp in programs:
        for r in range(runs):
            start = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.timezone.utc) + dt.timedelta(days=30 * r)
            name = f"{lp.program.id}-run{r + 1}.csv"
            files[name] = _csv(_rows(rng, lp, rows, rng.uniform(6.5, 9.0), start, False, counter))
            closes = (start + dt.timedelta(days=29)).date().isoformat()
            entries.append({"path": (out / name).as_posix(), "program": lp.program.id, "run": f"Run {r + 1}", "closes": closes})
    return files, entries


def generate_sized(out: Path, programs: list[LoadedProgram], rows: int, runs: int = 1, seed: int = 11, force: bool = False) -> list[dict[str, object]]:
    files, entries = sized_files(out, programs, rows, runs, seed)
    write_demo_files(out, files, force)
    return entries


def attendance_file(managers: list[str], session: str, share: float = 0.45, seed: int = 11) -> tuple[bytes, int]:
    """A SYNTHETIC attendance file: a seeded share of the managers attended `session`; and how many."""
    rng = random.Random(seed)
    chosen = sorted(rng.sample(sorted(managers), round(len(managers) * share)))
    return _csv([{"person": m, "session": session} for m in chosen]), len(chosen)


def generate_attendance(path: Path, managers: list[str], session: str, share: float = 0.45, seed: int = 11, force: bool = False) -> int:
    data, n = attendance_file(managers, session, share, seed)
    write_demo_files(path.parent, {path.name: data}, force)
    return n


DEMO_OBSERVED = ("sales-discovery-calls", "sales-discovery-calls-observed.csv")


def observation_file(lp: LoadedProgram, learners: int = 14, seed: int = 11) -> bytes:
    """A SYNTHETIC observation checklist export: each learner observed by their manager before the
    program and after it, on each "do" objective (yes / no), seen more often after."""
    from ..programs.model import Domain

    rng = random.Random(seed * 31 + 7)  # its own stream: the feedback files stay as they were
    do = [o.id for o in lp.program.objectives if o.domain is Domain.do]
    rows = []
    for phase, chance in (("before", 0.3), ("after", 0.7)):
        for i in range(learners):
            row = {"learner": f"L{i + 1:03d}", "when": phase}
            row.update({f"obs:{oid}": "yes" if rng.random() < chance else "no" for oid in do})
            rows.append(row)
    return _csv(rows)


DEMO_ROSTER = ("leadership-development", "leadership-roster.csv")
# Managers who started after the 2026-H2 session: the next one, in July 2027, is theirs.
NEW_MANAGER_STARTS = ("2026-10-26", "2026-11-09", "2026-11-23")


def roster_file(org: dict, attended: set[str], seed: int = 11) -> bytes:
    """A SYNTHETIC HR roster of the organisation's managers (person, team: the department they
    report into, location, start date, manager: the department head's reader id), and a few
    managers who joined after the 2026-H2 session (not in the organisation file: their teams'
    surveys came before them), in the department with most managers who did not attend."""
    rng = random.Random(seed * 17 + 3)  # its own stream: the other demo files stay as they were
    teams = {t["id"]: t for t in org["teams"]}
    managed = sorted((t for t in org["teams"] if t.get("parent") in teams), key=lambda t: t["manager"])
    rows = []
    for t in managed:
        parent = teams[t["parent"]]
        rows.append({"person": t["manager"], "team": parent["name"], "location": rng.choice(("Berlin HQ", "Remote")),
                     "start_date": f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                     "manager": parent["manager"]})
    absent: dict[str, int] = {}
    for t in managed:
        absent[t["parent"]] = absent.get(t["parent"], 0) + (t["manager"] not in attended)
    department = teams[max(sorted(absent), key=lambda k: absent[k])]
    for i, start in enumerate(NEW_MANAGER_STARTS):
        rows.append({"person": f"p{90001 + i:05d}", "team": department["name"], "location": ("Berlin HQ", "Remote")[i % 2],
                     "start_date": start, "manager": department["manager"]})
    return _csv(rows)
