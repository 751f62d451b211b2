"""The directives Markdown pages use to pull facts in, and their expansion.

A directive is an HTML comment, so a plain Markdown preview (GitHub's) shows nothing instead of
raw syntax:

    <!-- explainer:matrix topics="enrichment missiles" -->
    Araghchi called missiles "never negotiable".<!-- explainer:cite src-rudaw-2026-02-07 -->

`<!-- explainer:NAME key=value key="two words" word ... -->`: keyword arguments and bare words.
One regex finds them all; each name maps to a handler that returns HTML (or Markdown) and raises
`DirectiveError` for a bad argument. `expand` reports every problem with the page's line.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from ..errors import Diagnostic, ExplainerError
from ..facts.dates import FuzzyDate
from ..facts.diff import changes
from ..facts.factbase import FactBase
from ..facts.models import Event
from .components import EMPTY, Renderer, downloads, edition_summary, empty, esc
from .raw import fence

DIRECTIVE = re.compile(
    r"(?P<fence>^[ \t]*(?P<marks>`{3,}|~{3,})[^\n]*\n.*?^[ \t]*(?P=marks)[ \t]*$)"  # fenced code
    r"|(?P<indented>(?:\A|(?<=\n\n))(?:(?:\t| {4})[^\n]*(?:\n|\Z))+)"  # indented code block
    r"|(?P<ticks>`+)(?P<inline>(?:(?!\n[ \t]*\n).)+?)(?P=ticks)"  # inline code, within a paragraph
    r"|<!--\s*explainer:(?P<name>[A-Za-z][\w-]*)(?P<args>.*?)-->"
    r"|<!--(?P<comment>.*?)(?:-->|(?P<unterminated>\Z))",
    re.DOTALL | re.MULTILINE,
)
"""Directives, other comments, and the code spans and blocks in which a directive is shown, not run."""
_LOOKALIKE = re.compile(r"\s*(?P<word>[A-Za-z]{5,12})\s*:")


class DirectiveError(ExplainerError):
    """A directive's name or arguments are wrong; `expand` turns it into a `Diagnostic`."""


@dataclass(frozen=True)
class Call:
    """A directive's parsed arguments."""

    words: tuple[str, ...]
    options: dict[str, str]

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.options.get(key, default)

    def ids(self, key: str) -> list[str]:
        """A list-valued option: ids separated by spaces or commas."""
        return [v for v in re.split(r"[\s,]+", self.options.get(key, "")) if v]


Handler = Callable[[Renderer, Call], Markup]


@dataclass(frozen=True)
class Spec:
    handler: Handler
    options: frozenset[str]
    words: bool = False
    doc: str = ""


REGISTRY: dict[str, Spec] = {}


def directive(name: str, options: tuple[str, ...] = (), words: bool = False) -> Callable[[Handler], Handler]:
    """Register a handler under `name`, accepting the given options (and bare words if asked)."""

    def register(handler: Handler) -> Handler:
        REGISTRY[name] = Spec(handler, frozenset(options), words, (handler.__doc__ or "").strip())
        return handler

    return register


