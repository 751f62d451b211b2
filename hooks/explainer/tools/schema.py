"""JSON Schema of a data file, generated from the models so editors can check as people type."""

from __future__ import annotations

import json
from pathlib import Path

from ..facts.models import DataFile

SCHEMA_FILE = "data-file.schema.json"


def data_file_schema() -> dict:
    """The JSON Schema every file under `data/` follows."""
    schema = DataFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Explainer data file"
    return schema


def schema_text() -> str:
    """The schema as the committed file holds it."""
    return json.dumps(data_file_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schema(directory: Path) -> Path:
    """Write the schema into `directory` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / SCHEMA_FILE
    target.write_text(schema_text(), encoding="utf-8")
    return target


def stale_schema(directory: Path) -> bool:
    """True when the committed schema differs from what the models generate."""
    target = directory / SCHEMA_FILE
    return not target.is_file() or target.read_text(encoding="utf-8") != schema_text()
