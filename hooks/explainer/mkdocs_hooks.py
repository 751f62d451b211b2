"""MkDocs event handlers; `hooks/explainer_hooks.py` re-exports them.

on_config loads the facts and picks the edition; on_files adds the generated pages and their
navigation; on_page_markdown expands directives and appends the page's references;
on_post_page adds JSON-LD. Nothing is loaded at import time, so `mkdocs serve` sees edits.
"""

from __future__ import annotations

import gc
import html
import json
import logging
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from .diagnostics import DataError
from .directives import expand
from .editions import atom_feed, export_schema, facts_export
from .engine import load_facts
from .factbase import FactBase
from .models import Edition
from .pages import generated_pages, nav_groups, nav_sections
from .render import Citations, PageLinks, Renderer
from .resolve import as_of

log = logging.getLogger("mkdocs.plugins.explainer")
EDITION_ENV = "EXPLAINER_EDITION"
DATA_ENV = "EXPLAINER_DATA_DIR"


@dataclass
class Build:
    """What one build knows: all facts, its edition's cut of them, and what pages rendered."""

    base: FactBase
    facts: FactBase
    edition: Edition | None
    previous: FactBase | None
    entities: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


_build: Build | None = None
_serving = False
"""True under `mkdocs serve`: errors then show in the page instead of stopping the server."""
_failure: str | None = None
"""The errors of the current build under `serve`, shown on every page."""


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_config(config: Any) -> Any:
    global _build, _failure
    _failure = None
    data_dir = Path(os.environ.get(DATA_ENV) or Path(config.config_file_path or ".").parent / "data")
    try:
        loaded = load_facts(data_dir)
    except DataError as exc:
        if not _serving:
            raise PluginError("data errors:\n" + str(exc)) from None
        _fail(str(exc))  # keep the last good facts for the navigation
        return config
    for warning in loaded.warnings:
        log.warning(str(warning))
    _build = pick_edition(loaded.facts, os.environ.get(EDITION_ENV))
    config.extra["edition"] = banner(_build)
    if not _serving:
        # The facts live for the whole build: move them out of the collector's sight. Not under
        # `serve`, where each rebuild would freeze another set of facts for good.
        gc.collect()
        gc.freeze()
    os.environ.setdefault("SOURCE_DATE_EPOCH", _last_commit_time(config))
    return config


def pick_edition(base: FactBase, wanted: str | None) -> Build:
    if not base.editions:
        if wanted:
            raise PluginError(f"{EDITION_ENV}={wanted}: the data defines no editions")
        return Build(base, base, None, None)
    try:
        edition = base.edition(wanted) if wanted else base.editions[-1]
    except KeyError as exc:
        raise PluginError(f"{EDITION_ENV}={wanted}: {exc.args[0]}") from None
    index = base.editions.index(edition)
    previous = as_of(base, base.editions[index - 1].cutoff.end) if index else None
    return Build(base, as_of(base, edition.cutoff.end), edition, previous)


def banner(build: Build) -> dict[str, Any] | None:
    """What the edition banner template shows."""
    edition = build.edition
    if edition is None:
        return None
    latest = build.base.editions[-1]
    return {
        "id": edition.id,
        "title": edition.title,
        "cutoff_human": edition.cutoff.human(),
        "is_latest": edition.id == latest.id,
        "latest_id": latest.id,
    }


def _last_commit_time(config: Any) -> str:
    """The last commit's time, so builds of one commit are byte-identical; else 0."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(config.config_file_path or ".").parent,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "0"
    return out or "0"


def on_files(files: Files, config: Any) -> Files:
    if _build is None:  # serving after a first build that failed: the pages say why
        return files
    pages = generated_pages(_build.facts, with_changes=_build.edition is not None)
    for src_uri, content in pages.items():
        files.append(File.generated(config, src_uri, content=content))
    config["nav"] = nav_sections(config["nav"], list(pages), nav_groups(_build.facts))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if _build is None or _failure is not None:
        return _failure_page(_failure or "")
    links = PageLinks(page.url)
    renderer = Renderer(_build.facts, links, Citations(_build.facts), _build.previous)
    offset = _body_offset(page, markdown)

    def where(index: int) -> str:
        line = markdown.count("\n", 0, index) + 1 + offset
        col = index - (markdown.rfind("\n", 0, index) + 1) + 1
        return f"{_page_path(page, config)}:{line}:{col}"

    expanded, errors = expand(markdown, renderer, where)
    if errors and _serving:
        _fail("\n".join(errors))
        return _failure_page(_failure or "")
    if errors:
        raise PluginError("\n".join(errors))
    _build.entities[page.url] = renderer.entities
    references = renderer.citations.references(links)
    return f"{expanded}\n\n{references}\n" if references else expanded


def _fail(message: str) -> None:
    """Under `serve`: print the errors in the terminal and show them on the pages."""
    global _failure
    print(message, file=sys.stderr, flush=True)
    _failure = message


def _failure_page(message: str) -> str:
    fence = "~" * max(4, max((len(r) for r in re.findall(r"~+", message)), default=0) + 1)
    return (
        "# The build failed\n\n"
        "The preview could not be rebuilt; fix these errors and save again, and this page "
        f"reloads by itself.\n\n{fence}text\n{message}\n{fence}\n"
    )


def on_post_page(output: str, page: Any, config: Any) -> str:
    if _build is None:
        return output
    graph = [_article(page, _build)] + _build.entities.pop(page.url, [])
    payload = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, sort_keys=True)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    tag = f'<script type="application/ld+json">{payload}</script>'
    return output.replace("</head>", f"{tag}\n</head>", 1)


def on_post_build(config: Any) -> None:
    if _build is None:
        return
    site = Path(config.site_dir)
    (site / "data").mkdir(parents=True, exist_ok=True)
    (site / "data" / "facts.json").write_text(facts_export(_build.facts, _build.edition), encoding="utf-8")
    (site / "data" / "schema.json").write_text(export_schema(), encoding="utf-8")
    upto = _build.edition.cutoff.end if _build.edition else date.max
    feed = atom_feed(_build.base, upto, config.site_name, config.site_url)
    (site / "feed.xml").write_text(feed, encoding="utf-8")


def _article(page: Any, build: Build) -> dict[str, Any]:
    modified = build.facts.cutoff or build.facts.latest_date()
    headline = html.unescape(re.sub(r"<[^>]*>", "", page.title or ""))
    article: dict[str, Any] = {"@type": "Article", "headline": headline}
    if modified:
        article["dateModified"] = modified.isoformat()
    if build.edition:
        article["version"] = build.edition.id
    return article


def _page_path(page: Any, config: Any) -> str:
    if page.file.generated_by:
        return f"(generated page {page.file.src_uri})"
    return str(Path(config.docs_dir).name + "/" + page.file.src_uri)


def _body_offset(page: Any, markdown: str) -> int:
    """Lines above the Markdown body (front matter) in the page's source file."""
    source = page.file.content_string if page.file.generated_by else None
    if source is None:
        try:
            source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
        except (OSError, TypeError):
            return 0
    head = markdown.lstrip()[:200]
    at = source.find(head) if head else -1
    return source.count("\n", 0, at) - markdown[: len(markdown) - len(markdown.lstrip())].count("\n") if at > 0 else 0
