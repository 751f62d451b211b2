"""Pages that are pure data: one per actor, topic and contested point, generated as Markdown."""

from __future__ import annotations

from typing import Any

from .factbase import FactBase
from .reference import data_reference
from .render import md_text

SECTIONS = {
    "people/": "people/index.md",
    "topics/": "positions/index.md",
    "contested/": "contested/index.md",
    "contribute/": "contribute/index.md",
}
"""Where generated pages join the navigation: their folder → the section's index page."""


def generated_pages(facts: FactBase, with_changes: bool) -> dict[str, str]:
    """src_uri → Markdown for every generated page, in navigation order.

    `with_changes` adds the edition's "What changed" page.
    """
    pages: dict[str, str] = {}
    if with_changes:
        pages["what-changed.md"] = (
            "# What changed in this edition\n\n<!-- explainer:changes -->\n"
        )
    for topic in facts.topics:
        pages[f"topics/{topic.id}.md"] = (
            f"# {md_text(topic.name)}\n\n<!-- explainer:topic-page id={topic.id} -->\n"
        )
    for actor in sorted(facts.actors.values(), key=lambda a: (a.kind.value != "person", a.name)):
        pages[f"people/{actor.id}.md"] = (
            f"# {md_text(actor.name)}\n\n<!-- explainer:actor-page id={actor.id} -->\n"
        )
    pages["contribute/data-reference.md"] = data_reference(facts)
    for point in facts.contested:
        pages[f"contested/{point.id}.md"] = (
            f"# {md_text(point.question)}\n\n<!-- explainer:contested id={point.id} -->\n"
        )
    return pages


def nav_sections(nav: list[Any], generated: list[str]) -> list[Any]:
    """The configured nav with each generated page appended to its section."""
    by_index: dict[str, list[str]] = {}
    if "what-changed.md" in generated:
        nav = [*nav[:1], {"What changed": "what-changed.md"}, *nav[1:]]
    for uri in generated:
        for folder, index in SECTIONS.items():
            if uri.startswith(folder):
                by_index.setdefault(index, []).append(uri)

    def visit(items: list[Any]) -> list[Any]:
        result = []
        for item in items:
            if isinstance(item, dict):
                (title, value), = item.items()
                if isinstance(value, list):
                    value = visit(value)
                    for entry in list(value):
                        if isinstance(entry, str) and entry in by_index:
                            value.extend(by_index.pop(entry))
                result.append({title: value})
            else:
                result.append(item)
        return result

    return visit(nav)
