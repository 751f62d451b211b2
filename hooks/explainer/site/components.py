"""HTML components for facts: citations, cards, timeline items, matrix cells, links.

HTML is escaped by construction: every component returns `Markup`, built with `html(template,
...)` from a template written here, which escapes each argument unless it is `Markup` already.
Text from data therefore cannot reach a page unescaped by forgetting a call. Every link is a
validated http(s) URL or a link between the site's own pages. A `Renderer` serves one page: it
cites through the page's `Citations`, which number sources in order of first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape as html_escape
from typing import Any

from markupsafe import Markup

from ..facts.diff import Changes, Move
from ..facts.factbase import FactBase
from ..facts.models import (
    Actor,
    ActorKind,
    Contested,
    ContestStatus,
    Edition,
    Era,
    Event,
    EventStatus,
    Fact,
    Position,
    Quote,
    Record,
    RegionalRole,
    Source,
    SourceKind,
    Stance,
    Term,
    Topic,
)

STANCE_LABELS = {
    Stance.DEMANDS: ("Demands", "▲"),
    Stance.REJECTS: ("Rejects", "✕"),
    Stance.CONDITIONAL: ("Conditional", "◐"),
    Stance.UNCLEAR: ("Unclear", "?"),
}
STANCE_MEANING = {
    Stance.DEMANDS: "puts the topic on the table with a demand",
    Stance.REJECTS: "refuses to negotiate it, or calls it a red line",
    Stance.CONDITIONAL: "open to a deal on it under conditions",
    Stance.UNCLEAR: "no clear stated position, or conflicting signals",
}
SOURCE_FLAGS = {
    SourceKind.WIRE_COPY: "republished wire copy",
    SourceKind.REPUBLICATION: "republication",
    SourceKind.STATE_MEDIA: "state media",
    SourceKind.ADVOCACY: "advocacy",
    SourceKind.BLOG: "blog",
    SourceKind.OFFICIAL: "official statement",
    SourceKind.TRANSCRIPT: "transcript",
    SourceKind.ANALYSIS: "analysis",
}
ACTOR_GROUPS = {
    ActorKind.PERSON: "People",
    ActorKind.STATE: "States",
    ActorKind.ORGANISATION: "Organisations",
    ActorKind.GROUP: "Groups",
}
"""Who's who and the navigation list actors by kind, in this order, under these headings."""
EVENT_STATUS = {
    EventStatus.HELD: "https://schema.org/EventScheduled",
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
}
EMPTY = Markup("")

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
"""The characters Python-Markdown lets a backslash escape."""


def html(template: str, *args: Any, **kwargs: Any) -> Markup:
    """`template`, trusted HTML written in this package, filled with escaped arguments.

    Like `Markup(template).format(...)`: an argument is escaped unless it is `Markup` (a
    component) or a number. Written with `str.format` and `html.escape`, which cost a fraction
    of markupsafe's own formatter on pages with thousands of components.
    """
    filled = template.format(*map(_escaped, args), **{k: _escaped(v) for k, v in kwargs.items()})
    return str.__new__(Markup, filled)


def join(parts: Iterable[Any], separator: str = "") -> Markup:
    """Parts joined into one fragment; parts that are not `Markup` are escaped."""
    return str.__new__(Markup, separator.join(map(_escaped_text, parts)))


def esc(text: Any) -> Markup:
    """Any text as HTML: escaped, quotes included."""
    return str.__new__(Markup, _escaped_text(text))


def _escaped(value: Any) -> Any:
    return value if isinstance(value, (Markup, int, float)) else html_escape(str(value))


def _escaped_text(value: Any) -> str:
    return value if isinstance(value, Markup) else html_escape(str(value))


def md_text(text: str) -> str:
    """Text from data made safe for a Markdown line: HTML-escaped, Markdown marks escaped."""
    return _MD_SPECIAL.sub(r"\\\1", html_escape(text, quote=False))


@dataclass
class PageLinks:
    """Turns site URLs into links relative to the page being rendered."""

    page_url: str

    def to(self, site_url: str) -> str:
        if site_url.startswith("#"):
            return site_url
        path, _, anchor = site_url.partition("#")
        relative = _relative(path, self.page_url)
        return f"{relative}#{anchor}" if anchor else relative

    def record(self, record: Record) -> str:
        """A link to the page where `record` lives."""
        return self.to(record.home_url())


