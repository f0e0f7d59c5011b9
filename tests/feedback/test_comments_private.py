"""Learner comments and the admin view: only encrypted, for exactly their readers; nothing of a
comment, a respondent id or a single answer in plaintext anywhere under site/."""

from __future__ import annotations

import gzip
import json
import re

import yaml

from lchc_gen.access.blobs import decrypt_page, open_keyring
from lchc_gen.access.keystore import load_keystore
from lchc_gen.access.publish import keyring_path
from tests.access.conftest import build_id
from tests.conftest import build_site, write

COMMENTS = "Learner comments: Better discovery calls"
SMALL_COMMENTS = "Learner comments: Customer support onboarding"
ADMIN = "L&D admin view: feedback, results and reviews"


def _entries(site, keystore) -> dict[str, dict[str, object]]:
    """label -> {reader id -> keyring entry} over every reader's keyring."""
    build = build_id(site)
    out: dict[str, dict[str, object]] = {}
    for reader, key in keystore.readers.items():
        for entry in open_keyring((site / keyring_path(build, reader)).read_bytes(), key.kek, build, reader):
            out.setdefault(entry.label, {})[reader] = entry
    return out


def test_comments_open_for_owners_and_admins_only_and_respect_the_threshold(feedback_protected) -> None:
    w = feedback_protected()
    site = build_site(w["root"], strict=False)
    keystore = load_keystore(w["keystore"])
    entries = _entries(site, keystore)
    assert set(entries[COMMENTS]) == {w["owner"], *w["admins"]}
    assert set(entries[SMALL_COMMENTS]) == {w["small_owner"], *w["admins"]}
    assert set(entries[ADMIN]) == w["admins"]
    build = build_id(site)
    entry = entries[COMMENTS][w["owner"]]
    html = decrypt_page((site / "_access" / "p" / f"{entry.page_id}.json").read_bytes(), entry.key, build, entry.url)
    assert "canarycomment00x says &lt;b&gt;hi&lt;/b&gt; &amp; more" in html  # escaped, like every value
    assert html.index("canarycomment00x") < html.index("canarycomment06x")
    assert "canaryrespondent" not in html and w["stamps"][0] not in html  # comments only, no ids or times
    entry = entries[SMALL_COMMENTS][w["small_owner"]]
    html = decrypt_page((site / "_access" / "p" / f"{entry.page_id}.json").read_bytes(), entry.key, build, entry.url)
    assert "fewer than 5 people answered in this run (3)" in html and "canarysmallcomment" not in html
    admin = next(iter(w["admins"]))
    entry = entries[ADMIN][admin]
    html = decrypt_page((site / "_access" / "p" / f"{entry.page_id}.json").read_bytes(), entry.key, build, entry.url)
    assert "Learner feedback by program and run" in html and "canarycomment" not in html
    assert "not enough answers (3 people of at least 5)" in html


def test_no_comment_respondent_or_answer_in_plaintext_anywhere(feedback_protected) -> None:
    w = feedback_protected()
    # With the LCHC link, the build keeps a record of the groups it published beside the keystore.
    org = yaml.safe_load((w["root"] / "survey" / "org.yml").read_text())
    managers = sorted({t["manager"] for t in org["teams"]} - set(org["admins"]))
    write(w["root"] / "feedback" / "attendance.csv", "person,session\n" + "".join(f"{m},reflection-2026-h1\n" for m in managers))
    config = yaml.safe_load((w["root"] / "mkdocs.yml").read_text())
    config["plugins"][1]["lchc"]["feedback"]["lchc_link"] = {
        "program": "leadership-development", "attendance": "feedback/attendance.csv",
        "cycle_dates": {"2026-H1": "2026-03-16", "2026-H2": "2026-09-21"},
    }
    (w["root"] / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    site = build_site(w["root"], strict=False)
    record = w["keystore"].with_name("keystore.published.json")
    tokens = re.findall(r'"([0-9a-f]{20})"', record.read_text()) + [json.loads(record.read_text())["key"]]  # the members of published groups, hashed
    assert len(tokens) >= 5
    markers = re.compile(r"canarycomment|canarysmallcomment|canaryrespondent|canaryperson|canaryteam|canaryresp|canaryobs|canaryroster", re.I)
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 50
    page = (site / "programs" / "sales-discovery-calls" / "index.html").read_text()
    assert "How learners found it" in page and "Observed by managers" in page  # the public numbers are there ...
    assert "of 8 people" in (site / "programs" / "leadership-development" / "index.html").read_text()  # ... and the roster's counts
    for path in files:
        data = path.read_bytes()
        text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", errors="replace")
        assert not markers.search(text), f"{path.relative_to(site)} leaks {markers.search(text).group(0)}"
        stamps = [s for s in w["stamps"] if s in text or s[:19] in text]
        assert not stamps, f"{path.relative_to(site)} holds submission times {stamps}"
        assert 'class="lchc-comments"' not in text, f"{path.relative_to(site)} holds a plaintext comment list"
        assert not [t for t in tokens if t in text], f"{path.relative_to(site)} holds the publication record"
        assert "published.json" not in path.name
    assert not list(site.rglob("*.csv"))
    search = (site / "search" / "search_index.json").read_text()
    assert "Learner comments" not in search and "admin view" not in search
