"""Load `data/` into a FactBase: parse, validate, resolve; the last result is kept in memory."""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, Diagnostic
from .cut import unpublished
from .factbase import FactBase
from .kinds import KINDS, references
from .loader import LoadedFile, diagnostic, load_file, read_data, shown
from .models import DataFile
from .policy import POLICY_FILE, apply_policy, read_policy
from .resolve import resolve
from .validate import validate_file


@dataclass(frozen=True)
class Loaded:
    """A FactBase, the warnings met while building it, and notes on facts no edition shows yet."""

    facts: FactBase
    warnings: tuple[Diagnostic, ...]
    notes: tuple[Diagnostic, ...] = ()
    """Records the latest edition does not show (drafts): `check` prints them, `serve` logs them
    and the draft view (`EXPLAINER_EDITION=draft`) shows them; they fail nothing."""


DATA_SUFFIXES = (".yml", ".yaml")


def data_files(data_dir: Path) -> list[Path]:
    """Every data file below `data_dir`, in a stable order (see `scan` for what else may be there)."""
    return scan(data_dir)[0]


def scan(data_dir: Path) -> tuple[list[Path], list[Diagnostic]]:
    """The data files below `data_dir` in a stable order, and an error naming everything else.

    A data file is a regular file named `*.yml` or `*.yaml`, with a printable UTF-8 name. Refused,
    each named in an error: symbolic links (one to outside the folder would publish a file from
    anywhere, one inside would load its target twice), other files (`notes.txt`, `x.json`, and
    `x.YML`, which must be renamed `x.yml`), folders that cannot be read, special files. Names
    starting with a dot are tools' files (`.gitkeep`, `.DS_Store`, editor swap files) and are
    ignored, except a hidden folder or a hidden `*.yml` file, which would otherwise be skipped
    without a word.
    """
    root = Path(os.path.realpath(data_dir))
    files: list[Path] = []
    problems: list[Diagnostic] = []

    def refuse(path: Path, message: str) -> None:
        problems.append(diagnostic(shown(path), 1, 1, message))

    folders = [data_dir]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            refuse(folder, f"cannot read the folder: {exc.strerror or exc}")
            continue
        for entry in entries:
            path = Path(entry.path)
            name = entry.name
            try:
                is_link = entry.is_symlink()
                is_dir = not is_link and entry.is_dir(follow_symlinks=False)
                is_file = not is_link and entry.is_file(follow_symlinks=False)
            except OSError as exc:
                refuse(path, f"cannot read: {exc.strerror or exc}")
                continue
            suffix = os.path.splitext(name)[1]
            if name.startswith("."):
                if is_dir:
                    refuse(path, "hidden folder: files in it would not be read; rename it or move it out of data/")
                elif is_file and suffix.lower() in DATA_SUFFIXES:
                    refuse(path, "hidden data file: it would not be read; rename it without the leading dot")
                continue
            problem = _name_problem(name)
            if problem:
                refuse(path, problem)
            elif is_link:
                refuse(path, _link_problem(path, root))
            elif is_dir:
                folders.append(path)
            elif not is_file:
                refuse(path, "not a regular file: data/ holds only .yml files and folders")
            elif suffix in DATA_SUFFIXES:
                files.append(path)
            elif suffix.lower() in DATA_SUFFIXES:
                refuse(path, f"data files end in lowercase .yml: rename it '{Path(name).stem}.yml'")
            else:
                refuse(path, "not a data file: data/ holds only .yml files; move it out of data/")
    return sorted(files), problems


def _name_problem(name: str) -> str:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "the name is not UTF-8: rename it"
    if not name.isprintable():
        return "the name has characters that are not printable: rename it"
    return ""


