"""The API reference's page cache: plain data outside the repository, checked when read, kept
only after a clean build, and a cached build identical to a fresh one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from explainer.site import page_cache
from explainer.site.page_cache import CachedPage, PageCache, without_autodoc
from mkdocs.commands.build import build
from mkdocs.config import load_config
from site_inputs import FIXTURE_DATA, copy_site

PAGE = CachedPage("<h2 id='x'>X</h2>", [{"level": 2, "id": "x", "name": "X", "children": []}])


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PageCache:
    monkeypatch.setattr(PageCache, "_memory", {})
    return PageCache("key", tmp_path / "pages")


def test_a_page_comes_back_from_disk_as_it_was_kept(cache: PageCache, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.put("contribute/api.md", "# API", PAGE)
    monkeypatch.setattr(PageCache, "_memory", {})
    assert cache.get("contribute/api.md", "# API") == PAGE
    assert cache.get("contribute/api.md", "# API, edited") is None
    assert PageCache("other key", cache.directory).get("contribute/api.md", "# API") is None


@pytest.mark.parametrize(
    "entry",
    [
        b"not json",
        b"",
        json.dumps({"html": 1, "toc": []}).encode(),
        json.dumps({"html": "x", "toc": [{"level": "2", "id": "x", "name": "X", "children": []}]}).encode(),
        json.dumps({"html": "x", "toc": [], "extra": 1}).encode(),
        json.dumps(["html", "toc"]).encode(),
        b"\x80\x04\x95 a pickle",
    ],
)
def test_a_malformed_entry_is_ignored(cache: PageCache, entry: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.put("contribute/api.md", "# API", PAGE)
    monkeypatch.setattr(PageCache, "_memory", {})
    [kept] = cache.directory.iterdir()  # type: ignore[union-attr]
    kept.write_bytes(entry)
    assert cache.get("contribute/api.md", "# API") is None


def test_the_cache_lives_outside_the_repository(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    directory = PageCache.for_engine("config").directory
    assert directory == tmp_path / "home-cache" / "explainer" / "pages"
    assert not directory.resolve().is_relative_to(Path(__file__).resolve().parents[1])


def test_the_key_follows_the_engine_source_and_the_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    engine = tmp_path / "engine"
    engine.mkdir()
    (engine / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(page_cache, "ENGINE_DIR", engine)
    first = PageCache.for_engine("config").key
    assert PageCache.for_engine("config").key == first
    assert PageCache.for_engine("other config").key != first
    (engine / "a.py").write_text("x = 2\n")
    assert PageCache.for_engine("config").key != first


def test_served_pages_are_rendered_without_their_autodoc_blocks() -> None:
    assert without_autodoc("# API\n\n::: explainer.errors\n\ntext\n::: explainer.site.build\n") == "# API\n\n\ntext\n"


def _build(site: Path, out: Path) -> None:
    build(load_config(str(site / "mkdocs.yml"), site_dir=str(out), strict=True))


def test_a_cached_build_is_identical_and_skips_mkdocstrings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(PageCache, "_memory", {})
    site = copy_site(tmp_path / "site", FIXTURE_DATA)
    _build(site, tmp_path / "fresh")
    assert list((tmp_path / "cache" / "explainer" / "pages").iterdir())

    from mkdocstrings._internal.extension import AutoDocProcessor

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("mkdocstrings rendered the API page although it was cached")

    monkeypatch.setattr(AutoDocProcessor, "run", refuse)
    _build(site, tmp_path / "cached")
    fresh = {p.relative_to(tmp_path / "fresh"): p.read_bytes() for p in (tmp_path / "fresh").rglob("*") if p.is_file()}
    for name, content in fresh.items():
        assert (tmp_path / "cached" / name).read_bytes() == content, name
    api = (tmp_path / "cached" / "contribute" / "api" / "index.html").read_text()
    assert 'id="explainer.site.build.SiteBuild"' in api and 'href="#explainer.site.build.SiteBuild"' in api


def test_a_build_with_a_warning_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(PageCache, "_memory", {})
    site = copy_site(tmp_path / "site", FIXTURE_DATA)
    about = site / "docs" / "about.md"
    about.write_text(about.read_text() + "\n[broken](no-such-page.md)\n")
    with pytest.raises(Exception, match="strict"):
        _build(site, tmp_path / "out")
    assert not (tmp_path / "cache" / "explainer" / "pages").exists()


def test_serve_rebuilds_reuse_compiled_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    from explainer.site.page_cache import TemplateCache
    from jinja2 import DictLoader, Environment

    cache, compiled = TemplateCache(), []
    loader = DictLoader({"page.html": "<p>{{ x }}</p>"})

    def environment() -> Environment:
        env = Environment(loader=loader, bytecode_cache=cache)
        real = env.compile

        def counting(*args: object, **kwargs: object) -> object:
            compiled.append(args)
            return real(*args, **kwargs)

        monkeypatch.setattr(env, "compile", counting)
        return env

    assert environment().get_template("page.html").render(x="<b>") == "<p><b></p>"
    assert environment().get_template("page.html").render(x=1) == "<p>1</p>"  # a rebuild's new environment
    assert len(compiled) == 1
    loader.mapping["page.html"] = "<div>{{ x }}</div>"  # an edited template is compiled afresh
    assert environment().get_template("page.html").render(x=2) == "<div>2</div>"
    assert len(compiled) == 2
