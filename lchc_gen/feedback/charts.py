"""Small inline SVG charts for program pages: NPS by run, and a measure over time.

Each has a <title> and <desc>; the page also shows the same numbers as a table or list,
which is the text alternative a screen reader or a printout relies on.
"""

from __future__ import annotations

import math
from typing import Sequence

from markupsafe import Markup, escape

from .score import RunFeedback, signed, whole

INK = "#3f51b5"  # indigo, >= 3:1 against white for graphics (WCAG 1.4.11)
TARGET = "#b3261e"
GRID = "#767676"


SCALE = 1.15  # drawn size over viewBox size: 13-unit text shows at about 15 px, and shrinks on narrow screens


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str, layout: str = "") -> Markup:
    """``layout``: "wide" or "narrow" for a chart drawn twice (the stylesheet shows one); the
    narrow one is as wide as the phone's column, so its text stays at its drawn size or more."""
    extra = f" lchc-chart-{layout}" if layout else ""
    size = 'width="100%"' if layout == "narrow" else f'width="{round(width * SCALE)}" height="{round(height * SCALE)}"'
    return Markup(
        f'<svg class="lchc-chart lchc-small-chart{extra}" viewBox="0 0 {width} {height}" {size} role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg" font-size="13">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def nps_chart(runs: Sequence[RunFeedback], ident: str) -> Markup:
    """NPS of each run as a dot with its 95% margin as a bar (hidden runs as a note, not a dot),
    and under each run's name its response rate."""
    left, right, top, bottom = 44, 12, 12, 64
    step = 130
    width = max(320, left + right + step * len(runs))
    height = 200
    plot_h = height - top - bottom

    def y(v: float) -> float:
        return top + (100 - v) / 200 * plot_h

    body = []
    for v in (-100, 0, 100):
        dash = "" if v == 0 else ' stroke-dasharray="3 3"'
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{GRID}" '
            f'stroke-width="{1 if v == 0 else 0.5}"{dash}/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" fill="currentColor">{signed(v)}</text>'
        )
    words = []
    for i, run in enumerate(runs):
        cx = left + step * i + step / 2
        body.append(_label(cx, height - bottom + 18, run.label))
        rate = f"{whole(100 * run.response_rate)}% responded" if run.response_rate is not None else f"{run.respondents} responded"
        body.append(f'<text x="{cx:.1f}" y="{height - 8}" text-anchor="middle" fill="currentColor" font-style="italic">{rate}</text>')
        nps = run.nps
        if nps.score is None or nps.margin is None:
            short = "open" if run.open else "not enough answers" if nps.hidden is None else "not shown"
            body.append(f'<text x="{cx:.1f}" y="{y(0) - 8:.1f}" text-anchor="middle" fill="currentColor">{short}</text>')
            words.append(f"{run.label}: {nps.text}, responded: {run.response_text}")
            continue
        # Drawn from the printed whole numbers: the dot's position must not say more than the table.
        score, margin = whole(nps.score), whole(nps.margin)
        lo, hi = max(-100, score - margin), min(100, score + margin)
        body.append(
            f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(hi):.1f}" y2="{y(lo):.1f}" stroke="{INK}" stroke-width="2"/>'
            f'<circle cx="{cx:.1f}" cy="{y(score):.1f}" r="5" fill="{INK}"/>'
            f'<text x="{cx + 9:.1f}" y="{y(score) + 4:.1f}" fill="currentColor">{signed(score)}</text>'
        )
        words.append(f"{run.label}: NPS {nps.text} ({nps.answers} {'person' if nps.answers == 1 else 'people'}), responded: {run.response_text}")
    desc = ("Net Promoter Score by run, from -100 to +100, with its 95% margin of error, and the response rate. "
            + "; ".join(words) + ".")
    return _svg(width, height, "Net Promoter Score and response rate by run", desc, body, ident)


def _wrap(words: list[str], width: int) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word if len(word) <= width else word[: width - 1] + "\u2026")
    return lines


def _lines(label: str, width: int = 19) -> list[str]:
    """A run name in at most two lines; a longer one keeps its end, where names usually differ
    ("...a report in the" / "2026-H1 cycle"). The table and <desc> have every name in full."""
    lines = _wrap(label.split(), width)
    if len(lines) <= 2:
        return lines
    # Wrapped from the end: the last two lines, full, and an ellipsis for what does not fit.
    backward = [" ".join(reversed(line.split())) for line in _wrap(list(reversed(label.split())), width - 1)]
    return ["\u2026" + backward[1], backward[0]]


