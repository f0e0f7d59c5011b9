"""Navigation by audience: programs first, then planning and review, "My reports", the guide last;
the home page leads to each audience's entry; a generated page left out of the nav is a warning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import Abort

from lchc_gen.programs.load import load_programs
from tests.conftest import REPO, build_site


def nav_entries(html: str) -> list[str]:
    """The primary navigation's section labels and links, in order ("§ Programs", "All programs")."""
    start = html.index('class="md-nav md-nav--primary"')
    out = []
    for m in re.finditer(r'<(label|a)\b[^>]*class="md-nav__link[^"]*"[^>]*>(.*?)</\1>', html[start:], re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", m.group(2)).split()).replace("&amp;", "&")
        out.append(f"§ {text}" if m.group(1) == "label" else text)
    return out


def test_the_demo_nav_puts_programs_first_and_the_guide_last(demo_site: Path) -> None:
    entries = nav_entries((demo_site / "index.html").read_text(encoding="utf-8"))
    sections = [e for e in entries if e.startswith("§ ")]
    assert sections[:4] == ["§ Home", "§ Programs", "§ Planning and review", "§ Guide for editors"]
    assert entries.index("My reports") < entries.index("§ Guide for editors")
    at = entries.index("§ Programs")
    titles = [lp.program.title for lp in load_programs(REPO / "programs", REPO)]
    assert titles == sorted(titles, key=str.lower)  # the programs page's order: by title
    assert entries[at + 1: at + 3 + len(titles)] == ["All programs", "Upcoming sessions", *titles]
    assert entries[at + 3 + len(titles):][:3] == ["§ Planning and review", "Operations", "Objectives review"]


def test_the_home_page_leads_each_audience_to_its_entry(demo_site: Path) -> None:
    html = (demo_site / "index.html").read_text(encoding="utf-8")
    content = html[html.index('<article'):html.index('</article>')]
    links = re.findall(r'<a href="([^"#]+)"', content)
    for target in ("programs/", "programs/upcoming/", "programs/review/", "programs/operations/", "reports/", "guide/"):
        assert target in links, target
    for audience in ("Learners", "Stakeholders", "Managers", "Editors"):
        assert f"<strong>{audience}</strong>" in content


def test_a_generated_page_left_out_of_the_nav_is_a_warning(make_site, caplog) -> None:
    root = make_site(copy_demo=True)
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["nav"] = [{"Home": "index.md"}, {"Programs": ["programs/index.md", "programs/safety-refresher.md"]}]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    with pytest.raises(Abort):
        build_site(root)
    assert re.search(r"nav leaves out these generated pages.*programs/sales-discovery-calls\.md", caplog.text)
    assert "programs/safety-refresher.md" not in caplog.text.split("leaves out")[1]
    config["nav"][1]["Programs"] += [f"programs/{p.stem}.md" for p in (root / "programs").glob("*.yml") if not p.name.startswith("_")]  # _floor.yml: no page
    config["nav"][1]["Programs"] += ["programs/operations.md", "programs/upcoming.md", "programs/review.md"]
    config["nav"][1]["Programs"] = list(dict.fromkeys(config["nav"][1]["Programs"]))
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    assert (build_site(root) / "index.html").exists()


def test_the_guide_uses_no_demo_team_or_person_as_its_example() -> None:
    """A guide example that names a real demo team reads as a fact about that team."""
    org = yaml.safe_load((REPO / "survey" / "org.yml").read_text(encoding="utf-8"))
    names = [t["name"] for t in org["teams"]] + [p["name"] for p in org["people"]]
    for page in sorted((REPO / "content" / "guide").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        assert [n for n in names if n in text] == [], page.name


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_the_404_page_leads_home_and_passes_axe(demo_site: Path, browser, serve, width: int) -> None:
    """Served, as hosts serve it, at an address with no page, however deep."""
    from axe_playwright_python.sync_playwright import Axe

    base = serve(demo_site)
    page = browser.new_page(viewport={"width": width, "height": 800})
    body = (demo_site / "404.html").read_bytes()
    page.route("**/no/such/page/", lambda route: route.fulfill(status=404, body=body, content_type="text/html"))
    page.goto(base + "no/such/page/")
    assert page.inner_text("article h1") == "Page not found"
    result = Axe().run(page)
    assert result.response["passes"], "axe ran no rule: the check itself is broken"
    assert [v["id"] for v in result.response["violations"]] == []
    page.click("article a:text('Go to the home page')")
    page.wait_for_url(base)
    assert page.inner_text("article h1").startswith("Acme Learning & Development")
    page.close()
