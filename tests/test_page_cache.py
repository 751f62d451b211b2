"""The API reference's page cache: plain data outside the repository, checked when read, kept
only after a clean build, and a cached build identical to a fresh one."""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from explainer.site import engine_memo, page_cache
from explainer.site.exports import FactsExport
from explainer.site.page_cache import (
    CACHED_PAGES,
    CachedPage,
    CacheError,
    CacheSession,
    PageCache,
    RenderMemo,
    TemplateCache,
    ThemeLoader,
    digest,
    without_autodoc,
)
from jinja2 import BaseLoader, DictLoader, Environment, FileSystemLoader
from jinja2.bccache import Bucket
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import Files
from site_inputs import FIXTURE_DATA, copy_site, shorten_api_reference

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
        json.dumps({"html": 1, "toc": [], "css": ""}).encode(),
        json.dumps({"html": "x", "toc": [{"level": "2", "id": "x", "name": "X", "children": []}], "css": ""}).encode(),
        json.dumps({"html": "x", "toc": [], "css": "", "extra": 1}).encode(),
        json.dumps({"html": "x", "toc": [], "css": 1}).encode(),
        json.dumps({"html": "x", "toc": []}).encode(),  # written before stylesheets were kept
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
    """The first build renders the API reference (its first module a page: the real data's first
    build in test_cut renders it all) without reformatting a signature: the formatter mkdocstrings
    would use (ruff, from the development environment) is not where the site is published, so the
    published reference would differ from this one."""
    from mkdocstrings_handlers.python._internal import rendering

    def no_formatter() -> None:
        raise AssertionError("mkdocstrings reformatted a signature: the published reference would differ")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(PageCache, "_memory", {})
    monkeypatch.setattr(rendering, "_get_formatter", no_formatter)
    site = copy_site(tmp_path / "site", FIXTURE_DATA)
    shorten_api_reference(site)
    _build(site, tmp_path / "fresh")
    assert list((tmp_path / "cache" / "explainer" / "pages").iterdir())

    from mkdocstrings._internal.extension import AutoDocProcessor
    from mkdocstrings._internal.handlers.base import Handlers

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("mkdocstrings rendered the API page, or started its handler, although it was cached")

    monkeypatch.setattr(AutoDocProcessor, "run", refuse)
    monkeypatch.setattr(Handlers, "get_handler", refuse)
    _build(site, tmp_path / "cached")
    fresh = {p.relative_to(tmp_path / "fresh"): p.read_bytes() for p in (tmp_path / "fresh").rglob("*") if p.is_file()}
    for name, content in fresh.items():
        assert (tmp_path / "cached" / name).read_bytes() == content, name
    api = (tmp_path / "cached" / "contribute" / "api" / "site" / "index.html").read_text()
    assert 'id="explainer.site.build.SiteBuild"' in api and 'href="#explainer.site.build.SiteBuild"' in api


def test_a_build_with_a_warning_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The API reference rendered (shortened, as in the previous test) in a build that then warns
    is not kept."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(PageCache, "_memory", {})
    site = copy_site(tmp_path / "site", FIXTURE_DATA)
    shorten_api_reference(site)
    about = site / "docs" / "about.md"
    about.write_text(about.read_text() + "\n[broken](no-such-page.md)\n")
    with pytest.raises(Exception, match="strict"):
        _build(site, tmp_path / "out")
    assert not (tmp_path / "cache" / "explainer" / "pages").exists()


def _counting_environment(
    cache: TemplateCache, loader: BaseLoader, compiled: list[object], monkeypatch: pytest.MonkeyPatch
) -> Environment:
    """A Jinja environment as MkDocs makes one per build, counting the templates it compiles."""
    env = Environment(loader=loader, bytecode_cache=cache)
    real = env.compile

    def counting(*args: object, **kwargs: object) -> object:
        compiled.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(env, "compile", counting)
    return env


def test_serve_rebuilds_reuse_compiled_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    cache, compiled = TemplateCache(), []
    loader = DictLoader({"page.html": "<p>{{ x }}</p>"})
    environment = functools.partial(_counting_environment, cache, loader, compiled, monkeypatch)
    assert environment().get_template("page.html").render(x="<b>") == "<p><b></p>"
    assert environment().get_template("page.html").render(x=1) == "<p>1</p>"  # a rebuild's new environment
    assert len(compiled) == 1
    loader.mapping["page.html"] = "<div>{{ x }}</div>"  # an edited template is compiled afresh
    assert environment().get_template("page.html").render(x=2) == "<div>2</div>"
    assert len(compiled) == 2


