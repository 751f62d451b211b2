"""The site's inputs, copied into a folder of a test's own: one helper for every suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup

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


def real_data_or_fixture(work: Path) -> Path:
    """A snapshot of data/ when it passes `explainer check --strict`, else the fixture data."""
    real = ROOT / "data"
    if real.is_dir() and any(p.suffix in (".yml", ".yaml") for p in real.rglob("*")):
        snapshot = work / "data-snapshot"
        shutil.copytree(real, snapshot, ignore=IGNORED)
        check = subprocess.run(
            [sys.executable, "-m", "explainer", "check", "--strict", str(snapshot)],
            capture_output=True,
        )
        if check.returncode == 0:
            return snapshot
    return FIXTURE_DATA


ENGINE_ENV = ("EXPLAINER_EDITION", "EXPLAINER_DATA_DIR", "SOURCE_DATE_EPOCH")


def build_site(site: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict -d out` in `site`, in a fresh process with its own engine cache."""
    clean = {k: v for k, v in os.environ.items() if k not in ENGINE_ENV}
    clean.update(NO_MKDOCS_2_WARNING="1", **env)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=site,
        env=clean,
        capture_output=True,
        text=True,
        timeout=600,
    )


def built_site(site: Path, out: Path, **env: str) -> Path:
    """`build_site`, which must succeed; the output folder."""
    result = build_site(site, out, **env)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return out


@cache
def parse(path: Path) -> BeautifulSoup:
    """A built HTML file, parsed once per test session."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(site: Path, url: str) -> BeautifulSoup:
    """The parsed HTML of the page at directory-style `url` ('' for home)."""
    return parse(site / url / "index.html")
