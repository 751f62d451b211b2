"""`python -m explainer new KIND ...`: add a valid record with a fresh id where it belongs.

Where it belongs is decided by what the record is about, the way the data is laid out:

- a **position** goes to the file of its party (the file holding that actor's positions; a new
  `<actor>.yml` beside the others when files are named after parties), under the heading of its
  topic, after that party's earlier positions on it; a topic the file lacks gets its own heading,
  in the topics' order;
- an **event** or a **source** goes to the file whose period holds its date (the dates of the
  file's records, then the years in the file's name, then the nearest period), after the records
  dated before it;
- a **quote** goes after the quotes dated before it, so under the heading of its period.

The record is written in the file's own style: its indentation, its blank lines between records,
its order of fields, `[a, b]` or one `- item` per line as the file writes each list, and `>-`
for text too long for one line. Nothing else in the file changes, comments included.

Nothing is written unless the whole data set, with the record added, passes the check and the
record reads back exactly as given; `--dry-run` shows where and what, and writes nothing.
"""

from __future__ import annotations

import argparse
import enum
import os
import re
import shutil
import tempfile
import types
import typing
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel
from yaml.nodes import MappingNode, SequenceNode

from ..errors import DataError, ExplainerError
from ..facts.dates import FuzzyDate
from ..facts.factbase import FactBase
from ..facts.kinds import KINDS
from ..facts.load import load_facts
from ..facts.loader import load_file, shown
from ..facts.models import UNPRINTABLE_RE, Record, Ref, Source
from ..facts.resolve import CloseIds, alias_keys

KIND_KEY = {KINDS[key].noun: key for key in ("sources", "events", "quotes", "positions")}
"""What `explainer new` adds: each kind's noun (the subcommand) and its key in data files."""
WIDTH = 100
"""Longest line written before text is folded with `>-` (the data files' own width)."""
SKIPPED_FIELDS = frozenset({"id", "corrections"})
"""Not set from the command line: the id is derived (or given with --id); corrections come later."""
SINGULAR = {
    "sources": "source",
    "participants": "participant",
    "topics": "topic",
    "demands": "demand",
    "red_lines": "red-line",
    "quotes": "quote",
    "aliases": "alias",
}
"""The option for one item of a list field: `--source A --source B`."""
HELP = {
    "actor": "the party whose position it is (an actor id, e.g. iran)",
    "topic": "the topic (a topic id, e.g. missiles)",
    "stance": "how the party stands on the topic",
    "status": "held (default), scheduled, cancelled or postponed",
    "place": "where it happened (e.g. Muscat, Oman)",
    "participants": "actor ids of those who took part (repeatable, or comma-separated)",
    "topics": "topic ids it concerns (repeatable, or comma-separated)",
    "speaker": "who said it (an actor id, e.g. abbas-araghchi)",
    "date": "YYYY, YYYY-MM or YYYY-MM-DD, as precise as the sources allow; START/END for a range",
    "demands": "a demand in the party's words (repeatable)",
    "red_lines": "a red line in the party's words (repeatable)",
    "sources": "id of a source that supports it (repeatable, or comma-separated; at least one)",
    "published": "publication date as the page shows it (YYYY-MM-DD), or `unknown`",
    "kind": "what kind of publication it is",
}
DEFAULTS = {("source", "kind"): "news-report"}
"""Options with a default, though the field is required in the data."""
EXAMPLES = {
    "source": """\
examples:
  python -m explainer new source --publisher "Associated Press" \\
      --title "Iran and US hold talks in Oman" --url https://apnews.com/article/... \\
      --published 2026-02-06 --kind news-report --accessed 2026-02-07
  python -m explainer new source --publisher "Example (republishing Reuters)" --title "..." \\
      --url https://... --published unknown --published-approx 2026-02 \\
      --kind republished-wire-copy --original Reuters --caution --reliability "Minor outlet."
""",
    "event": """\
examples:
  python -m explainer new event --date 2026-02-06 --title "Talks in Muscat" \\
      --summary "Oman's foreign ministry says the delegations met separately." \\
      --place "Muscat, Oman" --participant iran,united-states --topic talks-format \\
      --series talks-2026 --key --source src-associated-press-2026-02-06
""",
    "quote": """\
examples:
  python -m explainer new quote --speaker abbas-araghchi --date 2026-02-07 \\
      --text "exact words, verbatim" --context "To reporters in Muscat." \\
      --topic talks-format --source src-associated-press-2026-02-07
""",
    "position": """\
examples:
  python -m explainer new position --actor iran --topic missiles --date 2026-02-07 \\
      --stance rejects --summary "Iran says its missiles are not negotiable." \\
      --red-line "No talks on missiles" --quote q-araghchi-2026-02-07 --source src-...
""",
}


