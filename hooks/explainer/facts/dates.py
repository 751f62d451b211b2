"""Dates with their precision: a year, a month, a day, or a range of those.

Facts are often known only to the month or the year; the site must never invent a day. A
`FuzzyDate` keeps the precision it was written with, knows the first and last day it may mean,
and formats itself for readers ("6 February 2026", "February 2026", "13–24 June 2025").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import core_schema

# ASCII digits only: Python's `\d` also matches ٢ and ２, and its `$` matches before a final newline.
_PART = r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"
DATE_PATTERN = rf"^{_PART}(?:/{_PART})?$"
_PART_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_MONTHS = [calendar.month_name[m] for m in range(13)]


@dataclass(frozen=True, slots=True)
class _Point:
    year: int
    month: int | None
    day: int | None

    @classmethod
    def parse(cls, text: str) -> _Point:
        match = _PART_RE.fullmatch(text)
        if not match:
            raise ValueError(f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        if year < 1:
            raise ValueError(f"'{text}' has no year 0: years start at 0001")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"'{text}' has no month {month:02d}")
        if day is not None and month is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"'{text}' is not a real date: {_MONTHS[month]} {year} has {last} days")
        return cls(year, month, day)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date as precise as the sources allow: `2026`, `2026-02`, `2026-02-06`, or `A/B`."""

    begin: _Point
    finish: _Point | None = None

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Parse `YYYY[-MM[-DD]]` or an ISO 8601 interval `START/END`; raise ValueError."""
        if not isinstance(text, str):
            raise ValueError(f"a date must be written as text such as '2026-02-06', not {text!r}")
        return _parse_cached(text)

    @classmethod
    def _parse_text(cls, text: str) -> FuzzyDate:
        head, sep, tail = text.partition("/")
        try:
            begin = _Point.parse(head)
            finish = _Point.parse(tail) if sep else None
        except ValueError as exc:
            fixed = suggest_date(text)
            if fixed and "is not a date" in str(exc):
                raise ValueError(f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; {fixed}") from None
            raise
        if finish is not None and finish.last_day < begin.first_day:
            raise ValueError(f"range '{text}' ends before it starts")
        return cls(begin, finish)

    @property
    def start(self) -> date:
        """The earliest day this date may mean."""
        return self.begin.first_day

    @property
    def end(self) -> date:
        """The latest day this date may mean."""
        return (self.finish or self.begin).last_day

    @property
    def precision(self) -> str:
        """`day`, `month` or `year`: the coarsest part of the date."""
        points = [self.begin] + ([self.finish] if self.finish else [])
        if any(p.month is None for p in points):
            return "year"
        if any(p.day is None for p in points):
            return "month"
        return "day"

    def sort_key(self) -> tuple[date, date]:
        """Order by first possible day, then by last: a month sorts before its days' ends."""
        return (self.start, self.end)

    def __str__(self) -> str:
        return f"{self.begin}/{self.finish}" if self.finish else str(self.begin)

    def human(self) -> str:
        """The date in words, at its own precision."""
        if self.finish is None or self.finish == self.begin:
            return _human_point(self.begin)
        b, f = self.begin, self.finish
        if b.day and f.day and (b.year, b.month) == (f.year, f.month):
            return f"{b.day}–{f.day} {_month(b)} {b.year}"
        if b.month and f.month and b.year == f.year and not b.day and not f.day:
            return f"{_month(b)}–{_month(f)} {b.year}"
        return f"{_human_point(b)} – {_human_point(f)}"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate, serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": DATE_PATTERN,
            "description": "YYYY, YYYY-MM, YYYY-MM-DD, or a range START/END of those.",
            "examples": ["2026-02-06", "2025-06", "2025-06-13/2025-06-24"],
        }

    @classmethod
    def _validate(cls, value: Any) -> FuzzyDate:
        if isinstance(value, FuzzyDate):
            return value
        return cls.parse(value)


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> FuzzyDate:
    """Dates repeat across records; a FuzzyDate is immutable, so one parse serves them all."""
    return FuzzyDate._parse_text(text)


def _month(point: _Point) -> str:
    return _MONTHS[point.month or 0]


def _human_point(point: _Point) -> str:
    if point.day:
        return f"{point.day} {_month(point)} {point.year}"
    if point.month:
        return f"{_month(point)} {point.year}"
    return str(point.year)


_DMY = re.compile(r"([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})")
_YMD = re.compile(r"([0-9]{4})[./-]([0-9]{1,2})[./-]([0-9]{1,2})")
_YM = re.compile(r"([0-9]{4})[./-]([0-9]{1,2})")
_MY = re.compile(r"([0-9]{1,2})[./-]([0-9]{4})")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_WORDS = re.compile(
    r"(?:([0-9]{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]{3,9})\.?(?:\s+([0-9]{1,2})(?:st|nd|rd|th)?)?,?\s+([0-9]{4})"
)
_MONTH_WORDS = {name.lower()[:3]: n for n, name in enumerate(calendar.month_name) if n}


def _real(year: int, month: int, day: int | None = None) -> str | None:
    """`YYYY-MM[-DD]` when that date exists, else None."""
    if not 1 <= month <= 12 or year < 1:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def suggest_date(text: str) -> str:
    """'did you mean ...?' for a date written another way (`09/03/2026`, `9 March 2026`,
    `2026/3/9`, `20260309`, `2026-02-06T10:00`), or '' when no reading is plain.

    `09/03/2026` is read day first, as most of the world writes it; when the month-first reading
    is a date too, both are offered, day first.
    """
    if text != text.strip():
        return ""  # spaces or line breaks around a date: the message quotes them, which says enough
    candidates: list[str | None] = []
    if match := _DMY.fullmatch(text):
        first, second, in_year = (int(g) for g in match.groups())
        candidates = [_real(in_year, second, first), _real(in_year, first, second)]
    elif match := _YMD.fullmatch(text) or _COMPACT.fullmatch(text):
        candidates = [_real(*(int(g) for g in match.groups()))]
    elif match := _YM.fullmatch(text):
        candidates = [_real(int(match.group(1)), int(match.group(2)))]
    elif match := _MY.fullmatch(text):
        candidates = [_real(int(match.group(2)), int(match.group(1)))]
    elif match := _WORDS.fullmatch(text):
        day_before, word, day_after, year = match.groups()
        month = _MONTH_WORDS.get(word.lower()[:3])
        day = day_before or day_after
        if month and not (day_before and day_after):
            candidates = [_real(int(year), month, int(day) if day else None)]
    elif len(text) > 10 and text[10] in "T " and _PART_RE.fullmatch(text[:10]):
        candidates = [_real(int(text[:4]), int(text[5:7]), int(text[8:10]))]
    found = list(dict.fromkeys(c for c in candidates if c))
    if not found:
        return ""
    readings = [f"'{c}' ({FuzzyDate.parse(c).human()})" if len(found) > 1 else f"'{c}'" for c in found]
    return f"did you mean {' or '.join(readings)}?"
