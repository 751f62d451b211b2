"""Shared test helpers: a scratch `data/` folder with an empty engine cache, a way to get the
diagnostics of a run as the `path:line:col: severity: message` lines the CLI prints, and the
fixture site published once per test run."""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"

settings.register_profile("dev", max_examples=50)
settings.register_profile("ci", max_examples=150)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no") else "dev")
)


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Start and end with the engine's memory cache empty."""
    from explainer.facts import load as engine

    engine._MEMORY.clear()
    yield
    engine._MEMORY.clear()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_cache: None) -> Path:
    """An empty `data/` folder; the working directory is its parent, so paths print `data/...`."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def write(data_dir: Path) -> Callable[[str, str | bytes], Path]:
    """write(name, text) puts a file in `data_dir`: text is dedented, bytes are written as is."""

    def _write(name: str, content: str | bytes) -> Path:
        path = data_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return _write


@pytest.fixture
def diagnostics(data_dir: Path) -> Callable[..., list[str]]:
    """diagnostics(strict=False) loads `data_dir` (no cache) and returns the printed lines of the
    DataError it must raise; the test fails if loading succeeds or raises anything else."""
    from explainer import DataError, load_facts

    def _diagnostics(*, strict: bool = False) -> list[str]:
        try:
            load_facts(data_dir, strict=strict, cache=False)
        except DataError as exc:
            return [str(d) for d in exc.diagnostics]
        pytest.fail("expected a DataError, but the data loaded")

    return _diagnostics


def run_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder of this test run that every pytest-xdist worker of the run shares."""
    temp = tmp_path_factory.getbasetemp()
    folder = temp.parent / name if os.environ.get("PYTEST_XDIST_WORKER") else temp / name
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session", autouse=True)
def page_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The API reference's page cache lives in a folder of this test run (builds in subprocesses
    inherit it), so the first build renders the page and later ones may reuse it. Under
    pytest-xdist the workers share the folder: entries are written whole (write-then-rename)."""
    home = run_folder(tmp_path_factory, "xdg-cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(home)
    yield home
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture(scope="session", autouse=True)
def shared_builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where `site_inputs.built_site` keeps the sites it builds, for every worker of the run."""
    import site_inputs

    site_inputs.BUILDS = run_folder(tmp_path_factory, "builds")
    return site_inputs.BUILDS


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups into the tests' ids
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Imported here, as site_inputs imports MkDocs: pytest-xdist's controller, which never
    # collects, then starts its workers without waiting for it.
    from site_inputs import put_in_xdist_groups

    put_in_xdist_groups(items)


@pytest.fixture(scope="session")
def real_edition(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """real_edition(id) is the site of the repository's data/ built strictly by MkDocs at edition
    `id`, once per test run, whichever suite asks first (test_cut, test_time_leaks, test_site)."""
    from site_inputs import built_site, copy_site

    site = copy_site(tmp_path_factory.mktemp("real-editions") / "site", ROOT / "data")

    def build(edition: str) -> Path:
        return built_site(site, EXPLAINER_EDITION=edition)

    return build


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    """The fixture site committed to a repository and published once per test run with
    `python -m explainer publish --push` (tests/test_publish.py): (repository, its bare origin,
    the completed process). A test that changes them works on `test_publish.copy_published`.
    Both object stores are then packed, as `git gc` would: each copy copies a few packs instead
    of every page of both editions as a loose object."""
    from test_publish import git, make_repo, publish

    repo, remote = make_repo(tmp_path_factory.mktemp("publish"))
    result = publish(repo)
    assert result.returncode == 0, f"publish failed:\n{result.stdout}\n{result.stderr}"
    git(repo, "repack", "-a", "-d", "-q")
    git(remote, "repack", "-a", "-d", "-q", bare=True)
    return repo, remote, result


@pytest.fixture(scope="session")
def republished(published, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    """A copy of `published` after two changes to the second edition only, published again with
    `python -m explainer publish --push`: (repository, its bare origin, the completed process).
    One of its facts changes ("a second round" becomes "round two"), and its title becomes
    `test_publish.HOSTILE_TITLE`. Tests that need that edition built from the change take it
    from this branch (`test_publish.extract`) instead of building it."""
    from test_publish import HOSTILE_TITLE, ROUND_TWO, SECOND_ROUND, copy_published, edit, publish

    repo, remote = copy_published(published, tmp_path_factory.mktemp("republish") / "copy")
    edit(repo, "data/facts.yml", SECOND_ROUND, ROUND_TWO)
    edit(repo, "data/facts.yml", "title: Second round\n", f"title: {json.dumps(HOSTILE_TITLE)}\n")
    result = publish(repo)
    assert result.returncode == 0, f"publish failed:\n{result.stdout}\n{result.stderr}"
    return repo, remote, result
