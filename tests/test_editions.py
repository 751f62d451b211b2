"""Editions: the fixture site built as of 6 and of 17 February 2026, the What changed page, the
`changes()` diff, each edition's downloads (data/facts.json against data/schema.json, and the
Atom feed), and the addresses its pages give themselves. Builds run `mkdocs build --strict` in
process, once per test run and edition, at the edition's own address as `explainer publish`
builds it."""

from __future__ import annotations

import json
import posixpath
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import jsonschema
import lxml.html
import pytest
import yaml
from explainer.facts.cut import cut as as_of
from explainer.facts.diff import changes
from explainer.facts.load import load_facts
from explainer.site.exports import EXPORT_SCHEMA_VERSION, atom_feed
from explainer.tools.publish import _edition_config, _edition_hash, edition_url
from site_inputs import built_site, copy_site, page, parse, tree, with_class

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
ATOM = "{http://www.w3.org/2005/Atom}"

FIRST, SECOND = "2026-02-06", "2026-02-17"
SITE = "https://example.org/explainer/"
"""Where the fixture's branch is published: each edition is built at SITE + `<edition>/`."""
ROUND_1, ROUND_2 = "evt-2026-02-06-round-1", "evt-2026-02-17-round-2"
PAPER = "src-paper-2026-02-17"
MOVED_FROM, MOVED_TO = "pos-party-a-enrichment-2026-02-06", "pos-party-a-enrichment-2026-02-17"
NEW_QUOTE = "q-envoy-2026-02-17"


# -- building -----------------------------------------------------------------------------------


def make_site(dest: Path, data: Path) -> Path:
    return copy_site(dest, data)


@pytest.fixture(scope="module")
def source_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("editions") / "src", FIXTURE_DATA)


@pytest.fixture(scope="module")
def first(source_site: Path) -> Path:
    return built_site(source_site, EXPLAINER_EDITION=FIRST, SITE_URL=f"{SITE}{FIRST}/")


@pytest.fixture(scope="module")
def second(source_site: Path) -> Path:
    return built_site(source_site, EXPLAINER_EDITION=SECOND, SITE_URL=f"{SITE}{SECOND}/")


def all_pages(site: Path) -> dict[str, lxml.html.HtmlElement]:
    """Every page by its folder in the site, parsed by lxml (`site_inputs.tree`): scans of every
    page, the large API reference included, take a fraction of BeautifulSoup's time."""
    return {p.parent.relative_to(site).as_posix(): tree(p) for p in site.rglob("index.html")}


def words(element: lxml.html.HtmlElement) -> str:
    """The element's text, each string stripped, joined by spaces (BeautifulSoup's
    `get_text(" ", strip=True)`)."""
    return " ".join(text.strip() for text in element.itertext() if text.strip())


def text(site: Path, url: str) -> str:
    return page(site, url).select_one("article").get_text(" ", strip=True)


# -- what each edition contains and lacks -------------------------------------------------------

pytestmark = pytest.mark.slow


def test_first_edition_lacks_later_facts(first: Path) -> None:
    history = page(first, "history/talks")  # the events of an era are on the era's page
    assert history.select_one(f"#{ROUND_1}") is not None
    assert history.select_one(f"#{ROUND_2}") is None
    assert page(first, "sources").select_one(f"li#{PAPER}") is None
    for url, doc in all_pages(first).items():
        ids = set(doc.xpath("//@id"))
        assert ROUND_2 not in ids and MOVED_TO not in ids and f"ref-{PAPER}" not in ids, url
        assert "Progress, perhaps" not in doc.text_content(), url
        assert "Round two" not in doc.xpath("//article")[0].text_content(), url


def test_second_edition_has_them(second: Path) -> None:
    assert page(second, "history/talks").select_one(f"#{ROUND_2}") is not None
    assert page(second, "sources").select_one(f"li#{PAPER}") is not None
    assert page(second, "topics/enrichment").select_one(f"#{MOVED_TO}") is not None
    assert "Progress, perhaps" in text(second, "people/envoy-a")


