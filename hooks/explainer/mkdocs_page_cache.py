"""MkDocs glue for the build caches: the API reference is served from `PageCache` when nothing it
depends on has changed (and kept after a build that logged no warning), and compiled theme
templates are kept between builds (`TemplateCache`), and the theme's files are listed without its
hidden ones, which MkDocs drops anyway (`ThemeLoader`). A build whose API reference the cache
holds, as its file reads, runs without mkdocstrings (its stylesheet comes from the cache too);
the draft view, which adds a note to every page, runs with it.

Under `mkdocs serve` each rebuild also reuses, from the rebuild before, the HTML of every page
whose Markdown (directives expanded: the facts it shows are in it), front matter, the site's
list of files and the Markdown settings are unchanged, and the search entries of every page whose
HTML, title and table of contents are unchanged (`RenderMemo`, keyed by a digest of all of them);
and file changes are seen by the system's file notifier instead of a scan every half second.
In every build, Material's search index reads a page without what it leaves out (`site.raw`)."""

from __future__ import annotations

import copy
import logging
import os
from pathlib import Path
from typing import Any, cast

from material.plugins.search.plugin import SearchIndex
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.toc import get_toc
from mkdocs.utils import CountHandler, write_file
from mkdocs.utils.meta import get_data
from watchdog.events import FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent
from watchdog.observers import Observer

from .errors import get_logger
from .site.build import DRAFT, EDITION_ENV
from .site.page_cache import (
    CACHED_PAGES,
    CacheError,
    CacheSession,
    PageCache,
    RenderedMarkdown,
    RenderMemo,
    TemplateCache,
    ThemeLoader,
    digest,
    has_autodoc,
    plain,
    templates_folder,
    toc_tokens,
)
from .site.raw import unmarked, without_unsearched

log = get_logger(__name__)

_session = CacheSession(PageCache("", None))
_warnings = CountHandler(level=logging.WARNING)
_templates = TemplateCache()
_stylesheet: str | None = None
"""Where mkdocstrings writes its stylesheet, in the site (None without mkdocstrings)."""


class _Serve:
    """What the rebuilds of one `mkdocs serve` share (nothing is kept outside serve)."""

    def __init__(self, serving: bool) -> None:
        self.serving = serving
        self.pages: RenderMemo[RenderedMarkdown] = RenderMemo()
        self.search: RenderMemo[list[dict[str, Any]]] = RenderMemo()
        self.settings = ""  # digest of the Markdown settings and the site's files, per build
        self.reused: dict[str, RenderedMarkdown] = {}
        self.fresh: dict[str, str] = {}  # src_uri → key of a page rendered afresh
        self.idle = True
        """No build in progress, or one that reuses nothing."""

    def end_build(self, clean: bool) -> None:
        if not self.idle:
            self.pages.end_build(clean)
            self.search.end_build(clean)
            log.debug("this rebuild reused %d unchanged pages", self.pages.reused)
        self.reused, self.fresh, self.idle = {}, {}, True


_serve = _Serve(False)


class _SearchIndex(SearchIndex):
    """Material's search index, reading each page without the engine's elements that it leaves
    out anyway (`raw.without_unsearched`), then giving the page back whole (`raw.unmarked`); under
    serve, taking a page's entries from the last rebuild when unchanged."""

    def add_entry_from_context(self, page: Any) -> None:
        whole, page.content = page.content, without_unsearched(page.content)
        try:
            self._add(page)
        finally:
            page.content = unmarked(whole)

    def _add(self, page: Any) -> None:
        if _serve.idle:
            super().add_entry_from_context(page)
            return
        key = digest(page.url, str(page.title), plain(page.meta), plain(toc_tokens(page.toc)), page.content)
        entries = _serve.search.get(key)
        if entries is not None:
            self.entries.extend(copy.deepcopy(entries))
            return
        start = len(self.entries)
        super().add_entry_from_context(page)
        _serve.search.add(key, copy.deepcopy(self.entries[start:]))


