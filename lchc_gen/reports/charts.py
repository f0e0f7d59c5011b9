"""Inline SVG charts: no JavaScript, print well, and carry a text alternative.

Built from the numbers with a few lines of geometry rather than a chart library: the output is
small, deterministic and escapes every label (see benchmarks/chart_bench.py for the cost).

Every chart comes in two layouts, drawn at two widths: a wide one (640 units) for screens
from a tablet up and for print, and a narrow one (320 units) that a phone shows at about its
own size, so that its 12-unit text renders at 12 CSS px or more on a 375 px screen. A scaled-
down wide chart would shrink its text to about 6 px there. The stylesheet shows one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from markupsafe import Markup, escape

from ..survey import format as fmt

TEAM = "#3f51b5"  # indigo: contrast >= 3:1 against white for graphics (WCAG 1.4.11)
SELF = "#b3261e"
BENCH = "#202124"
FONT = 12  # every text of every chart, in SVG units
WIDE, NARROW = 640, 320


@dataclass(frozen=True)
class ItemPoint:
    label: str  # short, e.g. "q01"
    text: str  # full question, for the tooltip
    team: float | None
    self: float | None
    benchmark: float | None
    status: str  # why team is None, when it is


def _text_width(text: str) -> float:
    """A generous estimate of a label's width at FONT units (no font metrics at build time)."""
    return len(text) * FONT * 0.6


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str, layout: str) -> Markup:
    return Markup(
        f'<svg class="lchc-chart lchc-chart-{layout}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg" font-size="{FONT}">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _both(draw: Callable[[int, str], Markup], ident: str) -> Markup:
    return draw(WIDE, f"{ident}-w") + draw(NARROW, f"{ident}-n")


def _legend(entries: list[tuple[str, str]], x0: float, width: int, y0: float = 4) -> tuple[list[str], float]:
    """Legend entries (symbol markup at (0, 0) to (14, 14), label) in rows that fit the width.
    Returns the markup and the y below the last row."""
    out, x, y = [], x0, y0
    for symbol, label in entries:
        w = 20 + _text_width(label) + 14
        if x > x0 and x + w > width:
            x, y = x0, y + 18
        out.append(f'<g transform="translate({x:.0f} {y:.0f})">{symbol}<text x="20" y="12" fill="currentColor">{escape(label)}</text></g>')
        x += w
    return out, y + 18


def item_chart(points: Sequence[ItemPoint], scale: Sequence[tuple[int, str]], ident: str) -> Markup:
    """Per question: the team mean as a bar, the self-assessment as a diamond, the benchmark as a tick."""
    return _both(lambda width, i: _item_chart(points, scale, i, width), ident)


def _item_chart(points: Sequence[ItemPoint], scale: Sequence[tuple[int, str]], ident: str, width: int) -> Markup:
    lo, hi = scale[0][0], scale[-1][0]
    left = 40
    right = max(16, _text_width(scale[-1][1]) / 2 + 4)  # the last scale word is centred on the right edge
    row = 24
    plot = width - left - right

    def x(v: float) -> float:
        return left + (v - lo) / (hi - lo) * plot

    # Only what the chart draws gets a legend entry: no "Self-assessment" without one.
    entries = [(f'<rect x="0" y="2" width="14" height="10" fill="{TEAM}"/>', "Team mean")]
    if any(p.self is not None and p.team is not None for p in points):
        entries.append((f'<path d="M7 0 l7 7 l-7 7 l-7 -7z" fill="{SELF}"/>', "Self-assessment"))
    if any(p.benchmark is not None for p in points):
        entries.append((f'<rect x="6" y="0" width="3" height="14" fill="{BENCH}"/>', "Organisation benchmark"))
    body, y_legend = _legend(entries, 4, width)
    top = y_legend + 22
    height = top + row * len(points) + 8
    for value, label in scale:
        gx = x(value)
        body.append(f'<line x1="{gx:.1f}" y1="{top - 4}" x2="{gx:.1f}" y2="{height - 8}" stroke="currentColor" stroke-opacity=".2"/>')
        body.append(f'<text x="{gx:.1f}" y="{top - 8}" text-anchor="middle" fill="currentColor">{escape(label)}</text>')
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
    title = "Team mean" + (", self-assessment" if len(entries) > 1 and entries[1][1] == "Self-assessment" else "")
    title += " and benchmark per question" if entries[-1][1] == "Organisation benchmark" else " per question"
    return _svg(width, height, title, desc, body, ident, "wide" if width >= WIDE else "narrow")


def trend_chart(labels: Sequence[str], team: Sequence[float | None], self_: Sequence[float | None], scale: Sequence[tuple[int, str]], ident: str) -> Markup:
    """Team score and self score per cycle."""
    return _both(lambda width, i: _trend_chart(labels, team, self_, scale, i, width), ident)


def _trend_chart(labels: Sequence[str], team: Sequence[float | None], self_: Sequence[float | None], scale: Sequence[tuple[int, str]], ident: str, width: int) -> Markup:
    lo, hi = scale[0][0], scale[-1][0]
    left = max(_text_width(label) for _, label in scale) + 10
    right = 16
    step = (width - left - right) / max(len(labels) - 1, 1)
    # Cycle labels that would touch their neighbours go on two alternating lines.
    crowded = len(labels) > 2 and max(_text_width(label) for label in labels) + 8 > step
    top, bottom = 30, 34 + (18 if crowded else 0)
    height = 200 + bottom

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top + (hi - v) / (hi - lo) * (height - top - bottom)

    entries = [(f'<path d="M0 7 h16" stroke="{TEAM}" stroke-width="3"/>', "Team score")]
    if any(v is not None for v in self_):
        entries.append((f'<path d="M0 7 h16" stroke="{SELF}" stroke-width="3" stroke-dasharray="5 3"/>', "Self score"))
    body, _ = _legend(entries, left, width)
    for value, label in scale:
        _, gy = xy(0, value)
        body.append(f'<line x1="{left}" y1="{gy:.1f}" x2="{width - right}" y2="{gy:.1f}" stroke="currentColor" stroke-opacity=".2"/>')
        body.append(f'<text x="{left - 6}" y="{gy + 4:.1f}" text-anchor="end" fill="currentColor">{escape(label)}</text>')
    for i, label in enumerate(labels):
        cx, _ = xy(i, lo)
        # The first and last labels grow inwards, so neither is cut at the chart's edge.
        anchor = "start" if i == 0 and len(labels) > 1 else "end" if i == len(labels) - 1 and len(labels) > 1 else "middle"
        ly = height - bottom + 22 + (18 if crowded and i % 2 else 0)
        body.append(f'<text x="{cx:.1f}" y="{ly}" text-anchor="{anchor}" fill="currentColor">{escape(label)}</text>')
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
    return _svg(width, height, "Team score and self score by cycle", desc, body, ident, "wide" if width >= WIDE else "narrow")


def histogram(bins: Sequence[tuple[str, int]], ident: str, title: str, axis: str) -> Markup:
    """Counts per bin, e.g. teams per half point of self-awareness score, as horizontal bars:
    one row per bin, so that bin labels never crowd each other on a narrow screen."""
    return _both(lambda width, i: _histogram(bins, i, title, axis, width), ident)


def _histogram(bins: Sequence[tuple[str, int]], ident: str, title: str, axis: str, width: int) -> Markup:
    left = max((_text_width(label) for label, _ in bins), default=0) + 12
    right, top, row = 32, 26, 22
    most = max((n for _, n in bins), default=0) or 1
    height = top + row * len(bins) + 6
    body = [f'<text x="4" y="16" fill="currentColor" font-weight="700">{escape(axis)}</text>']
    for i, (label, n) in enumerate(bins):
        y = top + i * row
        w = n / most * (width - left - right)
        body.append(f'<text x="{left - 8:.0f}" y="{y + 14}" text-anchor="end" fill="currentColor">{escape(label)}</text>')
        body.append(f'<rect x="{left:.0f}" y="{y + 3}" width="{w:.1f}" height="14" fill="{TEAM}"/>')
        body.append(f'<text x="{left + w + 4:.1f}" y="{y + 14}" fill="currentColor">{n}</text>')
    desc = "Histogram. " + " ".join(f"{label}: {n}." for label, n in bins)
    return _svg(width, height, title, desc, body, ident, "wide" if width >= WIDE else "narrow")
