"""Build the editions that changed, then move the pages branch once to a commit holding them all.

The branch holds what mike writes, so readers see the same site: a folder per edition,
`versions.json` in mike's format (titles HTML-escaped, since Material's edition selector inserts
them as HTML), `latest/` redirect pages to the newest edition (GitHub Pages rejects symlinks), a
root page redirecting to `latest/`, and `.nojekyll`. Each edition is built at its own address,
`site_url` + `<edition>/`, so its pages' canonical URLs, its sitemap and its feed name pages that
exist; the root adds an index of the editions' sitemaps, a `robots.txt` naming it, and the
newest edition's 404 page. Beside them, `MANIFEST` records a content hash per edition: the
edition's cut of the facts, the previous edition's cut (its "What changed" page), its downloads
and banner, and everything else a build reads (mkdocs.yml as resolved, with the site's address,
docs/, the theme overrides, the hooks, the engine's source, the installed packages). An edition
whose hash is on the branch already is not rebuilt: its folder is taken from the branch as is.

Each changed edition is built strictly in a fresh process, so memory stays flat however many there
are; the same process first builds its offline copy and zips it into the edition's `download/`
folder, where its pages link to it (`site.offline`; the latest edition's archive is also at
`latest/download/<site>-latest.zip`). The whole new tree is then written with git plumbing into a
temporary index and committed on top of the branch; only then is the branch moved, once, by `git
update-ref` guarded by its old value (with `--push`, the remote branch first, by a fast-forward
push). Any failure before that, Ctrl-C included, leaves both where they were; Ctrl-C during the
move waits for it to finish. An edition removed from the data leaves the branch and the selector
with the next publish.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import io
import json
import logging
import os
import posixpath
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Template
from mike.versions import Versions
from mkdocs.utils.yaml import yaml_load

from ..errors import ExplainerError
from ..facts.factbase import FactBase
from ..facts.load import load_facts
from ..site.build import DATA_ENV, EDITION_ENV, SiteBuild
from ..site.exports import facts_export
from ..site.offline import ARCHIVE_ENV, ARCHIVE_FOLDER, OFFLINE_ENV, Archive, archive_name, write_archive
from ..site.styles import prune_site
from ..site.tidy import compact_site

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

LATEST = "latest"
STABLE_DOWNLOADS = ("feed.xml", "data/facts.json", "data/schema.json")
"""The newest edition's downloads also written into `latest/`, so `latest/feed.xml` and
`latest/data/facts.json` are stable URLs."""
SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MANIFEST = "explainer-editions.json"
"""The branch's record of what each edition was built from: `{"format": 1, "editions": {id: hash}}`."""
MANIFEST_FORMAT = 1
KEPT = ("CNAME",)
"""Files on the branch that are not the editions' and that publishing keeps: GitHub commits the
custom domain set in the repository's Pages settings as `CNAME`."""
ENGINE = Path(__file__).resolve().parents[1]
"""The `explainer` package: its source is part of every edition's hash."""


class PublishError(ExplainerError):
    """Publishing failed; the message says so and what the branch holds."""


class PublishInterrupted(PublishError):
    """Ctrl-C stopped publishing before the branch was moved."""


class _GitFailed(Exception):
    """A git command exited non-zero (`status`)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass
class Outcome:
    """What publishing did to the branch."""

    built: list[str]
    reused: list[str]
    removed: list[str]
    head_before: str | None
    head_after: str | None
    pushed: bool = False

    def summary(self, branch: str) -> str:
        if self.head_before == self.head_after:
            return f"{branch}: nothing changed ({len(self.built) + len(self.reused)} editions already current)"
        lines = [f"{branch}: {self.head_before or '(new branch)'} → {self.head_after}"]
        for label, ids in (("rebuilt", self.built), ("reused", self.reused), ("removed", self.removed)):
            if ids:
                lines.append(f"  {label} editions: {', '.join(ids)}")
        return "\n".join(lines)


@dataclass
class _Branch:
    """Where the branch is before publishing: locally, on the remote, and the commit to build on."""

    local: str | None
    remote: str | None
    parent: str | None
    folders: dict[str, str] = field(default_factory=dict)
    """Top-level folder name → tree id on the parent commit."""
    hashes: dict[str, str] = field(default_factory=dict)
    """Edition id → the hash recorded in the parent's MANIFEST."""
    versions: list[str] = field(default_factory=list)
    """Edition ids in the parent's versions.json."""
    kept: dict[str, str] = field(default_factory=dict)
    """Files of the parent that publishing keeps as they are (`CNAME`, GitHub's custom domain)."""


