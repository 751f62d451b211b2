"""The last step of every page: what the theme writes that the HTML standard does not allow.

Material (9.x) marks its drawer and search toggles, two checkboxes, `autocomplete="off"`, which
HTML allows on text-like inputs only; and on a section's index page its table of contents has a
`<label for="__toc">` for a toggle that page does not have. Both are fixed here, in the core, so
`tests/test_reader_html.py` can check them without MkDocs.

Material's script (114 KB) is loaded at the end of the body without `defer`, so a browser that
reaches it while the page's stylesheets are still loading waits for it before drawing the page;
with `defer` the page is drawn first. The script starts on `DOMContentLoaded`, which a deferred
script still precedes, so the theme works as before (`tests/browser` checks its features).
"""

from __future__ import annotations

import re

_CHECKBOX = re.compile(r'<input\b[^>]*\btype="(?:checkbox|radio)"[^>]*>')
_AUTOCOMPLETE = re.compile(r'\s+autocomplete="[^"]*"')
_THEME_SCRIPT = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'


def tidy(page: str) -> str:
    """`page` (a whole HTML document) with the theme's invalid attributes removed, its script deferred."""
    page = _THEME_SCRIPT.sub(r'<script src="\1" defer></script>', page, count=1)
    page = _CHECKBOX.sub(lambda m: _AUTOCOMPLETE.sub("", m.group(0)), page)
    if 'id="__toc"' not in page:
        page = page.replace(_TOC_LABEL, '<label class="md-nav__title">')
    return page
