"""The exit path: the site rendered by `python -m explainer render` builds with ProperDocs (the
maintained MkDocs 1.x fork) as well as with MkDocs, and ProperDocs stays out of .venv.

ProperDocs lives in its own virtual environment, .venv-properdocs/, installed from the hashed
requirements-properdocs.lock and reused while the lock is unchanged (a stamp holds its sha256).
It must never be in .venv: mike switches to ProperDocs whenever it is installed. If the
environment cannot be set up the build test skips locally but fails under CI=true.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

import pytest
import yaml
from bs4 import BeautifulSoup
from site_inputs import build_site, copy_site
from test_cli import run_cli

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
LOCK = ROOT / "requirements-properdocs.lock"
VENV = ROOT / ".venv-properdocs"
STAMP = VENV / ".lock-sha256"
UNSET = ("SOURCE_DATE_EPOCH", "EXPLAINER_DATA_DIR", "EXPLAINER_EDITION")


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(what: str) -> NoReturn:
    """Skip locally, but fail under CI: CI must never pass by skipping this check."""
    if under_ci():
        pytest.fail(f"{what} (under CI this must work)", pytrace=False)
    pytest.skip(what)


def main_python() -> str:
    candidate = ROOT / ".venv" / "bin" / "python"
    return str(candidate) if candidate.exists() else sys.executable


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    return {**env, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", **extra}


def run(cmd: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=clean_env(**env), capture_output=True, text=True, timeout=900)


# -- ProperDocs stays out of the main environment ---------------------------------------------

MAIN_VENV_PROBE = """
import importlib.metadata, importlib.util
try:
    importlib.metadata.version("properdocs")
    print("distribution: installed")
except importlib.metadata.PackageNotFoundError:
    print("distribution: absent")
print("module:", "importable" if importlib.util.find_spec("properdocs") else "absent")
from mike import mkdocs_utils
print("mike drives:", mkdocs_utils._program_name)
"""


def test_properdocs_is_not_installed_in_the_main_venv() -> None:
    proc = run([main_python(), "-c", MAIN_VENV_PROBE], ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:3] == ["distribution: absent", "module: absent", "mike drives: mkdocs"], (
        f"ProperDocs is installed in .venv, so mike would build with it:\n{proc.stdout}"
        "remove it: .venv/bin/pip uninstall properdocs (it belongs in .venv-properdocs/ only)"
    )


# -- the ProperDocs environment ----------------------------------------------------------------


@pytest.fixture(scope="session")
def properdocs() -> Path:
    """.venv-properdocs/bin/properdocs, (re)installed from the lock when the lock changed."""
    if not LOCK.exists():
        pytest.fail(f"{LOCK.name} is missing", pytrace=False)
    wanted = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    executable = VENV / "bin" / "properdocs"
    guard = Path(tempfile.gettempdir()) / f"properdocs-venv-{hashlib.sha1(bytes(VENV)).hexdigest()[:12]}.lock"
    with open(guard, "w") as handle:  # one installer at a time
        fcntl.flock(handle, fcntl.LOCK_EX)
        if STAMP.exists() and STAMP.read_text().strip() == wanted and executable.exists():
            return executable
        shutil.rmtree(VENV, ignore_errors=True)
        made = run([sys.executable, "-m", "venv", str(VENV)], ROOT)
        if made.returncode != 0:
            missing(f"cannot create {VENV.name}/: {made.stderr.strip()}")
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        installed = run([*pip, "--require-hashes", "-r", str(LOCK)], ROOT)
        if installed.returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            errors = [line for line in installed.stderr.splitlines() if "WARNING: Location" not in line]
            missing(f"cannot install {LOCK.name} into {VENV.name}/:\n" + "\n".join(errors[-20:]))
        STAMP.write_text(wanted + "\n")
    return executable


def test_properdocs_environment_matches_the_lock(properdocs: Path) -> None:
    version = run([str(properdocs), "--version"], ROOT)
    assert version.returncode == 0 and "1.6" in version.stdout, version.stdout + version.stderr
    check = run([str(VENV / "bin" / "python"), "-m", "pip", "check"], ROOT)
    assert check.returncode == 0, f"{VENV.name}/ has broken requirements:\n{check.stdout}"


# -- render, then build with both --------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m explainer render OUT` (main venv, in this process) of a copy of the site with the
    fixture data, which holds every kind of record and every directive. (That the real data's
    pages come out of `render` as Markdown makes them with the hooks is test_raw's check.)"""
    work = tmp_path_factory.mktemp("properdocs")
    project = work / "project"
    copy_site(project, FIXTURE_DATA)
    out = work / "rendered"
    proc = run_cli(project, "render", str(out))
    assert proc.returncode == 0, f"explainer render failed:\n{proc.stdout}\n{proc.stderr}"
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "hooks" not in config, "the rendered mkdocs.yml still has hooks"
    fenced = [p.name for p in (out / "docs").rglob("*.md") if "<!--explainer-raw" in p.read_text(encoding="utf-8")]
    assert fenced == [], "a host without the hooks would show the engine's fences (explainer.site.raw)"
    return out


