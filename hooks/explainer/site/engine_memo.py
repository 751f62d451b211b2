"""Values made from the engine's source alone, kept between builds: the models' JSON Schemas (for
the data reference and the export schema) and the guard's verdicts on the pages it found clean.

Each costs a build 10 to 40 ms, the same every time until the engine or a library changes. A
value is kept as JSON in memory and in the user's cache folder, outside the repository (as
`page_cache` keeps pages), under a key of the engine's source, the versions of the libraries
that shape it (`LIBRARIES`) and what it was made from. An entry is plain data, checked by the
caller when read; one that cannot be read or written only costs the time to make it again.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .page_cache import cache_home, digest, engine_digest, plain, write_entry

LIBRARIES = ("pydantic", "pydantic-core", "markdown", "pymdown-extensions")
"""Packages whose version changes a kept value: the schema generator and the page renderer."""
_memory: dict[str, str] = {}


@cache
def engine_key() -> str:
    """The key of this process's engine: its source as first read, `LIBRARIES`' versions and Python's."""
    return engine_digest(LIBRARIES, sys.version)


def _file(key: str) -> Path:
    return cache_home() / "explainer" / "memo" / f"{key}.json"


def recall(*made_from: str) -> Any:
    """The value kept for `made_from` by this engine, or None."""
    key = digest(engine_key(), *made_from)
    try:
        text = _memory.get(key) or _file(key).read_text(encoding="utf-8")
        value = json.loads(text)
    except (OSError, ValueError):
        return None
    _memory[key] = text
    return value


def remember(value: Any, *made_from: str) -> None:
    """Keep `value` (plain data) as made by this engine from `made_from`."""
    key = digest(engine_key(), *made_from)
    if len(_memory) >= 512:  # under serve, each edit of a page makes a new verdict
        _memory.clear()
    text = _memory[key] = json.dumps(value, ensure_ascii=False)
    write_entry(_file(key), text, "the value is made")


def json_schema(model: type[BaseModel], **options: Any) -> dict[str, Any]:
    """`model.model_json_schema(**options)`, a fresh copy, kept between builds."""
    made_from = ("json schema", f"{model.__module__}.{model.__qualname__}", plain(options))
    found = recall(*made_from)
    if isinstance(found, dict):
        return found
    schema = model.model_json_schema(**options)
    remember(schema, *made_from)
    return schema
