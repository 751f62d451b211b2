"""The published site in a real browser: search, edition selector, palette, timeline and matrix,
narrow screens, console errors, third-party requests, accessibility (axe-core) and screenshots.

Fixtures are in conftest.py: one `explainer publish` and one Chromium per session.
"""

from __future__ import annotations

import re
import struct
import zlib
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from browser_support import AXE_JS, AXE_RUN, DESKTOP, NARROW, PAGE_TYPES, SCHEMES, SCREENSHOTS, Site, open_page, settle
from explainer.facts.dates import FuzzyDate

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")


def axe_report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:8]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def run_axe(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return [v for v in page.evaluate(AXE_RUN) if v["impact"] in BLOCKING]


# -- per page type and palette ---------------------------------------------------------------

every_page = pytest.mark.parametrize("kind", PAGE_TYPES)
every_scheme = pytest.mark.parametrize("scheme", list(SCHEMES))


@every_scheme
@every_page
def test_no_console_errors(visit, kind: str, scheme: str) -> None:
    seen = visit(kind, scheme)
    assert not seen.console_errors, f"{seen.url}:\n" + "\n".join(seen.console_errors)
    assert not seen.bad_responses, f"{seen.url}: failed requests:\n" + "\n".join(seen.bad_responses)


@every_scheme
@every_page
def test_no_third_party_requests(site: Site, visit, kind: str, scheme: str) -> None:
    seen = visit(kind, scheme)
    here = urlsplit(site.base_url).netloc
    foreign = [
        u for u in seen.requests if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).netloc != here
    ]
    assert seen.requests, f"{seen.url}: no requests recorded at all"
    assert not foreign, f"{seen.url} requested other hosts:\n" + "\n".join(foreign)


