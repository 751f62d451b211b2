"""MkDocs hooks (see `hooks:` in mkdocs.yml): thin re-exports of the `explainer` engine."""

from explainer.mkdocs_hooks import (  # noqa: F401 - MkDocs finds hooks by these names
    on_config,
    on_files,
    on_page_markdown,
    on_post_build,
    on_post_page,
    on_post_template,
    on_startup,
)