def _link_problem(path: Path, root: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    if Path(os.path.realpath(path)).is_relative_to(root):
        return f"symbolic link to '{target}': data files must be real files, not links; replace the link"
    return (
        f"symbolic link to '{target}', outside the data folder: data files must be real files in data/, "
        "never links to files elsewhere"
    )


def load_facts(
    data_dir: Path | str = "data",
    *,
    strict: bool = False,
    cache: bool = True,
    overlay: Mapping[Path, bytes] | None = None,
) -> Loaded:
    """Load and check every data file; raise DataError listing every problem at once.

    With `strict`, warnings are errors too. With `cache`, an unchanged set of files gives back
    the last result instead of being parsed again. `overlay` maps files to the bytes to read in
    their place (a file not yet there is added): a change can be checked before it is written.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError([diagnostic(str(data_dir), 1, 1, "no such data folder")])
    paths, problems = scan(data_dir)
    contents = _read(paths, overlay or {})
    policy = os.path.abspath(data_dir / POLICY_FILE)
    policy_file = next((p for p in contents if os.path.abspath(p) == policy), None)
    load = functools.partial(_load, policy_file=policy_file) if policy_file else _load
    if problems:  # reported with the problems of the files that were read
        try:
            load(contents)
        except DataError as exc:
            problems += exc.diagnostics
        raise DataError(problems)
    key = _content_key(contents) if cache else None
    loaded = _cached(key) if key else None
    if loaded is None:
        loaded = load(contents)
        if key:
            _store(key, loaded)
    if strict and loaded.warnings:
        raise DataError([_as_error(w) for w in loaded.warnings])
    return loaded


def _read(paths: list[Path], overlay: Mapping[Path, bytes]) -> dict[Path, bytes | None]:
    """Each file's bytes (None when it cannot be read: the loader says why), overlay applied."""
    given = {os.path.abspath(p): (p, raw) for p, raw in overlay.items()}
    contents: dict[Path, bytes | None] = {}
    for path in paths:
        _, raw = given.pop(os.path.abspath(path), (path, None))
        if raw is None:
            try:
                raw = read_data(path)
            except OSError:
                raw = None
        contents[path] = raw
    contents.update(given.values())
    return dict(sorted(contents.items()))


def _load(contents: dict[Path, bytes | None], policy_file: Path | None = None) -> Loaded:
    diagnostics: list[Diagnostic] = []
    validated = []
    failed: set[str] = set()
    unread: list[tuple[LoadedFile, set[str]]] = []
    policy = None
    with _gc_paused():
        for path, raw in contents.items():
            if path == policy_file:
                policy_loaded = load_file(path, raw)
                policy = read_policy(policy_loaded)
                diagnostics.extend(policy_loaded.diagnostics)
                continue
            loaded = load_file(path, raw)
            if loaded.data is not None:
                model, failed_ids = validate_file(loaded)
                validated.append((loaded, model))
                failed |= failed_ids
            elif raw:
                unread.append((loaded, ids_written_in(raw)))
                failed |= unread[-1][1]
            diagnostics.extend(loaded.diagnostics)
        facts = resolve(validated, failed)
        if policy is not None:
            apply_policy(policy, validated, facts.sources)
        for loaded, ids in unread:
            diagnostics = [_unchecked(d, loaded, ids, validated) for d in diagnostics]
        seen = set(diagnostics)
        for loaded, _ in validated:
            diagnostics.extend(d for d in loaded.diagnostics if d not in seen)
            # Drop the node trees while the collector is off, so it never walks them.
            loaded.root = loaded.data = None
        validated.clear()
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise DataError(errors)
    warnings = tuple(sorted(d for d in diagnostics if d.severity == "warning"))
    return Loaded(facts, warnings, draft_notes(facts))


def draft_notes(facts: FactBase) -> tuple[Diagnostic, ...]:
    """A note, at its place, for each record no edition shows yet."""
    notes = []
    latest = facts.editions[-1] if facts.editions else None
    for kind, rid, why, later in unpublished(facts):
        origin = facts.origins.get(f"{kind}:{rid}")
        if origin is None or latest is None:
            continue
        fix = (
            f"add an edition to publish it (the latest ends on {latest.cutoff.human()})"
            if later
            else "date the source (`published_approx`) or cite another"
        )
        message = f"{KINDS[kind].noun} '{rid}' is in no edition yet: {why}; {fix}; EXPLAINER_EDITION=draft shows it"
        notes.append(diagnostic(origin.path, origin.line, origin.col, message, "note"))
    return tuple(sorted(notes))


_ID_LINE = re.compile(
    rb"^[ \t]*(?:-[ \t]+)?id:[ \t]*['\"]?([A-Za-z0-9][A-Za-z0-9_.-]*)['\"]?[ \t]*(?:#.*)?\r?$", re.MULTILINE
)


def ids_written_in(raw: bytes) -> set[str]:
    """The ids a file that cannot be parsed seems to define (`- id: x` lines): references to them
    from other files are not reported as unknown, so the file's own error is not buried under
    errors that fixing it removes."""
    return {match.group(1).decode("ascii") for match in _ID_LINE.finditer(raw)}


def _unchecked(
    found: Diagnostic, loaded: LoadedFile, ids: set[str], validated: list[tuple[LoadedFile, DataFile]]
) -> Diagnostic:
    """`found`, and if it is the first error of the unreadable file `loaded`, a word on the references
    to its ids that other files make and that are not checked until it is fixed."""
    if not loaded.diagnostics or found is not loaded.diagnostics[0]:
        return found
    count = sum(
        1
        for _, data in validated
        for kind in KINDS
        for index, record in enumerate(getattr(data, kind))
        for _, _, value in references(record, [kind, index])
        if value in ids
    )
    if not count:
        return found
    what = "1 reference" if count == 1 else f"{count} references"
    note = f" ({what} to its ids in other files wait for this fix)"
    return diagnostic(found.path, found.line, found.col, found.message + note)


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
every edit, and most edits are to pages, not data. Only in memory: the engine's earlier cache on
disk, a pickle (which runs code when read, so a pull request must never be able to place one),
was measured no faster than parsing, and was removed."""


def _content_key(contents: dict[Path, bytes | None]) -> str | None:
    """A digest of the files' names and bytes; None (no caching) if one cannot be read."""
    digest = hashlib.blake2b(digest_size=20)
    for path, raw in contents.items():
        if raw is None:
            return None
        digest.update(str(path).encode() + b"\0" + raw + b"\0")
    return digest.hexdigest()


def _cached(key: str) -> Loaded | None:
    return _MEMORY.get(key)


def _store(key: str, loaded: Loaded) -> None:
    _MEMORY.clear()
    _MEMORY[key] = loaded
