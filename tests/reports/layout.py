"""Measuring what a reader sees, in the browser: sideways overflow, cut-off boxes, chart text size.

Used by the browser tests of reports and "My reports"; every check is a number read from the
rendered page, not a look at a screenshot."""

from __future__ import annotations

import struct

# Elements that are visually hidden on purpose (clipped to 1 px for screen readers) are skipped.
MEASURE_JS = r"""
(root) => {
  const hiddenOnPurpose = el => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if ((s.clip && s.clip !== 'auto') || (s.position === 'absolute' && e.getBoundingClientRect().width <= 1)) return true;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const vw = document.documentElement.clientWidth;
  const wide = [], cut = [], small = [];
  for (const el of document.querySelectorAll(root + ' *')) {
    if (!el.getClientRects().length || hiddenOnPurpose(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width > vw + 0.5 || r.right > vw + 0.5 || r.left < -0.5) wide.push(`${name(el)} ${r.left.toFixed(0)}..${r.right.toFixed(0)}`);
    const ox = getComputedStyle(el).overflowX;
    if (ox !== 'visible' && !(el instanceof SVGElement) && el.scrollWidth > el.clientWidth + 1) cut.push(`${name(el)} ${el.scrollWidth}>${el.clientWidth}`);
  }
  const texts = [...document.querySelectorAll(root + ' svg.lchc-chart text')].filter(t => t.getClientRects().length);
  const clipped = [];
  for (const t of texts) {
    const px = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
    if (px < 12) small.push(`${t.textContent} ${px.toFixed(1)}px`);
    // Text drawn past the chart's own edges is cut off by the SVG (as "Second half 20" was).
    const box = t.getBBox(), view = t.ownerSVGElement.viewBox.baseVal;
    if (box.x < -0.5 || box.x + box.width > view.width + 0.5) clipped.push(`${t.textContent} ${box.x.toFixed(0)}..${(box.x + box.width).toFixed(0)} of ${view.width}`);
  }
  return {
    page: document.documentElement.scrollWidth - vw,
    wide: wide.slice(0, 5), cut: cut.slice(0, 5), small: small.slice(0, 5), clipped: clipped.slice(0, 5), chartTexts: texts.length,
  };
}
"""


def measure(page, root: str = "article") -> dict:  # type: ignore[no-untyped-def]
    return page.evaluate(MEASURE_JS, root)


def png_width(png: bytes) -> int:
    """Width of a PNG image from its header: a full-page screenshot is as wide as the page."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", png[16:20])[0]
