"""Publishing is all or nothing (issue 10): git failing at any one of its calls, a refused push,
or Ctrl-C at any point before the branch moves leaves the local and the remote gh-pages where
they were, and what the command says is true.

The failures are injected into `publish()` itself: a `git` first on PATH that fails at its Nth
call, for every N, and a `_git` that raises KeyboardInterrupt at its Nth call. The editions are
built for real once (the `published` and `republished` fixtures); each attempt reads those builds
instead of running MkDocs again.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from explainer.tools import cli
from explainer.tools import publish as publishing
from test_publish import (
    BRANCH,
    ROUND_TWO,
    SECOND_ROUND,
    copy_published,
    edit,
    extract,
    git,
    git_env,
    head,
    make_repo,
    show,
)

pytestmark = pytest.mark.slow

REAL_GIT = shutil.which("git")
FAKE_GIT = """#!/bin/sh
read n < "$FAKE_GIT_COUNT"
n=$((n + 1))
echo "$n" > "$FAKE_GIT_COUNT"
echo "$1" >> "$FAKE_GIT_LOG"
if [ "$n" = "$FAKE_GIT_FAIL_AT" ]; then
  echo "fake git: call $n ($1) fails" >&2
  exit 1
fi
exec {real} "$@"
"""
UNCHANGED = "nothing was deployed; gh-pages is unchanged"


@pytest.fixture(scope="module")
def template(published, republished, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A repository published once (both editions on gh-pages and origin), then a change that
    touches only the second edition; and that edition built from the change (by `republished`,
    which made the same change), for reuse."""
    work = tmp_path_factory.mktemp("atomic")
    repo, _ = copy_published(published, work / "t")
    edit(repo, "data/facts.yml", SECOND_ROUND, ROUND_TWO)
    _, rebuilt, _ = republished
    return work / "t", extract(rebuilt, "2026-02-17", work / "prebuilt" / "2026-02-17").parent


