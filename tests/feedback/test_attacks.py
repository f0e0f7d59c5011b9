"""Attacks on learner feedback and the LCHC link, each mounted as one reader would: only with the
pages that reader can open in the built site (public pages, or the pages their keyring opens),
and what that reader knows of themselves. Each attack worked before thresholds counted people,
runs closed before publishing and the LCHC link kept a record of what it published."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from itertools import product
from pathlib import Path

import yaml

from lchc_gen.access.blobs import decrypt_page, open_keyring
from lchc_gen.access.keystore import issue, load_keystore
from lchc_gen.access.publish import keyring_path
from lchc_gen.feedback.score import nps_margin, nps_value, whole
from tests.access.conftest import build_id
from tests.conftest import REPO, build_site, write

PROGRAM = "sales-discovery-calls"  # tuesday-practice: four Tuesdays from 12 Oct 2027
AFTER_THE_RUN = "2028-01-31"  # every session of the program over, and the run closed
TUESDAYS = ("2027-10-12", "2027-10-19", "2027-10-26")


# --- what a reader parses ------------------------------------------------------------------


def public_row(site: Path, run: str) -> tuple[str, int, str]:
    """The program page's row of a run: the NPS as printed, people who answered, responded."""
    page = (site / "programs" / PROGRAM / "index.html").read_text()
    text = html.unescape(page[page.index("<article"):page.index("</article>")])
    row = re.search(rf'<tr><th scope="row">{re.escape(run)}</th><td class="lchc-nps[^"]*">([^<]*)</td><td>(\d+)</td>'
                    r'<td class="lchc-response">([^<]*)</td>', text)
    assert row, f"no row for {run}"
    return row.group(1), int(row.group(2)), row.group(3)


def printed_nps(text: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"([+-]?\d+) \u00b1 (\d+)", text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def counts_fitting(text: str, n: int) -> set[tuple[int, int]]:
    """Every (promoters, detractors) among n answers that prints as `text`; empty when no figure."""
    shown = printed_nps(text)
    if shown is None:
        return set()
    return {
        (p, d) for p in range(n + 1) for d in range(n + 1 - p)
        if (whole(nps_value(p, d, n)), whole(nps_margin(p, d, n))) == shown
    }


def confidence_shown(site: Path, objective: str) -> tuple[float, int] | None:
    page = html.unescape((site / "programs" / PROGRAM / "index.html").read_text())
    m = re.search(rf'<li id="objective-{objective}".*?Learners\' confidence afterwards: (\d\.\d) of 5 \((\d+) ', page, re.S)
    return (float(m.group(1)), int(m.group(2))) if m else None


def open_pages(site: Path, keystore: Path, reader: str) -> dict[str, str]:
    """Every page the reader's keyring opens: label -> HTML."""
    key = load_keystore(keystore).readers[reader]
    build = build_id(site)
    out = {}
    for e in open_keyring((site / keyring_path(build, reader)).read_bytes(), key.kek, build, reader):
        out[e.label] = decrypt_page((site / "_access" / "p" / f"{e.page_id}.json").read_bytes(), e.key, build, e.url)
    return out


def configure(root: Path, feedback: dict, today: str) -> None:
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["plugins"][1]["lchc"]["feedback"] = feedback
    config["plugins"][1]["lchc"]["today"] = today
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))


# --- (a) two learners, three sessions each ------------------------------------------------------


