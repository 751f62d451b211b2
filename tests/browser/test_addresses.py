"""The published branch's own addresses resolve where it is served (issue 12): every page's
canonical URL and every URL of every sitemap is that page (HTTP 200, no redirect, not one of
`latest/`'s redirect pages), the sharing tags agree with it, and the feeds' links resolve.

Plain HTTP against the published-site fixture, which is published for the address it is served
at; the browser only follows an older edition's banner to the same page in the latest edition."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.error import HTTPError
from urllib.parse import urljoin
from urllib.request import urlopen

from browser_support import Site, open_page
from bs4 import BeautifulSoup

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


def fetch(url: str) -> bytes:
    """The body at `url`, which must answer 200 itself, not by redirecting elsewhere."""
    try:
        with urlopen(url, timeout=10) as response:  # noqa: S310 - the fixture's own 127.0.0.1 server
            assert response.status == 200, f"{url}: HTTP {response.status}"
            assert response.geturl() == url, f"{url} redirects to {response.geturl()}"
            return response.read()
    except HTTPError as exc:
        raise AssertionError(f"{url}: HTTP {exc.code}") from None


def head(url: str) -> BeautifulSoup:
    """The parsed <head> of the page at `url`; it must be a page, not a redirect page."""
    text = fetch(url).decode("utf-8")
    assert 'http-equiv="refresh"' not in text, f"{url} is a redirect page, not the page"
    return BeautifulSoup(text[: text.index("</head>")], "html.parser")


def sitemap_urls(url: str) -> list[str]:
    return [loc.text or "" for loc in ET.fromstring(fetch(url)).iter(f"{SITEMAP}loc")]


def test_root_sitemap_indexes_every_editions_sitemap(site: Site) -> None:
    listed = sitemap_urls(f"{site.base_url}sitemap.xml")
    assert listed == [f"{site.base_url}{v['version']}/sitemap.xml" for v in reversed(site.versions)]
    robots = fetch(f"{site.base_url}robots.txt").decode()
    assert f"Sitemap: {site.base_url}sitemap.xml" in robots.splitlines()


def test_every_page_is_its_own_canonical_url_and_in_its_editions_sitemap(site: Site) -> None:
    """Each edition's sitemap lists every page of the edition; each listed URL answers with the
    page, whose canonical URL and og:url are that URL and whose og:image is served."""
    images = set()
    for version in (v["version"] for v in site.versions):
        folder = site.root / version
        pages = {
            f"{site.base_url}{version}/{p.parent.relative_to(folder).as_posix()}/".replace("/./", "/")
            for p in folder.rglob("index.html")
        }
        listed = sitemap_urls(f"{site.base_url}{version}/sitemap.xml")
        assert sorted(listed) == sorted(pages), f"{version}: the sitemap and the edition's pages differ"
        for url in listed:
            tags = head(url)
            canonical = tags.select_one('link[rel="canonical"]')
            assert canonical is not None and canonical["href"] == url, f"{url}: canonical {canonical}"
            og_url = tags.select_one('meta[property="og:url"]')
            assert og_url is not None and og_url["content"] == url, f"{url}: og:url {og_url}"
            image = tags.select_one('meta[property="og:image"]')
            assert image is not None, f"{url}: no og:image"
            images.add(image["content"])
    for image in images:
        assert fetch(image).startswith(b"\x89PNG"), image


def test_feeds_name_themselves_and_link_to_pages_that_exist(site: Site) -> None:
    """Each edition's feed and `latest/feed.xml` give their own address as `rel="self"`, and
    every entry links to an edition's home page (not to a redirect page)."""
    for folder in [v["version"] for v in site.versions] + ["latest"]:
        url = f"{site.base_url}{folder}/feed.xml"
        feed = ET.fromstring(fetch(url))
        self_link = feed.find(f"{ATOM}link[@rel='self']")
        assert self_link is not None and self_link.get("href") == url
        alternate = feed.find(f"{ATOM}link[@rel='alternate']")
        assert alternate is not None and alternate.get("href") == f"{site.base_url}{folder}/"
        fetch(alternate.get("href", ""))  # latest/ answers with its redirect page to the newest edition
        links = [link.get("href", "") for link in feed.iterfind(f"{ATOM}entry/{ATOM}link")]
        assert links, f"{url}: no entry links to an edition"
        for link in links:
            assert head(link).select_one('link[rel="canonical"]')["href"] == link


def test_every_editions_pages_offer_the_feed_that_keeps_growing(site: Site) -> None:
    """A reader who subscribes from any edition's page gets `latest/feed.xml`, not the feed of
    an edition that stops growing once a newer one is published."""
    for edition in (site.older, site.latest):
        link = head(site.url("positions", edition)).select_one('link[rel~="feed"]')
        assert link is not None and link.get("type") == "application/atom+xml"
        assert urljoin(site.url("positions", edition), link["href"]) == f"{site.base_url}latest/feed.xml"


def test_latest_downloads_are_the_newest_editions(site: Site) -> None:
    for download in ("data/facts.json", "data/schema.json"):
        assert fetch(f"{site.base_url}latest/{download}") == fetch(f"{site.base_url}{site.latest}/{download}")


def test_an_older_editions_banner_leads_to_the_same_page_in_the_latest(site: Site, new_page) -> None:
    if site.older == site.latest:
        return  # a single edition: no banner link to follow
    page = new_page()
    open_page(page, site.url("positions", site.older))
    page.get_by_role("link", name="Read this page in the latest edition").click()
    page.wait_for_url(site.url("positions"))
    assert head(page.url).select_one('link[rel="canonical"]')["href"] == site.url("positions")
