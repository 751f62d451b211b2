"""One build of the site, MkDocs-free: the edition chosen, its facts cut, each page rendered.

Every entry point (the MkDocs hooks, `explainer render`, `explainer publish`, the tests) makes a
`SiteBuild` and asks it for pages; none of them knows how an edition is cut or a page rendered.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from ..errors import DataError, Diagnostic, EditionError, get_logger
from ..facts.cut import cut
from ..facts.factbase import FactBase, Origin
from ..facts.kinds import KINDS
from ..facts.load import load_facts
from ..facts.models import Edition
from ..facts.timing import leaks
from .components import Citations, PageLinks, Renderer, era_url
from .directives import expand
from .exports import atom_feed, export_schema, facts_export
from .offline import Archive, folder_links, is_offline
from .offline import configure as configure_offline
from .offline import finish as finish_offline
from .pages import generated_pages, nav_groups, nav_sections
from .raw import RawHtml, fence, unmarked
from .tidy import tidy as tidy  # the hooks' last step on every page

log = get_logger(__name__)

EDITION_ENV = "EXPLAINER_EDITION"
"""Environment variable naming the edition to build (default: the latest; `draft` for the draft
view of every fact, published or not)."""
DRAFT = "draft"
"""The edition name of the draft view: every fact in the data, in its newest version, with a note
on every page that it is not a published edition. Edition ids are dates, so none is `draft`."""
DRAFT_NOTE = (
    '!!! warning "Draft view: not a published edition"\n'
    "    This preview shows every fact in the data, including facts that no edition publishes yet "
    "because they are dated or sourced after the latest edition's cut-off. Readers never see this "
    "view; `explainer check` lists the facts that are in no edition yet.\n"
)
DATA_ENV = "EXPLAINER_DATA_DIR"
"""Environment variable naming the data folder (default: `data/` beside `mkdocs.yml`)."""


@dataclass(frozen=True)
class RenderedPage:
    """A page's Markdown with its directives expanded and references appended, the JSON-LD
    entities it describes, and the problems found in it."""

    markdown: str
    entities: list[dict[str, Any]]
    diagnostics: list[Diagnostic]


@dataclass(frozen=True)
class SiteBuild:
    """What one build knows: all facts, its edition's cut of them, and the previous edition's."""

    base: FactBase
    facts: FactBase
    edition: Edition | None = None
    previous: FactBase | None = None
    draft: bool = False
    archive: Archive | None = None
    """The edition's offline archive, when publishing makes one (its pages link to it)."""
    offline: bool = False
    """Whether this build is the edition's offline copy (see `offline`)."""

    @classmethod
    def for_edition(cls, base: FactBase, wanted: str | None = None) -> SiteBuild:
        """The build of edition `wanted` (default: the latest; `draft` for the draft view);
        EditionError if there is none, DataError if the edition would show a text its sources
        had not published by its cut-off (see `timing.leaks`)."""
        if wanted == DRAFT:
            previous = cut(base, base.editions[-1].cutoff.end) if base.editions else None
            return cls(base, cut(base, None), None, previous, draft=True)
        if not base.editions:
            if wanted:
                raise EditionError(f"{EDITION_ENV}={wanted}: the data defines no editions")
            return cls(base, base)
        try:
            edition = base.edition(wanted) if wanted else base.editions[-1]
        except KeyError as exc:
            raise EditionError(f"{EDITION_ENV}={wanted}: {exc.args[0]}") from None
        index = base.editions.index(edition)
        previous = cut(base, base.editions[index - 1].cutoff.end) if index else None
        facts = cut(base, edition.cutoff.end)
        _refuse_leaks(base, facts, edition)
        return cls(base, facts, edition, previous)

    @classmethod
    def load(cls, data_dir: Path, wanted: str | None = None, *, strict: bool = False) -> SiteBuild:
        """Load the data (raising DataError) and choose the edition; warnings go to the log."""
        loaded = load_facts(data_dir, strict=strict)
        for warning in loaded.warnings:
            log.warning(str(warning))
        return cls.for_edition(loaded.facts, wanted)

    # -- the site's pages ----------------------------------------------------------------

    @cached_property
    def pages(self) -> dict[str, str]:
        """src_uri → Markdown of every generated page, in navigation order."""
        return generated_pages(self.facts, with_changes=self.edition is not None or self.draft)

    @cached_property
    def homes(self) -> dict[str, str]:
        """Where records live when the build decides it: each event on the page of the last era
        it starts in."""
        homes: dict[str, str] = {}
        for era in self.facts.eras:
            for event in self.facts.events_by_era[era.id]:
                homes[event.id] = f"{era_url(era)}#{event.id}"
        return homes

    @cached_property
    def _sources_shown(self) -> dict[str, Any]:
        """Each source's rendered citation title and entry, shared by every page of the build."""
        return {}

    def navigation(self, nav: list[Any]) -> list[Any]:
        """The configured navigation with the generated pages in their sections."""
        return nav_sections(nav, list(self.pages), nav_groups(self.facts))

    def render_page(self, src_uri: str, url: str, markdown: str, path: str, first_line: int = 1) -> RenderedPage:
        """Expand a page's directives and append its references.

        `url` is the page's site URL (directory style); problems are placed at `path`, whose
        line `first_line` holds the Markdown's first line.
        """
        links = PageLinks(url, self.homes)
        citations = Citations(self.facts, shown=self._sources_shown)
        renderer = Renderer(self.facts, links, citations, self.previous, archive=self.archive)
        expanded, diagnostics = expand(markdown, renderer, path, first_line)
        references = renderer.citations.references(links)
        text = f"{expanded}\n\n{fence(references)}\n" if references else expanded
        if self.draft:
            text = _with_draft_note(text)
        return RenderedPage(text, renderer.entities, diagnostics)

    def configure(self, config: Any) -> SiteBuild:
        """This build as publishing asks for it, `config` (MkDocs') set to build it and to show its
        banner: the edition's offline copy when `OFFLINE_ENV` is set, else the edition whose pages
        link to the archive that `ARCHIVE_ENV` names, if any. Its pages' HTML reaches Markdown
        fenced (`raw`), so `config` gets the extension that keeps it unparsed."""
        build = replace(self, offline=True) if is_offline() else replace(self, archive=Archive.from_env())
        if build.offline:
            configure_offline(config)
        config.extra["edition"] = build.banner()
        config.markdown_extensions.append(RawHtml())
        return build

    def banner(self) -> dict[str, Any] | None:
        """What the edition banner template shows; None when the data has no editions."""
        if self.edition is None:
            return None
        latest = self.base.editions[-1]
        return {
            "id": self.edition.id,
            "title": self.edition.title,
            "cutoff_human": self.edition.cutoff.human(),
            "is_latest": self.edition.id == latest.id,
            "latest_id": latest.id,
            **({"archive": {"path": self.archive.path, "size": self.archive.size_words()}} if self.archive else {}),
            # A reader subscribes to the feed that keeps growing: published beside `latest/`, its copy.
            "feed": "../latest/feed.xml" if self.archive else "feed.xml",
        }

    def json_ld(self, title: str, entities: list[dict[str, Any]]) -> str:
        """A `<script type="application/ld+json">` with the page's Article and its entities."""
        article: dict[str, Any] = {"@type": "Article", "headline": html.unescape(re.sub(r"<[^>]*>", "", title))}
        modified = self.facts.cutoff or self.facts.latest_date()
        if modified:
            article["dateModified"] = modified.isoformat()
        if self.edition:
            article["version"] = self.edition.id
        graph = {"@context": "https://schema.org", "@graph": [article, *entities]}
        payload = json.dumps(graph, ensure_ascii=False, sort_keys=True)
        payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return f'<script type="application/ld+json">{payload}</script>'

    def finish_page(self, output: str, title: str, entities: list[dict[str, Any]]) -> str:
        """A built page's HTML with its JSON-LD in the head and the theme's invalid attributes
        removed (and the marks for search, if no search took them out: `raw.unmarked`); in an
        offline copy, its links to folders naming their `index.html`."""
        page = tidy(unmarked(output).replace("</head>", f"{self.json_ld(title, entities)}\n</head>", 1))
        return folder_links(page) if self.offline else page

    def downloads(self, site_name: str, site_url: str | None) -> dict[str, str]:
        """Path in the site → content of each download: the facts, their schema, the feed.
        `site_url` is the address the site is published at (an edition's folder, on the branch)."""
        upto = self.edition.cutoff.end if self.edition else date.max
        return {
            "data/facts.json": facts_export(self.facts, self.edition),
            "data/schema.json": export_schema(),
            "feed.xml": atom_feed(self.base, upto, site_name, site_url),
        }

    def finish_site(self, site_dir: Path, site_name: str, site_url: str | None) -> None:
        """Write the downloads into the built site at `site_dir`; finish an offline copy (its
        search index as a script, no files it has no use for)."""
        for relative, content in self.downloads(site_name, site_url).items():
            target = site_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        if self.offline:
            finish_offline(site_dir)


