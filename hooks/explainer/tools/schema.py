"""JSON Schemas of the data files, generated from the models so editors can check as people type:
one for every file of facts under `data/`, one for the source policy (`data/policy.yml`)."""

from __future__ import annotations

import json
from pathlib import Path

from ..facts.models import DataFile
from ..facts.policy import Policy

SCHEMA_FILE = "data-file.schema.json"
POLICY_SCHEMA_FILE = "policy.schema.json"


def data_file_schema() -> dict:
    """The JSON Schema every file of facts under `data/` follows."""
    schema = DataFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Explainer data file"
    return schema


def policy_schema() -> dict:
    """The JSON Schema of `data/policy.yml`."""
    schema = Policy.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Explainer source policy"
    return schema


def _text(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schema_text() -> str:
    """The data-file schema as the committed file holds it."""
    return _text(data_file_schema())


def schema_texts() -> dict[str, str]:
    """File name → text of every committed schema."""
    return {SCHEMA_FILE: schema_text(), POLICY_SCHEMA_FILE: _text(policy_schema())}


def write_schema(directory: Path) -> Path:
    """Write the schemas into `directory` and return the data-file schema's path."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in schema_texts().items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory / SCHEMA_FILE


def stale_schemas(directory: Path) -> list[str]:
    """The schema files in `directory` that differ from what the models generate."""
    found = []
    for name, text in schema_texts().items():
        target = directory / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            found.append(name)
    return found


def stale_schema(directory: Path) -> bool:
    """True when a committed schema differs from what the models generate."""
    return bool(stale_schemas(directory))
