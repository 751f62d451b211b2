"""MkDocs glue for SiteBuild (hooks/explainer_hooks.py re-exports it); nothing loads at import."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from .errors import ExplainerError, get_logger
from .site.build import DATA_ENV, EDITION_ENV, SiteBuild, body_line, edit_links, failure_page, last_commit_time, tidy
from .tools.guard import check_site

log = get_logger(__name__)


@dataclass
class _State:  # one build's state, made anew by each on_config
    command: str
    build: SiteBuild | None = None
    failure: str | None = None
    entities: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    edit: Any = None  # EditLinks, when the repository is known

    def fail(self, message: str) -> str:  # stop the build, or under serve show message on every page
        if self.command != "serve":
            raise PluginError(message)
        log.info("the preview shows these errors until they are fixed:\n%s", message)  # a warning stops serve
        self.failure = message
        return failure_page(message)


_state = _State("")


def on_startup(command: str, dirty: bool) -> None:
    global _state
    _state = _State(command)


def on_config(config: Any) -> Any:
    global _state
    root = Path(config.config_file_path or ".").parent
    _state = _State(_state.command, _state.build, edit=edit_links(config))  # serve keeps the last nav
    try:
        _state.build = SiteBuild.load(Path(os.environ.get(DATA_ENV) or root / "data"), os.environ.get(EDITION_ENV))
    except ExplainerError as exc:
        _state.fail(str(exc))
        return config
    _state.build = _state.build.configure(config)  # the banner; the offline copy, or the archive's link
    os.environ["SOURCE_DATE_EPOCH"] = os.environ.get("SOURCE_DATE_EPOCH") or last_commit_time(root)  # git only if unset
    if _state.command == "build":  # a one-off process: keep the facts out of the collector's sight
        gc.collect()
        gc.freeze()
    return config


def on_files(files: Files, config: Any) -> Files:
    check_site(config, files)  # raises even under serve: no link out, no script, no third-party request
    if _state.build is None:
        return files
    for src_uri, content in _state.build.pages.items():
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"{Path(config.docs_dir).name}/{src_uri}:1:1: error: generated {src_uri} replaces it")
        files.append(File.generated(config, src_uri, content=content))
    config["nav"] = _state.build.navigation(config["nav"])
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if _state.build is None or _state.failure is not None:
        return failure_page(_state.failure or "")
    src = page.file.src_uri
    path = f"(generated page {src})" if page.file.generated_by else f"{Path(config.docs_dir).name}/{src}"
    if page.file.generated_by and _state.edit is not None:  # its record's data file, at its line
        page.edit_url = _state.edit.to_page(_state.build, src)
    rendered = _state.build.render_page(src, page.url, markdown, path, body_line(page.file.content_string, markdown))
    if rendered.diagnostics:
        return _state.fail("\n".join(str(d) for d in rendered.diagnostics))
    _state.entities[page.url] = rendered.entities
    return rendered.markdown


def on_post_page(output: str, page: Any, config: Any) -> str:
    entities = _state.entities.pop(page.url, [])
    return _state.build.finish_page(output, page.title or "", entities) if _state.build else tidy(output)


def on_post_template(output: str, template_name: str, config: Any) -> str:
    return tidy(output)  # the 404 page


def on_post_build(config: Any) -> None:
    if _state.build is not None:
        _state.build.finish_site(Path(config.site_dir), config.site_name, config.site_url)
