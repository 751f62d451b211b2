"""The time-leak check (issue 11): every edition of the real data, built strictly by MkDocs in
process, names no date after its cut-off in any page's reading text, and every footnote and
reference on a page points to a source that the edition shows.

Left out of the reading text: the banner, the edition selector and the navigation (outside each
page's article), code (syntax examples, not statements), and the pages that document the software
rather than the story (its API reference and its performance measurements)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from explainer import load_facts
from explainer.facts.cut import cut
from explainer.facts.timing import mentions
from site_inputs import ROOT, tree, with_class

REAL = load_facts(ROOT / "data", cache=False).facts
EDITIONS = [e.id for e in REAL.editions]
ENGINE_PAGES = ("contribute/api", "performance")
"""Pages about the software: the API reference's docstrings and the benchmark's run dates."""
NOT_READ_TAGS = frozenset({"pre", "code", "script", "style"})
NOT_READ_CLASSES = frozenset({"edition-banner", "md-source-file"})
"""Left out of the reading text: code, and the banner and source-file note inside the article."""


def pages(site: Path) -> dict[str, lxml.html.HtmlElement]:
    found = {}
    for path in sorted(site.rglob("index.html")):
        url = path.parent.relative_to(site).as_posix()
        if not any(url == engine or url.startswith(f"{engine}/") for engine in ENGINE_PAGES):
            found[url] = tree(path)
    return found


def not_read(element: lxml.html.HtmlElement) -> bool:
    return element.tag in NOT_READ_TAGS or not NOT_READ_CLASSES.isdisjoint(element.classes)


def _texts(element: lxml.html.HtmlElement) -> Iterator[str]:
    """The text inside `element`, but not inside its NOT_READ descendants (their tails are read)."""
    yield element.text or ""
    for child in element:
        if isinstance(child.tag, str) and not not_read(child):
            yield from _texts(child)
        yield child.tail or ""


def reading_text(doc: lxml.html.HtmlElement) -> str:
    """The article's text without the NOT_READ elements, words joined by single spaces."""
    article = next(doc.iter("article"), None)
    if article is None:
        return ""
    return " ".join(" ".join(_texts(article)).split())


def ids(doc: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [str(value) for value in doc.xpath(xpath)]


def of_class(tag: str, name: str) -> str:
    """XPath 1.0 (lxml's) for the CSS selector `tag.name`."""
    return f"//{tag}[{with_class(name)}]"


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_page_names_a_date_after_the_cutoff(edition: str, real_edition) -> None:
    site = real_edition(edition)
    cutoff = REAL.edition(edition).cutoff.end
    texts = {url: reading_text(doc) for url, doc in pages(site).items()}
    leaks = [
        f"{url or 'home'}: {m.words!r} in …{text[max(0, text.find(m.words) - 80) : text.find(m.words) + 40]}…"
        for url, text in texts.items()
        for m in mentions(text, cutoff.year)
        if m.after(cutoff)
    ]
    assert leaks == [], "\n".join(leaks[:20])
    assert all(texts.values()), [url for url, text in texts.items() if not text]  # every page is read


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_footnote_points_to_a_source_the_edition_shows(edition: str, real_edition) -> None:
    site = real_edition(edition)
    shown = set(cut(REAL, REAL.edition(edition).cutoff.end).sources)
    listed = set(ids(tree(site / "sources" / "index.html"), of_class("ul", "source-list") + "/li/@id"))
    assert listed == shown
    problems, footnotes = [], 0
    for url, doc in pages(site).items():
        notes = {i.removeprefix("ref-") for i in ids(doc, of_class("ol", "reference-list") + "/li/@id")}
        problems += [f"{url}: reference {sid}" for sid in notes - shown]
        for href in ids(doc, of_class("a", "cite-ref") + "/@href"):
            footnotes += 1
            sid = href.removeprefix("#ref-")
            if sid not in notes or sid not in shown:
                problems.append(f"{url}: footnote {sid}")
        for href in ids(doc, of_class("a", "source-page") + "/@href"):
            sid = href.rpartition("#")[2]
            if sid not in shown:
                problems.append(f"{url}: source link {sid}")
    assert problems == [], "\n".join(problems[:20])
    assert footnotes, "no footnote found: the pages no longer mark them as this test reads them"
