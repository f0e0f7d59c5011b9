"""Scoring, vectorised over every cycle, team and question at once.

``compute_scores`` builds two frames that already honour every display rule: ``teams``
(index cycle, team) and ``items`` (index cycle, team, question). A value that must not be
shown is NaN there, so reports, the overview and the export cannot disagree: all of them
read these frames and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..access.authz import readers_of_team_report
from ..disclosure import small_groups
from ..disclosure.tables import PERCENTILE, Check, CycleTable, ReaderResult, protect_cycle, verify_cycle
from ..problems import DisclosureError, Problem
from . import format as fmt
from .load import SurveyData
from .model import Question

SHOWN = "shown"
NOT_ENOUGH = "not enough answers"
NO_DATA = "no data"
SUPPRESSED = "suppressed"
WITHHELD = "withheld"  # enough answers, but so few that the mean would give away how they answered

# Members answering an item before its Never ... Always counts, and its SD, are shown.
DISTRIBUTION_MIN = small_groups.DISTRIBUTION_MIN
PERCENTILE_MIN_TEAMS = 10
# Scores are means of small integers; compare them rounded so that two equal fractions
# reached by different sums count as ties, and a gap of exactly the threshold counts.
COMPARE_DECIMALS = 9


@dataclass(frozen=True, slots=True)
class Participation:
    members: int
    invited: int
    rate: float
    label: str

    def __str__(self) -> str:
        return fmt.participation(self.members, self.invited)


@dataclass(frozen=True, slots=True)
class ScaleCount:
    value: int
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class ItemReport:
    question_id: str
    text: str
    self_text: str
    theme: str
    # "shown", "not enough answers" (1 to k-1 answers), "no data" (no answer at all),
    # "withheld" (the mean of so few answers would give them away), or "suppressed" (the whole team is).
    status: str
    answers: int | None  # members with a non-N/A value
    mean: float | None
    sd: float | None  # agreement: population standard deviation of member values
    na_rate: float | None
    distribution: list[ScaleCount] | None
    self_value: int | None
    self_label: str | None
    gap: float | None
    flag: str | None  # "blind spot", "hidden strength" or None
    benchmark: float | None
    benchmark_protects: bool = False  # hidden so that no other team's mean can be worked out

    @property
    def shown(self) -> bool:
        return self.status == SHOWN


@dataclass(frozen=True, slots=True)
class TeamReport:
    cycle_id: str
    cycle_label: str
    previous_cycle_id: str | None
    team_id: str
    team_name: str
    manager_id: str
    manager_name: str
    parent_team_id: str | None
    parent_manager_id: str | None
    participation: Participation
    suppressed: bool
    suppressed_reason: str | None
    has_self: bool
    team_score: float | None
    self_score: float | None
    self_awareness: float | None
    benchmark: float | None
    percentile: float | None
    trend_team_score: float | None
    trend_self_awareness: float | None
    min_responses: int
    gap_threshold: float
    items: list[ItemReport] = field(default_factory=list)
    benchmark_min_teams: int = 5
    # Figures hidden in this report so that, with the other reports its readers open, no other
    # team's numbers can be worked out ("benchmark", "percentile", "item benchmarks").
    protects: frozenset[str] = frozenset()

    @property
    def themes(self) -> list[tuple[str, list[ItemReport]]]:
        """Items grouped by theme, in questionnaire order."""
        groups: dict[str, list[ItemReport]] = {}
        for item in self.items:
            groups.setdefault(item.theme, []).append(item)
        return list(groups.items())

    @property
    def blind_spots(self) -> list[ItemReport]:
        return [i for i in self.items if i.flag == "blind spot"]

    @property
    def hidden_strengths(self) -> list[ItemReport]:
        return [i for i in self.items if i.flag == "hidden strength"]

    @property
    def self_awareness_words(self) -> str:
        return fmt.self_awareness_words(self.self_awareness)


@dataclass(frozen=True)
class HeatmapRow:
    team_id: str
    team_name: str
    statuses: list[str]  # one per question, in questionnaire order
    means: list[float | None]


@dataclass(frozen=True)
class Bin:
    lower: float
    upper: float
    count: int


@dataclass(frozen=True)
class OverviewTeam:
    team_id: str
    team_name: str
    manager_name: str
    participation: Participation
    suppressed: bool
    team_score: float | None
    self_awareness: float | None


@dataclass(frozen=True)
class Overview:
    cycle_id: str
    cycle_label: str
    questions: list[Question]
    teams: list[OverviewTeam]
    heatmap: list[HeatmapRow]
    benchmark_items: list[float | None]  # one per question
    benchmark: float | None
    self_awareness: list[float]  # every team's score that is shown, ascending
    self_awareness_bins: list[Bin]  # half-point bins over those scores
    alpha: float | None
    alpha_rows: int  # complete member responses the alpha is computed on
    member_respondents: int


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values (much faster than ``to_dict`` on string columns)."""
    columns = [frame[c].to_numpy(dtype=object).tolist() for c in frame.columns]
    return [dict(zip(frame.columns, values)) for values in zip(*columns)]


