"""Check loaded values against the typed models and say what is wrong in a contributor's words."""

from __future__ import annotations

import difflib
from functools import cache
from types import GenericAlias
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .kinds import KINDS
from .loader import LoadedFile
from .models import EDITION_ID, TEXT_PATTERN, URL_PATTERN, DataFile, Record, text_problem


def _list_of(model: type[Record]) -> Any:
    """`list[model]` for a model known only at run time."""
    return GenericAlias(list, (model,))


@cache
def _list_validator(kind: str) -> TypeAdapter[list[Record]]:
    """Validates a list of the kind's records in one call. The model's own validator is built
    first, so the list's reuses it, and so does every later schema that holds the model (the
    downloads' export model): pydantic builds each model's schema once."""
    model = KINDS[kind].model
    model.model_rebuild()
    return TypeAdapter(_list_of(model))


def validate_file(loaded: LoadedFile) -> tuple[DataFile, set[str]]:
    """The file's valid records, and the ids of records that failed (problems go on `loaded`).

    Records are checked one by one, so one bad record does not hide the others or their
    references.
    """
    valid: dict[str, list[Record]] = {}
    failed: set[str] = set()
    data = loaded.data
    if not isinstance(data, dict):
        loaded.error(loaded.root, "a data file is a mapping of kinds (sources:, events:, ...) to lists of records")
        return DataFile(), failed
    seen: set[tuple[Any, ...]] = set()
    for kind, items in data.items():
        model = KINDS[kind].model if kind in KINDS else None
        if model is None:
            hint = _did_you_mean(str(kind), list(KINDS))
            loaded.error(loaded.key_node([kind]), f"unknown kind '{kind}'{hint}")
            continue
        if not isinstance(items, list):
            loaded.error(loaded.node_at([kind])[0], f"'{kind}' must be a list of records (- id: ...)")
            continue
        try:  # the common case: the whole list is valid, checked in one call
            valid[kind] = _list_validator(kind).validate_python(items)
            continue
        except ValidationError:
            valid[kind] = []
        for index, item in enumerate(items):  # find which records failed, keep the others
            try:
                valid[kind].append(model.model_validate(item))
            except ValidationError as exc:
                for err in exc.errors(include_url=False):
                    _report(loaded, {**err, "loc": (kind, index, *err["loc"])}, seen)
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    failed.add(item["id"])
    # Every field given: for a field left out, pydantic would inspect its default factory (0.5 ms a file).
    fields: dict[str, Any] = {key: valid.get(key, []) for key in KINDS}
    return DataFile.model_construct(_fields_set=set(valid), **fields), failed


def _report(loaded: LoadedFile, err: dict[str, Any], seen: set[tuple[Any, ...]]) -> None:
    loc = list(err["loc"])
    node, rest = loaded.node_at(loc)
    found = tuple(loc[: len(loc) - len(rest)])
    if found in seen and err["type"] not in ("missing", "extra_forbidden"):
        return  # one message per value: a union reports each branch that failed
    seen.add(found)
    kind = err["type"]
    if kind == "extra_forbidden":
        key = loc[-1]
        model = _model_at(loc[:-1])
        fields = [f.alias or n for n, f in model.model_fields.items()] if model else []
        hint = _did_you_mean(str(key), fields)
        loaded.error(loaded.key_node(loc) or node, f"unknown field '{key}'{hint}")
    elif kind == "missing":
        field = loc[-1]
        extra = " (every statement needs at least one source)" if field == "sources" else ""
        loaded.error(node, f"missing required field '{field}'{extra}")
    else:
        loaded.error(node, _message(err, loc))


def _message(err: dict[str, Any], loc: list[Any]) -> str:
    kind, field = err["type"], _field_name(loc)
    if kind == "string_pattern_mismatch":
        pattern = err["ctx"]["pattern"]
        if pattern == TEXT_PATTERN:
            return f"{field}: {text_problem(err['input'])}"
        if pattern == URL_PATTERN:
            url = str(err["input"])
            if url[:8].lower().startswith(("http://", "https://")):
                return f"'{field}' must be printable ASCII, other characters percent-encoded (%20), not '{url[:60]}'"
            return f"'{field}' must be an http:// or https:// URL, not '{url[:60]}'"
        return f"'{err['input']}' is not a valid id for '{field}': {_id_shape_hint(pattern, loc)}"
    if kind == "too_short" and field == "sources":
        return "no sources: every statement needs at least one source id"
    if kind == "value_error":
        return f"{field}: {err['msg'].removeprefix('Value error, ')}"
    if kind == "list_type":
        return _list_hint(field, err["input"])
    if kind == "literal_error" and field == "published":
        return f"published: {err['msg']} or a date such as '2026-02-06'"
    return f"{field}: {err['msg']}"


def _list_hint(field: str, given: Any) -> str:
    """A list written as a single value (`sources: src-x`), with the list it should be."""
    if isinstance(given, str | int | float) and not isinstance(given, bool):
        parts = [part.strip() for part in str(given).split(",") if part.strip()]
        items = parts if parts and all(" " not in part for part in parts) else [str(given)]
        return f"'{field}' is a list, even of one: write `{field}: [{', '.join(items)}]`"
    return f"'{field}' is a list: write `{field}: [a, b]` or one `- item` per line"


def _field_name(loc: list[Any]) -> str:
    names = [step for step in loc if isinstance(step, str) and step.isidentifier()]
    return names[-1] if names else "value"


def _model_at(loc: list[Any]) -> type[BaseModel] | None:
    """The model that validates the mapping at `loc` (kind, index, field, ...)."""
    if len(loc) < 2 or loc[0] not in KINDS:
        return DataFile if not loc else None
    model: type[BaseModel] = KINDS[loc[0]].model
    for step in loc[2:]:
        if isinstance(step, int):
            continue
        annotation = model.model_fields[step].annotation if step in model.model_fields else None
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return None
        model = inner
    return model


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _id_shape_hint(pattern: str, loc: list[Any]) -> str:
    """What ids matching `pattern` look like, from the kinds' id shapes (a record's own kind first)."""
    own = [KINDS[loc[0]]] if loc[-1] == "id" and loc[0] in KINDS else []
    for kind in [*own, *KINDS.values()]:
        shape = kind.id_shape
        if shape is not None and shape.pattern == pattern:
            if not shape.prefix:
                return f"ids are lowercase words joined by hyphens, such as `{shape.example}`"
            return f"{kind.noun} ids look like `{shape.example}`"
    if pattern == EDITION_ID:
        return "edition ids are dates such as `2026-02-06`"
    return "ids are lowercase words joined by hyphens"
