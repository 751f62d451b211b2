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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..errors import Diagnostic, ExplainerError
from ..facts.dates import FuzzyDate
from ..facts.diff import changes
from ..facts.factbase import FactBase
from .components import Renderer, esc

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


Handler = Callable[[Renderer, Call], str]


@dataclass(frozen=True)
class Spec:
    handler: Handler
    options: frozenset[str]
    words: bool = False
    doc: str = ""


REGISTRY: dict[str, Spec] = {}


def directive(name: str, options: tuple[str, ...] = (), words: bool = False):
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
            return REGISTRY[name].handler(renderer, call)
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


def _known(table: dict | object, ids: list[str], noun: str) -> list[str]:
    for rid in ids:
        if rid not in table:  # type: ignore[operator]
            close = difflib.get_close_matches(rid, list(table), n=1)  # type: ignore[arg-type]
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise DirectiveError(f"unknown {noun} '{rid}'{hint}")
    return ids


def _one(call: Call, key: str, table: dict | object, noun: str) -> str:
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
    value = call.get(key, str(default))
    if not value.isdigit() or int(value) < 1:
        raise DirectiveError(f"{key} takes a whole number from 1, not '{value}'")
    return int(value)


def _events(facts: FactBase, call: Call) -> list:
    start, end = _day(call, "from", end=False), _day(call, "to", end=True)
    events = list(facts.between(start or date.min, end or date.max))
    if call.get("era"):
        era = facts.records["eras"][_one(call, "era", facts.records["eras"], "era")]
        events = [e for e in events if era.start.start <= e.date.start <= era.end.end]  # type: ignore[attr-defined]
    if call.get("series"):
        series = _one(call, "series", facts.series, "series")
        events = [e for e in events if e.series == series]
    if _flag(call, "key"):
        events = [e for e in events if e.key]
    return events


# -- directives ---------------------------------------------------------------------------


@directive("matrix", options=("topics", "parties"))
def _matrix(r: Renderer, call: Call) -> str:
    """Parties × topics table of latest positions. Options: topics, parties (ids)."""
    topic_ids = _known({t.id: t for t in r.facts.topics}, call.ids("topics"), "topic")
    party_ids = _known(r.facts.actors, call.ids("parties"), "actor")
    topics = [t for t in r.facts.topics if not topic_ids or t.id in topic_ids]
    parties = [r.facts.actors[p] for p in party_ids] or list(r.facts.parties)
    return r.matrix(topics, parties)


@directive("timeline", options=("from", "to", "era", "series", "key", "strip"))
def _timeline(r: Renderer, call: Call) -> str:
    """Events grouped by era. Options: from, to (dates), era, series, key=yes, strip=no."""
    return r.timeline(_events(r.facts, call), with_strip=call.get("strip", "yes") != "no")


@directive("events", options=("from", "to", "era", "series", "key", "latest"))
def _event_list(r: Renderer, call: Call) -> str:
    """A plain list of events. Options as timeline, plus latest=N for the N most recent."""
    events = _events(r.facts, call)
    if call.get("latest"):
        events = events[-_count(call, "latest", 5) :][::-1]
    return r.events(events)


@directive("actor", options=("id",))
def _actor(r: Renderer, call: Call) -> str:
    """An actor's card. Options: id."""
    return r.actor_card(r.facts.actors[_one(call, "id", r.facts.actors, "actor")])


@directive("quote", options=("id",))
def _quote(r: Renderer, call: Call) -> str:
    """A quote with speaker, date, context and source. Options: id."""
    return r.quote(r.facts.quotes[_one(call, "id", r.facts.quotes, "quote")])


@directive("contested", options=("id",))
def _contested(r: Renderer, call: Call) -> str:
    """One contested point with each side's claim; without id, all of them, linked."""
    if call.get("id"):
        table = {c.id: c for c in r.facts.contested}
        return r.contested(table[_one(call, "id", table, "contested point")])
    if not r.facts.contested:
        return '<p class="empty">No contested points in this edition.</p>'
    return "\n".join(r.contested(c, full=False) for c in r.facts.contested)


@directive("roles", options=("actor",))
def _roles(r: Renderer, call: Call) -> str:
    """Regional roles, grouped by actor. Options: actor."""
    roles = r.facts.roles
    if call.get("actor"):
        actor = _one(call, "actor", r.facts.actors, "actor")
        roles = tuple(x for x in roles if x.actor == actor)
    return r.roles(roles)


@directive("glossary")
def _glossary(r: Renderer, call: Call) -> str:
    """Every glossary term, alphabetically."""
    return r.glossary(r.facts.glossary.values())


@directive("sources")
def _sources(r: Renderer, call: Call) -> str:
    """Every source, with back-links to where it is cited."""
    return r.source_list()