class ScaffoldError(ExplainerError):
    """The record cannot be added where it belongs."""


# -- ids ----------------------------------------------------------------------------------------


def ascii_words(text: str) -> list[str]:
    """The words of `text` transliterated to lowercase ASCII: `Evrim Ağacı` → evrim, agaci;
    Persian, Arabic, Cyrillic and Chinese are transliterated too (anyascii), never dropped."""
    try:
        from anyascii import anyascii
    except ImportError:  # a build-only environment: fold accents, drop what has no ASCII twin
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    else:
        ascii_text = anyascii(unicodedata.normalize("NFC", text))
    return re.findall(r"[a-z0-9]+", ascii_text.lower())


def slug(text: str, words: int = 4) -> str:
    """Lowercase ASCII words joined by hyphens."""
    return "-".join(ascii_words(text)[:words]) or "item"


def fresh_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is free."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _id_date(value: Any) -> str:
    return str(value).replace("/", "-") if value else "nd"


def derived_id(kind: str, record: dict[str, Any]) -> str:
    """The id a record gets from its content, before it is made unique."""
    if kind == "source":
        published = record.get("published")
        when = published if published and published != "unknown" else record.get("published_approx")
        base = f"src-{slug(record['publisher'], 2)}-{_id_date(when) if when else 'nd'}"
    elif kind == "event":
        base = f"evt-{_id_date(record['date'])}-{slug(record['title'])}"
    elif kind == "quote":
        base = f"q-{record['speaker'].split('-')[-1]}-{_id_date(record['date'])}"
    else:
        base = f"pos-{record['actor']}-{record['topic']}-{_id_date(record['date'])}"
    base = re.sub(r"[^a-z0-9-]", "-", base.lower()).strip("-")
    return re.sub(r"-+", "-", base)


# -- the command line ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """A field of a kind's model as a command-line option."""

    name: str
    """The field's key in a data file."""
    flags: tuple[str, ...]
    many: bool
    flag: bool
    required: bool
    choices: tuple[str, ...] | None
    target: str | None
    """For a reference: the kind of record its ids name."""
    help: str

    @property
    def dest(self) -> str:
        return f"field_{self.name}"


def options(kind: str) -> list[Option]:
    """Every field of the kind that a contributor sets, in the model's order: derived from the
    model, so a field added to it is an option here too, documented by its description."""
    model = KINDS[KIND_KEY[kind]].model
    found = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in SKIPPED_FIELDS:
            continue
        annotation, many = info.annotation, False
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else str
        if typing.get_origin(annotation) is list:
            annotation, many = typing.get_args(annotation)[0], True
        inner = typing.get_args(annotation)[0] if typing.get_origin(annotation) is typing.Annotated else annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            continue  # nested records (roles, claims) are written by hand
        marks = (*info.metadata, *getattr(annotation, "__metadata__", ()))
        ref = next((m for m in marks if isinstance(m, Ref)), None)
        choices = tuple(m.value for m in inner) if isinstance(inner, type) and issubclass(inner, enum.Enum) else None
        flag = inner is bool or "StrictBool" in repr(annotation)
        dashed = key.replace("_", "-")
        flags = (f"--{SINGULAR[key]}", f"--{dashed}") if many and key in SINGULAR else (f"--{dashed}",)
        text = HELP.get(key) or (info.description or "").split("\n\n")[0].replace("\n", " ")
        if not text and ref is not None:
            text = f"id of the {KINDS[ref.kind].noun}"
        if many and "repeatable" not in text:
            text += " (repeatable" + (", or comma-separated)" if ref else ")")
        text = re.sub(r"^True (when|for|if)\b", lambda m: f"Set {m.group(1)}", text.strip())
        found.append(Option(key, flags, many, flag, info.is_required(), choices, ref.kind if ref else None, text))
    last = ("sources", "unverified")  # the statement first, then what it rests on
    return sorted(found, key=lambda o: last.index(o.name) + 1 if o.name in last else 0)


