"""The operations page's floor part and a week notice as a person sees them, in Chromium at 375
and 1280 px: every table opened, nothing wider than the screen, no text under 12 px, the heat map's
numbers readable on their shades, and axe finds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import build_site
from tests.programs.floor_fixtures import FLOOR, PROGRAM_A, PROGRAM_B
from tests.programs.test_truth_browser import CONTRAST_JS
from tests.reports.layout import measure

pytestmark = pytest.mark.browser

SMALL_TEXT_JS = r"""
() => [...document.querySelectorAll('article *')].filter(el => el.getClientRects().length
    && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
    && parseFloat(getComputedStyle(el).fontSize) < 12).map(el => `${el.tagName} ${el.className} ${getComputedStyle(el).fontSize}`).slice(0, 5)
"""


@pytest.fixture(scope="module")
def floor_site(tmp_path_factory) -> Path:
    from tests.conftest import write  # the make_site fixture is per test; this site is built once
    import yaml

    root = tmp_path_factory.mktemp("floor") / "project"
    write(root / "content" / "index.md", "# Home\n")
    b = PROGRAM_B + "  below_minimum:\n    - {session: launch, why: The vendor can only go live that evening.}\n"
    for name, text in {"_floor.yml": FLOOR, "a.yml": PROGRAM_A, "b.yml": b}.items():
        write(root / "programs" / name, text)
    config = {"site_name": "Test site", "site_url": "https://learning.example.org/", "docs_dir": "content", "site_dir": "site",
              "theme": {"name": "material", "font": False}, "plugins": ["search", {"lchc": {"today": "2027-03-01"}}]}
    write(root / "mkdocs.yml", yaml.safe_dump(config, sort_keys=False))
    return build_site(root, strict=True)


@pytest.mark.parametrize("width", [375, 1280])
def test_floor_pages_as_a_person_sees_them(floor_site: Path, browser, serve, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base = serve(floor_site)
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: dict[str, list] = {}
    for path in ("programs/operations/", "programs/operations/manila/"):
        page.goto(base + path)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        m = measure(page)
        found = [v["id"] for v in Axe().run(page).response["violations"]]
        problems[path] = [*(["scrolls sideways"] if m["page"] > 0 else []), *m["wide"], *page.evaluate(SMALL_TEXT_JS), *found]
    page.goto(base + "programs/operations/")
    shades = page.evaluate(CONTRAST_JS, ".lchc-heat-cell:not(:empty)")
    cells = page.evaluate("() => document.querySelectorAll('.lchc-heat-cell').length")
    page.close()
    assert problems == {"programs/operations/": [], "programs/operations/manila/": []}
    assert cells == 7 * (2 + 0 + 3) and shades and all(ratio >= 4.5 for _, _, ratio in shades), shades
