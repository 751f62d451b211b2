"""What maintainers rely on (issue 13): every page links to its source when the repository is
known, generated record pages to their data file and line, the site asks no other host for it,
and a custom domain survives publishing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from explainer import load_facts
from explainer.site.build import EditLinks, SiteBuild, page_origin
from site_inputs import FIXTURE_DATA, built_site, copy_site, page

ROOT = Path(__file__).resolve().parents[1]
REPO = "https://github.com/example-org/explainer"


def test_edit_links_follow_the_configured_branch() -> None:
    links = EditLinks.from_config(REPO, "edit/main/docs/")
    assert links == EditLinks(f"{REPO}/edit/main/docs/", f"{REPO}/blob/main/")
    assert EditLinks.from_config(REPO + "/", "edit/trunk/docs") == EditLinks(
        f"{REPO}/edit/trunk/docs/", f"{REPO}/blob/trunk/"
    )
    assert EditLinks.from_config(None, "edit/main/docs/") is None


def test_a_generated_record_page_knows_its_data_file_and_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    site = copy_site(tmp_path / "site", FIXTURE_DATA)
    build = SiteBuild.for_edition(load_facts(site / "data", cache=False).facts)
    origin = page_origin(build, "people/envoy-a.md")
    assert origin is not None and origin.path == "site/data/facts.yml"
    line = (site / "data" / "facts.yml").read_text().splitlines().index("  - id: envoy-a") + 1
    assert origin.line == line
    links = EditLinks.from_config(REPO, "edit/main/docs/")
    assert links.to_record(origin, site) == f"{REPO}/blob/main/data/facts.yml#L{line}"
    assert page_origin(build, "contribute/data-reference.md") is None
    assert page_origin(build, "what-changed.md").path == "site/data/facts.yml"


@pytest.fixture(scope="module")
def site_with_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("edit-links")
    site = copy_site(work / "site", FIXTURE_DATA)
    return built_site(site, REPO_URL=REPO)


@pytest.mark.slow
def test_every_page_links_to_its_source_and_asks_no_other_host(site_with_repo: Path) -> None:
    about = page(site_with_repo, "about")
    edit = about.select_one("a[rel=edit]")
    assert edit is not None and edit["href"] == f"{REPO}/edit/main/docs/about.md"
    person = page(site_with_repo, "people/envoy-a")
    link = person.select_one("a[rel=edit]")
    line = (FIXTURE_DATA / "facts.yml").read_text().splitlines().index("  - id: envoy-a") + 1
    assert link is not None and link["href"] == f"{REPO}/blob/main/data/facts.yml#L{line}"
    # Material's repository widget would ask GitHub's API for stars from every reader's browser
    assert about.select_one("[data-md-component=source]") is None
    assert "api.github.com" not in (site_with_repo / "about" / "index.html").read_text()


@pytest.mark.slow
def test_a_local_preview_has_no_edit_links(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site", FIXTURE_DATA)
    out = built_site(site)
    assert page(out, "about").select_one("a[rel=edit]") is None


# -- publishing keeps the custom domain --------------------------------------------------------------


@pytest.mark.slow
def test_a_custom_domain_survives_the_next_publish(published, republished, tmp_path: Path, monkeypatch) -> None:
    """The next publish rebuilds the second edition (taken from `republished`, which made the
    same change, instead of being built again) and keeps the CNAME file."""
    from test_publish import (
        ROUND_TWO,
        SECOND_ROUND,
        builds_taken_from,
        copy_published,
        edit,
        git,
        head,
        publish_here,
        show,
    )

    repo, remote = copy_published(published, tmp_path / "copy")
    # what GitHub does when a custom domain is saved in Settings → Pages
    cname = tmp_path / "CNAME"
    cname.write_text("explainer.example.org\n", encoding="utf-8")
    blob = git(repo, "hash-object", "-w", str(cname))
    listing = git(repo, "ls-tree", "gh-pages") + f"\n100644 blob {blob}\tCNAME\n"
    tree = subprocess.run(
        ["git", "-C", str(repo), "mktree"], input=listing, capture_output=True, text=True, check=True
    ).stdout.strip()
    commit = git(repo, "commit-tree", tree, "-p", "gh-pages", "-m", "Create CNAME")
    git(repo, "update-ref", "refs/heads/gh-pages", commit)
    git(repo, "push", "-q", "origin", "gh-pages")
    asked = builds_taken_from(republished[1], monkeypatch)
    edit(repo, "data/facts.yml", SECOND_ROUND, ROUND_TWO)
    result = publish_here(repo, monkeypatch)
    assert result.returncode == 0, result.stderr
    assert asked == ["2026-02-17"] and "building 2026-02-17" in result.stdout
    assert show(remote, "CNAME") == "explainer.example.org"
    assert head(remote, bare=True) != commit
