"""Whole-site builds: `mkdocs build --strict` of the fixture site (tests/fixtures/data) and, when
data/ holds data, of the real site; then the built HTML, parsed, page type by page type.

Each build copies the site's inputs (mkdocs.yml, docs/, overrides/, the hook files) into a
temporary folder beside a data folder and runs MkDocs in process; a site with the same inputs is
built once per test run (see site_inputs.built_site).
"""

from __future__ import annotations

import importlib.util
import json
import posixpath
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
import yaml
from site_inputs import build_site, built_site, copy_site, page, tree, with_class

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
REAL_DATA = ROOT / "data"

pytestmark = pytest.mark.slow


# -- building -----------------------------------------------------------------------------------


def make_site(dest: Path, data: Path) -> Path:
    """A buildable copy of the site at `dest`, with `data` as its data/ folder."""
    return copy_site(dest, data)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, latest edition, built once per test run."""
    root = make_site(tmp_path_factory.mktemp("fixture-site"), FIXTURE_DATA)
    return built_site(root)


@pytest.fixture(scope="module")
def fixture_facts():
    from explainer.facts.load import load_facts
    from explainer.site.build import SiteBuild

    return SiteBuild.for_edition(load_facts(FIXTURE_DATA, cache=False).facts).facts


# -- reading the built site ---------------------------------------------------------------------


def pages(site: Path) -> dict[str, lxml.html.HtmlElement]:
    """Every page of the site by URL ('' for home), parsed by lxml (`site_inputs.tree`), for the
    scans of every page, which BeautifulSoup's tree would make several times as long; 404.html
    is not a page."""
    return {
        p.parent.relative_to(site).as_posix().removeprefix(".") + ("/" if p.parent != site else ""): tree(p)
        for p in sorted(site.rglob("index.html"))
    }


def page_tree(site: Path, url: str) -> lxml.html.HtmlElement:
    """The page at directory-style `url`, parsed by lxml."""
    return tree(site / url / "index.html")


def resolve(page_url: str, href: str) -> tuple[str, str]:
    """(site path, fragment) of a relative link on the page at `page_url`."""
    parts = urlsplit(href)
    target = posixpath.normpath(posixpath.join(page_url or ".", unquote(parts.path) or "."))
    target = "" if target == "." else target
    return target, parts.fragment


def nav_urls(site: Path, url: str) -> set[str]:
    """Site URLs that Material's primary navigation links to, as seen from the page at `url`."""
    doc = page(site, url)
    found = set()
    for a in doc.select("nav.md-nav--primary a.md-nav__link[href]"):
        target, _ = resolve(url, a["href"])
        found.add(target + "/" if target else "")
    return found


def ld_graph(doc: lxml.html.HtmlElement) -> list[dict]:
    scripts = doc.xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 1, f"{len(scripts)} JSON-LD blocks"
    data = json.loads(scripts[0].text)
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc) or url.startswith("//")


def data_urls(data_dir: Path) -> set[str]:
    urls = set()
    for path in data_dir.rglob("*.y*ml"):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for source in content.get("sources", []) or []:
            urls.update(u for u in (source.get("url"), source.get("archive_url")) if u)
    return urls


# -- the fixture site: positions matrix ---------------------------------------------------------


def test_positions_matrix_cells_cite_sources_in_the_reference_list(fixture_site: Path) -> None:
    doc = page(fixture_site, "positions")
    table = doc.select_one("table.positions-matrix")
    assert table is not None
    assert table.caption is not None and table.caption.get_text(strip=True)
    head = table.select("thead th")
    assert head and all(th.get("scope") == "col" for th in head)
    rows = table.select("tbody th")
    assert rows and all(th.get("scope") == "row" for th in rows)
    filled = [td for td in table.select("tbody td") if "stance-none" not in td.get("class", [])]
    assert filled, "no filled cell"
    references = {li["id"] for li in doc.select("section.references li[id]")}
    for cell in filled:
        marks = cell.select("a.cite-ref")
        assert marks, f"cell without a citation: {cell.get_text(' ', strip=True)}"
        for mark in marks:
            assert mark["href"].startswith("#ref-")
            assert mark["href"][1:] in references


