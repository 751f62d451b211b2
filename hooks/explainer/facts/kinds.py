"""The registry of record kinds, derived from the models: every stage asks it, none lists kinds.

A kind is a key of a data file (`sources`, `events`, ...) with its model; the model says its
noun, home page, id shape and cut rule, and its annotations say which fields refer to other
records (`Ref`). Nothing here is written twice by hand.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from .models import CutRule, DataFile, IdShape, Record, Ref


@dataclass(frozen=True)
class Reference:
    """A field of a model that holds ids of records of kind `target` (or nests models that do)."""

    field: str
    alias: str
    target: str
    many: bool
    nested: bool
    required: bool
    model: type[BaseModel] | None = None
    """For a field that nests models: their model."""

    @property
    def whole(self) -> bool:
        """True when the record stands only with every id the field lists: a statement is shown
        only with all the sources it cites."""
        return self.target == "sources"


@dataclass(frozen=True)
class Kind:
    """One kind of record: its key in a data file and its model."""

    key: str
    model: type[Record]

    @property
    def noun(self) -> str:
        return self.model.noun

    @property
    def cut(self) -> CutRule:
        return self.model.cut

    @property
    def id_shape(self) -> IdShape | None:
        """The shape of the kind's ids (None for editions, whose ids are dates)."""
        field = self.model.model_fields["id"]
        return next((m for m in field.metadata if isinstance(m, IdShape)), None)

    @property
    def references(self) -> tuple[Reference, ...]:
        return reference_fields(self.model)


def _kinds() -> dict[str, Kind]:
    kinds = {}
    for key, field in DataFile.model_fields.items():
        (model,) = typing.get_args(field.annotation)
        kinds[key] = Kind(key, model)
    return kinds


KINDS: Mapping[str, Kind] = MappingProxyType(_kinds())
"""Every kind, by its key in a data file, in the order files and exports list them."""


def references(model: BaseModel, loc: list[Any]) -> Iterator[tuple[list[Any], Reference, str]]:
    """(location, field, id) for every reference in a record, nested models included."""
    for ref in reference_fields(type(model)):
        value = getattr(model, ref.field)
        if value is None:
            continue
        items = enumerate(value) if ref.many else [(None, value)]
        for i, item in items:
            here = [*loc, ref.alias] + ([i] if i is not None else [])
            if ref.nested:
                yield from references(item, here)
            else:
                yield here, ref, item


def referenced(model: BaseModel) -> list[tuple[str, str]]:
    """(kind, id) of every record `model` refers to, nested models included: what `references`
    finds, without the places, at a fraction of its cost."""
    found: list[tuple[str, str]] = []
    _collect(model, found)
    return found


def _collect(model: BaseModel, found: list[tuple[str, str]]) -> None:
    for ref in reference_fields(type(model)):
        value = getattr(model, ref.field)
        if value is None:
            continue
        if ref.nested:
            for item in value if ref.many else (value,):
                _collect(item, found)
        elif ref.many:
            found.extend((ref.target, item) for item in value)
        else:
            found.append((ref.target, value))


@cache
def reference_fields(model: type[BaseModel]) -> tuple[Reference, ...]:
    """The fields of `model` that refer to other records, or nest models that do."""
    plan = []
    for name, info in model.model_fields.items():
        annotation, many = info.annotation, False
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        if typing.get_origin(annotation) is list:
            annotation, many = typing.get_args(annotation)[0], True
        marks = (*info.metadata, *getattr(annotation, "__metadata__", ()))
        ref = next((m for m in marks if isinstance(m, Ref)), None)
        alias = info.alias or name
        required = info.is_required()
        if ref is not None:
            plan.append(Reference(name, alias, ref.kind, many, False, required))
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel) and reference_fields(annotation):
            plan.append(Reference(name, alias, "", many, True, required, annotation))
    return tuple(plan)
