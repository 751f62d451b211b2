"""What a pull request's docs/ may not carry: HTML that runs script or loads from elsewhere.

Markdown passes raw HTML through, and `attr_list` sets any attribute, so a page could add
`<script>`, `onclick=`, a `javascript:` link or an image from another host; and MkDocs copies
any other file in docs/ as it is, an `.html` or `.svg` with a script included. So each page is
rendered as the site renders it (before its directives are expanded: what they add comes from
the data, escaped) and the HTML is checked: no active or embedding elements, no event handler
or `style` attributes (but a table column's alignment), no `javascript:`, `data:` or `vbscript:`
addresses, nothing loaded from another host. Other files must be of a kind in `STATIC_KINDS`,
and stylesheets may load nothing from another host. Plain links to other sites are fine.
"""

from __future__ import annotations

import re
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
from mkdocs.exceptions import PluginError

from ..errors import Diagnostic, DiagnosticError
from ..site.engine_memo import recall, remember
from ..site.page_cache import plain
from .links import check_site_links

FORBIDDEN_ELEMENTS = frozenset(
    "script style iframe frame frameset object embed applet form base meta link svg math template portal".split()
)
URL_ATTRIBUTES = frozenset("href src srcset action formaction poster data background cite xlink:href ping".split())
LOADING_ATTRIBUTES = frozenset("src srcset poster data background".split())
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
STATIC_KINDS = frozenset({".css", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".txt"})
"""The files besides pages that docs/ may publish: none can run script (an SVG or HTML file can)."""
_CSS_REMOTE = re.compile(r"//|\\")
"""In a stylesheet, `//` only starts an address on another host (comments are `/* */`), and a
backslash escape could spell one out."""
_OTHER_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.IGNORECASE)
_TABLE_ALIGN = re.compile(r"text-align: (?:left|right|center);?")
"""The only style a page may carry: what Markdown tables write for aligned columns."""
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class PageGuardError(DiagnosticError, PluginError):
    """Pages carry raw HTML the site does not allow (MkDocs stops on it too)."""


def check_site(config: Any, files: Any) -> None:
    """Everything `on_files` refuses: links out of the project, then what docs/ may not publish."""
    check_site_links(config)
    pages = PageChecker(config.markdown_extensions, config.mdx_configs)
    docs = Path(config.docs_dir)
    found: list[Diagnostic] = []
    for file in files:  # what MkDocs will publish, through links as it reads them
        source = Path(file.abs_src_path) if file.abs_src_path and not file.generated_by else None
        if source is not None and source.is_relative_to(docs):
            found.extend(check_file(source, f"{docs.name}/{file.src_uri}", pages))
    if found:
        raise PageGuardError(found)


def check_docs(docs: Path, extensions: list[Any]) -> None:
    """PageGuardError for what docs/ may not publish, `extensions` as in mkdocs.yml; MkDocs-free."""
    names: list[Any] = ["toc", "tables", "fenced_code"]  # MkDocs always adds these
    configs: dict[str, Any] = {}
    for entry in extensions:
        name = next(iter(entry)) if isinstance(entry, dict) else entry
        names.append(name)
        if isinstance(entry, dict) and entry[name]:
            configs[name] = entry[name]
    pages = PageChecker(names, configs)
    found = [d for path in _walk(docs, set()) for d in check_file(path, f"{docs.name}/{path.relative_to(docs)}", pages)]
    if found:
        raise PageGuardError(found)


def _walk(folder: Path, seen: set[Path]) -> list[Path]:
    """Every file below `folder`, through links as MkDocs follows them, each real folder once."""
    if folder.resolve() in seen:
        return []
    seen.add(folder.resolve())
    found = []
    for child in sorted(folder.iterdir()):
        found.extend(_walk(child, seen) if child.is_dir() else [child] if child.is_file() else [])
    return found


class PageChecker:
    """Checks pages' Markdown as the site renders it: Python-Markdown with the named extensions
    (a plugin's own, such as mkdocstrings', are left out: they render pages of their own making).

    A page found clean is remembered by its text (`engine_memo`), so the next build with the same
    engine and extensions does not render it again; a page with problems is checked every time."""

    def __init__(self, extensions: list[Any], configs: dict[str, Any]):
        self.names = [e for e in extensions if isinstance(e, str)]
        self.configs = {k: v for k, v in configs.items() if k in self.names}
        self._setup = f"page guard\0{plain(self.names)}\0{plain(self.configs)}"

    @cached_property
    def markdown(self) -> markdown.Markdown:
        """The renderer, made on the first page not remembered as clean."""
        return markdown.Markdown(extensions=self.names, extension_configs=self.configs)

    def problems(self, source: str, path: str) -> list[Diagnostic]:
        """What is wrong with the HTML that Markdown `source` renders to, placed in `source`."""
        if recall(self._setup, source) == []:
            return []
        found = unsafe_html(source, self.markdown, path)
        if not found:
            remember([], self._setup, source)
        return found


def check_file(path: Path, shown: str, pages: PageChecker) -> list[Diagnostic]:
    """What is wrong with one file of docs/, shown as `shown`."""
    if path.suffix == ".md":
        return pages.problems(path.read_text(encoding="utf-8"), shown)
    if path.suffix.lower() not in STATIC_KINDS:
        kinds = ", ".join(sorted(STATIC_KINDS))
        return [Diagnostic(shown, 1, 1, "error", f"docs/ may publish pages and files of these kinds only: {kinds}")]
    if path.suffix.lower() == ".css":
        text = path.read_text(encoding="utf-8", errors="replace")
        if match := _CSS_REMOTE.search(text):
            line, col = _place(text, match.group(0))
            why = "a stylesheet may not name another host (`//`) or use escapes (`\\`)"
            return [Diagnostic(shown, line, col, "error", why)]
    return []


def unsafe_html(source: str, md: markdown.Markdown, path: str) -> list[Diagnostic]:
    """What is wrong with the HTML that Markdown `source` renders to, placed in `source`."""
    md.reset()
    finder = _Finder()
    finder.feed(md.convert(source))
    finder.close()
    return [Diagnostic(path, *_place(source, needle), "error", message) for needle, message in finder.problems]


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_ELEMENTS:
            why = "it can run script or load from elsewhere"
            self.problems.append((f"<{tag}", f"<{tag}> is not allowed in pages: {why}"))
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append((name, f"the {name} attribute runs script; pages may not set event handlers"))
            elif name == "style" and not _TABLE_ALIGN.fullmatch(value.strip()):
                self.problems.append((name, "style attributes are not allowed in pages; use docs/assets/explainer.css"))
            elif name in URL_ATTRIBUTES:
                address = _INVISIBLE.sub("", value).lower()
                if address.startswith(BAD_SCHEMES):
                    scheme = address.split(":", 1)[0]
                    self.problems.append((value.strip()[:20], f"{name}: {scheme}: addresses are not allowed in pages"))
                elif name in LOADING_ATTRIBUTES and _OTHER_HOST.match(value.strip()):
                    why = "the site makes no requests to other hosts"
                    self.problems.append((value.strip()[:20], f"{name}={value!r} loads from another host; {why}"))

    handle_startendtag = handle_starttag


def _place(source: str, needle: str) -> tuple[int, int]:
    """Line and column of the first `needle` in `source` (case-insensitive), else 1:1."""
    at = source.lower().find(needle.lower()) if needle else -1
    if at < 0:
        return 1, 1
    line = source.count("\n", 0, at) + 1
    return line, at - (source.rfind("\n", 0, at) + 1) + 1
