"""The validated facts as one immutable, indexed collection, and its cut at an edition's date."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from types import MappingProxyType
from typing import Any, cast

from .kinds import KINDS, referenced
from .models import (
    Actor,
    Contested,
    Edition,
    Era,
    Event,
    Position,
    Quote,
    Record,
    RegionalRole,
    Series,
    Source,
    Term,
    Topic,
)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record is written: file, 1-based line and column."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


def _sorted(records: Mapping[str, Any], key: Any) -> tuple[Any, ...]:
    return tuple(sorted(records.values(), key=key))


@dataclass(frozen=True)
class FactBase:
    """Every record by kind and id, with the indexes pages need. Build it with `resolve`."""

    records: Mapping[str, Mapping[str, Record]]
    origins: Mapping[str, Origin] = field(default_factory=dict)
    cutoff: date | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {
            "records": {k: dict(v) for k, v in self.records.items()},
            "origins": dict(self.origins),
            "cutoff": self.cutoff,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        records = {k: MappingProxyType(v) for k, v in state["records"].items()}
        object.__setattr__(self, "records", MappingProxyType(records))
        object.__setattr__(self, "origins", MappingProxyType(state["origins"]))
        object.__setattr__(self, "cutoff", state["cutoff"])

    # -- by kind ---------------------------------------------------------------------------

    @property
    def sources(self) -> Mapping[str, Source]:
        return cast(Mapping[str, Source], self.records["sources"])

    @property
    def actors(self) -> Mapping[str, Actor]:
        return cast(Mapping[str, Actor], self.records["actors"])

    @property
    def quotes(self) -> Mapping[str, Quote]:
        return cast(Mapping[str, Quote], self.records["quotes"])

    @property
    def series(self) -> Mapping[str, Series]:
        return cast(Mapping[str, Series], self.records["series"])

    @property
    def glossary(self) -> Mapping[str, Term]:
        return cast(Mapping[str, Term], self.records["glossary"])

    @cached_property
    def topics(self) -> tuple[Topic, ...]:
        """Topics in their display order."""
        return _sorted(self.records["topics"], key=lambda t: (t.order, t.name))

    @cached_property
    def events(self) -> tuple[Event, ...]:
        """Events, oldest first."""
        return _sorted(self.records["events"], key=lambda e: (e.date.sort_key(), e.id))

    @cached_property
    def eras(self) -> tuple[Era, ...]:
        return _sorted(self.records["eras"], key=lambda e: e.start.sort_key())

    @cached_property
    def events_by_era(self) -> Mapping[str, tuple[Event, ...]]:
        """Each era's events, by era id: those that start within it, oldest first."""
        starts = [e.date.start for e in self.events]  # `events` is in order of its starts
        return {
            era.id: self.events[bisect_left(starts, era.start.start) : bisect_right(starts, era.end.end)]
            for era in self.eras
        }

    @cached_property
    def eras_with_events(self) -> tuple[Era, ...]:
        """The eras in which some event starts, oldest first."""
        return tuple(era for era in self.eras if self.events_by_era[era.id])

    @cached_property
    def positions(self) -> tuple[Position, ...]:
        """Positions, oldest first."""
        return _sorted(self.records["positions"], key=lambda p: (p.date.sort_key(), p.id))

    @cached_property
    def roles(self) -> tuple[RegionalRole, ...]:
        return _sorted(self.records["roles"], key=lambda r: (r.date.sort_key(), r.id))

    @cached_property
    def contested(self) -> tuple[Contested, ...]:
        return _sorted(self.records["contested"], key=lambda c: (c.date.sort_key(), c.id))

    @cached_property
    def editions(self) -> tuple[Edition, ...]:
        """Editions, oldest first."""
        return _sorted(self.records["editions"], key=lambda e: e.cutoff.sort_key())

    @cached_property
    def parties(self) -> tuple[Actor, ...]:
        """The principal parties, in data order: the columns of the positions matrix."""
        return tuple(a for a in self.actors.values() if a.party)

    # -- indexes ---------------------------------------------------------------------------

    @cached_property
    def position_history(self) -> Mapping[tuple[str, str], tuple[Position, ...]]:
        """(actor, topic) → that party's positions on the topic, oldest first."""
        history: dict[tuple[str, str], list[Position]] = defaultdict(list)
        for position in self.positions:
            history[(position.actor, position.topic)].append(position)
        return MappingProxyType({k: tuple(v) for k, v in history.items()})

    def current_position(self, actor: str, topic: str) -> Position | None:
        """The latest position of `actor` on `topic`, or None when it has stated none."""
        history = self.position_history.get((actor, topic))
        return history[-1] if history else None

    @cached_property
    def _overtaking(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.overtakes)

    def overtaken(self, position: Position) -> Event | None:
        """The latest event that changed the situation after `position` was stated, among those
        its party took part in (`Event.overtakes`); None when no such event followed it."""
        later = [e for e in self._overtaking if position.actor in e.participants and e.date.start > position.date.end]
        return later[-1] if later else None

    @cached_property
    def citations(self) -> Mapping[str, tuple[Record, ...]]:
        """Source id → the records that cite it (for back-links)."""
        cited: dict[str, list[Record]] = defaultdict(list)
        for kind, records in self.records.items():
            if kind == "sources":
                continue
            for record in records.values():
                for source_id in sorted(set(record_sources(record))):
                    cited[source_id].append(record)
        return MappingProxyType({k: tuple(v) for k, v in cited.items()})

    @cached_property
    def _topic_index(self) -> Mapping[str, dict[str, tuple[Record, ...]]]:
        index: dict[str, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
        for p in self.positions:
            index[p.topic]["positions"].append(p)
        for e in self.events:
            for topic in e.topics:
                index[topic]["events"].append(e)
        for q in self.quotes.values():
            for topic in q.topics:
                index[topic]["quotes"].append(q)
        for c in self.contested:
            for topic in c.topics:
                index[topic]["contested"].append(c)
        return _freeze(index)

    @cached_property
    def _actor_index(self) -> Mapping[str, dict[str, tuple[Record, ...]]]:
        index: dict[str, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
        for p in self.positions:
            index[p.actor]["positions"].append(p)
        for e in self.events:
            for actor in dict.fromkeys(e.participants):
                index[actor]["events"].append(e)
        for q in self.quotes.values():
            index[q.speaker]["quotes"].append(q)
        for r in self.roles:
            index[r.actor]["roles"].append(r)
        for c in self.contested:
            for actor in dict.fromkeys(a for claim in c.claims for a in claim.by):
                index[actor]["contested"].append(c)
        return _freeze(index)

    def by_topic(self, topic: str) -> dict[str, tuple[Record, ...]]:
        """Everything that concerns a topic, by kind."""
        found = self._topic_index.get(topic, {})
        return {kind: found.get(kind, ()) for kind in ("positions", "events", "quotes", "contested")}

    def by_actor(self, actor: str) -> dict[str, tuple[Record, ...]]:
        """Everything an actor says, holds or takes part in, by kind."""
        found = self._actor_index.get(actor, {})
        return {kind: found.get(kind, ()) for kind in ("positions", "events", "quotes", "roles", "contested")}

    def between(self, start: date, end: date) -> tuple[Event, ...]:
        """Events that begin within [start, end]."""
        return tuple(e for e in self.events if start <= e.date.start <= end)

    @property
    def count(self) -> int:
        """How many records the base holds."""
        return sum(len(v) for v in self.records.values())

    def edition(self, edition_id: str) -> Edition:
        """The edition with this id; KeyError with the known ids when there is none."""
        found = self.records["editions"].get(edition_id)
        if found is None:
            known = ", ".join(e.id for e in self.editions)
            raise KeyError(f"no edition '{edition_id}'; the editions are: {known}")
        return cast(Edition, found)

    @cached_property
    def cuts(self) -> dict[date | None, FactBase]:
        """The cuts made of these facts so far, by cut-off (filled by `cut.cut`, which each
        build asks for the same cut-off more than once)."""
        return {}

    def referenced(self, kind: str, record_id: str) -> list[tuple[str, str]]:
        """(kind, id) of every record the record `record_id` of `kind` refers to (see
        `kinds.referenced`), worked out once."""
        found = self._referenced.get((kind, record_id))
        if found is None:
            found = self._referenced[kind, record_id] = referenced(self.records[kind][record_id])
        return found

    @cached_property
    def _referenced(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        return {}

    def latest_date(self) -> date | None:
        """The last day any event or position reaches."""
        dated = [e.date.end for e in self.events] + [p.date.end for p in self.positions]
        return max(dated) if dated else None


def _freeze(index: dict[str, dict[str, list[Record]]]) -> Mapping[str, dict[str, tuple[Record, ...]]]:
    return MappingProxyType({k: {kind: tuple(v) for kind, v in kinds.items()} for k, kinds in index.items()})


def record_sources(record: Any) -> Iterator[str]:
    """Every source id a record cites, its nested claims, roles and earlier versions included."""
    yield from getattr(record, "sources", ())
    for name in ("claims", "roles", "earlier"):
        for nested in getattr(record, name, None) or ():
            yield from record_sources(nested)


def empty_records() -> dict[str, dict[str, Record]]:
    """One empty id → record table per kind."""
    return {kind: {} for kind in KINDS}
