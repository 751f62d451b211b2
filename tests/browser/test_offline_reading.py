"""The offline archive in a real browser (issue 12): the latest edition's archive, as published,
unzipped and opened from `file://`, with every request watched: navigation, search, the map.

Fixtures are in conftest.py: one `explainer publish` and one Chromium per session.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from browser_support import DESKTOP, NAME_OF, Site
from explainer.site.offline import ARCHIVE_FOLDER

pytestmark = pytest.mark.browser


def unzip_latest(site: Site, into: Path) -> Path:
    """The latest edition's archive, unzipped: the folder it holds."""
    found = sorted((site.root / site.latest / ARCHIVE_FOLDER).glob("*.zip"))
    assert len(found) == 1, f"the latest edition should hold one archive, not {found}"
    with zipfile.ZipFile(found[0]) as archive:
        archive.extractall(into)
    (folder,) = into.iterdir()
    assert folder.name == found[0].stem, "the archive unzips into one folder named after it"
    return folder


def test_offline_archive_reads_from_files_with_no_network(site: Site, browser: Any, tmp_path: Path) -> None:
    """Opened from `file://`: nothing is asked of any host, a menu link leads to another page,
    the map is there with its name, and search finds a fact and leads to its page."""
    folder = unzip_latest(site, tmp_path)
    context = browser.new_context(viewport=DESKTOP, service_workers="block")
    context.set_default_timeout(15_000)
    requests: list[str] = []
    refused: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.route(re.compile(r"^(?!file:)"), lambda route: (refused.append(route.request.url), route.abort()))
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((folder / "index.html").as_uri())
        page.wait_for_load_state("load")
        assert "Offline copy" in page.locator(".edition-banner").inner_text()

        page.locator(".md-nav--primary a.md-nav__link", has_text="Regional roles").first.click()
        page.wait_for_load_state("load")
        assert page.url == (folder / "regional-roles" / "index.html").as_uri()
        svg = page.locator("figure.map-figure svg")
        assert svg.count() == 1
        assert "region" in svg.evaluate(NAME_OF).lower()
        assert svg.locator("a.map-country").count() >= 1

        term = site.data.search_term
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially(term, delay=30)
        results = page.locator(".md-search-result__item")
        results.first.wait_for(state="visible")
        results.first.locator("a").first.click()
        page.wait_for_load_state("load")
        assert page.url.startswith(folder.as_uri() + "/") and re.search(r"/index\.html(?:[?#]|$)", page.url), page.url
        assert term.lower() in page.locator("article").inner_text().lower()
    finally:
        context.close()
    assert requests, "no request was seen: the watch is broken"
    outside = [url for url in requests if not url.startswith("file://")]
    assert not outside and not refused, f"requests left the archive: {outside or refused}"
    assert not errors, f"console errors: {errors}"