def on_startup(command: str, dirty: bool) -> None:
    global _serve
    _serve = _Serve(command == "serve")


@event_priority(100)  # before mkdocstrings' own on_config, which it may switch off
def _config_cache(config: Any) -> Any:
    global _session, _stylesheet
    autodoc = config.plugins.get("mkdocstrings")  # without it, there is nothing to cache
    cache = PageCache.for_engine(repr(autodoc.config), config.theme.name) if autodoc else PageCache("", None)
    _session = CacheSession(cache)
    _stylesheet = autodoc.css_filename if autodoc else None
    draft = os.environ.get(EDITION_ENV) == DRAFT  # the draft view adds a note to every page
    if autodoc is not None and autodoc.config.enabled and not draft and _session.foresee(_written(config)):
        # Its pages come from the cache: starting its handler and its cross-references would
        # cost a tenth of the build. Its stylesheet is linked here as it links it, and written
        # from the cache after the build.
        autodoc.config.enabled = False
        config.extra_css.insert(0, autodoc.css_filename)
        log.debug("the API reference comes from the page cache: mkdocstrings is off for this build")
    return config


def _config_serve(config: Any) -> Any:  # after the plugins' own on_config: search's index exists
    global _warnings
    logging.getLogger("mkdocs").removeHandler(_warnings)
    _warnings = CountHandler(level=logging.WARNING)
    logging.getLogger("mkdocs").addHandler(_warnings)
    _serve.end_build(clean=False)  # a build that raised left its pages unkept
    _serve.idle = not _serve.serving or getattr(config.plugins.get("autorefs"), "scan_toc", False)
    search = config.plugins.get("material/search")
    if search is not None and type(search.search_index) is SearchIndex:
        search.search_index = _SearchIndex(**search.search_index.config)
    return config


def _config_theme(config: Any) -> Any:
    theme = config.theme
    make_env = theme.get_env

    def get_env() -> Any:  # the theme's environment, its listing without hidden files (ThemeLoader)
        env = make_env()
        env.loader = ThemeLoader(env.loader.searchpath)
        return env

    theme.get_env = get_env
    return config


on_config = CombinedEvent(_config_cache, _config_serve, _config_theme)


def on_nav(nav: Any, config: Any, files: Files) -> Any:
    if not _serve.idle:  # what rendering a page's Markdown reads besides the page itself
        extensions = [e if isinstance(e, str) else type(e).__qualname__ for e in config.markdown_extensions]
        listing = [(f.src_uri, f.dest_uri, f.url, f.inclusion.name) for f in files]
        validation = {name: dict(section) for name, section in config.validation.items()}
        level = logging.getLogger("mkdocs.structure.pages").getEffectiveLevel()
        written = Path(config.config_file_path).read_text(encoding="utf-8") if config.config_file_path else ""
        parts = (extensions, config.mdx_configs, validation, listing, level, written)  # written: plugins' settings
        _serve.settings = digest(*(plain(part) for part in parts))
    return nav


def on_env(env: Any, config: Any, files: Files) -> Any:
    global _templates
    if _templates.folder != (folder := templates_folder()):
        _templates = TemplateCache(folder)
    env.bytecode_cache = _templates
    return env


@event_priority(-100)  # last: the Markdown as MkDocs will render it
def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    src_uri = page.file.src_uri
    try:
        markdown = _session.markdown(src_uri, markdown)
    except CacheError as exc:
        raise PluginError(str(exc)) from None
    if _serve.idle or src_uri in CACHED_PAGES or has_autodoc(markdown):
        return markdown  # mkdocstrings registers anchors while rendering: not reusable
    key = digest(_serve.settings, src_uri, plain(page.meta), markdown)
    reused = _serve.pages.get(key)
    if reused is None:
        _serve.fresh[src_uri] = key
        return markdown
    _serve.reused[src_uri] = reused
    return ""  # nothing left to render: on_page_content puts the last rebuild's page back


