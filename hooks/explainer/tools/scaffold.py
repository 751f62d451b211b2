"""`python -m explainer new KIND ...`: append a valid record with a fresh id to the right file."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError, ExplainerError
from ..facts.factbase import FactBase
from ..facts.load import load_facts
from ..facts.loader import load_file
from ..facts.models import UNPRINTABLE_RE
from ..facts.resolve import CloseIds

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


def appended(path: Path, kind: str, record: dict[str, Any], schema_link: str) -> bytes:
    """The file's bytes with `record` appended to the list under the kind's key, which must be the
    file's last key. The rest of the file is left byte for byte, and its line endings (LF or
    CRLF) are kept."""
    key = KIND_KEY[kind]
    text = path.read_bytes().decode("utf-8") if path.exists() else ""
    if not text:
        text = f"# yaml-language-server: $schema={schema_link}\n{key}:\n"
    first_break = text.find("\n")
    newline = "\r\n" if first_break > 0 and text[first_break - 1] == "\r" else "\n"
    top_keys = re.findall(r"^([a-z_]+):", text, flags=re.MULTILINE)
    if key in top_keys and top_keys[-1] != key:
        raise ScaffoldError(f"{path}: '{key}' is not the last list in the file; add the record by hand")
    head = text.rstrip("\r\n")
    if key not in top_keys:
        head += f"{newline}{key}:"
    items = re.findall(r"^( *)- id:", text[text.rfind(f"{key}:") :], flags=re.MULTILINE)
    indent = items[0] if items else "  "
    block = "".join(newline + indent + line for line in _dump(record).splitlines())
    return (head + block + newline).encode("utf-8")


def append_record(path: Path, kind: str, record: dict[str, Any], schema_link: str) -> None:
    """Append `record` to the list under the kind's key, which must be the file's last key."""
    _write(path, appended(path, kind, record, schema_link))


class _Dumper(yaml.SafeDumper):
    """Writes a string with any character that is not printable double-quoted, so that YAML
    escapes it: raw, U+2028 or U+0085 would be read back as a line break or a space."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    plain = value.replace(" ", "").isprintable() and not UNPRINTABLE_RE.search(value)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if plain else '"')


_Dumper.add_representer(str, _represent_str)


def _dump(record: dict[str, Any]) -> str:
    """`record` as a YAML list item. If a value holds a character refused in text, every value is
    written in ASCII with escapes: PyYAML would write a bidi control or a zero-width character
    raw, where a reviewer cannot see it (and the loader refuses it in any part of a file)."""
    hidden = UNPRINTABLE_RE.search(_strings(record))
    return yaml.dump([record], Dumper=_Dumper, sort_keys=False, allow_unicode=not hidden, width=100)


def _strings(value: Any) -> str:
    if isinstance(value, dict):
        return "".join(_strings(v) for v in value.values())
    if isinstance(value, list):
        return "".join(_strings(v) for v in value)
    return value if isinstance(value, str) else ""


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


def scaffold(kind: str, args: dict[str, Any], data_dir: Path) -> tuple[Path, str]:
    """Add the record; return the file and the new id.

    Nothing is written unless the whole data set, with the record added, passes the check, and
    the record reads back exactly as given.
    """
    facts = load_facts(data_dir).facts
    record = build_record(kind, args, facts)
    _check(record, facts)
    path = target_file(data_dir, kind, facts)
    depth = len(path.resolve().parent.relative_to(data_dir.resolve().parent).parts)
    new = appended(path, kind, record, "../" * depth + "schema/data-file.schema.json")
    try:
        load_facts(data_dir, cache=False, overlay={path: new})
    except DataError as exc:
        raise ScaffoldError(f"the record would not pass the check; nothing was written:\n{exc}") from None
    written = load_file(path, new).data
    listed = written.get(KIND_KEY[kind]) if isinstance(written, dict) else None
    if not isinstance(listed, list) or not listed or listed[-1] != record:
        raise ScaffoldError(f"{path}: the record would not read back as given; nothing was written")
    _write(path, new)
    return path, record["id"]


_REFERENCES = {"sources": "sources", "speaker": "actors", "actor": "actors", "topic": "topics"}


def _check(record: dict[str, Any], facts: FactBase) -> None:
    """Refuse, before anything else, a reference to an unknown id, naming the option that gave it."""
    for field, target in _REFERENCES.items():
        values = record.get(field, [])
        for value in [values] if isinstance(values, str) else values:
            if value not in facts.records[target]:
                close = CloseIds(facts.records[target])(value)
                hint = f"; did you mean '{close}'?" if close else ""
                raise ScaffoldError(f"--{field.removesuffix('s')}: unknown id '{value}'{hint}")