def test_alice_cannot_work_out_bobs_answers_nor_read_his_comment(feedback_protected) -> None:
    w = feedback_protected()
    rows = [f"ALICE,tuesday-practice@{day},{day}T17:00:00Z,10,5,\n" for day in TUESDAYS]
    rows += [f"BOB,tuesday-practice@{day},{day}T17:30:00Z,0,1,canarybobcomment{i}x\n" for i, day in enumerate(TUESDAYS)]
    write(w["root"] / "feedback" / "sales.csv", "respondent,session,submitted_at,nps,obj:do-ask-first,comment\n" + "".join(rows))
    configure(w["root"], {"files": [{"path": "feedback/sales.csv", "run": "Autumn 2027", "program": PROGRAM, "invited": 2}]}, AFTER_THE_RUN)
    site = build_site(w["root"], strict=False)

    # Alice reads the public page and knows her own three answers: three promoters, confidence 5.
    nps, n, _ = public_row(site, "Autumn 2027")
    bob = {(p - 3, d) for p, d in counts_fitting(nps, n) if p >= 3}
    assert not (len(bob) == 1 and next(iter(bob)) == (0, n - 3)), f"Bob's answers are all detractors: {nps}, {n}"
    shown = confidence_shown(site, "do-ask-first")
    if shown is not None:
        mean, m = shown
        others = [s for s in range(m - 3, 5 * (m - 3) + 1) if abs((15 + s) / m - mean) <= 0.05]
        assert others != [m - 3], "Bob's confidence: 1 every time"
    assert "people of at least 5" in nps and n == 2  # two people, however many answers

    # The program's owner opens the learner comments: two people took part, so none are shown.
    comments = open_pages(site, w["keystore"], w["owner"])["Learner comments: Better discovery calls"]
    assert "canarybobcomment" not in comments
    assert "fewer than 5 people answered in this run (2)" in comments


# --- (b) one learner, five sessions -------------------------------------------------------------


def test_one_learner_answering_five_sessions_does_not_publish_their_score(make_site) -> None:
    root = make_site(copy_demo=True)
    days = [f"tuesday-practice@{d}" for d in (*TUESDAYS, "2027-11-02")] + ["thursday-unpack@2027-10-14"]
    write(root / "fb.csv", "respondent,session,nps\n" + "".join(f"SOLO,{s},3\n" for s in days))
    configure(root, {"files": [{"path": "fb.csv", "run": "Autumn 2027", "program": PROGRAM}]}, AFTER_THE_RUN)
    nps, n, responded = public_row(build_site(root, strict=False), "Autumn 2027")
    # Anyone who knows who took part (one of 14 responded) reads that person's score off the page.
    assert responded.startswith("1 of ")
    assert printed_nps(nps) is None, f"the one learner's own score is published: {nps}"
    assert n == 1 and nps == "not enough answers (1 person of at least 5)"


# --- (d) one late answer to an open run ---------------------------------------------------------


def test_a_late_answer_between_two_builds_of_an_open_run_cannot_be_decoded(make_site) -> None:
    root = make_site(copy_demo=True)
    header = "respondent,submitted_at,nps\n"
    first = "".join(f"r{i},2027-11-04T18:0{i}:00Z,{v}\n" for i, v in enumerate((10, 10, 9, 8, 3)))
    write(root / "fb.csv", header + first)
    # 10 November: the last session was on 4 November, so answers are still coming in.
    configure(root, {"files": [{"path": "fb.csv", "run": "Autumn 2027", "program": PROGRAM}]}, "2027-11-10")
    before = public_row(build_site(root, strict=False), "Autumn 2027")
    write(root / "fb.csv", header + first + "r5,2027-11-09T08:00:00Z,2\n")
    after = public_row(build_site(root, strict=False), "Autumn 2027")

    # A reader who kept the first page: which kind of answer came in between?
    kinds = set()
    for (p0, d0), (p1, d1) in product(counts_fitting(before[0], before[1]), counts_fitting(after[0], after[1])):
        if after[1] == before[1] + 1 and (p1 - p0, d1 - d0) in ((1, 0), (0, 1), (0, 0)):
            kinds.add({(1, 0): "promoter", (0, 1): "detractor", (0, 0): "passive"}[(p1 - p0, d1 - d0)])
    assert kinds != {"detractor"}, f"the late answer is a detractor: {before} then {after}"
    assert before[0] == after[0] == "the run is still open: results from Fri 19 Nov 2027"


# --- (c) the LCHC link, built twice with one attendee more ----------------------------------------


def _teams(cycle: str) -> dict[str, dict[str, str]]:
    return {r["team"]: r for r in csv.DictReader((REPO / "tests" / "expected" / f"scores-{cycle}.csv").open())}


