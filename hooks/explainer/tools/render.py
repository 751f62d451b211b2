"""Write the whole site as plain Markdown with the facts inlined: no hooks needed to build it.

`python -m explainer render OUT_DIR` is the project's exit path to any MkDocs-compatible
builder, and the static side of the build benchmark. OUT_DIR gets `docs/` (every page, the
generated ones included, with directives expanded and references appended), the theme
overrides, and an `mkdocs.yml` with the same navigation and no `hooks:`.

OUT_DIR is replaced only when that cannot delete anything `render` did not write: it must be
missing, empty, or a folder an earlier render made (it holds `MARKER`) outside the project.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import yaml_load

from ..errors import ExplainerError, PageError
from ..site.build import EditLinks, SiteBuild, page_url
from ..site.page_cache import CACHED_PAGES
from ..site.raw import unfence
from .guard import check_docs
from .links import check_links

MARKER = ".explainer-render"
"""The file `render` leaves in OUT_DIR: its proof that a later render may replace the folder."""
MARKER_TEXT = "Written by `python -m explainer render`; the next render into this folder replaces it.\n"


class RenderError(ExplainerError):
    """OUT_DIR or the site's folders cannot be used safely; nothing was deleted or written."""


def render_site(config_file: Path, out_dir: Path, edition: str | None = None) -> int:
    """Render every page into `out_dir`; return how many pages were written.

    Before anything is deleted or written: RenderError when `out_dir` may hold what `render` did
    not write (see `check_out_dir`), LinkError when a folder of the site links out of the project,
    PageGuardError when docs/ holds what the site may not publish (see `guard`).
    """
    config_file = config_file.resolve()
    root = config_file.parent
    with config_file.open("rb") as stream:
        config: dict[str, Any] = yaml_load(stream)  # MkDocs' loader: it resolves !ENV tags
    theme = config.get("theme", {})
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    docs = _inside(root, config.get("docs_dir", "docs"), "docs_dir")
    overrides = _inside(root, custom_dir, "theme.custom_dir") if custom_dir else None
    check_out_dir(out_dir, root)
    check_links(root, [p for p in (docs, overrides, root / "data") if p])
    check_docs(docs, config.get("markdown_extensions") or [])
    build = SiteBuild.load(root / "data", edition)
    clear_out_dir(out_dir, root)
    out_docs = out_dir / "docs"
    shutil.copytree(docs, out_docs, ignore=shutil.ignore_patterns("*.md"))
    count = 0
    written = {
        source.relative_to(docs).as_posix(): (source.read_text(encoding="utf-8"), f"{docs.name}/{{}}")
        for source in sorted(docs.rglob("*.md"))
    }
    for api_page in CACHED_PAGES:
        written.pop(api_page, None)
    generated = {src_uri: (markdown, "(generated page {})") for src_uri, markdown in build.pages.items()}
    problems = []
    for src_uri, (markdown, where) in {**written, **generated}.items():
        rendered = build.render_page(src_uri, page_url(src_uri), markdown, where.format(src_uri))
        problems.extend(rendered.diagnostics)
        _write(out_docs / src_uri, unfence(rendered.markdown))
        count += 1
    if problems:
        raise PageError(problems)
    if overrides and custom_dir:
        shutil.copytree(overrides, out_dir / custom_dir)
    config.pop("hooks", None)
    config["watch"] = []
    # The API reference documents the engine's source, which a hook-free copy does not carry.
    config["plugins"] = [p for p in config.get("plugins", []) if p == "search"]
    config["docs_dir"] = "docs"
    config["nav"] = without_pages(build.navigation(config.get("nav", [])), CACHED_PAGES)
    config.setdefault("extra", {})["edition"] = build.banner()
    links = EditLinks.from_config(config.pop("repo_url", None), config.pop("edit_uri", None))
    if links is not None:  # absolute, so no repo_url is needed (and Material asks GitHub for nothing)
        config["edit_uri"] = links.edit_uri
    (out_dir / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return count


def check_out_dir(out_dir: Path, root: Path) -> None:
    """RenderError unless replacing `out_dir` deletes only what `render` wrote.

    Allowed: a missing or empty folder, or outside the project one that holds `MARKER` and no
    `.git`. Never the project, a folder holding it, or a non-empty folder inside it.
    """
    out, root = out_dir.resolve(), root.resolve()

    def refuse(why: str) -> RenderError:
        return RenderError(f"{out_dir}: refusing to render into this folder: {why}; nothing was deleted")

    if out_dir.is_symlink():
        raise refuse(f"it is a symbolic link (to {out}); name the folder itself")
    if root.is_relative_to(out):
        raise refuse(f"it holds the project ({root}), which a render would delete")
    if not out.exists():
        return
    if not out.is_dir():
        raise refuse("it is not a folder")
    if not any(out.iterdir()):
        return
    if out.is_relative_to(root):
        raise refuse(f"it is inside the project ({root}) and not empty; render into an empty or new folder")
    marker = out / MARKER
    if marker.is_symlink() or not marker.is_file() or marker.read_bytes() != MARKER_TEXT.encode():
        raise refuse(f"it is not empty and was not made by `explainer render` (no {MARKER} file in it)")
    if (out / ".git").exists():
        raise refuse("it holds a git repository (.git)")


def clear_out_dir(out_dir: Path, root: Path) -> None:
    """Check `out_dir` (see `check_out_dir`), then replace it by an empty folder with `MARKER`."""
    check_out_dir(out_dir, root)
    if out_dir.exists() and any(out_dir.iterdir()):
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def _inside(root: Path, folder: str, key: str) -> Path:
    path = (root / folder).resolve()
    if not path.is_relative_to(root.resolve()):
        raise RenderError(f"mkdocs.yml: {key}: {folder} is outside the project ({root})")
    return root / folder


def without_pages(nav: list[Any], pages: Collection[str]) -> list[Any]:
    """The navigation without entries for `pages`, nor sections left empty by their removal."""
    kept: list[Any] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            children = without_pages(value, pages)
            if value and not children:
                continue
            item = {next(iter(item)): children}
        elif value in pages:
            continue
        kept.append(item)
    return kept


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