@lru_cache(maxsize=65536)
def _relative(target: str, page_url: str) -> str:
    """`target` (a site path such as `people/x/`) as seen from the page at `page_url`."""
    here = page_url if page_url.endswith("/") or not page_url else page_url.rsplit("/", 1)[0] + "/"
    if "/" not in page_url:
        here = ""
    base = [p for p in here.split("/") if p]
    parts = [p for p in target.split("/") if p]
    common = 0
    while common < min(len(base), len(parts)) and base[common] == parts[common]:
        common += 1
    relative = "/".join([".."] * (len(base) - common) + parts[common:])
    if not relative:
        return "./"
    return relative + "/" if target.endswith("/") or not target else relative


@dataclass
class Citations:
    """The sources a page cites, numbered in order of first citation.

    `shown` maps a source id to its rendered title and entry; a build shares one across pages,
    since a source reads the same wherever it is cited.
    """

    facts: FactBase
    numbers: dict[str, int] = field(default_factory=dict)
    shown: dict[str, tuple[Markup, Markup]] = field(default_factory=dict)

    def _shown(self, sid: str) -> tuple[Markup, Markup]:
        found = self.shown.get(sid)
        if found is None:
            source = self.facts.sources[sid]
            found = self.shown[sid] = (esc(f"{source.publisher}, {source.title}"), source_facts(source))
        return found

    def cite(self, source_ids: Iterable[str]) -> Markup:
        """Superscript note numbers linking to the page's reference list."""
        marks = []
        for sid in dict.fromkeys(source_ids):
            number = self.numbers.setdefault(sid, len(self.numbers) + 1)
            title, _ = self._shown(sid)
            marks.append(html('<a href="#ref-{}" class="cite-ref" title="{}">[{}]</a>', sid, title, number))
        return html('<sup class="cite">{}</sup>', join(marks)) if marks else EMPTY

    def references(self, page: PageLinks) -> Markup:
        """The numbered reference list, or nothing when the page cites nothing."""
        if not self.numbers:
            return EMPTY
        items = [
            html(
                '<li id="ref-{}" value="{}">{} <a class="source-page" href="{}">About this source</a></li>',
                sid,
                n,
                self._shown(sid)[1],
                page.to(f"sources/#{sid}"),
            )
            for sid, n in self.numbers.items()
        ]
        return html(
            '<section class="references" aria-labelledby="references-heading" data-search-exclude>\n'
            '<h2 id="references-heading">References</h2>\n'
            '<ol class="reference-list">\n{}\n</ol>\n</section>',
            join(items, "\n"),
        )


def _link(url: str, text: Any) -> Markup:
    return html('<a href="{}">{}</a>', url, text)


def _external(url: str, text: Any) -> Markup:
    return html('<a href="{}" rel="noopener noreferrer nofollow">{}</a>', url, text)


def _span(css: str, text: Any) -> Markup:
    return html('<span class="{}">{}</span>', css, text)


def source_facts(source: Source) -> Markup:
    """A source without its back-link: publisher, linked title, date, and the flags that qualify trust."""
    title = _external(source.url, source.title) if source.url else esc(source.title)
    if source.published not in ("unknown", None) and not isinstance(source.published, str):
        published = source.published.human()
    elif source.published_approx is not None:
        published = f"undated, about {source.published_approx.human()}"
    else:
        published = "date not shown"
    flags = [SOURCE_FLAGS[source.kind]] if source.kind in SOURCE_FLAGS else []
    if source.original:
        flags.append(f"original: {source.original}")
    if source.title_from_url:
        flags.append("title reconstructed from the URL")
    if source.caution:
        flags.append("caution: corroborate before relying on it")
    archive = html(" ({})", _external(source.archive_url, "archived")) if source.archive_url else EMPTY
    note = html(" {}", _span("source-note", source.reliability)) if source.reliability else EMPTY
    return html(
        "{}, “{}”{}, {}.{}{}",
        source.publisher,
        title,
        archive,
        published,
        join(html(" {}", _span("source-flag", f)) for f in flags),
        note,
    )


def source_entry(source: Source, page: PageLinks) -> Markup:
    """One reference: the source's facts and a link to its entry on the Sources page."""
    return html('{} <a class="source-page" href="{}">About this source</a>', source_facts(source), page.record(source))


def stance_badge(stance: Stance) -> Markup:
    label, symbol = STANCE_LABELS[stance]
    return html('<span class="stance stance-{}"><span aria-hidden="true">{}</span> {}</span>', stance, symbol, label)


