"""The engine's HTML, handed to Markdown as raw blocks it need not parse.

Python-Markdown finds raw HTML in a page by running an HTML parser over all of its text; on the
site's generated pages, which are mostly HTML the engine wrote, that was a quarter of a build. The
HTML is the engine's own (escaped by construction, `markup`), so `fence` puts each block of it
between two marker lines, and `RawHtml`, a Markdown extension the MkDocs hooks add, stores what
lies between them in Markdown's stash unparsed, as Markdown's own raw-HTML step would have.
Markdown's headings (`markup.md_heading`) stay outside the markers and reach the table of
contents. `unfence` takes the markers out for a host without the extension (`explainer render`).

Material's search indexes a page by parsing its HTML once more, the three quarters that it then
leaves out too (`data-search-exclude`: reference lists, tables, cards). So the extension also
marks each such element of the engine's blocks (`UNSEARCHED`), the hooks show search the page
`without_unsearched`, and readers get it `unmarked`. The index is Material's, less what its
parser let slip from those elements: entries for the headings in them, and text from some.

The markers carry a token drawn when the engine is imported, so a page cannot write them.
"""

from __future__ import annotations

import re
import secrets
from functools import cache

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.util import BLOCK_LEVEL_ELEMENTS

_TOKEN = secrets.token_hex(8)
START = f"<!--explainer-raw {_TOKEN}-->"
END = f"<!--/explainer-raw {_TOKEN}-->"
_HEADING = re.compile(r"^#{1,6} [^\n]*$", re.MULTILINE)
_BLOCK_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s>/]")
_BLOCK_LEVEL = frozenset(BLOCK_LEVEL_ELEMENTS)
_FENCES = re.compile(rf"\n*(?:{re.escape(START)}|{re.escape(END)})\n*")
UNSEARCHED = (f"<!--explainer-unsearched {_TOKEN}-->", f"<!--/explainer-unsearched {_TOKEN}-->")
"""The comments around an element that search leaves out, in the HTML Markdown makes."""
_UNSEARCHED_SPAN = re.compile(f"{re.escape(UNSEARCHED[0])}.*?{re.escape(UNSEARCHED[1])}", re.DOTALL)
_EXCLUDED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:\s[^>]*)?\sdata-search-exclude(?:[\s=/][^>]*)?)>")
_ATTRIBUTE_NAME = re.compile(r"""\s([^\s"'=/>]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")


def fence(markdown: str) -> str:
    """`markdown`, a directive's output, with each stretch of HTML between its headings fenced."""
    parts: list[str] = []
    start = 0
    for heading in _HEADING.finditer(markdown):
        parts += [_fenced(markdown[start : heading.start()]), heading.group()]
        start = heading.end()
    parts.append(_fenced(markdown[start:]))
    return "".join(parts)


def _fenced(chunk: str) -> str:
    body = chunk.strip()
    opening = _BLOCK_TAG.match(body)
    if opening is None or opening.group(1).lower() not in _BLOCK_LEVEL:
        return chunk  # Markdown, or HTML that Markdown would set in a paragraph: Markdown reads it
    return f"\n\n{START}\n{body}\n{END}\n\n"


def unfence(markdown: str) -> str:
    """`markdown` without the fences, as any Markdown host reads it."""
    return _FENCES.sub("\n\n", markdown)


def mark_unsearched(block: str) -> str:
    """`block`, the engine's HTML, with each outermost element that has `data-search-exclude`
    between the `UNSEARCHED` comments. The engine's HTML is well formed and its text escaped,
    so an element ends at the first closing tag of its name that balances its opening one."""
    if "data-search-exclude" not in block:
        return block
    parts: list[str] = []
    start = 0
    for opening in _EXCLUDED.finditer(block):
        if opening.start() < start or "data-search-exclude" not in _names(opening.group(2)):
            continue  # inside an element already marked, or the words are in an attribute's value
        end = _element_end(block, opening.group(1), opening.end())
        if end is None:
            continue
        parts += [block[start : opening.start()], UNSEARCHED[0], block[opening.start() : end], UNSEARCHED[1]]
        start = end
    return "".join(parts) + block[start:]


def _names(attributes: str) -> set[str]:
    return {name.lower() for name in _ATTRIBUTE_NAME.findall(attributes)}


def _element_end(html: str, tag: str, after: int) -> int | None:
    """Where the element opened just before `after` ends; None if it never does."""
    depth = 1
    for found in _tags_named(tag.lower()).finditer(html, after):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return found.end()
    return None


@cache
def _tags_named(tag: str) -> re.Pattern[str]:
    """Opening and closing tags of one element name."""
    return re.compile(rf"<(/?){tag}(?=[\s>/])[^>]*>", re.IGNORECASE)


def without_unsearched(html: str) -> str:
    """`html` without the marked elements, as search reads it."""
    return _UNSEARCHED_SPAN.sub("", html) if UNSEARCHED[0] in html else html


def unmarked(html: str) -> str:
    """`html` without the `UNSEARCHED` comments, as readers get it."""
    return html.replace(UNSEARCHED[0], "").replace(UNSEARCHED[1], "") if UNSEARCHED[0] in html else html


class _Stash(Preprocessor):
    """Each fenced block into Markdown's stash, before Markdown looks for raw HTML itself."""

    def run(self, lines: list[str]) -> list[str]:
        if START not in lines:
            return lines
        out: list[str] = []
        block: list[str] | None = None
        for line in lines:
            if block is None:
                if line == START:
                    block = []
                else:
                    out.append(line)
            elif line == END:
                out += ["", self.md.htmlStash.store(mark_unsearched("\n".join(block))), ""]
                block = None
            else:
                block.append(line)
        if block is not None:  # never closed (cannot happen from `fence`): leave it to Markdown
            out += [START, *block]
        return out


class RawHtml(Extension):
    """The Markdown extension that stores fenced blocks unparsed (see the module's docstring)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's name)
        # After whitespace is normalised (30), before fenced code (25) and raw HTML (20) are looked for.
        md.preprocessors.register(_Stash(md), "explainer_raw_html", 27)
