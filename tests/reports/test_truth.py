"""The truth test: the demo built on fixed days (before, between and after its sessions), and the
claims its reports make checked against the data they come from, read independently here:
the next step a report names is still ahead on that day, the readers it names are its readers,
and a report without answers draws no chart of them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, build_site, make_demo_project

# Before the first reflection session, the day the demo was read page by page, after every session.
DAYS = ("2026-04-01", "2026-12-07", "2027-08-01")


def _demo_on(root: Path, day: str) -> Path:
    """The demo with its reports as plain pages (the development preview) on `day`."""
    make_demo_project(root)
    config = (root / "mkdocs.yml").read_text()
    config = config.replace("reports_plaintext_preview: false", f'reports_plaintext_preview: true\n      today: "{day}"')
    config = re.sub(r"\n\s*keystore: .*", "", config)
    (root / "mkdocs.yml").write_text(config)
    return build_site(root, strict=False)


@pytest.fixture(scope="module", params=DAYS)
def built(request, tmp_path_factory) -> tuple[dt.date, Path]:
    return dt.date.fromisoformat(request.param), _demo_on(tmp_path_factory.mktemp(f"truth-{request.param}"), request.param)


def _reflection_sessions() -> dict[str, tuple[dt.date, str]]:
    """Cycle id -> (date, session id) of its reflection session, straight from the program file."""
    program = yaml.safe_load((REPO / "programs" / "leadership-development.yml").read_text())
    out = {}
    for s in program["sessions"]:
        cycle = re.search(r"\d{4}-H[12]", s["cohort"]).group(0)
        out[cycle] = (dt.date.fromisoformat(str(s["date"])), s["id"])
    return out


def _visible(html: str, field: str) -> str | None:
    """The text of the paragraph with this data-field, or None when it is absent or hidden."""
    m = re.search(rf'<p data-field="{field}"([^>]*)>(.*?)</p>', html, re.S)
    if m is None or re.search(r"\shidden(\s|$)", m.group(1)):
        return None
    return re.sub(r"<[^>]+>", "", m.group(2))


def _reports(site: Path) -> list[tuple[str, str, str]]:
    return [(p.parent.parent.name, p.parent.name, p.read_text()) for p in sorted((site / "reports").glob("20*/t*/index.html"))]


def test_the_next_step_a_report_names_is_ahead_on_the_day_it_is_read(built) -> None:
    today, site = built
    sessions = _reflection_sessions()
    reports = _reports(site)
    assert reports
    for cycle, team, html in reports:
        day, _ = sessions[cycle]
        ahead, over = _visible(html, "reflection-next"), _visible(html, "reflection-over")
        assert (ahead is None) != (over is None), (cycle, team)  # exactly one of them shows
        named = f"{day:%a} {day.day} {day:%b %Y}"
        if day >= today:
            assert ahead is not None and named in ahead and "Take these questions with you" in ahead, (cycle, team)
        else:
            assert over is not None and f"took place on {named}" in over, (cycle, team)
        # Whichever shows, the other carries the same end, so the reader's browser can switch them.
        ends = re.findall(r'data-field="reflection-(?:next|over)" data-lchc-until="([^"]+)"', html)
        assert len(ends) == 2 and ends[0] == ends[1] and ends[0].startswith(day.isoformat()), (cycle, team)


def test_the_readers_a_report_names_are_its_readers(built) -> None:
    _, site = built
    org = yaml.safe_load((REPO / "survey" / "org.yml").read_text())
    teams = {t["id"]: t for t in org["teams"]}
    names = {p["id"]: p["name"] for p in org["people"]}
    share_up = 1  # the demo's (the default)
    for cycle, team, html in _reports(site):
        expected, up = {teams[team]["manager"]}, teams[team].get("parent")
        for _ in range(share_up):
            if up is None:
                break
            expected.add(teams[up]["manager"])
            up = teams[up].get("parent")
        summary = re.search(r'<p class="lchc-summary">(.*?)</p>', html, re.S).group(1)
        named = set(re.findall(r'data-reader="([^"]+)"', summary))
        assert named == expected, (cycle, team)
        for pid in named:
            assert names[pid] in summary
        assert ('data-reader-group="admins"' in summary) == bool(org["admins"])
        if teams[team].get("parent") is None:
            assert "manager)" not in summary, summary  # the top team's manager has no manager to name


def test_a_report_without_answers_draws_no_chart_of_them(built) -> None:
    _, site = built
    reports = _reports(site)
    shown = {(c, t) for c, t, h in reports if 'id="suppressed"' not in h}
    cycles = sorted({c for c, _, _ in reports})
    suppressed = [(c, t, h) for c, t, h in reports if (c, t) not in shown]
    assert suppressed
    for cycle, team, html in suppressed:
        kit = html.split('class="lchc-kit"', 1)[1]
        assert "these answers" not in kit and 'data-field="kit-guide-without-answers"' in kit, (cycle, team)
        with_answers = [c for c in cycles[: cycles.index(cycle) + 1] if (c, team) in shown]
        # "Team score and self score in each cycle with enough answers": a line needs two of them.
        assert ("<h2>Over time</h2>" in html) == (len(with_answers) >= 2), (cycle, team)