def parse(name: str, argument_text: str) -> Call:
    """Split a directive's argument text into bare words and key=value options."""
    try:
        tokens = shlex.split(argument_text)
    except ValueError as exc:
        raise DirectiveError(f"cannot read the arguments of '{name}': {exc}") from None
    spec = REGISTRY.get(name)
    if spec is None:
        close = difflib.get_close_matches(name, list(REGISTRY), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise DirectiveError(f"unknown directive '{name}'{hint}")
    words, options = [], {}
    for token in tokens:
        key, sep, value = token.partition("=")
        if sep:
            if key not in spec.options:
                allowed = ", ".join(sorted(spec.options)) or "none"
                raise DirectiveError(f"'{name}' has no option '{key}' (options: {allowed})")
            if key in options:
                raise DirectiveError(f"'{name}' is given option '{key}' twice")
            options[key] = value
        elif spec.words:
            words.append(token)
        else:
            raise DirectiveError(f"'{name}' takes key=value options, not '{token}'")
    return Call(tuple(words), options)


def expand(markdown: str, renderer: Renderer, path: str, first_line: int = 1) -> tuple[str, list[Diagnostic]]:
    """Replace every directive in `markdown`; return the text and the problems found.

    Problems are placed at `path`, the Markdown's first line being line `first_line` of it. A
    comment that looks like a misspelt directive is an error too, so content never vanishes.
    """
    diagnostics: list[Diagnostic] = []

    def error(offset: int, message: str) -> None:
        line = markdown.count("\n", 0, offset) + first_line
        col = offset - (markdown.rfind("\n", 0, offset) + 1) + 1
        diagnostics.append(Diagnostic(path, line, col, "error", message))

    def at_line_start(offset: int) -> bool:
        return offset == 0 or markdown[offset - 1] == "\n"

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name is None:
            if match.group("comment") is not None:
                problem = _misspelt(match.group("comment"), match.group("unterminated") is not None)
                if problem:
                    error(match.start(), problem)
            return match.group(0)  # code, or an ordinary comment: leave it as written
        try:
            call = parse(name, match.group("args"))
            output = REGISTRY[name].handler(renderer, call)
            return fence(output) if at_line_start(match.start()) else output
        except DirectiveError as exc:
            error(match.start(), str(exc))
            return ""

    return DIRECTIVE.sub(replace, markdown), diagnostics


def _misspelt(comment: str, unterminated: bool) -> str | None:
    """Why an HTML comment that is not a directive looks like one, or None if it does not."""
    if unterminated and "explainer" in comment.casefold():
        return "this comment is never closed: end the directive with '-->'"
    found = _LOOKALIKE.match(comment)
    if found is None:
        return None
    word = found.group("word")
    if word != "explainer" and not difflib.get_close_matches(word.casefold(), ["explainer"], n=1, cutoff=0.75):
        return None
    return (
        f"'{' '.join(comment.split())[:60]}' looks like a directive but is not one: "
        "write '<!-- explainer:NAME ...' in lower case, with no space around the colon"
    )


# -- helpers ------------------------------------------------------------------------------


def _known(table: Collection[str], ids: list[str], noun: str) -> list[str]:
    for rid in ids:
        if rid not in table:
            close = difflib.get_close_matches(rid, list(table), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise DirectiveError(f"unknown {noun} '{rid}'{hint}")
    return ids


def _one(call: Call, key: str, table: Collection[str], noun: str) -> str:
    value = call.get(key)
    if not value:
        raise DirectiveError(f"missing option {key}=<{noun} id>")
    return _known(table, [value], noun)[0]


def _day(call: Call, key: str, end: bool) -> date | None:
    value = call.get(key)
    if value is None:
        return None
    try:
        parsed = FuzzyDate.parse(value)
    except ValueError as exc:
        raise DirectiveError(f"{key}: {exc}") from None
    return parsed.end if end else parsed.start


def _flag(call: Call, key: str) -> bool:
    value = call.get(key, "no")
    if value not in ("yes", "no"):
        raise DirectiveError(f"{key} takes yes or no, not '{value}'")
    return value == "yes"


def _count(call: Call, key: str, default: int) -> int:
    value = call.get(key) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise DirectiveError(f"{key} takes a whole number from 1, not '{value}'")
    return int(value)


def _events(facts: FactBase, call: Call) -> list[Event]:
    start, end = _day(call, "from", end=False), _day(call, "to", end=True)
    events = list(facts.between(start or date.min, end or date.max))
    if call.get("era"):
        eras = {e.id: e for e in facts.eras}
        era = eras[_one(call, "era", eras, "era")]
        held = {e.id for e in facts.events_by_era[era.id]}
        events = [e for e in events if e.id in held]
    if call.get("series"):
        series = _one(call, "series", facts.series, "series")
        events = [e for e in events if e.series == series]
    if _flag(call, "key"):
        events = [e for e in events if e.key]
    return events


# -- directives ---------------------------------------------------------------------------


@directive("matrix", options=("topics", "parties"))
def _matrix(r: Renderer, call: Call) -> Markup:
    """Parties × topics table of latest positions. Options: topics, parties (ids)."""
    topic_ids = _known({t.id: t for t in r.facts.topics}, call.ids("topics"), "topic")
    party_ids = _known(r.facts.actors, call.ids("parties"), "actor")
    topics = [t for t in r.facts.topics if not topic_ids or t.id in topic_ids]
    parties = [r.facts.actors[p] for p in party_ids] or list(r.facts.parties)
    return r.matrix(topics, parties)


@directive("timeline", options=("from", "to", "era", "series", "key", "strip"))
def _timeline(r: Renderer, call: Call) -> Markup:
    """Events grouped by era. Options: from, to (dates), era, series, key=yes, strip=no."""
    return r.timeline(_events(r.facts, call), with_strip=call.get("strip", "yes") != "no")


@directive("eras")
def _eras(r: Renderer, call: Call) -> Markup:
    """The history in outline: the eras' picture, then each era with its key events, linking to
    the era's own page."""
    return r.eras_overview(r.facts.events)


@directive("era", options=("id",))
def _era(r: Renderer, call: Call) -> Markup:
    """One era's page: every event in it, each under its own heading. Options: id."""
    eras = {e.id: e for e in r.facts.eras}
    era = eras[_one(call, "id", eras, "era")]
    return r.era_page(era, r.facts.events_by_era[era.id])


@directive("moves", options=("topics",))
def _moves(r: Renderer, call: Call) -> Markup:
    """For each topic, a chart of how each party's stance moved. Options: topics (ids)."""
    topic_ids = _known({t.id: t for t in r.facts.topics}, call.ids("topics"), "topic")
    return r.moves_overview([t for t in r.facts.topics if not topic_ids or t.id in topic_ids])


@directive("events", options=("from", "to", "era", "series", "key", "latest"))
def _event_list(r: Renderer, call: Call) -> Markup:
    """A plain list of events. Options as timeline, plus latest=N for the N most recent."""
    events = _events(r.facts, call)
    if call.get("latest"):
        events = events[-_count(call, "latest", 5) :][::-1]
    return r.events(events)


@directive("actor", options=("id",))
def _actor(r: Renderer, call: Call) -> Markup:
    """An actor's card. Options: id."""
    return r.actor_card(r.facts.actors[_one(call, "id", r.facts.actors, "actor")])


@directive("quote", options=("id",))
def _quote(r: Renderer, call: Call) -> Markup:
    """A quote with speaker, date, context and source. Options: id."""
    return r.quote(r.facts.quotes[_one(call, "id", r.facts.quotes, "quote")])


@directive("contested", options=("id", "list", "latest"))
def _contested(r: Renderer, call: Call) -> Markup:
    """One contested point with each side's claim; without id, all of them, linked. Options:
    id; list=yes for one line each (question, who claims, status); latest=N for the N newest."""
    if call.get("id"):
        table = {c.id: c for c in r.facts.contested}
        return r.contested(table[_one(call, "id", table, "contested point")])
    if not r.facts.contested:
        return empty("No contested points in this edition.")
    points = list(r.facts.contested)
    if call.get("latest"):
        points = points[-_count(call, "latest", 5) :][::-1]
    if _flag(call, "list"):
        return r.contested_list(points)
    return r.contested_index(points)


@directive("roles", options=("actor",))
def _roles(r: Renderer, call: Call) -> Markup:
    """Regional roles, grouped by actor. Options: actor."""
    roles = r.facts.roles
    if call.get("actor"):
        actor = _one(call, "actor", r.facts.actors, "actor")
        roles = tuple(x for x in roles if x.actor == actor)
    return r.roles(roles)


@directive("map")
def _map(r: Renderer, call: Call) -> Markup:
    """The region on a map: each country coloured by its actor's role in this edition, linking
    to its section of Regional roles; actors the map cannot show are listed beside it."""
    return r.role_map()


@directive("glossary")
def _glossary(r: Renderer, call: Call) -> Markup:
    """Every glossary term, alphabetically."""
    return r.glossary(r.facts.glossary.values())


@directive("sources")
def _sources(r: Renderer, call: Call) -> Markup:
    """Every source, with back-links to where it is cited."""
    return r.source_list()


@directive("cite", words=True)
def _cite(r: Renderer, call: Call) -> Markup:
    """An inline citation of source ids (bare words)."""
    if not call.words:
        raise DirectiveError("cite needs at least one source id")
    return r.citations.cite(_known(r.facts.sources, list(call.words), "source"))


@directive("people")
def _people(r: Renderer, call: Call) -> Markup:
    """Who's who: every actor's card, people first, then states and organisations."""
    return r.people(r.facts.actors.values())


@directive("glance")
def _glance(r: Renderer, call: Call) -> Markup:
    """Each party's current demands and red lines at a glance, topic by topic."""
    return r.glance(r.facts.parties, r.facts.topics)


@directive("topics")
def _topics(r: Renderer, call: Call) -> Markup:
    """The list of topics, each with its question, linking to its page."""
    return r.topic_list(r.facts.topics)


@directive("topic-page", options=("id",))
def _topic_page(r: Renderer, call: Call) -> Markup:
    """A topic's page: the question, each party's positions over time, quotes, events."""
    table = {t.id: t for t in r.facts.topics}
    return r.topic_page(table[_one(call, "id", table, "topic")])


@directive("actor-page", options=("id",))
def _actor_page(r: Renderer, call: Call) -> Markup:
    """An actor's page: card, positions, quotes, roles, events, contested claims."""
    return r.actor_page(r.facts.actors[_one(call, "id", r.facts.actors, "actor")])


@directive("edition-summary")
def _edition_summary(r: Renderer, call: Call) -> Markup:
    """The current edition's title, date and summary; nothing when the data has no editions."""
    return edition_summary(r.facts.editions[-1]) if r.facts.editions else Markup("")


@directive("since", options=("date", "text"))
def _since(r: Renderer, call: Call) -> Markup:
    """Text only for editions whose cut-off is on or after `date` (and the draft view), so a
    hand-written page says nothing its edition could not know. Options: date, text."""
    day, text = _day(call, "date", end=False), call.get("text")
    if day is None or not text:
        raise DirectiveError('since needs date=YYYY-MM-DD and text="..."')
    return EMPTY if r.facts.cutoff is not None and r.facts.cutoff < day else esc(text)


@directive("changes", options=("summary",))
def _changes(r: Renderer, call: Call) -> Markup:
    """This edition's difference from the previous one: events, moved positions, quotes,
    contested points, roles and corrections. Option: summary=yes for counts linking to them."""
    since = r.previous.editions[-1] if r.previous and r.previous.editions else None
    diff = changes(r.previous, r.facts)
    return r.changes_summary(diff, since) if _flag(call, "summary") else r.changes(diff, since)


@directive("stances", options=("topics", "parties"))
def _stances(r: Renderer, call: Call) -> Markup:
    """Each party's latest stance per topic in one compact table. Options: topics, parties (ids)."""
    topic_ids = _known({t.id: t for t in r.facts.topics}, call.ids("topics"), "topic")
    party_ids = _known(r.facts.actors, call.ids("parties"), "actor")
    topics = [t for t in r.facts.topics if not topic_ids or t.id in topic_ids]
    return r.stance_table(topics, [r.facts.actors[p] for p in party_ids] or list(r.facts.parties))


@directive("downloads")
def _downloads(r: Renderer, call: Call) -> Markup:
    """Links to this edition's facts.json, its JSON Schema, the Atom feed, and, where publishing
    makes one, the edition's archive for offline reading."""
    items = [
        ("data/facts.json", "Every fact of this edition (JSON)"),
        ("data/schema.json", "JSON Schema of that file"),
        ("feed.xml", "Atom feed of editions and corrections"),
    ]
    if r.archive is not None:
        size = r.archive.size_words()
        items.append((r.archive.path, f"This edition to read offline (ZIP, {size}): unzip it, then open index.html"))
    return downloads(r.links, items)


def directive_reference() -> str:
    """Markdown documenting every directive, generated from the registry."""
    rows = ["| Directive | Options | What it shows |", "|---|---|---|"]
    for name, spec in sorted(REGISTRY.items()):
        options = ", ".join(f"`{o}=`" for o in sorted(spec.options))
        if spec.words:
            options = ", ".join(filter(None, ["ids as bare words", options]))
        doc = " ".join(spec.doc.split()).replace("|", "/")
        rows.append(f"| `{name}` | {options or '–'} | {doc} |")
    return (
        "# Directives\n\n"
        "Pages pull facts in with directives written as HTML comments, so a plain Markdown "
        "preview shows nothing instead of raw syntax:\n\n"
        "```markdown\n"
        '<!-- explainer:matrix topics="enrichment missiles" -->\n'
        'Araghchi called missiles "never negotiable".<!-- explainer:cite src-rudaw-2026-02-07 -->\n'
        "```\n\n"
        "Options are `key=value`, quoted when the value has spaces; list options take ids "
        "separated by spaces or commas. A directive shown inside code, as above, is left alone. "
        "An unknown directive or option, or an unknown id, stops the build with the page and "
        "line. This table is generated from the engine.\n\n" + "\n".join(rows) + "\n"
    )


from . import performance  # noqa: E402, F401  (registers the "performance" directive)
