"""The engine's errors: one base class, and diagnostics in the `path:line:col: severity: message`
format of compilers and linters."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem found in a file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    severity: str
    message: str

    def __str__(self) -> str:
        """The one line a terminal shows: whatever the path or message holds, it cannot act on
        the terminal or hide text, so a failing check can never print as a passing one."""
        return f"{printable(self.path)}:{self.line}:{self.col}: {self.severity}: {printable(self.message)}"


def printable(text: str) -> str:
    """`text` with every character a terminal could act on or hide written as an escape (`\\x1b`).

    Spaces stay; other characters that are not printable (controls, bidi and zero-width
    characters, line breaks, unusual spaces) become `\\n`, `\\xNN`, `\\uNNNN` or `\\UNNNNNNNN`; a byte
    of a file name that is not UTF-8 (a lone surrogate in Python) becomes `\\xNN`.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else _escape(ch) for ch in text)


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


class ExplainerError(Exception):
    """Base class of every error the engine raises on purpose; its text is meant for people."""


class DiagnosticError(ExplainerError):
    """Raised with every problem of a run at once, sorted by place."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class DataError(DiagnosticError):
    """The data cannot be trusted: files under `data/` have errors."""


class PageError(DiagnosticError):
    """A page cannot be built: its directives have errors."""


class EditionError(ExplainerError):
    """The edition asked for does not exist, or the facts cut at its date are inconsistent."""


def get_logger(module: str) -> logging.Logger:
    """The logger of an engine module, under MkDocs' plugin logger so that MkDocs shows and counts
    what it says (`--strict` fails on a warning); outside MkDocs, warnings still reach stderr."""
    return logging.getLogger(f"mkdocs.plugins.{module}")


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
