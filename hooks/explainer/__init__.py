"""The explainer engine: YAML facts in `data/` → validated, resolved facts → Markdown for MkDocs.

Stages, each a module: `loader` (parse, keep positions) → `validate` (typed `models`) →
`resolve` (ids, references, edition cut-offs, giving a `factbase.FactBase`) → `render`
(Markdown/HTML fragments) → `mkdocs_hooks` (thin glue called by the files in `hooks/`).
"""

from .diagnostics import DataError, Diagnostic
from .engine import load_facts

__all__ = ["DataError", "Diagnostic", "load_facts"]