@directive("cite", words=True)
def _cite(r: Renderer, call: Call) -> str:
    """An inline citation of source ids (bare words)."""
    if not call.words:
        raise DirectiveError("cite needs at least one source id")
    return r.citations.cite(_known(r.facts.sources, list(call.words), "source"), r.links)


@directive("people")
def _people(r: Renderer, call: Call) -> str:
    """Who's who: every actor's card, people first, then states and organisations."""
    order = {"person": 0, "state": 1, "organisation": 2, "group": 3}
    actors = sorted(r.facts.actors.values(), key=lambda a: (order[a.kind.value], a.name))
    sections, current = [], None
    headings = {0: "People", 1: "States", 2: "Organisations", 3: "Groups"}
    for actor in actors:
        if order[actor.kind.value] != current:
            current = order[actor.kind.value]
            sections.append(f'<h2 id="who-{current}">{headings[current]}</h2>')
        sections.append(r.actor_card(actor))
    return "\n".join(sections)


@directive("glance")
def _glance(r: Renderer, call: Call) -> str:
    """Each party's current demands and red lines at a glance, topic by topic."""
    columns = []
    for party in r.facts.parties:
        items = []
        for topic in r.facts.topics:
            position = r.facts.current_position(party.id, topic.id)
            if position is None:
                continue
            items.append(
                f'<li><a href="{r.links.record(topic)}">{esc(topic.name)}</a>: '
                f"{r.stance_badge(position.stance)} {esc(position.summary)}{r.cite(position)}</li>"
            )
        columns.append(
            f'<section class="glance-party"><h3>{esc(party.name)}</h3>'
            f"<ul>{''.join(items) or '<li>No stated positions in this edition.</li>'}</ul></section>"
        )
    return f'<div class="glance">{"".join(columns)}</div>'


@directive("topics")
def _topics(r: Renderer, call: Call) -> str:
    """The list of topics, each with its question, linking to its page."""
    items = "".join(
        f'<li><a href="{r.links.record(t)}">{esc(t.name)}</a>: {esc(t.question)}</li>' for t in r.facts.topics
    )
    return f'<ul class="topic-list">{items}</ul>'


@directive("topic-page", options=("id",))
def _topic_page(r: Renderer, call: Call) -> str:
    """A topic's page: the question, each party's positions over time, quotes, events."""
    table = {t.id: t for t in r.facts.topics}
    topic = table[_one(call, "id", table, "topic")]
    related = r.facts.by_topic(topic.id)
    parts = [f'<p class="topic-question">{esc(topic.question)}</p>']
    parts.append(r.matrix([topic], list(r.facts.parties)))
    for party in r.facts.parties:
        history = r.facts.position_history.get((party.id, topic.id), ())
        parts.append(f'<h2 id="history-{esc(party.id)}">How {esc(party.name)}\'s position moved</h2>')
        if not history:
            parts.append('<p class="empty">No stated position in our sources.</p>')
            continue
        parts.append(_moves(r, history))
        parts.extend(r.position(p) for p in history)
    others = [p for p in related["positions"] if p.actor not in {x.id for x in r.facts.parties}]
    if others:
        parts.append('<h2 id="others">Other actors</h2>')
        parts.extend(r.position(p) for p in others)
    parts.extend(_related(r, related, contested="Contested", events="Events"))
    return "\n".join(parts)


def _related(r: Renderer, related: dict, contested: str, events: str) -> list[str]:
    """The quotes, contested points and events sections of a topic or actor page."""
    parts = []
    if related["quotes"]:
        parts.append('<h2 id="quotes">Quotes</h2>')
        parts.extend(r.quote(q) for q in related["quotes"])
    if related["contested"]:
        parts.append(f'<h2 id="contested">{contested}</h2>')
        parts.extend(r.contested(c, full=False) for c in related["contested"])
    if related["events"]:
        parts.append(f'<h2 id="events">{events}</h2>')
        parts.append(r.events(related["events"]))
    return parts


def _moves(r: Renderer, history: tuple) -> str:
    """A line of stances over time: before → after."""
    steps = " → ".join(f'<a href="#{esc(p.id)}">{esc(p.date.human())}</a> {r.stance_badge(p.stance)}' for p in history)
    return f'<p class="stance-moves">{steps}</p>'


