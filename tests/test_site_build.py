"""The MkDocs-free core, `SiteBuild`, and the thin MkDocs glue around it, in process."""

from __future__ import annotations

import json
import logging
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from explainer import EditionError, SiteBuild, load_facts
from explainer.site.build import body_line
from explainer.site.offline import Archive
from explainer.site.page_cache import CACHED_PAGES, has_autodoc
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from site_inputs import FIXTURE_DATA, ROOT, copy_site

BASE = load_facts(FIXTURE_DATA, cache=False).facts


def test_the_latest_edition_is_the_default() -> None:
    site = SiteBuild.for_edition(BASE)
    assert site.edition is BASE.editions[-1] and site.previous is not None
    assert site.banner() == {
        "id": "2026-02-17",
        "title": "Second round",
        "cutoff_human": "17 February 2026",
        "is_latest": True,
        "latest_id": "2026-02-17",
        "feed": "feed.xml",
    }


def test_a_published_editions_pages_offer_the_feed_that_keeps_growing() -> None:
    published = replace(SiteBuild.for_edition(BASE, "2026-02-06"), archive=Archive("download/a.zip", 1_500_000))
    banner = published.banner()
    assert banner is not None and banner["feed"] == "../latest/feed.xml"
    assert banner["archive"] == {"path": "download/a.zip", "size": "1.5 MB"}


def test_an_unknown_edition_is_the_engines_own_error() -> None:
    with pytest.raises(EditionError, match="EXPLAINER_EDITION=2027-01-01: no edition '2027-01-01'; the editions are"):
        SiteBuild.for_edition(BASE, "2027-01-01")


def test_a_page_is_markdown_entities_and_diagnostics_placed_in_its_file() -> None:
    site = SiteBuild.for_edition(BASE, "2026-02-06")
    page = site.render_page("history/index.md", "history/", "# History\n\n<!-- explainer:timeline -->\n", "docs/x.md")
    assert page.diagnostics == []
    assert 'id="evt-2026-02-06-round-1"' in page.markdown and "evt-2026-02-17-round-2" not in page.markdown
    assert [e["name"] for e in page.entities] == ["A revolution", "Round one"]
    bad = site.render_page("about.md", "about/", "---\ntitle: x\n---\n\nok <!-- explainer:nope -->", "docs/about.md", 4)
    assert [str(d) for d in bad.diagnostics] == ["docs/about.md:8:4: error: unknown directive 'nope'"]


def test_body_line_counts_the_front_matter() -> None:
    source = "---\ntitle: About\n---\n\n# About\n"
    assert body_line(source, "# About\n") == 5
    assert body_line("# About\n", "# About\n") == 1
    assert body_line(source, "something else") == 1


def test_json_ld_cannot_close_its_script() -> None:
    script = SiteBuild.for_edition(BASE).json_ld("</script><b>x</b>", [{"name": "a </script> & b"}])
    payload = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in payload and ">" not in payload
    graph = json.loads(payload)["@graph"]
    assert graph[0]["headline"] == "x" and graph[1]["name"] == "a </script> & b"


def test_downloads_are_the_editions_facts() -> None:
    site = SiteBuild.for_edition(BASE, "2026-02-06")
    files = site.downloads("Site", "https://example.org/")
    facts = json.loads(files["data/facts.json"])
    assert facts["edition"]["id"] == "2026-02-06"
    assert "evt-2026-02-17-round-2" not in {e["id"] for e in facts["events"]}
    assert files["feed.xml"].startswith("<?xml")


def test_a_data_warning_is_shown_by_mkdocs_and_fails_the_strict_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    facts = data / "facts.yml"
    facts.write_text(facts.read_text().replace("    published: '2026-02-06'\n", "", 1))
    site = copy_site(tmp_path / "site", data)
    with caplog.at_level(logging.WARNING), pytest.raises(Abort, match="1 warning"):
        build(load_config(str(site / "mkdocs.yml"), site_dir=str(tmp_path / "out"), strict=True))
    assert any("has no publication date" in r.getMessage() and r.name.startswith("mkdocs.") for r in caplog.records)


def test_a_generated_page_never_replaces_a_written_one(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = copy_site(tmp_path / "site", FIXTURE_DATA)
    (site / "docs" / "people" / "mediator.md").write_text("# Written by hand\n")
    with pytest.raises(Abort):
        build(load_config(str(site / "mkdocs.yml"), site_dir=str(tmp_path / "out"), strict=True))
    expected = "docs/people/mediator.md:1:1: error: generated people/mediator.md replaces it"
    assert expected in caplog.text


def test_the_hook_module_is_glue_and_nothing_imports_it() -> None:
    package = ROOT / "hooks" / "explainer"
    assert len((package / "mkdocs_hooks.py").read_text().splitlines()) < 100
    importers = [
        p.relative_to(package)
        for p in package.rglob("*.py")
        if "mkdocs_hooks" in p.read_text() and p.name != "mkdocs_hooks.py" and p.name != "__init__.py"
    ]
    assert importers == []
    for layer in ("facts", "site"):
        for module in (package / layer).rglob("*.py"):
            assert "import mkdocs" not in module.read_text() and "from mkdocs" not in module.read_text(), module


def test_every_module_of_the_engine_is_on_the_api_reference_page_of_its_stage() -> None:
    """The pages holding mkdocstrings blocks are exactly the cached pages (which `render` leaves
    out); each engine module is on the page of its stage, the rest on the reference's first page."""
    docs = ROOT / "docs"
    autodoc = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md") if has_autodoc(p.read_text())}
    assert autodoc == CACHED_PAGES
    package = ROOT / "hooks" / "explainer"
    modules = {
        ".".join(("explainer", *p.relative_to(package).with_suffix("").parts))
        for p in package.rglob("*.py")
        if p.name not in ("__init__.py", "__main__.py")
    }
    documented = {
        module: src_uri
        for src_uri in CACHED_PAGES
        for module in re.findall(r"^::: (\S+)$", (docs / src_uri).read_text(), re.MULTILINE)
    }
    assert modules - documented.keys() == set()
    for module, src_uri in documented.items():
        stage = module.split(".")[1]
        assert src_uri == f"contribute/api/{stage if stage in ('facts', 'site', 'tools') else 'index'}.md", module


def test_a_given_source_date_epoch_is_kept_without_asking_git(tmp_path: Path, monkeypatch) -> None:
    from explainer import mkdocs_hooks

    site = copy_site(tmp_path / "site", FIXTURE_DATA)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1771286400")
    monkeypatch.setattr(mkdocs_hooks, "last_commit_time", lambda root: pytest.fail("asked git"))
    mkdocs_hooks.on_startup("serve", False)  # serve: no gc.freeze() in the test process
    mkdocs_hooks.on_config(load_config(str(site / "mkdocs.yml")))
    assert mkdocs_hooks.os.environ["SOURCE_DATE_EPOCH"] == "1771286400"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    monkeypatch.setattr(mkdocs_hooks, "last_commit_time", lambda root: "42")
    mkdocs_hooks.on_config(load_config(str(site / "mkdocs.yml")))
    assert mkdocs_hooks.os.environ.pop("SOURCE_DATE_EPOCH") == "42"
