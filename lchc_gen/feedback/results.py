"""Measured results and "you said, we did", from the program files alone (no feedback data needed)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..programs.load import LoadedProgram
from ..programs.model import Change, Measurement, Reading
from .charts import measure_chart


def number(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def with_unit(v: float, unit: str | None) -> str:
    if not unit:
        return number(v)
    return f"{number(v)}{unit}" if unit == "%" else f"{number(v)} {unit}"


@dataclass(frozen=True)
class MeasureView:
    m: Measurement
    before: Reading
    after: Reading | None
    chart: Markup | None

    @property
    def change(self) -> float | None:
        return None if self.after is None else self.after.value - self.before.value

    @property
    def change_text(self) -> str:
        delta = self.change
        if delta is None:
            return "not measured yet"
        if delta == 0:
            return "no change"
        unit = self.m.unit
        size = with_unit(abs(delta), "percentage points" if unit == "%" else unit)
        better = (delta > 0) == (self.m.better == "higher")
        return f"{'up' if delta > 0 else 'down'} {size} ({'better' if better else 'worse'})"

    @property
    def target_met(self) -> bool | None:
        if self.m.target is None or self.after is None:
            return None
        if self.m.better == "higher":
            return self.after.value >= self.m.target
        return self.after.value <= self.m.target

    @property
    def target_text(self) -> str:
        m = self.m
        if m.target is None:
            return "no target set"
        goal = f"target {with_unit(m.target, m.unit)} ({'or more' if m.better == 'higher' else 'or less'})"
        if self.after is None:
            return f"{goal}: not measured yet"
        return f"{goal}: {'met' if self.target_met else 'not met yet'}"


def measure_views(lp: LoadedProgram) -> list[tuple[Measurement, MeasureView | None]]:
    """Every measure by Kirkpatrick level, with its numbers' view when it has numbers."""
    out: list[tuple[Measurement, MeasureView | None]] = []
    for i, m in enumerate(sorted(lp.program.measurement, key=lambda m: m.level)):
        if m.baseline is None:
            out.append((m, None))
            continue
        readings = [m.baseline, *sorted(m.results, key=lambda r: r.date)]
        points = [(f"{r.date:%b %Y}", r.value) for r in readings]
        chart = measure_chart(points, m.target, m.unit or "", f"measure-{lp.program.id}-{i}", m.what) if m.results else None
        out.append((m, MeasureView(m, m.baseline, m.latest, chart)))
    return out


def changes_newest_first(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: c.date, reverse=True)


@dataclass(frozen=True)
class ChangeItem:
    program_id: str
    program_title: str
    change: Change


def latest_changes(programs: list[LoadedProgram], count: int = 5) -> list[ChangeItem]:
    """The latest changes across programs, newest first (as on the program pages)."""
    items = [ChangeItem(lp.program.id, lp.program.title, c) for lp in programs for c in lp.program.changes]
    items.sort(key=lambda i: (i.change.date, i.program_id), reverse=True)
    return items[:count]


def latest_changes_html(programs: list[LoadedProgram], env, href) -> str:
    """The `<!-- lchc:changes -->` block; `href(program_id)` links to a program page."""
    return env.get_template("latest_changes.html.j2").render(items=latest_changes(programs), href=href)
