"""The reader's site in a real browser (issue 12): tables of contents, the pictures (eras, how
positions moved, the region map) with accessible names and working links, folded lists that a
link opens, search that loads only when wanted, and a short home page.

Fixtures are in conftest.py: one `explainer publish` and one Chromium per session.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from browser_support import DESKTOP, NAME_OF, NARROW, Site, open_page, settle

pytestmark = pytest.mark.browser


def toc_links(page: Any) -> list[tuple[str, str]]:
    return page.locator("nav.md-nav--secondary ul[data-md-component=toc] a.md-nav__link").evaluate_all(
        "els => els.map(a => [a.textContent.trim(), a.getAttribute('href')])"
    )


@pytest.mark.parametrize("kind", ["history", "era", "regional-roles", "person", "topic", "sources", "contested"])
def test_long_pages_have_a_table_of_contents(site: Site, new_page, kind: str) -> None:
    """Generated section headings reach the right-hand table of contents, and each entry leads
    to its heading."""
    page = new_page()
    open_page(page, site.url(kind))
    links = toc_links(page)
    assert len(links) >= 2, f"{site.url(kind)}: table of contents has {links}"
    for _, href in links:
        assert href.startswith("#") and page.locator(f"[id='{href[1:]}']").count() == 1, href
    page.locator("nav.md-nav--secondary a.md-nav__link").last.click()
    assert urlsplit(page.url).fragment == links[-1][1][1:]


def test_region_map_names_links_and_keyboard(site: Site, new_page) -> None:
    """The map has a name and a description; each country with a role is a link, reached by
    the keyboard, to a section of the page; its table says the same."""
    page = new_page()
    open_page(page, site.url("regional-roles"))
    svg = page.locator("figure.map-figure svg")
    assert svg.count() == 1
    assert "region" in svg.evaluate(NAME_OF).lower()
    assert svg.locator("desc").count() == 1
    countries = svg.locator("a.map-country")
    assert countries.count() >= 1
    names = countries.evaluate_all("els => els.map(a => a.getAttribute('aria-label'))")
    assert all(":" in n for n in names), names  # "Oman: mediator": the role is in the name
    for href in countries.evaluate_all("els => els.map(a => a.getAttribute('href'))"):
        target = urlsplit(href).fragment
        if href.startswith("#"):
            assert page.locator(f"[id='{target}']").count() == 1, href
    rows = page.locator("table.map-table tbody tr")
    assert rows.count() >= countries.count()
    # The keyboard reaches the first country: tab until it has the focus.
    page.locator("article h1").click()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest && !!document.activeElement.closest('a.map-country')"):
            break
    else:
        pytest.fail("Tab never reaches a country of the map")
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash.length > 1 || !location.pathname.endsWith('regional-roles/')")


@pytest.mark.parametrize("kind", ["topic", "positions"])
def test_position_charts_name_and_link_every_point(site: Site, new_page, kind: str) -> None:
    """Each chart has a name; each point links to a dated, sourced position, which exists."""
    page = new_page()
    open_page(page, site.url(kind))
    charts = page.locator("svg.stance-chart")
    assert charts.count() >= 1
    for n in range(charts.count()):
        assert charts.nth(n).evaluate(NAME_OF), f"chart {n} has no accessible name"
    points = page.locator("svg.stance-chart a.stance-point")
    hrefs = points.evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert hrefs and all("#pos-" in h for h in hrefs), hrefs
    here = site.url(kind)
    first = urljoin(here, hrefs[0])
    if first.split("#")[0] == here:
        for href in hrefs:
            assert page.locator(f"[id='{urlsplit(href).fragment}']").count() == 1, href
    points.first.click()
    page.wait_for_load_state("load")
    target = page.locator(f"[id='{urlsplit(first).fragment}']")
    assert target.count() == 1 and target.is_visible(), f"{first}: the position is not shown"
    assert target.locator("a.cite-ref").count() >= 1, "the position has no citation"


def test_a_link_into_a_folded_list_opens_it(site: Site, new_page) -> None:
    """Sources are folded by letter: following a reference's 'About this source' opens the fold."""
    page = new_page()
    open_page(page, site.url("home"))
    about = page.locator("section.references a.source-page").first
    href = about.get_attribute("href")
    page.goto(urljoin(site.url("home"), href))
    settle(page)
    target = page.locator(f"[id='{urlsplit(href).fragment}']")
    assert target.is_visible(), f"{href}: the source is still folded"


