"""Build every edition, then deploy them all with mike to a git branch, or nothing at all.

Each edition is built strictly into its own folder first; only when every build passed is any
of them committed. Each becomes a mike version titled with the edition's title; the newest
carries the alias `latest` (a redirect, since GitHub Pages rejects symlinks) and the branch
root redirects to it. Builds are deterministic, so a re-run on unchanged data commits nothing.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mike import commands as mike
from mike import git_utils
from mkdocs.commands.build import build
from mkdocs.config import load_config

from ..errors import ExplainerError
from ..facts.load import load_facts
from ..site.build import DATA_ENV, EDITION_ENV

LATEST = "latest"


class PublishError(ExplainerError):
    """An edition failed to build, or git refused; nothing was deployed."""


@dataclass
class Outcome:
    """What publishing did to the branch."""

    deployed: list[str]
    unchanged: list[str]
    default_changed: bool
    head_before: str | None
    head_after: str | None

    def summary(self, branch: str) -> str:
        if self.head_before == self.head_after:
            return f"{branch}: nothing changed ({len(self.unchanged)} editions already current)"
        lines = [f"{branch}: {self.head_before or '(new branch)'} → {self.head_after}"]
        if self.deployed:
            lines.append(f"  updated editions: {', '.join(self.deployed)}")
        if self.unchanged:
            lines.append(f"  unchanged editions: {', '.join(self.unchanged)}")
        if self.default_changed:
            lines.append(f"  root now redirects to {LATEST}/")
        return "\n".join(lines)


def publish(
    config_file: Path,
    branch: str = "gh-pages",
    *,
    push: bool = False,
    remote: str = "origin",
    report: Callable[[str], None] = print,
) -> Outcome:
    """Build and deploy every edition defined in the data; raise PublishError on failure."""
    config_file = config_file.resolve()
    root = config_file.parent
    editions = load_facts(os.environ.get(DATA_ENV) or root / "data").facts.editions
    if not editions:
        raise PublishError("the data defines no editions (data/editions.yml)")
    os.environ.setdefault("SOURCE_DATE_EPOCH", _git(root, "log", "-1", "--format=%ct") or "0")
    os.environ.setdefault("GIT_COMMITTER_NAME", "explainer publish")
    os.environ.setdefault("GIT_COMMITTER_EMAIL", "publish@explainer.invalid")
    with tempfile.TemporaryDirectory(prefix="explainer-editions-") as tmp:
        built: dict[str, Path] = {}
        for n, edition in enumerate(editions, 1):
            left = len(editions) - n
            report(f"[{n}/{len(editions)}] building {edition.id} ({edition.title}); {left} left")
            built[edition.id] = _build_edition(config_file, edition.id, Path(tmp) / edition.id)
        report("all editions built; deploying")
        return _deploy(root, branch, editions, built, push, remote, report)


def _build_edition(config_file: Path, edition_id: str, site_dir: Path) -> Path:
    """Build one edition strictly; PublishError, with what MkDocs said, if it fails."""
    previous = os.environ.get(EDITION_ENV)
    os.environ[EDITION_ENV] = edition_id
    said = io.StringIO()
    handler = logging.StreamHandler(said)
    handler.setLevel(logging.WARNING)
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
            build(config)
    except Exception as exc:  # any failure, a template's included: deploy nothing
        detail = said.getvalue().strip() or f"{type(exc).__name__}: {exc}"
        raise PublishError(f"edition {edition_id} failed to build: {exc}\n{detail}") from None
    finally:
        mkdocs_log.removeHandler(handler)
        if previous is None:
            os.environ.pop(EDITION_ENV, None)
        else:
            os.environ[EDITION_ENV] = previous
    return site_dir


def _deploy(
    root: Path, branch: str, editions, built: dict[str, Path], push: bool, remote: str, report: Callable[[str], None]
) -> Outcome:
    head_before = _git(root, "rev-parse", "--verify", "-q", f"refs/heads/{branch}")
    deployed, unchanged = [], []
    cwd = Path.cwd()
    os.chdir(root)  # mike works on the repository of the working directory
    try:
        for n, edition in enumerate(editions, 1):
            aliases = [LATEST] if edition is editions[-1] else []
            cfg = {"site_dir": str(built[edition.id]), "use_directory_urls": True}
            try:
                with mike.deploy(
                    cfg,
                    edition.id,
                    edition.title,
                    aliases,
                    update_aliases=True,
                    alias_type=mike.AliasType.redirect,
                    branch=branch,
                    message=f"Publish edition {edition.id}: {edition.title}",
                ):
                    pass
                deployed.append(edition.id)
                state = "deployed"
            except git_utils.GitEmptyCommit:
                unchanged.append(edition.id)
                state = "unchanged"
            report(f"[{n}/{len(editions)}] {edition.id}: {state}")
        try:
            mike.set_default(LATEST, branch=branch, message=f"Root redirects to {LATEST}")
            default_changed = True
        except git_utils.GitEmptyCommit:
            default_changed = False
        if push:
            git_utils.push_branch(remote, branch)
            report(f"pushed {branch} to {remote}")
    except git_utils.GitError as exc:
        raise PublishError(f"git: {exc}") from None
    finally:
        os.chdir(cwd)
    head_after = _git(root, "rev-parse", "--verify", "-q", f"refs/heads/{branch}")
    return Outcome(deployed, unchanged, default_changed, head_before, head_after)


def _git(root: Path, *args: str) -> str | None:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    return result.stdout.strip() or None if result.returncode == 0 else None
