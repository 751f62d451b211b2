"""The site's inputs, copied into a folder of a test's own: one helper for every suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
SITE_INPUTS = ("mkdocs.yml", "docs", "overrides", "hooks/explainer_hooks.py")
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
            env={**os.environ, "EXPLAINER_CACHE_DIR": str(work / "check-cache")},
        )
        if check.returncode == 0:
            return snapshot
    return FIXTURE_DATA
