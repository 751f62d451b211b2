"""`python -m explainer publish --push`, end to end: a temporary git repository holding the site
and the fixture data, a bare repository as its `origin`, and what lands on origin's gh-pages.

Failures and Ctrl-C that must leave the branch alone are in tests/security/test_publish_atomic.py;
hostile titles and retired editions in tests/security/test_hostile_site.py."""

from __future__ import annotations

import io
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Collection
from pathlib import Path, PurePosixPath

import pytest
from bs4 import BeautifulSoup
from explainer.site.offline import ARCHIVE_FOLDER, Archive, archive_name
from explainer.tools import publish as publishing
from explainer.tools.publish import STABLE_DOWNLOADS
from mkdocs.utils.yaml import yaml_load
from site_inputs import copy_site, shorten_api_reference
from test_cli import Result, run_cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
ENGINE_ENV = ("EXPLAINER_EDITION", "EXPLAINER_DATA_DIR", "SOURCE_DATE_EPOCH")
EDITIONS = {"2026-02-06": "6 February 2026: Talks open", "2026-02-17": "17 February 2026: Second round"}
BRANCH = "gh-pages"
SITEMAPS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://example.org/explainer/"
"""The address the branch is published for (SITE_URL)."""
SECOND_ROUND, ROUND_TWO = "Example Paper reports a second round.", "Example Paper reports round two."
"""A change to a fact that only the second edition shows (the `republished` fixture makes it)."""
HOSTILE_TITLE = "Second round \"'><img src=x onerror=alert(1)><script>alert(2)</script> & &amp; co"
"""The second edition's title in `republished`: markup, quotes and ampersands a pull request could
write (Material's edition selector inserts titles from versions.json as HTML)."""

pytestmark = pytest.mark.slow


def git(repo: Path, *args: str, bare: bool = False, check: bool = True) -> str:
    where = ["--git-dir", str(repo)] if bare else ["-C", str(repo)]
    result = subprocess.run(["git", *where, *args], capture_output=True, text=True, env=git_env())
    if check and result.returncode:
        raise AssertionError(f"git {' '.join(args)}: {result.stderr}")
    return result.stdout.strip()


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENGINE_ENV}
    env.update(
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        GIT_CONFIG_NOSYSTEM="1",
        NO_MKDOCS_2_WARNING="1",
        SITE_URL=SITE,  # part of every edition's hash: the same for every publish of these tests
        # No automatic housekeeping after commits and fetches: these repositories live for seconds.
        GIT_CONFIG_COUNT="2",
        GIT_CONFIG_KEY_0="gc.auto",
        GIT_CONFIG_VALUE_0="0",
        GIT_CONFIG_KEY_1="maintenance.auto",
        GIT_CONFIG_VALUE_1="false",
    )
    return env


def make_repo(tmp: Path) -> tuple[Path, Path]:
    """A committed repository with the site and the fixture data, and a bare `origin`. Its API
    reference is shortened (`shorten_api_reference`): publishing builds it as any other page."""
    repo, remote = tmp / "repo", tmp / "origin.git"
    copy_site(repo, FIXTURE_DATA)
    shorten_api_reference(repo)
    shutil.copy2(ROOT / ".gitignore", repo / ".gitignore")  # as a checkout has it: bytecode, caches, site/
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "site")
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True, capture_output=True)
    git(repo, "remote", "add", "origin", str(remote))
    return repo, remote


MARKED = """
import json, runpy, sys

def rss_mb():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))
    except OSError:
        return None

class Marked:
    \"\"\"Standard output, noting the process's resident memory at each line written to it.\"\"\"
    def __init__(self, stream):
        self.stream, self.marks = stream, []
    def write(self, text):
        self.marks.extend((line, rss_mb()) for line in text.splitlines() if line.strip())
        return self.stream.write(text)
    def __getattr__(self, name):
        return getattr(self.stream, name)

marks_file, sys.argv = sys.argv[1], ["explainer", *sys.argv[2:]]
sys.stdout = Marked(sys.stdout)
try:
    runpy.run_module("explainer", run_name="__main__", alter_sys=True)
finally:
    with open(marks_file, "w") as out:
        json.dump(sys.stdout.marks, out)
"""
"""`python -m explainer ARGS`, run as `python -c MARKED MARKS_FILE ARGS`: the same module with the
same arguments, its standard output noted line by line, with the process's memory (MB) at each
line, in the JSON file MARKS_FILE."""