def party_a_cell(site: Path):
    row = page(site, "positions").select_one("table.positions-matrix tbody tr")
    return row.select("td")[0]


def test_matrix_shows_the_position_as_of_each_cutoff(first: Path, second: Path) -> None:
    old, new = party_a_cell(first), party_a_cell(second)
    assert "stance-demands" in old["class"]
    assert "must be no enrichment" in old.get_text()
    assert "as of 6 February 2026" in old.get_text()
    assert "stance-conditional" in new["class"]
    assert "token programme" in new.get_text()
    assert "as of 17 February 2026" in new.get_text()


def test_topic_page_history_stops_at_the_cutoff(first: Path, second: Path) -> None:
    assert page(first, "topics/enrichment").select_one(f"#{MOVED_FROM}") is not None
    moved = (f"#{MOVED_FROM}", f"#{MOVED_TO}")  # the chart of how positions moved links each point
    moves_old = [a["href"] for a in page(first, "topics/enrichment").select("svg.stance-chart a.stance-point")]
    moves_new = [a["href"] for a in page(second, "topics/enrichment").select("svg.stance-chart a.stance-point")]
    assert [h for h in moves_old if h in moved] == [f"#{MOVED_FROM}"]
    assert [h for h in moves_new if h in moved] == [f"#{MOVED_FROM}", f"#{MOVED_TO}"]


def test_older_edition_banner_names_the_date_and_links_to_latest(first: Path) -> None:
    for url, doc in all_pages(first).items():
        banners = doc.xpath(f"//*[{with_class('edition-banner')}]")
        assert banners, url
        banner = banners[0]
        assert "You are reading the edition of 6 February 2026" in words(banner)
        links = banner.xpath('.//a[. = "Read this page in the latest edition"]')
        assert links, url
        link = links[0]
        # deployed, the edition lives in /2026-02-06/ beside /latest/: the link keeps the page
        here = posixpath.join(FIRST, "" if url == "." else url)
        target = posixpath.normpath(posixpath.join("latest", "" if url == "." else url))
        assert posixpath.normpath(posixpath.join(here, link.get("href"))) == target, (url, link.get("href"))


def test_an_older_editions_404_page_links_to_the_latest_edition(first: Path) -> None:
    """The 404 page has no page of its own: its base is the edition's folder on the server, and
    the banner's link must still lead to `latest/`, wherever the missing address was."""
    link = (
        parse(first / "404.html").select_one(".edition-banner").find("a", string="Read this page in the latest edition")
    )
    for missing in (f"{SITE}{FIRST}/no-such-page/", f"{SITE}{FIRST}/topics/gone/deeper/"):
        assert urljoin(missing, link["href"]) == f"{SITE}latest/", link["href"]


def test_latest_edition_banner_says_latest_and_links_nowhere(second: Path) -> None:
    banner = page(second, "").select_one(".edition-banner")
    assert "Latest edition: the story as known on 17 February 2026" in banner.get_text(" ", strip=True)
    assert banner.find("a") is None


def test_json_ld_is_dated_to_the_edition(first: Path, second: Path) -> None:
    for site, day in ((first, FIRST), (second, SECOND)):
        graph = json.loads(page(site, "").select_one('script[type="application/ld+json"]').string)
        article = next(e for e in graph["@graph"] if e["@type"] == "Article")
        assert article["dateModified"] == day
        assert article["version"] == day


def test_default_build_is_the_latest_edition(source_site: Path, second: Path) -> None:
    default = built_site(source_site)
    for url in ("positions", "history", "what-changed"):
        assert page(default, url).select_one("article").decode() == page(second, url).select_one("article").decode(), (
            url
        )


# -- the What changed page ----------------------------------------------------------------------