def add_parsers(new: argparse.ArgumentParser) -> None:
    """The `new` command's kinds and options, with help and examples."""
    data_dir_help = "the data folder (default: data); may stand before or after the kind"
    new.add_argument("--data-dir", default=Path("data"), type=Path, help=data_dir_help)
    kinds = new.add_subparsers(dest="kind", required=True, metavar="KIND")
    what = {
        "source": "a publication that facts cite",
        "event": "something that happened, or was planned to, at a date",
        "quote": "words someone said or wrote, verbatim as a source reports them",
        "position": "what a party holds on a topic as of a date (a new one moves the party's position)",
    }
    for kind, summary in what.items():
        sub = kinds.add_parser(
            kind,
            help=summary,
            description=f"Add {summary}. Required options are marked (required).",
            epilog=EXAMPLES[kind],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        for option in options(kind):
            text = option.help + (" (required)" if option.required else "")
            if option.flag:
                sub.add_argument(*option.flags, dest=option.dest, action="store_true", help=text)
            elif option.many:
                metavar = "ID" if option.target else "TEXT"
                sub.add_argument(*option.flags, dest=option.dest, action="append", metavar=metavar, help=text)
            else:
                default = DEFAULTS.get((kind, option.name))
                if default is not None:
                    text = option.help + f" (default: {default})"
                sub.add_argument(
                    *option.flags,
                    dest=option.dest,
                    default=default,
                    required=option.required and default is None,
                    choices=option.choices,
                    metavar=None if option.choices else option.name.upper(),
                    help=text,
                )
        sub.add_argument("--id", dest="record_id", help="the record's id, instead of one derived from its content")
        sub.add_argument("--data-dir", default=argparse.SUPPRESS, type=Path, help=data_dir_help)
        sub.add_argument(
            "--dry-run", action="store_true", help="show where the record would go and what; write nothing"
        )


def record_from_args(kind: str, args: dict[str, Any]) -> dict[str, Any]:
    """The record's fields from parsed options, in the model's order; unset options left out."""
    record: dict[str, Any] = {}
    for option in options(kind):
        value = args.get(option.dest)
        if value is None or value is False or value == []:
            continue
        if option.many and option.target:
            value = [item.strip() for given in value for item in given.split(",") if item.strip()]
        record[option.name] = value
    missing = [o.flags[0] for o in options(kind) if o.required and o.many and o.name not in record]
    if missing:
        raise ScaffoldError(f"{', '.join(missing)} is required")
    return record


# -- where a record goes ------------------------------------------------------------------------


@dataclass
class Item:
    """A record of the kind's list in a file: where it stands and what it holds."""

    start: int
    """0-based line of its `- `."""
    end: int
    """0-based line of its last line."""
    node: MappingNode
    values: dict[str, Any]


@dataclass
class Layout:
    """A data file as `new` needs to see it: its lines, the kind's list, its headings and style."""

    path: Path
    lines: list[str]
    newline: str
    key: str
    items: list[Item] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    """(0-based line, title) of each `# --- Title ---` comment in the list."""
    dash: int = 2
    """Column (0-based) of each record's `- `."""
    list_line: int | None = None
    """0-based line of the kind's key; None when the file does not have it."""
    blank_between: bool = False
    flow: dict[str, bool] = field(default_factory=dict)
    """Per list field: True when the file writes it `[a, b]`."""
    order: list[str] = field(default_factory=list)
    """The order in which the file writes fields."""
    heading_width: int = 0

    @classmethod
    def read(cls, path: Path, key: str, raw: bytes | None = None) -> Layout:
        raw = path.read_bytes() if raw is None else raw
        text = raw.decode("utf-8")
        first_break = text.find("\n")
        newline = "\r\n" if first_break > 0 and text[first_break - 1] == "\r" else "\n"
        lines = text.splitlines()
        layout = cls(path, lines, newline, key)
        if not text.strip():
            return layout
        loaded = load_file(path, raw)
        root = loaded.root
        if loaded.diagnostics or not isinstance(root, MappingNode):
            raise ScaffoldError(f"{shown(path)}: the file has errors; fix them first (`python -m explainer check`)")
        sequence = next((v for k, v in root.value if k.value == key), None)
        key_node = next((k for k, _ in root.value if k.value == key), None)
        if sequence is None or key_node is None:
            return layout
        if not isinstance(sequence, SequenceNode) or (sequence.flow_style and sequence.value):
            raise ScaffoldError(f"{shown(path)}: '{key}' is not written as one `- ` record per line; add it by hand")
        layout.list_line = key_node.start_mark.line
        values = loaded.data.get(key) or [] if isinstance(loaded.data, dict) else []
        for node, value in zip(sequence.value, values, strict=False):
            if isinstance(node, MappingNode) and isinstance(value, dict):
                layout.items.append(Item(node.start_mark.line, 0, node, value))
        if layout.items:
            first = layout.items[0]
            layout.dash = max(0, first.node.start_mark.column - 2)
        stop = _list_end(lines, layout.list_line, layout.dash)
        for n, item in enumerate(layout.items):
            limit = layout.items[n + 1].start if n + 1 < len(layout.items) else stop
            item.end = _last_line(lines, item.start, limit, layout.dash)
        for number in range(layout.list_line + 1, stop):
            heading = _heading(lines[number], layout.dash)
            if heading is not None:
                layout.headings.append((number, heading))
                layout.heading_width = max(layout.heading_width, len(lines[number].rstrip()))
        gaps = [layout.items[n + 1].start - item.end > 1 for n, item in enumerate(layout.items[:-1])]
        layout.blank_between = bool(gaps) and sum(gaps) * 2 >= len(gaps)
        for item in layout.items:
            previous = None
            for k, v in item.node.value:
                if k.value not in layout.order:  # after the field it follows in this record
                    at = layout.order.index(previous) + 1 if previous is not None else 0
                    layout.order.insert(at, k.value)
                previous = k.value
                if isinstance(v, SequenceNode) and v.value:
                    layout.flow.setdefault(k.value, bool(v.flow_style))
        return layout

    def section_of(self, line: int) -> str | None:
        """The heading a line stands under."""
        above = [title for number, title in self.headings if number < line]
        return above[-1] if above else None


def _list_end(lines: list[str], list_line: int, dash: int) -> int:
    """The 0-based line after the kind's list: the next top-level key, or the end of the file."""
    for number in range(list_line + 1, len(lines)):
        text = lines[number]
        if text.strip() and not text.startswith((" ", "#", "\t")):
            return number
    return len(lines)


def _last_line(lines: list[str], start: int, limit: int, dash: int) -> int:
    """The last line of the record starting at `start`: lines indented deeper than its `- `, up to
    the next record, heading or key; trailing blank lines are not the record's."""
    last = start
    for number in range(start + 1, limit):
        text = lines[number]
        if not text.strip():
            continue
        indent = len(text) - len(text.lstrip(" "))
        if indent <= dash:
            break
        last = number
    return last


_HEADING = re.compile(r"^(?P<indent> *)#\s*-{2,}\s*(?P<title>.*?)\s*-*\s*$")


def _heading(text: str, dash: int) -> str | None:
    match = _HEADING.match(text)
    if match and len(match.group("indent")) == dash and match.group("title"):
        return match.group("title")
    return None


def _when(kind: str, values: dict[str, Any]) -> FuzzyDate | None:
    """The date a record is placed by."""
    keys = ("published", "published_approx", "accessed") if kind == "source" else ("date",)
    for key in keys:
        try:
            return FuzzyDate.parse(str(values[key]))
        except (KeyError, ValueError):
            continue
    return None


def _name_span(path: Path) -> tuple[date, date] | None:
    """The years a file's name gives (`1979-2012`, `2025`, `2025-2026-protests`)."""
    years = [int(y) for y in re.findall(r"(?<![0-9])(1[89][0-9]{2}|2[0-9]{3})(?![0-9])", path.stem)]
    if not years:
        return None
    return date(min(years), 1, 1), date(max(years), 12, 31)


def _distance(when: FuzzyDate, span: tuple[date, date] | None) -> int:
    if span is None:
        return 10**6
    if when.end < span[0]:
        return (span[0] - when.end).days
    if when.start > span[1]:
        return (when.start - span[1]).days
    return 0


@dataclass(frozen=True)
class Place:
    """Where a record goes: the file, the line it is inserted before, and what is written."""

    path: Path
    before: int
    """0-based line of the file the new lines are inserted before."""
    lines: tuple[str, ...]
    record_line: int
    """1-based line of the record's `- ` in the file once written."""
    section: str | None


def choose_file(kind: str, record: dict[str, Any], facts: FactBase, data_dir: Path) -> Path:
    """The file a new record of `kind` belongs in (see the module's description)."""
    key = KIND_KEY[kind]
    files: dict[str, list[Record]] = {}
    for record_key, origin in facts.origins.items():
        if record_key.startswith(f"{key}:"):
            files.setdefault(origin.path, []).append(facts.records[key][record_key.split(":", 1)[1]])
    if not files:
        return data_dir / f"{key}.yml"
    if kind == "position":
        mine = {p: sum(1 for r in rs if getattr(r, "actor", None) == record["actor"]) for p, rs in files.items()}
        best = max(mine, key=lambda p: (mine[p], len(files[p])))
        if mine[best]:
            return Path(best)
        named = [p for p, rs in files.items() if {getattr(r, "actor", "") for r in rs} == {Path(p).stem}]
        if named and len(named) == len(files):
            return Path(named[0]).parent / f"{record['actor']}.yml"
        return Path(max(files, key=lambda p: (len(files[p]), p)))
    when = _when(kind, record)
    if when is None:
        undated = {p: sum(1 for r in rs if _when(kind, r.model_dump()) is None) for p, rs in files.items()}
        return Path(max(files, key=lambda p: (undated[p], p)))

    def score(path: str) -> tuple[Any, ...]:
        dates = [d for d in (_when(kind, r.model_dump(by_alias=True)) for r in files[path]) if d is not None]
        span = (min(d.start for d in dates), max(d.end for d in dates)) if dates else None
        near = [r for r, d in zip(files[path], dates, strict=False) if abs((d.start - when.start).days) <= 62]
        alike = sum(_alike(record, r) for r in near)
        same_month = sum(1 for d in dates if (d.start.year, d.start.month) == (when.start.year, when.start.month))
        return (
            _distance(when, span) == 0,
            _distance(when, _name_span(Path(path))) == 0,
            alike,
            same_month,
            -_distance(when, span),
            path,
        )

    return Path(max(files, key=score))


def _alike(record: dict[str, Any], other: Record) -> int:
    """How much two records share: series, topics, participants."""
    shared = int(bool(record.get("series")) and record.get("series") == getattr(other, "series", None))
    for name in ("topics", "participants"):
        shared += len(set(record.get(name) or ()) & set(getattr(other, name, ()) or ()))
    return shared


def place(kind: str, record: dict[str, Any], layout: Layout, facts: FactBase) -> Place:
    """Where in `layout`'s file the record goes, and the lines written there."""
    body = render_record(record, layout)
    if layout.list_line is None:  # the kind is new to this file (or the file is new)
        content = any(line.strip() and not line.lstrip().startswith("#") for line in layout.lines)
        lines = [*([""] if content else []), f"{layout.key}:", *body]
        return Place(layout.path, len(layout.lines), tuple(lines), len(layout.lines) + len(lines) - len(body) + 1, None)
    items = layout.items
    if kind == "position":
        items = [i for i in items if i.values.get("topic") == record["topic"]]
        if not items:
            return _new_section(layout, record, body, facts)
    if not items:
        return _after_key(layout, body)
    anchor = _by_date(kind, items, record)
    if anchor is None and _when(kind, record) is not None and _sorted(kind, items):  # earlier than all
        first = items[0]
        lines = [*body, *([""] if layout.blank_between else [])]
        return Place(layout.path, first.start, tuple(lines), first.start + 1, layout.section_of(first.start))
    return _after(layout, anchor or items[-1], body)


def _sorted(kind: str, items: Sequence[Item]) -> bool:
    """Whether the items are in date order: none begins after the next one ends (so a month may
    follow one of its days, as `1979-11-04` then `1979-11`)."""
    dates = [d for d in (_when(kind, i.values) for i in items) if d is not None]
    return all(a.start <= b.end for a, b in zip(dates, dates[1:], strict=False))


def _by_date(kind: str, items: Sequence[Item], record: dict[str, Any]) -> Item | None:
    """The last item, in the file's order, that begins on or before the record."""
    when = _when(kind, record)
    if when is None:
        return None
    before = [i for i in items if (d := _when(kind, i.values)) is not None and d.start <= when.start]
    return before[-1] if before else None


def _after(layout: Layout, item: Item, body: list[str]) -> Place:
    lines = [*([""] if layout.blank_between else []), *body]
    at = item.end + 1
    return Place(layout.path, at, tuple(lines), at + len(lines) - len(body) + 1, layout.section_of(item.start))


def _after_key(layout: Layout, body: list[str]) -> Place:
    assert layout.list_line is not None
    at = _list_end(layout.lines, layout.list_line, layout.dash)
    while at > layout.list_line + 1 and not layout.lines[at - 1].strip():
        at -= 1
    return Place(layout.path, at, tuple(body), at + 1, layout.section_of(at))


def _new_section(layout: Layout, record: dict[str, Any], body: list[str], facts: FactBase) -> Place:
    """A heading for the record's topic, placed in the topics' order among the file's headings."""
    topics = {t.id: t for t in facts.topics}
    topic = topics.get(record["topic"])
    title = topic.name if topic else record["topic"]
    order = {t.name: t.order for t in facts.topics}
    heading = f"{' ' * layout.dash}# --- {title} "
    heading += "-" * max(3, (layout.heading_width or WIDTH) - len(heading))
    mine = topic.order if topic else 10**6
    later = [(n, t) for n, t in layout.headings if order.get(t, -1) > mine]
    if later and layout.headings:
        at = later[0][0]
        lines = [heading, *body, *([""] if layout.blank_between else [])]
        return Place(layout.path, at, tuple(lines), at + 2, title)
    if not layout.items:
        return _after_key(layout, [heading, *body])
    last = layout.items[-1]
    lines = [*([""] if layout.blank_between else []), heading, *body]
    at = last.end + 1
    return Place(layout.path, at, tuple(lines), at + len(lines) - len(body) + 1, title)


# -- writing in the file's style ----------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Writes a string with any character that is not printable double-quoted, so that YAML
    escapes it: raw, U+2028 or U+0085 would be read back as a line break or a space."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    plain = value.replace(" ", "").isprintable() and not UNPRINTABLE_RE.search(value)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if plain else '"')


_Dumper.add_representer(str, _represent_str)


def _hidden(value: Any) -> bool:
    return bool(UNPRINTABLE_RE.search(_strings(value)))


def _strings(value: Any) -> str:
    if isinstance(value, dict):
        return "".join(_strings(v) for v in value.values())
    if isinstance(value, list):
        return "".join(_strings(v) for v in value)
    return value if isinstance(value, str) else ""


def _inline(value: Any, flow: bool = False) -> str:
    """`value` as YAML on one line (a scalar, or a `[a, b]` list), quoted only where needed."""
    if flow:
        text = yaml.dump(value, Dumper=_Dumper, allow_unicode=not _hidden(value), default_flow_style=True, width=10**9)
        return text.rstrip("\n")
    text = yaml.dump({"k": value}, Dumper=_Dumper, allow_unicode=not _hidden(value), width=10**9)
    return text[3:].rstrip("\n")


def _foldable(value: str) -> bool:
    return (
        value.isprintable()
        and not UNPRINTABLE_RE.search(value)
        and value == value.strip()
        and "  " not in value
        and "\t" not in value
    )


def _folded(value: str, indent: int) -> list[str]:
    """`value` as the lines of a `>-` block scalar indented by `indent`, wrapped at WIDTH on single
    spaces (YAML folds each line break between two lines back into one space)."""
    lines, current = [], ""
    for word in value.split(" "):
        if current and indent + len(current) + 1 + len(word) > WIDTH:
            lines.append(" " * indent + current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(" " * indent + current)
    return lines


def ordered(record: dict[str, Any], layout: Layout) -> list[str]:
    """The record's keys in the file's order of fields; fields the file never writes follow the
    model's order, after the field that precedes them there."""
    order = [k for k in layout.order if k in record]
    for key in record:
        if key in order:
            continue
        before = list(record)[: list(record).index(key)]
        anchor = max((order.index(k) for k in before if k in order), default=-1)
        order.insert(anchor + 1, key)
    if "id" in order:
        order.remove("id")
        order.insert(0, "id")
    return order


def render_record(record: dict[str, Any], layout: Layout) -> list[str]:
    """The record as list-item lines in the file's style (no line endings)."""
    dash, inner = layout.dash, layout.dash + 2
    lines: list[str] = []
    for n, key in enumerate(ordered(record, layout)):
        value = record[key]
        lead = " " * dash + "- " if n == 0 else " " * inner
        if isinstance(value, list):
            flow_default = all(isinstance(v, str) and re.fullmatch(r"[a-z0-9-]+", v) for v in value)
            flow = layout.flow.get(key, flow_default)
            one_line = f"{lead}{key}: {_inline(value, flow=True)}"
            if flow and len(one_line) <= WIDTH:
                lines.append(one_line)
            else:
                lines.append(f"{lead}{key}:")
                lines.extend(f"{' ' * (inner + 2)}- {_inline(item)}" for item in value)
            continue
        one_line = f"{lead}{key}: {_inline(value)}"
        if isinstance(value, str) and len(one_line) > WIDTH and _foldable(value):
            lines.append(f"{lead}{key}: >-")
            lines.extend(_folded(value, inner + 2))
        else:
            lines.append(one_line)
    return lines


def inserted(layout: Layout, where: Place) -> bytes:
    """The file's bytes with `where.lines` inserted; every other byte is kept, line endings too."""
    if layout.lines:
        raw = layout.path.read_bytes() if layout.path.exists() else b""
        text = raw.decode("utf-8")
        kept = text.splitlines(keepends=True)
        if kept and not kept[-1].endswith(("\n", "\r")):
            kept[-1] += layout.newline
    else:
        kept = []
    new = [line + layout.newline for line in where.lines]
    return "".join(kept[: where.before] + new + kept[where.before :]).encode("utf-8")


def appended(path: Path, kind: str, record: dict[str, Any], schema_link: str) -> bytes:
    """The file's bytes with `record` added at the end of the kind's list (the file is created,
    naming the schema, if it does not exist)."""
    key = KIND_KEY[kind]
    if not path.exists() or not path.read_bytes().strip():
        layout = Layout(path, [f"# yaml-language-server: $schema={schema_link}"], "\n", key)
        where = Place(path, 1, (f"{key}:", *render_record(record, layout)), 3, None)
        return inserted(layout, where)
    layout = Layout.read(path, key)
    if layout.list_line is None or not layout.items:
        return inserted(layout, place(kind, record, layout, FactBase({k: {} for k in KINDS})))
    return inserted(layout, _after(layout, layout.items[-1], render_record(record, layout)))


# -- adding -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Added:
    """What `add` did, or would do with `dry_run`."""

    path: Path
    line: int
    record_id: str
    section: str | None
    text: str
    """The lines written, as they read in the file."""
    written: bool


def normalised_url(url: str) -> str:
    """A URL as compared for duplicates: scheme, `www.`, a trailing slash and the fragment ignored."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port not in (None, 80, 443) else ""
    path = parts.path.rstrip("/")
    return f"{host}{port}{path}" + (f"?{parts.query}" if parts.query else "")


def duplicate_source(url: str, facts: FactBase) -> Source | None:
    """The source that already has this address (or has it as its archive copy)."""
    wanted = normalised_url(url)
    for source in facts.sources.values():
        for known in (source.url, source.archive_url):
            if known and normalised_url(known) == wanted:
                return source
    return None


def add(
    kind: str,
    record: dict[str, Any],
    data_dir: Path,
    *,
    record_id: str | None = None,
    dry_run: bool = False,
) -> Added:
    """Add `record` (fields without the id) where it belongs; see the module's description.

    Raises ScaffoldError, naming the option, for an unknown id, a duplicate address or a record
    that would not pass the check; nothing is written then.
    """
    facts = load_facts(data_dir).facts
    key = KIND_KEY[kind]
    taken = set(facts.records[key])
    if record_id is not None:
        if record_id in taken:
            origin = facts.origins.get(f"{key}:{record_id}")
            raise ScaffoldError(f"--id: '{record_id}' is taken (by the {KINDS[key].noun} at {origin})")
        new_id = record_id
    else:
        new_id = fresh_id(derived_id(kind, record), taken)
    record = {"id": new_id, **record}
    _check_references(kind, record, facts)
    if kind == "source" and record.get("url"):
        same = duplicate_source(record["url"], facts)
        if same is not None:
            raise ScaffoldError(
                f"--url: this address is already the source '{same.id}' ({facts.origins[f'sources:{same.id}']}); "
                f"cite '{same.id}' instead of adding it again"
            )
    path = choose_file(kind, record, facts, data_dir)
    exists = path.exists()
    layout = Layout.read(path, key) if exists else Layout(path, [], "\n", key)
    if not exists:
        depth = len(path.resolve().parent.relative_to(data_dir.resolve().parent).parts)
        layout.lines = [f"# yaml-language-server: $schema={'../' * depth}schema/data-file.schema.json"]
        if kind == "position":
            actor = facts.actors.get(record["actor"])
            name = actor.name if actor else record["actor"]
            layout.lines.append(f"# Positions of {name}, by topic, oldest first. Each rests on statements of its date.")
        layout.dash = 2
    where = place(kind, record, layout, facts)
    new = _new_bytes(layout, where, exists)
    try:
        load_facts(data_dir, cache=False, overlay={path: new})
    except DataError as exc:
        raise ScaffoldError(f"the record would not pass the check; nothing was written:\n{exc}") from None
    written = load_file(path, new).data
    listed = written.get(key) if isinstance(written, dict) else None
    if not isinstance(listed, list) or record not in listed:
        raise ScaffoldError(f"{shown(path)}: the record would not read back as given; nothing was written")
    if not dry_run:
        _write(path, new)
    return Added(path, where.record_line, new_id, where.section, "\n".join(where.lines).strip("\n"), not dry_run)


def _new_bytes(layout: Layout, where: Place, exists: bool) -> bytes:
    if exists:
        return inserted(layout, where)
    return "".join(line + "\n" for line in (*layout.lines, *where.lines)).encode("utf-8")


def _check_references(kind: str, record: dict[str, Any], facts: FactBase) -> None:
    """Refuse, before anything else, a reference to an unknown id, naming the option that gave it."""
    for option in options(kind):
        if option.target is None or option.name not in record:
            continue
        values = record[option.name]
        table = facts.records[option.target]
        for value in [values] if isinstance(values, str) else values:
            if value not in table:
                close = CloseIds(table, alias_keys(table))(value)
                hint = f"; did you mean '{close}'?" if close else ""
                raise ScaffoldError(f"{option.flags[0]}: unknown {KINDS[option.target].noun} id '{value}'{hint}")


def _write(path: Path, data: bytes) -> None:
    """Replace the file's content at once: an interrupted write leaves the old file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        if path.exists():
            shutil.copymode(path, temporary)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def describe(added: Added, kind: str, count: int | None) -> Iterable[str]:
    """What `new` prints about a record it added (or would add)."""
    where = f"{shown(added.path)}:{added.line}"
    under = f", under '{added.section}'" if added.section else ""
    if added.written:
        yield f"added {kind} '{added.record_id}' to {where}{under} ({count} records, all valid)"
    else:
        yield f"would add {kind} '{added.record_id}' to {where}{under} (dry run: nothing written):"
        yield added.text