def _newcomer(attended: set[str]) -> tuple[str, float]:
    """A manager who did not attend, leads one team shown in both cycles, and their true change."""
    h1, h2 = _teams("2026-H1"), _teams("2026-H2")
    led: dict[str, list[str]] = {}
    for team, r in h2.items():
        led.setdefault(r["manager"], []).append(team)
    for team, r2 in sorted(h2.items()):
        r1 = h1.get(team)
        if (r1 and r2["manager"] not in attended and len(led[r2["manager"]]) == 1 and r1["manager"] == r2["manager"]
                and "True" not in (r1["suppressed"], r2["suppressed"])):
            return r2["manager"], float(r2["team_score"]) - float(r1["team_score"])
    raise AssertionError("no manager to add")


def _attended_row(admin_view: str) -> tuple[int, float]:
    m = re.search(r'<tr><th scope="row">Attended</th><td>(\d+)</td>\s*<td>([+-]\d\.\d\d)', admin_view)
    assert m, "no Attended row"
    return int(m.group(1)), float(m.group(2))


def test_one_attendee_more_does_not_give_away_that_managers_score_change(protected_site, tmp_path: Path) -> None:
    root, keystore, _ = protected_site(teams=24, seed=7)  # the demo organisation and answers
    issue(keystore, ["ld-admin"], tmp_path / "secrets" / "ld-admin.tsv", iterations=1_000)  # an L&D admin, no team reports
    attendance = root / "feedback" / "leadership-attendance.csv"
    attendance.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "feedback" / "leadership-attendance.csv", attendance)
    link = {"program": "leadership-development", "attendance": "feedback/leadership-attendance.csv",
            "cycle_dates": {"2026-H1": "2026-03-16", "2026-H2": "2026-09-21"}}
    configure(root, {"admins": ["ld-admin"], "lchc_link": link}, "2026-12-01")
    view = "L&D admin view: feedback, results and reviews"
    first = open_pages(build_site(root, strict=False), keystore, "ld-admin")[view]
    went = {r["person"] for r in csv.DictReader(attendance.open())}
    manager, truth = _newcomer(went)
    with attendance.open("a") as f:
        f.write(f"{manager},reflection-2026-h1\n")
    site = build_site(root, strict=False)
    second = open_pages(site, keystore, "ld-admin")[view]

    (n1, m1), (n2, m2) = _attended_row(first), _attended_row(second)
    assert n1 >= 5
    if n2 == n1 + 1:  # the difference of the two sums is the newcomer's own change
        lo, hi = n2 * (m2 - 0.005) - n1 * (m1 + 0.005), n2 * (m2 + 0.005) - n1 * (m1 - 0.005)
        assert not (lo <= truth <= hi and hi - lo < 0.25), f"{manager}'s change is {lo:+.2f} to {hi:+.2f} (true {truth:+.3f})"
    assert (n2, m2) == (n1, m1) and "(as of Tue 1 Dec 2026)" in second  # kept as published, and says so

    # The record of what was published lives beside the keystore, never in the site.
    record = keystore.with_name("keystore.published.json")
    tokens = re.findall(r'"([0-9a-f]{20})"', record.read_text()) + [json.loads(record.read_text())["key"]]
    assert len(tokens) >= 10 and (record.stat().st_mode & 0o777) == 0o600
    for path in (p for p in site.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", errors="replace")
        assert not any(t in text for t in tokens), f"{path.relative_to(site)} holds the publication record"
        assert "published.json" not in path.name


def test_the_record_is_kept_like_the_keystore_out_of_git(protected_site, tmp_path: Path, caplog) -> None:
    import subprocess

    import pytest
    from mkdocs.exceptions import Abort

    root, keystore, _ = protected_site(keystore=tmp_path / "project" / "mykeys.json", teams=24, seed=7)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".gitignore").write_text("mykeys.json\nsite/\n")  # the keystore is ignored, its record would not be
    shutil.copy(REPO / "feedback" / "leadership-attendance.csv", root / "attendance.csv")
    link = {"program": "leadership-development", "attendance": "attendance.csv",
            "cycle_dates": {"2026-H1": "2026-03-16", "2026-H2": "2026-09-21"}}
    configure(root, {"lchc_link": link}, "2026-12-01")
    with pytest.raises(Abort):
        build_site(root, strict=False)
    assert re.search(r"mykeys\.published\.json\S*: publication record: the publication record is inside the git work tree", caplog.text)
    assert "add it to .gitignore" in caplog.text and not (root / "mykeys.published.json").exists()