def test_what_changed_lists_the_moved_position_before_and_after(second: Path) -> None:
    doc = page(second, "what-changed")
    assert "Compared with the previous edition (Talks open, 6 February 2026)" in text(second, "what-changed")
    rows = doc.select("table.position-moves tbody tr")
    assert len(rows) == 1  # Party B did not move
    topic, party, before, after = rows[0].find_all(["th", "td"])
    assert topic.get_text(strip=True) == "Enrichment"
    assert party.get_text(strip=True) == "Party A"
    assert before.select_one(".stance-demands") and "must be no enrichment" in before.get_text()
    assert "6 February 2026" in before.get_text()
    assert after.select_one(".stance-conditional") and "token programme" in after.get_text()
    assert "17 February 2026" in after.get_text()
    assert after.select_one("a.cite-ref")["href"] == f"#ref-{PAPER}"


def test_what_changed_lists_the_new_event_and_quote(second: Path) -> None:
    doc = page(second, "what-changed")
    events = doc.find(id="new-events").find_next("ol")
    assert [li["id"] for li in events.select("li.event")] == [ROUND_2]
    quotes = doc.find(id="new-quotes")
    assert quotes is not None
    assert "Progress, perhaps" in quotes.find_next(class_="quote").get_text()
    for empty_section in ("new-contested", "new-roles", "reported-late", "updated", "corrections"):
        note = doc.find(id=empty_section).find_next_sibling()
        assert "empty" in note["class"] and "6 February 2026" in note.get_text(), empty_section


def test_what_changed_says_so_when_nothing_moved(tmp_path: Path) -> None:
    base = load_facts(FIXTURE_DATA, cache=False).facts
    quiet = cut(base, "2026-02-20")
    diff = changes(cut(base, SECOND), quiet)
    assert diff.empty


def test_first_edition_what_changed_says_it_is_the_first_and_summarises(first: Path) -> None:
    doc = page(first, "what-changed")
    body = text(first, "what-changed")
    assert "This is the first edition" in body
    assert "2 events" in body and "2 stated positions" in body and "1 quote" in body
    assert [a.get_text() for a in doc.select("ul.key-events a")] == ["A revolution", "Round one"]
    assert doc.select("table.position-moves") == [] and doc.select("li.event") == []


# -- changes() ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base():
    return load_facts(FIXTURE_DATA, cache=False).facts


def cut(base, day: str):
    return as_of(base, date.fromisoformat(day))


def ids(records) -> list[str]:
    return [r.id for r in records]


def test_changes_between_editions(base) -> None:
    diff = changes(cut(base, FIRST), cut(base, SECOND))
    assert ids(diff.events) == [ROUND_2]
    assert [(m.before.id, m.after.id) for m in diff.moves] == [(MOVED_FROM, MOVED_TO)]
    assert ids(diff.quotes) == [NEW_QUOTE]
    assert diff.contested == () and diff.roles == () and diff.corrections == ()
    assert not diff.empty


def test_the_first_edition_has_no_changes_only_a_summary(base) -> None:
    diff = changes(None, cut(base, FIRST))
    assert diff.first and diff.empty


def test_moved_means_the_stance_or_text_changed(base) -> None:
    first, second = cut(base, FIRST), cut(base, SECOND)
    diff = changes(first, second)
    assert [(m.before.id, m.after.id) for m in diff.moves] == [(MOVED_FROM, MOVED_TO)]
    assert diff.dated_since(diff.moves) == diff.moves  # dated 17 February, after the first cut-off
    assert diff.reported_late(diff.moves) == ()


def test_no_changes_between_equal_cuts(base) -> None:
    assert changes(cut(base, SECOND), cut(base, SECOND)).empty
    assert changes(cut(base, SECOND), cut(base, "2026-02-20")).empty


def corrected_base(tmp_path: Path):
    """The fixture with a correction to round one made on 10 February."""
    data = yaml.safe_load((FIXTURE_DATA / "facts.yml").read_text(encoding="utf-8"))
    event = next(e for e in data["events"] if e["id"] == ROUND_1)
    event["corrections"] = [
        {"date": "2026-02-10", "change": "Place corrected.", "reason": "A second source names another city."}
    ]
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "facts.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_facts(folder, cache=False).facts


