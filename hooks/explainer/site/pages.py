"""Pages that are pure data: one per actor, topic and contested point, generated as Markdown."""

from __future__ import annotations

import json
from typing import Any

from ..facts.factbase import FactBase
from ..facts.models import Actor, ActorKind
from .components import ACTOR_GROUPS, md_text
from .directives import directive_reference
from .reference import data_reference

SECTIONS = {
    "people/": "people/index.md",
    "topics/": "positions/index.md",
    "contested/": "contested/index.md",
    "history/": "history/index.md",
    "contribute/": "contribute/index.md",
}
"""Where generated pages join the navigation: their folder → the section's index page."""


def generated_pages(facts: FactBase, with_changes: bool) -> dict[str, str]:
    """src_uri → Markdown for every generated page, in navigation order.

    `with_changes` adds the edition's "What changed" page.
    """
    pages: dict[str, str] = {}
    if with_changes:
        pages["what-changed.md"] = f"{UNSEARCHED}# What changed in this edition\n\n<!-- explainer:changes -->\n"
    for era in facts.eras:
        held = facts.events_by_era[era.id]
        if held:
            about = f"{era.title}: {len(held)} event{'s' if len(held) != 1 else ''}, each dated and sourced."
            pages[f"history/{era.id}.md"] = _page(era.title, f"era id={era.id}", about)
    for topic in facts.topics:
        pages[f"topics/{topic.id}.md"] = _page(topic.name, f"topic-page id={topic.id}", topic.question)
    for actor in _actors_in_nav_order(facts):
        pages[f"people/{actor.id}.md"] = _page(actor.name, f"actor-page id={actor.id}", _first_sentence(actor.summary))
    pages["contribute/data-reference.md"] = UNSEARCHED + data_reference(facts)
    pages["contribute/directives.md"] = directive_reference()
    for point in facts.contested:
        about = f"Contested: {point.question} Each side's claim, attributed and sourced."
        pages[f"contested/{point.id}.md"] = _page(point.question, f"contested id={point.id}", about)
    return pages


UNSEARCHED = "---\nsearch:\n  exclude: true\n---\n\n"
"""Front matter that keeps a page out of the search index: it repeats what other pages index
(what changed) or documents the engine, which readers do not search for."""


def _page(title: str, directive: str, description: str) -> str:
    """A generated page: its description for search engines and link previews, its title, and
    the directive that fills it."""
    front = f"---\ndescription: {json.dumps(description, ensure_ascii=False)}\n---\n\n"
    return f"{front}# {md_text(title)}\n\n<!-- explainer:{directive} -->\n"


def _first_sentence(text: str, limit: int = 200) -> str:
    """The first sentence of `text`, cut at a word before `limit` characters."""
    sentence = text.split(". ")[0].rstrip(".") + "."
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + "…"
    return sentence


NAV_GROUP_SIZE = 40
"""Most pages one navigation group lists: Material draws a page's whole group on the page,
so unbounded groups would make build time grow with the square of the pages."""


def _actors_in_nav_order(facts: FactBase) -> list[Any]:
    order = list(ACTOR_GROUPS)
    return sorted(facts.actors.values(), key=lambda a: (order.index(a.kind), a.name.casefold()))


def nav_groups(facts: FactBase) -> dict[str, str]:
    """Actor page → its navigation group: by kind, and by initials when a kind has many."""
    by_kind: dict[ActorKind, list[Actor]] = {}
    for actor in _actors_in_nav_order(facts):
        by_kind.setdefault(actor.kind, []).append(actor)
    groups: dict[str, str] = {}
    for kind, actors in by_kind.items():
        label = ACTOR_GROUPS[kind]
        for start in range(0, len(actors), NAV_GROUP_SIZE):
            chunk = actors[start : start + NAV_GROUP_SIZE]
            name = label
            if len(actors) > NAV_GROUP_SIZE:
                name = f"{label} {_initial(chunk[0].name)}–{_initial(chunk[-1].name)}"
                if any(g == name for g in groups.values()):
                    name = f"{name} ({start // NAV_GROUP_SIZE + 1})"
            for actor in chunk:
                groups[f"people/{actor.id}.md"] = name
    return groups


def _initial(name: str) -> str:
    """The first letter of a name for a group label: A–Z, else '#' (labels are not escaped)."""
    first = name[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def nav_sections(nav: list[Any], generated: list[str], groups: dict[str, str] | None = None) -> list[Any]:
    """The configured nav with each generated page appended to its section, inside its group
    (from `nav_groups`) when it has one."""
    groups = groups or {}
    by_index: dict[str, list[Any]] = {}
    if "what-changed.md" in generated:
        nav = [*nav[:1], {"What changed": "what-changed.md"}, *nav[1:]]
    grouped: dict[str, dict[str, list[str]]] = {}
    for uri in generated:
        for folder, index in SECTIONS.items():
            if not uri.startswith(folder):
                continue
            if uri in groups:
                if groups[uri] not in grouped.setdefault(index, {}):
                    grouped[index][groups[uri]] = []
                    by_index.setdefault(index, []).append({groups[uri]: grouped[index][groups[uri]]})
                grouped[index][groups[uri]].append(uri)
            else:
                by_index.setdefault(index, []).append(uri)

    def visit(items: list[Any]) -> list[Any]:
        result = []
        for item in items:
            if isinstance(item, dict):
                ((title, value),) = item.items()
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
