"""The data reference page, generated from the models so it cannot drift from them.

Every table cell goes through `_text` or `_code`: whatever a field holds, a cell stays one line
and one cell, and shows its text literally, with no Markdown or HTML meaning left in it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from typing import Any

from pydantic import BaseModel

from ..facts.factbase import FactBase
from ..facts.kinds import KINDS
from ..facts.models import DataFile, Record
from .components import md_text
from .engine_memo import json_schema


def data_reference(facts: FactBase) -> str:
    """Markdown documenting every kind and field: type, meaning, and an example from the data."""
    parts = [
        "# Data reference",
        "",
        "Generated from the engine's models on every build. A data file under `data/` is a "
        "mapping from the kinds below to lists of records; any file may hold any kinds. Each "
        "file's first line opts into the JSON Schema (`schema/data-file.schema.json`) so editors "
        "complete and check fields as you type. Examples are taken from the data where it has one.",
        "",
    ]
    for key, kind in KINDS.items():
        sample = next(iter(facts.records[key].values()), None)
        parts.append(_model_section(f"`{key}`: {kind.model.__name__}", key, kind.model, sample))
    nested = {m for kind in KINDS.values() for m in _nested_models(kind.model)}
    for model in sorted(nested, key=lambda m: m.__name__):
        parts.append(_model_section(model.__name__, model.__name__.lower(), model, None))
    return "\n".join(parts)


def _model_section(title: str, anchor: str, model: type[BaseModel], sample: Record | None) -> str:
    doc = md_text((model.__doc__ or "").strip().splitlines()[0]) if model.__doc__ else ""
    rows = ["| Field | Type | Required | Meaning | Example |", "|---|---|---|---|---|"]
    schema = _schema(model)
    properties = schema.get("properties", {})
    for name, info in model.model_fields.items():
        key = info.alias or name
        prop = properties.get(key, {})
        example = _example(sample, name, info, prop)
        meaning = info.description or _inherited_doc(model, name) or _FALLBACK.get(name, "")
        rows.append(
            f"| {_code(key)} | {_type(prop, schema)} | {'yes' if info.is_required() else 'no'} | "
            f"{_described(meaning.strip())} | {example} |"
        )
    return f"## {title} {{#{anchor}}}\n\n{doc}\n\n" + "\n".join(rows) + "\n"


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema (read only): its definition in a data file's schema, which holds
    every model a data file nests, with that schema's definitions; made once per process, and
    kept between builds (`engine_memo`)."""
    whole = _data_file_schema()
    found = whole["$defs"].get(model.__name__)
    return {**found, "$defs": whole["$defs"]} if found is not None else _own_schema(model)


@cache
def _data_file_schema() -> dict[str, Any]:
    return json_schema(DataFile, by_alias=True)


@cache
def _own_schema(model: type[BaseModel]) -> dict[str, Any]:
    return json_schema(model, by_alias=True)


_FALLBACK = {
    "id": "Unique id of the record: lowercase words joined by hyphens (see the example).",
    "kind": "What sort of thing this is.",
    "stance": "How the party stands on the topic; colours the positions matrix.",
    "status": "Where things stand.",
    "role": "The part the actor plays in the talks.",
}


def _inherited_doc(model: type[BaseModel], name: str) -> str:
    for base in model.__mro__:
        fields = getattr(base, "model_fields", {})
        if name in fields and fields[name].description:
            return fields[name].description
    return ""


def _type(prop: dict[str, Any], schema: dict[str, Any]) -> str:
    if "$ref" in prop:
        target = prop["$ref"].rsplit("/", 1)[-1]
        definition = schema.get("$defs", {}).get(target, {})
        if "enum" in definition:
            return "one of " + ", ".join(_code(str(v)) for v in definition["enum"])
        return f"[{_text(target)}](#{_text(target.lower())})"
    if "anyOf" in prop:
        kinds = [_type(p, schema) for p in prop["anyOf"] if p.get("type") != "null"]
        return " or ".join(kinds)
    if "const" in prop:
        return _code(str(prop["const"]))
    if "enum" in prop:
        return "one of " + ", ".join(_code(str(v)) for v in prop["enum"])
    if prop.get("type") == "array":
        return f"list of {_type(prop.get('items', {}), schema)}"
    if prop.get("pattern") and "description" in prop:
        return "date"
    if prop.get("pattern", "").startswith("^src-"):
        return "source id"
    return _text(str(prop.get("type", "value")))


def _example(sample: Record | None, name: str, info: Any, prop: dict[str, Any]) -> str:
    value = getattr(sample, name, None) if sample is not None else None
    if value in (None, [], ""):
        value = (info.examples or prop.get("examples") or [None])[0]
    if value in (None, [], ""):
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=_plain)
    text = " ".join(text.split())
    return _code(text if len(text) <= 60 else text[:57] + "…")


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=True, mode="json")
    return str(value)


_MARKED = re.compile(r"""[^0-9A-Za-z .,;:'"?/%@$=()-]""")
"""Any character but ASCII letters, digits and the marks that mean nothing to Markdown or HTML
inside a table cell, where no line starts."""
_SPACES = re.compile(r"\s+")
_IDENTIFIER = re.compile(r"[\w.-]+")
_CODE_SPAN = re.compile(r"`([^`]+)`")


def _text(text: str) -> str:
    """`text` on one line, every mark that could mean something as an HTML entity: no pipe ends
    the cell, no backtick, star, underscore or bracket is Markdown, no `<` or `&` is HTML."""
    return _MARKED.sub(_entity, _SPACES.sub(" ", text))


def _entity(found: re.Match[str]) -> str:
    """A character outside `_MARKED`'s plain set: kept if it is one that shows and is not ASCII
    (a letter of any script, a dash), else an entity (an ASCII mark, a control, an invisible
    format character)."""
    c = found.group(0)
    return c if c > "\x7f" and unicodedata.category(c)[0] != "C" else f"&#{ord(c)};"


def _code(text: str) -> str:
    """`text` shown as code, literally."""
    if _IDENTIFIER.fullmatch(text):
        return f"`{text}`"
    return f"<code>{_text(text)}</code>"


def _described(text: str) -> str:
    """A model's own description: literal text, its `backticked` words as code."""
    parts = _CODE_SPAN.split(text)
    return "".join(_code(part) if n % 2 else _text(part) for n, part in enumerate(parts))


def _nested_models(model: type[BaseModel]) -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()
    for info in model.model_fields.values():
        for candidate in _types_in(info.annotation):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                found.add(candidate)
                found |= _nested_models(candidate)
    return found


def _types_in(annotation: Any) -> list[Any]:
    args = getattr(annotation, "__args__", None)
    if not args:
        return [annotation]
    return [t for a in args for t in _types_in(a)]
