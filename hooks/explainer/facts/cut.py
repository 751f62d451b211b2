"""Cut the facts at an edition's cut-off: what was known by then, closed under references.

Each kind's cut rule (see `CutRule`) decides which records are in, and `timing` when a source
counts and which version of a record an edition shows. A record is then closed under
references: a record (or a nested claim or role) citing a source that is not in the edition is
not shown, since a statement stands only with all its sources; any other reference to a record
that is not in the edition is removed from a list, set to nothing where the field is optional,
and drops the record where the field is required, until nothing changes. Every cut is checked,
so a cut never dangles.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, cast

from annotated_types import MinLen
from pydantic import BaseModel

from ..errors import EditionError
from .dates import FuzzyDate
from .factbase import FactBase, empty_records, record_sources
from .kinds import KINDS, reference_fields, referenced, references
from .models import Actor, CutRule, Era, Record, Source
from .timing import published_by, published_day, version_at


def cut(base: FactBase, cutoff: date | None) -> FactBase:
    """The facts as they stood at the end of `cutoff`, or all of them (the draft view) for None.

    A source counts once surely published (see `timing.published_day`). A record of a sourced
    kind counts when it is dated on or before the cut-off and its newest version whose sources
    all count is chosen; its references must hold. An era that runs past the cut-off ends at it.
    The draft view holds every record in its newest version, undated sources included. Each
    cut of a base is made once (`FactBase.cuts`).
    """
    if cutoff not in base.cuts:
        base.cuts[cutoff] = _cut(base, cutoff)
    return base.cuts[cutoff]


def _cut(base: FactBase, cutoff: date | None) -> FactBase:
    upto = cutoff or date.max
    kept = empty_records()
    for sid, source in base.records["sources"].items():
        if isinstance(source, Source) and published_by(source, upto, undated=cutoff is None):
            kept["sources"][sid] = source
    known = kept["sources"].__contains__
    for key, kind in KINDS.items():
        if kind.cut is CutRule.PUBLISHED:
            continue
        table = kept[key]
        for rid, record in base.records[key].items():
            if kind.cut is CutRule.STARTED and not _started_by(record, upto):
                continue
            if kind.cut is CutRule.SOURCED and _later(record, upto):
                continue
            shown = version_at(record, upto, known)
            if shown is None:
                continue
            if kind.cut is CutRule.SOURCED:
                shown = _as_known_at(shown, upto)
            elif isinstance(shown, Era) and shown.end.end > upto:
                shown = shown.model_copy(update={"end": FuzzyDate.parse(upto.isoformat())})
            table[rid] = shown
    dangles = _close(kept, _Targets(base))
    facts = FactBase(MappingProxyType({k: MappingProxyType(v) for k, v in kept.items()}), base.origins, cutoff)
    if dangles:
        broken = dangling(facts)
        raise EditionError(f"the cut at {cutoff} leaves references to records it dropped: {', '.join(broken[:5])}")
    return facts


class _Targets:
    """(kind, id) of what a record of a cut refers to: the base's memo for a record the cut shows
    as the base holds it, worked out afresh for a version or a copy."""

    def __init__(self, base: FactBase):
        self.base = base

    def __call__(self, kind: str, record_id: str, record: Record) -> list[tuple[str, str]]:
        if self.base.records[kind].get(record_id) is record:
            return self.base.referenced(kind, record_id)
        return referenced(record)


def unpublished(base: FactBase) -> list[tuple[str, str, str, bool]]:
    """(kind, id, why, later) for every record the latest edition does not show, so no edition
    does: facts dated or sourced after its cut-off (`later`: a later edition would show them),
    or citing a source no edition counts."""
    if not base.editions:
        return []
    latest = base.editions[-1]
    facts = cut(base, latest.cutoff.end)
    found = []
    for key, kind in KINDS.items():
        if kind.cut is CutRule.ALWAYS or key == "editions":
            continue
        for rid, record in base.records[key].items():
            if rid in facts.records[key]:
                continue
            found.append((key, rid, *_why_unpublished(record, base, facts)))
    return found


def _why_unpublished(record: Record, base: FactBase, facts: FactBase) -> tuple[str, bool]:
    cutoff = facts.cutoff or date.max
    undated = "shows no date and has no `published_approx`, so no edition counts it"
    if isinstance(record, Source):
        day = published_day(record)
        if day is None:
            return f"it {undated}", False
        return f"it was published after the latest edition's cut-off ({day})", True
    dated = getattr(record, "date", None) or getattr(record, "start", None)
    if dated is not None and dated.start > cutoff:
        return f"it is dated {dated}, after the latest edition's cut-off", True
    cited = [sid for sid in dict.fromkeys(record_sources(record)) if sid in base.sources]
    never = [sid for sid in cited if published_day(base.sources[sid]) is None]
    if never:
        return f"it cites '{never[0]}', which {undated}", False
    late = [sid for sid in cited if sid not in facts.sources]
    if late:
        return f"it cites sources published after the latest edition's cut-off ({', '.join(late[:3])})", True
    missing = [
        (ref.target, value) for _, ref, value in references(record, []) if value not in facts.records[ref.target]
    ]
    if missing:
        target, value = missing[0]
        return f"it refers to {KINDS[target].noun} '{value}', which the latest edition does not show", True
    return "the latest edition does not show it", True


def dangling(facts: FactBase) -> list[str]:
    """`record-id.field: missing-id` for every reference to a record the facts do not hold."""
    found = []
    for table in facts.records.values():
        for rid, record in table.items():
            for loc, ref, value in references(record, []):
                if value not in facts.records[ref.target]:
                    found.append(f"{rid}.{'.'.join(map(str, loc))}: {value}")
    return found


def _started_by(record: Record, cutoff: date) -> bool:
    start = getattr(record, "start", None) or getattr(record, "cutoff", None)
    return start is None or start.start <= cutoff


def _later(record: Record, cutoff: date) -> bool:
    """True when the record is dated after `cutoff`."""
    dated = getattr(record, "date", None)
    return dated is not None and dated.start > cutoff


def _as_known_at(record: Record, cutoff: date) -> Record:
    """The record without what happened after `cutoff`: later corrections, roles not yet
    begun, ends and deaths still to come."""
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


def _close(kept: dict[str, dict[str, Record]], targets: _Targets) -> bool:
    """Remove references to records that are not kept, dropping what cannot stand without them.

    This is also the cut's reference check: it ends with a pass that finds every reference of
    every kept record held, and returns True if a record still refers to one that is not (which
    `_closed` should have made impossible)."""
    changed, dangles = True, False
    while changed:
        changed = dangles = False
        for kind, table in kept.items():
            for rid, record in list(table.items()):
                if all(value in kept[target] for target, value in targets(kind, rid, record)):
                    continue
                closed = _closed(record, kept)
                if closed is record:
                    dangles = True
                    continue
                changed = True
                if closed is None:
                    del table[rid]
                else:
                    table[rid] = cast(Record, closed)
    return dangles


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
                if ref.whole:
                    return None
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
