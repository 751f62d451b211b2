"""Join validated files into one FactBase: unique ids, and references that exist."""

from __future__ import annotations

import difflib
from types import MappingProxyType
from typing import Any

from .factbase import FactBase, Origin, empty_records
from .kinds import KINDS, references
from .loader import LoadedFile
from .models import DataFile


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
                mark = node.start_mark if node is not None else None
                line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
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
            for loc, ref, value in references(record, [kind, index]):
                if value in records[ref.target] or value in failed:
                    continue
                node, _ = loaded.node_at(loc)
                close = difflib.get_close_matches(value, list(records[ref.target]), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                loaded.error(node, f"unknown {KINDS[ref.target].noun} id '{value}'{hint}")


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