def _label(x: float, y: float, label: str) -> str:
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else 15}">{escape(line)}</tspan>' for i, line in enumerate(_lines(label))
    )
    return f'<text x="{x:.1f}" y="{y}" text-anchor="middle" fill="currentColor">{spans}</text>'


def nice_ticks(lo: float, hi: float, most: int = 5) -> list[float]:
    """Round values from about ``lo`` to ``hi`` (steps of 1, 2 or 5 times a power of ten),
    at most ``most`` of them, covering both ends."""
    span_ = (hi - lo) or abs(hi) or 1.0
    raw = span_ / max(1, most - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(lo / step) * step
    ticks = []
    v = first
    while v < hi + step * 0.999:
        ticks.append(round(v, 10))
        v += step
    return ticks


MEASURE_WIDE, MEASURE_NARROW = 400, 300  # SVG units; the narrow one fills a phone's column


def measure_chart(points: Sequence[tuple[str, float]], target: float | None, unit: str, ident: str, title: str) -> Markup:
    """Baseline and results in date order as a line, the target as a dashed line labelled past
    the plot's right edge (no point can cover it), a value axis with round steps; drawn twice,
    wide (screens, print) and narrow (phones), as the reports' charts are; CSS shows one."""
    return _measure(points, target, unit, f"{ident}-w", title, MEASURE_WIDE) + _measure(points, target, unit, f"{ident}-n", title, MEASURE_NARROW)


def _measure(points: Sequence[tuple[str, float]], target: float | None, unit: str, ident: str, title: str, width: int) -> Markup:
    values = [v for _, v in points] + ([target] if target is not None else [])
    ticks = nice_ticks(min(values), max(values), 5 if width >= MEASURE_WIDE else 4)
    lo, hi = ticks[0], ticks[-1]
    if hi == lo:
        hi = lo + 1
    tick_w = max(len(_num(t)) for t in ticks) * 8 + 10
    target_text = f"target {_num(target)}" if target is not None else ""
    left, right, top, bottom = tick_w + 6, (len(target_text) * 7.5 + 12 if target_text else 16), 14, 34
    height = 180
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + 8 + ((plot_w - 16) * i / (len(points) - 1) if len(points) > 1 else (plot_w - 16) / 2)

    def y(v: float) -> float:
        return top + (hi - v) / (hi - lo) * plot_h

    body = [f'<line x1="{left}" x2="{left}" y1="{top}" y2="{height - bottom}" stroke="{GRID}"/>']
    for t in ticks:
        body.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="{GRID}" stroke-width="0.5" stroke-dasharray="2 3"/>'
            f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" fill="currentColor">{escape(_num(t))}</text>'
        )
    if target is not None:
        body.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(target):.1f}" y2="{y(target):.1f}" stroke="{TARGET}" '
            f'stroke-width="1.5" stroke-dasharray="5 4"/>'
            f'<text x="{left + plot_w + 6}" y="{y(target) + 4:.1f}" fill="currentColor">{escape(target_text)}</text>'
        )
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(i):.1f} {y(v):.1f}" for i, (_, v) in enumerate(points))
    body.append(f'<path d="{path}" fill="none" stroke="{INK}" stroke-width="2"/>')
    for i, (label, v) in enumerate(points):
        body.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="{INK}"/>')
        anchor = "start" if i == 0 and len(points) > 1 else ("end" if i == len(points) - 1 and len(points) > 1 else "middle")
        shift = -8 if anchor == "start" else 8 if anchor == "end" else 0  # from the plot's inset to its edge
        body.append(f'<text x="{x(i) + shift:.1f}" y="{height - 12}" text-anchor="{anchor}" fill="currentColor">{escape(label)}</text>')
    words = "; ".join(f"{label}: {_num(v)}{(' ' + unit) if unit else ''}" for label, v in points)
    desc = f"{title}. {words}." + (f" Target: {_num(target)}." if target is not None else "")
    return _svg(width, height, title, desc, body, ident, "wide" if width >= MEASURE_WIDE else "narrow")


def _num(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"