@event_priority(100)  # first: other hooks see the page as rendering it would have left it
def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    src_uri = page.file.src_uri
    if (reused := _serve.reused.pop(src_uri, None)) is not None:
        return _restore(page, reused, files)
    if (key := _serve.fresh.pop(src_uri, None)) is not None:
        _serve.pages.add(key, _rendered(page, html))
    cached = _session.served.get(src_uri)
    if cached is None:
        return html
    page.toc = get_toc(cast(Any, cached.toc))  # plain dicts with the keys of MkDocs' TypedDict
    return cached.html


def _rendered(page: Any, html: str) -> RenderedMarkdown:
    links = page.links_to_anchors
    return RenderedMarkdown(
        html,
        toc_tokens(page.toc),
        page._title_from_render,  # MkDocs keeps the rendered title in this attribute only
        frozenset(page.present_anchor_ids or ()),
        None if links is None else {f.src_uri: dict(anchors) for f, anchors in links.items()},
    )


def _restore(page: Any, rendered: RenderedMarkdown, files: Files) -> str:
    """Set on `page` what MkDocs' rendering of its Markdown sets; return its HTML."""
    page.toc = get_toc(cast(Any, rendered.toc))
    page._title_from_render = rendered.title
    page.present_anchor_ids = set(rendered.anchors)
    if rendered.links is not None:
        targets = {uri: files.get_file_from_path(uri) for uri in rendered.links}
        page.links_to_anchors = {f: dict(rendered.links[uri]) for uri, f in targets.items() if f is not None}
    return rendered.html


def on_post_page(output: str, page: Any, config: Any) -> str:
    _session.rendered(page.file.src_uri, page.content, page.toc)  # cross-references are resolved by now
    return output


def _written(config: Any) -> dict[str, str]:
    """The Markdown of each page of CACHED_PAGES as MkDocs reads it from its file."""
    found = {}
    for src_uri in CACHED_PAGES:
        try:
            found[src_uri] = get_data((Path(config.docs_dir) / src_uri).read_text(encoding="utf-8-sig"))[0]
        except (OSError, UnicodeDecodeError):
            continue
    return found


def on_post_build(config: Any) -> None:
    logging.getLogger("mkdocs").removeHandler(_warnings)
    clean = not _warnings.get_counts()
    stylesheet = Path(config.site_dir) / _stylesheet if _stylesheet else None
    if (css := _session.stylesheet()) is not None and stylesheet is not None:
        write_file(css.encode("utf-8"), str(stylesheet))
    if clean:
        _session.keep(stylesheet.read_text(encoding="utf-8") if stylesheet and stylesheet.is_file() else "")
    _serve.end_build(clean)


def on_build_error(error: Exception) -> None:
    _serve.end_build(clean=False)


class _ChangesObserver:
    """The system's file notifier, passing on changes only: MkDocs rebuilds on any event, and
    inotify also reports the reads of a build, which would start the next build without end."""

    CHANGES = [FileModifiedEvent, FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileMovedEvent]

    def __init__(self) -> None:
        self.observer = Observer()

    def schedule(self, event_handler: Any, path: str, *, recursive: bool = False) -> Any:
        return self.observer.schedule(event_handler, path, recursive=recursive, event_filter=self.CHANGES)

    def __getattr__(self, name: str) -> Any:  # start, stop, join, unschedule, emitters
        return getattr(self.observer, name)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Watch with the system's file notifier (inotify on Linux) instead of MkDocs' polling, which
    scans every watched folder twice a second and sees an edit a quarter of a second late on average."""
    paths = sorted({emitter.watch.raw_path for emitter in server.observer.emitters})  # as MkDocs gave them
    for path in paths:
        server.unwatch(path)
    server.observer = _ChangesObserver()
    for path in paths:
        server.watch(path)
    return server
