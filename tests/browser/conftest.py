"""Browser-test fixtures: publish the site once per session with `explainer publish`, serve the
published branch on 127.0.0.1, and drive it with Debian's Chromium through Playwright.

The site is built from a copy of the project's site inputs in a throw-away git repository, so
the tests exercise the real deployment (mike versions, `latest` redirect, root redirect) without
touching this repository's branches. The copy uses the real `data/` when it checks clean and
defines editions, else the fictional fixture (tests/fixtures/data) with a warning saying so.

Chromium, Playwright and axe-core missing: the tests skip locally, but fail under CI=true, so a
CI run can never pass by skipping them.
"""

from __future__ import annotations

import functools
import json
import threading
import warnings
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from browser_support import (
    AXE_JS,
    AXE_RUN,
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    FIXTURE_DATA,
    ROOT,
    SCHEMES,
    SCREENSHOTS,
    QuietHandler,
    Site,
    Visit,
    choose_data,
    full_page_png,
    missing,
    open_page,
    page_paths,
    publish_site,
    sideways,
)

# -- the published site ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[Site]:
    """The published site, served on 127.0.0.1 for the whole session. (It asks for `browser`
    only so that a missing Chromium, Playwright or axe-core is reported before publishing.)"""
    work = tmp_path_factory.mktemp("published")
    data = choose_data(work)
    if data.note:
        warnings.warn(
            f"browser tests use the fictional fixture data ({FIXTURE_DATA.relative_to(ROOT)}), not data/: {data.note}",
            stacklevel=1,
        )
    # The server starts first, so the site is published for the address it is served at: its
    # canonical URLs, sitemaps and feed links then resolve on this server (test_addresses.py).
    root = work / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        publish_site(work, data, site_url=base)
        versions = json.loads((root / "versions.json").read_text(encoding="utf-8"))
        site = Site(root, base, data, versions, {})
        site.facts = json.loads((root / site.latest / "data" / "facts.json").read_text(encoding="utf-8"))
        site.paths = page_paths(root / site.latest, site.facts)
        yield site
    finally:
        server.shutdown()
        server.server_close()


# -- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python in .venv")
    if not CHROMIUM.exists():
        missing(f"Chromium at {CHROMIUM}")
    if not AXE_JS.exists():
        missing(f"axe-core at {AXE_JS.relative_to(ROOT)}")
    playwright = sync_playwright().start()
    try:
        try:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            missing(f"a Chromium that starts ({str(exc).splitlines()[0]})")
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Pages in fresh contexts (no shared storage), closed after the test."""
    contexts: list[Any] = []

    def make(scheme: str = "light", viewport: dict[str, int] = DESKTOP) -> Any:
        context = browser.new_context(color_scheme=scheme, viewport=viewport, service_workers="block")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# -- one visit per page type and palette, shared by the per-check tests ----------------------


@pytest.fixture(scope="session")
def visit(site: Site, browser: Any) -> Iterator[Callable[[str, str], Visit]]:
    """Load a page type in a palette once per session: console, requests, axe, screenshot."""
    cache: dict[tuple[str, str], Visit] = {}
    contexts: dict[str, Any] = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def run(kind: str, scheme: str) -> Visit:
        if (kind, scheme) in cache:
            return cache[kind, scheme]
        if scheme not in contexts:
            contexts[scheme] = browser.new_context(color_scheme=scheme, viewport=DESKTOP, service_workers="block")
            contexts[scheme].set_default_timeout(15_000)
        page = contexts[scheme].new_page()
        errors: list[str] = []
        bad: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
        page.on("request", lambda r: requests.append(r.url))
        page.on("requestfailed", lambda r: bad.append(f"{r.url}: {r.failure}"))
        page.on("response", lambda r: bad.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None)
        url = site.url(kind)
        narrow = None
        try:
            open_page(page, url)
            actual = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            assert actual == SCHEMES[scheme], f"{url}: palette {actual!r}, wanted {SCHEMES[scheme]!r}"
            page.add_script_tag(path=str(AXE_JS))
            violations = page.evaluate(AXE_RUN)
            shot = SCREENSHOTS / f"{kind}-{scheme}.png"
            full_page_png(page, shot)
            if scheme == "light":  # layout does not depend on the palette: measure once
                narrow = sideways(page)
        finally:
            page.close()
        cache[kind, scheme] = Visit(url, scheme, errors, bad, requests, violations, shot, narrow)
        return cache[kind, scheme]

    yield run
    for context in contexts.values():
        context.close()
