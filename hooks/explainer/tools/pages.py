"""Check the site's pages as a build would, without building: what `explainer check` adds to the
data check when the project has an `mkdocs.yml`.

Every Markdown page under the docs folder, and every generated page, is rendered through
`SiteBuild.render_page` for every edition, so a misspelt directive, option or id is reported at
`docs/…:line:col` in a second, not after a full build. The page guard (no script, nothing
loaded from another host) and the symbolic-link check run too. A problem that only some editions
have names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, EditionError, display_path
from ..facts.factbase import FactBase
from ..site.build import SiteBuild, body_line, page_url


@dataclass
class PagesReport:
    """What the page check found, and how much it read."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0
    editions: int = 0


def site_config(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it (`!ENV` tags resolved)."""
    from mkdocs.utils.yaml import yaml_load

    with config_file.open("rb") as stream:
        config = yaml_load(stream)
    return config if isinstance(config, dict) else {}


def check_pages(config_file: Path, facts: FactBase, data_dir: Path) -> PagesReport:
    """Render every page of the site described by `config_file` for every edition of `facts`."""
    from mkdocs.utils.meta import get_data

    from .guard import PageGuardError, check_docs
    from .links import outside_links

    root = config_file.resolve().parent
    config = site_config(config_file)
    docs = root / str(config.get("docs_dir") or "docs")
    report = PagesReport()
    if not docs.is_dir():
        report.diagnostics.append(Diagnostic(display_path(config_file), 1, 1, "error", f"no docs folder {docs}"))
        return report
    shown_docs = display_path(docs)
    theme = config.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    folders = [p for p in (docs, root / custom_dir if custom_dir else None, data_dir) if p is not None]
    for line in outside_links(root, folders):
        where, _, message = line.partition(": error: ")
        report.diagnostics.append(Diagnostic(where, 1, 1, "error", message))
    try:
        check_docs(docs, config.get("markdown_extensions") or [])
    except PageGuardError as exc:
        report.diagnostics.extend(exc.diagnostics)

    written: dict[str, tuple[str, int, str]] = {}
    for path in sorted(docs.rglob("*.md")):
        if not path.is_file():
            continue
        src_uri = path.relative_to(docs).as_posix()
        source = path.read_text(encoding="utf-8-sig")
        markdown, _ = get_data(source)
        written[src_uri] = (markdown, body_line(source, markdown), f"{shown_docs}/{src_uri}")

    editions: list[str | None] = [e.id for e in facts.editions] or [None]
    found: dict[Diagnostic, list[str]] = {}
    pages: set[str] = set()
    for edition in editions:
        try:
            build = SiteBuild.for_edition(facts, edition)
        except EditionError as exc:
            origin = facts.origins.get(f"editions:{edition}")
            at = (origin.path, origin.line, origin.col) if origin else (display_path(data_dir), 1, 1)
            report.diagnostics.append(Diagnostic(at[0], at[1], at[2], "error", str(exc)))
            continue
        generated = {uri: (md, 1, f"(generated page {uri})") for uri, md in build.pages.items()}
        for src_uri, (markdown, first_line, where) in {**written, **generated}.items():
            pages.add(src_uri)
            rendered = build.render_page(src_uri, page_url(src_uri), markdown, where, first_line)
            for diagnostic in rendered.diagnostics:
                found.setdefault(diagnostic, []).append(edition or "")
    for diagnostic, seen_in in found.items():
        if editions != [None] and len(seen_in) < len(editions):
            label = "edition" if len(seen_in) == 1 else "editions"
            diagnostic = Diagnostic(
                diagnostic.path,
                diagnostic.line,
                diagnostic.col,
                diagnostic.severity,
                f"{diagnostic.message} (in {label} {', '.join(seen_in)})",
            )
        report.diagnostics.append(diagnostic)
    report.pages = len(pages)
    report.editions = len([e for e in editions if e is not None])
    return report
