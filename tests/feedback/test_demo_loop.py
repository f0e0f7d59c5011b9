"""The demo closes the loop: its admin view shows the LCHC link with the caveat, and the groups'
means equal those worked out here from the expected scores and the attendance file."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from lchc_gen.access.blobs import decrypt_page, open_keyring
from lchc_gen.access.keystore import load_keystore
from lchc_gen.access.publish import keyring_path
from tests.access.conftest import build_id
from tests.conftest import REPO


def _admin_view(site: Path) -> str:
    keystore = load_keystore(site.parent / ".secrets" / "demo.keystore.json")
    build = build_id(site)
    admin = "p00024"
    entries = open_keyring((site / keyring_path(build, admin)).read_bytes(), keystore.readers[admin].kek, build, admin)
    entry = next(e for e in entries if e.label.startswith("L&D admin view"))
    return decrypt_page((site / "_access" / "p" / f"{entry.page_id}.json").read_bytes(), entry.key, build, entry.url)


def _expected_groups() -> dict[str, tuple[int, float]]:
    """Worked out from the committed expected scores: (managers, mean change in team score) per group."""
    read = lambda c: {r["team"]: r for r in csv.DictReader((REPO / "tests" / "expected" / f"scores-{c}.csv").open())}  # noqa: E731
    h1, h2 = read("2026-H1"), read("2026-H2")
    went = {r["person"] for r in csv.DictReader((REPO / "feedback" / "leadership-attendance.csv").open())}
    groups: dict[str, list[float]] = {"Attended": [], "Did not attend": []}
    for team, r2 in h2.items():
        r1 = h1.get(team)
        if r1 is None or "True" in (r1["suppressed"], r2["suppressed"]) or r1["manager"] != r2["manager"]:
            continue
        groups["Attended" if r2["manager"] in went else "Did not attend"].append(float(r2["team_score"]) - float(r1["team_score"]))
    return {k: (len(v), sum(v) / len(v)) for k, v in groups.items()}


def test_demo_admin_view_shows_the_lchc_link_with_its_caveat(demo_site: Path) -> None:
    html = _admin_view(demo_site)
    assert "A description, not proof" in html and "does not show that the program caused it" in html
    for name, (n, mean) in _expected_groups().items():
        assert n >= 5
        row = re.search(rf'<tr><th scope="row">{name}</th><td>(\d+)</td>\s*<td>([+-]\d\.\d\d)</td>', html)
        assert row, name
        assert int(row.group(1)) == n and row.group(2) == f"{mean:+.2f}"
    # who attended is never shown, not even to admins: only group sizes and means
    went = {r["person"] for r in csv.DictReader((REPO / "feedback" / "leadership-attendance.csv").open())}
    assert not [p for p in went if p in html]
    rows = [f"{p},reflection-2026-h1" for p in sorted(went)]
    for path in demo_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".js"):
            text = path.read_text(errors="replace")
            assert not [r for r in rows if r in text], path
    # the rest of the admin view: feedback by run, measures, reviews waiting, and the next 30 days
    assert "Better discovery calls" in html and "not enough answers (4 people of at least 5)" in html
    assert "target 20% (or less): not met yet" in html
    assert "(in review)" in html


def test_demo_program_pages_close_the_loop(demo_site: Path) -> None:
    sales = (demo_site / "programs" / "sales-discovery-calls" / "index.html").read_text()
    assert "How learners found it" in sales and "Measured so far" in sales and 'id="you-said-we-did"' in sales
    home = (demo_site / "index.html").read_text()
    assert home.count('class="lchc-you-said"') == 1 and "books the six-week check-in" in home
    assert not list(demo_site.rglob("*.csv"))


def test_readme_names_a_demo_program_owner_who_reads_the_comments(demo_site: Path) -> None:
    from lchc_gen.access.demo import demo_passphrase

    readme = (REPO / "README.md").read_text()
    row = re.search(r"\| `(p\d+)` \| `([a-z ]+)` \| [^|]*learner comments of \"Better discovery calls\"", readme)
    assert row and demo_passphrase(row.group(1)) == row.group(2)
    keystore = load_keystore(demo_site.parent / ".secrets" / "demo.keystore.json")
    build = build_id(demo_site)
    reader = row.group(1)
    labels = {e.label for e in open_keyring((demo_site / keyring_path(build, reader)).read_bytes(), keystore.readers[reader].kek, build, reader)}
    assert "Learner comments: Better discovery calls" in labels


# Every NPS figure of the demo, as its program pages show it under the rules that count people.
DEMO_NPS = {
    ("sales-discovery-calls", "Pilot, March 2026"): ("+45 \u00b1 29", 11),
    ("sales-discovery-calls", "June 2026"): ("+77 \u00b1 23", 13),
    ("support-onboarding", "First half 2026"): ("0 \u00b1 44", 9),
    ("support-onboarding", "September 2026 intake"): ("not enough answers (4 people of at least 5)", 4),
    ("leadership-development", "First half 2026"): ("+38 \u00b1 48", 8),  # 9 of the 11 who attended answered; one skipped the NPS
}


def test_the_rules_that_count_people_hide_no_demo_figure(demo_site: Path) -> None:
    """What the anonymity rules changed in the demo, and why. Each demo respondent answers once per
    run (no session column), so people and answers are the same numbers; every run has 9 people or
    more but the September intake (4, hidden before as now), so the small-group check has nothing to
    do; and every run has closed by its `closes`. The figures are the same as before; only the
    words changed: "people" where pages said "answers"."""
    import html as html_lib

    for (pid, run), (text, people) in DEMO_NPS.items():
        page = html_lib.unescape((demo_site / "programs" / pid / "index.html").read_text())
        assert f'<tr><th scope="row">{run}</th><td class="lchc-nps' in page
        row = re.search(rf'<tr><th scope="row">{re.escape(run)}</th><td class="lchc-nps[^"]*">([^<]*)</td><td>(\d+)</td>', page)
        assert (row.group(1), int(row.group(2))) == (text, people), (pid, run)
        assert "still open" not in page and "it would give away" not in page
    sales = html_lib.unescape((demo_site / "programs" / "sales-discovery-calls" / "index.html").read_text())
    assert "Learners' confidence afterwards: 3.6 of 5 (12 people), June 2026" in sales
    assert "People who answered" in sales and "(12 answers)" not in sales


def test_demo_admin_view_shows_who_sees_what_of_the_lchc(demo_site: Path) -> None:
    import yaml

    html = _admin_view(demo_site)
    section = html.split("<h2>LCHC reports: who sees what, and what is kept from them</h2>", 1)[1]
    assert "<h3>First half 2026</h3>" in section and "<h3>Second half 2026</h3>" in section
    # The rows are the demo's: as many department heads and managers, and nothing derivable.
    second = section.split("<h3>Second half 2026</h3>", 1)[1]
    rows = dict(re.findall(r'<tr><th scope="row">([^<]*)</th><td data-label="Reports they open">(\d+)</td>', second))
    org = yaml.safe_load((REPO / "survey" / "org.yml").read_text())
    teams = len(list(csv.DictReader((REPO / "tests" / "expected" / "scores-2026-H2.csv").open())))
    departments = len({t["parent"] for t in org["teams"] if t.get("parent")})  # a team with teams under it
    # Admins open every team report and every department's view.
    assert rows[f"{len(org['admins'])} admins"] == str(len(org["admins"]) * (teams + departments))
    assert all(v == "0" for v in re.findall(r'<td data-label="Could be worked out">(\d+)</td>', section))
