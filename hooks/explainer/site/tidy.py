"""The last step of every page: what the theme writes that the HTML standard does not allow.

Material (9.x) marks its drawer and search toggles, two checkboxes, `autocomplete="off"`, which
HTML allows on text-like inputs only; and on a section's index page its table of contents has a
`<label for="__toc">` for a toggle that page does not have. Both are fixed here, in the core, so
`tests/test_reader_html.py` can check them without MkDocs.
"""

from __future__ import annotations

import re

_CHECKBOX = re.compile(r'<input\b[^>]*\btype="(?:checkbox|radio)"[^>]*>')
_AUTOCOMPLETE = re.compile(r'\s+autocomplete="[^"]*"')
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'


def tidy(page: str) -> str:
    """`page` (a whole HTML document) with the theme's invalid attributes removed."""
    page = _CHECKBOX.sub(lambda m: _AUTOCOMPLETE.sub("", m.group(0)), page)
    if 'id="__toc"' not in page:
        page = page.replace(_TOC_LABEL, '<label class="md-nav__title">')
    return page
