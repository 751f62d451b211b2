"""The last step of every page: what the theme writes that the HTML standard does not allow, and
when the theme's script loads.

Material (9.x) marks its drawer and search toggles, two checkboxes, `autocomplete="off"`, which
HTML allows on text-like inputs only; and on a section's index page its table of contents has a
`<label for="__toc">` for a toggle that page does not have. Both are fixed here, in the core, so
`tests/test_reader_html.py` can check them without MkDocs.

Material's script (114 KB) is loaded at the end of the body, and a browser runs it before it
first draws the page whenever it has arrived by then: on a slow connection the page waits for
it, and fetching it slows the stylesheets the page does need. Here it is fetched once the page
has been painted (`LATER`). The theme starts on `DOMContentLoaded`, which has fired by then, so
the event is sent again once the script has run; nothing else in the site listens for it. The
`js` class, which shows the search box and the header's search button, is set at once, as the
theme would, so nothing moves when the script arrives. `tests/browser` checks the theme's
features (search, edition selector, palette, tables of contents) with the script loaded so.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

from .markup import html

_CHECKBOX = re.compile(r'<input\b[^>]*\btype="(?:checkbox|radio)"[^>]*>')
_AUTOCOMPLETE = re.compile(r'\s+autocomplete="[^"]*"')
_THEME_SCRIPT = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'
_KEPT = re.compile(r"<(pre|code|textarea|script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
"""Elements whose whitespace counts (`.md-typeset code` is `white-space: pre-wrap`)."""
_TEXT = re.compile(r">([^<\n]*\n[^<]*)<")
"""Text between two tags that holds a line break."""
_INDENT = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")
LATER = Markup(
    "(function (me) {"
    " var root = document.documentElement;"
    ' root.classList.remove("no-js"); root.classList.add("js");'
    " function start() {"
    '  var script = document.createElement("script");'
    '  script.src = me.getAttribute("data-theme-script");'
    "  script.onload = function () {"
    '   if (document.readyState !== "loading") document.dispatchEvent(new Event("DOMContentLoaded"));'
    "  };"
    "  document.body.appendChild(script);"
    " }"
    " function painted(list, observer) {"
    '  if (!list.getEntriesByName("first-contentful-paint").length) return;'
    "  observer.disconnect(); setTimeout(start, 0);"
    " }"
    " var paints = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];"
    ' if (document.visibilityState === "hidden" || paints.indexOf("paint") < 0) start();'
    ' else new PerformanceObserver(painted).observe({ type: "paint", buffered: true });'
    "})(document.currentScript);"
)
"""Fetch the theme's script (named by the element's `data-theme-script`) once the browser reports
the page's first contentful paint (at once in a hidden tab, which paints nothing, or a browser
that does not report paints), and start it."""


def tidy(page: str) -> str:
    """`page` (a whole HTML document) with the theme's invalid attributes removed and its script
    loaded once the page is drawn."""
    bundle = page.rfind("assets/javascripts/bundle.")  # the theme's script, at the end of the page
    start = page.rfind('<script src="', 0, bundle) if bundle >= 0 else -1
    if start >= 0:
        page = page[:start] + _THEME_SCRIPT.sub(_fetched_later, page[start:], 1)
    page = _without_autocomplete(page)
    if 'id="__toc"' not in page:
        page = page.replace(_TOC_LABEL, '<label class="md-nav__title">')
    return page


def _fetched_later(script: re.Match[str]) -> str:
    return html('<script data-theme-script="{}">{}</script>', script.group(1), LATER)


def _without_autocomplete(page: str) -> str:
    """`page` with `autocomplete` removed from its checkboxes and radio buttons: each tag holding
    the attribute (a page has a few) is found by it, not by reading every tag of the page."""
    parts, last, at = [], 0, page.find("autocomplete=")
    while at >= 0:
        start, end = page.rfind("<", 0, at), page.find(">", at)
        tag = _CHECKBOX.fullmatch(page, start, end + 1) if start >= 0 and end >= 0 else None
        if tag is not None and start >= last:
            parts += [page[last:start], _AUTOCOMPLETE.sub("", tag.group(0))]
            last = end + 1
        at = page.find("autocomplete=", max(at + 1, last))
    return "".join([*parts, page[last:]]) if parts else page


def compact_site(site_dir: Path) -> None:
    """Cut the indentation of every page of a built site (`compact`), in place: what readers get.
    Previews (`mkdocs serve`, `build`) keep it, and the 50 ms a build it costs."""
    for path in sorted(site_dir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if (cut := compact(text)) != text:
            path.write_text(cut, encoding="utf-8")


def compact(page: str) -> str:
    """`page` with each run of whitespace that holds a line break, in text outside `<pre>`,
    `<code>`, `<textarea>`, `<script>` and `<style>`, cut to that line break: the theme's templates
    indent their markup (5–7 KB a page), and a browser draws such a run as one space either way."""
    parts, last = [], 0
    for kept in _KEPT.finditer(page):
        parts += [_unindented(page[last : kept.start()]), kept.group(0)]
        last = kept.end()
    parts.append(_unindented(page[last:]))
    return "".join(parts)


def _unindented(markup: str) -> str:
    """`markup`, which begins and ends between two elements, with its text's indentation cut."""
    return _TEXT.sub(_unindent, f">{markup}<")[1:-1]


def _unindent(text: re.Match[str]) -> str:
    return ">" + _INDENT.sub("\n", text.group(1)) + "<"
