"""The JSON Schema of program files, generated from the pydantic model and shipped in the package."""

from __future__ import annotations

import json
from importlib.resources import files

from .model import Program

SCHEMA_ID = "https://lchc-gen.example/schema/program.schema.json"


def program_schema() -> dict:
    schema = Program.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "lchc_gen program definition",
        **schema,
    }


def schema_text() -> str:
    return json.dumps(program_schema(), indent=2, ensure_ascii=False) + "\n"


def shipped_schema_path():
    return files("lchc_gen.schema") / "program.schema.json"