def stance_legend() -> Markup:
    items = join(html("<li>{}: {}</li>", stance_badge(s), STANCE_MEANING[s]) for s in Stance)
    return html('<ul class="stance-legend" aria-label="Legend">{}</ul>', items)


def empty(text: str) -> Markup:
    """A note that a list has nothing to show."""
    return html('<p class="empty">{}</p>', text)


def downloads(links: PageLinks, items: Sequence[tuple[str, str]]) -> Markup:
    """Links to an edition's downloads: (site URL, description) pairs."""
    return html('<ul class="downloads">{}</ul>', join(html("<li>{}</li>", _link(links.to(u), t)) for u, t in items))


def edition_summary(edition: Edition) -> Markup:
    return html(
        '<div class="edition-summary"><p><strong>{}</strong> <span class="as-of">edition of {}</span></p>'
        "<p>{}</p></div>",
        edition.title,
        edition.cutoff.human(),
        edition.summary,
    )


@dataclass
class Renderer:
    """Renders records for one page; collects the page's citations and JSON-LD entities."""

    facts: FactBase
    links: PageLinks
    citations: Citations
    previous: FactBase | None = None
    """The previous edition's facts, for the "What changed" page."""
    entities: list[dict[str, Any]] = field(default_factory=list)

    # -- small parts ---------------------------------------------------------------------

    def cite(self, record: Fact | Any) -> Markup:
        return self.citations.cite(record.sources)

    def link(self, record: Record, text: Any | None = None) -> Markup:
        """A link to the page where `record` lives, reading its label (or `text`)."""
        return _link(self.links.record(record), record.label() if text is None else text)

    def name(self, actor_id: str) -> Markup:
        actor = self.facts.actors.get(actor_id)
        return esc(actor_id) if actor is None else self.link(actor)

    def names(self, actor_ids: Sequence[str]) -> Markup:
        return join((self.name(a) for a in actor_ids), ", ")

    def flags(self, record: Fact) -> Markup:
        """Badges for unverified statements and corrections."""
        parts = []
        if record.unverified:
            parts.append(
                html(
                    '<span class="badge badge-unverified" title="{0}">Unverified: {0}</span>',
                    record.unverified,
                )
            )
        for correction in record.corrections:
            parts.append(
                html(
                    '<span class="badge badge-correction">Corrected {}: {} ({})</span>',
                    correction.date.human(),
                    correction.change,
                    correction.reason,
                )
            )
        return join(parts, " ")

    def said(self, record: Fact, text: str) -> Markup:
        """Text with its citations and flags."""
        return html("{}{} {}", text, self.cite(record), self.flags(record))

    # -- positions -------------------------------------------------------------------------

    def matrix(self, topics: Sequence[Topic], parties: Sequence[Actor]) -> Markup:
        """Parties × topics: each cell the party's latest position, cited, linking to the topic."""
        rows = []
        for topic in topics:
            cells = [self._matrix_cell(party, self.facts.current_position(party.id, topic.id)) for party in parties]
            rows.append(html('<tr><th scope="row">{}</th>{}</tr>', self.link(topic, topic.name), join(cells)))
        return html(
            '<div class="scroll-box" role="region" aria-label="Positions matrix" tabindex="0">\n'
            '<table class="positions-matrix">\n<caption>{}</caption>\n'
            '<thead><tr><th scope="col">Topic</th>{}</tr></thead>\n'
            "<tbody>\n{}\n</tbody>\n</table>\n</div>\n{}",
            "Each party's latest stated position on each topic, with its sources. "
            "Stance labels and symbols are explained in the legend below.",
            join(html('<th scope="col">{}</th>', p.name) for p in parties),
            join(rows, "\n"),
            stance_legend(),
        )

    def _matrix_cell(self, party: Actor, position: Position | None) -> Markup:
        if position is None:
            return html('<td class="stance-none" data-party="{}">No stated position in our sources</td>', party.name)
        event = self.facts.overtaken(position)
        note = EMPTY
        if event is not None:
            note = html(
                ' <span class="cell-note">Stated before {} ({}), which changed the situation it answered.</span>',
                self.link(event, event.title),
                event.date.human(),
            )
        return html(
            '<td class="stance-cell stance-{}" data-party="{}"><strong class="as-of cell-date">as of {}</strong> '
            "{} {}{} {}{}</td>",
            position.stance,
            party.name,
            position.date.human(),
            stance_badge(position.stance),
            position.summary,
            self.cite(position),
            self.flags(position),
            note,
        )

    def position(self, position: Position, heading: bool = True) -> Markup:
        """A position in full: summary, demands, red lines, flexibility, quotes."""
        parts = [html('<article class="position" id="{}">', position.id)]
        if heading:
            parts.append(
                html(
                    "<h3>{}: {} {}</h3>",
                    position.date.human(),
                    self.name(position.actor),
                    stance_badge(position.stance),
                )
            )
        parts.append(html("<p>{}</p>", self.said(position, position.summary)))
        for label, items in (
            ("Demands", position.demands),
            ("Red lines", position.red_lines),
            ("Signals of flexibility", position.flexibility),
        ):
            if items:
                lis = join(html("<li>{}</li>", i) for i in items)
                parts.append(html('<p class="list-label">{}</p><ul>{}</ul>', label, lis))
        parts.extend(self.quote(self.facts.quotes[q], anchor=False) for q in position.quotes)
        parts.append(Markup("</article>"))
        return join(parts, "\n")

    def moves(self, history: Sequence[Position]) -> Markup:
        """A line of stances over time, each linking to its position: before → after."""
        steps = (html("{} {}", _link(f"#{p.id}", p.date.human()), stance_badge(p.stance)) for p in history)
        return html('<p class="stance-moves">{}</p>', join(steps, " → "))

    def glance(self, parties: Sequence[Actor], topics: Sequence[Topic]) -> Markup:
        """Each party's current positions at a glance, topic by topic."""
        columns = []
        for party in parties:
            items = []
            for topic in topics:
                position = self.facts.current_position(party.id, topic.id)
                if position is not None:
                    items.append(
                        html(
                            "<li>{}: {} {}{}</li>",
                            self.link(topic, topic.name),
                            stance_badge(position.stance),
                            position.summary,
                            self.cite(position),
                        )
                    )
            columns.append(
                html(
                    '<section class="glance-party"><h3>{}</h3><ul>{}</ul></section>',
                    party.name,
                    join(items) or Markup("<li>No stated positions in this edition.</li>"),
                )
            )
        return html('<div class="glance">{}</div>', join(columns))

    def topic_list(self, topics: Sequence[Topic]) -> Markup:
        items = join(html("<li>{}: {}</li>", self.link(t, t.name), t.question) for t in topics)
        return html('<ul class="topic-list">{}</ul>', items)

    # -- quotes ----------------------------------------------------------------------------

    def quote(self, quote: Quote, anchor: bool = True) -> Markup:
        """A quote, verbatim; an unverified one is shown as reported wording, never verbatim."""
        ident = html(' id="{}"', quote.id) if anchor else EMPTY
        speaker, when = self.name(quote.speaker), quote.date.human()
        if quote.unverified:
            return html(
                '<div class="quote quote-unverified"{}><p><span class="badge badge-unverified">Wording not '
                "confirmed</span> {} is reported to have said, in substance: {}{}</p>"
                '<p class="quote-meta">{}, {}. {}</p></div>',
                ident,
                speaker,
                quote.text,
                self.cite(quote),
                when,
                quote.context,
                quote.unverified,
            )
        return html(
            '<figure class="quote"{}><blockquote><p>“{}”</p></blockquote>'
            "<figcaption>{}, {}, {}{} {}</figcaption></figure>",
            ident,
            quote.text,
            speaker,
            when,
            quote.context,
            self.cite(quote),
            self.flags(quote),
        )

    # -- events and history ----------------------------------------------------------------

    def event_item(self, event: Event) -> Markup:
        held = event.status is EventStatus.HELD
        status = EMPTY if held else html(" {}", _span("badge badge-status", event.status))
        place = html(" {}", _span("event-place", event.place)) if event.place else EMPTY
        self.entities.append(event_entity(event))
        return html(
            '<li class="event{}" id="{}"><time datetime="{}">{}</time>{}{}'
            '<p class="event-title"><strong>{}</strong></p><p>{}</p></li>',
            " event-key" if event.key else "",
            event.id,
            event.date,
            event.date.human(),
            place,
            status,
            event.title,
            self.said(event, event.summary),
        )

    def events(self, events: Sequence[Event]) -> Markup:
        if not events:
            return empty("No events in this range in our sources.")
        return html('<ol class="timeline">\n{}\n</ol>', join((self.event_item(e) for e in events), "\n"))

    def timeline(self, events: Sequence[Event], with_strip: bool = True) -> Markup:
        """Events grouped by era, each era a headed section, with the visual era strip first."""
        grouped: list[tuple[Era, list[Event]]] = []
        for era in self.facts.eras:
            inside = [e for e in events if era.start.start <= e.date.start <= era.end.end]
            if inside:
                grouped.append((era, inside))
        placed = {e.id for _, group in grouped for e in group}
        rest = [e for e in events if e.id not in placed]
        parts = [self.era_strip(grouped)] if with_strip and grouped else []
        for era, group in grouped:
            parts.append(
                html(
                    '<section class="era" id="era-{0}" aria-labelledby="era-h-{0}"><h2 id="era-h-{0}">{1} '
                    '<span class="era-dates">{2} – {3}</span></h2>\n{4}\n</section>',
                    era.id,
                    era.title,
                    era.start.human(),
                    era.end.human(),
                    self.events(group),
                )
            )
        if rest:
            parts.append(self.events(rest))
        return join(parts, "\n")

    def era_strip(self, grouped: Sequence[tuple[Era, Sequence[Event]]]) -> Markup:
        """A strip of eras, one block each, sized by how many events it holds."""
        total = sum(len(g) for _, g in grouped) or 1
        blocks = [
            html(
                '<li class="era-block era-tone-{}" style="flex-grow:{:.1f}"><a href="#era-{}">'
                '<span class="era-block-title">{}</span><span class="era-block-dates">{} – {}</span>'
                '<span class="era-block-count">{} {}, {} key</span></a></li>',
                n % 6,
                max(4.0, 100 * len(group) / total),
                era.id,
                era.title,
                era.start.human(),
                era.end.human(),
                len(group),
                "event" if len(group) == 1 else "events",
                sum(1 for e in group if e.key),
            )
            for n, (era, group) in enumerate(grouped)
        ]
        return html(
            '<nav class="era-strip-box" aria-label="Eras of the timeline"><ol class="era-strip">{}</ol></nav>',
            join(blocks),
        )

    # -- actors, roles, contested, glossary, sources ----------------------------------------

    def actor_card(self, actor: Actor, link: bool = True) -> Markup:
        """Who an actor is: name, titles over time, summary, cited."""
        roles = join(
            html(
                "<li>{}{}{}{}</li>",
                r.title,
                html(", {}", self.facts.actors[r.of].name) if r.of is not None and r.of in self.facts.actors else "",
                _role_span(r.start.human() if r.start else None, r.end.human() if r.end else None),
                self.citations.cite(r.sources),
            )
            for r in actor.roles
        )
        self.entities.append(actor_entity(actor))
        return html(
            '<div class="actor-card" id="actor-{}"><p class="actor-name"><strong>{}</strong> '
            '<span class="actor-kind">{}</span></p><p>{}</p>{}{}{}</div>',
            actor.id,
            self.link(actor, actor.name) if link else actor.name,
            actor.kind,
            self.said(actor, actor.summary),
            html("<p>Died {}.</p>", actor.died.human()) if actor.died else EMPTY,
            html('<ul class="actor-roles">{}</ul>', roles) if roles else EMPTY,
            html('<p class="aliases">Also spelled: {}</p>', ", ".join(actor.aliases)) if actor.aliases else EMPTY,
        )

    def people(self, actors: Iterable[Actor]) -> Markup:
        """Every actor's card under a heading per kind: people first, then states, organisations, groups."""
        order = list(ACTOR_GROUPS)
        parts: list[Markup] = []
        current = None
        for actor in sorted(actors, key=lambda a: (order.index(a.kind), a.name)):
            if actor.kind is not current:
                current = actor.kind
                parts.append(html('<h2 id="who-{}">{}</h2>', order.index(current), ACTOR_GROUPS[current]))
            parts.append(self.actor_card(actor))
        return join(parts, "\n")

    def role(self, role: RegionalRole, with_actor: bool = False) -> Markup:
        """A regional role; `with_actor` names the actor, for lists not grouped by actor."""
        return html(
            '<article class="regional-role" id="{}"><p>{}<span class="badge badge-role">{}</span> '
            '<time datetime="{}">{}</time></p><p>{}</p>{}</article>',
            role.id,
            html("{} ", self.name(role.actor)) if with_actor else EMPTY,
            role.role.value.replace("-", " "),
            role.date,
            role.date.human(),
            self.said(role, role.did),
            html('<p><span class="list-label">Says it wants:</span> {}</p>', role.wants) if role.wants else EMPTY,
        )

    def roles(self, roles: Sequence[RegionalRole]) -> Markup:
        """Roles grouped by actor, in order of each actor's first role."""
        by_actor: dict[str, list[RegionalRole]] = {}
        for role in roles:
            by_actor.setdefault(role.actor, []).append(role)
        parts = []
        for actor_id, group in by_actor.items():
            actor = self.facts.actors[actor_id]
            parts.append(
                html(
                    '<section class="role-group" id="roles-{0}"><h2 id="h-roles-{0}">{1}</h2>{2}<p>{3}</p></section>',
                    actor_id,
                    actor.name,
                    join((self.role(r) for r in group), "\n"),
                    self.link(actor, f"More on {actor.name}"),
                )
            )
        return join(parts, "\n") or empty("No regional roles in our sources yet.")

    def contested(self, point: Contested, full: bool = True) -> Markup:
        """The question and each side's claim side by side, each attributed and cited."""
        claims = join(
            html(
                '<div class="claim"><p class="claim-by">{} says</p><p>{}{}</p>{}</div>',
                self.names(c.by),
                c.claim,
                self.citations.cite(c.sources),
                html('<p><span class="badge badge-unverified">Unverified: {}</span></p>', c.unverified)
                if c.unverified
                else EMPTY,
            )
            for c in point.claims
        )
        if point.status is ContestStatus.RESOLVED:
            status = html('<p class="contest-status resolved"><strong>Resolved:</strong> {}</p>', point.resolution)
        else:
            status = Markup('<p class="contest-status open"><strong>Status:</strong> open</p>')
        return html(
            '<article class="contested" id="{}"><p class="contested-question"><strong>{}</strong> '
            '<span class="as-of">since {}</span></p><div class="claims">{}</div>{}{}</article>',
            point.id,
            point.question if full else self.link(point, point.question),
            point.date.human(),
            claims,
            status,
            self.said(point, ""),
        )

    def glossary(self, terms: Iterable[Term]) -> Markup:
        items = join(
            html('<dt id="{}">{}</dt><dd>{}</dd>', t.id, t.term, self.said(t, t.definition))
            for t in sorted(terms, key=lambda t: t.term.casefold())
        )
        return html('<dl class="glossary">{}</dl>', items)

    def source_list(self) -> Markup:
        """Every source, with links back to each place that cites it."""
        items = []
        for source in sorted(self.facts.sources.values(), key=lambda s: (s.publisher.casefold(), s.id)):
            back = [self.link(record) for record in self.facts.citations.get(source.id, ()) if record.home]
            cited = html("Cited in: {}", join(back, "; ")) if back else "Not cited in this edition."
            entry = html(
                '<li id="{}"><p>{}</p><p class="cited-by" data-search-exclude>{}</p></li>',
                source.id,
                source_facts(source),
                cited,
            )
            items.append(entry)
        return html('<ul class="source-list">{}</ul>', join(items))

    # -- whole pages -----------------------------------------------------------------------

    def topic_page(self, topic: Topic) -> Markup:
        """A topic: the question, each party's positions over time, other actors, then related facts."""
        related = self.facts.by_topic(topic.id)
        parties = self.facts.parties
        parts = [html('<p class="topic-question">{}</p>', topic.question), self.matrix([topic], parties)]
        for party in parties:
            history = self.facts.position_history.get((party.id, topic.id), ())
            parts.append(html('<h2 id="history-{}">How {}\'s position moved</h2>', party.id, party.name))
            if not history:
                parts.append(empty("No stated position in our sources."))
                continue
            parts.append(self.moves(history))
            parts.extend(self.position(p) for p in history)
        party_ids = {p.id for p in parties}
        others = [p for p in related["positions"] if isinstance(p, Position) and p.actor not in party_ids]
        if others:
            parts.append(Markup('<h2 id="others">Other actors</h2>'))
            parts.extend(self.position(p) for p in others)
        parts.extend(self._related(related, contested="Contested", events="Events"))
        return join(parts, "\n")

    def actor_page(self, actor: Actor) -> Markup:
        """An actor: card, role in the talks, positions by topic, then related facts."""
        related = self.facts.by_actor(actor.id)
        parts = [self.actor_card(actor, link=False)]
        roles = [r for r in related["roles"] if isinstance(r, RegionalRole)]
        if roles:
            parts.append(Markup('<h2 id="regional-role">Role in the talks</h2>'))
            parts.extend(self.role(r) for r in roles)
        positions = [p for p in related["positions"] if isinstance(p, Position)]
        if positions:
            parts.append(Markup('<h2 id="positions">Positions</h2>'))
            for topic in self.facts.topics:
                held = [p for p in positions if p.topic == topic.id]
                if held:
                    parts.append(html('<h3 id="pos-{}">{}</h3>', topic.id, self.link(topic, topic.name)))
                    parts.extend(self.position(p, heading=False) for p in held)
        parts.extend(self._related(related, contested="Contested points", events="Took part in"))
        return join(parts, "\n")

    def _related(self, related: dict[str, tuple[Record, ...]], contested: str, events: str) -> list[Markup]:
        """The quotes, contested points and events sections of a topic or actor page."""
        parts: list[Markup] = []
        quotes = [q for q in related["quotes"] if isinstance(q, Quote)]
        if quotes:
            parts.append(Markup('<h2 id="quotes">Quotes</h2>'))
            parts.extend(self.quote(q) for q in quotes)
        points = [c for c in related["contested"] if isinstance(c, Contested)]
        if points:
            parts.append(html('<h2 id="contested">{}</h2>', contested))
            parts.extend(self.contested(c, full=False) for c in points)
        happened = [e for e in related["events"] if isinstance(e, Event)]
        if happened:
            parts += [html('<h2 id="events">{}</h2>', events), self.events(happened)]
        return parts

    # -- what changed ----------------------------------------------------------------------

    def changes(self, diff: Changes, since: Edition | None) -> Markup:
        """An edition's difference from the previous one (`since`), section by section; every
        section says when it is empty. The first edition is summarised instead."""
        if diff.first or since is None:
            return self._first_edition()
        which = "the latest edition" if self.facts.cutoff is None else "the previous edition"
        day = since.cutoff.human()
        parts = [html('<p class="changes-since">Compared with {} ({}, {}).</p>', which, since.title, day)]
        if diff.empty:
            parts.append(empty(f"No fact changed since {day}."))
        moves = diff.dated_since(diff.moves)
        parts.append(Markup('<h2 id="moved">Positions that moved</h2>'))
        parts.append(self._moves_table(moves) if moves else empty(f"No party's stated position moved since {day}."))
        events = diff.dated_since(diff.events)
        parts.append(Markup('<h2 id="new-events">New events</h2>'))
        parts.append(self.events(events) if events else empty(f"No new events since {day}."))
        quotes = diff.dated_since(diff.quotes)
        parts.append(Markup('<h2 id="new-quotes">New quotes</h2>'))
        parts.extend([self.quote(q, anchor=False) for q in quotes] or [empty(f"No new quotes since {day}.")])
        contested = diff.dated_since(diff.contested)
        parts.append(Markup('<h2 id="new-contested">New contested points</h2>'))
        parts.extend(
            [self.contested(c, full=False) for c in contested] or [empty(f"No new contested points since {day}.")]
        )
        roles = diff.dated_since(diff.roles)
        parts.append(Markup('<h2 id="new-roles">New regional roles</h2>'))
        parts.extend([self.role(x, with_actor=True) for x in roles] or [empty(f"No new regional roles since {day}.")])
        late = sorted(
            [*diff.reported_late(diff.events), *diff.reported_late(diff.quotes), *diff.reported_late(diff.contested)]
            + [*diff.reported_late(diff.roles), *(m.after for m in diff.reported_late(diff.moves))],
            key=lambda r: r.date.sort_key(),
        )
        parts.append(Markup('<h2 id="reported-late">First reported since, about earlier dates</h2>'))
        parts.append(
            html(
                '<ul class="reported-late">{}</ul>',
                join(html("<li>{}: {}{}</li>", r.date.human(), self._late_label(r), self.cite(r)) for r in late),
            )
            if late
            else empty(f"No fact dated on or before {day} was first reported since then.")
        )
        parts.append(Markup('<h2 id="updated">Updated entries</h2>'))
        parts.append(
            html(
                '<ul class="updated">{}</ul>',
                join(html("<li>{} ({})</li>", self._updated_label(u.after), u.after.noun) for u in diff.updates),
            )
            if diff.updates
            else empty(f"No entry was rewritten since {day}.")
        )
        parts.append(Markup('<h2 id="corrections">Corrections</h2>'))
        if diff.corrections:
            items = join(
                html("<li>{}: {} ({}) <code>{}</code></li>", c.date.human(), c.change, c.reason, rid)
                for rid, c in diff.corrections
            )
            parts.append(html("<ul>{}</ul>", items))
        else:
            parts.append(empty(f"No corrections since {day}."))
        return join(parts, "\n")

    def _first_edition(self) -> Markup:
        """The first edition's summary: counts and key events, not the whole story as new."""
        f = self.facts
        key = [e for e in f.events if e.key]
        day = f.editions[-1].cutoff.human() if f.editions else ""
        counts = [
            (len(f.events), "event", "events"),
            (len(f.positions), "stated position", "stated positions"),
            (len(f.quotes), "quote", "quotes"),
            (len(f.contested), "contested point", "contested points"),
            (len(f.roles), "regional role", "regional roles"),
            (len(f.actors), "person or organisation", "people and organisations"),
            (len(f.sources), "source", "sources"),
        ]
        listed = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts)
        items = join(
            html('<li><time datetime="{}">{}</time> {}</li>', e.date, e.date.human(), self.link(e, e.title))
            for e in key
        )
        return html(
            '<p class="changes-since">This is the first edition: it shows the story as known on {}, so there '
            "is no earlier edition to compare it with. Each later edition lists what changed since the one "
            'before.</p>\n<p>It holds {}.</p>\n<h2 id="key-events">Key events</h2>\n{}',
            day,
            listed,
            html('<ul class="key-events">{}</ul>', items) if key else empty("No key events in this edition."),
        )

    def _moves_table(self, moves: Sequence[Move]) -> Markup:
        rows = [self._move_row(m.before, m.after) for m in moves]
        return html(
            '<div class="scroll-box" role="region" aria-label="Positions that moved" tabindex="0">'
            '<table class="position-moves"><caption>Each party\'s position before and after, '
            'topic by topic.</caption><thead><tr><th scope="col">Topic</th><th scope="col">Party</th>'
            '<th scope="col">Before</th><th scope="col">After</th></tr></thead><tbody>{}</tbody></table></div>',
            join(rows),
        )

    def _late_label(self, record: Record) -> Markup:
        """A link to a fact first reported late, named for a reader."""
        if isinstance(record, Position):
            topic = self.facts.records["topics"].get(record.topic)
            return self.link(
                record, f"{self._actor_name(record.actor)}'s position on {topic.label() if topic else record.topic}"
            )
        if isinstance(record, Quote):
            return self.link(record, f"a quote of {self._actor_name(record.speaker)}")
        if isinstance(record, RegionalRole):
            return self.link(record, f"the role of {self._actor_name(record.actor)}")
        return self.link(record)

    def _actor_name(self, actor_id: str) -> str:
        actor = self.facts.actors.get(actor_id)
        return actor.name if actor else actor_id

    def _updated_label(self, record: Record) -> Markup:
        return self.link(record) if record.home else esc(record.label())

    def _move_row(self, before: Position | None, after: Position) -> Markup:
        topic = self.facts.records["topics"].get(after.topic)
        old: Markup | str = "No stated position"
        if before is not None:
            old = html(
                '{} {} <span class="as-of">{}</span>', stance_badge(before.stance), before.summary, before.date.human()
            )
        return html(
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{} {}{} <span class="as-of">{}</span></td></tr>',
            self.link(topic) if topic else after.topic,
            self.name(after.actor),
            old,
            stance_badge(after.stance),
            after.summary,
            self.cite(after),
            after.date.human(),
        )


def _role_span(start: str | None, end: str | None) -> Markup:
    if start is None:
        return Markup(" (dates not given)") if end is None else html(" (until {})", end)
    return html(" (from {} to {})", start, end) if end else html(" (from {})", start)


def event_entity(event: Event) -> dict[str, Any]:
    """An event as a schema.org Event for the page's JSON-LD."""
    entity: dict[str, Any] = {
        "@type": "Event",
        "name": event.title,
        "startDate": str(event.date.begin),
        "description": event.summary,
        "eventStatus": EVENT_STATUS[event.status],
    }
    if event.date.finish:
        entity["endDate"] = str(event.date.finish)
    if event.place:
        entity["location"] = {"@type": "Place", "name": event.place}
    return entity


def actor_entity(actor: Actor) -> dict[str, Any]:
    """An actor as a schema.org Person or Organization for the page's JSON-LD."""
    person = actor.kind is ActorKind.PERSON
    entity: dict[str, Any] = {"@type": "Person" if person else "Organization", "name": actor.name}
    entity["description"] = actor.summary
    if actor.aliases:
        entity["alternateName"] = list(actor.aliases)
    if actor.roles and person:
        entity["jobTitle"] = actor.roles[-1].title
    return entity
