"""Finished pages kept between builds: the API reference depends only on the engine's source,
and under `mkdocs serve` every page's HTML and search entries are kept from one rebuild to the
next, keyed by everything they are made from (`RenderMemo`).

Rendering the API reference with mkdocstrings costs about a quarter of a build, and under
`mkdocs serve` each rerender holds on to more memory. Its finished HTML and table of contents
are kept, keyed by a hash of everything they depend on (the engine's source, the page, the
plugin configuration and the renderers' versions), in memory and as JSON in the user's cache
folder, outside the repository, where a pull request cannot place an entry. An entry is plain
data, checked when read; anything unreadable or malformed is ignored and the page rendered again.

Two more things MkDocs would otherwise redo in every build: compiling the theme's templates
(`TemplateCache`) and listing the theme's hidden files only to drop them (`ThemeLoader`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Generic, TypeVar

from jinja2 import BytecodeCache, FileSystemBytecodeCache, FileSystemLoader
from jinja2.bccache import Bucket

from ..errors import ExplainerError, get_logger

log = get_logger(__name__)

CACHED_PAGES = frozenset(f"contribute/api/{name}.md" for name in ("index", "facts", "site", "tools"))
"""Pages whose content depends only on the engine's source, not on the data or the edition: the
engine's API reference, one page per stage."""
RENDERERS = ("mkdocstrings", "mkdocstrings-python", "griffelib", "mkdocs-autorefs", "markdown", "pymdown-extensions")
"""Packages whose version changes what a cached page holds."""
ENGINE_DIR = Path(__file__).resolve().parents[1]
_AUTODOC = re.compile(r"^::: .*\n?", re.MULTILINE)


class CacheError(ExplainerError):
    """A cached page cannot be served as the build was set up to serve it."""


@dataclass(frozen=True)
class CachedPage:
    """A page's finished content HTML, its table of contents as Python-Markdown's toc tokens, and
    the stylesheet mkdocstrings wrote for it (`assets/_mkdocstrings.css`)."""

    html: str
    toc: list[dict[str, Any]]
    css: str = ""