@every_scheme
@every_page
def test_accessibility(visit, kind: str, scheme: str) -> None:
    seen = visit(kind, scheme)
    blocking = [v for v in seen.violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe on {seen.url} ({scheme}):\n{axe_report(blocking)}"


@every_scheme
@every_page
def test_screenshot(visit, kind: str, scheme: str) -> None:
    """The screenshot is a whole page at the desktop width, and not a blank one."""
    seen = visit(kind, scheme)
    width, height, pixels = png_rows(seen.screenshot.read_bytes())
    assert width == DESKTOP["width"] and height >= DESKTOP["height"], (seen.screenshot, width, height)
    assert len(set(pixels[:: max(1, len(pixels) // 4000)])) > 16, f"{seen.screenshot} is a blank page"


def png_rows(data: bytes) -> tuple[int, int, bytes]:
    """A PNG's width, height and decompressed scanlines (read with the standard library)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, idat, width, height = 8, b"", 0, 0
    while at < len(data):
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        body = data[at + 8 : at + 8 + size]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        at += 12 + size
    return width, height, zlib.decompress(idat)


# -- every coloured component, whatever the data holds -------------------------------------

STANCES = {"demands": "▲ Demands", "rejects": "✕ Rejects", "conditional": "◐ Conditional", "unclear": "? Unclear"}
GALLERY = (
    '<section id="contrast-gallery"><h2>Components</h2>'
    '<div class="scroll-box"><table class="positions-matrix"><tbody><tr><th scope="row">Topic</th>'
    + "".join(
        f'<td class="stance-cell stance-{k}"><span class="stance stance-{k}">{label}</span> A position.'
        f' <span class="as-of">as of 1 March 2026</span> <span class="source-flag">state media</span></td>'
        for k, label in STANCES.items()
    )
    + "</tr></tbody></table></div>"
    + '<ul class="stance-legend">'
    + "".join(f'<li><span class="stance stance-{k}">{label}</span>: meaning</li>' for k, label in STANCES.items())
    + "</ul><p>"
    '<span class="badge badge-unverified">Wording not confirmed</span> '
    '<span class="badge badge-status">postponed</span> '
    '<span class="badge badge-correction">Corrected 2 March 2026: date fixed</span> '
    '<span class="badge badge-role">mediator</span></p>'
    '<p><span class="event-place">Muscat</span> <span class="actor-kind">person</span> '
    '<span class="quote-meta">6 February 2026, to reporters.</span> <span class="source-note">A note.</span> '
    '<span class="era-dates">1979 – 2012</span></p>'
    '<ol class="era-list">'
    + "".join(
        f'<li class="era-tone-{n}"><span class="era-number">{n + 1}</span> <a href="#contrast-gallery">Era {n}</a> '
        f'<span class="as-of">2013 – 2017, 5 events</span></li>'
        for n in range(6)
    )
    + "</ol></section>"
)
OLD_BANNER = (
    '<p class="edition-banner" role="note">You are reading the edition of <strong>6 February 2026</strong>'
    ' (Talks open): later facts are not shown. <a href="#">Read the latest edition</a>.</p>'
)
AXE_COLOURS = """async () => {
  const result = await axe.run(
    { include: [["#contrast-gallery"], [".md-banner"]] },
    { runOnly: { type: "rule", values: ["color-contrast", "link-in-text-block"] } },
  );
  const pack = list => list.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({ target: n.target.join(" "), summary: n.failureSummary || "cannot tell" })),
  }));
  const checked = result.passes.concat(result.violations).reduce((n, v) => n + v.nodes.length, 0);
  return { violations: pack(result.violations), incomplete: pack(result.incomplete), checked };
}"""


@every_scheme
def test_every_coloured_component_passes_contrast(site: Site, new_page, scheme: str) -> None:
    """Stances, badges, era tones, muted text and the older-edition banner link, in each palette,
    whether or not the data happens to use them all."""
    page = new_page(scheme)
    open_page(page, site.url("positions"))
    page.evaluate(
        """([gallery, banner]) => {
          document.querySelector("article.md-content__inner").insertAdjacentHTML("beforeend", gallery);
          document.querySelector(".md-banner__inner").insertAdjacentHTML("beforeend", banner);
        }""",
        [GALLERY, OLD_BANNER],
    )
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(AXE_COLOURS)
    assert result["checked"] >= 30, f"axe checked only {result['checked']} elements"
    assert not result["violations"], f"contrast ({scheme}):\n{axe_report(result['violations'])}"
    assert not result["incomplete"], (
        f"axe could not tell the contrast of ({scheme}):\n{axe_report(result['incomplete'])}"
    )
    page.locator("#contrast-gallery").screenshot(path=str(SCREENSHOTS / f"components-{scheme}.png"))


# -- search ----------------------------------------------------------------------------------


@every_scheme
def test_search_finds_a_fact(site: Site, new_page, scheme: str) -> None:
    term = site.data.search_term
    page = new_page(scheme)
    open_page(page, site.url("home"))
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(term, delay=30)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible")
    assert results.count() >= 1
    first = results.first.inner_text()
    assert term.lower() in first.lower(), f"first result for {term!r} does not mention it:\n{first}"
    # The open dialog, with results, must be accessible too (name, contrast) in both palettes.
    blocking = run_axe(page)
    assert not blocking, f"axe with the search dialog open ({scheme}):\n{axe_report(blocking)}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"search-{scheme}.png"))
    # Following the result leads to a page that mentions the term.
    results.first.locator("a").first.click()
    page.wait_for_load_state("load")
    assert term.lower() in page.locator("article").inner_text().lower()


# -- edition selector ------------------------------------------------------------------------


def test_version_selector_lists_editions_and_keeps_the_page(site: Site, new_page) -> None:
    page = new_page()
    open_page(page, site.url("positions"))
    current = page.locator(".md-version__current")
    latest_title = next(v["title"] for v in site.versions if v["version"] == site.latest)
    assert current.inner_text().strip() == latest_title

    listed = [t.strip() for t in page.locator(".md-version__link").all_inner_texts()]
    published = [v["title"] for v in site.versions]
    # each edition is named with its date, so a reader sees when each one stands
    edition_titles = {f"{FuzzyDate.parse(e['cutoff']).human()}: {e['title']}" for e in site.facts["editions"]}
    assert listed == published, f"selector lists {listed}, versions.json has {published}"
    assert set(listed) == edition_titles, f"selector lists {listed}, the data's editions {edition_titles}"

    others = [v for v in site.versions if v["version"] != site.latest]
    if not others:  # a single edition: nothing to switch to, but the selector still names it
        return
    target = others[0]
    page.locator(".md-version").hover()
    page.locator(".md-version__link", has_text=target["title"]).click()
    wanted = f"{site.base_url}{target['version']}/{site.paths['positions']}"
    try:
        page.wait_for_url(re.compile(r"/" + re.escape(target["version"]) + r"/"), timeout=10_000)
        page.wait_for_load_state("load")
    finally:
        landed = page.url
    sitemap = (site.root / target["version"] / "sitemap.xml").read_text(encoding="utf-8")
    why = (
        ""
        if "<loc>" in sitemap
        else " (the edition's sitemap.xml lists no pages because mkdocs.yml sets no site_url, and"
        " Material's selector keeps the page only when the target edition's sitemap lists it)"
    )
    assert landed == wanted, (
        f"switching to edition {target['version']} from {site.paths['positions']} landed on "
        f"{landed}, not the same page {wanted}{why}"
    )
    settle(page)
    assert page.locator(".md-version__current").inner_text().strip() == target["title"]
    assert page.locator("table.positions-matrix").count() == 1


# -- palette ---------------------------------------------------------------------------------


def test_palette_toggle_switches_light_and_dark(site: Site, new_page) -> None:
    page = new_page("light")
    open_page(page, site.url("home"))

    def scheme() -> str:
        return page.evaluate("document.body.getAttribute('data-md-color-scheme')")

    def background() -> str:
        return page.evaluate("getComputedStyle(document.body).backgroundColor")

    toggle = page.locator("form[data-md-component=palette] label.md-header__button:visible")
    assert scheme() == "default"
    light_bg = background()
    toggle.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert background() != light_bg, "the dark palette did not change the page background"
    page.reload()
    settle(page)
    assert scheme() == "slate", "the chosen palette was not kept across a reload"
    toggle.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert background() == light_bg


# -- timeline and positions matrix -----------------------------------------------------------


def test_history_outline_leads_to_every_era_and_event(site: Site, new_page) -> None:
    """History shows the eras' picture and list, one mark and one link per era page; the era
    pages together list every event of the edition."""
    page = new_page()
    open_page(page, site.url("history"))
    marks = page.locator("figure.era-chart svg a")
    links = page.locator("ol.era-list > li a")
    assert marks.count() >= 1, "no eras' picture"
    assert marks.count() == links.count(), "the picture and the list name different eras"
    hrefs = [links.nth(n).get_attribute("href") for n in range(links.count())]
    counted = 0
    for href in hrefs:
        page.goto(urljoin(site.url("history"), href))
        settle(page)
        counted += page.locator("article div.event").count()
    assert counted == len(site.facts["events"]), "the era pages do not list every event"
    # A mark in the picture is a link to its era's page.
    open_page(page, site.url("history"))
    page.locator("figure.era-chart svg a").first.click()
    page.wait_for_load_state("load")
    assert page.url.rstrip("/").endswith(hrefs[0].rstrip("/").split("/")[-1])


def test_positions_matrix_renders(site: Site, new_page) -> None:
    page = new_page()
    open_page(page, site.url("positions"))
    matrix = page.locator("table.positions-matrix")
    assert matrix.count() == 1 and matrix.is_visible()
    rows = matrix.locator("tbody > tr")
    assert rows.count() == len(site.facts["topics"]), "one row per topic"
    parties = [a for a in site.facts["actors"] if a.get("party")]
    assert matrix.locator("thead th").count() == len(parties) + 1, "one column per party"
    assert matrix.locator("td.stance-cell .stance").count() >= 1, "no stance shown"


# -- narrow screens --------------------------------------------------------------------------

NO_SIDEWAYS = "document.scrollingElement.scrollWidth <= window.innerWidth"


@every_page
def test_narrow_viewport_has_no_sideways_scroll(visit, kind: str) -> None:
    seen = visit(kind, "light")
    assert seen.narrow is not None
    width, inner, wide = seen.narrow
    assert width <= inner, f"{seen.url} scrolls sideways at 375px: scroll width {width} > {inner}; too wide: {wide}"


def test_matrix_reflows_on_a_phone(site: Site, new_page) -> None:
    """At 375px each topic becomes a block and each cell names its party: nothing scrolls."""
    page = new_page(viewport=NARROW)
    open_page(page, site.url("positions"))
    table = page.locator("table.positions-matrix").first
    assert table.is_visible()
    width, screen = table.evaluate("t => [t.getBoundingClientRect().width, window.innerWidth]")
    assert width <= screen, f"the matrix is {width}px wide on a {screen}px screen"
    label = page.locator("table.positions-matrix td[data-party]").first.evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    party = page.locator("table.positions-matrix td[data-party]").first.get_attribute("data-party")
    assert party and party in label, f"cells are not labelled with their party: {label!r}"
    assert page.evaluate(NO_SIDEWAYS), "the page itself scrolls sideways"


def test_every_era_is_within_reach_on_a_phone(site: Site, new_page) -> None:
    """At 375px every era's mark and link sits on screen: nothing to scroll sideways to find."""
    page = new_page(viewport=NARROW)
    open_page(page, site.url("history"))
    for selector in ("figure.era-chart svg a", "ol.era-list > li a"):
        boxes = page.locator(selector).evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.width]; })"
        )
        assert boxes, f"no {selector}"
        for left, right, width in boxes:
            assert width > 0 and left >= 0 and right <= NARROW["width"] + 0.5, (selector, left, right)
    assert page.evaluate(NO_SIDEWAYS), "the page itself scrolls sideways"
