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

from ..errors import PageError
from ..site.build import SiteBuild, page_url

API_PAGE = "contribute/api.md"


def render_site(config_file: Path, out_dir: Path, edition: str | None = None) -> int:
    """Render every page into `out_dir`; return how many pages were written."""
    config_file = config_file.resolve()
    root = config_file.parent
    with config_file.open("rb") as stream:
        config: dict[str, Any] = yaml_load(stream)  # MkDocs' loader: it resolves !ENV tags
    docs = root / config.get("docs_dir", "docs")
    build = SiteBuild.load(root / "data", edition)
    out_docs = out_dir / "docs"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(docs, out_docs, ignore=shutil.ignore_patterns("*.md"))
    count = 0
    written = {
        source.relative_to(docs).as_posix(): (source.read_text(encoding="utf-8"), f"{docs.name}/{{}}")
        for source in sorted(docs.rglob("*.md"))
    }
    written.pop(API_PAGE, None)
    generated = {src_uri: (markdown, "(generated page {})") for src_uri, markdown in build.pages.items()}
    problems = []
    for src_uri, (markdown, where) in {**written, **generated}.items():
        rendered = build.render_page(src_uri, page_url(src_uri), markdown, where.format(src_uri))
        problems.extend(rendered.diagnostics)
        _write(out_docs / src_uri, rendered.markdown)
        count += 1
    if problems:
        raise PageError(problems)
    theme = config.get("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        shutil.copytree(root / theme["custom_dir"], out_dir / theme["custom_dir"])
    config.pop("hooks", None)
    config["watch"] = []
    # The API reference documents the engine's source, which a hook-free copy does not carry.
    config["plugins"] = [p for p in config.get("plugins", []) if p == "search"]
    config["docs_dir"] = "docs"
    config["nav"] = without_page(build.navigation(config.get("nav", [])), API_PAGE)
    config.setdefault("extra", {})["edition"] = build.banner()
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