def publish(
    config_file: Path,
    branch: str = "gh-pages",
    *,
    push: bool = False,
    remote: str = "origin",
    report: Callable[[str], None] = print,
) -> Outcome:
    """Build what changed and deploy every edition defined in the data, or nothing.

    Raises PublishError (DataError if the data is invalid) with the branch untouched.
    """
    config_file = config_file.resolve()
    root = config_file.parent
    try:
        with tempfile.TemporaryDirectory(prefix="explainer-publish-") as tmp:
            state, commit, outcome = _prepare(config_file, root, branch, push, remote, Path(tmp), report)
    except KeyboardInterrupt:
        raise PublishInterrupted(f"interrupted: {_unchanged(branch)}") from None
    except _GitFailed as exc:
        raise PublishError(f"{exc}\n{_unchanged(branch)}") from None
    return _move(root, branch, push, remote, state, commit, outcome, report)


def _prepare(
    config_file: Path, root: Path, branch: str, push: bool, remote: str, tmp: Path, report: Callable[[str], None]
) -> tuple[_Branch, str | None, Outcome]:
    """Build the changed editions and commit the new tree without moving the branch; the
    commit, or None when the branch already holds exactly this tree."""
    base = load_facts(os.environ.get(DATA_ENV) or root / "data").facts
    editions = base.editions
    if not editions:
        raise PublishError(f"the data defines no editions (data/editions.yml); {_unchanged(branch)}")
    with config_file.open("rb") as stream:
        config: dict[str, Any] = yaml_load(stream)  # MkDocs' loader: it resolves !ENV tags
    state = _branch_state(root, branch, push, remote)
    site_key = _site_key(root, config)
    env = _build_env(root)
    editions_tree: dict[str, str] = {}
    built: dict[str, Path] = {}
    hashes: dict[str, str] = {}
    count = len(editions)
    for n, edition in enumerate(editions, 1):
        hashes[edition.id] = _edition_hash(base, edition.id, site_key, config)
        title = _printable(edition.title)
        if state.hashes.get(edition.id) == hashes[edition.id] and edition.id in state.folders:
            editions_tree[edition.id] = state.folders[edition.id]
            report(f"[{n}/{count}] {edition.id} ({title}): unchanged since the last publish, reused")
            continue
        report(f"[{n}/{count}] building {edition.id} ({title}); {count - n} left")
        archive = archive_name(config.get("site_name", ""), edition.id)
        site_dir = tmp / "editions" / edition.id
        built[edition.id] = _build(config_file, edition.id, site_dir, env, branch, archive, edition.cutoff.end)
    report(f"all editions ready; writing {branch}")
    latest = editions[-1].id
    extra: dict[str, str | bytes] = {
        "versions.json": _versions_json(base),
        "index.html": _redirect(f"{LATEST}/"),
        ".nojekyll": "",
        MANIFEST: json.dumps({"format": MANIFEST_FORMAT, "editions": hashes}, indent=1, sort_keys=True) + "\n",
        **state.kept,
    }
    latest_files = _files_of(built[latest]) if latest in built else _tree_files(root, editions_tree[latest])
    for relative in latest_files:
        if relative.endswith(".html"):
            extra[f"{LATEST}/{relative}"] = _redirect(_alias_href(relative, latest))
    extra.update(_latest_downloads(base, latest, config))
    extra.update(_sitemap_index(base, config.get("site_url")))
    if config.get("site_url") and "404.html" in latest_files:
        # GitHub Pages serves the root's 404.html for any missing address. Built at the newest
        # edition's address, its links are absolute paths into that edition, so it works there.
        extra["404.html"] = (
            (built[latest] / "404.html").read_text(encoding="utf-8")
            if latest in built
            else _blob(root, editions_tree[latest], "404.html").decode("utf-8")
        )
    extra.update(_latest_archive(root, latest, built.get(latest) or editions_tree[latest], latest_files))
    tree = _write_tree(root, tmp, editions_tree, built, extra)
    removed = [v for v in state.versions if v not in hashes]
    outcome = Outcome(list(built), list(editions_tree), removed, state.local, state.local)
    if state.parent and _git(root, "rev-parse", f"{state.parent}^{{tree}}") == tree:
        return state, None, outcome
    message = f"Publish {count} editions (rebuilt: {', '.join(built) or 'none'})"
    args = ["commit-tree", tree, "-m", message, *(["-p", state.parent] if state.parent else [])]
    return state, _git(root, *args, env=_ident_env(root)), outcome


