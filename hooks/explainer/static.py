"""Write the whole site as plain Markdown with the facts inlined: no hooks needed to build it.

`python -m explainer render OUT_DIR` is the project's exit path to any MkDocs-compatible
builder, and the static side of the build benchmark. OUT_DIR gets `docs/` (every page, the
generated ones included, with directives expanded and references appended), the theme
overrides, and an `mkdocs.yml` with the same navigation and no `hooks:`.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import yaml_load

from .directives import DirectiveError, expand
from .engine import load_facts
from .mkdocs_hooks import Build, banner, pick_edition
from .pages import generated_pages, nav_groups, nav_sections
from .render import Citations, PageLinks, Renderer

API_PAGE = "contribute/api.md"


def page_url(src_uri: str) -> str:
    """The directory-style URL MkDocs gives a page."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def render_page(build: Build, src_uri: str, markdown: str) -> str:
    """One page's Markdown with directives expanded and its references appended."""
    links = PageLinks(page_url(src_uri))
    renderer = Renderer(build.facts, links, Citations(build.facts), build.previous)

    def where(index: int) -> str:
        return f"{src_uri}:{markdown.count(chr(10), 0, index) + 1}:1"

    expanded, errors = expand(markdown, renderer, where)
    if errors:
        raise DirectiveError("\n".join(errors))
    references = renderer.citations.references(links)
    return f"{expanded}\n\n{references}\n" if references else expanded


def render_site(config_file: Path, out_dir: Path, edition: str | None = None) -> int:
    """Render every page into `out_dir`; return how many pages were written."""
    config_file = config_file.resolve()
    root = config_file.parent
    with config_file.open("rb") as stream:
        config: dict[str, Any] = yaml_load(stream)  # MkDocs' loader: it resolves !ENV tags
    docs = root / config.get("docs_dir", "docs")
    build = pick_edition(load_facts(root / "data").facts, edition)
    out_docs = out_dir / "docs"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(docs, out_docs, ignore=shutil.ignore_patterns("*.md"))
    count = 0
    for source in sorted(docs.rglob("*.md")):
        src_uri = source.relative_to(docs).as_posix()
        if src_uri == API_PAGE:
            continue
        _write(out_docs / src_uri, render_page(build, src_uri, source.read_text(encoding="utf-8")))
        count += 1
    pages = generated_pages(build.facts, with_changes=build.edition is not None)
    for src_uri, markdown in pages.items():
        _write(out_docs / src_uri, render_page(build, src_uri, markdown))
        count += 1
    theme = config.get("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        shutil.copytree(root / theme["custom_dir"], out_dir / theme["custom_dir"])
    config.pop("hooks", None)
    config["watch"] = []
    # The API reference documents the engine's source, which a hook-free copy does not carry.
    config["plugins"] = [p for p in config.get("plugins", []) if p == "search"]
    config["docs_dir"] = "docs"
    config["nav"] = without_page(nav_sections(config.get("nav", []), list(pages), nav_groups(build.facts)), API_PAGE)
    config.setdefault("extra", {})["edition"] = banner(build)
    (out_dir / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return count


def without_page(nav: list[Any], page: str) -> list[Any]:
    """The navigation without entries for `page`."""
    kept: list[Any] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if value == page:
            continue
        if isinstance(item, dict) and isinstance(value, list):
            item = {next(iter(item)): without_page(value, page)}
        kept.append(item)
    return kept


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