def _opt(x: object) -> float | None:
    return None if pd.isna(x) else float(x)


def _opt_int(x: object) -> int | None:
    return None if pd.isna(x) else int(x)


class Scores:
    """Every number of every team, cycle and question, ready for reports and export."""

    def __init__(self, data: SurveyData):
        self.data = data
        inputs = data.inputs
        self.min_responses = inputs.min_responses
        self.gap_threshold = inputs.gap_threshold
        self.benchmark_min_teams = inputs.benchmark_min_teams
        self.cycle_ids = [c.id for c in inputs.cycles]
        self.previous = dict(zip(self.cycle_ids[1:], self.cycle_ids[:-1]))
        self.question_ids = data.questionnaire.question_ids
        self.scale_values = [o.value for o in data.questionnaire.scale]
        self._labels = {o.value: o.label for o in data.questionnaire.scale}
        self._questions = {q.id: q for q in data.questionnaire.questions}
        members = data.responses[data.responses["role"] == "member"]
        self.teams = self._team_frame(members)
        self.items = self._item_frame(members)
        self._aggregate()
        self._protect()
        self.alpha, self.alpha_rows = self._alpha(members)

    # ---- frames -------------------------------------------------------------------------

    def _team_frame(self, members: pd.DataFrame) -> pd.DataFrame:
        teams = self.data.invited.set_index(["cycle", "team"]).sort_index()
        teams["members"] = (
            members.groupby(["cycle", "team"])["respondent"].nunique().reindex(teams.index, fill_value=0).astype(int)
        )
        selfs = self.data.responses.loc[self.data.responses["role"] == "self", ["cycle", "team"]].drop_duplicates()
        teams["has_self"] = teams.index.isin(pd.MultiIndex.from_frame(selfs))
        teams["suppressed"] = teams["members"] < self.min_responses
        m, n = teams["members"].to_numpy(), teams["invited"].to_numpy()
        teams["participation"] = m / n
        # Integer arithmetic: 3 of 4 is exactly 75%, with no float rounding at the borders.
        teams["participation_label"] = np.select(
            [m * 100 >= 75 * n, m * 100 >= 60 * n], ["strong", "moderate"], "low: read with care"
        )
        return teams

    def _item_frame(self, members: pd.DataFrame) -> pd.DataFrame:
        keys = ["cycle", "team", "question"]
        grid = self.teams.index.to_frame(index=False).merge(pd.DataFrame({"question": self.question_ids}), how="cross")
        index = pd.MultiIndex.from_frame(grid)
        values = members.groupby(keys)["value"]
        items = pd.DataFrame(
            {"answers": values.count(), "mean": values.mean(), "sd": values.std(ddof=0)}
        ).reindex(index)
        items["answers"] = items["answers"].fillna(0).astype(int)
        team_members = self.teams["members"].reindex(index.droplevel("question")).to_numpy()
        suppressed = self.teams["suppressed"].reindex(index.droplevel("question")).to_numpy()

        answered = members.dropna(subset=["value"])
        counts = answered.groupby([*keys, "value"]).size().unstack("value", fill_value=0)
        counts = counts.reindex(index=index, columns=[float(v) for v in self.scale_values], fill_value=0)
        counts.columns = [f"n_{v}" for v in self.scale_values]

        selfs = self.data.responses[self.data.responses["role"] == "self"]
        items["self"] = selfs.set_index(keys)["value"].reindex(index)

        answers = items["answers"].to_numpy()
        items["status"] = np.select(
            [suppressed, answers >= self.min_responses, answers == 0], [SUPPRESSED, SHOWN, NO_DATA], NOT_ENOUGH
        )
        items.loc[self._withheld(answered, items), "status"] = WITHHELD
        shown = items["status"] == SHOWN
        items["mean"] = items["mean"].where(shown)
        # Below DISTRIBUTION_MIN answers, a mean and an SD together rebuild the answers (spec).
        items["sd"] = items["sd"].where(shown & (items["answers"] >= DISTRIBUTION_MIN))
        with np.errstate(divide="ignore", invalid="ignore"):
            items["na_rate"] = np.where(suppressed, np.nan, (team_members - answers) / team_members)
        items["answers"] = items["answers"].where(~suppressed)
        items["self"] = items["self"].where(~suppressed)
        items["gap"] = items["self"] - items["mean"]
        gap = items["gap"].round(COMPARE_DECIMALS)
        items["flag"] = np.select(
            [gap >= self.gap_threshold, gap <= -self.gap_threshold], ["blind spot", "hidden strength"], ""
        )
        counts = counts.astype(float)
        counts.loc[~(shown & (items["answers"] >= DISTRIBUTION_MIN)).to_numpy()] = np.nan
        return pd.concat([items, counts], axis=1)

    def _withheld(self, answered: pd.DataFrame, items: pd.DataFrame) -> pd.Index:
        """Shown items of fewer than DISTRIBUTION_MIN answers whose mean would give them away."""
        small = items.index[(items["status"] == SHOWN) & (items["answers"] < DISTRIBUTION_MIN)]
        if not len(small):
            return small
        keys = ["cycle", "team", "question"]
        values = answered.set_index(keys)["value"]
        values = values[values.index.isin(small)].sort_index()
        # One tuple of answers per item, split where the item changes (a groupby of tuples is slow).
        index = values.index
        starts = np.flatnonzero(np.r_[True, ~(index[1:] == index[:-1])]) if len(index) else np.array([], dtype=int)
        groups = np.split(values.to_numpy(dtype=int), starts[1:])
        scale = tuple(self.scale_values)
        disclosing = [small_groups.reveals(tuple(g), scale) is not None for g in groups]
        return index[starts][disclosing]

    def _aggregate(self) -> None:
        items, teams = self.items, self.teams
        by_team = items.groupby(level=["cycle", "team"])
        teams["team_score"] = by_team["mean"].mean()
        teams["self_score"] = items["self"].where(items["status"] == SHOWN).groupby(level=["cycle", "team"]).mean()
        teams["self_awareness"] = by_team["gap"].mean()

        # A benchmark is shown only when at least benchmark_min_teams teams' values went into it
        # (teams not suppressed; for a question, teams whose mean for it is shown): with fewer,
        # one manager could work out another team's numbers from their own and the benchmark.
        by_item = items.groupby(level=["cycle", "question"])["mean"]
        self.benchmark_items = by_item.mean().where(by_item.count() >= self.benchmark_min_teams)
        self._benchmark_by_cycle = {
            c: self.benchmark_items.get(c, pd.Series(dtype=float)).to_dict() for c in self.cycle_ids
        }
        # The overall benchmark is the mean of the question benchmarks there are (each question
        # counting the same, as in a team score), so it tells nothing they do not. As a mean of team
        # scores (the spec's first wording) it pinned down, with them, the score of a team with an
        # unusual number of shown questions.
        self.benchmark = self.benchmark_items.groupby(level="cycle").mean()

        ranked = teams["team_score"].round(COMPARE_DECIMALS).groupby(level="cycle")
        low, high, n = ranked.rank(method="min"), ranked.rank(method="max"), ranked.transform("count")
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = 100 * ((low - 1) + 0.5 * (high - low)) / (n - 1)
        teams["percentile"] = pct.where(n >= PERCENTILE_MIN_TEAMS)

        # The previous cycle's numbers, moved onto the cycle that follows it.
        prev = teams[["team_score", "self_awareness"]].reset_index()
        following = {p: c for c, p in self.previous.items()}
        prev["cycle"] = prev["cycle"].map(following)
        prev = prev.dropna(subset=["cycle"]).set_index(["cycle", "team"]).reindex(teams.index)
        teams["trend_team_score"] = teams["team_score"] - prev["team_score"]
        teams["trend_self_awareness"] = teams["self_awareness"] - prev["self_awareness"]

    def cycle_table(self, cycle: str, order: list[str]) -> CycleTable:
        """A cycle's published sums as the disclosure check reads them (teams in ``order``)."""
        values = sorted(self.scale_values)
        means = self.items.loc[cycle, "mean"].unstack("question").reindex(index=order, columns=self.question_ids)
        bench = self.benchmark_items.get(cycle, pd.Series(dtype=float)).reindex(self.question_ids)
        scores = self.teams.loc[cycle, "team_score"].reindex(order)
        return CycleTable(
            teams=order,
            means=means.to_numpy(dtype=float),
            scores=scores.to_numpy(dtype=float),
            item_benchmarks=bench.notna().to_numpy(),
            percentile=bool(scores.notna().sum() >= PERCENTILE_MIN_TEAMS),
            scale=(float(values[0]), float(values[-1])),
            protection=float(min(b - a for a, b in zip(values, values[1:]))),
        )

    def _protect(self) -> None:
        """Per cycle, hide the benchmarks and percentiles that a reader of several reports could
        subtract to work out a team they cannot open (disclosure/tables)."""
        org = self.data.organisation
        structure = {t.id: (t.manager, t.parent) for t in org.teams}
        admins = frozenset(org.admins)
        share_up = self.data.inputs.share_up
        self.protected: dict[tuple[str, str], frozenset[str]] = {}
        self.privacy: dict[str, dict[str, ReaderResult]] = {}
        problems: list[Problem] = []
        for cycle in self.cycle_ids:
            order = self.team_ids(cycle)
            index = {t: i for i, t in enumerate(order)}
            opened: dict[str, set[int]] = {}
            for team in order:
                for reader in readers_of_team_report(team, structure, admins, share_up):
                    opened.setdefault(reader, set()).add(index[team])
            check = Check(self.cycle_table(cycle, order))
            hidden, self.privacy[cycle] = protect_cycle(check, opened)
            for i, figures in hidden.items():
                self.protected[(cycle, order[i])] = frozenset(
                    self.question_ids[f] if isinstance(f, int) else f for f in figures
                )
            problems += self._verify(cycle, order, check)
        if problems:
            raise DisclosureError(problems)

    def _verify(self, cycle: str, order: list[str], check: Check) -> list[Problem]:
        """The final check, from what the reports will hide (``protected``, which the pages read)."""
        position = {q: n for n, q in enumerate(self.question_ids)}
        final = {
            i: {f if f == PERCENTILE else position[f] for f in self.protected.get((cycle, team), ())}
            for i, team in enumerate(order)
        }
        out = []
        for d in verify_cycle(check, self.privacy[cycle], final):
            figure = "team score" if d.question is None else f"mean for {self.question_ids[d.question]}"
            out.append(Problem(self.data.inputs.cycle(cycle).responses, 1, f"cycle {cycle}",
                               f"reader {d.reader} could place team {order[d.team]}'s {figure} within {d.width:.2f} "
                               "from the reports they open"))
        return out

    def _alpha(self, members: pd.DataFrame) -> tuple[dict[str, float | None], dict[str, int]]:
        """Cronbach's alpha per cycle over complete member responses (listwise deletion)."""
        wide = members.set_index(["cycle", "team", "respondent", "question"])["value"].unstack("question")
        complete = wide.reindex(columns=self.question_ids).dropna()
        k = len(self.question_ids)
        by_cycle = complete.groupby(level="cycle")
        item_var = by_cycle.var(ddof=1).sum(axis=1)
        total_var = complete.sum(axis=1).groupby(level="cycle").var(ddof=1)
        alpha = (k / (k - 1)) * (1 - item_var / total_var) if k > 1 else pd.Series(dtype=float)
        rows = by_cycle.size()
        return (
            {c: _opt(alpha.get(c)) if total_var.get(c, 0) > 0 else None for c in self.cycle_ids},
            {c: int(rows.get(c, 0)) for c in self.cycle_ids},
        )

    # ---- template-friendly views --------------------------------------------------------

    def team_ids(self, cycle_id: str) -> list[str]:
        """Teams taking part in a cycle, in organisation order."""
        taking_part = set(self.teams.loc[cycle_id].index)
        return [t.id for t in self.data.organisation.teams if t.id in taking_part]

    def team_report(self, cycle_id: str, team_id: str) -> TeamReport:
        items = _records(self.items.loc[(cycle_id, team_id)].reset_index())
        return self._report(cycle_id, team_id, _records(self.teams.loc[[(cycle_id, team_id)]])[0], items)

    def team_reports(self, cycle_id: str) -> list[TeamReport]:
        """Every team's report for a cycle, in organisation order; made once, and kept with the
        scores (in the build cache too: reading them back is quicker than making them)."""
        made: dict[str, list[TeamReport]] = self.__dict__.setdefault("_team_reports", {})
        if cycle_id not in made:
            made[cycle_id] = self._team_reports_of(cycle_id)
        return made[cycle_id]

    def _team_reports_of(self, cycle_id: str) -> list[TeamReport]:
        """One pass over the frames."""
        items: dict[str, list[dict]] = {}
        for row in _records(self.items.loc[cycle_id].reset_index()):
            items.setdefault(row["team"], []).append(row)
        teams = dict(zip(self.teams.loc[cycle_id].index, _records(self.teams.loc[cycle_id])))
        return [self._report(cycle_id, t, teams[t], items[t]) for t in self.team_ids(cycle_id)]

    def _report(self, cycle_id: str, team_id: str, row: dict, item_rows: list[dict]) -> TeamReport:
        org = self.data.organisation
        team = org.team(team_id)
        parent = org.parent_of(team_id)
        members, invited = int(row["members"]), int(row["invited"])
        suppressed = bool(row["suppressed"])
        protected = self.protected.get((cycle_id, team_id), frozenset())
        benchmark = {q: b for q, b in self._benchmark_by_cycle[cycle_id].items() if q not in protected}
        reason = None
        if suppressed:
            reason = (
                f"{members} team member{'s' if members != 1 else ''} answered. Team answers are shown only when"
                f" at least {self.min_responses} members answer, so that no one's answers can be singled out."
            )
        return TeamReport(
            cycle_id=cycle_id,
            cycle_label=self.data.inputs.cycle(cycle_id).label,
            previous_cycle_id=self.previous.get(cycle_id),
            team_id=team_id,
            team_name=team.name,
            manager_id=team.manager,
            manager_name=org.person(team.manager).name,
            parent_team_id=team.parent,
            parent_manager_id=parent.manager if parent else None,
            participation=Participation(members, invited, members / invited, str(row["participation_label"])),
            suppressed=suppressed,
            suppressed_reason=reason,
            has_self=bool(row["has_self"]),
            team_score=_opt(row["team_score"]),
            self_score=_opt(row["self_score"]),
            self_awareness=_opt(row["self_awareness"]),
            # Shown where every question's benchmark is: it is their mean, so it would give away one hidden here.
            benchmark=None if suppressed or protected - {PERCENTILE} else _opt(self.benchmark.get(cycle_id)),
            percentile=None if PERCENTILE in protected else _opt(row["percentile"]),
            trend_team_score=_opt(row["trend_team_score"]),
            trend_self_awareness=_opt(row["trend_self_awareness"]),
            min_responses=self.min_responses,
            gap_threshold=self.gap_threshold,
            benchmark_min_teams=self.benchmark_min_teams,
            items=[self._item(r, self._questions[r["question"]], suppressed, benchmark, protected) for r in item_rows],
            protects=frozenset(
                {PERCENTILE} & protected | ({"benchmark", "item benchmarks"} if protected - {PERCENTILE} else set())
            ),
        )

    def _item(
        self, r: dict, q: Question, suppressed: bool, benchmark: dict[str, float], protected: frozenset[str]
    ) -> ItemReport:
        self_value = _opt_int(r["self"])
        distribution = None
        if not pd.isna(r[f"n_{self.scale_values[0]}"]):
            distribution = [ScaleCount(v, self._labels[v], int(r[f"n_{v}"])) for v in self.scale_values]
        return ItemReport(
            question_id=q.id,
            text=q.text,
            self_text=q.self_text,
            theme=q.theme,
            status=str(r["status"]),
            answers=_opt_int(r["answers"]),
            mean=_opt(r["mean"]),
            sd=_opt(r["sd"]),
            na_rate=_opt(r["na_rate"]),
            distribution=distribution,
            self_value=self_value,
            self_label=self._labels.get(self_value) if self_value is not None else None,
            gap=_opt(r["gap"]),
            flag=str(r["flag"]) or None,
            benchmark=None if suppressed else _opt(benchmark.get(q.id)),
            benchmark_protects=q.id in protected,
        )

    def overview(self, cycle_id: str) -> Overview:
        order = self.team_ids(cycle_id)
        teams = self.teams.loc[cycle_id].reindex(order)
        items = self.items.loc[cycle_id]
        means = items["mean"].unstack("question").reindex(index=order, columns=self.question_ids)
        statuses = items["status"].unstack("question").reindex(index=order, columns=self.question_ids)
        org = self.data.organisation
        names = {t.id: t.name for t in org.teams}
        managers = {t.id: org.person(t.manager).name for t in org.teams}
        shown_sa = teams["self_awareness"].dropna().sort_values()
        return Overview(
            cycle_id=cycle_id,
            cycle_label=self.data.inputs.cycle(cycle_id).label,
            questions=list(self.data.questionnaire.questions),
            teams=[
                OverviewTeam(
                    team_id=t,
                    team_name=names[t],
                    manager_name=managers[t],
                    participation=Participation(int(r.members), int(r.invited), float(r.participation),
                                                str(r.participation_label)),
                    suppressed=bool(r.suppressed),
                    team_score=_opt(r.team_score),
                    self_awareness=_opt(r.self_awareness),
                )
                for t, r in zip(order, teams.itertuples())
            ],
            heatmap=[
                HeatmapRow(t, names[t], list(s), [_opt(x) for x in m])
                for t, s, m in zip(order, statuses.to_numpy().tolist(), means.to_numpy().tolist())
            ],
            benchmark_items=[_opt(self.benchmark_items.get((cycle_id, q))) for q in self.question_ids],
            benchmark=_opt(self.benchmark.get(cycle_id)),
            self_awareness=[float(x) for x in shown_sa],
            self_awareness_bins=_half_point_bins(shown_sa.to_numpy()),
            alpha=self.alpha[cycle_id],
            alpha_rows=self.alpha_rows[cycle_id],
            member_respondents=int(teams["members"].sum()),
        )


def _half_point_bins(values: np.ndarray) -> list[Bin]:
    if len(values) == 0:
        return []
    low = np.floor(values.min() * 2) / 2
    high = max(np.ceil(values.max() * 2) / 2, low + 0.5)
    edges = np.arange(low, high + 0.25, 0.5)
    counts, _ = np.histogram(values, bins=edges)
    return [Bin(float(a), float(b), int(c)) for a, b, c in zip(edges[:-1], edges[1:], counts)]


def compute_scores(data: SurveyData) -> Scores:
    return Scores(data)
