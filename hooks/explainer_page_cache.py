"""MkDocs hooks (see `hooks:` in mkdocs.yml): the build caches (the API reference's page, serve's rebuilds)."""

from explainer.mkdocs_page_cache import (  # noqa: F401 - MkDocs finds hooks by these names
    on_build_error,
    on_config,
    on_env,
    on_nav,
    on_page_content,
    on_page_markdown,
    on_post_build,
    on_post_page,
    on_serve,
    on_startup,
)
