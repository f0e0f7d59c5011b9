"""A protected site with learner feedback: comments and per-answer values carry unique markers."""

from __future__ import annotations


import pytest
import yaml

from tests.access.conftest import protected_site  # noqa: F401  (a fixture)
from tests.conftest import write

PROGRAM = "sales-discovery-calls"
SMALL = "support-onboarding"  # a run with fewer than k_feedback submissions: no comments shown


def _stamp(i: int) -> str:
    return f"2026-05-{i + 1:02d}T10:{17 + i:02d}:{31 + i:02d}Z"  # per-answer values that occur nowhere else


@pytest.fixture
def feedback_protected(protected_site):
    def _make(canary: bool = True) -> dict:
        root, keystore, passphrases = protected_site(canary=canary)
        org = yaml.safe_load((root / "survey" / "org.yml").read_text())
        managers = [t["manager"] for t in org["teams"] if t["manager"] not in org["admins"]]
        owner, other = managers[3], managers[5]
        for pid, who in ((PROGRAM, owner), (SMALL, managers[4])):
            path = root / "programs" / f"{pid}.yml"
            text = path.read_text()
            start = text.index("owners: [")
            path.write_text(text[:start] + f"owners: [{who}]" + text[text.index("]", start) + 1:])
        rows = "".join(f"canaryrespondent{i:02d}x,{_stamp(i)},{(i * 3) % 11},{1 + i % 5},canarycomment{i:02d}x says <b>hi</b> & more\n" for i in range(7))
        write(root / "feedback" / "sales.csv", "respondent,submitted_at,nps,obj:do-ask-first,comment\n" + rows)
        small = "".join(f"canaryrespondent{i:02d}y,{_stamp(i + 10)},9,canarysmallcomment{i:02d}x\n" for i in range(3))
        write(root / "feedback" / "support.csv", "respondent,submitted_at,nps,comment\n" + small)
        # The managers' observation checklists: learners and answers are private like comments.
        observed = "".join(f"canaryobslearner{i:02d}x,{('before', 'after')[i % 2]},{('yes', 'no')[i % 3 == 0]}\n" for i in range(14))
        write(root / "feedback" / "observed.csv", "learner,when,obs:do-ask-first\n" + observed)
        # A roster: the names of people not reached yet are private like comments.
        roster = "".join(f"canaryrosterperson{i:02d}x,Team {i % 2},Berlin,2026-0{1 + i % 9}-15,{managers[i % 2]}\n" for i in range(8))
        write(root / "feedback" / "roster.csv", "person,team,location,start_date,manager\n" + roster)
        config = yaml.safe_load((root / "mkdocs.yml").read_text())
        config["plugins"][1]["lchc"]["feedback"] = {
            "observations": [{"path": "feedback/observed.csv", "program": PROGRAM, "closes": "2026-05-31"}],
            "reach": [{"program": "leadership-development", "roster": "feedback/roster.csv"}],
            "files": [
                {"path": "feedback/sales.csv", "run": "Spring 2026", "program": PROGRAM, "closes": "2026-05-31"},
                {"path": "feedback/support.csv", "run": "Autumn 2026", "program": SMALL, "closes": "2026-05-31"},
            ]
        }
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
        return {
            "root": root, "keystore": keystore, "pw": passphrases, "owner": owner, "other": other,
            "small_owner": managers[4], "admins": set(org["admins"]), "stamps": [_stamp(i) for i in range(13)],
        }

    return _make