def test_positions_matrix_shows_each_partys_latest_position(fixture_site: Path) -> None:
    table = page(fixture_site, "positions").select_one("table.positions-matrix")
    assert [th.get_text(strip=True) for th in table.select("thead th")] == ["Topic", "Party A", "Party B"]
    enrichment = table.select("tbody tr")[0]
    assert enrichment.th.get_text(strip=True) == "Enrichment"
    party_a, party_b = enrichment.select("td")
    assert "stance-conditional" in party_a["class"] and "token programme" in party_a.get_text()
    assert "stance-rejects" in party_b["class"]


def test_every_citation_on_every_page_resolves(fixture_site: Path) -> None:
    for url, doc in pages(fixture_site).items():
        references = set(doc.xpath(f"//section[{with_class('references')}]//li/@id"))
        for href in doc.xpath(f"//a[{with_class('cite-ref')}]/@href"):
            assert href[1:] in references, f"{url}: {href} not in the reference list"


# -- generated pages ----------------------------------------------------------------------------


def era_urls(facts) -> list[str]:
    """The page of each era that holds events: history/<era>/."""
    return [
        f"history/{e.id}/"
        for e in facts.eras
        if any(e.start.start <= ev.date.start <= e.end.end for ev in facts.events)
    ]


def generated_urls(facts) -> list[str]:
    return (
        ["what-changed/"]
        + era_urls(facts)
        + [f"topics/{t.id}/" for t in facts.topics]
        + [f"people/{a}/" for a in facts.actors]
        + [f"contested/{c.id}/" for c in facts.contested]
    )


SECTION_OF = {"topics/": "positions/", "people/": "people/", "contested/": "contested/", "history/": "history/"}
UNSEARCHED = {"what-changed/"}
"""Generated pages kept out of the search index: they repeat what other pages index."""


def section_index(url: str) -> str:
    """The URL of the nav section a generated page joins ('' for the top level)."""
    return next((index for folder, index in SECTION_OF.items() if url.startswith(folder)), "")


