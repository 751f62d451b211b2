"""The bricks of every component: HTML from trusted templates with escaped arguments, Markdown
headings (which reach MkDocs' table of contents), disclosures and dates.

`html(template, ...)` escapes each argument unless it is `Markup` already, so text from data
cannot reach a page unescaped by forgetting a call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape as html_escape
from typing import Any

from markupsafe import Markup

from ..facts.dates import FuzzyDate

EMPTY = Markup("")

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
"""The characters Python-Markdown lets a backslash escape."""


def html(template: str, *args: Any, **kwargs: Any) -> Markup:
    """`template`, trusted HTML written in this package, filled with escaped arguments.

    Like `Markup(template).format(...)`: an argument is escaped unless it is `Markup` (a
    component) or a number. Written with `str.format` and `html.escape`, which cost a fraction
    of markupsafe's own formatter on pages with thousands of components.
    """
    escaped = [a if isinstance(a, _SAFE) else html_escape(str(a)) for a in args]  # _escaped, inlined
    if kwargs:
        return str.__new__(Markup, template.format(*escaped, **{k: _escaped(v) for k, v in kwargs.items()}))
    return str.__new__(Markup, template.format(*escaped))


def join(parts: Iterable[Any], separator: str = "") -> Markup:
    """Parts joined into one fragment; parts that are not `Markup` are escaped."""
    return str.__new__(Markup, separator.join([p if isinstance(p, Markup) else html_escape(str(p)) for p in parts]))


def esc(text: Any) -> Markup:
    """Any text as HTML: escaped, quotes included."""
    return str.__new__(Markup, _escaped_text(text))


_SAFE = (Markup, int, float)
"""What `html` puts in a template as it is: components, and numbers."""


def _escaped(value: Any) -> Any:
    return value if isinstance(value, _SAFE) else html_escape(str(value))


def _escaped_text(value: Any) -> str:
    return value if isinstance(value, Markup) else html_escape(str(value))


def md_text(text: str) -> str:
    """Text from data made safe for a Markdown line: HTML-escaped, Markdown marks escaped."""
    return _MD_SPECIAL.sub(r"\\\1", html_escape(text, quote=False))


def md_heading(level: int, ident: str, text: str, after: Markup = EMPTY, href: str | None = None) -> Markup:
    """A Markdown heading with its id, set apart by blank lines, so that MkDocs lists it in the
    page's table of contents (a heading inside an HTML block never reaches it). `text` is
    escaped for Markdown and HTML, and links to `href` (a site-relative path) when given;
    `after` is trusted inline HTML (dates, counts)."""
    title = md_text(text)
    if href:  # inline HTML, not a Markdown link: MkDocs would check it as a link to a .md file
        title = f'<a href="{html_escape(href)}">{title}</a>'
    return str.__new__(Markup, f"\n\n{'#' * level} {title}{' ' + after if after else ''} {{#{ident}}}\n\n")


def folded(summary: str, body: Markup, css: str = "more") -> Markup:
    """`body` behind a disclosure the reader opens; a link to an id inside opens it (the
    browser does so on fragment navigation; explainer.js does it where a browser does not)."""
    return html('<details class="fold {}"><summary>{}</summary>\n{}\n</details>', css, summary, body)


def when(day: FuzzyDate) -> Markup:
    """A date in words, machine-readable: one `<time>`, or one per end of a range (HTML's
    `datetime` has no range syntax)."""
    words = day.human()
    if day.finish is None:
        return html('<time datetime="{}">{}</time>', day, words)
    first, dash, last = words.partition("–")
    between = (" " if first.endswith(" ") else "") + dash + (" " if last.startswith(" ") else "")
    return html(
        '<time datetime="{}">{}</time>{}<time datetime="{}">{}</time>',
        day.begin,
        first.rstrip(),
        between,
        day.finish,
        last.lstrip(),
    )


def date_span(start: FuzzyDate, end: FuzzyDate) -> Markup:
    """From `start` to `end` in words; one date when both are the same."""
    if start == end:
        return when(start)
    return html("{} – {}", when(start), when(end))


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 event', '3 events'."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def unsearched(body: Markup) -> Markup:
    """`body` kept out of the search index: what is indexed on the page it lives on (a position
    on its topic page, an event on its era's page) is not indexed again where it is repeated."""
    return html("<div data-search-exclude>\n{}\n</div>", body) if body else body
