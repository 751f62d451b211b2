"""What changed from one edition to the next, fact by fact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .factbase import FactBase
from .models import Contested, Correction, Event, Position, Quote, RegionalRole


@dataclass(frozen=True)
class Move:
    """A party's position on a topic before and after: `before` is None for a new position."""

    before: Position | None
    after: Position


@dataclass(frozen=True)
class Changes:
    """The fact-level difference from one edition to the next."""

    events: tuple[Event, ...]
    moves: tuple[Move, ...]
    quotes: tuple[Quote, ...]
    contested: tuple[Contested, ...]
    roles: tuple[RegionalRole, ...]
    corrections: tuple[tuple[str, Correction], ...]
    """(record id, correction) for corrections made after the previous cut-off."""

    @property
    def empty(self) -> bool:
        return not any((self.events, self.moves, self.quotes, self.contested, self.roles, self.corrections))


def changes(previous: FactBase | None, current: FactBase) -> Changes:
    """What `current` has that `previous` had not (everything, when there is no previous)."""
    before = previous.records if previous else None

    def new(kind: str, items: Any) -> tuple[Any, ...]:
        return tuple(x for x in items if before is None or x.id not in before[kind])

    moves = []
    for (actor, topic), history in current.position_history.items():
        old = previous.current_position(actor, topic) if previous else None
        if old is None or old.id != history[-1].id:
            moves.append(Move(old, history[-1]))
    since = previous.cutoff if previous else None
    corrections = tuple(
        (rid, correction)
        for table in current.records.values()
        for rid, record in table.items()
        for correction in getattr(record, "corrections", ())
        if since is None or correction.date.start > since
    )
    return Changes(
        events=new("events", current.events),
        moves=tuple(sorted(moves, key=lambda m: (m.after.date.sort_key(), m.after.id))),
        quotes=new("quotes", sorted(current.quotes.values(), key=lambda q: q.date.sort_key())),
        contested=new("contested", current.contested),
        roles=new("roles", current.roles),
        corrections=tuple(sorted(corrections, key=lambda c: (c[1].date.sort_key(), c[0]))),
    )
