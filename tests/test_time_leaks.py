"""The time-leak check (issue 11): every edition of the real data, built strictly by MkDocs in
process, names no date after its cut-off in any page's reading text, and every footnote and
reference on a page points to a source that the edition shows.

Left out of the reading text: the banner, the edition selector and the navigation (outside each
page's article), code (syntax examples, not statements), and the pages that document the software
rather than the story (its API reference and its performance measurements)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from explainer import load_facts
from explainer.facts.cut import cut
from explainer.facts.timing import mentions
from site_inputs import ROOT, parse

REAL = load_facts(ROOT / "data", cache=False).facts
EDITIONS = [e.id for e in REAL.editions]
ENGINE_PAGES = ("contribute/api", "performance")
"""Pages about the software: the API reference's docstrings and the benchmark's run dates."""


def pages(site: Path) -> dict[str, BeautifulSoup]:
    found = {}
    for path in sorted(site.rglob("index.html")):
        url = path.parent.relative_to(site).as_posix()
        if not any(url == engine or url.startswith(f"{engine}/") for engine in ENGINE_PAGES):
            found[url] = parse(path)
    return found


NOT_READ = "pre, code, script, style, .edition-banner, .md-source-file"


def reading_text(doc: BeautifulSoup) -> str:
    """The article's text without the NOT_READ elements (the shared parsed page is left as it is)."""
    article = doc.select_one("article")
    if article is None:
        return ""
    skipped = {id(node) for element in article.select(NOT_READ) for node in element.descendants}
    words = (text.strip() for text in article.strings if id(text) not in skipped)
    return " ".join(word for word in words if word)


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_page_names_a_date_after_the_cutoff(edition: str, real_edition) -> None:
    site = real_edition(edition)
    cutoff = REAL.edition(edition).cutoff.end
    leaks = [
        f"{url or 'home'}: {m.words!r} in …{text[max(0, text.find(m.words) - 80) : text.find(m.words) + 40]}…"
        for url, doc in pages(site).items()
        for text in [reading_text(doc)]
        for m in mentions(text, cutoff.year)
        if m.after(cutoff)
    ]
    assert leaks == [], "\n".join(leaks[:20])


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_footnote_points_to_a_source_the_edition_shows(edition: str, real_edition) -> None:
    site = real_edition(edition)
    shown = set(cut(REAL, REAL.edition(edition).cutoff.end).sources)
    listed = {li["id"] for li in parse(site / "sources" / "index.html").select("ul.source-list > li[id]")}
    assert listed == shown
    problems = []
    for url, doc in pages(site).items():
        notes = {li["id"].removeprefix("ref-") for li in doc.select("ol.reference-list > li[id]")}
        problems += [f"{url}: reference {sid}" for sid in notes - shown]
        for link in doc.select("a.cite-ref"):
            sid = link["href"].removeprefix("#ref-")
            if sid not in notes or sid not in shown:
                problems.append(f"{url}: footnote {sid}")
        for link in doc.select("a.source-page"):
            sid = link["href"].rpartition("#")[2]
            if sid not in shown:
                problems.append(f"{url}: source link {sid}")
    assert problems == [], "\n".join(problems[:20])
