"""When a fact became known: the rules that keep each edition to what its sources had published.

- A source counts from the last day its publication date may mean (`2026-02` counts from 28
  February); a source whose page shows no date counts from its approximate date
  (`published_approx`), and not at all when it has none.
- A statement is shown only with every source it cites: a record, a version of it, a nested role
  or claim whose sources are not all published by the cut-off is not shown (a record then falls
  back to its newest earlier version that is, or is absent).
- A version holds from its `as_of` date (its first day).
- `check` refuses a source published before the event or quote it reports (unless the event is a
  plan or a forecast), and a role that ends on a date without a source published on or after it.
- Every text an edition shows is checked for dates after its cut-off (`leaks`), so an edition
  whose text outruns its sources fails to build.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from .dates import FuzzyDate
from .kinds import KINDS, referenced
from .loader import LoadedFile
from .models import Actor, DataFile, Printable, Record, Source, Version

# -- when a source counts ---------------------------------------------------------------------


def published_day(source: Source) -> date | None:
    """The day by which `source` was surely published: the last day its date (or its approximate
    date, when the page shows none) may mean; None when it has neither."""
    known = source.known_date
    return known.end if known is not None else None


def published_by(source: Source, cutoff: date, undated: bool = False) -> bool:
    """True when `source` counts in an edition cut at `cutoff`; an undated source counts only
    when `undated` is set (the draft view)."""
    day = published_day(source)
    return undated if day is None else day <= cutoff


# -- which version an edition shows -------------------------------------------------------------


def versions(record: Record) -> list[Record | Version]:
    """The record's texts, newest first: the record itself, then its earlier versions."""
    return [record, *reversed(getattr(record, "earlier", ()))]


def version_at(record: Record, cutoff: date, known: Callable[[str], bool]) -> Record | None:
    """The record as an edition cut at `cutoff` shows it: its newest text whose `as_of` has come
    and whose sources are all `known`, applied to the record; None when no text qualifies."""
    if "earlier" not in type(record).model_fields:
        return record
    for text in versions(record):
        as_of = getattr(text, "as_of", None)
        if as_of is not None and as_of.start > cutoff:
            continue
        if not all(known(sid) for sid in getattr(text, "sources", ())):
            continue
        return apply_version(record, text)
    return None


def apply_version(record: Record, text: Record | Version) -> Record:
    """`record` with the fields of `text` (one of its versions, or itself) and no earlier versions."""
    if text is record and not getattr(record, "earlier", None):
        return record
    update: dict[str, Any] = {"earlier": []}
    if isinstance(text, Version):
        for name in type(text).model_fields:
            value = getattr(text, name)
            if value is None and name in text.keeps:
                continue
            update[name] = value
    return record.model_copy(update=update)


# -- dates named in text ------------------------------------------------------------------------

