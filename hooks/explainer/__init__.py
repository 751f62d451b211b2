"""The explainer engine: YAML facts in `data/` → validated, resolved facts → Markdown for MkDocs.

The flow runs one way, and the layout names its stages:

- `facts`: `loader` (parse, keeping `path:line:col`) → `validate` (typed `models`) →
  `resolve` (ids and references, giving a `factbase.FactBase`) → `cut` (an edition);
  `kinds` is the registry of record kinds every stage asks.
- `site`: `build.SiteBuild` owns one build: it chooses the edition and renders each page through
  `directives` and `components`, with the generated `pages` and the `exports`.
- `tools`: the command line (`check`, `new`, `schema`, `render`, `publish`).
- `mkdocs_hooks`: glue between MkDocs' events and `SiteBuild`; nothing imports it.
"""

from .errors import DataError, Diagnostic, DiagnosticError, EditionError, ExplainerError, PageError
from .facts.load import load_facts
from .site.build import SiteBuild

__all__ = [
    "DataError",
    "Diagnostic",
    "DiagnosticError",
    "EditionError",
    "ExplainerError",
    "PageError",
    "SiteBuild",
    "load_facts",
]