@pytest.fixture
def attempt(template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """attempt(fail_at=0) publishes a copy of the template with --push, its git failing at call
    `fail_at` (0: never); returns (repo, remote, outcome or PublishError, git commands run).
    An attempt that left both repositories' refs as the template has them hands its copy to the
    next attempt (the git-failure test also checks the checkout and its index); one that moved a
    ref leaves its copy to the test, and the next attempt makes a new one, deleting it then:
    the test has checked it by then. The rebuilt edition is read where the template keeps it."""
    source, prebuilt = template
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "git").write_text(FAKE_GIT.format(real=REAL_GIT), encoding="utf-8")
    (bin_dir / "git").chmod(0o755)
    for key, value in git_env().items():
        monkeypatch.setenv(key, value)
    for key in ("EXPLAINER_EDITION", "EXPLAINER_DATA_DIR", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(publishing, "_build", lambda config_file, edition_id, *rest: prebuilt / edition_id)
    untouched = refs(source / "repo"), refs(source / "origin.git")
    copies = 0
    reusable: list[Path] = []

    def run(fail_at: int = 0):
        nonlocal copies
        if not reusable:
            shutil.rmtree(tmp_path / f"run-{copies}", ignore_errors=True)
            copies += 1
            work = tmp_path / f"run-{copies}"
            shutil.copytree(source, work)
            origin = ["remote", "set-url", "origin", str(work / "origin.git")]
            subprocess.run([REAL_GIT, "-C", str(work / "repo"), *origin], check=True)
            reusable.append(work)
        work = reusable.pop()
        repo, remote = work / "repo", work / "origin.git"
        count, log = work / "count", work / "log"
        count.write_text("0\n")
        log.write_text("")
        monkeypatch.setenv("FAKE_GIT_COUNT", str(count))
        monkeypatch.setenv("FAKE_GIT_LOG", str(log))
        monkeypatch.setenv("FAKE_GIT_FAIL_AT", str(fail_at))
        try:
            result = publishing.publish(repo / "mkdocs.yml", BRANCH, push=True, report=lambda line: None)
        except publishing.PublishError as exc:
            result = exc
        if (refs(repo), refs(remote)) == untouched:
            reusable.append(work)
        return repo, remote, result, log.read_text().split()

    return run


def refs(repo: Path) -> str:
    return subprocess.run(
        [REAL_GIT, "-C", str(repo), "for-each-ref", "refs/heads", "refs/tags"], capture_output=True, text=True
    ).stdout


def test_git_failing_at_any_call_leaves_both_branches_where_they_were(attempt, template) -> None:
    source, _ = template
    before = head(source / "repo"), head(source / "origin.git", bare=True)
    assert None not in before
    repo, remote, outcome, calls = attempt()
    assert isinstance(outcome, publishing.Outcome), outcome
    assert (outcome.built, outcome.reused) == (["2026-02-17"], ["2026-02-06"])
    new = head(remote, bare=True)
    assert new not in before and head(repo) == new
    published = git(remote, "rev-parse", f"{new}^{{tree}}", bare=True)
    assert ROUND_TWO in show(remote, "2026-02-17/history/talks/index.html")  # the era of the talks
    assert {"ls-remote", "fetch", "read-tree", "hash-object", "update-index", "write-tree", "commit-tree"} <= set(calls)
    assert calls[-2:] == ["push", "update-ref"], "the branch moves last, once"

    for n, command in enumerate(calls, 1):
        repo, remote, result, _ = attempt(fail_at=n)
        assert isinstance(result, publishing.PublishError), (n, command, result)
        message = str(result)
        assert f"fake git: call {n} ({command}) fails" in message, message
        if command == "update-ref":  # after the push: the site is published, all of it
            there = head(remote, bare=True)
            assert git(remote, "rev-parse", f"{there}^{{tree}}", bare=True) == published
            assert git(remote, "rev-parse", f"{there}^", bare=True) == before[1]
            assert head(repo) == before[0]
            assert f"every edition was published: origin/gh-pages is at {there}" in message
        else:
            assert (head(repo), head(remote, bare=True)) == before, (n, command)
            assert "nothing was deployed; gh-pages is unchanged" in message, message
        assert refs(repo) == refs(source / "repo"), "no other ref was touched"
        assert git(repo, "status", "--porcelain") == "", "the checkout and its index were not touched"


def test_ctrl_c_at_any_point_before_the_move_changes_nothing(attempt, template, monkeypatch) -> None:
    source, _ = template
    before = head(source / "repo"), head(source / "origin.git", bare=True)
    real_git = publishing._git
    calls: list[str] = []
    interrupt_at = 0

    def interrupted_git(root, *args, **kwargs):
        calls.append(args[0])
        if len(calls) == interrupt_at:
            raise KeyboardInterrupt
        return real_git(root, *args, **kwargs)

    monkeypatch.setattr(publishing, "_git", interrupted_git)
    attempt()
    before_move = calls.index("push")
    assert before_move > 5
    for interrupt_at in range(1, before_move + 1):
        calls.clear()
        repo, remote, result, _ = attempt()
        assert isinstance(result, publishing.PublishInterrupted), (interrupt_at, calls[-1], result)
        assert str(result) == f"interrupted: {UNCHANGED}"
        assert (head(repo), head(remote, bare=True)) == before, calls[-1]


def test_ctrl_c_prints_one_line_and_exits_130(template, tmp_path: Path, monkeypatch, capsys) -> None:
    source, _ = template
    shutil.copytree(source, tmp_path / "w")
    repo = tmp_path / "w" / "repo"
    git(repo, "remote", "set-url", "origin", str(tmp_path / "w" / "origin.git"))
    before = head(repo)
    for key, value in git_env().items():  # as the template was published (SITE_URL is in each edition's hash)
        monkeypatch.setenv(key, value)
    real_git = publishing._git

    def interrupted_git(root, *args, **kwargs):
        if args[0] == "write-tree":
            raise KeyboardInterrupt
        return real_git(root, *args, **kwargs)

    monkeypatch.setattr(publishing, "_git", interrupted_git)
    monkeypatch.setattr(publishing, "_build", lambda *a: (_ for _ in ()).throw(AssertionError("no build needed")))
    facts = repo / "data" / "facts.yml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("round two.", "a second round."), encoding="utf-8")
    code = cli.main(["publish", "--config-file", str(repo / "mkdocs.yml")])
    err = capsys.readouterr().err
    assert code == 130
    assert err == f"interrupted: {UNCHANGED}\n"
    assert head(repo) == before


@pytest.fixture
def ctrl_c_as_at_a_terminal() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt here, and a child process started now gets Python's own
    handling of it, even when the tests were started where SIGINT is ignored (`nohup`, `&`
    in a script): without this, the tests below would measure how they were launched."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def test_ctrl_c_during_a_build_from_the_terminal(tmp_path: Path, ctrl_c_as_at_a_terminal: None) -> None:
    repo, remote = make_repo(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "explainer", "publish", "--push"],
        cwd=repo,
        env=git_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "building 2026-02-06" in line, line
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130
    assert err == f"interrupted: {UNCHANGED}\n"
    assert head(repo) is None and head(remote, bare=True) is None


def test_ctrl_c_during_the_move_waits_for_it(ctrl_c_as_at_a_terminal: None) -> None:
    with publishing._deferred_interrupt() as caught:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.1)  # the handler runs here, and must not raise
    assert caught == [signal.SIGINT]
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.1)


def test_diverged_branches_are_refused(attempt, template, tmp_path: Path) -> None:
    """Local gh-pages has a commit origin lacks, and origin one the local lacks: neither moves."""
    source, _ = template
    work = tmp_path / "d"
    shutil.copytree(source, work)
    repo, remote = work / "repo", work / "origin.git"
    git(repo, "remote", "set-url", "origin", str(remote))
    tree = git(repo, "rev-parse", f"{BRANCH}^{{tree}}")
    local = git(repo, "commit-tree", tree, "-p", BRANCH, "-m", "local only")
    theirs = git(repo, "commit-tree", tree, "-p", BRANCH, "-m", "origin only")
    git(repo, "push", "-q", "origin", f"{theirs}:refs/heads/{BRANCH}")
    git(repo, "update-ref", f"refs/heads/{BRANCH}", local)
    with pytest.raises(publishing.PublishError, match="have diverged"):
        publishing.publish(repo / "mkdocs.yml", BRANCH, push=True, report=lambda line: None)
    assert (head(repo), head(remote, bare=True)) == (local, theirs)
