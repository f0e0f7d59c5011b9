"""The shipped JSON Schema is the model's own, accepts every demo file and rejects broken ones."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from lchc_gen.programs.schema import floor_schema_text, schema_text, shipped_floor_schema_path, shipped_schema_path
from lchc_gen.yamlsrc import parse
from tests.conftest import REPO

DEMO_FILES = sorted(p for p in (REPO / "programs").glob("*.yml") if not p.name.startswith("_"))  # _floor.yml: its own schema


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(Path(str(shipped_schema_path())).read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_shipped_schema_is_generated_from_the_model() -> None:
    assert Path(str(shipped_schema_path())).read_text() == schema_text(), "run `lchc-gen schema --write`"


def test_shipped_floor_schema_is_generated_and_accepts_the_demo_floor() -> None:
    assert Path(str(shipped_floor_schema_path())).read_text() == floor_schema_text(), "run `lchc-gen schema --write`"
    schema = json.loads(floor_schema_text())
    cls = jsonschema.validators.validator_for(schema)
    demo = REPO / "programs" / "_floor.yml"
    assert demo.read_text().startswith("# yaml-language-server: $schema=../lchc_gen/schema/floor.schema.json")
    assert list(cls(schema).iter_errors(parse(demo.read_text(), demo.name).data)) == []
    assert list(cls(schema).iter_errors({"locations": [{"name": "X", "timezone": "UTC", "hourly_cost": -1, "headcount": 3}]}))


def test_demo_files_point_at_the_schema() -> None:
    assert len(DEMO_FILES) >= 4
    for f in DEMO_FILES:
        assert f.read_text().startswith("# yaml-language-server: $schema=../lchc_gen/schema/program.schema.json"), f.name


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.name)
def test_schema_accepts_every_demo_file(validator, path: Path) -> None:
    data = parse(path.read_text(), path.name).data
    assert list(validator.iter_errors(data)) == []


def _messages(error: jsonschema.ValidationError) -> list[str]:
    """An error and, for oneOf/anyOf, the errors of each alternative."""
    return [error.message, *(m for sub in error.context or () for m in _messages(sub))]


def test_schema_rejects_a_broken_program(validator) -> None:
    data = parse((REPO / "programs" / "sales-discovery-calls.yml").read_text(), "x").data
    del data["audience"]["why_this_group"]
    data["sessions"][0]["start"] = "9am"
    data["objectives"][0]["domain"] = "feel"
    messages = [m for e in validator.iter_errors(data) for m in _messages(e)]
    assert any("'why_this_group' is a required property" in m for m in messages)
    assert any("'feel' is not one of" in m for m in messages)
    assert any("'9am' does not match" in m for m in messages)