def test_the_rendered_site_leaves_out_the_api_reference_and_its_section(rendered: Path) -> None:
    """The API reference needs mkdocstrings and the engine's source: its pages, its navigation
    entries and the section they filled are gone; every other section keeps its pages."""

    def entries(nav: list) -> list:
        found = []
        for item in nav:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                assert value, f"an empty section in the rendered navigation: {item}"
                found.extend(entries(value))
            else:
                found.append(value)
        return found

    assert not list((rendered / "docs").glob("contribute/api/*.md"))
    nav = entries(yaml.safe_load((rendered / "mkdocs.yml").read_text(encoding="utf-8"))["nav"])
    assert not [page for page in nav if "contribute/api" in page]
    assert "contribute/index.md" in nav and "performance.md" in nav


def key_pages(site: Path, rendered: Path) -> list[str]:
    """What is wrong with the key pages of a built site (empty when all is well)."""
    problems = []
    home = site / "index.html"
    if not home.is_file():
        problems.append("no index.html")
    positions = site / "positions" / "index.html"
    if not positions.is_file():
        problems.append("no positions/index.html")
    else:
        soup = BeautifulSoup(positions.read_text(encoding="utf-8"), "html.parser")
        matrix = soup.select_one("table.positions-matrix")
        if matrix is None or not matrix.select("tbody tr"):
            problems.append("positions/index.html has no table.positions-matrix with rows")
    topics = sorted((rendered / "docs" / "topics").glob("*.md"))
    if not topics:
        problems.append("the rendered site has no topic pages (docs/topics/*.md)")
    else:
        topic = site / "topics" / topics[0].stem / "index.html"
        if not topic.is_file():
            problems.append(f"no topic page {topic.relative_to(site)}")
        elif BeautifulSoup(topic.read_text(encoding="utf-8"), "html.parser").select_one("article h1") is None:
            problems.append(f"{topic.relative_to(site)} has no heading")
    return problems


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def mkdocs_site(rendered: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`mkdocs build --strict` of the rendered site, in this process (`site_inputs.build_site`)."""
    site = tmp_path_factory.mktemp("mkdocs-site")
    proc = build_site(rendered, site)
    assert proc.returncode == 0, f"mkdocs build --strict of the rendered site failed:\n{proc.stderr}"
    return site


def test_rendered_site_builds_with_mkdocs(mkdocs_site: Path, rendered: Path) -> None:
    assert not key_pages(mkdocs_site, rendered), key_pages(mkdocs_site, rendered)


def test_rendered_site_builds_with_properdocs(
    properdocs: Path, rendered: Path, mkdocs_site: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    proc = run([str(properdocs), "build", "--strict", "-f", "mkdocs.yml", "-d", str(site)], rendered)
    hint = (
        "\n(the rendered mkdocs.yml keeps the mkdocstrings plugin and the API reference page, which "
        "need mkdocstrings and the engine's source: `explainer render` must leave them out)"
        if "mkdocstrings" in proc.stderr
        else ""
    )
    assert proc.returncode == 0, f"properdocs build --strict of the rendered site failed:\n{proc.stderr}{hint}"
    problems = key_pages(site, rendered)
    assert not problems, f"properdocs build: {problems}"
    assert pages(site) == pages(mkdocs_site), (
        f"ProperDocs and MkDocs built different pages: only ProperDocs {sorted(pages(site) - pages(mkdocs_site))}, "
        f"only MkDocs {sorted(pages(mkdocs_site) - pages(site))}"
    )
