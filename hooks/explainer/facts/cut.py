"""Cut the facts at an edition's cut-off: what was known by then, closed under references.

Each kind's cut rule (see `CutRule`) decides which records are in. A record is then closed under
references: a reference to a record that is not in the edition is removed from a list, set to
nothing where the field is optional, and drops the record (or the nested claim or role) where
the field is required, until nothing changes. Every cut is checked, so a cut never dangles.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, cast

from annotated_types import MinLen
from pydantic import BaseModel

from ..errors import EditionError
from .factbase import FactBase, empty_records
from .kinds import KINDS, reference_fields, references
from .models import Actor, CutRule, Record, Source


def cut(base: FactBase, cutoff: date) -> FactBase:
    """The facts as they stood at the end of `cutoff`.

    A source counts once it was published (sources of unknown date always count). A record of
    a sourced kind counts when it is dated on or before the cut-off and its references hold.
    """
    kept = empty_records()
    for key, kind in KINDS.items():
        table = kept[key]
        for rid, record in base.records[key].items():
            if kind.cut is CutRule.ALWAYS or (kind.cut is CutRule.PUBLISHED and _published_by(record, cutoff)):
                table[rid] = record
            elif kind.cut is CutRule.STARTED and _started_by(record, cutoff):
                table[rid] = record
            elif kind.cut is CutRule.SOURCED:
                known = _as_known_at(record, cutoff)
                if known is not None:
                    table[rid] = known
    _close(kept)
    facts = FactBase(MappingProxyType({k: MappingProxyType(v) for k, v in kept.items()}), base.origins, cutoff)
    broken = dangling(facts)
    if broken:
        raise EditionError(f"the cut at {cutoff} leaves references to records it dropped: {', '.join(broken[:5])}")
    return facts


def dangling(facts: FactBase) -> list[str]:
    """`record-id.field: missing-id` for every reference to a record the facts do not hold."""
    found = []
    for table in facts.records.values():
        for rid, record in table.items():
            for loc, ref, value in references(record, []):
                if value not in facts.records[ref.target]:
                    found.append(f"{rid}.{'.'.join(map(str, loc))}: {value}")
    return found


def _published_by(source: Record, cutoff: date) -> bool:
    known = source.known_date if isinstance(source, Source) else None
    return known is None or known.start <= cutoff


def _started_by(record: Record, cutoff: date) -> bool:
    start = getattr(record, "start", None) or getattr(record, "cutoff", None)
    return start is None or start.start <= cutoff


def _as_known_at(record: Record, cutoff: date) -> Record | None:
    """The record without what happened after `cutoff`; None when it is itself later."""
    dated = getattr(record, "date", None)
    if dated is not None and dated.start > cutoff:
        return None
    update: dict[str, Any] = {}
    corrections = getattr(record, "corrections", ())
    if any(c.date.start > cutoff for c in corrections):
        update["corrections"] = [c for c in corrections if c.date.start <= cutoff]
    if isinstance(record, Actor):
        roles = [_role_at(r, cutoff) for r in record.roles if r.start is None or r.start.start <= cutoff]
        if _changed(roles, record.roles):
            update["roles"] = roles
        if record.died is not None and record.died.start > cutoff:
            update["died"] = None
    return record.model_copy(update=update) if update else record


def _role_at(role: Any, cutoff: date) -> Any:
    if role.end is not None and role.end.start > cutoff:
        return role.model_copy(update={"end": None})  # still in office at the cut-off
    return role


def _close(kept: dict[str, dict[str, Record]]) -> None:
    """Remove references to records that are not kept, dropping what cannot stand without them."""
    changed = True
    while changed:
        changed = False
        for table in kept.values():
            for rid, record in list(table.items()):
                closed = _closed(record, kept)
                if closed is record:
                    continue
                changed = True
                if closed is None:
                    del table[rid]
                else:
                    table[rid] = cast(Record, closed)


def _closed(model: BaseModel, kept: Mapping[str, Mapping[str, Record]]) -> BaseModel | None:
    """`model` with its references to dropped records removed, or None when it cannot stand."""
    update: dict[str, Any] = {}
    for ref in reference_fields(type(model)):
        value = getattr(model, ref.field)
        if value is None:
            continue
        if ref.nested:
            items = value if ref.many else [value]
            closed = [c for c in (_closed(item, kept) for item in items) if c is not None]
            if ref.many and _changed(closed, value):
                update[ref.field] = closed
            elif not ref.many and (not closed or closed[0] is not value):
                if not closed and ref.required:
                    return None
                update[ref.field] = closed[0] if closed else None
        elif ref.many:
            present = [v for v in value if v in kept[ref.target]]
            if len(present) != len(value):
                update[ref.field] = present
        elif value not in kept[ref.target]:
            if ref.required:
                return None
            update[ref.field] = None
    if not update:
        return model
    for name, value in update.items():
        if isinstance(value, list) and len(value) < _min_length(type(model), name):
            return None
    return model.model_copy(update=update)


def _min_length(model: type[BaseModel], name: str) -> int:
    return next((m.min_length for m in model.model_fields[name].metadata if isinstance(m, MinLen)), 0)


def _changed(new: list[Any], old: list[Any]) -> bool:
    return len(new) != len(old) or any(a is not b for a, b in zip(new, old, strict=True))
