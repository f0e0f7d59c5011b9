"""Benchmark: what the operations figures (away at once, costs, agents ready, the floor part of the
operations page, the per-location feeds and week notices) add to a build.

    python benchmarks/floor_bench.py DIR

writes two projects into DIR: ``with/`` (a floor file of 20 locations and 50 programs that say
how many of their learners work where) and ``without/`` (the same 50 programs without their
`floor` blocks and no floor file). Each program has two weekly series for a year (104 sessions),
two cohorts on three floors and a timed follow-up after every session. Time whole builds of each,
run in turn, e.g. ``/usr/bin/time -v mkdocs build -q -f DIR/with/mkdocs.yml``; the difference is
what the figures cost.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

ZONES = ["Europe/Dublin", "Asia/Manila", "America/Chicago", "Europe/Berlin", "America/New_York"]
DAYS = ["MO", "TU", "WE", "TH", "FR"]


def floor_file(locations: int) -> str:
    locs = [
        {"name": f"Site {i:02d}", "timezone": ZONES[i % len(ZONES)], "hourly_cost": 20 + i, "headcount": 400,
         "minimum": [{"share": 0.5, "days": DAYS, "hours": "08:00-18:00", "why": "the service level"}]}
        for i in range(locations)
    ]
    return yaml.safe_dump({"currency": "EUR", "locations": locs}, sort_keys=False)


def program(i: int, locations: int, rng: random.Random, floor: bool) -> str:
    sites = rng.sample(range(locations), 3)
    day1, day2 = rng.sample(DAYS, 2)
    data = {
        "id": f"program-{i:02d}",
        "title": f"Program {i:02d}",
        "summary": "A year of weekly sessions.",
        "status": "draft",
        "owner": "L&D",
        "timezone": ZONES[sites[0] % len(ZONES)],
        "audience": {"description": "Agents.", "why_this_group": "They answer the customers."},
        "objectives": [{"id": "know-a", "domain": "know", "text": "Know A."}],
        "sessions": [
            {"id": f"s{k}", "title": f"Session {k}", "weekdays": [day], "first_date": f"2027-01-{4 + DAYS.index(day):02d}", "count": 52,
             "start": f"{9 + k * 3}:00", "duration": 60, "cohort": f"Cohort {k}", "rationale": "A quiet hour."}
            for k, day in enumerate((day1, day2))
        ],
        "reinforcement": [
            {"id": f"recap-{k}", "title": "Recap", "purpose": "Recall.", "after": {"session": f"s{k}"}, "offsets": [1],
             "start": "15:00", "duration": 15}
            for k in range(2)
        ],
    }
    if floor:
        data["floor"] = {
            "ready": "take calls",
            "learners": [{"cohort": f"Cohort {k}", "location": f"Site {s:02d}", "count": rng.randint(3, 12)} for k in range(2) for s in sites],
            "compared_to": {"design": "two classroom days", "hours_per_learner": 16},
        }
    return yaml.safe_dump(data, sort_keys=False)


def prepare(root: Path, programs: int, locations: int, with_floor: bool, seed: int = 5) -> Path:
    rng = random.Random(seed)
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "content" / "index.md").write_text("# Home\n")
    folder = root / "programs"
    folder.mkdir(exist_ok=True)
    for i in range(programs):
        (folder / f"program-{i:02d}.yml").write_text(program(i, locations, rng, with_floor))
    if with_floor:
        (folder / "_floor.yml").write_text(floor_file(locations))
    config = {
        "site_name": "Floor benchmark", "site_url": "https://learning.example.org/", "docs_dir": "content",
        "theme": {"name": "material", "font": False}, "plugins": [{"lchc": {"today": "2027-01-01"}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return root / "mkdocs.yml"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--programs", type=int, default=50)
    parser.add_argument("--locations", type=int, default=20)
    args = parser.parse_args(argv)
    for name, floor in (("with", True), ("without", False)):
        print(prepare(args.dir / name, args.programs, args.locations, floor))


if __name__ == "__main__":
    main()
