"""The theme overrides stay in step with Material: a copied partial may differ from Material's own
only by the change it exists for. Plain file checks, no browser.
"""

from __future__ import annotations

import re
from pathlib import Path

import material

ROOT = Path(__file__).resolve().parents[2]
MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"
HEADER_COMMENT = re.compile(r"\A\{#-.*?-#\}\n", re.S)


def body(path: Path) -> str:
    """A template without its leading {#- ... -#} comment."""
    return HEADER_COMMENT.sub("", path.read_text(encoding="utf-8"), count=1)


def test_search_partial_differs_from_materials_only_by_the_dialog_name() -> None:
    ours = body(ROOT / "overrides" / "partials" / "search.html")
    theirs = body(MATERIAL_TEMPLATES / "partials" / "search.html")
    dialog = '<div class="md-search" data-md-component="search" role="dialog">'
    named = dialog.removesuffix(">") + " aria-label=\"{{ lang.t('search') }}\">"
    assert dialog in theirs, "Material's search partial changed its dialog element: re-copy it"
    assert ours == theirs.replace(dialog, named), (
        "overrides/partials/search.html has drifted from Material's partials/search.html: copy "
        "Material's file again and re-add aria-label to the role=dialog element"
    )
