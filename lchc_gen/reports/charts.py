"""Inline SVG charts: no JavaScript, print well, and carry a text alternative.

Built from the numbers with a few lines of geometry rather than a chart library: the output is
small, deterministic and escapes every label (see benchmarks/chart_bench.py for the cost).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from markupsafe import Markup, escape

from ..survey import format as fmt

TEAM = "#3f51b5"  # indigo: contrast >= 3:1 against white for graphics (WCAG 1.4.11)
SELF = "#b3261e"
BENCH = "#202124"


@dataclass(frozen=True)
class ItemPoint:
    label: str  # short, e.g. "q01"
    text: str  # full question, for the tooltip
    team: float | None
    self: float | None
    benchmark: float | None
    status: str  # why team is None, when it is


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> Markup:
    return Markup(
        f'<svg class="lchc-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg" font-size="12">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def item_chart(points: Sequence[ItemPoint], scale: Sequence[tuple[int, str]], ident: str) -> Markup:
    """Per question: the team mean as a bar, the self-assessment as a diamond, the benchmark as a tick."""
    lo, hi = scale[0][0], scale[-1][0]
    left, right, top, row = 48, 16, 34, 24
    width = 640
    plot = width - left - right
    height = top + row * len(points) + 8

    def x(v: float) -> float:
        return left + (v - lo) / (hi - lo) * plot

    body = [
        # legend
        f'<rect x="{left}" y="6" width="14" height="10" fill="{TEAM}"/>'
        f'<text x="{left + 18}" y="15" fill="currentColor">Team mean</text>'
        f'<path d="M{left + 110} 6 l6 5 l-6 5 l-6 -5z" fill="{SELF}"/>'
        f'<text x="{left + 122}" y="15" fill="currentColor">Self-assessment</text>'
        f'<rect x="{left + 240}" y="4" width="3" height="14" fill="{BENCH}"/>'
        f'<text x="{left + 248}" y="15" fill="currentColor">Organisation benchmark</text>'
    ]
    for value, label in scale:
        gx = x(value)
        body.append(f'<line x1="{gx:.1f}" y1="{top - 4}" x2="{gx:.1f}" y2="{height - 8}" stroke="currentColor" stroke-opacity=".2"/>')
        body.append(f'<text x="{gx:.1f}" y="{top - 8}" text-anchor="middle" fill="currentColor" font-size="10">{escape(label)}</text>')
    for i, p in enumerate(points):
        y = top + i * row
        body.append(f'<g><title>{escape(p.text)}</title>')
        body.append(f'<text x="4" y="{y + 15}" fill="currentColor">{escape(p.label)}</text>')
        if p.team is not None:
            body.append(f'<rect x="{left}" y="{y + 5}" width="{x(p.team) - left:.1f}" height="12" fill="{TEAM}"/>')
        else:
            body.append(f'<text x="{left + 4}" y="{y + 15}" fill="currentColor" font-style="italic">{escape(p.status)}</text>')
        if p.benchmark is not None:
            body.append(f'<rect x="{x(p.benchmark) - 1.5:.1f}" y="{y + 1}" width="3" height="20" fill="{BENCH}"/>')
        if p.self is not None and p.team is not None:
            sx = x(p.self)
            body.append(f'<path d="M{sx:.1f} {y + 4} l7 7 l-7 7 l-7 -7z" fill="{SELF}" stroke="#fff"/>')
        body.append("</g>")
    shown = [p for p in points if p.team is not None]
    desc = (
        f"Bar chart of {len(points)} questions on the {scale[0][1]} ({lo}) to {scale[-1][1]} ({hi}) scale. "
        + " ".join(
            f"{p.label}: team {fmt.number(p.team)}"
            + (f", self {p.self:g}" if p.self is not None else "")
            + (f", benchmark {fmt.number(p.benchmark)}" if p.benchmark is not None else "")
            + "."
            for p in shown
        )
        + (f" {len(points) - len(shown)} questions have no team mean shown." if len(shown) < len(points) else "")
    )
    return _svg(width, height, "Team mean, self-assessment and benchmark per question", desc, body, ident)


def trend_chart(labels: Sequence[str], team: Sequence[float | None], self_: Sequence[float | None], scale: Sequence[tuple[int, str]], ident: str) -> Markup:
    """Team score and self score per cycle."""
    lo, hi = scale[0][0], scale[-1][0]
    width, height, left, right, top, bottom = 640, 220, 70, 30, 30, 40
    step = (width - left - right) / max(len(labels) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top + (hi - v) / (hi - lo) * (height - top - bottom)

    body = [
        f'<path d="M{left} 12 h16" stroke="{TEAM}" stroke-width="3"/><text x="{left + 20}" y="16" fill="currentColor">Team score</text>'
        f'<path d="M{left + 120} 12 h16" stroke="{SELF}" stroke-width="3" stroke-dasharray="5 3"/><text x="{left + 140}" y="16" fill="currentColor">Self score</text>'
    ]
    for value, label in scale:
        _, gy = xy(0, value)
        body.append(f'<line x1="{left}" y1="{gy:.1f}" x2="{width - right}" y2="{gy:.1f}" stroke="currentColor" stroke-opacity=".2"/>')
        body.append(f'<text x="{left - 6}" y="{gy + 4:.1f}" text-anchor="end" fill="currentColor" font-size="10">{escape(label)}</text>')
    for i, label in enumerate(labels):
        cx, _ = xy(i, lo)
        body.append(f'<text x="{cx:.1f}" y="{height - 12}" text-anchor="middle" fill="currentColor">{escape(label)}</text>')
    for series, colour, dash in ((team, TEAM, ""), (self_, SELF, ' stroke-dasharray="5 3"')):
        pts = [xy(i, v) for i, v in enumerate(series) if v is not None]
        if len(pts) > 1:
            d = " ".join(f"{'M' if k == 0 else 'L'}{px:.1f} {py:.1f}" for k, (px, py) in enumerate(pts))
            body.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="3"{dash}/>')
        body += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="{colour}"/>' for px, py in pts]
    desc = "Line chart by cycle. " + " ".join(
        f"{label}: team score {fmt.number(t) if t is not None else 'not shown'}, self score {fmt.number(s) if s is not None else 'not shown'}."
        for label, t, s in zip(labels, team, self_)
    )
    return _svg(width, height, "Team score and self score by cycle", desc, body, ident)


def histogram(bins: Sequence[tuple[str, int]], ident: str, title: str, axis: str) -> Markup:
    """Counts per bin, e.g. teams per half point of self-awareness score."""
    width, height, left, bottom, top = 640, 200, 36, 44, 16
    most = max((n for _, n in bins), default=0) or 1
    step = (width - left - 8) / max(len(bins), 1)
    body = []
    for i, (label, n) in enumerate(bins):
        h = n / most * (height - top - bottom)
        bx = left + i * step
        body.append(f'<rect x="{bx + 2:.1f}" y="{height - bottom - h:.1f}" width="{step - 4:.1f}" height="{h:.1f}" fill="{TEAM}"/>')
        body.append(f'<text x="{bx + step / 2:.1f}" y="{height - bottom - h - 4:.1f}" text-anchor="middle" fill="currentColor">{n}</text>')
        body.append(f'<text x="{bx + step / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle" fill="currentColor" font-size="10">{escape(label)}</text>')
    body.append(f'<text x="{width / 2:.0f}" y="{height - 6}" text-anchor="middle" fill="currentColor">{escape(axis)}</text>')
    desc = "Histogram. " + " ".join(f"{label}: {n}." for label, n in bins)
    return _svg(width, height, title, desc, body, ident)
