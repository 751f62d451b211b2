"""`python -m explainer new KIND ...`: append a valid record with a fresh id to the right file."""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import ExplainerError
from ..facts.factbase import FactBase
from ..facts.kinds import KINDS
from ..facts.load import load_facts

PREFIX = {"source": "src", "event": "evt", "quote": "q", "position": "pos"}
KIND_KEY = {"source": "sources", "event": "events", "quote": "quotes", "position": "positions"}


class ScaffoldError(ExplainerError):
    """The record cannot be added where it belongs."""


def slug(text: str, words: int = 4) -> str:
    """Lowercase ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(parts[:words]) or "item"


def fresh_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is free."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def build_record(kind: str, args: dict[str, Any], facts: FactBase) -> dict[str, Any]:
    """The new record, with a fresh id derived from its content."""
    key = KIND_KEY[kind]
    taken = set(facts.records[key])
    if kind == "source":
        base = f"src-{slug(args['publisher'], 2)}-{args['published']}"
        record = {
            "publisher": args["publisher"],
            "title": args["title"],
            "url": args["url"],
            "published": args["published"],
            "kind": args["source_kind"],
        }
    elif kind == "event":
        base = f"evt-{args['date']}-{slug(args['title'])}"
        record = {"date": args["date"], "title": args["title"], "summary": args["summary"], "sources": args["source"]}
    elif kind == "quote":
        speaker = args["speaker"].split("-")[-1]
        base = f"q-{speaker}-{args['date']}"
        record = {
            "text": args["text"],
            "speaker": args["speaker"],
            "date": args["date"],
            "context": args["context"],
            "sources": args["source"],
        }
    else:
        base = f"pos-{args['actor']}-{args['topic']}-{args['date']}"
        record = {
            "actor": args["actor"],
            "topic": args["topic"],
            "date": args["date"],
            "stance": args["stance"],
            "summary": args["summary"],
            "sources": args["source"],
        }
    base = re.sub(r"[^a-z0-9-]", "-", base.lower()).strip("-")
    return {"id": fresh_id(re.sub(r"-+", "-", base), taken), **record}


def target_file(data_dir: Path, kind: str, facts: FactBase) -> Path:
    """The file whose newest record of this kind is the newest: new facts go beside recent ones."""
    key = KIND_KEY[kind]
    newest: dict[str, Any] = {}
    for record_key, origin in facts.origins.items():
        if not record_key.startswith(f"{key}:"):
            continue
        record = facts.records[key][record_key.split(":", 1)[1]]
        when = getattr(record, "date", None) or getattr(record, "known_date", None)
        stamp = when.sort_key() if when else ()
        if origin.path not in newest or stamp > newest[origin.path]:
            newest[origin.path] = stamp
    appendable = [p for p in newest if _last_key(Path(p)) == key]
    if not appendable:
        return data_dir / f"{key}.yml"
    return Path(max(appendable, key=lambda p: (newest[p], p)))


def _last_key(path: Path) -> str | None:
    keys = re.findall(r"^([a-z_]+):", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return keys[-1] if keys else None


def append_record(path: Path, kind: str, record: dict[str, Any], schema_link: str) -> None:
    """Append `record` to the list under the kind's key, which must be the file's last key."""
    key = KIND_KEY[kind]
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if not text:
        text = f"# yaml-language-server: $schema={schema_link}\n{key}:\n"
    top_keys = re.findall(r"^([a-z_]+):", text, flags=re.MULTILINE)
    if key in top_keys and top_keys[-1] != key:
        raise ScaffoldError(f"{path}: '{key}' is not the last list in the file; add the record by hand")
    if key not in top_keys:
        text = text.rstrip("\n") + f"\n{key}:\n"
    items = re.findall(r"^( *)- id:", text[text.rfind(f"{key}:") :], flags=re.MULTILINE)
    indent = items[0] if items else "  "
    dumped = yaml.safe_dump([record], sort_keys=False, allow_unicode=True, width=100)
    block = "".join(indent + line + "\n" for line in dumped.splitlines())
    path.write_text(text.rstrip("\n") + "\n" + block, encoding="utf-8")


def scaffold(kind: str, args: dict[str, Any], data_dir: Path) -> tuple[Path, str]:
    """Add the record; return the file and the new id."""
    facts = load_facts(data_dir).facts
    record = build_record(kind, args, facts)
    _check(kind, record, facts)
    path = target_file(data_dir, kind, facts)
    depth = len(path.resolve().parent.relative_to(data_dir.resolve().parent).parts)
    append_record(path, kind, record, "../" * depth + "schema/data-file.schema.json")
    return path, record["id"]


_REFERENCES = {"sources": "sources", "speaker": "actors", "actor": "actors", "topic": "topics"}


def _check(kind: str, record: dict[str, Any], facts: FactBase) -> None:
    """Refuse, before writing, a record that would not validate or refers to unknown ids."""
    try:
        KINDS[KIND_KEY[kind]].model.model_validate(record)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ScaffoldError(problems) from None
    for field, target in _REFERENCES.items():
        values = record.get(field, [])
        for value in [values] if isinstance(values, str) else values:
            if value not in facts.records[target]:
                close = difflib.get_close_matches(value, list(facts.records[target]), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise ScaffoldError(f"--{field.removesuffix('s')}: unknown id '{value}'{hint}")