def test_changes_lists_corrections_made_since_the_previous_cutoff(tmp_path: Path) -> None:
    base = corrected_base(tmp_path)
    diff = changes(cut(base, FIRST), cut(base, SECOND))
    assert [(rid, c.change) for rid, c in diff.corrections] == [(ROUND_1, "Place corrected.")]
    assert changes(None, cut(base, FIRST)).corrections == ()  # not made yet on 6 February


def test_atom_feed_has_an_entry_per_edition_and_correction(tmp_path: Path) -> None:
    base = corrected_base(tmp_path)
    feed = ET.fromstring(atom_feed(base, date(2026, 2, 17), "Site <&>", None))
    entries = [e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")]
    assert entries == [
        "tag:explainer.invalid,2026:edition/2026-02-17",
        f"tag:explainer.invalid,2026:correction/{ROUND_1}/0",
        "tag:explainer.invalid,2026:edition/2026-02-06",
    ]
    assert feed.find(f"{ATOM}title").text == "Site <&>: editions and corrections"
    early = ET.fromstring(atom_feed(base, date(2026, 2, 6), "Site", None))
    assert len(early.findall(f"{ATOM}entry")) == 1


# -- exports: facts.json, schema.json, feed.xml --------------------------------------------------


def export(site: Path) -> dict:
    return json.loads((site / "data" / "facts.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("edition", [FIRST, SECOND])
def test_facts_json_validates_against_its_schema(edition: str, first: Path, second: Path) -> None:
    site = first if edition == FIRST else second
    schema = json.loads((site / "data" / "schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator
    validator.check_schema(schema)
    data = export(site)
    errors = sorted(validator(schema).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert data["schema_version"] == EXPORT_SCHEMA_VERSION
    assert data["edition"]["id"] == edition


def test_schema_rejects_a_broken_export(first: Path) -> None:
    schema = json.loads((first / "data" / "schema.json").read_text(encoding="utf-8"))
    data = export(first)
    del data["schema_version"]
    data["events"][0]["date"] = "6 Feb"
    assert len(list(jsonschema.Draft202012Validator(schema).iter_errors(data))) >= 2


def test_facts_json_holds_only_the_editions_facts(first: Path, second: Path) -> None:
    old, new = export(first), export(second)
    assert [e["id"] for e in old["events"]] == ["evt-1979-revolution", ROUND_1]
    assert [e["id"] for e in new["events"]] == ["evt-1979-revolution", ROUND_1, ROUND_2]
    assert PAPER not in [s["id"] for s in old["sources"]]
    assert PAPER in [s["id"] for s in new["sources"]]
    assert [q["id"] for q in old["quotes"]] == ["q-envoy-2026-02-06"]
    assert MOVED_TO not in [p["id"] for p in old["positions"]]
    assert [e["id"] for e in old["editions"]] == [FIRST]
    assert [e["id"] for e in new["editions"]] == [FIRST, SECOND]
    for kind in ("events", "positions", "quotes", "roles", "contested"):
        for record in old[kind]:
            assert record["date"].split("/")[0] <= FIRST, (kind, record["id"])
    for position in old["positions"]:
        assert all(q in {x["id"] for x in old["quotes"]} for q in position["quotes"])


@pytest.mark.parametrize(("edition", "entries"), [(FIRST, [FIRST]), (SECOND, [SECOND, FIRST])])
def test_feed_is_atom_with_an_entry_per_edition_to_the_cutoff(
    edition: str, entries: list[str], first: Path, second: Path
) -> None:
    site = first if edition == FIRST else second
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text and feed.find(f"{ATOM}updated").text.startswith(edition)
    found = []
    for entry in feed.findall(f"{ATOM}entry"):
        for child in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{child}") is not None, child
        found.append(entry.find(f"{ATOM}id").text.rsplit("/", 1)[-1])
        link = entry.find(f"{ATOM}link")
        assert link.get("href") == f"{SITE}{found[-1]}/"  # absolute: the edition's folder on the branch
    assert found == entries
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE}{edition}/feed.xml"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{SITE}{edition}/"


def test_feed_links_are_made_for_the_folder_it_is_published_in() -> None:
    """`latest/feed.xml` names itself there; every feed links each edition to its own folder,
    absolutely with an address, relatively without one."""
    base = load_facts(FIXTURE_DATA, cache=False).facts
    feed = ET.fromstring(atom_feed(base, date(2026, 2, 17), "Site", edition_url(SITE, "latest")))
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE}latest/feed.xml"
    links = [link.get("href") for link in feed.iterfind(f"{ATOM}entry/{ATOM}link")]
    assert links == [f"{SITE}{SECOND}/", f"{SITE}{FIRST}/"]
    plain = ET.fromstring(atom_feed(base, date(2026, 2, 17), "Site", None))
    assert plain.find(f"{ATOM}link[@rel='self']") is None
    assert [link.get("href") for link in plain.iterfind(f"{ATOM}entry/{ATOM}link")] == [f"../{SECOND}/", f"../{FIRST}/"]


def test_a_control_character_cannot_make_the_feed_malformed(tmp_path: Path) -> None:
    base = load_facts(FIXTURE_DATA, cache=False).facts
    edition = base.editions[0].model_copy(update={"title": "bad \x00\x1b[31m title"})
    tampered = replace(base, records={**base.records, "editions": {edition.id: edition}})
    feed = ET.fromstring(atom_feed(tampered, date(2026, 2, 6), "Site", None))
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == "Edition of 6 February 2026: bad \ufffd\ufffd[31m title"


def test_downloads_are_linked_from_the_feed_autodiscovery(second: Path) -> None:
    doc = page(second, "history")
    link = doc.select_one('link[rel~="alternate"][type="application/atom+xml"]')
    assert link is not None
    assert posixpath.normpath(posixpath.join("history", link["href"])) == "feed.xml"


# -- addresses: canonical URLs, sitemap, sharing tags -------------------------------------------------


@pytest.mark.parametrize("edition", [FIRST, SECOND])
def test_pages_name_their_own_address_in_the_editions_folder(edition: str, first: Path, second: Path) -> None:
    """Each page's canonical URL and og:url are its address in the edition's folder (an older
    edition's page is its own canonical: it is what was known then); the sitemap lists exactly
    those addresses; the sharing card is the edition's own image."""
    site = first if edition == FIRST else second
    home = f"{SITE}{edition}/"
    addresses = set()
    for path in site.rglob("index.html"):
        doc = tree(path)
        url = f"{home}{path.parent.relative_to(site).as_posix()}/".replace("/./", "/")
        assert doc.xpath('//link[@rel="canonical"]/@href') == [url]
        assert doc.xpath('//meta[@property="og:url"]/@content') == [url]
        assert doc.xpath('//meta[@property="og:image"]/@content') == [f"{home}assets/social-card.png"]
        addresses.add(url)
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    listed = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert listed == addresses
    assert (site / "assets" / "social-card.png").is_file()


def test_publish_builds_each_edition_at_its_own_address(source_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://example.org/explainer")  # the trailing slash is optional
    config = _edition_config(source_site / "mkdocs.yml", FIRST, source_site.parent / "unused")
    assert config.site_url == f"{SITE}{FIRST}/"


def test_an_editions_hash_changes_with_the_sites_address() -> None:
    base = load_facts(FIXTURE_DATA, cache=False).facts
    here, there = ({"site_name": "Site", "site_url": url} for url in (SITE, "https://example.net/"))
    assert _edition_hash(base, FIRST, b"key", here) != _edition_hash(base, FIRST, b"key", there)