def _refuse_leaks(base: FactBase, facts: FactBase, edition: Edition) -> None:
    """Raise DataError, at each record's place, for what the edition would show too early."""
    found = leaks(facts.records, edition.cutoff.end)
    if not found:
        return
    problems = []
    for leak in found:
        origin = base.origins.get(f"{leak.kind}:{leak.record_id}")
        where = (origin.path, origin.line, origin.col) if origin else ("data", 1, 1)
        message = (
            f"the edition of {edition.cutoff.human()} would show {KINDS[leak.kind].noun} '{leak.record_id}', "
            f"whose {leak.message}: give the record an earlier version (`earlier:`) that says only what its "
            "sources had published by then, or write the date with its year"
        )
        problems.append(Diagnostic(*where, "error", message))
    raise DataError(problems)


def _with_draft_note(markdown: str) -> str:
    """The page with the draft view's note after its title."""
    head, newline, rest = markdown.partition("\n")
    if head.startswith("# "):
        return f"{head}\n\n{DRAFT_NOTE}\n{rest}"
    return f"{DRAFT_NOTE}\n{markdown}"


RECORD_PAGES = {"people/": "actors", "topics/": "topics", "contested/": "contested"}
"""Generated pages that show one record: their folder → the record's kind."""


def page_origin(build: SiteBuild, src_uri: str) -> Origin | None:
    """Where the record a generated page shows is written (file, line), or None for other pages."""
    for folder, kind in RECORD_PAGES.items():
        if src_uri.startswith(folder) and src_uri.endswith(".md") and "/" not in src_uri[len(folder) :]:
            return build.base.origins.get(f"{kind}:{src_uri[len(folder) : -3]}")
    if src_uri == "what-changed.md" and build.edition is not None:
        return build.base.origins.get(f"editions:{build.edition.id}")
    return None