def _move(
    root: Path,
    branch: str,
    push: bool,
    remote: str,
    state: _Branch,
    commit: str | None,
    outcome: Outcome,
    report: Callable[[str], None],
) -> Outcome:
    """Move the remote branch (with `push`), then the local one, to `commit`; Ctrl-C waits."""
    new = commit or state.parent
    ref = f"refs/heads/{branch}"
    with _deferred_interrupt() as interrupted:
        if push and new and new != state.remote:
            _push(root, branch, remote, new)
            outcome.pushed = True
        if new and new != state.local:
            try:
                _git(root, "update-ref", "-m", "explainer publish", ref, new, state.local or "", detached=True)
            except _GitFailed as exc:
                if outcome.pushed:
                    raise PublishError(
                        f"{exc}\nevery edition was published: {remote}/{branch} is at {new}; only the local "
                        f"{branch} could not follow (`git fetch {remote} {branch}:{branch}` brings it up to date)"
                    ) from None
                raise PublishError(f"{exc}\n{_unchanged(branch)}") from None
    outcome.head_after = new
    if outcome.pushed:
        report(f"pushed {branch} to {remote}")
    if interrupted:
        report(f"Ctrl-C arrived while {branch} was being moved; the move was finished first")
    return outcome


def _push(root: Path, branch: str, remote: str, new: str) -> None:
    """Fast-forward `remote`'s branch to `new`. The push is not detached (it may ask for a
    password), so Ctrl-C can stop it: on any failure, ask the remote where its branch is."""
    try:
        _git(root, "push", "--quiet", remote, f"{new}:refs/heads/{branch}")
        return
    except _GitFailed as exc:
        failure = exc
    try:
        there = _git(root, "ls-remote", "--heads", remote, f"refs/heads/{branch}").split()
    except _GitFailed as exc:
        raise PublishError(
            f"{failure}\n{exc}\n{branch} is unchanged here; whether {remote} got {new} is unknown: "
            f"see `git ls-remote {remote} {branch}`"
        ) from None
    if not there or there[0] != new:
        raise PublishError(f"{failure}\nnothing was deployed; {branch} is unchanged here and on {remote}")


# -- the branch as it is ------------------------------------------------------------------------