@directive("actor-page", options=("id",))
def _actor_page(r: Renderer, call: Call) -> str:
    """An actor's page: card, positions, quotes, roles, events, contested claims."""
    actor = r.facts.actors[_one(call, "id", r.facts.actors, "actor")]
    related = r.facts.by_actor(actor.id)
    parts = [r.actor_card(actor, link=False)]
    if related["roles"]:
        parts.append('<h2 id="regional-role">Role in the talks</h2>')
        parts.extend(r.role(x) for x in related["roles"])
    if related["positions"]:
        parts.append('<h2 id="positions">Positions</h2>')
        by_topic: dict[str, list] = {}
        for p in related["positions"]:
            by_topic.setdefault(p.topic, []).append(p)
        for topic in r.facts.topics:
            if topic.id in by_topic:
                link = r.links.record(topic)
                parts.append(f'<h3 id="pos-{esc(topic.id)}"><a href="{link}">{esc(topic.name)}</a></h3>')
                parts.extend(r.position(p, heading=False) for p in by_topic[topic.id])
    parts.extend(_related(r, related, contested="Contested points", events="Took part in"))
    return "\n".join(parts)


@directive("edition-summary")
def _edition_summary(r: Renderer, call: Call) -> str:
    """The current edition's title, date and summary; nothing when the data has no editions."""
    if not r.facts.editions:
        return ""
    edition = r.facts.editions[-1]
    return (
        f'<div class="edition-summary"><p><strong>{esc(edition.title)}</strong> '
        f'<span class="as-of">edition of {esc(edition.cutoff.human())}</span></p>'
        f"<p>{esc(edition.summary)}</p></div>"
    )


@directive("changes")
def _changes(r: Renderer, call: Call) -> str:
    """This edition's difference from the previous one: events, moved positions, quotes,
    contested points, roles and corrections."""
    diff = changes(r.previous, r.facts)
    since = (
        f"the previous edition ({esc(r.previous.editions[-1].title)}, {esc(r.previous.editions[-1].cutoff.human())})"
        if r.previous and r.previous.editions
        else "the start: this is the first edition"
    )
    parts = [f'<p class="changes-since">Compared with {since}.</p>']
    if diff.empty:
        parts.append('<p class="empty">No fact changed.</p>')
    if diff.moves:
        rows = []
        for move in diff.moves:
            topic = next((t for t in r.facts.topics if t.id == move.after.topic), None)
            topic_cell = (
                f'<a href="{r.links.record(topic)}">{esc(topic.name)}</a>' if topic else esc(move.after.topic)
            )
            before = (
                f"{r.stance_badge(move.before.stance)} {esc(move.before.summary)}"
                f' <span class="as-of">{esc(move.before.date.human())}</span>'
                if move.before
                else "No stated position"
            )
            rows.append(
                f'<tr><th scope="row">{topic_cell}</th><td>{r.name(move.after.actor)}</td>'
                f"<td>{before}</td><td>{r.stance_badge(move.after.stance)} "
                f"{esc(move.after.summary)}{r.cite(move.after)} "
                f'<span class="as-of">{esc(move.after.date.human())}</span></td></tr>'
            )
        parts.append('<h2 id="moved">Positions that moved</h2>')
        parts.append(
            '<div class="scroll-box" role="region" aria-label="Positions that moved" tabindex="0">'
            '<table class="position-moves"><caption>Each party\'s position before and after, '
            'topic by topic.</caption><thead><tr><th scope="col">Topic</th>'
            '<th scope="col">Party</th><th scope="col">Before</th><th scope="col">After</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )
    if diff.events:
        parts.append('<h2 id="new-events">New events</h2>')
        parts.append(r.events(diff.events))
    if diff.quotes:
        parts.append('<h2 id="new-quotes">New quotes</h2>')
        parts.extend(r.quote(q, anchor=False) for q in diff.quotes)
    if diff.contested:
        parts.append('<h2 id="new-contested">New contested points</h2>')
        parts.extend(r.contested(c, full=False) for c in diff.contested)
    if diff.roles:
        parts.append('<h2 id="new-roles">New regional roles</h2>')
        parts.extend(r.role(x, with_actor=True) for x in diff.roles)
    if diff.corrections:
        items = "".join(
            f"<li>{esc(c.date.human())}: {esc(c.change)} ({esc(c.reason)}) <code>{esc(rid)}</code></li>"
            for rid, c in diff.corrections
        )
        parts.append(f'<h2 id="corrections">Corrections</h2><ul>{items}</ul>')
    return "\n".join(parts)


@directive("downloads")
def _downloads(r: Renderer, call: Call) -> str:
    """Links to this edition's facts.json, its JSON Schema, and the Atom feed."""
    links = [
        ("data/facts.json", "Every fact of this edition (JSON)"),
        ("data/schema.json", "JSON Schema of that file"),
        ("feed.xml", "Atom feed of editions and corrections"),
    ]
    items = "".join(f'<li><a href="{r.links.to(u)}">{esc(t)}</a></li>' for u, t in links)
    return f'<ul class="downloads">{items}</ul>'


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
