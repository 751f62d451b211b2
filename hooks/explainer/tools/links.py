"""Symbolic links that lead out of the project: a build must never publish what they point at.

A pull request can add `docs/assets/x -> /etc/passwd`, and MkDocs and `explainer render` would
copy the file it points at into the site. The MkDocs build (in `on_files`, before any file is
copied) and `render` (before anything is written) refuse such links under the docs, the theme
overrides and the data, naming each link. Links that stay inside the project are fine.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from ..errors import ExplainerError
from ..site.build import DATA_ENV


class LinkError(ExplainerError, PluginError):
    """Symbolic links under the site's folders resolve outside the project (MkDocs stops on it too)."""


def check_site_links(config: Any) -> None:
    """Raise LinkError for links out of the project under what an MkDocs build reads: the docs,
    the theme overrides and the data."""
    root = Path(config.config_file_path or ".").parent
    data = os.environ.get(DATA_ENV) or root / "data"
    check_links(root, [Path(p) for p in (config.docs_dir, config.theme.custom_dir, data) if p])


def outside_links(root: Path, folders: Iterable[Path]) -> list[str]:
    """`path: error: ...` for every symbolic link under `folders` that resolves outside `root`.

    Links to folders inside the project are followed, since the build reads through them; each
    real folder is walked once, so a link cycle ends. Paths are shown relative to `root`.
    """
    root = root.resolve()
    found: list[str] = []
    seen: set[Path] = set()
    for folder in folders:
        folder = Path(folder)
        if not folder.is_absolute():
            folder = root / folder
        if os.path.lexists(folder):
            _walk(root, folder, _shown(root, folder), found, seen)
    return found


def check_links(root: Path, folders: Iterable[Path]) -> None:
    """Raise LinkError listing every link under `folders` that resolves outside `root`."""
    found = outside_links(root, folders)
    if found:
        raise LinkError("\n".join(found))


def _walk(root: Path, path: Path, shown: str, found: list[str], seen: set[Path]) -> None:
    """Check `path`, shown as `shown` (the way the build reaches it), and what lies below it."""
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root):
            found.append(
                f"{shown}: error: symbolic link to {os.readlink(path)}, which resolves outside the "
                f"project ({target}); the site may only hold files from the project, so copy the file in instead"
            )
            return
    if not path.is_dir():
        return
    real = path.resolve()
    if real in seen:
        return
    seen.add(real)
    for child in sorted(path.iterdir()):
        _walk(root, child, f"{shown}/{child.name}", found, seen)


def _shown(root: Path, path: Path) -> str:
    where = path.parent.resolve() / path.name  # the link itself, not what it points at
    return where.relative_to(root).as_posix() if where.is_relative_to(root) else str(path)
