"""The committed JSON Schema is what the models generate, and it checks files as the engine does."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from explainer.facts.loader import load_file
from explainer.tools.schema import SCHEMA_FILE, data_file_schema, schema_text, stale_schema

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "schema" / SCHEMA_FILE
FIXTURE = ROOT / "tests" / "fixtures" / "data" / "facts.yml"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def values(path: Path):
    """A data file's values as an editor's YAML 1.2 language server sees them (dates as text)."""
    loaded = load_file(path)
    assert loaded.diagnostics == []
    return loaded.data


def test_committed_schema_is_current():
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "schema/data-file.schema.json is stale: run `python -m explainer schema`"
    )
    assert not stale_schema(COMMITTED.parent)


def test_schema_is_draft_2020_12_and_closed():
    schema = data_file_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert all(d.get("additionalProperties") is False for d in schema["$defs"].values() if d.get("type") == "object")


def test_schema_accepts_the_fixture(validator):
    errors = list(validator.iter_errors(values(FIXTURE)))
    assert errors == [], [e.message for e in errors]


def test_schema_rejects_an_unknown_field(validator, write):
    path = write(
        "a.yml",
        FIXTURE.read_text().replace(
            "    publisher: Example Wire\n", "    publisher: Example Wire\n    publsher: typo\n", 1
        ),
    )
    errors = list(validator.iter_errors(values(path)))
    assert len(errors) == 1
    assert "publsher" in errors[0].message
    assert list(errors[0].absolute_path) == ["sources", 0]


def test_schema_rejects_an_unknown_kind(validator):
    errors = list(validator.iter_errors({"sorces": []}))
    assert [e.validator for e in errors] == ["additionalProperties"]


@pytest.mark.parametrize(
    "record, path, keyword",
    [
        ({"id": "t", "name": "N"}, ["topics", 0], "required"),
        ({"id": "T T", "name": "N", "question": "Q"}, ["topics", 0, "id"], "pattern"),
        ({"id": "t", "name": "", "question": "Q"}, ["topics", 0, "name"], "minLength"),
        ({"id": "t", "name": "N", "question": "Q", "order": "first"}, ["topics", 0, "order"], "type"),
    ],
)
def test_schema_rejects_bad_topics(validator, record, path, keyword):
    errors = list(validator.iter_errors({"topics": [record]}))
    assert [(list(e.absolute_path), e.validator) for e in errors] == [(path, keyword)]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/a", "data:text/html,x"])
def test_schema_rejects_non_http_urls(validator, url):
    source = {
        "id": "src-a",
        "publisher": "P",
        "title": "T",
        "url": url,
        "published": "2026-02-06",
        "kind": "news-report",
    }
    assert list(validator.iter_errors({"sources": [source]}))


def test_schema_date_pattern(validator):
    source = {"id": "src-a", "publisher": "P", "title": "T", "published": "6 Feb 2026", "kind": "news-report"}
    assert list(validator.iter_errors({"sources": [source]}))
    source["published"] = "unknown"
    assert not list(validator.iter_errors({"sources": [source]}))


def test_every_data_file_opts_into_the_schema():
    """Editors complete and check fields only in files whose first line names the schema."""
    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "data").rglob("*.yml"))
    assert files
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix), f"{path}: first line does not name the schema"
        target = (path.parent / first.removeprefix(prefix)).resolve()
        name = "policy.schema.json" if path == root / "data" / "policy.yml" else "data-file.schema.json"
        assert target == root / "schema" / name, f"{path}: schema path is wrong"