def test_the_next_build_reads_compiled_templates_from_the_users_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "page.html").write_text("<p>{{ x }}</p>")
    folder, compiled = tmp_path / "cache" / "templates", []

    def build_in_a_new_process() -> str:  # nothing in memory: only what the folder holds
        env = _counting_environment(TemplateCache(folder), FileSystemLoader(theme), compiled, monkeypatch)
        return env.get_template("page.html").render(x="<b>")

    assert build_in_a_new_process() == "<p><b></p>"
    assert build_in_a_new_process() == "<p><b></p>"
    assert len(compiled) == 1
    assert [p.suffix for p in folder.iterdir()] == [".jinja"]
    assert folder.stat().st_mode & 0o777 == 0o700
    (theme / "page.html").write_text("<div>{{ x }}</div>")  # an edited template is compiled again
    assert build_in_a_new_process() == "<div><b></div>"
    assert len(compiled) == 2
    for entry in folder.iterdir():  # anything else Jinja cannot use is compiled again, not run
        entry.write_bytes(b"\x80\x04\x95 not compiled code")
    assert build_in_a_new_process() == "<div><b></div>"
    assert len(compiled) == 3


def test_serve_reads_a_kept_template_from_disk_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "page.html").write_text("<p>{{ x }}</p>")
    folder, compiled = tmp_path / "cache" / "templates", []
    first = _counting_environment(TemplateCache(folder), FileSystemLoader(theme), compiled, monkeypatch)
    first.get_template("page.html")  # compiled and kept on disk
    serve = TemplateCache(folder)  # a new `mkdocs serve`: its first build reads the folder
    reads: list[str] = []
    assert serve.disk is not None
    real_read = serve.disk.load_bytecode

    def read(bucket: Bucket) -> None:
        reads.append(bucket.key)
        real_read(bucket)

    monkeypatch.setattr(serve.disk, "load_bytecode", read)
    for _rebuild in range(3):
        env = _counting_environment(serve, FileSystemLoader(theme), compiled, monkeypatch)
        assert env.get_template("page.html").render(x=1) == "<p>1</p>"
    assert (len(compiled), len(reads)) == (1, 1)


@pytest.mark.parametrize("shared", ["writable by others", "writable by the group", "a symbolic link"])
def test_compiled_templates_are_kept_only_in_a_private_folder(tmp_path: Path, shared: str) -> None:
    folder = tmp_path / "templates"
    if shared == "a symbolic link":
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        folder.symlink_to(tmp_path / "elsewhere")
    else:
        folder.mkdir()
        folder.chmod(0o777 if shared == "writable by others" else 0o770)
    cache = TemplateCache(folder)
    env = Environment(loader=DictLoader({"page.html": "<p>{{ x }}</p>"}), bytecode_cache=cache)
    assert env.get_template("page.html").render(x=1) == "<p>1</p>"
    assert cache.disk is None
    assert list(folder.iterdir()) == []


def test_builds_keep_compiled_templates_in_the_users_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explainer import mkdocs_page_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    env = Environment()
    mkdocs_page_cache.on_env(env, config=None, files=Files([]))
    assert isinstance(env.bytecode_cache, TemplateCache)
    assert env.bytecode_cache.folder == tmp_path / "home-cache" / "explainer" / "templates"
    assert env.bytecode_cache.disk is not None
    second = Environment()
    mkdocs_page_cache.on_env(second, config=None, files=Files([]))
    assert second.bytecode_cache is env.bytecode_cache  # serve's rebuilds share what is in memory


def test_the_theme_lists_the_static_files_mkdocs_lists_without_its_hidden_folders(tmp_path: Path) -> None:
    """After the hooks' on_config, the theme's environment lists its files without hidden ones,
    and MkDocs copies exactly the static files it copies with Jinja's own loader."""
    site = copy_site(tmp_path / "site", FIXTURE_DATA)
    (site / "overrides" / ".hidden").mkdir()
    (site / "overrides" / ".hidden" / "kept-out.css").write_text("a {}")
    (site / "overrides" / "shown.css").write_text("a {}")
    config = load_config(str(site / "mkdocs.yml"))
    plain_env = config.theme.get_env()
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    env = config.theme.get_env()
    assert isinstance(env.loader, ThemeLoader) and type(plain_env.loader) is FileSystemLoader
    assert env.loader.searchpath == plain_env.loader.searchpath
    listed, everything = env.loader.list_templates(), plain_env.loader.list_templates()
    assert set(listed) == {name for name in everything if not any(part[0] == "." for part in name.split("/"))}
    assert len(listed) < len(everything) / 10, "Material's .icons are not walked"
    theirs, ours = Files([]), Files([])
    theirs.add_files_from_theme(plain_env, config)
    ours.add_files_from_theme(env, config)
    assert "shown.css" in [f.src_uri for f in ours]
    assert [(f.src_uri, f.abs_src_path) for f in ours] == [(f.src_uri, f.abs_src_path) for f in theirs]
    assert env.get_template("main.html").filename == plain_env.get_template("main.html").filename


