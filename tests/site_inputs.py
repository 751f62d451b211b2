"""The site's inputs, copied into a folder of a test's own: one helper for every suite."""

from __future__ import annotations

import gc
import hashlib
import io
import logging
import os
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from bs4 import BeautifulSoup
from explainer import DataError, load_facts
from filelock import FileLock
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
SITE_INPUTS = ("mkdocs.yml", "docs", "overrides", "hooks/explainer_hooks.py", "hooks/explainer_page_cache.py")
"""What a build needs besides data: the engine itself is installed in the venv."""
IGNORED = shutil.ignore_patterns("__pycache__", "*.egg-info", ".cache")


def copy_site(dest: Path, data: Path, extra: tuple[str, ...] = ()) -> Path:
    """A buildable copy of the site at `dest`, with `data` as its data/ folder."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in (*SITE_INPUTS, *extra):
        source, target = ROOT / name, dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=IGNORED)
        else:
            shutil.copy2(source, target)
    shutil.copytree(data, dest / "data", ignore=IGNORED)
    return dest


def shorten_api_reference(site: Path) -> None:
    """Cut each page of the site's API reference (docs/contribute/api/) after its first module:
    for tests of what a build does with the reference, not of the reference itself, which the
    real data's first build (tests/test_cut.py) renders whole, a second of mkdocstrings."""
    for api_page in (site / "docs" / "contribute" / "api").glob("*.md"):
        text = api_page.read_text(encoding="utf-8")
        first = text.index("\n::: ")
        api_page.write_text(text[: text.index("\n", first + 1) + 1], encoding="utf-8")


def real_data_or_fixture(work: Path) -> Path:
    """A snapshot of data/ when it passes `explainer check --strict`, else the fixture data."""
    real = ROOT / "data"
    if real.is_dir() and any(p.suffix in (".yml", ".yaml") for p in real.rglob("*")):
        snapshot = work / "data-snapshot"
        shutil.copytree(real, snapshot, ignore=IGNORED)
        try:
            load_facts(snapshot, strict=True, cache=False)
        except DataError:
            return FIXTURE_DATA
        return snapshot
    return FIXTURE_DATA


ENGINE_ENV = ("EXPLAINER_EDITION", "EXPLAINER_DATA_DIR", "SOURCE_DATE_EPOCH")


@dataclass
class BuildResult:
    """What `mkdocs build --strict` would have said: its exit code and its log."""

    returncode: int
    stdout: str
    stderr: str


BUILDS: Path | None = None
"""Where `built_site` keeps what it builds: a folder of the test run that every pytest-xdist
worker shares (tests/conftest.py sets it)."""


def _inputs_digest(site: Path) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for name in ("mkdocs.yml", "docs", "overrides", "hooks", "data"):
        for path in sorted([site / name] if (site / name).is_file() else (site / name).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_site(site: Path, out: Path, **env: str) -> BuildResult:
    """`mkdocs build --strict -d out` in `site`, in process, with only `env` of the engine's
    variables set; the environment is restored afterwards."""
    saved = dict(os.environ)
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    try:
        for name in ENGINE_ENV:
            os.environ.pop(name, None)
        os.environ.update(env)
        build(load_config(str(site / "mkdocs.yml"), site_dir=str(out), strict=True))
        code = 0
    except (Abort, PluginError, ConfigurationError) as exc:
        log.write(f"\n{type(exc).__name__}: {exc}\n")
        code = 1
    finally:
        mkdocs_log.removeHandler(handler)
        os.environ.clear()
        os.environ.update(saved)
    return BuildResult(code, "", log.getvalue())


def built_site(site: Path, **env: str) -> Path:
    """`build_site`, which must succeed: the output folder. A site with the same inputs and
    environment is built once per test run, by the first worker to ask; the others wait for that
    build and get the same folder, which no test may change."""
    assert BUILDS is not None, "tests/conftest.py sets site_inputs.BUILDS"
    key = hashlib.blake2b(repr((_inputs_digest(site), sorted(env.items()))).encode(), digest_size=10).hexdigest()
    out, done = BUILDS / key, BUILDS / f"{key}.done"
    with FileLock(BUILDS / f"{key}.lock"):
        if not done.exists():
            shutil.rmtree(out, ignore_errors=True)  # what a failed build left
            result = build_site(site, out, **env)
            assert result.returncode == 0, f"build failed:\n{result.stderr}"
            done.touch()
    return out


@cache
def parse(path: Path) -> BeautifulSoup:
    """A built HTML file, parsed once per test session (BeautifulSoup on lxml's parser). Kept to
    the end of the session, the parsed page is moved out of the garbage collector's sight
    (`gc.freeze`): otherwise every full collection walks every node of every page kept so far,
    and walks them all again at exit."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    gc.freeze()
    return soup


@cache
def tree(path: Path) -> lxml.html.HtmlElement:
    """A built page, parsed by lxml once per test session: for scans that read every page of a
    site, which BeautifulSoup's tree (`parse`) makes several times as long."""
    return lxml.html.document_fromstring(path.read_bytes())


def with_class(name: str) -> str:
    """An XPath test for elements whose class attribute holds `name`, as CSS's `.name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def page(site: Path, url: str) -> BeautifulSoup:
    """The parsed HTML of the page at directory-style `url` ('' for home)."""
    return parse(site / url / "index.html")


SHARED_FIXTURES = {
    "published": "published",
    "republished": "published",
    "real_edition": "real-data",
    "actionlint_errors": "actionlint",
}
"""Session and module fixtures that take a while to make, and the pytest-xdist group of the tests
using them (tests/conftest.py marks them): a group runs on one worker, so under `dev.py test`,
which runs `--dist loadgroup`, each is made once per run."""


BROWSER_TESTS = ROOT / "tests" / "browser"
"""Its tests form one xdist group too: they share one published site and one Chromium, and that
site takes longer to publish than the rest of the suite takes to run beside them."""


def put_in_xdist_groups(items: list[Any]) -> None:
    """Mark each collected test that uses a fixture of SHARED_FIXTURES with that fixture's group,
    and each browser test with the group "browser"."""
    for item in items:
        groups = {SHARED_FIXTURES[name] for name in getattr(item, "fixturenames", ()) if name in SHARED_FIXTURES}
        if BROWSER_TESTS in Path(item.path).parents:
            groups.add("browser")
        if len(groups) > 1:
            raise pytest.UsageError(f"{item.nodeid} uses fixtures of two xdist groups: {sorted(groups)}")
        for group in groups:
            item.add_marker(pytest.mark.xdist_group(group))