def _branch_state(root: Path, branch: str, push: bool, remote: str) -> _Branch:
    """The local and remote heads of `branch`, and the one to build on: the newer, if one
    contains the other; PublishError if they have diverged. Any git failure is an error."""
    local = _head(root, f"refs/heads/{branch}")
    tracking = f"refs/remotes/{remote}/{branch}"
    if push:
        found = _git(root, "ls-remote", "--heads", remote, f"refs/heads/{branch}")
        if found:
            _git(root, "fetch", "--quiet", remote, f"+refs/heads/{branch}:{tracking}")
        remote_head = _head(root, tracking) if found else None
    else:
        remote_head = _head(root, tracking)
    if local is None or remote_head is None or local == remote_head:
        parent = local or remote_head
    elif _is_ancestor(root, local, remote_head):
        parent = remote_head
    elif _is_ancestor(root, remote_head, local):
        parent = local
    else:
        raise PublishError(
            f"{branch} and {remote}/{branch} have diverged; make one contain the other "
            f"(e.g. `git branch -f {branch} {remote}/{branch}`), then publish again; nothing was deployed"
        )
    state = _Branch(local, remote_head if push else None, parent)
    if parent is None:
        return state
    blobs: dict[str, str] = {}
    for line in _git(root, "ls-tree", "-z", parent).split("\0"):
        if line:
            meta, name = line.split("\t", 1)
            _, kind, oid = meta.split()
            (state.folders if kind == "tree" else blobs)[name] = oid
    for name in KEPT:
        if name in blobs:
            state.kept[name] = _git(root, "cat-file", "blob", blobs[name]) + "\n"
    manifest = _blob_json(root, blobs.get(MANIFEST), {})
    state.hashes = {k: v for k, v in manifest.get("editions", {}).items() if isinstance(v, str)}
    state.versions = [
        v["version"] for v in _blob_json(root, blobs.get("versions.json"), []) if isinstance(v, dict) and "version" in v
    ]
    return state


def _blob_json(root: Path, oid: str | None, default: Any) -> Any:
    """The JSON in blob `oid`; `default` when there is none or it is not JSON of that type."""
    if oid is None:
        return default
    try:
        value = json.loads(_git(root, "cat-file", "blob", oid))
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default


def _head(root: Path, ref: str) -> str | None:
    """The commit `ref` points at; None if there is no such ref."""
    return _git(root, "for-each-ref", "--format=%(objectname)", ref) or None


def _is_ancestor(root: Path, older: str, newer: str) -> bool:
    try:
        _git(root, "merge-base", "--is-ancestor", older, newer)
    except _GitFailed as exc:
        if exc.status == 1:  # git's "no"
            return False
        raise
    return True


# -- what an edition is built from ---------------------------------------------------------------


def _site_key(root: Path, config: dict[str, Any]) -> bytes:
    """A digest of everything a build reads besides the facts: config, pages, theme, engine."""
    digest = hashlib.sha256(f"explainer-publish {MANIFEST_FORMAT} python {sys.version_info[:2]}\n".encode())
    digest.update(json.dumps(config, sort_keys=True, default=str).encode())
    for installed in _installed_packages():
        digest.update(f"\0package {installed}".encode())
    theme = config.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    folders = {"engine": ENGINE, "docs": root / config.get("docs_dir", "docs")}
    if custom_dir:
        folders["theme"] = root / custom_dir
    for n, hook in enumerate(config.get("hooks") or []):
        folders[f"hook {n}"] = root / hook
    for label, folder in folders.items():
        paths = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.is_file())
        for path in paths:
            if "__pycache__" not in path.parts:
                digest.update(f"\0{label} {path.relative_to(folder).as_posix()}\0".encode())
                digest.update(path.read_bytes())
    return digest.digest()


def _installed_packages() -> list[str]:
    """The installed packages, each as the name of its metadata folder on `sys.path`, sorted: a
    wheel's is `<name>-<version>.dist-info`. Listing folders costs far less than reading each
    package's metadata, as `importlib.metadata` does."""
    found = []
    for entry in sys.path:
        with contextlib.suppress(OSError):  # not a folder (a zip, a missing path)
            found += [name for name in os.listdir(entry or ".") if name.endswith((".dist-info", ".egg-info"))]
    return sorted(found)


def _edition_hash(base: FactBase, edition_id: str, site_key: bytes, config: dict[str, Any]) -> str:
    """The content hash of one edition: what its build reads. SOURCE_DATE_EPOCH is left out: an
    edition rebuilt only because the repository has a newer commit would differ by its sitemap."""
    build = SiteBuild.for_edition(base, edition_id)
    digest = hashlib.sha256(site_key)
    digest.update(json.dumps(build.banner(), sort_keys=True).encode())
    address = edition_url(config.get("site_url"), edition_id)
    for path, content in sorted(build.downloads(config.get("site_name", ""), address).items()):
        digest.update(f"\0{path}\0{content}".encode())
    previous = facts_export(build.previous, None) if build.previous is not None else ""
    digest.update(f"\0previous\0{previous}".encode())
    return digest.hexdigest()