def publish(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m explainer publish --push ARGS` in `repo`; what it printed, line by line with the
    process's memory then, is in `marks(repo)`."""
    return subprocess.run(
        [sys.executable, "-c", MARKED, str(repo.parent / "publish-marks.json"), "publish", "--push", *args],
        cwd=repo,
        env=git_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def marks(repo: Path) -> list[tuple[str, float | None]]:
    """Each line the last `publish(repo)` printed, with the publishing process's memory (MB) then."""
    return [(line, mb) for line, mb in json.loads((repo.parent / "publish-marks.json").read_text(encoding="utf-8"))]


def publish_here(repo: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    """`publish` run in this process (test_cli.run_cli), in the environment `publish` gives the
    subprocess; each edition still builds in a process of its own, as `explainer publish` does."""
    for key in ENGINE_ENV:
        monkeypatch.delenv(key, raising=False)
    for key, value in git_env().items():
        monkeypatch.setenv(key, value)
    return run_cli(repo, "publish", "--push", *args)


def branch_tar(remote: Path, folder: str = "") -> tarfile.TarFile:
    """The published branch of `remote` (or one `folder` of it), from one `git archive`."""
    tree = f"{BRANCH}:{folder}" if folder else BRANCH
    archived = subprocess.run(
        ["git", "--git-dir", str(remote), "archive", "--format=tar", tree],
        capture_output=True,
        check=True,
        env=git_env(),
    ).stdout
    return tarfile.open(fileobj=io.BytesIO(archived))


def extract(remote: Path, folder: str, dest: Path) -> Path:
    """`folder` of the published branch of `remote`, written out at `dest`."""
    dest.mkdir(parents=True)
    with branch_tar(remote, folder) as archived:
        archived.extractall(dest, filter="data")
    return dest


def builds_taken_from(remote: Path, monkeypatch: pytest.MonkeyPatch, editions: Collection[str] = ()) -> list[str]:
    """Publishing takes each edition it decides to build (or only those of `editions`, building the
    others) from the branch of `remote` instead of building it again, for tests of what publishing
    decides and writes rather than of what a build holds; the list this returns fills with the
    editions publishing asked to build, in order."""
    asked: list[str] = []
    build = publishing._build

    def from_branch(config_file, edition_id, site_dir, env, branch, archive, cutoff) -> Path:
        asked.append(edition_id)
        if editions and edition_id not in editions:
            return build(config_file, edition_id, site_dir, env, branch, archive, cutoff)
        return extract(remote, edition_id, site_dir)

    monkeypatch.setattr(publishing, "_build", from_branch)
    return asked


def head(repo: Path, bare: bool = False) -> str | None:
    return git(repo, "rev-parse", "--verify", "-q", f"refs/heads/{BRANCH}", bare=bare, check=False) or None


def show(remote: Path, path: str) -> str:
    return git(remote, "show", f"{BRANCH}:{path}", bare=True)


def branch_texts(remote: Path, suffixes: tuple[str, ...]) -> dict[str, str]:
    """The files of the published branch whose names end with one of `suffixes`, read from one
    `git archive` of it: path: text."""
    with branch_tar(remote) as archived:
        return {
            member.name: archived.extractfile(member).read().decode("utf-8")
            for member in archived.getmembers()
            if member.isfile() and member.name.endswith(suffixes)
        }


def show_bytes(remote: Path, path: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(remote), "show", f"{BRANCH}:{path}"], capture_output=True, check=True, env=git_env()
    ).stdout


def archive(edition: str) -> PurePosixPath:
    """Where an edition's offline archive is in its folder, named after mkdocs.yml's site name."""
    with (ROOT / "mkdocs.yml").open("rb") as stream:
        site_name = yaml_load(stream)["site_name"]
    return PurePosixPath(ARCHIVE_FOLDER, archive_name(site_name, edition))


def redirect_target(html: str) -> str:
    """Where a mike redirect page sends the reader (checks the meta refresh and the script agree)."""
    doc = BeautifulSoup(html, "html.parser")
    refresh = doc.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh is not None, "not a redirect page"
    target = re.search(r"url=(\S+)", refresh["content"]).group(1)
    assert f'"{target}"' in doc.find("script").string
    return target


# -- a good publish (the `published` fixture is in conftest.py: other modules start from it too) --


def copy_published(published, dest: Path) -> tuple[Path, Path]:
    """A copy of the published repository and its origin, for a test that changes them: what a
    fresh `make_repo` and a first publish would give, without building the editions again."""
    repo, remote, _ = published
    shutil.copytree(repo.parent, dest)
    repo, remote = dest / repo.name, dest / remote.name
    git(repo, "remote", "set-url", "origin", str(remote))
    return repo, remote


def test_published_pages_carry_no_indentation(published) -> None:
    _, remote, _ = published
    for edition in EDITIONS:
        page = show(remote, f"{edition}/positions/index.html")
        outside_kept = re.sub(r"<(pre|code|textarea|script|style)\b.*?</\1\s*>", "", page, flags=re.DOTALL | re.I)
        assert "<main" in page and not re.search(r">[^<]*\n[ \t]+", outside_kept), edition


def test_versions_json_lists_every_edition_with_its_title(published) -> None:
    _, remote, _ = published
    versions = json.loads(show(remote, "versions.json"))
    assert {v["version"]: v["title"] for v in versions} == EDITIONS
    aliases = {v["version"]: v["aliases"] for v in versions}
    assert aliases == {"2026-02-17": ["latest"], "2026-02-06": []}


def test_latest_holds_the_newest_editions_downloads_at_stable_urls(published) -> None:
    """The data are the newest edition's byte for byte; the feed too, but for the address it
    gives itself, `latest/feed.xml`."""
    _, remote, _ = published
    for download in ("data/facts.json", "data/schema.json"):
        assert show(remote, f"latest/{download}") == show(remote, f"2026-02-17/{download}"), download
    assert json.loads(show(remote, "latest/data/facts.json"))["edition"]["id"] == "2026-02-17"
    latest, newest = show(remote, "latest/feed.xml"), show(remote, "2026-02-17/feed.xml")
    assert f'rel="self" type="application/atom+xml" href="{SITE}latest/feed.xml"' in latest
    assert latest.replace(f"{SITE}latest/", f"{SITE}2026-02-17/") == newest


def test_root_indexes_the_editions_sitemaps(published) -> None:
    """The root's sitemap.xml is an index of each edition's own sitemap, robots.txt names it,
    and the root's 404 page (GitHub Pages serves it for any missing address) is the newest
    edition's, whose links are absolute paths into that edition."""
    _, remote, _ = published
    files = set(git(remote, "ls-tree", "-r", "--name-only", BRANCH, bare=True).splitlines())
    index = ET.fromstring(show(remote, "sitemap.xml"))
    assert index.tag == f"{SITEMAPS}sitemapindex"
    assert [loc.text for loc in index.iterfind(f"{SITEMAPS}sitemap/{SITEMAPS}loc")] == [
        f"{SITE}{edition}/sitemap.xml" for edition in EDITIONS
    ]
    for edition in EDITIONS:
        pages = [loc.text or "" for loc in ET.fromstring(show(remote, f"{edition}/sitemap.xml")).iter(f"{SITEMAPS}loc")]
        assert pages and all(url.startswith(f"{SITE}{edition}/") for url in pages), pages
        assert {f"{url.removeprefix(SITE)}index.html" for url in pages} <= files
    assert f"Sitemap: {SITE}sitemap.xml" in show(remote, "robots.txt").splitlines()
    assert show(remote, "404.html") == show(remote, "2026-02-17/404.html")
    assert 'href="/explainer/2026-02-17/assets/' in show(remote, "404.html")


def test_pushed_branch_is_the_local_branch(published) -> None:
    repo, remote, _ = published
    assert head(remote, bare=True) is not None
    assert head(remote, bare=True) == head(repo)


def test_no_symlinks_on_the_branch(published) -> None:
    _, remote, _ = published
    tree = git(remote, "ls-tree", "-r", "--full-tree", BRANCH, bare=True).splitlines()
    modes = {line.split()[0] for line in tree}
    assert "120000" not in modes, "GitHub Pages rejects symlinks"
    assert modes <= {"100644", "100755"}


def test_each_edition_is_a_full_site(published) -> None:
    _, remote, _ = published
    files = set(git(remote, "ls-tree", "-r", "--name-only", BRANCH, bare=True).splitlines())
    for edition in EDITIONS:
        for path in (
            "index.html",
            "positions/index.html",
            "what-changed/index.html",
            "topics/enrichment/index.html",
            "data/facts.json",
            "feed.xml",
        ):
            assert f"{edition}/{path}" in files, f"{edition}/{path}"
    # an era's events are on the era's own page (history/<era>/)
    assert "evt-2026-02-17-round-2" not in show(remote, "2026-02-06/history/talks/index.html")
    assert "evt-2026-02-17-round-2" in show(remote, "2026-02-17/history/talks/index.html")


def test_latest_holds_redirect_pages_to_the_newest_edition(published) -> None:
    """Pages in latest/ redirect; only the downloads are copies (the test after this one)."""
    _, remote, _ = published
    files = git(remote, "ls-tree", "-r", "--name-only", BRANCH, bare=True).splitlines()
    latest = [f for f in files if f.startswith("latest/")]
    assert "latest/index.html" in latest and "latest/positions/index.html" in latest
    stable = {f"latest/{d}" for d in STABLE_DOWNLOADS} | {f"latest/{ARCHIVE_FOLDER}/{archive('latest').name}"}
    assert {p for p in latest if not p.endswith(".html")} == stable
    for path in (p for p in latest if p.endswith(".html")):
        target = redirect_target(show(remote, path))
        inner = path.removeprefix("latest/").removesuffix("index.html")
        depth = inner.count("/") + 1
        assert target == "../" * depth + f"2026-02-17/{inner}", (path, target)
        assert f"2026-02-17/{inner}index.html" in files or inner == "404.html"


def test_root_redirects_to_latest(published) -> None:
    _, remote, _ = published
    assert redirect_target(show(remote, "index.html")) == "latest/"


def test_output_reports_progress_per_edition_and_a_summary(published) -> None:
    _, _, result = published
    out = result.stdout
    assert "[1/2] building 2026-02-06 (Talks open); 1 left" in out
    assert "[2/2] building 2026-02-17 (Second round); 0 left" in out
    assert "pushed gh-pages to origin" in out
    assert re.search(r"gh-pages: \(new branch\) → [0-9a-f]{40}", out), out
    assert "rebuilt editions: 2026-02-06, 2026-02-17" in out
    assert out.index("building 2026-02-17") < out.index("writing gh-pages") < out.index("pushed"), (
        "every edition is built before the branch is written"
    )


def test_one_commit_for_all_editions(published) -> None:
    repo, _, _ = published
    assert git(repo, "rev-list", "--count", BRANCH) == "1"
    assert git(repo, "log", "-1", "--format=%s", BRANCH) == "Publish 2 editions (rebuilt: 2026-02-06, 2026-02-17)"


def test_branch_records_what_each_edition_was_built_from(published) -> None:
    _, remote, _ = published
    manifest = json.loads(show(remote, "explainer-editions.json"))
    assert manifest["format"] == 1
    assert set(manifest["editions"]) == set(EDITIONS)
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in manifest["editions"].values())
    assert len(set(manifest["editions"].values())) == 2


def test_second_run_rebuilds_nothing_and_changes_nothing(published, monkeypatch) -> None:
    repo, remote, _ = published
    before = head(repo), head(remote, bare=True)
    result = publish_here(repo, monkeypatch)
    assert result.returncode == 0, result.stderr
    assert (head(repo), head(remote, bare=True)) == before
    assert "building" not in result.stdout
    assert "[1/2] 2026-02-06 (Talks open): unchanged since the last publish, reused" in result.stdout
    assert "[2/2] 2026-02-17 (Second round): unchanged since the last publish, reused" in result.stdout
    assert "gh-pages: nothing changed (2 editions already current)" in result.stdout


# -- the offline archives (issue 12) ------------------------------------------------------------

LINKED = re.compile(r'<(?:a|link|script|img|image)\b[^>]*?\s(?:href|src)="([^"]*)"')


def test_banner_and_about_page_link_each_editions_archive_with_its_size(published) -> None:
    _, remote, _ = published
    for edition in EDITIONS:
        path = f"{edition}/{archive(edition)}"
        size = Archive(path, len(show_bytes(remote, path))).size_words()
        about = BeautifulSoup(show(remote, f"{edition}/about/index.html"), "html.parser")
        for where in (".edition-banner", "ul.downloads"):
            links = about.select(f'{where} a[href$=".zip"]')
            assert len(links) == 1, f"{edition}: {where} should link the archive once"
            assert posixpath.normpath(posixpath.join(f"{edition}/about", links[0]["href"])) == path
            assert f"ZIP, {size}" in links[0].parent.get_text(" ", strip=True), (where, size)


def test_each_archive_holds_every_page_of_its_edition_and_nothing_outside(published) -> None:
    """Every page of the edition is in one folder of the archive, dated the edition's cut-off,
    in sorted order; every link and script of every page stays inside the archive and names a
    file that is there (a folder's address would show a listing, not the page)."""
    _, remote, _ = published
    files = git(remote, "ls-tree", "-r", "--name-only", BRANCH, bare=True).splitlines()
    for edition in EDITIONS:
        folder = archive(edition).stem
        with zipfile.ZipFile(io.BytesIO(show_bytes(remote, f"{edition}/{archive(edition)}"))) as zipped:
            entries = zipped.infolist()
            names = [e.filename for e in entries]
            contents = {n.removeprefix(f"{folder}/"): zipped.read(n) for n in names}
        assert names == sorted(names) and all(n.startswith(f"{folder}/") for n in names)
        assert not [n for n in names if n.startswith(("/", "\\")) or ".." in n.split("/") or "\\" in n]
        assert {e.date_time for e in entries} == {(*map(int, edition.split("-")), 0, 0, 0)}
        pages = {f.removeprefix(f"{edition}/") for f in files if f.startswith(f"{edition}/") and f.endswith(".html")}
        assert {n for n in contents if n.endswith(".html")} == pages - {"404.html"}
        assert "search/search_index.js" in contents and "search/search_index.json" not in contents
        for name, content in contents.items():
            if not name.endswith(".html"):
                continue
            for href in LINKED.findall(content.decode("utf-8")):
                target = href.split("#")[0].split("?")[0]
                if not target or re.match(r"[a-z][a-z0-9+.-]*:", target):
                    continue  # the page itself, or another site (a source, the repository)
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
                assert resolved in contents, f"{edition}: {name} links to {href}, not a file of the archive"


def test_latest_archive_is_at_a_stable_address(published) -> None:
    _, remote, _ = published
    latest = show_bytes(remote, f"latest/{archive('latest')}")
    assert latest == show_bytes(remote, f"2026-02-17/{archive('2026-02-17')}")


# -- what a change costs --------------------------------------------------------------------------


def edit(repo: Path, path: str, old: str, new: str) -> None:
    """Replace `old` (which must be there) by `new` in a file of the repository, and commit."""
    target = repo / path
    text = target.read_text(encoding="utf-8")
    assert old in text, f"{path} has no {old!r}"
    target.write_text(text.replace(old, new), encoding="utf-8")
    git(repo, "commit", "-q", "-am", f"edit {path}")


def trees(repo: Path) -> dict[str, str]:
    """Top-level folder → tree id on the local gh-pages."""
    lines = git(repo, "ls-tree", BRANCH).splitlines()
    return {line.split("\t")[1]: line.split()[2] for line in lines if line.split()[1] == "tree"}


def test_a_change_after_the_first_cutoff_rebuilds_only_the_later_edition(published, republished) -> None:
    """The `republished` fixture (conftest.py) changed a fact and the title of the second edition
    only, and published again, for real."""
    repo, remote, result = republished
    assert result.returncode == 0, result.stderr
    assert "[1/2] 2026-02-06 (Talks open): unchanged since the last publish, reused" in result.stdout
    assert f"[2/2] building 2026-02-17 ({HOSTILE_TITLE})" in result.stdout
    assert "building 2026-02-06" not in result.stdout
    assert "rebuilt editions: 2026-02-17" in result.stdout and "reused editions: 2026-02-06" in result.stdout
    before, after = trees(published[0]), trees(repo)
    assert after["2026-02-06"] == before["2026-02-06"], "the reused edition is the same tree"
    assert after["2026-02-17"] != before["2026-02-17"]
    assert ROUND_TWO in show(remote, "2026-02-17/history/talks/index.html")
    assert git(repo, "rev-list", "--count", BRANCH) == "2"


def test_a_change_before_the_first_cutoff_rebuilds_both(published, tmp_path: Path, monkeypatch) -> None:
    repo, remote = copy_published(published, tmp_path / "copy")
    asked = builds_taken_from(remote, monkeypatch)
    edit(repo, "data/facts.yml", "The archive says a revolution happened.", "The archive says so.")
    result = publish_here(repo, monkeypatch)
    assert result.returncode == 0, result.stderr
    assert asked == ["2026-02-06", "2026-02-17"]
    assert "rebuilt editions: 2026-02-06, 2026-02-17" in result.stdout
    assert "reused" not in result.stdout


def test_an_upgraded_package_changes_every_editions_hash(published, tmp_path: Path, monkeypatch) -> None:
    """A build reads the installed packages (theme, plugins, Markdown): a new version of one is a
    change to every edition, seen from the name of its metadata folder."""
    repo, _, _ = published
    with (repo / "mkdocs.yml").open("rb") as stream:
        config = yaml_load(stream)
    monkeypatch.syspath_prepend(str(tmp_path))
    keys = []
    for version in ("1.0", "1.1", "1.1"):
        for old in tmp_path.glob("*.dist-info"):
            old.rmdir()
        (tmp_path / f"a_theme-{version}.dist-info").mkdir()
        keys.append(publishing._site_key(repo, config))
    assert keys[0] != keys[1] == keys[2]


def test_memory_stays_flat_per_edition(published) -> None:
    """The publishing process (`published`) grows by less than 1.5 MB over the build of the last
    edition: each edition builds in a process of its own (it grows by about 0.1 MB; building
    every edition in one process, it grew by about 3 MB per fixture edition, 12.6 MB per edition
    of the real data)."""
    repo, _, _ = published
    noted = marks(repo)
    if any(mb is None for _, mb in noted):
        pytest.skip("reads VmRSS from /proc")
    builds = [mb for line, mb in noted if " building " in line]
    assert len(builds) == 2, noted
    ready = next(mb for line, mb in noted if line.startswith("all editions ready"))
    assert ready - builds[-1] < 1.5, noted


def test_a_page_change_rebuilds_every_edition(published, tmp_path: Path, monkeypatch) -> None:
    repo, remote = copy_published(published, tmp_path / "copy")
    asked = builds_taken_from(remote, monkeypatch)
    edit(repo, "docs/about.md", "# About", "# About this site")
    result = publish_here(repo, monkeypatch)
    assert result.returncode == 0, result.stderr
    assert asked == ["2026-02-06", "2026-02-17"]
    assert "rebuilt editions: 2026-02-06, 2026-02-17" in result.stdout


# -- failures deploy nothing ----------------------------------------------------------------------


def test_bad_directive_deploys_nothing(published, tmp_path: Path, monkeypatch) -> None:
    repo, remote = copy_published(published, tmp_path / "copy")
    before = head(repo), head(remote, bare=True)
    (repo / "docs" / "about.md").write_text("# About\n\n<!-- explainer:matrx -->\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "break a page")
    result = publish_here(repo, monkeypatch)
    assert result.returncode == 1
    assert "edition 2026-02-06 failed to build" in result.stderr
    assert "docs/about.md:3:1" in result.stderr and "did you mean 'matrix'" in result.stderr
    assert "nothing was deployed" in result.stderr
    assert (head(repo), head(remote, bare=True)) == before


def test_invalid_data_deploys_nothing(tmp_path: Path, monkeypatch) -> None:
    repo, remote = make_repo(tmp_path)
    facts = repo / "data" / "facts.yml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("stance: rejects", "stance: refuses"), encoding="utf-8")
    result = publish_here(repo, monkeypatch)
    assert result.returncode == 1
    assert re.search(r"facts\.yml:\d+:\d+: error", result.stderr), result.stderr
    assert "nothing was deployed" in result.stderr
    assert head(repo) is None and head(remote, bare=True) is None


def test_failure_in_the_last_edition_deploys_none(published, tmp_path: Path, monkeypatch) -> None:
    """The first edition builds (taken from `published`: a change to the theme rebuilds both), the
    latest fails (a template error only the latest edition meets, in a real build): no edition is
    deployed, and the error is reported, not a traceback."""
    repo, remote = copy_published(published, tmp_path / "copy")
    before = head(repo), head(remote, bare=True)
    asked = builds_taken_from(remote, monkeypatch, editions={"2026-02-06"})
    partial = repo / "overrides" / "partials" / "copyright.html"
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_text(
        "{% if config.extra.edition and config.extra.edition.is_latest %}{{ no_such_variable.attribute }}{% endif %}\n",
        encoding="utf-8",
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a template that fails for the latest edition")
    result = publish_here(repo, monkeypatch)
    assert asked == ["2026-02-06", "2026-02-17"]
    assert "[1/2] building 2026-02-06" in result.stdout
    assert "[2/2] building 2026-02-17" in result.stdout
    assert result.returncode == 1
    assert (head(repo), head(remote, bare=True)) == before
    assert "edition 2026-02-17 failed to build" in result.stderr, result.stderr[-2000:]
    assert "nothing was deployed" in result.stderr
    assert "Traceback" not in result.stderr
