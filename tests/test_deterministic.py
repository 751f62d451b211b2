"""Reproducible builds: two `mkdocs build --strict` runs of one commit give byte-identical sites.

The site's inputs (and the real data/ when it passes `explainer check --strict`, else the fixture
data) are committed to a throw-away repository. One build runs there, in the test's own process,
whose caches other tests may have filled; the other runs in a clone of it at another path, in a
fresh process with a hash seed, time zone and locale of its own.
SOURCE_DATE_EPOCH is left unset: the engine takes it from the last commit. Every file of the two
sites must match byte for byte.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from site_inputs import build_site, copy_site, real_data_or_fixture

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "determinism test",
    "GIT_AUTHOR_EMAIL": "tests@explainer.invalid",
    "GIT_COMMITTER_NAME": "determinism test",
    "GIT_COMMITTER_EMAIL": "tests@explainer.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
ENGINE_RESULTS = ("benchmarks/results.json", "benchmarks/serve.json", "benchmarks/lighthouse/results.json")
"""What the Performance page shows, read from beside the engine: the build in this process reads
the repository's, the clone's build its own copies."""
UNSET = ("SOURCE_DATE_EPOCH", "EXPLAINER_DATA_DIR", "EXPLAINER_EDITION")


def venv_bin(name: str) -> str:
    candidate = ROOT / ".venv" / "bin" / name
    return str(candidate) if candidate.exists() else str(Path(sys.executable).with_name(name))


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    return {**env, **GIT_ENV, **extra}


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, env=clean_env(), capture_output=True, text=True)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout.strip()


@pytest.fixture(scope="module")
def commit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(repository, a clone of it at another path, the commit both have checked out)."""
    work = tmp_path_factory.mktemp("deterministic")
    repo = work / "repo"
    copy_site(repo, real_data_or_fixture(work), extra=("hooks/explainer", *ENGINE_RESULTS))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-gpg-sign", "-m", "site inputs")
    clone = work / "elsewhere" / "clone"
    git(work, "clone", "-q", str(repo), str(clone))
    head = git(repo, "rev-parse", "HEAD")
    assert git(clone, "rev-parse", "HEAD") == head
    return repo, clone, head


def build(checkout: Path, out: Path, **env: str) -> None:
    """`mkdocs build --strict` of a checkout into `out`, in a fresh process."""
    proc = subprocess.run(
        [venv_bin("mkdocs"), "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=checkout,
        env=clean_env(NO_MKDOCS_2_WARNING="1", **env),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed in {checkout}:\n{proc.stdout}\n{proc.stderr}"


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    start = max(0, at - 60)
    return (
        f"sizes {len(a)} / {len(b)}, first difference at byte {at}:\n"
        f"      first:  {a[start : at + 60]!r}\n"
        f"      second: {b[start : at + 60]!r}"
    )


def test_two_builds_of_one_commit_are_byte_identical(commit: tuple[Path, Path, str], tmp_path: Path) -> None:
    repo, clone, head = commit
    first, second = tmp_path / "first", tmp_path / "second"
    here = build_site(repo, first)
    assert here.returncode == 0, f"mkdocs build --strict failed in {repo}:\n{here.stderr}"
    build(clone, second, PYTHONHASHSEED="2", TZ="Pacific/Kiritimati", LC_ALL="C")
    a, b = files(first), files(second)
    assert a, "the first build wrote no files"
    problems = [f"only in the first build: {name}" for name in sorted(a.keys() - b.keys())]
    problems += [f"only in the second build: {name}" for name in sorted(b.keys() - a.keys())]
    differing = [name for name in sorted(a.keys() & b.keys()) if a[name] != b[name]]
    problems += [f"differs: {name}: {first_difference(a[name], b[name])}" for name in differing[:10]]
    if len(differing) > 10:
        problems.append(f"… and {len(differing) - 10} more differing files: {differing[10:]}")
    assert not problems, f"two builds of commit {head[:12]} differ ({len(differing)} of {len(a)} files):\n" + "\n".join(
        problems
    )