# -- building ------------------------------------------------------------------------------------


def _build_env(root: Path) -> dict[str, str]:
    """The builds' environment: dates from the last commit, the engine that computed the hashes."""
    env = {k: v for k, v in os.environ.items() if k not in (EDITION_ENV, OFFLINE_ENV, ARCHIVE_ENV)}
    if "SOURCE_DATE_EPOCH" not in env:
        env["SOURCE_DATE_EPOCH"] = _git(root, "log", "-1", "--format=%ct")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ENGINE.parent), env.get("PYTHONPATH")) if p)
    return env


def _build(
    config_file: Path, edition_id: str, site_dir: Path, env: dict[str, str], branch: str, archive: str, cutoff: date
) -> Path:
    """Build one edition and its offline archive, file name `archive`, strictly in a fresh
    process (`_build_here`); PublishError with what MkDocs said if it fails."""
    command = [sys.executable, "-m", __name__, str(config_file), edition_id, str(site_dir), archive, cutoff.isoformat()]
    result = subprocess.run(command, env={**env, EDITION_ENV: edition_id}, capture_output=True, text=True)
    if result.returncode:
        said = result.stderr.strip() or f"edition {edition_id} failed to build (exit status {result.returncode})"
        raise PublishError(f"{said}\n{_unchanged(branch)}")
    return site_dir


def _build_here(config_file: Path, edition_id: str, site_dir: Path, name: str, cutoff: date) -> None:
    """The child side of `_build`: build the edition's offline copy and zip it as `name`, then
    build the edition, whose pages link to the archive, with the archive in its `download/`
    folder. The second build, in the same process, costs a fraction of the first."""
    copy = site_dir.with_name(f"{site_dir.name}.offline")
    os.environ[OFFLINE_ENV] = "1"
    try:
        _mkdocs_build(config_file, edition_id, copy)
    finally:
        del os.environ[OFFLINE_ENV]
    zipped = copy.with_name(name)
    archive = Archive(f"{ARCHIVE_FOLDER}/{name}", write_archive(copy, zipped, cutoff))
    shutil.rmtree(copy)
    os.environ[ARCHIVE_ENV] = archive.to_env()
    _mkdocs_build(config_file, edition_id, site_dir)
    (site_dir / ARCHIVE_FOLDER).mkdir(exist_ok=True)
    shutil.move(zipped, site_dir / archive.path)


def _latest_archive(root: Path, latest: str, source: Path | str, files: list[str]) -> dict[str, bytes]:
    """The latest edition's archive at a stable address, `latest/download/<site>-latest.zip`
    (it unzips into a folder named after its edition); nothing if it has none. `source` is the
    edition's built folder, or its tree on the branch."""
    found = [f for f in files if f.startswith(f"{ARCHIVE_FOLDER}/") and f.endswith(f"-{latest}.zip")]
    if not found:
        return {}
    stable = f"{LATEST}/{found[0].removesuffix(f'-{latest}.zip')}-{LATEST}.zip"
    content = (source / found[0]).read_bytes() if isinstance(source, Path) else _blob(root, source, found[0])
    return {stable: content}


def _mkdocs_build(config_file: Path, edition_id: str, site_dir: Path) -> None:
    """Build one edition strictly in this process, prune its stylesheets (`prune_site`) and cut
    its pages' indentation (`compact_site`); PublishError if any of it fails."""
    from mkdocs.commands.build import build

    os.environ[EDITION_ENV] = edition_id
    said = io.StringIO()
    handler = logging.StreamHandler(said)
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            config = _edition_config(config_file, edition_id, site_dir)
            build(config)
        # What readers get ships only the CSS it uses, and pages without indentation; previews
        # keep the whole stylesheets and the theme's indentation.
        prune_site(site_dir, [str(path) for path in config.extra_css])
        compact_site(site_dir)
    except Exception as exc:  # any failure, a template's or a stylesheet's included: deploy nothing
        detail = said.getvalue().strip() or f"{type(exc).__name__}: {exc}"
        raise PublishError(f"edition {edition_id} failed to build: {exc}\n{detail}") from None
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)


