"""Join validated files into one FactBase: unique ids, references that exist, edition cut-offs."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from .factbase import FactBase, Origin, empty_records
from .loader import LoadedFile
from .models import DataFile, Record, Ref, Source


def resolve(files: list[tuple[LoadedFile, DataFile]], failed: frozenset[str] | set[str] = frozenset()) -> FactBase:
    """Index every record by id, recording problems on each file's `diagnostics`.

    `failed` holds ids of records that did not validate: references to them are not reported
    again as unknown.
    """
    records = empty_records()
    origins: dict[str, Origin] = {}
    for loaded, data in files:
        for kind in records:
            for index, record in enumerate(getattr(data, kind)):
                node, _ = loaded.node_at([kind, index])
                line, col = node.start_mark.line + 1, node.start_mark.column + 1
                key = f"{kind}:{record.id}"
                if key in origins:
                    id_node, _ = loaded.node_at([kind, index, "id"])
                    loaded.error(id_node, f"duplicate id '{record.id}' (first at {origins[key]})")
                    continue
                origins[key] = Origin(loaded.display, line, col)
                records[kind][record.id] = record
    for loaded, data in files:
        _check_references(loaded, data, records, failed)
        _warn_undated_sources(loaded, data)
    frozen = {kind: MappingProxyType(table) for kind, table in records.items()}
    return FactBase(MappingProxyType(frozen), MappingProxyType(origins))


def _check_references(
    loaded: LoadedFile, data: DataFile, records: dict[str, Any], failed: frozenset[str] | set[str]
) -> None:
    for kind in records:
        for index, record in enumerate(getattr(data, kind)):
            for loc, target, value in _references(record, [kind, index]):
                if value in records[target] or value in failed:
                    continue
                node, _ = loaded.node_at(loc)
                close = difflib.get_close_matches(value, list(records[target]), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                noun = target.removesuffix("s") if target != "series" else target
                loaded.error(node, f"unknown {noun} id '{value}'{hint}")


def _warn_undated_sources(loaded: LoadedFile, data: DataFile) -> None:
    for index, source in enumerate(data.sources):
        if source.published is None:
            node, _ = loaded.node_at(["sources", index])
            loaded.error(
                node,
                f"source '{source.id}' has no publication date: add `published:` with the date "
                "the page shows, or `published: unknown` if it shows none",
                severity="warning",
            )


def _references(model: BaseModel, loc: list[Any]) -> Iterator[tuple[list[Any], str, str]]:
    """(location, target kind, id) for every reference in a record, nested models included."""
    for name, target, many, nested in _reference_fields(type(model)):
        value = getattr(model, name)
        if value is None:
            continue
        alias = type(model).model_fields[name].alias or name
        items = enumerate(value) if many else [(None, value)]
        for i, item in items:
            here = loc + [alias] + ([i] if i is not None else [])
            if nested:
                yield from _references(item, here)
            else:
                yield here, target, item


@cache
def _reference_fields(model: type[BaseModel]) -> tuple[tuple[str, str, bool, bool], ...]:
    """(field, target kind, is a list, is a nested model) for each field that refers or nests."""
    plan = []
    for name, info in model.model_fields.items():
        annotation, many = info.annotation, False
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        if typing.get_origin(annotation) is list:
            annotation, many = typing.get_args(annotation)[0], True
        ref = next((m for m in (*info.metadata, *_annotated_marks(annotation)) if isinstance(m, Ref)), None)
        if ref is not None:
            plan.append((name, ref.kind, many, False))
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if _reference_fields(annotation):
                plan.append((name, "", many, True))
    return tuple(plan)


def _annotated_marks(annotation: Any) -> tuple[Any, ...]:
    return getattr(annotation, "__metadata__", ())


def as_of(base: FactBase, cutoff: date) -> FactBase:
    """The facts as they stood at the end of `cutoff`.

    A source counts once it was published (sources of unknown date always count). A record
    counts when it is dated on or before the cut-off and at least one of its sources counts;
    its dropped sources, quotes, roles and claims are removed with it.
    """
    sources = {sid: s for sid, s in base.sources.items() if _published_by(s, cutoff)}
    kept = empty_records()
    kept["sources"] = sources
    kept["topics"] = dict(base.records["topics"])
    kept["series"] = dict(base.records["series"])
    kept["eras"] = {e.id: e for e in base.eras if e.start.start <= cutoff}
    kept["editions"] = {e.id: e for e in base.editions if e.cutoff.start <= cutoff}
    for kind in ("quotes", "events", "roles", "glossary", "contested", "actors", "positions"):
        for record in base.records[kind].values():
            trimmed = _trim(record, sources, cutoff)
            if trimmed is not None:
                kept[kind][record.id] = trimmed
    quotes = kept["quotes"]
    for pid, position in kept["positions"].items():
        if any(q not in quotes for q in position.quotes):
            kept["positions"][pid] = position.model_copy(update={"quotes": [q for q in position.quotes if q in quotes]})
    frozen = {kind: MappingProxyType(table) for kind, table in kept.items()}
    return FactBase(MappingProxyType(frozen), base.origins, cutoff)


def _published_by(source: Source, cutoff: date) -> bool:
    known = source.known_date
    return known is None or known.start <= cutoff


def _trim(record: Record, sources: dict[str, Source], cutoff: date) -> Record | None:
    """The record as known at `cutoff`, or None; unchanged records are returned as they are."""
    dated = getattr(record, "date", None)
    if dated is not None and dated.start > cutoff:
        return None
    present = [s for s in record.sources if s in sources]  # type: ignore[attr-defined]
    if not present:
        return None
    update: dict[str, Any] = {}
    if len(present) != len(record.sources):  # type: ignore[attr-defined]
        update["sources"] = present
    corrections = getattr(record, "corrections", ())
    if any(c.date.start > cutoff for c in corrections):
        update["corrections"] = [c for c in corrections if c.date.start <= cutoff]
    if hasattr(record, "claims"):
        claims = [_known_part(c, sources) for c in record.claims]
        claims = [c for c in claims if c is not None]
        if len(claims) < 2:
            return None
        if _changed(claims, record.claims):
            update["claims"] = claims
    if hasattr(record, "roles"):
        roles = [_role_as_of(r, sources, cutoff) for r in record.roles]
        roles = [r for r in roles if r is not None]
        if _changed(roles, record.roles):
            update["roles"] = roles
        if record.died is not None and record.died.start > cutoff:  # type: ignore[attr-defined]
            update["died"] = None
    return record.model_copy(update=update) if update else record


def _changed(new: list[Any], old: list[Any]) -> bool:
    return len(new) != len(old) or any(a is not b for a, b in zip(new, old, strict=True))


def _known_part(nested: Any, sources: dict[str, Source]) -> Any:
    """A claim or role with only its published sources; None when none is published."""
    present = [s for s in nested.sources if s in sources]
    if not present:
        return None
    return nested if len(present) == len(nested.sources) else nested.model_copy(update={"sources": present})


def _role_as_of(role: Any, sources: dict[str, Source], cutoff: date) -> Any:
    if role.start is not None and role.start.start > cutoff:
        return None
    role = _known_part(role, sources)
    if role is not None and role.end is not None and role.end.start > cutoff:
        role = role.model_copy(update={"end": None})  # still in office at the cut-off
    return role
