"""MkDocs glue for the build caches: the API reference is served from `PageCache` when nothing it
depends on has changed (and kept after a build that logged no warning), and compiled theme
templates are kept between the rebuilds of `mkdocs serve` (`TemplateCache`)."""

from __future__ import annotations

import logging
from typing import Any, cast

from mkdocs.structure.files import Files
from mkdocs.structure.toc import get_toc
from mkdocs.utils import CountHandler

from .site.page_cache import CacheSession, PageCache, TemplateCache

_session = CacheSession(PageCache("", None))
_warnings = CountHandler(level=logging.WARNING)
_templates = TemplateCache()


def on_config(config: Any) -> Any:
    global _session, _warnings
    logging.getLogger("mkdocs").removeHandler(_warnings)
    autodoc = config.plugins.get("mkdocstrings")  # without it, there is nothing to cache
    cache = PageCache.for_engine(repr(autodoc.config), config.theme.name) if autodoc else PageCache("", None)
    _session = CacheSession(cache)
    _warnings = CountHandler(level=logging.WARNING)
    logging.getLogger("mkdocs").addHandler(_warnings)
    return config


def on_env(env: Any, config: Any, files: Files) -> Any:
    env.bytecode_cache = _templates
    return env


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    return _session.markdown(page.file.src_uri, markdown)


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    cached = _session.served.get(page.file.src_uri)
    if cached is None:
        return html
    page.toc = get_toc(cast(Any, cached.toc))  # plain dicts with the keys of MkDocs' TypedDict
    return cached.html


def on_post_page(output: str, page: Any, config: Any) -> str:
    _session.rendered(page.file.src_uri, page.content, page.toc)  # cross-references are resolved by now
    return output


def on_post_build(config: Any) -> None:
    logging.getLogger("mkdocs").removeHandler(_warnings)
    if not _warnings.get_counts():
        _session.keep()