def _edition_config(config_file: Path, edition_id: str, site_dir: Path) -> MkDocsConfig:
    """One edition's strict MkDocs config, its `site_url` moved to the edition's folder: MkDocs
    and Material then write each page's canonical URL, the sitemap and the sharing tags with the
    address where the page is published, and the 404 page's links as absolute paths into it."""
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
    config["site_url"] = edition_url(config.site_url, edition_id)
    return config


def edition_url(site_url: str | None, folder: str) -> str | None:
    """The address of `folder` (an edition's id, or `latest`) on the branch published at
    `site_url`; None without one."""
    return f"{site_url.rstrip('/')}/{folder}/" if site_url else None


# -- writing the tree ------------------------------------------------------------------------------


def _latest_downloads(base: FactBase, latest: str, config: dict[str, Any]) -> dict[str, str]:
    """`latest/`'s copies of the newest edition's downloads (copies, not redirects: feed readers
    and scripts need the file), made for where they live: that feed names `latest/feed.xml`."""
    address = edition_url(config.get("site_url"), LATEST)
    files = SiteBuild.for_edition(base, latest).downloads(config.get("site_name", ""), address)
    return {f"{LATEST}/{path}": content for path, content in files.items() if path in STABLE_DOWNLOADS}


def _sitemap_index(base: FactBase, site_url: str | None) -> dict[str, str]:
    """The branch root's `sitemap.xml`, an index of every edition's own sitemap, and a
    `robots.txt` naming it (crawlers read it only at a host's root: a custom domain's). Nothing
    without `site_url`: a sitemap lists absolute addresses."""
    if not site_url:
        return {}
    index = ET.Element("sitemapindex", xmlns=SITEMAPS)
    for edition in base.editions:
        ET.SubElement(ET.SubElement(index, "sitemap"), "loc").text = f"{edition_url(site_url, edition.id)}sitemap.xml"
    ET.indent(index)
    sitemap = ET.tostring(index, encoding="unicode").join(['<?xml version="1.0" encoding="UTF-8"?>\n', "\n"])
    robots = f"User-agent: *\nDisallow:\nSitemap: {site_url.rstrip('/')}/sitemap.xml\n"
    return {"sitemap.xml": sitemap, "robots.txt": robots}


def _versions_json(base: FactBase) -> str:
    """mike's versions.json; titles ("6 February 2026: Talks open") are plain text, escaped because
    the selector reads them as HTML."""
    versions = Versions()
    for edition in base.editions:
        aliases = [LATEST] if edition is base.editions[-1] else []
        title = f"{edition.cutoff.human()}: {edition.title}"  # the selector shows each edition's date
        versions.add(edition.id, html.escape(title, quote=True), aliases)
    return versions.dumps() + "\n"


def _redirect(href: str) -> str:
    """mike's redirect page to `href`."""
    return _redirect_template().render(href=href)


@functools.cache
def _redirect_template() -> Template:
    source = (resources.files("mike") / "templates" / "redirect.html").read_text(encoding="utf-8")
    return Template(source, autoescape=True, keep_trailing_newline=True)


def _alias_href(relative: str, edition_id: str) -> str:
    """Where `latest/<relative>` sends the reader, as mike computes it with directory URLs."""
    href = posixpath.relpath(f"{edition_id}/{relative}", posixpath.dirname(f"{LATEST}/{relative}"))
    return posixpath.dirname(href) + "/" if posixpath.basename(href) == "index.html" else href


def _files_of(site_dir: Path) -> list[str]:
    """Every file of a built site, relative and sorted; PublishError on a symbolic link."""
    found = []
    for path in sorted(site_dir.rglob("*")):
        if path.is_symlink():
            raise PublishError(f"{path}: the built site holds a symbolic link, which GitHub Pages rejects")
        if path.is_file():
            found.append(path.relative_to(site_dir).as_posix())
    return found


