"""What changed from one edition to the next, fact by fact.

- A fact is *new* when the previous edition did not show it: first known after the previous
  cut-off. New facts dated on or before that cut-off were reported late; pages say so apart.
- A position *moved* when a party's latest stated position on a topic differs, in stance or
  text, from the one the previous edition showed (or the party had stated none).
- A record is *updated* when the edition shows a different text of it (a newer version, a claim
  added): its fields of text differ.
- The first edition has no previous one: its changes are empty and `first` is set, so pages
  summarise it instead of listing the whole story as new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .factbase import FactBase
from .models import Contested, Correction, Event, Position, Quote, Record, RegionalRole
from .timing import texts


@dataclass(frozen=True)
class Move:
    """A party's position on a topic before and after: `before` is None for a first position."""

    before: Position | None
    after: Position


@dataclass(frozen=True)
class Update:
    """A record the edition shows with a different text than the previous edition did."""

    kind: str
    before: Record
    after: Record


UPDATED_KINDS = ("actors", "glossary", "events", "roles", "contested", "topics", "eras")
"""Kinds whose records can be shown again with another text (a newer version, a claim added)."""


@dataclass(frozen=True)
class Changes:
    """The fact-level difference from one edition to the next."""

    since: date | None
    """The previous edition's cut-off; None for the first edition."""
    events: tuple[Event, ...] = ()
    moves: tuple[Move, ...] = ()
    quotes: tuple[Quote, ...] = ()
    contested: tuple[Contested, ...] = ()
    roles: tuple[RegionalRole, ...] = ()
    updates: tuple[Update, ...] = ()
    corrections: tuple[tuple[str, Correction], ...] = ()
    """(record id, correction) for corrections made after the previous cut-off."""

    @property
    def first(self) -> bool:
        """True for the first edition, which has nothing to compare with."""
        return self.since is None

    @property
    def empty(self) -> bool:
        parts = (self.events, self.moves, self.quotes, self.contested, self.roles, self.updates, self.corrections)
        return not any(parts)

    def dated_since(self, items: tuple[Any, ...]) -> tuple[Any, ...]:
        """The items dated after the previous cut-off: what happened since."""
        return tuple(x for x in items if self.since is None or _dated(x).end > self.since)

    def reported_late(self, items: tuple[Any, ...]) -> tuple[Any, ...]:
        """The items first shown now but dated on or before the previous cut-off."""
        return tuple(x for x in items if self.since is not None and _dated(x).end <= self.since)


def _dated(item: Any) -> Any:
    return item.after.date if isinstance(item, Move) else item.date


def changes(previous: FactBase | None, current: FactBase) -> Changes:
    """What `current` shows that `previous` did not (nothing, for a first edition)."""
    if previous is None:
        return Changes(since=None)
    before = previous.records
    since = previous.cutoff or date.max

    def new(kind: str, items: Any) -> tuple[Any, ...]:
        return tuple(x for x in items if x.id not in before[kind])

    moves = []
    for (actor, topic), history in current.position_history.items():
        old, latest = previous.current_position(actor, topic), history[-1]
        if old is None or (old.id != latest.id and (old.stance, old.summary) != (latest.stance, latest.summary)):
            moves.append(Move(old, latest))
    updates = []
    for kind in UPDATED_KINDS:
        for rid, record in current.records[kind].items():
            old_record = before[kind].get(rid)
            if old_record is not None and dict(texts(old_record)) != dict(texts(record)):
                updates.append(Update(kind, old_record, record))
    corrections = tuple(
        (rid, correction)
        for table in current.records.values()
        for rid, record in table.items()
        for correction in getattr(record, "corrections", ())
        if correction.date.start > since
    )
    return Changes(
        since=previous.cutoff,
        events=new("events", current.events),
        moves=tuple(sorted(moves, key=lambda m: (m.after.date.sort_key(), m.after.id))),
        quotes=new("quotes", sorted(current.quotes.values(), key=lambda q: q.date.sort_key())),
        contested=new("contested", current.contested),
        roles=new("roles", current.roles),
        updates=tuple(updates),
        corrections=tuple(sorted(corrections, key=lambda c: (c[1].date.sort_key(), c[0]))),
    )
