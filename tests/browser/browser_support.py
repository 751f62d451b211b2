"""Shared by the browser tests and their fixtures: paths, the data choice, publishing, the
served site's layout and the axe-core runner."""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any, NoReturn

import pytest
from site_inputs import IGNORED, copy_site

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
CHROMIUM = Path(os.environ.get("EXPLAINER_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 375, "height": 740}
SCHEMES = {"light": "default", "dark": "slate"}
"""Test palette name → Material's `data-md-color-scheme` on <body>."""

PAGE_TYPES = [
    "home",
    "what-changed",
    "positions",
    "topic",
    "history",
    "era",
    "regional-roles",
    "people",
    "person",
    "contested",
    "contested-point",
    "glossary",
    "sources",
    "about",
    "contribute",
    "api",
    "older-edition",
]
"""Every page type of the site; `older-edition` is the home page of the edition before the latest
(its banner differs: it links to the latest edition)."""
NAME_OF = """el => {
  const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
  const named = ids.map(id => (document.getElementById(id) || {}).textContent || "").join(" ").trim();
  return named || el.getAttribute("aria-label") || "";
}"""
"""An element's accessible name as its `aria-labelledby` or `aria-label` gives it (a Playwright evaluate)."""
# The engine's source rides along for the API reference page (mkdocstrings reads `hooks/`).
# Commits in the throw-away repository must not depend on the user's git configuration.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "browser tests",
    "GIT_AUTHOR_EMAIL": "tests@explainer.invalid",
    "GIT_COMMITTER_NAME": "browser tests",
    "GIT_COMMITTER_EMAIL": "tests@explainer.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(what: str) -> NoReturn:
    """Skip locally, but fail under CI: CI must never pass by skipping the browser tests."""
    hint = "run `python3 dev.py setup`"
    if under_ci():
        pytest.fail(f"browser tests cannot run under CI: {what} ({hint})", pytrace=False)
    pytest.skip(f"browser tests need {what} ({hint})")


def venv_python() -> str:
    candidate = ROOT / ".venv" / "bin" / "python"
    return str(candidate) if candidate.exists() else sys.executable


def build_env(work: Path) -> dict[str, str]:
    """The environment for engine subprocesses: no outside data/edition/date overrides, the
    engine cache in the session's folder, git independent of the user's configuration."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("EXPLAINER_DATA_DIR", "EXPLAINER_EDITION", "SOURCE_DATE_EPOCH")
    }
    return {**env, **GIT_ENV}


# -- which data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataChoice:
    path: Path
    real: bool
    note: str | None
    """Why the fixture is used instead of data/ (None when the real data is used)."""

    @property
    def search_term(self) -> str:
        """A word a reader would search for, present in the facts of the data set."""
        return "Fordow" if self.real else "Envoy"


def choose_data(work: Path) -> DataChoice:
    """A snapshot of data/ when it has data files, passes `explainer check --strict` and defines
    editions; else the fixture. `--strict` because a data warning aborts a strict build."""
    real = ROOT / "data"
    files = [p for p in real.rglob("*") if p.suffix in (".yml", ".yaml")] if real.is_dir() else []
    if not files:
        return DataChoice(FIXTURE_DATA, False, "data/ holds no data files yet")
    snapshot = work / "data-snapshot"  # data/ may be edited while the tests run
    shutil.copytree(real, snapshot, ignore=IGNORED)
    check = subprocess.run(
        [venv_python(), "-m", "explainer", "check", "--strict", str(snapshot)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=build_env(work),
    )
    if check.returncode != 0:
        last = (check.stderr.strip().splitlines() or ["(no output)"])[-1]
        return DataChoice(FIXTURE_DATA, False, f"data/ fails `explainer check --strict` ({last})")
    from explainer.facts.load import load_facts  # the engine is installed editable in .venv

    if not load_facts(snapshot).facts.editions:
        return DataChoice(FIXTURE_DATA, False, "data/ defines no editions yet")
    return DataChoice(snapshot, True, None)


# -- publishing ------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> bytes:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, env={**os.environ, **GIT_ENV})
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed:\n{result.stderr.decode(errors='replace')}")
    return result.stdout


def publish_site(work: Path, data: DataChoice, site_url: str | None = None) -> Path:
    """Copy the site inputs into a new git repo, publish to gh-pages, extract the branch into
    `work/site`. With `site_url` (where the branch will be served), publish for that address."""
    repo = work / "repo"
    copy_site(repo, data.path, extra=("hooks/explainer",))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-gpg-sign", "-m", "site inputs for the browser tests")

    proc = subprocess.run(
        [venv_python(), "-m", "explainer", "publish", "--branch", "gh-pages"],
        cwd=repo,
        env={**build_env(work), **({"SITE_URL": site_url} if site_url else {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"`explainer publish` failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}", pytrace=False
        )

    site = work / "site"
    site.mkdir(exist_ok=True)
    archive = git(repo, "archive", "--format=tar", "gh-pages")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(site, filter="data")
    return site


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@dataclass
class Site:
    """The published site as served: its editions and where each page type lives."""

    root: Path
    base_url: str
    data: DataChoice
    versions: list[dict[str, Any]]
    """versions.json as mike wrote it, newest first."""
    facts: dict[str, Any]
    """The latest edition's data/facts.json."""
    paths: dict[str, str] = field(default_factory=dict)

    @property
    def latest(self) -> str:
        return next(v["version"] for v in self.versions if "latest" in v["aliases"])

    @property
    def older(self) -> str:
        """The edition before the latest (the latest itself when there is only one)."""
        return next((v["version"] for v in self.versions if v["version"] != self.latest), self.latest)

    def url(self, kind: str, version: str | None = None) -> str:
        if version is None:
            version = self.older if kind == "older-edition" else self.latest
        return f"{self.base_url}{version}/{self.paths[kind]}"


def page_paths(site_root: Path, facts: dict[str, Any]) -> dict[str, str]:
    """Each page type's path inside an edition, picked from the edition's own facts."""
    people = [a for a in facts["actors"] if a["kind"] == "person"] or facts["actors"]
    paths = {
        "home": "",
        "what-changed": "what-changed/",
        "positions": "positions/",
        "topic": f"topics/{facts['topics'][0]['id']}/" if facts["topics"] else "topics/",
        "history": "history/",
        "era": next(
            (f"history/{e['id']}/" for e in facts.get("eras", []) if (site_root / "history" / e["id"]).is_dir()),
            "history/",
        ),
        "regional-roles": "regional-roles/",
        "people": "people/",
        "person": f"people/{people[0]['id']}/" if people else "people/",
        "contested": "contested/",
        "contested-point": f"contested/{facts['contested'][0]['id']}/" if facts["contested"] else "contested/",
        "glossary": "glossary/",
        "sources": "sources/",
        "about": "about/",
        "contribute": "contribute/",
        "api": "contribute/api/site/",
        "older-edition": "",
    }
    assert list(paths) == PAGE_TYPES
    missing_pages = [
        f"{kind}: {path}index.html" for kind, path in paths.items() if not (site_root / path / "index.html").is_file()
    ]
    assert not missing_pages, f"the published edition lacks pages: {missing_pages}"
    return paths


@dataclass
class Visit:
    """What loading one page type in one palette showed."""

    url: str
    scheme: str
    console_errors: list[str]
    bad_responses: list[str]
    requests: list[str]
    violations: list[dict[str, Any]]
    screenshot: Path
    narrow: tuple[int, int, list[str]] | None = None
    """At 375px wide: (document scroll width, window width, elements reaching past the window)."""


AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({ target: n.target.join(" "), summary: n.failureSummary })),
  }));
}"""

SIDEWAYS = """() => [
  document.scrollingElement.scrollWidth,
  window.innerWidth,
  [...document.querySelectorAll("body *")]
    .filter(e => e.offsetParent && e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 8)
    .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + [...e.classList].map(c => "." + c).join("")),
]"""


def open_page(page: Any, url: str) -> None:
    """Load `url`, then wait for what Material's scripts fetch once loaded: versions.json (drawn
    as the edition selector). The search index is fetched only when the reader reaches for
    search (overrides/main.html). Quicker than waiting for network idle."""
    page.goto(url)
    settle(page)


def settle(page: Any) -> None:
    """The page loaded and Material's edition selector drawn."""
    page.wait_for_load_state("load")
    page.wait_for_selector(".md-version__current", state="attached")


def sideways(page: Any) -> tuple[int, int, list[str]]:
    """Resize to 375px wide and measure how far the document reaches sideways."""
    page.set_viewport_size(NARROW)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    width, inner, wide = page.evaluate(SIDEWAYS)
    return width, inner, wide


def full_page_png(page: Any, path: Path) -> None:
    """A full-page PNG screenshot, encoded for speed (Chromium's optimizeForSpeed): about half the
    time of page.screenshot(full_page=True) on long pages, for somewhat bigger files."""
    cdp = page.context.new_cdp_session(page)
    try:
        size = cdp.send("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        shot = cdp.send(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "optimizeForSpeed": True, "clip": clip},
        )
    finally:
        cdp.detach()
    path.write_bytes(base64.b64decode(shot["data"]))