_MONTHS = {
    name.casefold(): number
    for number, names in enumerate(
        [
            (),
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ]
    )
    for name in names
}
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_YEAR = r"(?:19|20)\d{2}"
_MENTION = re.compile(
    r"(?=[\dJFMASONDjfmasond])"  # where a mention can start: a number or a month's name
    rf"(?:(?<![\w.])(?P<iy>{_YEAR})-(?P<im>0[1-9]|1[0-2])(?:-(?P<id>[0-3]\d))?(?![\d])"  # 2026-02-06
    rf"|\b(?P<d1>\d{{1,2}})(?:\s*(?:–|-|to|and)\s*(?P<d2>\d{{1,2}}))?\s+(?P<dm>{_MONTH})(?![\w])"
    rf"(?:,?\s+(?P<dy>{_YEAR})\b)?"  # 6 February 2026, 21–22 June 2025, 17 and 26 February
    rf"|\b(?P<um>{_MONTH})\s+(?P<ud>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<uy>{_YEAR})\b)?"  # February 6, 2026
    rf"|\b(?P<mm>{_MONTH})(?:\s*[–-]\s*(?P<mm2>{_MONTH}))?\s+(?P<my>{_YEAR})\b"  # February 2026
    rf"|(?<![\w.,%])(?P<y>{_YEAR})(?![\w%]|[.,]\d))",  # 2026
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Mention:
    """A date named in text: the words, and the first and last day they name."""

    words: str
    first: date
    last: date
    precision: str
    """`day`, `month` or `year`."""

    def after(self, cutoff: date) -> bool:
        """True when the words name a time after `cutoff`: any named day, or a month or year
        that begins after it ("February 2026" does not outrun 6 February 2026)."""
        return (self.last if self.precision == "day" else self.first) > cutoff


def mentions(text: str, default_year: int) -> list[Mention]:
    """Every date `text` names, in order. A day without a year ("on 27 February") is in the last
    year named before it in the text, else in `default_year`."""
    found: list[Mention] = []
    if not _DIGIT.search(text):  # every form of date names a number: most texts end here
        return found
    year = default_year
    for match in _MENTION.finditer(text):
        mention = _mention(match, year)
        if mention is not None:
            found.append(mention)
            year = mention.last.year
    return found


def _mention(m: re.Match[str], year: int) -> Mention | None:
    words = m.group(0)
    try:
        if m.group("iy"):
            point = FuzzyDate.parse(words)
            return Mention(words, point.start, point.end, point.precision)
        if m.group("dm"):
            month, y = _month(m.group("dm")), int(m.group("dy") or year)
            days = [int(m.group("d1"))] + ([int(m.group("d2"))] if m.group("d2") else [])
            return Mention(words, date(y, month, days[0]), date(y, month, days[-1]), "day")
        if m.group("um"):
            day = date(int(m.group("uy") or year), _month(m.group("um")), int(m.group("ud")))
            return Mention(words, day, day, "day")
        if m.group("mm"):
            y = int(m.group("my"))
            last = FuzzyDate.parse(f"{y:04d}-{_month(m.group('mm2') or m.group('mm')):02d}").end
            return Mention(words, date(y, _month(m.group("mm")), 1), last, "month")
        y = int(m.group("y"))
        return Mention(words, date(y, 1, 1), date(y, 12, 31), "year")
    except ValueError:  # "31 February": not a date
        return None


def _month(name: str) -> int:
    return _MONTHS[name.rstrip(".").casefold()]


# -- text an edition shows ----------------------------------------------------------------------


def texts(model: BaseModel, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, text) for every field of text people read in `model`, nested ones included."""
    for name, is_text in _fields(type(model)):
        value = getattr(model, name)
        if value is None:
            continue
        here = f"{path}.{name}" if path else name
        if is_text:
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                yield (f"{here}[{i}]" if isinstance(value, list) else here), item
        elif isinstance(value, BaseModel):
            yield from texts(value, here)
        else:
            for i, item in enumerate(value):
                yield from texts(item, f"{here}[{i}]")


@functools.cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """(name, whether it is text people read) of each field of `model` but `earlier` that is text
    or holds models (alone or in a list): the fields `texts` reads."""
    found = []
    for name, info in model.model_fields.items():
        if name == "earlier":
            continue
        if _is_text(info.annotation, info.metadata):
            found.append((name, True))
        elif _holds_models(info.annotation):
            found.append((name, False))
    return tuple(found)


def _is_text(annotation: Any, metadata: list[Any]) -> bool:
    if any(isinstance(m, Printable) for m in metadata):
        return True
    for arg in typing.get_args(annotation):  # list[Text], Text | None
        if any(isinstance(m, Printable) for m in getattr(arg, "__metadata__", ())) or _is_text(arg, []):
            return True
    return False


def _holds_models(annotation: Any) -> bool:
    """True for a model, an optional one or a list of them."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_models(arg) for arg in typing.get_args(annotation))


@dataclass(frozen=True)
class Leak:
    """Something an edition would show that its cut-off does not allow."""

    kind: str
    record_id: str
    message: str


def leaks(records: Mapping[str, Mapping[str, Record]], cutoff: date) -> list[Leak]:
    """What the records of an edition cut at `cutoff` show that was not known by then: a text
    naming a later date, or a citation of a source the edition does not hold. A day named
    without a year is in the year named last before it, else in the year of the record's date,
    else in the cut-off's. Sources are not read: a headline published by the cut-off may
    announce a plan."""
    found: list[Leak] = []
    shown = records["sources"]
    for kind, table in records.items():
        if kind == "sources":
            continue
        dated_kind = "date" in KINDS[kind].model.model_fields
        for rid, record in table.items():
            dated = getattr(record, "date", None) if dated_kind else None  # no lookup of a missing field
            year = dated.start.year if isinstance(dated, FuzzyDate) else cutoff.year
            for field, text in texts(record):
                for mention in mentions(text, year):
                    if mention.after(cutoff):
                        found.append(Leak(kind, rid, f"{field} names '{mention.words}', after the cut-off"))
            for target, sid in referenced(record):
                if target == "sources" and sid not in shown:
                    found.append(Leak(kind, rid, f"cites '{sid}', a source this edition does not show"))
    return found


# -- checks on the data, at each record's place ------------------------------------------------


def check_times(loaded: LoadedFile, data: DataFile, sources: Mapping[str, Record]) -> None:
    """Report, at each record's place in the file, a source published before what it reports and
    a role that ends without a source able to report the end."""

    def day(sid: str) -> date | None:
        source = sources.get(sid)
        return published_day(source) if isinstance(source, Source) else None

    def early(happened: FuzzyDate, cited: list[str]) -> list[tuple[str, date]]:
        return [(sid, d) for sid in dict.fromkeys(cited) if (d := day(sid)) is not None and d < happened.start]

    for index, event in enumerate(data.events):
        if event.is_plan:
            continue
        for n, text in enumerate(versions(event)):
            for sid, d in early(event.date, list(getattr(text, "sources", ()))):
                where = [] if text is event else ["earlier", len(event.earlier) - n]
                _error(loaded, ["events", index, *where], _too_early("event", event.id, event.date, sid, d, True))
    for index, quote in enumerate(data.quotes):
        for sid, d in early(quote.date, quote.sources):
            _error(loaded, ["quotes", index], _too_early("quote", quote.id, quote.date, sid, d, False))
    for index, actor in enumerate(data.actors):
        _check_role_ends(loaded, actor, index, day)


def _check_role_ends(loaded: LoadedFile, actor: Actor, index: int, day: Callable[[str], date | None]) -> None:
    lists = [(["actors", index], actor.roles)]
    lists += [(["actors", index, "earlier", n], v.roles) for n, v in enumerate(actor.earlier) if v.roles]
    for loc, roles in lists:
        for i, role in enumerate(roles):
            if role.end is None:
                continue
            days = [d for sid in role.sources if (d := day(sid)) is not None]
            if days and max(days) < role.end.start:
                _error(
                    loaded,
                    [*loc, "roles", i],
                    f"role '{role.title}' of '{actor.id}' ends on {role.end} but every source it cites was "
                    f"published before then (the latest on {max(days)}): cite a source that reports the end",
                )


def _too_early(noun: str, rid: str, happened: FuzzyDate, sid: str, published: date, can_plan: bool) -> str:
    hint = "; if it reports a plan or a forecast, say so with `reports: plan` or `reports: forecast`"
    return (
        f"{noun} '{rid}' is dated {happened} but cites '{sid}', published by {published}, before it happened: "
        f"a source cannot report what had not happened yet{hint if can_plan else ''}"
    )


def _error(loaded: LoadedFile, loc: list[Any], message: str) -> None:
    node, _ = loaded.node_at(loc)
    loaded.error(node, message)
