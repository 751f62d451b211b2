"""Read YAML data files into plain Python values, keeping where each node stands.

libyaml (PyYAML's C parser) composes each file into a node tree; a small builder turns the nodes
into dicts, lists and scalars while refusing what a data file must not contain: duplicate keys,
tags that construct objects, aliases, tab indentation, non-UTF-8 bytes. Dates stay text, so an
impossible date is reported by the validator with its position instead of crashing the parser.
The node tree is kept, so any value can later be traced back to `path:line:col`.

Every diagnostic about data is made by `diagnostic()`, which escapes what a terminal would act on:
a key or value holding an escape sequence or a carriage return must not rewrite the line it is
printed on.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import Diagnostic, display_path, printable
from .models import UNPRINTABLE, char_class, describe
from .yamlhints import explain

_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _TAG + "str", _TAG + "map", _TAG + "seq"
_NULL, _MERGE = _TAG + "null", _TAG + "merge"
MAX_DEPTH = 32
"""Deepest nesting a data file may have: records are a few levels deep, never hundreds."""
_SCALARS = {
    _TAG + "int": yaml.SafeLoader.construct_yaml_int,
    _TAG + "float": yaml.SafeLoader.construct_yaml_float,
    _TAG + "bool": yaml.SafeLoader.construct_yaml_bool,
    _TAG + "null": yaml.SafeLoader.construct_yaml_null,
}
_TIMESTAMP = _TAG + "timestamp"
_TAB_INDENT = re.compile(rb"^ *\t", re.MULTILINE)
_IN_FILES = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), *(r for r in UNPRINTABLE if r != (0x00, 0x1F)))
"""What no data file holds anywhere, comments included: the characters refused in text, except
tab and line breaks. Raw, a bidi control in a comment can make a line show in review other than
it reads ("Trojan Source"); U+2028 and U+0085 break lines for YAML but not for editors."""
_HIDDEN = re.compile(f"[{char_class(tuple(r for r in _IN_FILES if r[1] <= 0xFFFF))}]")
_HIDDEN_ASTRAL = re.compile(f"[{char_class(tuple(r for r in _IN_FILES if r[1] > 0xFFFF))}]")
"""Apart, because Python's regex engine reads a class with ranges beyond U+FFFF slowly."""
_SHORT = tuple(t.rsplit(":", 1)[-1] for t in _SCALARS)
_CONSTRUCTOR = yaml.SafeLoader("")  # only its scalar constructors are used
MAX_FILE_BYTES = 8 * 1024 * 1024
"""Largest data file read: real files hold tens of kilobytes; a bigger one is split, not parsed."""
MAX_MESSAGE = 400
"""Longest message printed: values quoted in messages are cut rather than flood the log."""


def diagnostic(path: str, line: int, col: int, message: str, severity: str = "error") -> Diagnostic:
    """A problem about data, made safe to print: non-printables escaped, an overlong message cut."""
    message = printable(message)
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    return Diagnostic(printable(path), line, col, severity, message)


def shown(path: Path) -> str:
    """The path as diagnostics name it: relative to the working directory, the last step unresolved,
    so a symbolic link is named, not its target."""
    return str(Path(_shown_folder(path.parent, os.getcwd())) / path.name)


@functools.lru_cache(maxsize=64)
def _shown_folder(folder: Path, cwd: str) -> str:
    """`display_path(folder)`, worked out once per folder and working directory (resolving a path
    asks the file system for each of its steps)."""
    return display_path(folder)


