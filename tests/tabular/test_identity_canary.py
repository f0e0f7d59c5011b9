"""Identity columns (emails, names, IP addresses, locations) never reach site/ or an export."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from openpyxl import load_workbook

from lchc_gen.cli import main
from tests.conftest import build_site
from tests.tabular.exports import FIXTURES, TOOLS, project

IDENTITY = ("Email Address", "Email", "Name", "IPAddress", "RecipientLastName", "RecipientFirstName",
            "RecipientEmail", "LocationLatitude", "LocationLongitude")
MANAGERS = {"Ben", "Ochoa", "Chen", "Li"}  # named in the organisation file: their reports name them


def _identity_values() -> set[str]:
    """Every value of an identity column in every fixture export."""
    values: set[str] = set()
    for path in FIXTURES.iterdir():
        if path.suffix == ".csv":
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        elif path.suffix == ".xlsx":
            rows = [[str(v) if v is not None else "" for v in r] for r in load_workbook(path).active.iter_rows(values_only=True)]
        else:
            continue
        for pos, heading in enumerate(rows[0]):
            if heading in IDENTITY:
                values |= {r[pos] for r in rows[1:] if pos < len(r) and r[pos] and not r[pos].startswith("{")}
    values -= {"Recipient Email", "Recipient First Name", "Recipient Last Name", "IP Address",
               "Location Latitude", "Location Longitude"}  # Qualtrics' second header row
    return {v for v in values if v not in MANAGERS and v not in ("Ben Ochoa", "Chen Li")}


def test_identity_values_appear_nowhere_in_the_site_or_the_exports(tmp_path: Path, capsys) -> None:
    values = _identity_values()
    assert len(values) > 60 and any("@example.org" in v for v in values) and "203.0.113.21" in values
    assert "Maria Keller" in values and "52.5200" in values
    root = project(tmp_path / "p", survey_tools=TOOLS, feedback_tools=TOOLS, reports_plaintext_preview=True)
    site = build_site(root, strict=False)  # the preview warns; reports are plain pages, the harshest case
    scanned = 0
    words = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.@])(?:{words})(?![\w@])")  # whole values: "Lea" is not in "Learning"
    for f in site.rglob("*"):
        if f.is_file():
            text = f.read_bytes().decode("utf-8", "replace")
            hit = pattern.search(text)
            assert hit is None, f"{f.relative_to(site)} holds {hit.group(0)!r}"
            scanned += 1
    assert scanned > 20
    # The reports are there in plaintext: the scan would see an email had it been kept.
    assert "Support EMEA" in "".join(p.read_text(errors="replace") for p in site.rglob("*.html"))
    before = Path.cwd()
    os.chdir(root)
    try:
        for args in (["scores", "--format", "json"], ["scores", "--format", "csv"], ["feedback", "--format", "json"]):
            assert main(args) == 0
            out, _ = capsys.readouterr()
            assert out and pattern.search(out) is None
    finally:
        os.chdir(before)


def test_the_demo_sites_google_forms_emails_appear_nowhere(demo_site: Path) -> None:
    from tests.conftest import REPO

    rows = list(csv.reader(io.StringIO((REPO / "feedback" / "support-onboarding-2026-09.csv").read_text(encoding="utf-8"))))
    emails = {r[rows[0].index("Email Address")] for r in rows[1:]}
    assert len(emails) >= 4 and all("@" in e for e in emails)
    for f in demo_site.rglob("*"):
        if f.is_file():
            text = f.read_bytes().decode("utf-8", "replace")
            assert not any(e in text for e in emails), f
