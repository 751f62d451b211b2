"""The code's own checks, part of the test command so CI enforces them: ruff (lint and format)
and mypy over the engine and dev.py (configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mypy import api as mypy_api

ROOT = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).with_name("ruff")
CODE = ["hooks", "tests", "benchmarks", "dev.py"]


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([RUFF, "check", "--no-cache", *CODE], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted() -> None:
    result = subprocess.run([RUFF, "format", "--check", "--no-cache", *CODE], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing(monkeypatch) -> None:
    """mypy keeps its incremental cache in .mypy_cache/ (git-ignored), as when run by hand: a run
    after a small change re-checks what changed (about 0.2 s instead of 4 s of CPU)."""
    monkeypatch.chdir(ROOT)
    report, errors, status = mypy_api.run([])
    assert status == 0, report + errors
