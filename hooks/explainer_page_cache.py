"""MkDocs hooks (see `hooks:` in mkdocs.yml): the API reference's page cache."""

from explainer.mkdocs_page_cache import (  # noqa: F401 - MkDocs finds hooks by these names
    on_config,
    on_env,
    on_page_content,
    on_page_markdown,
    on_post_build,
    on_post_page,
)