def test_generated_pages_exist_in_nav_and_in_search(fixture_site: Path, fixture_facts) -> None:
    expected = generated_urls(fixture_facts)
    assert "people/envoy-a/" in expected and "contested/cp-direct-or-indirect/" in expected
    index = json.loads((fixture_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    searchable = {doc["location"].split("#")[0] for doc in index["docs"]}
    for url in expected:
        assert (fixture_site / url / "index.html").is_file(), f"{url} was not built"
        section = section_index(url)
        # Actor pages sit in groups by kind (collapsed on the section's page): look from a
        # sibling, which has the group open.
        where = url if url.startswith("people/") else section
        assert url in nav_urls(fixture_site, where), f"{url} is not in the nav of {where or 'home'}"
        assert (url in searchable) != (url in UNSEARCHED), f"{url}: in the search index, or not, wrongly"


def test_generated_pages_sit_in_their_nav_section(fixture_site: Path, fixture_facts) -> None:
    """On its own page, a generated page is the active nav link, inside its section: topics
    under Positions, actors under People, contested points under Contested."""
    for url in generated_urls(fixture_facts):
        nav = page(fixture_site, url).select_one("nav.md-nav--primary")
        active = nav.select("a.md-nav__link--active[href]")
        assert len(active) == 1, url
        assert resolve(url, active[0]["href"])[0] + "/" == url
        section = section_index(url)
        parent = active[0].find_parent("li", class_="md-nav__item--nested")
        if not section:
            assert parent is None, f"{url} should be at the top level of the nav"
            continue
        assert parent is not None, f"{url} is not inside a nav section"
        sections = []  # the index pages of every section enclosing the page (groups have none)
        while parent is not None:
            index_link = parent.select_one("a.md-nav__link[href]")
            if index_link is not None:
                sections.append(resolve(url, index_link["href"])[0] + "/")
            parent = parent.find_parent("li", class_="md-nav__item--nested")
        assert section in sections, (url, sections)


# -- escaping, JSON-LD, third parties -----------------------------------------------------------


def test_script_in_data_is_shown_as_text(fixture_site: Path) -> None:
    payload = "<script>alert('x')</script>"
    for url, doc in pages(fixture_site).items():
        for script in doc.iter("script"):
            if script.get("type") == "application/ld+json":
                assert "<" not in script.text, f"{url}: raw '<' inside JSON-LD"
            else:
                assert "alert('x')" not in (script.text or ""), f"{url}: data became a script"
    item = page(fixture_site, "history/talks").select_one("h2#evt-2026-02-06-round-1 + div.event")
    assert payload in item.get_text()
    texts = [s for s in item.find_all(string=True) if "<script>" in s]
    assert texts, "the <script> from data is not in a text node"


def test_the_engines_html_reaches_pages_without_its_fences(fixture_site: Path) -> None:
    """The hooks give Markdown the extension that takes the fences out, and search reads pages
    without what it leaves out, then gives them back without the marks (explainer.site.raw)."""
    built = {
        p.relative_to(fixture_site).as_posix(): p.read_text(encoding="utf-8") for p in fixture_site.rglob("*.html")
    }
    assert [path for path, html in built.items() if "<!--explainer-" in html] == []  # as markup, not as text
    index = json.loads((fixture_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["docs"], "nothing was indexed"
    hidden = [d["location"] for d in index["docs"] if d["location"].endswith("#references-heading")]
    assert hidden == [], "an entry for a heading that search leaves out, with no text of its own"
    assert page(fixture_site, "positions").select_one("table.positions-matrix") is not None


def test_markup_in_a_source_title_is_text(fixture_site: Path) -> None:
    doc = page(fixture_site, "positions")
    entry = doc.select_one("li#ref-src-paper-2026-02-17")
    assert entry.find("b") is None
    assert "Second round <b>held</b>" in entry.get_text()
    mark = doc.select_one('a.cite-ref[href="#ref-src-paper-2026-02-17"]')
    assert mark["title"] == "Example Paper (Example Wire), Second round <b>held</b>"


def test_json_ld_on_every_page(fixture_site: Path) -> None:
    all_pages = pages(fixture_site)
    assert len(all_pages) >= 15
    for url, doc in all_pages.items():
        graph = ld_graph(doc)
        articles = [e for e in graph if e["@type"] == "Article"]
        assert len(articles) == 1, url
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", articles[0]["dateModified"]), url
        assert articles[0]["headline"], url


def test_json_ld_events_on_history(fixture_site: Path, fixture_facts) -> None:
    """Each event is described on its era's page; together they describe every event."""
    graph = [e for url in era_urls(fixture_facts) for e in ld_graph(page_tree(fixture_site, url))]
    events = [e for e in graph if e["@type"] == "Event"]
    assert [e["name"] for e in events] == [e.title for e in fixture_facts.events]
    round_one = next(e for e in events if e["name"] == "Round one")
    assert round_one["startDate"] == "2026-02-06"
    assert round_one["location"] == {"@type": "Place", "name": "Capital"}
    assert round_one["description"].endswith("<script>alert('x')</script>")  # data, as data


def test_json_ld_person_and_organization_on_people_pages(fixture_site: Path) -> None:
    person = [e for e in ld_graph(page_tree(fixture_site, "people/envoy-a")) if e["@type"] == "Person"]
    assert person and person[0]["name"] == "Envoy A"
    assert person[0]["alternateName"] == ["Envoy Alpha"]
    assert person[0]["jobTitle"] == "Special Envoy"
    state = ld_graph(page_tree(fixture_site, "people/party-a"))
    assert any(e["@type"] == "Organization" and e["name"] == "Party A" for e in state)
    assert not any(e["@type"] == "Person" for e in state)


LOOPBACK = {"127.0.0.1", "localhost"}  # the contributor guide links to `mkdocs serve`
NOT_FETCHED = {"canonical", "alternate"}  # names of this page, not resources a browser loads


def check_no_third_party(site: Path, allowed_links: set[str]) -> None:
    """No resource from another host; links out only to the data's sources (or loopback). Every
    page is read with lxml (`site_inputs.tree`): the time-leak scans read the real site's so too."""
    for path in sorted(site.rglob("index.html")):
        url, doc = path.parent.relative_to(site).as_posix(), tree(path)
        for tag in doc.iter("script", "img", "iframe", "source", "video", "audio", "embed", "object", "link"):
            if tag.tag == "link" and set(tag.get("rel", "").split()) & NOT_FETCHED:
                continue
            for attr in ("src", "href", "data", "srcset"):
                value = tag.get(attr)
                if value:
                    assert not is_external(value), f"{url}: <{tag.tag} {attr}={value}>"
        for tag in doc.xpath("//*[@style]"):
            assert "http" not in tag.get("style"), f"{url}: external URL in a style attribute"
        for a in doc.xpath("//a[@href]"):
            href = a.get("href")
            if is_external(href) and urlsplit(href).hostname not in LOOPBACK:
                assert href in allowed_links, f"{url}: link to {href} is not a data source"
    for css in site.rglob("*.css"):
        if "assets/stylesheets" not in css.as_posix():  # Material's own bundle
            text = css.read_text(encoding="utf-8")
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
            assert "@import" not in text, css


def test_no_third_party_requests(fixture_site: Path) -> None:
    check_no_third_party(fixture_site, data_urls(FIXTURE_DATA))


def test_internal_links_and_anchors_resolve(fixture_site: Path) -> None:
    all_pages = pages(fixture_site)
    ids = {url: set(doc.xpath("//@id")) for url, doc in all_pages.items()}
    for url, doc in all_pages.items():
        for href in doc.xpath("//a/@href"):
            if is_external(href) or href.startswith(("mailto:", "javascript:")):
                continue
            target, fragment = resolve(url, href)
            path = fixture_site / target
            assert path.exists(), f"{url}: broken link {href}"
            if fragment and path.is_dir():
                key = target + "/" if target else ""
                assert fragment in ids[key], f"{url}: no #{fragment} on {key or 'home'}"


def test_ids_are_unique_on_every_page(fixture_site: Path) -> None:
    for url, doc in pages(fixture_site).items():
        ids = [str(i) for i in doc.xpath("//@id")]
        duplicates = {i for i in ids if ids.count(i) > 1}
        assert not duplicates, f"{url}: duplicate ids {sorted(duplicates)}"


# -- quotes and sources -------------------------------------------------------------------------


def test_unverified_quote_is_not_a_blockquote(fixture_site: Path) -> None:
    seen = 0
    for url, doc in pages(fixture_site).items():
        for holder in doc.xpath("//*[text()[contains(., 'Progress, perhaps')]]"):
            seen += 1
            assert not holder.xpath("ancestor-or-self::blockquote"), url
            box = holder.xpath(f"ancestor-or-self::*[{with_class('quote-unverified')}]")
            assert box and "Wording not confirmed" in box[-1].text_content(), url
    assert seen >= 2  # the actor page and the What changed page
    verified = page(fixture_site, "people/envoy-a").find(string=re.compile("We will see"))
    assert verified.find_parent("blockquote") is not None


def test_sources_show_flags(fixture_site: Path) -> None:
    doc = page(fixture_site, "sources")
    paper = [s.get_text() for s in doc.select("li#src-paper-2026-02-17 .source-flag")]
    assert "republished wire copy" in paper and "original: Example Wire" in paper
    archive = [s.get_text() for s in doc.select("li#src-archive-1979 .source-flag")]
    assert any(flag.startswith("caution") for flag in archive)
    assert "Minor reference site." in doc.select_one("li#src-archive-1979 .source-note").get_text()
    wire = doc.select("li#src-wire-2026-02-06 .source-flag")
    assert wire == []  # a plain news report carries no flag


# -- build failures -----------------------------------------------------------------------------


@pytest.fixture
def scratch_site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site-src", FIXTURE_DATA)


def failing_build(site: Path, **env: str) -> str:
    result = build_site(site, site / "out", **env)
    assert result.returncode != 0, "the build should have failed"
    return result.stdout + result.stderr


PAGE_WITH_FRONT_MATTER = """---
title: About
---

# About

Some text.

  Look: <!-- explainer:{directive} -->
"""


@pytest.mark.parametrize(
    ("directive", "message"),
    [
        ("matrx", "unknown directive 'matrx'; did you mean 'matrix'?"),
        ("matrix topics=nukes", "unknown topic 'nukes'"),
        ("matrix topcs=enrichment", "'matrix' has no option 'topcs'"),
        ('matrix topics="enrichment', "cannot read the arguments of 'matrix'"),
        ("actor id=envoy-b", "unknown actor 'envoy-b'; did you mean 'envoy-a'?"),
    ],
)
def test_directive_error_fails_the_build_naming_page_line_col(scratch_site: Path, directive: str, message: str) -> None:
    (scratch_site / "docs" / "about.md").write_text(
        PAGE_WITH_FRONT_MATTER.format(directive=directive), encoding="utf-8"
    )
    output = failing_build(scratch_site)
    assert f"docs/about.md:9:9: error: {message}" in output, output


def test_every_directive_error_of_a_page_is_reported(scratch_site: Path) -> None:
    (scratch_site / "docs" / "about.md").write_text(
        "# About\n\n<!-- explainer:matrx -->\n\n<!-- explainer:events lastest=3 -->\n", encoding="utf-8"
    )
    output = failing_build(scratch_site)
    assert "docs/about.md:3:1: error: unknown directive 'matrx'" in output
    assert "docs/about.md:5:1: error: 'events' has no option 'lastest'" in output


def test_unknown_edition_fails_with_a_clear_message(scratch_site: Path) -> None:
    output = failing_build(scratch_site, EXPLAINER_EDITION="2099-01-01")
    assert "EXPLAINER_EDITION=2099-01-01: no edition '2099-01-01'" in output
    assert "the editions are: 2026-02-06, 2026-02-17" in output


def test_invalid_data_fails_the_build_naming_file_and_line(scratch_site: Path) -> None:
    facts = scratch_site / "data" / "facts.yml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("stance: rejects", "stance: refuses"), encoding="utf-8")
    output = failing_build(scratch_site)
    assert re.search(r"facts\.yml:\d+:\d+: error: .*stance", output), output


# -- data that tries to break out ---------------------------------------------------------------

HOSTILE = "</title><script>alert('hostile')</script> & Co"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with markup in names and titles that reach page titles and the banner."""
    root = tmp_path_factory.mktemp("hostile-site")
    data = yaml.safe_load((FIXTURE_DATA / "facts.yml").read_text(encoding="utf-8"))
    for actor in data["actors"]:
        if actor["id"] == "mediator":
            actor["name"] = f"Mediator {HOSTILE}"
    data["topics"][1]["name"] = f"Missiles {HOSTILE}"
    data["contested"][0]["question"] = f"Direct? {HOSTILE}"
    data["editions"][-1]["title"] = f"Second round {HOSTILE}"
    folder = root / "data-in"
    folder.mkdir()
    (folder / "facts.yml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = make_site(root / "src", folder)
    return built_site(site)


def test_hostile_names_never_become_markup(hostile_site: Path) -> None:
    for url, doc in pages(hostile_site).items():
        for script in doc.iter("script"):
            if script.get("type") != "application/ld+json":
                assert "hostile" not in (script.text or ""), f"{url}: data became a script"
        assert len(doc.xpath("/html/head//title")) == 1, f"{url}: the <title> was broken out of"
        assert len(doc.xpath("//title[not(ancestor::svg)]")) == 1, f"{url}: the <title> was broken out of"


def test_hostile_title_reads_as_text(hostile_site: Path) -> None:
    for url in ("people/mediator", "topics/missiles", "contested/cp-direct-or-indirect"):
        doc = page(hostile_site, url)
        assert HOSTILE in doc.title.get_text(), url
        assert HOSTILE in doc.select_one("article h1").get_text(), url
        (article,) = [e for e in ld_graph(page_tree(hostile_site, url)) if e["@type"] == "Article"]
        assert HOSTILE in article["headline"], f"{url}: headline {article['headline']!r}"


def test_hostile_edition_title_in_banner_is_text(hostile_site: Path) -> None:
    banner = page(hostile_site, "").select_one(".edition-banner")
    assert banner.find("script") is None
    assert f"Second round {HOSTILE}" in banner.get_text()


# -- the benchmark's generator makes a site that builds -----------------------------------------


def test_benchmark_generator_site_builds_strictly(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_site", ROOT / "benchmarks" / "bench_site.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up
    try:
        spec.loader.exec_module(bench)
    finally:
        del sys.modules[spec.name]
    site = bench.make_site(tmp_path / "gen", pages=12, facts=150)
    assert len(list((site / "data").rglob("*.yml"))) >= 2
    out = built_site(site)
    assert (out / "topics").is_dir() and (out / "people").is_dir()
    assert len(list(out.rglob("index.html"))) >= 12


# -- the real site ------------------------------------------------------------------------------


def real_data_present() -> bool:
    return REAL_DATA.is_dir() and any(REAL_DATA.rglob("*.y*ml"))


@pytest.fixture(scope="module")
def real_site(real_edition) -> Path:
    """The real site at its latest edition, which is what a build without EXPLAINER_EDITION makes
    (test_editions checks that on the fixture), built strictly once per run (conftest)."""
    if not real_data_present():
        pytest.skip("data/ holds no data yet")
    from explainer.facts.load import load_facts

    return real_edition(load_facts(REAL_DATA, cache=False).facts.editions[-1].id)


@pytest.fixture(scope="module")
def real_facts():
    from explainer.facts.load import load_facts
    from explainer.site.build import SiteBuild

    return SiteBuild.for_edition(load_facts(REAL_DATA, cache=False).facts).facts


def test_real_site_builds_strictly(real_site: Path) -> None:
    assert (real_site / "index.html").is_file()
    check_no_third_party(real_site, data_urls(REAL_DATA))


def test_real_history_covers_1979_to_the_latest_event(real_site: Path, real_facts) -> None:
    """The history's eras, page by page, hold every event from 1979 to the latest."""
    docs = [page(real_site, url) for url in era_urls(real_facts)]
    years = [int(t["datetime"][:4]) for doc in docs for t in doc.select("div.event .event-when time[datetime]")]
    assert years and min(years) == 1979
    latest = real_facts.events[-1]
    assert any(doc.select_one(f"h2#{latest.id}") for doc in docs), f"latest event {latest.id} missing"
    assert max(years) == latest.date.start.year


def test_real_positions_matrix_has_both_party_columns(real_site: Path, real_facts) -> None:
    table = page(real_site, "positions").select_one("table.positions-matrix")
    columns = [th.get_text(strip=True) for th in table.select("thead th")][1:]
    assert columns == [p.name for p in real_facts.parties]
    assert any("Iran" in c for c in columns), columns
    assert any(re.search(r"United States|\bUS\b|U\.S\.|America", c) for c in columns), columns
