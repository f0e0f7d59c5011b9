"""The JSON Schemas of program files and of the floor file, generated from the pydantic models
and shipped in the package."""

from __future__ import annotations

import json
from importlib.resources import files

from pydantic import BaseModel

from .model import Program
from .staffing import Floor

SCHEMA_ID = "https://lchc-gen.example/schema/program.schema.json"
FLOOR_SCHEMA_ID = "https://lchc-gen.example/schema/floor.schema.json"


def _schema(model: type[BaseModel], schema_id: str, title: str) -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": title,
        **model.model_json_schema(mode="validation"),
    }


def program_schema() -> dict:
    return _schema(Program, SCHEMA_ID, "lchc_gen program definition")


def floor_schema() -> dict:
    return _schema(Floor, FLOOR_SCHEMA_ID, "lchc_gen floor file (programs/_floor.yml)")


def schema_text() -> str:
    return json.dumps(program_schema(), indent=2, ensure_ascii=False) + "\n"


def floor_schema_text() -> str:
    return json.dumps(floor_schema(), indent=2, ensure_ascii=False) + "\n"


def shipped_schema_path():
    return files("lchc_gen.schema") / "program.schema.json"


def shipped_floor_schema_path():
    return files("lchc_gen.schema") / "floor.schema.json"