@dataclass(frozen=True)
class EditLinks:
    """Where pages link to their source: a page of docs/ to its file (GitHub's editor), a generated
    record page to its data file at the record's line."""

    edit_uri: str
    """Absolute: the address of docs/ in GitHub's editor, ending in `/`."""
    blob: str
    """Absolute: the address of the repository's files at the branch, ending in `/`."""
    root: Path = Path(".")
    """The repository's folder on this machine (mkdocs.yml's), which data paths are relative to."""

    @classmethod
    def from_config(cls, repo_url: str | None, edit_uri: str | None) -> EditLinks | None:
        """From mkdocs.yml's `repo_url` and `edit_uri` (`edit/BRANCH/docs/`); None without a repository."""
        if not repo_url:
            return None
        base = repo_url.rstrip("/") + "/"
        relative = (edit_uri or "edit/main/docs/").lstrip("/")
        if not relative.endswith("/"):
            relative += "/"
        parts = relative.split("/")
        branch = parts[1] if len(parts) > 2 and parts[0] in ("edit", "blob") else "main"
        return cls(urljoin(base, relative), f"{base}blob/{quote(branch)}/")

    def to_record(self, origin: Origin, root: Path) -> str | None:
        """The address of `origin`'s line in the repository at `root`; None if it lies outside."""
        path = Path(origin.path)
        try:
            relative = (path if path.is_absolute() else Path.cwd() / path).resolve().relative_to(root.resolve())
        except ValueError:
            return None
        return f"{self.blob}{quote(relative.as_posix())}#L{origin.line}"

    def to_page(self, build: SiteBuild, src_uri: str) -> str | None:
        """The address of the record a generated page shows, or None for other pages."""
        origin = page_origin(build, src_uri)
        return self.to_record(origin, self.root) if origin else None


def edit_links(config: Any) -> EditLinks | None:
    """Set up edit links in MkDocs' `config` from `repo_url` and `edit_uri`: pages of docs/ get
    MkDocs' own (made absolute), generated record pages their data file's line (`EditLinks.to_page`,
    from the page hook). `repo_url` itself is then cleared: with it, Material's header would ask
    GitHub's API for the repository's stars from every reader's browser, and the site makes no
    requests to other hosts. Without a repository (a local preview) there are no edit links."""
    links = EditLinks.from_config(config.repo_url, config.edit_uri)
    if links is None:
        config.edit_uri = None
        return None
    links = replace(links, root=Path(config.config_file_path or ".").parent)
    config.edit_uri = links.edit_uri
    config.repo_url = None
    features = config.theme.get("features")
    if isinstance(features, list) and "content.action.edit" not in features:
        features.append("content.action.edit")  # Material shows the edit button only with it
    return links


def page_url(src_uri: str) -> str:
    """The directory-style URL MkDocs gives a page."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def body_line(source: str, markdown: str) -> int:
    """The line of `source` (a page file) on which its Markdown body (after front matter) starts."""
    if markdown and source.endswith(markdown):
        return source.count("\n", 0, len(source) - len(markdown)) + 1
    return 1


def failure_page(message: str) -> str:
    """The page `serve` shows while the data or a page has errors."""
    fence = "~" * max(4, max((len(r) for r in re.findall(r"~+", message)), default=0) + 1)
    return (
        "# The build failed\n\n"
        "The preview could not be rebuilt; fix these errors and save again, and this page "
        f"reloads by itself.\n\n{fence}text\n{message}\n{fence}\n"
    )


def last_commit_time(root: Path) -> str:
    """The last commit's time as Unix seconds, so builds of one commit are identical; else 0."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], capture_output=True, text=True, check=True, cwd=root
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "0"
    return out or "0"
