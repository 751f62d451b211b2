"""The pruned stylesheets in a real browser: every element of the published pages is styled as
Material's and the site's whole stylesheets style it, in both palettes, search open included.

Each page is loaded twice: as published (pruned stylesheets), and with the browser's requests for
them answered by the originals (Material's as installed, docs/assets/explainer.css), then the
computed styles of every element are compared.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import material
import pytest
from browser_support import ROOT, SCHEMES, Site, open_page

pytestmark = pytest.mark.browser

THEME_CSS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
ORIGINALS = {
    re.compile(r"/assets/stylesheets/main\.[0-9a-f]{8}\.min\.css$"): next(THEME_CSS.glob("main.*.min.css")),
    re.compile(r"/assets/stylesheets/palette\.[0-9a-f]{8}\.min\.css$"): next(THEME_CSS.glob("palette.*.min.css")),
    re.compile(r"/assets/explainer\.[0-9a-f]{8}\.css$"): ROOT / "docs" / "assets" / "explainer.css",
}
# Not margin-left: the header's centred grid has auto margins, whose used value follows the
# page's width, which the search's scroll lock changes depending on when the search opened.
PROPERTIES = (
    "display position visibility opacity color background-color background-image font-family font-size "
    "font-weight line-height margin-top padding-top padding-left border-top-width "
    "border-top-color border-left-color border-left-width width height box-shadow transform fill stroke "
    "mask-image z-index text-decoration-line overflow-x cursor"
).split()
STYLES = """props => [...document.querySelectorAll("body *")].map(el => {
  const s = getComputedStyle(el), before = getComputedStyle(el, "::before");
  const path = el.tagName + (el.id ? "#" + el.id : "") + "." + [...el.classList].join(".");
  const values = props.map(p => s.getPropertyValue(p));
  return [path, ...values, before.content, before.getPropertyValue("mask-image")].join("|");
})"""
KEY_PARTS = {
    "home": [".md-header", ".md-nav", "input.md-search__input", ".md-footer"],
    "regional-roles": [".md-header", ".map-legend", ".md-nav--secondary"],
    "positions": [".md-typeset table", ".md-nav--primary"],
    "sources": [".md-typeset details", ".md-content"],
}


def serving(path: Path) -> Any:
    """A route handler that answers with the file at `path`."""
    return lambda route: route.fulfill(path=str(path), content_type="text/css")


def styles(page: Any, url: str, originals: bool, search: bool) -> list[str]:
    if originals:
        for pattern, path in ORIGINALS.items():
            page.route(pattern, serving(path))
    open_page(page, url)
    if search:
        page.locator("input.md-search__input").click()
        page.keyboard.type("Iran")
        page.wait_for_selector(".md-search-result__item")
    return settled(page)


def settled(page: Any) -> list[str]:
    """The computed styles once two readings 300 ms apart agree (the theme's transitions are over)."""
    previous = None
    for _ in range(10):
        current = page.evaluate(STYLES, PROPERTIES)
        if current == previous:
            break
        previous = current
        page.wait_for_timeout(300)
    return current


def test_the_site_ships_pruned_stylesheets(site: Site) -> None:
    sheets = site.root / site.latest / "assets" / "stylesheets"
    (main,) = sheets.glob("main.*.min.css")
    original = next(THEME_CSS.glob("main.*.min.css"))
    assert main.name != original.name and main.stat().st_size < 0.8 * original.stat().st_size
    page = (site.root / site.latest / "index.html").read_text(encoding="utf-8")
    assert f"assets/stylesheets/{main.name}" in page and original.name not in page


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("kind", list(KEY_PARTS))
def test_pruned_stylesheets_style_every_element_as_the_whole_ones(site: Site, new_page, kind: str, scheme: str) -> None:
    search = kind == "home"  # the results are drawn by the theme's script, with classes it adds
    pruned_page, whole_page = new_page(scheme), new_page(scheme)
    pruned = styles(pruned_page, site.url(kind), False, search)
    whole = styles(whole_page, site.url(kind), True, search)
    for selector in KEY_PARTS[kind]:
        assert pruned_page.locator(selector).count(), f"{kind}: no {selector} to compare"
    header = pruned_page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert header not in ("rgba(0, 0, 0, 0)", "transparent"), f"{kind}: the header is not styled"
    rules = "[...document.styleSheets].reduce((n, s) => n + s.cssRules.length, 0)"
    assert pruned_page.evaluate(rules) < whole_page.evaluate(rules), "the whole stylesheets were not served"
    assert len(pruned) == len(whole), f"{kind}: the pages differ in elements"
    differ = [(p, w) for p, w in zip(pruned, whole, strict=True) if p != w]
    assert not differ, f"{kind} ({scheme}): {len(differ)} elements styled differently, first: {differ[0]}"