def _requests_of(page: Any, url: str) -> list[str]:
    """Open `url` and wait half a second; the addresses the page has fetched, a list that keeps
    growing as the page fetches more."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    open_page(page, url)
    page.wait_for_timeout(500)
    return fetched


def test_search_loads_only_when_the_reader_reaches_for_it(site: Site, new_page) -> None:
    page = new_page()
    fetched = _requests_of(page, site.url("home"))
    assert not [u for u in fetched if u.endswith("/search/search_index.json")], "the index loads with the page"
    assert not [u for u in fetched if "/workers/search." in u], "the search worker loads with the page"
    with page.expect_response(lambda r: r.url.endswith("/search/search_index.json")):
        page.locator("input.md-search__input").click()


def test_a_page_loads_no_sitemap_and_the_theme_script_after_its_first_paint(site: Site, new_page) -> None:
    """Material fetched sitemap.xml for the feed's link, taken for a language alternate; its
    script waits until the page is painted (explainer.site.tidy)."""
    page = new_page()
    fetched = _requests_of(page, site.url("sources"))
    assert not [u for u in fetched if u.endswith("sitemap.xml")], "a sitemap loads with the page"
    painted, started = page.evaluate(
        """() => [performance.getEntriesByName("first-contentful-paint")[0].startTime,
                  performance.getEntries().find(e => /bundle\\.[0-9a-f]+\\.min\\.js$/.test(e.name)).startTime]"""
    )
    assert started >= painted, f"the theme's script was fetched at {started} ms, before the first paint at {painted} ms"


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "phone"])
def test_home_tells_the_story_in_a_few_screens(site: Site, new_page, viewport: dict[str, int]) -> None:
    """Home: what happened, who wants what, what is contested, what changed, each linking on;
    at most 5 screens on a desktop, and its last section within 20 screens on a phone."""
    page = new_page(viewport=viewport)
    open_page(page, site.url("home"))
    headings = [h.strip() for h in page.locator("article h2").all_inner_texts()]
    for wanted in ("What happened", "Who wants what", "What is contested", "What changed"):
        assert any(h.startswith(wanted) for h in headings), (wanted, headings)
    height = page.evaluate("document.documentElement.scrollHeight")
    last = page.locator("article h2").last.evaluate("h => h.getBoundingClientRect().top + scrollY")
    screens = viewport["height"]
    if viewport is DESKTOP:
        assert height <= 5 * screens, f"home is {height / screens:.1f} screens long"
    assert last <= 20 * screens, f"the last section starts {last / screens:.1f} screens down"


@pytest.mark.parametrize("kind", ["history", "era", "sources", "person", "topic", "contested", "regional-roles"])
def test_no_page_hides_its_last_section_beyond_20_phone_screens(site: Site, new_page, kind: str) -> None:
    page = new_page(viewport=NARROW)
    open_page(page, site.url(kind))
    tops = page.locator("article h2").evaluate_all("hs => hs.map(h => h.getBoundingClientRect().top + scrollY)")
    assert tops, "no section heading"
    assert max(tops) <= 20 * NARROW["height"], f"last section {max(tops) / NARROW['height']:.1f} screens down"


def test_phone_header_shows_the_whole_site_name(site: Site, new_page) -> None:
    page = new_page(viewport=NARROW)
    open_page(page, site.url("home"))
    title = page.locator(".md-header__topic:first-child .md-ellipsis")
    clipped = title.evaluate("e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1")
    assert not clipped, "the site name is cut in the phone header"