@dataclass
class LoadedFile:
    """A parsed data file: its values, its node tree, and the problems found in it."""

    path: Path
    display: str
    data: Any = None
    root: Node | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, node_or_mark: Any, message: str, severity: str = "error") -> None:
        """Record a problem at a node (or a libyaml mark)."""
        mark = getattr(node_or_mark, "start_mark", node_or_mark)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        self.at(line, col, message, severity)

    def at(self, line: int, col: int, message: str, severity: str = "error") -> None:
        """Record a problem at a 1-based line and column."""
        self.diagnostics.append(diagnostic(self.display, line, col, message, severity))

    def node_at(self, loc: Iterable[Any]) -> tuple[Node | None, list[Any]]:
        """The deepest node on the path `loc` (keys and indexes), and the part of it not found."""
        node, rest = self.root, list(loc)
        while rest and node is not None:
            step = rest[0]
            if isinstance(node, MappingNode) and isinstance(step, str):
                match = next((v for k, v in node.value if k.value == step), None)
                if match is None:
                    break
                node = match
            elif isinstance(node, SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
            else:
                break
            rest.pop(0)
        return node, rest

    def key_node(self, loc: list[Any]) -> Node | None:
        """The key node naming the last step of `loc`, when `loc` ends in a mapping key."""
        parent, rest = self.node_at(loc[:-1])
        if rest or not isinstance(parent, MappingNode):
            return None
        return next((k for k, _ in parent.value if k.value == loc[-1]), None)


def read_data(path: Path) -> bytes:
    """The bytes of a data file; OSError if it cannot be read, is not a regular file (a link, a
    pipe that would block) or is larger than MAX_FILE_BYTES."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags), "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        raw = file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise OSError(errno.EFBIG, f"larger than {MAX_FILE_BYTES >> 20} MB; split it into smaller files")
    return raw


def load_file(path: Path, raw: bytes | None = None) -> LoadedFile:
    """Parse one YAML file (or `raw`, as if the file held it); problems are recorded on the result,
    never raised."""
    loaded = LoadedFile(path, shown(path))
    if raw is None:
        try:
            raw = read_data(path)
        except OSError as exc:
            loaded.at(1, 1, f"cannot read the file: {exc.strerror or exc}")
            return loaded
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        loaded.at(line, col, f"byte 0x{raw[exc.start]:02x} is not UTF-8: save the file as UTF-8")
        return loaded
    hidden = None
    if not text.isascii():  # in ASCII, libyaml refuses the controls itself
        hidden = _HIDDEN.search(text, 1 if text.startswith("\ufeff") else 0)
        astral = len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text)  # what max(text) tells, faster
        hidden = hidden or (_HIDDEN_ASTRAL.search(text) if astral else None)
    if hidden:
        at = hidden.start()
        line, col = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        loaded.at(line, col, f"{describe(hidden.group())} is not allowed in a data file, comments included: remove it")
        return loaded
    tab = _TAB_INDENT.search(raw) if b"\t" in raw else None
    if tab:
        line = raw.count(b"\n", 0, tab.start()) + 1
        col = tab.end() - tab.start()
        loaded.at(line, col, "tab character in indentation: YAML indents with spaces only")
        return loaded
    try:
        if "*" in text and _report_aliases(loaded, text):
            return loaded
        loaded.root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        opened = exc.context_mark.line + 1 if exc.context_mark and mark is exc.problem_mark else None
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        said = explain(text.splitlines(), line, col, problem, exc.context or "", opened)
        loaded.at(line, col, f"YAML syntax error: {said}")
        return loaded
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        loaded.at(
            line,
            col,
            f"control character U+{exc.character:04X} is not allowed in YAML: remove it"
            if isinstance(exc.character, int)
            else f"unreadable character: {exc.reason}",
        )
        return loaded
    except yaml.YAMLError as exc:  # e.g. a second document in the file
        loaded.error(getattr(exc, "problem_mark", None), f"YAML error: {str(exc).splitlines()[0]}")
        return loaded
    if loaded.root is None or (loaded.root.tag == _NULL and isinstance(loaded.root, ScalarNode)):
        loaded.error(None, "the file is empty: remove it or add records")
        loaded.root = None
        return loaded
    loaded.data = _Builder(loaded).build(loaded.root, 0)
    return loaded


def _report_aliases(loaded: LoadedFile, text: str) -> bool:
    """Report every alias (*name) where it stands; True if there was any."""
    found = False
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            loaded.error(event.start_mark, "YAML aliases (*name) are not allowed; write the value out")
            found = True
    return found


class _Builder:
    """Turns a node tree into plain values, recording what a data file must not contain."""

    def __init__(self, loaded: LoadedFile):
        self.loaded = loaded

    def build(self, node: Node, depth: int) -> Any:
        tag = node.tag
        if depth > MAX_DEPTH:
            self.loaded.error(node, f"nested more than {MAX_DEPTH} levels deep; data files are flat")
            return None
        scalar = isinstance(node, ScalarNode)
        if scalar and (tag == _STR or tag == _TIMESTAMP):
            return node.value
        if isinstance(node, MappingNode) and tag == _MAP:
            return self._mapping(node, depth)
        if isinstance(node, SequenceNode) and tag == _SEQ:
            return self._sequence(node, depth)
        if isinstance(node, ScalarNode) and tag in _SCALARS:
            try:
                return _SCALARS[tag](_CONSTRUCTOR, node)
            except (ValueError, TypeError, KeyError, IndexError, AttributeError):
                self.loaded.error(node, f"'{node.value}' is not a valid {tag.rsplit(':', 1)[-1]}")
                return None
        if tag.startswith(_TAG) and tag.rsplit(":", 1)[-1] in ("str", "map", "seq", *_SHORT):
            self.loaded.error(node, f"the tag '{tag}' does not fit this value; remove the tag")
            return None
        self.loaded.error(node, f"YAML tag '{tag}' is not allowed in data files; write plain values")
        return None

    def _mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE or (key_node.tag == _STR and key_node.value == "<<"):
                self.loaded.error(key_node, "YAML merge keys (<<) are not allowed")
                continue
            if type(key_node) is not ScalarNode or key_node.tag not in (_STR, _TIMESTAMP):
                self.loaded.error(key_node, "mapping keys must be plain words")
                continue
            key = key_node.value
            if key in result:
                first = next(k for k, _ in node.value if k.value == key)
                self.loaded.error(
                    key_node,
                    f"duplicate key '{key}' (first at line {first.start_mark.line + 1}); "
                    "YAML would silently keep only the last",
                )
                continue
            result[key] = self.build(value_node, depth + 1)
        return result

    def _sequence(self, node: SequenceNode, depth: int) -> list[Any]:
        return [self.build(item, depth + 1) for item in node.value]
