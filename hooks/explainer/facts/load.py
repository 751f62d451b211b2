"""Load `data/` into a FactBase: parse, validate, resolve; the last result is kept in memory."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, Diagnostic
from .factbase import FactBase
from .loader import load_file
from .resolve import resolve
from .validate import validate_file


@dataclass(frozen=True)
class Loaded:
    """A FactBase and the warnings met while building it."""

    facts: FactBase
    warnings: tuple[Diagnostic, ...]


def data_files(data_dir: Path) -> list[Path]:
    """Every `*.yml` / `*.yaml` file below `data_dir`, in a stable order."""
    return sorted(p for p in data_dir.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def load_facts(data_dir: Path | str = "data", *, strict: bool = False, cache: bool = True) -> Loaded:
    """Load and check every data file; raise DataError listing every problem at once.

    With `strict`, warnings are errors too. With `cache`, an unchanged set of files gives back
    the last result instead of being parsed again.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError([Diagnostic(str(data_dir), 1, 1, "error", "no such data folder")])
    paths = data_files(data_dir)
    key = _content_key(paths) if cache else None
    loaded = _cached(key) if key else None
    if loaded is None:
        loaded = _load(paths)
        if key:
            _store(key, loaded)
    if strict and loaded.warnings:
        raise DataError([_as_error(w) for w in loaded.warnings])
    return loaded


def _load(paths: list[Path]) -> Loaded:
    diagnostics: list[Diagnostic] = []
    validated = []
    failed: set[str] = set()
    with _gc_paused():
        for path in paths:
            loaded = load_file(path)
            if loaded.data is not None:
                model, failed_ids = validate_file(loaded)
                validated.append((loaded, model))
                failed |= failed_ids
            diagnostics.extend(loaded.diagnostics)
        facts = resolve(validated, failed)
        seen = set(diagnostics)
        for loaded, _ in validated:
            diagnostics.extend(d for d in loaded.diagnostics if d not in seen)
            # Drop the node trees while the collector is off, so it never walks them.
            loaded.root = loaded.data = None
        validated.clear()
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise DataError(errors)
    return Loaded(facts, tuple(sorted(d for d in diagnostics if d.severity == "warning")))


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Parsing builds many small objects that never form cycles: collecting them is waste."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _as_error(warning: Diagnostic) -> Diagnostic:
    return Diagnostic(
        warning.path, warning.line, warning.col, "error", f"{warning.message} (a warning, failing under --strict)"
    )


# -- cache --------------------------------------------------------------------------------

_MEMORY: dict[str, Loaded] = {}
"""The last result, by the content of the files it was read from: `mkdocs serve` rebuilds after
every edit, and most edits are to pages, not data. Only in memory: a cache on disk could be
planted by a pull request, and measured no faster than parsing (see benchmarks/README.md)."""


def _content_key(paths: list[Path]) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for path in paths:
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _cached(key: str) -> Loaded | None:
    return _MEMORY.get(key)


def _store(key: str, loaded: Loaded) -> None:
    _MEMORY.clear()
    _MEMORY[key] = loaded