def _blob(root: Path, tree: str, path: str) -> bytes:
    """The content of the file at `path` in `tree`."""
    result = subprocess.run(["git", "cat-file", "blob", f"{tree}:{path}"], cwd=root, capture_output=True, check=False)
    if result.returncode:
        raise _GitFailed(result.stderr.decode(errors="replace").strip(), result.returncode)
    return result.stdout


def _tree_files(root: Path, tree: str) -> list[str]:
    return [p for p in _git(root, "ls-tree", "-r", "-z", "--name-only", tree).split("\0") if p]


def _write_tree(
    root: Path, tmp: Path, reused: dict[str, str], built: dict[str, Path], extra: dict[str, str | bytes]
) -> str:
    """The id of the tree holding every edition and the `extra` files, written into the object
    store through a temporary index; no ref, index or working tree of the repository is touched."""
    env = {**os.environ, "GIT_INDEX_FILE": str(tmp / "index")}
    for edition_id, tree in reused.items():
        _git(root, "read-tree", f"--prefix={edition_id}/", tree, env=env)
    staged = tmp / "extra"
    files: list[tuple[str, Path]] = []
    for relative, content in extra.items():
        path = staged / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        files.append((relative, path))
    for edition_id, site_dir in built.items():
        files.extend((f"{edition_id}/{relative}", site_dir / relative) for relative in _files_of(site_dir))
    entries = []
    for start in range(0, len(files), 500):
        chunk = files[start : start + 500]
        oids = _git(root, "hash-object", "-w", "--no-filters", "--", *(str(p) for _, p in chunk)).split()
        for (name, path), oid in zip(chunk, oids, strict=True):
            mode = "100755" if os.access(path, os.X_OK) else "100644"
            entries.append(f"{mode} {oid}\t{name}\0")
    _git(root, "update-index", "--add", "-z", "--index-info", env=env, stdin="".join(entries))
    return _git(root, "write-tree", env=env)


# -- git and signals -----------------------------------------------------------------------------


def _git(
    root: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None, detached: bool = False
) -> str:
    """git's output, stripped; _GitFailed with its message if it fails. `detached` runs it in its
    own session, out of reach of the terminal's Ctrl-C."""
    result = subprocess.run(
        ["git", *args],
        cwd=root,
        env=env,
        input=stdin.encode() if stdin is not None else None,
        capture_output=True,
        start_new_session=detached,
    )
    if result.returncode:
        said = result.stderr.decode(errors="replace").strip()
        raise _GitFailed(f"git {args[0]} failed: {said or f'exit status {result.returncode}'}", result.returncode)
    return result.stdout.decode(errors="replace").strip()


def _ident_env(root: Path) -> dict[str, str]:
    """The environment for a commit: git's configured identity, else the publisher's own."""
    env = dict(os.environ)
    if not _git(root, "config", "--default=", "user.email"):
        for role in ("AUTHOR", "COMMITTER"):
            env.setdefault(f"GIT_{role}_NAME", "explainer publish")
            env.setdefault(f"GIT_{role}_EMAIL", "publish@explainer.invalid")
    return env


@contextlib.contextmanager
def _deferred_interrupt() -> Iterator[list[int]]:
    """Hold Ctrl-C until the block is done; the list it yields is non-empty if one arrived."""
    caught: list[int] = []
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum)) if main else None
    try:
        yield caught
    finally:
        if main and previous is not None:
            signal.signal(signal.SIGINT, previous)


def _unchanged(branch: str) -> str:
    return f"nothing was deployed; {branch} is unchanged"


def _printable(text: str) -> str:
    """`text` without control characters, for a terminal: a title cannot move the cursor."""
    return "".join(c if unicodedata.category(c)[0] != "C" else "\N{REPLACEMENT CHARACTER}" for c in text)


def _main(argv: list[str]) -> int:
    """The child of `_build`: `CONFIG EDITION SITE_DIR ARCHIVE CUTOFF`."""
    config_file, edition_id, site_dir, archive, cutoff = argv
    try:
        _build_here(Path(config_file), edition_id, Path(site_dir), archive, date.fromisoformat(cutoff))
    except ExplainerError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
