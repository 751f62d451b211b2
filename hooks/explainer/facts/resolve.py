"""Join validated files into one FactBase: unique ids, and references that exist."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from .factbase import FactBase, Origin, empty_records
from .kinds import KINDS, referenced, references
from .loader import LoadedFile
from .models import DataFile
from .timing import check_times


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
    frozen = {kind: MappingProxyType(table) for kind, table in records.items()}
    base = FactBase(MappingProxyType(frozen), MappingProxyType(origins))
    suggest = _Suggestions(records)
    for loaded, data in files:
        _check_references(loaded, data, base, failed, suggest)
        _warn_undated_sources(loaded, data)
        check_times(loaded, data, records["sources"])
    return base


def _check_references(
    loaded: LoadedFile,
    data: DataFile,
    base: FactBase,
    failed: frozenset[str] | set[str],
    suggest: _Suggestions,
) -> None:
    records = base.records

    def known(target: str, value: str) -> bool:
        return value in records[target] or value in failed

    for kind in records:
        for index, record in enumerate(getattr(data, kind)):
            held = records[kind].get(record.id) is record  # else a duplicate id, reported above
            targets = base.referenced(kind, record.id) if held else referenced(record)
            if all(known(target, value) for target, value in targets):
                continue
            for loc, ref, value in references(record, [kind, index]):
                if known(ref.target, value):
                    continue
                node, _ = loaded.node_at(loc)
                close = suggest(ref.target, value)
                hint = f"; did you mean '{close}'?" if close else ""
                loaded.error(node, f"unknown {KINDS[ref.target].noun} id '{value}'{hint}")


class _Suggestions:
    """The known id closest to a misspelt one, per kind; a kind's ids are indexed only once a
    reference to it is unknown."""

    def __init__(self, records: Mapping[str, Mapping[str, Any]]):
        self.records = records
        self.by_kind: dict[str, CloseIds] = {}

    def __call__(self, kind: str, word: str) -> str | None:
        if kind not in self.by_kind:
            table = self.records[kind]
            self.by_kind[kind] = CloseIds(table, alias_keys(table))
        return self.by_kind[kind](word)


class CloseIds:
    """The known id closest to a misspelt one, found without comparing it with every id.

    difflib compares a word with each choice; doing that for every unknown reference made a check
    of 10,000 records with 2,000 broken references take minutes. Ids are indexed by their
    three-letter pieces, and a word is compared (by difflib, as before) only with the
    MAX_CANDIDATES ids sharing most of its rarer pieces, read from at most MAX_POSTINGS index
    entries. A word whose every piece is common to thousands of ids gets no suggestion.
    """

    MAX_CANDIDATES = 15
    MAX_POSTINGS = 4000

    def __init__(self, ids: Iterable[str], aliases: Mapping[str, str] | None = None):
        self.ids = list(ids)
        known = set(self.ids)
        self._owner = {key: rid for key, rid in (aliases or {}).items() if key not in known}
        """Another name of a record, written as an id (`islamic-republic-of-iran`) → its id (`iran`)."""
        self.ids += list(self._owner)
        self.compared = 0
        """Candidates compared with difflib so far: the work a check spends on suggestions."""
        self._index: dict[str, list[int]] | None = None
        self._memo: dict[str, str | None] = {}

    def __call__(self, word: str) -> str | None:
        if word not in self._memo:
            if word in self._owner:
                self._memo[word] = self._owner[word]
                return self._memo[word]
            candidates = self.ids if len(self.ids) <= self.MAX_CANDIDATES else self._candidates(word)
            self.compared += len(candidates)
            close = difflib.get_close_matches(word, candidates, n=1)
            self._memo[word] = self._owner.get(close[0], close[0]) if close else None
        return self._memo[word]

    def _candidates(self, word: str) -> list[str]:
        if self._index is None:
            self._index = {}
            for number, known in enumerate(self.ids):
                for piece in _pieces(known):
                    self._index.setdefault(piece, []).append(number)
        postings = sorted((self._index.get(piece, []) for piece in _pieces(word)), key=len)
        shared: Counter[int] = Counter()
        budget = self.MAX_POSTINGS
        for posting in postings:
            if len(posting) > budget:
                break
            budget -= len(posting)
            shared.update(posting)
        return [self.ids[number] for number, _ in shared.most_common(self.MAX_CANDIDATES)]


def alias_keys(table: Mapping[str, Any]) -> dict[str, str]:
    """Each record's name and aliases written as ids (`Islamic Republic of Iran` →
    `islamic-republic-of-iran`), mapped to the record's id, so a reference by another name finds it."""
    keys: dict[str, str] = {}
    for rid, record in table.items():
        for name in (getattr(record, "name", None), getattr(record, "term", None), *getattr(record, "aliases", ())):
            if isinstance(name, str):
                folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
                key = "-".join(re.findall(r"[a-z0-9]+", folded))
                if key and key != rid:
                    keys.setdefault(key, rid)
    return keys


def _pieces(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


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