def test_a_memo_keeps_one_clean_build() -> None:
    memo: RenderMemo[str] = RenderMemo()
    memo.add("a", "page a")
    memo.end_build(clean=False)  # a build with a warning or an error keeps nothing it made
    assert memo.get("a") is None
    memo.add("a", "page a")
    memo.add("b", "page b")
    memo.end_build(clean=True)
    assert memo.get("a") == "page a"
    memo.end_build(clean=False)  # b was neither used nor made: dropped, so the memo cannot grow
    assert memo.reused == 1
    assert memo.get("b") is None and memo.get("a") == "page a"
    assert digest("ab", "c") != digest("a", "bc")


SERVE_URL = "http://127.0.0.1:8000/"


@pytest.fixture
def serving() -> Iterator[Callable[[Path, Path, str], int]]:
    """Builds as `mkdocs serve` and `mkdocs build` make them, in this process: `serve` starts a
    serve, `rebuild` is its next build. Each call returns how many pages the serve memo reused.
    Both hook modules are left as a plain build finds them."""
    from explainer import mkdocs_hooks, mkdocs_page_cache

    def run(site: Path, out: Path, command: str) -> int:
        config = load_config(str(site / "mkdocs.yml"), site_dir=str(out), strict=True)
        config.site_url = SERVE_URL
        if command != "rebuild":
            config.plugins.on_startup(command=command, dirty=False)
        build(config, serve_url=None if command == "build" else SERVE_URL)
        return mkdocs_page_cache._serve.pages.reused

    yield run
    mkdocs_hooks.on_startup("", False)
    mkdocs_page_cache.on_startup("", False)


