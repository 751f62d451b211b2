"""The engine's HTML, handed to Markdown as raw blocks it need not parse.

Python-Markdown finds raw HTML in a page by running an HTML parser over all of its text; on the
site's generated pages, which are mostly HTML the engine wrote, that was a fifth of a build. The
HTML is the engine's own (escaped by construction, `markup`), so `fence` puts each block of it
between two marker lines, and `RawHtml`, a Markdown extension the MkDocs hooks add, stores what
lies between them in Markdown's stash unparsed, as Markdown's own raw-HTML step would have.
Markdown's headings (`markup.md_heading`) stay outside the markers and reach the table of
contents. `unfence` takes the markers out for a host without the extension (`explainer render`).

The markers carry a token drawn when the engine is imported, so a page cannot write them.
"""

from __future__ import annotations

import re
import secrets

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
                out += ["", self.md.htmlStash.store("\n".join(block)), ""]
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