class PageCache:
    """Cached pages of one engine state: `key` hashes everything the pages depend on."""

    _memory: dict[str, CachedPage] = {}

    def __init__(self, key: str, directory: Path | None):
        self.key = key
        self.directory = directory

    @classmethod
    def for_engine(cls, *depends_on: str) -> PageCache:
        """The cache for this engine's source, the renderers' versions and `depends_on` (config)."""
        return cls(engine_digest(RENDERERS, *depends_on), cache_home() / "explainer" / "pages")

    def _file(self, src_uri: str, markdown: str) -> tuple[str, Path | None]:
        name = hashlib.blake2b(f"{self.key}\0{src_uri}\0{markdown}".encode(), digest_size=20).hexdigest()
        return name, self.directory / f"{name}.json" if self.directory else None

    def get(self, src_uri: str, markdown: str) -> CachedPage | None:
        """The cached page for this source Markdown, or None."""
        name, path = self._file(src_uri, markdown)
        if name in self._memory or path is None:
            return self._memory.get(name)
        try:
            page = _checked(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None
        self._memory[name] = page
        return page

    def put(self, src_uri: str, markdown: str, page: CachedPage) -> None:
        """Keep a page; a cache folder that cannot be written only costs the next build time."""
        name, path = self._file(src_uri, markdown)
        if len(self._memory) >= 16:  # under serve, each edit of the engine makes a new key
            self._memory.clear()
        self._memory[name] = page
        if path is not None:
            write_entry(path, json.dumps({"html": page.html, "toc": page.toc, "css": page.css}), "the page is rendered")


def without_autodoc(markdown: str) -> str:
    """The Markdown without mkdocstrings' `::: identifier` blocks, for a page served from cache."""
    return _AUTODOC.sub("", markdown)


def has_autodoc(markdown: str) -> bool:
    """Whether the Markdown has mkdocstrings' `::: identifier` blocks."""
    return _AUTODOC.search(markdown) is not None


def engine_digest(packages: Iterable[str], *depends_on: str) -> str:
    """A key for the engine's source as it is on disk, the installed versions of `packages`, and
    `depends_on`, in order."""
    digest = hashlib.blake2b(digest_size=20)
    for source in sorted(ENGINE_DIR.rglob("*.py")):
        digest.update(source.relative_to(ENGINE_DIR).as_posix().encode() + b"\0" + source.read_bytes() + b"\0")
    for name in packages:
        digest.update(f"{name}=={_version(name)}\0".encode())
    for part in depends_on:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def write_entry(path: Path, text: str, otherwise: str) -> None:
    """Write a cache entry whole (a reader never sees half of it); a cache folder that cannot be
    written only costs the next build time: `otherwise` says what is made again then."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as exc:
        log.info("cache entry not written (%s): %s again next time", exc, otherwise)


def cache_home() -> Path:
    """The user's cache folder (`XDG_CACHE_HOME`, else `~/.cache`)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def templates_folder() -> Path:
    """Where `TemplateCache` keeps compiled templates between builds: in the user's cache folder."""
    return cache_home() / "explainer" / "templates"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _checked(entry: Any) -> CachedPage:
    """A cache entry as read from disk, if it has exactly the expected shape; else ValueError."""
    if not isinstance(entry, dict) or set(entry) != {"html", "toc", "css"}:
        raise ValueError("not a cached page")
    if not isinstance(entry["html"], str) or not isinstance(entry["css"], str):
        raise ValueError("not a cached page")
    return CachedPage(entry["html"], [_checked_token(t) for t in _list(entry["toc"])], entry["css"])


def _checked_token(token: Any) -> dict[str, Any]:
    if not isinstance(token, dict) or set(token) != {"level", "id", "name", "children"}:
        raise ValueError("not a toc token")
    if not (isinstance(token["level"], int) and isinstance(token["id"], str) and isinstance(token["name"], str)):
        raise ValueError("not a toc token")
    return {**token, "children": [_checked_token(t) for t in _list(token["children"])]}


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value


@dataclass
class CacheSession:
    """One build's use of a `PageCache`: which pages it served, and which fresh ones to keep."""

    cache: PageCache
    served: dict[str, CachedPage] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    fresh: dict[str, CachedPage] = field(default_factory=dict)

    foreseen: dict[str, str] | None = None
    """The Markdown of each cached page when `foresee` found them all in the cache."""

    def foresee(self, markdowns: dict[str, str]) -> bool:
        """Whether the cache holds every page of CACHED_PAGES with the Markdown its file holds
        (`markdowns`, front matter aside): then the build needs no mkdocstrings. These pages
        depend on the engine only, so the hooks leave their Markdown as written; `markdown`
        checks that they did."""
        if set(markdowns) != CACHED_PAGES:
            return False
        if any(self.cache.get(src_uri, markdown) is None for src_uri, markdown in markdowns.items()):
            return False
        self.foreseen = dict(markdowns)
        return True

    def markdown(self, src_uri: str, markdown: str) -> str:
        """The Markdown to render: without its autodoc blocks when the cache holds the page."""
        if src_uri not in CACHED_PAGES:
            return markdown
        self.sources[src_uri] = markdown
        hit = self.cache.get(src_uri, markdown)
        if hit is None:
            if self.foreseen is not None and has_autodoc(markdown):
                raise CacheError(
                    f"{src_uri} is not the page foreseen from its file, and mkdocstrings was left out "
                    "of this build to serve it from the cache: a hook changed it (cached pages must not)"
                )
            return markdown
        self.served[src_uri] = hit
        return without_autodoc(markdown)

    def rendered(self, src_uri: str, html: str, toc: Iterable[Any]) -> None:
        """A page as finally rendered (cross-references resolved): kept if rendered afresh."""
        if src_uri in self.sources and src_uri not in self.served:
            self.fresh[src_uri] = CachedPage(html, toc_tokens(toc))

    def stylesheet(self) -> str | None:
        """What mkdocstrings wrote as its stylesheet for the pages served, when it was left out."""
        return next((page.css for page in self.served.values()), None) if self.foreseen is not None else None

    def keep(self, stylesheet: str) -> None:
        """Store the pages rendered afresh, with mkdocstrings' `stylesheet`: call it only when the
        build had no warning."""
        for src_uri, page in self.fresh.items():
            self.cache.put(src_uri, self.sources[src_uri], CachedPage(page.html, page.toc, stylesheet))


def toc_tokens(items: Iterable[Any]) -> list[dict[str, Any]]:
    """A table of contents (MkDocs' AnchorLinks) as Python-Markdown's toc tokens."""
    return [{"level": a.level, "id": a.id, "name": a.title, "children": toc_tokens(a.children)} for a in items]


class TemplateCache(BytecodeCache):
    """Compiled theme templates, kept in memory between the rebuilds of one `mkdocs serve` (each
    rebuild makes a new Jinja environment) and in `folder` between builds: MkDocs compiles every
    template of the theme anew in each build, about a tenth of the project's.

    Jinja checks each entry against its template's source, its own version and Python's before
    using it, so an edited template is compiled again. An entry is compiled code, so it is kept
    on disk only in a folder that this user owns and no one else can write to (`private_folder`);
    without one, in memory only."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.compiled: dict[str, bytes] = {}
        private = folder is not None and private_folder(folder)
        self.disk = FileSystemBytecodeCache(str(folder), "%s.jinja") if private else None

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])
        elif self.disk is not None:
            self.disk.load_bytecode(bucket)
            if bucket.code is not None:  # current: serve's next rebuilds take it from memory
                self.compiled[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()
        if self.disk is not None:
            try:
                self.disk.dump_bytecode(bucket)
            except OSError as exc:
                log.info("compiled template not kept (%s): it is compiled again next time", exc)


class ThemeLoader(FileSystemLoader):
    """A theme's template loader that lists no hidden file or folder. On every build MkDocs lists
    all of a theme's files to copy its static ones, then drops the hidden ones, and Material's
    hidden `.icons` folder holds nearly all of its files. Templates are found exactly as by
    Jinja's `FileSystemLoader`."""

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for searchpath in self.searchpath:
            for folder, folders, names in os.walk(searchpath, followlinks=self.followlinks):
                folders[:] = [name for name in folders if not name.startswith(".")]
                inside = Path(folder).relative_to(searchpath).as_posix()
                found.update(
                    name if inside == "." else f"{inside}/{name}" for name in names if not name.startswith(".")
                )
        return sorted(found)


def private_folder(directory: Path) -> bool:
    """Make `directory` if needed (readable by this user only); whether it is a folder this user
    owns and no one else can write to, as a cache of code must be."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = directory.lstat()
    except OSError as exc:
        log.info("no folder for compiled templates (%s): they are kept in memory only", exc)
        return False
    if (
        stat.S_ISDIR(found.st_mode)
        and found.st_uid == os.getuid()
        and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    ):
        return True
    log.info("%s is not a private folder of this user: compiled templates are kept in memory only", directory)
    return False


T = TypeVar("T")


def digest(*parts: str) -> str:
    """A key for `parts`, taken in order: equal keys mean equal parts."""
    hashed = hashlib.blake2b(digest_size=20)
    for part in parts:
        hashed.update(f"{len(part)}:".encode() + part.encode("utf-8", "surrogatepass"))
    return hashed.hexdigest()


def plain(value: Any) -> str:
    """`value` (front matter, tokens: plain data) as canonical JSON, for a key."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)


class RenderMemo(Generic[T]):
    """What one build computed, reused by the next build of the same process (`mkdocs serve`)
    when its key, a `digest` of everything the value is made from, is equal.

    A value is kept only if the build that made it ends cleanly (`end_build(clean=True)`), and
    the values the last build neither used nor made are dropped, so the memo holds at most one
    build's worth: a rebuild costs what changed, and memory does not grow with rebuilds."""

    def __init__(self) -> None:
        self._kept: dict[str, T] = {}
        self._used: dict[str, T] = {}
        self._fresh: dict[str, T] = {}
        self.reused = 0
        """How many values the last build that ended reused."""

    def get(self, key: str) -> T | None:
        """The value kept under `key`, or None."""
        value = self._kept.get(key)
        if value is not None:
            self._used[key] = value
        return value

    def add(self, key: str, value: T) -> None:
        """A value made by the current build, kept if the build ends cleanly."""
        self._fresh[key] = value

    def end_build(self, clean: bool) -> None:
        """Keep what this build used, and what it made if it was `clean`; drop the rest."""
        self._kept = {**self._used, **(self._fresh if clean else {})}
        self.reused = len(self._used)
        self._used, self._fresh = {}, {}


@dataclass(frozen=True)
class RenderedMarkdown:
    """A page's Markdown as MkDocs rendered it: HTML, table of contents (toc tokens), the title
    taken from its first heading, the anchors it has, and its links to anchors of other pages
    (target src_uri → anchor → the link as written; None when MkDocs did not collect them)."""

    html: str
    toc: list[dict[str, Any]]
    title: str | None
    anchors: frozenset[str]
    links: dict[str, dict[str, str]] | None