def _files(out: Path) -> dict[Path, bytes]:
    return {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_serve_rebuild_after_a_data_edit_is_identical_to_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serving: Callable[[Path, Path, str], int]
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    site = copy_site(tmp_path / "site", FIXTURE_DATA)
    # The API page cached by an earlier build, as on a contributor's machine: the first build to
    # serve it from the cache runs without mkdocstrings, whose Markdown extension then leaves the
    # settings, so that build reuses no page from the one before (the builds after it do).
    serving(site, tmp_path / "built", "build")
    serving(site, tmp_path / "served", "serve")  # the first build of a serve: every page rendered
    names = (
        (f, re.search(r"^ +name: (.+)$", f.read_text(encoding="utf-8"), re.MULTILINE))
        for f in site.glob("data/**/*.yml")
    )
    actors, name = next((f, found) for f, found in names if found)  # an actor's name, shown on several pages
    text = actors.read_text(encoding="utf-8")
    marker = f"{name[1]} Edited-Marker"
    actors.write_text(text.replace(name[0], name[0].replace(name[1], marker), 1), encoding="utf-8")

    # the rebuild that serve runs after the edit, in the same process, against a clean build
    reused = serving(site, tmp_path / "served", "rebuild")
    rebuilt = _files(tmp_path / "served")
    serving(site, tmp_path / "clean", "build")
    clean = _files(tmp_path / "clean")
    assert reused > 0, "the rebuild reused no page: this test would prove nothing"
    assert rebuilt.keys() == clean.keys()
    for path, content in clean.items():
        assert rebuilt[path] == content, f"{path} differs from a clean build"
    showing = [p for p, c in clean.items() if p.suffix == ".html" and marker.encode() in c]
    assert len(showing) >= 2, f"the edited name shows on {showing}"


def test_serve_watches_the_same_paths_and_rebuilds_on_writes_not_reads(tmp_path: Path) -> None:
    from explainer.mkdocs_page_cache import on_serve
    from mkdocs.livereload import LiveReloadServer

    (tmp_path / "data").mkdir()
    data, config = tmp_path / "data" / "facts.yml", tmp_path / "mkdocs.yml"
    data.write_text("a: 1\n")
    config.write_text("site_name: x\n")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(config))
    server = on_serve(server, None, None)
    server.watch(str(tmp_path / "data"))  # what MkDocs watches after the event
    assert {e.watch.raw_path for e in server.observer.emitters} == {str(config), str(tmp_path / "data")}

    def rebuild_wanted(seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not server._want_rebuild:
            time.sleep(0.01)
        return server._want_rebuild

    server.observer.start()
    try:
        data.read_text()  # a build reads every watched file: that must not start another build
        config.read_text()
        assert not rebuild_wanted(0.2)  # the notifier reports within milliseconds
        data.write_text("a: 2\n")
        assert rebuild_wanted(5)
    finally:
        server.observer.stop()
        server.observer.join()


def test_a_foreseen_page_that_a_hook_changed_stops_the_build(tmp_path: Path) -> None:
    """A build served from the cache runs without mkdocstrings: should a page's Markdown differ
    from its file's, it would be rendered without it, its `:::` blocks as text; it fails instead.
    The cache serves the build only when it holds every page of the reference."""
    cache = PageCache("key", tmp_path)
    written = {src_uri: f"# {src_uri}\n\n::: explainer.errors\n" for src_uri in sorted(CACHED_PAGES)}
    first, *others = written
    for src_uri, markdown in written.items():
        cache.put(src_uri, markdown, CachedPage(f"<p>{src_uri}</p>", [], "css"))
    session = CacheSession(cache)
    assert session.foresee(written)
    with pytest.raises(CacheError, match=first):
        session.markdown(first, written[first] + "\nA note a hook added.\n")
    assert session.markdown(first, written[first]) == f"# {first}\n\n"
    assert session.stylesheet() == "css"
    assert not CacheSession(cache).foresee({**written, first: "# Another page\n"})
    assert not CacheSession(cache).foresee({src_uri: written[src_uri] for src_uri in others})


# -- the engine memo: values made from the engine's source alone ------------------------------------


@pytest.fixture
def memo_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(engine_memo, "_memory", {})
    return tmp_path / "cache" / "explainer" / "memo"


@pytest.mark.parametrize("options", [{"by_alias": True}, {"by_alias": True, "mode": "serialization"}])
def test_a_kept_schema_is_the_models_own_and_a_fresh_copy(memo_home: Path, monkeypatch, options) -> None:
    expected = FactsExport.model_json_schema(**options)
    first = engine_memo.json_schema(FactsExport, **options)
    first["$schema"] = "changed by its caller"
    monkeypatch.setattr(engine_memo, "_memory", {})  # a later build: from the cache folder
    monkeypatch.setattr(FactsExport, "model_json_schema", lambda **_: pytest.fail("made again"))
    assert engine_memo.json_schema(FactsExport, **options) == expected
    assert engine_memo.json_schema(FactsExport, **options) == expected
    assert len(list(memo_home.iterdir())) == 1


def test_a_kept_value_belongs_to_one_engine_and_a_malformed_one_is_made_again(memo_home: Path, monkeypatch) -> None:
    engine_memo.remember({"a": 1}, "value")
    assert engine_memo.recall("value") == {"a": 1} and engine_memo.recall("other value") is None
    monkeypatch.setattr(engine_memo, "_memory", {})
    [kept] = memo_home.iterdir()
    kept.write_bytes(b"\x80 not json")
    assert engine_memo.recall("value") is None
    monkeypatch.setattr(engine_memo, "engine_key", lambda: "an edited engine")
    engine_memo.remember({"a": 2}, "value")
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(memo_home.parents[1]))
    monkeypatch.setattr(engine_memo, "_memory", {})
    assert engine_memo.recall("value") is None


def test_the_engine_key_changes_with_the_engine_and_its_libraries(tmp_path: Path, monkeypatch) -> None:
    engine = tmp_path / "engine"
    engine.mkdir()
    (engine / "models.py").write_text("A = 1\n")
    monkeypatch.setattr(page_cache, "ENGINE_DIR", engine)
    first = page_cache.engine_digest(engine_memo.LIBRARIES)
    assert page_cache.engine_digest(engine_memo.LIBRARIES) == first
    assert page_cache.engine_digest(("pydantic",)) != first
    monkeypatch.setattr(page_cache, "_version", lambda name: "0.0")
    assert page_cache.engine_digest(engine_memo.LIBRARIES) != first
    monkeypatch.undo()
    monkeypatch.setattr(page_cache, "ENGINE_DIR", engine)
    (engine / "models.py").write_text("A = 2\n")
    assert page_cache.engine_digest(engine_memo.LIBRARIES) != first


def test_a_cache_folder_that_cannot_be_written_costs_time_not_the_build(
    memo_home: Path, monkeypatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = memo_home.parents[1]  # the cache home is a file: no folder can be made in it (even by root)
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("not a folder")
    monkeypatch.setattr(PageCache, "_memory", {})
    with caplog.at_level("INFO"):
        engine_memo.remember({"a": 1}, "value")
        PageCache.for_engine("config").put("contribute/api.md", "# API", PAGE)
    assert engine_memo.recall("value") == {"a": 1}, "this process still has it"
    written = [r.getMessage() for r in caplog.records if "cache entry not written" in r.getMessage()]
    assert len(written) == 2 and "the value is made again" in written[0] and "the page is rendered again" in written[1]
    assert blocked.read_text() == "not a folder"
