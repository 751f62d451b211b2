"""HTML components for facts: citations, cards, timeline items, matrix cells, links.

HTML is escaped by construction: every component returns `Markup`, built with `html(template,
...)` from a template written here, which escapes each argument unless it is `Markup` already.
Text from data therefore cannot reach a page unescaped by forgetting a call. Every link is a
validated http(s) URL or a link between the site's own pages. A `Renderer` serves one page: it
cites through the page's `Citations`, which number sources in order of first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

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
    RoleKind,
    Source,
    SourceKind,
    Stance,
    Term,
    Topic,
)
from .map import Placed, region_map
from .markup import EMPTY, date_span, esc, folded, html, join, md_heading, md_text, plural, unsearched, when
from .offline import Archive
from .svg import EraBar, StanceLane, StancePoint, era_chart, stance_chart

__all__ = ["EMPTY", "date_span", "esc", "folded", "html", "join", "md_heading", "md_text", "plural", "when"]

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
ROLE_NAMES = {
    RoleKind.HOST: "host",
    RoleKind.MEDIATOR: "mediator",
    RoleKind.PARTY: "party",
    RoleKind.INTERESTED_PARTY: "interested party",
    RoleKind.BELLIGERENT: "belligerent",
    RoleKind.INSPECTOR: "inspector",
}


def role_name(role: RoleKind) -> str:
    """A regional role's kind in words."""
    return ROLE_NAMES.get(role, role.value.replace("-", " "))


EVENT_STATUS = {
    EventStatus.HELD: "https://schema.org/EventScheduled",
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
}


@dataclass
class PageLinks:
    """Turns site URLs into links relative to the page being rendered."""

    page_url: str
    homes: dict[str, str] = field(default_factory=dict)
    """Record id → site URL, for records whose page the build chooses (events: their era's page)."""

    def to(self, site_url: str) -> str:
        if site_url.startswith("#"):
            return site_url
        path, _, anchor = site_url.partition("#")
        relative = _relative(path, self.page_url)
        return f"{relative}#{anchor}" if anchor else relative

    def record(self, record: Record) -> str:
        """A link to the page where `record` lives."""
        return self.to(self.homes.get(getattr(record, "id", ""), "") or record.home_url())


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
            found = self.shown[sid] = (esc(f"{source.publisher}, {source_title(source)}"), source_facts(source))
        return found

    def cite(self, source_ids: Iterable[str]) -> Markup:
        """Superscript note numbers linking to the page's reference list."""
        numbered = sorted(
            (self.numbers.setdefault(sid, len(self.numbers) + 1), sid) for sid in dict.fromkeys(source_ids)
        )
        marks = [
            html('<a href="#ref-{}" class="cite-ref" title="{}">[{}]</a>', sid, self._shown(sid)[0], number)
            for number, sid in numbered
        ]
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
            '<details class="fold reference-fold"><summary>{}, numbered as cited</summary>\n'
            '<ol class="reference-list">\n{}\n</ol>\n</details>\n</section>',
            plural(len(items), "source"),
            join(items, "\n"),
        )


def _link(url: str, text: Any) -> Markup:
    return html('<a href="{}">{}</a>', url, text)


def _external(url: str, text: Any) -> Markup:
    return html('<a href="{}" rel="noreferrer nofollow">{}</a>', url, text)  # noreferrer implies noopener


def _span(css: str, text: Any) -> Markup:
    return html('<span class="{}">{}</span>', css, text)


NO_HEADLINE = "headline not captured"
"""The title the data gives a source whose headline the dossier did not record."""


def source_title(source: Source) -> str:
    """What a source is called: its headline, or where it was found when none was captured."""
    if source.title.strip().rstrip(".").casefold() != NO_HEADLINE:
        return source.title
    host = urlsplit(str(source.url)).hostname if source.url else None
    return f"page at {host.removeprefix('www.')}" if host else "untitled page"


def _source_note(source: Source) -> str | None:
    """The reliability note, without a 'Headline not captured.' already said by the flags."""
    note = source.reliability
    if note and source_title(source) != source.title and note.casefold().startswith(NO_HEADLINE):
        note = note[len(NO_HEADLINE) :].lstrip(" .:") or None
    return note


def source_facts(source: Source) -> Markup:
    """A source without its back-link: publisher, linked title, date, and the flags that qualify trust."""
    name = source_title(source)
    headline = name == source.title
    title = _external(source.url, name) if source.url else esc(name)
    if source.published not in ("unknown", None) and not isinstance(source.published, str):
        published = source.published.human()
    elif source.published_approx is not None:
        published = f"undated, about {source.published_approx.human()}"
    else:
        published = "date not shown"
    flags = [SOURCE_FLAGS[source.kind]] if source.kind in SOURCE_FLAGS else []
    if source.original:
        flags.append(f"original: {source.original}")
    if not headline:
        flags.append(NO_HEADLINE)
    elif source.title_from_url:
        flags.append("title reconstructed from the URL")
    if source.caution:
        flags.append("caution: corroborate before relying on it")
    archive = html(" ({})", _external(source.archive_url, "archived")) if source.archive_url else EMPTY
    note_text = _source_note(source)
    note = html(" {}", _span("source-note", note_text)) if note_text else EMPTY
    return html(
        "{}, {}{}, {}.{}{}",
        source.publisher,
        html("“{}”", title) if headline else title,
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
    archive: Archive | None = None
    """The edition's offline archive, when publishing makes one."""

    # -- small parts ---------------------------------------------------------------------

    def cite(self, record: Fact | Any) -> Markup:
        return self.citations.cite(record.sources)

    def link(self, record: Record, text: Any | None = None) -> Markup:
        """A link to the page where `record` lives, reading its label (or `text`); plain text on
        that page itself, which would only link to its own top."""
        href = self.links.record(record)
        label = record.label() if text is None else text
        return esc(label) if href == "./" else _link(href, label)

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
            '<div class="scroll-box" role="region" aria-label="Positions matrix" tabindex="0" data-search-exclude>\n'
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
        parts.append(unsearched(join((self.quote(self.facts.quotes[q], anchor=False) for q in position.quotes), "\n")))
        parts.append(Markup("</article>"))
        return join(parts, "\n")

    def stance_chart(self, topic: Topic, histories: Sequence[tuple[Actor, Sequence[Position]]]) -> Markup:
        """How each party's stance on `topic` moved: the chart, and the same as a table."""
        slots = sorted({p.date.sort_key(): p.date for _, history in histories for p in history}.items())
        index = {key: n for n, (key, _) in enumerate(slots)}
        lanes = [
            StanceLane(
                party.name,
                [
                    StancePoint(
                        index[p.date.sort_key()],
                        p.stance,
                        p.date.human(),
                        p.summary,
                        self._anchor(self.links.record(p)),
                    )
                    for p in history
                ],
            )
            for party, history in histories
        ]
        ident = f"chart-{topic.id}"
        chart = stance_chart(ident, f"{topic.name}: how the positions moved", [d.human() for _, d in slots], lanes)
        rows = join(
            html(
                '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>',
                self.link(p, p.date.human()),
                party.name,
                stance_badge(p.stance),
                p.summary,
            )
            for party, history in histories
            for p in sorted(history, key=lambda p: p.date.sort_key())
        )
        table = html(
            '<div class="scroll-box" role="region" aria-label="{} as a table" tabindex="0"><table>'
            '<thead><tr><th scope="col">Date</th><th scope="col">Party</th><th scope="col">Stance</th>'
            '<th scope="col">Position</th></tr></thead><tbody>{}</tbody></table></div>',
            topic.name,
            rows,
        )
        return html(
            '<div class="stance-figure" data-search-exclude><figure class="chart">{}<figcaption>{}: each party\'s '
            "stated positions in date order (evenly spaced, not to time scale). Each point links to the "
            "position with its sources.</figcaption></figure>{}</div>",
            chart,
            topic.name,
            folded("The chart as a table", table, "chart-table"),
        )

    @staticmethod
    def _anchor(href: str) -> str:
        """A link within the page as a bare fragment: '#x', not './#x'."""
        return href.removeprefix("./") if href.startswith("./#") else href

    def moves_overview(self, topics: Sequence[Topic]) -> Markup:
        """One small chart per topic of how the parties' stances moved."""
        parties = self.facts.parties
        figures = []
        for topic in topics:
            histories = [(p, self.facts.position_history.get((p.id, topic.id), ())) for p in parties]
            if any(h for _, h in histories):
                figures.append(
                    html(
                        '<section class="moves-topic" aria-label="{}"><p class="moves-topic-name">{}</p>{}</section>',
                        topic.name,
                        self.link(topic, topic.name),
                        self.stance_chart(topic, histories),
                    )
                )
        legend = stance_legend()
        return html('<div class="moves-grid">{}</div>{}', join(figures, "\n"), legend) if figures else EMPTY

    def stance_table(self, topics: Sequence[Topic], parties: Sequence[Actor]) -> Markup:
        """Who wants what in one glance: each party's latest stance per topic, dated and cited,
        each topic linking to its page."""
        rows = []
        for topic in topics:
            cells = []
            for party in parties:
                p = self.facts.current_position(party.id, topic.id)
                cells.append(
                    html(
                        '<td data-party="{}">{} <span class="as-of">{}</span>{}</td>',
                        party.name,
                        stance_badge(p.stance),
                        p.date.human(),
                        self.cite(p),
                    )
                    if p
                    else html('<td data-party="{}">No stated position</td>', party.name)
                )
            rows.append(html('<tr><th scope="row">{}</th>{}</tr>', self.link(topic, topic.name), join(cells)))
        return html(
            '<div class="scroll-box" role="region" aria-label="Stances at a glance" tabindex="0" data-search-exclude>'
            '<table class="stance-table"><caption>Each party\'s latest stated stance on each topic, with its '
            'date and sources.</caption><thead><tr><th scope="col">Topic</th>{}</tr></thead><tbody>{}</tbody>'
            "</table></div>",
            join(html('<th scope="col">{}</th>', p.name) for p in parties),
            join(rows),
        )

    def changes_summary(self, diff: Changes, since: Edition | None) -> Markup:
        """What changed since the previous edition, counted, each count linking to its section."""
        if diff.first or since is None:
            return html(
                '<p data-search-exclude>This is the first edition: <a href="{}">what it holds</a>.</p>',
                self.links.to("what-changed/"),
            )
        counts = [
            ("new-events", plural(len(diff.dated_since(diff.events)), "new event")),
            ("moved", plural(len(diff.dated_since(diff.moves)), "position that moved", "positions that moved")),
            ("new-quotes", plural(len(diff.dated_since(diff.quotes)), "new quote")),
            ("new-contested", plural(len(diff.dated_since(diff.contested)), "new contested point")),
            ("new-roles", plural(len(diff.dated_since(diff.roles)), "new regional role")),
            ("updated", plural(len(diff.updates), "updated entry", "updated entries")),
            ("corrections", plural(len(diff.corrections), "correction")),
        ]
        page = self.links.to("what-changed/")
        items = join(
            html('<li><a href="{}#{}">{}</a></li>', page, anchor, text) for anchor, text in counts if text[0] != "0"
        )
        opening = html("Since {}", since.cutoff.human()) if since else Markup("In this first edition")
        if not items:
            return html("<p data-search-exclude>{}: no fact changed.</p>", opening)
        return html('<div data-search-exclude><p>{}:</p><ul class="changes-summary">{}</ul></div>', opening, items)

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
        return html('<div class="glance" data-search-exclude>{}</div>', join(columns))

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
        self.entities.append(event_entity(event))
        return html(
            '<li class="event{}" id="{}">{}<p class="event-title"><strong>{}</strong></p><p>{}</p></li>',
            " event-key" if event.key else "",
            event.id,
            self._event_when(event),
            event.title,
            self.said(event, event.summary),
        )

    def _event_when(self, event: Event) -> Markup:
        """An event's date, place and, unless it was held, its status."""
        held = event.status is EventStatus.HELD
        status = EMPTY if held else html(" {}", _span("badge badge-status", event.status))
        place = html(" {}", _span("event-place", event.place)) if event.place else EMPTY
        return html('<span class="event-when">{}</span>{}{}', when(event.date), place, status)

    def events(self, events: Sequence[Event]) -> Markup:
        if not events:
            return empty("No events in this range in our sources.")
        return html('<ol class="timeline">\n{}\n</ol>', join((self.event_item(e) for e in events), "\n"))

    def by_era(self, events: Sequence[Event]) -> tuple[list[tuple[Era, list[Event]]], list[Event]]:
        """Events (a selection of `facts.events`, in its order) grouped by the era they fall in,
        and those in no era."""
        wanted = {e.id for e in events}
        grouped = [(era, [e for e in self.facts.events_by_era[era.id] if e.id in wanted]) for era in self.facts.eras]
        grouped = [(era, group) for era, group in grouped if group]
        placed = {e.id for _, group in grouped for e in group}
        return grouped, [e for e in events if e.id not in placed]

    def timeline(self, events: Sequence[Event], with_strip: bool = True) -> Markup:
        """Events grouped by era on one page, each era headed, with the eras' picture first."""
        grouped, rest = self.by_era(events)
        parts = [self.era_strip(grouped, {era.id: f"#era-{era.id}" for era, _ in grouped})] if with_strip else []
        for era, group in grouped:
            parts.append(md_heading(2, f"era-{era.id}", era.title, _span("era-dates", date_span(era.start, era.end))))
            parts.append(self.events(group))
        if rest:
            parts += [md_heading(2, "other-events", "Other events"), self.events(rest)]
        return join(parts, "\n")

    def eras_overview(self, events: Sequence[Event]) -> Markup:
        """The history in outline: the eras' picture, then each era with its key events, each
        linking to the era's own page where all its events are."""
        grouped, rest = self.by_era(events)
        pages = {era.id: self.links.to(era_url(era)) for era, _ in grouped}
        parts = [self.era_strip(grouped, pages)]
        for era, group in grouped:
            key = [e for e in group if e.key] or group[:1]
            items = join(
                html(
                    "<li>{} {}</li>",
                    _span("event-when", when(e.date)),
                    _link(f"{pages[era.id]}#{e.id}", e.title),
                )
                for e in key
            )
            parts.append(md_heading(2, f"era-{era.id}", era.title))
            parts.append(
                html(
                    '<div class="era-outline" data-search-exclude><p class="era-dates">{}</p>'
                    '<ul class="key-events">{}</ul>'
                    '<p><a class="era-more" href="{}">All {} of this era</a></p></div>',
                    date_span(era.start, era.end),
                    items,
                    pages[era.id],
                    plural(len(group), "event"),
                )
            )
        if rest:
            parts += [md_heading(2, "other-events", "Other events"), self.events(rest)]
        return join(parts, "\n")

    def era_page(self, era: Era, events: Sequence[Event]) -> Markup:
        """One era: its dates, its neighbours, and every event in it under its own heading."""
        eras = self.facts.eras_with_events
        at = eras.index(era) if era in eras else 0
        pager = self._era_pager(eras[at - 1] if at else None, eras[at + 1] if at + 1 < len(eras) else None)
        parts = [
            html(
                '<p class="era-dates">{}; {}.</p>',
                date_span(era.start, era.end),
                plural(len(events), "event") + " in this edition",
            ),
            pager,
        ]
        for event in events:
            self.entities.append(event_entity(event))
            parts.append(md_heading(2, event.id, event.title))
            parts.append(
                html(
                    '<div class="event{}">{}<p>{}</p></div>',
                    " event-key" if event.key else "",
                    self._event_when(event),
                    self.said(event, event.summary),
                )
            )
        if not events:
            parts.append(empty("No events of this era in this edition."))
        parts.append(pager)
        return join(parts, "\n")

    def _era_pager(self, before: Era | None, after: Era | None) -> Markup:
        links = []
        if before is not None:
            links.append(
                html('<a href="{}" rel="prev">← Earlier: {}</a>', self.links.to(era_url(before)), before.title)
            )
        links.append(html('<a href="{}">All eras</a>', self.links.to("history/")))
        if after is not None:
            links.append(html('<a href="{}" rel="next">Later: {} →</a>', self.links.to(era_url(after)), after.title))
        return html('<nav class="era-pager" aria-label="Other eras">{}</nav>', join(links, " "))

    def era_strip(self, grouped: Sequence[tuple[Era, Sequence[Event]]], hrefs: dict[str, str]) -> Markup:
        """The eras' picture, each as wide as the events it holds, and the same as a numbered
        list of links: every era within reach at any width, without scrolling sideways."""
        if not grouped:
            return EMPTY
        bars = [
            EraBar(n, era.title, _date_words(era.start, era.end), len(group), hrefs[era.id])
            for n, (era, group) in enumerate(grouped, 1)
        ]
        items = join(
            html(
                '<li class="era-tone-{}"><span class="era-number">{}</span> <a href="{}">{}</a> '
                '<span class="as-of">{}, {}</span></li>',
                (b.number - 1) % 6,
                b.number,
                b.href,
                b.title,
                b.dates,
                plural(b.events, "event"),
            )
            for b in bars
        )
        chart = era_chart(
            "era-chart",
            bars,
            Markup("Each era is as wide as the number of events it holds in this edition."),
        )
        return html(
            '<nav class="era-nav" aria-label="Eras of the timeline">{}<ol class="era-list">{}</ol></nav>',
            chart,
            items,
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
        name = html('<p class="actor-name"><strong>{}</strong></p>', self.link(actor, actor.name)) if link else EMPTY
        return html(
            '<div class="actor-card" id="actor-{}">{}<p>{}</p>{}{}{}</div>',
            actor.id,
            name,
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
                parts.append(md_heading(2, f"who-{order.index(current)}", ACTOR_GROUPS[current]))
            parts.append(unsearched(self.actor_card(actor)))
        return join(parts, "\n")

    def role(self, role: RegionalRole, with_actor: bool = False) -> Markup:
        """A regional role; `with_actor` names the actor, for lists not grouped by actor."""
        return html(
            '<article class="regional-role" id="{}"><p>{}<span class="badge badge-role">{}</span> {}</p>'
            "<p>{}</p>{}</article>",
            role.id,
            html("{} ", self.name(role.actor)) if with_actor else EMPTY,
            role_name(role.role),
            when(role.date),
            self.said(role, role.did),
            html('<p><span class="list-label">Says it wants:</span> {}{}</p>', role.wants, self.cite(role))
            if role.wants
            else EMPTY,
        )

    def roles(self, roles: Sequence[RegionalRole]) -> Markup:
        """Roles grouped by actor, in order of each actor's first role."""
        by_actor: dict[str, list[RegionalRole]] = {}
        for role in roles:
            by_actor.setdefault(role.actor, []).append(role)
        parts = []
        for actor_id, group in by_actor.items():
            actor = self.facts.actors[actor_id]
            parts.append(md_heading(2, f"roles-{actor_id}", actor.name))
            parts.append(
                html(
                    '<div class="role-group">{}<p>{}</p></div>',
                    join((self.role(r) for r in group), "\n"),
                    self.link(actor, f"More on {actor.name}"),
                )
            )
        return join(parts, "\n") or empty("No regional roles in our sources yet.")

    def role_map(self) -> Markup:
        """The region on a map: each actor that is a party or has a regional role, coloured by
        that role in this edition (its most recent), linking to its section of Regional roles."""
        by_actor: dict[str, list[RegionalRole]] = {}
        for role in self.facts.roles:
            by_actor.setdefault(role.actor, []).append(role)
        actors = [p.id for p in self.facts.parties] + [a for a in by_actor if not self.facts.actors[a].party]
        placed = []
        for actor_id in actors:
            actor = self.facts.actors[actor_id]
            roles = sorted(by_actor.get(actor_id, ()), key=lambda r: r.date.sort_key())
            kind = "party" if actor.party else roles[-1].role.value
            words = "party to the talks" if actor.party else role_name(roles[-1].role)
            href = self.links.to(f"regional-roles/#roles-{actor_id}") if roles else self.links.record(actor)
            every = "; ".join(f"{role_name(r.role)} ({r.date.human()})" for r in roles)
            placed.append(Placed(actor_id, actor.name, kind, words, href, every or words))
        names = {"party": "party to the talks", **{k.value: v for k, v in ROLE_NAMES.items()}}
        return region_map(placed, names) if placed else EMPTY

    def contested(self, point: Contested, full: bool = True, question: bool = True) -> Markup:
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
        asked = point.question if full else self.link(point, point.question)
        return html(
            '<article class="contested"{}><p class="contested-question">{}<span class="as-of">since {}</span></p>'
            '<div class="claims">{}</div>{}{}</article>',
            html(' id="{}"', point.id) if question else EMPTY,
            html("<strong>{}</strong> ", asked) if question else EMPTY,
            point.date.human(),
            claims,
            status,
            self.said(point, ""),
        )

    def contested_index(self, points: Sequence[Contested]) -> Markup:
        """Every contested point under its own heading (the question), each side's claim shown
        side by side, and a link to the point's page."""
        parts = []
        for point in points:
            parts.append(md_heading(2, point.id, point.question, href=self.links.record(point)))
            who = ", ".join(dict.fromkeys(self._actor_name(a) for claim in point.claims for a in claim.by))
            status = "resolved" if point.status is ContestStatus.RESOLVED else "open"
            summary = f"{plural(len(point.claims), 'claim')}, by {who}; {status} since {point.date.human()}"
            parts.append(unsearched(folded(summary, self.contested(point, full=False, question=False))))
        return join(parts, "\n")

    def glossary(self, terms: Iterable[Term]) -> Markup:
        items = join(
            html('<dt id="{}">{}</dt><dd>{}</dd>', t.id, t.term, self.said(t, t.definition))
            for t in sorted(terms, key=lambda t: t.term.casefold())
        )
        return html('<dl class="glossary">{}</dl>', items)

    def source_list(self) -> Markup:
        """Every source, with links back to each place that cites it, grouped by the publisher's
        initial: a heading per letter (in the table of contents), its sources folded."""
        groups: dict[str, list[Source]] = {}
        for source in sorted(self.facts.sources.values(), key=lambda s: (s.publisher.casefold(), s.id)):
            groups.setdefault(_initial(source.publisher), []).append(source)
        parts = []
        for letter, sources in groups.items():
            items = []
            for source in sources:
                back = [self.link(record) for record in self.facts.citations.get(source.id, ()) if record.home]
                cited = html("Cited in: {}", join(back, "; ")) if back else "Not cited in this edition."
                items.append(
                    html('<li id="{}"><p>{}</p><p class="cited-by">{}</p></li>', source.id, source_facts(source), cited)
                )
            publishers = list(dict.fromkeys(s.publisher for s in sources))
            named = ", ".join(publishers[:3]) + (
                f" and {plural(len(publishers) - 3, 'other')}" if len(publishers) > 3 else ""
            )
            parts.append(md_heading(2, f"sources-{letter.lower() if letter != '#' else 'other'}", letter))
            parts.append(
                html(
                    '<details class="fold source-group" data-search-exclude><summary>{}: {}</summary>'
                    '<ul class="source-list">{}</ul></details>',
                    plural(len(sources), "source"),
                    named,
                    join(items),
                )
            )
        return join(parts, "\n")

    # -- whole pages -----------------------------------------------------------------------

    def topic_page(self, topic: Topic) -> Markup:
        """A topic: the question, how each party's stance moved (chart), each party's positions
        (the latest in full, earlier ones folded), other actors, then related facts."""
        related = self.facts.by_topic(topic.id)
        parties = self.facts.parties
        parts = [html('<p class="topic-question">{}</p>', topic.question), self.matrix([topic], parties)]
        histories = [(party, self.facts.position_history.get((party.id, topic.id), ())) for party in parties]
        if any(h for _, h in histories):
            parts.append(md_heading(2, "moves", "How the positions moved"))
            parts.append(self.stance_chart(topic, histories))
        for party, history in histories:
            parts.append(md_heading(2, f"history-{party.id}", f"{party.name}: positions"))
            if not history:
                parts.append(empty("No stated position in our sources."))
                continue
            latest, earlier = history[-1], history[:-1]
            parts.append(self.position(latest))
            if earlier:
                parts.append(
                    folded(
                        f"Earlier positions of {party.name} ({len(earlier)})",
                        join((self.position(p) for p in reversed(earlier)), "\n"),
                    )
                )
        party_ids = {p.id for p in parties}
        others = [p for p in related["positions"] if isinstance(p, Position) and p.actor not in party_ids]
        if others:
            parts.append(md_heading(2, "others", "Other actors"))
            parts.extend(self.position(p) for p in others)
        parts.extend(self._related(related, contested="Contested", events="Events"))
        return join(parts, "\n")

    def actor_page(self, actor: Actor) -> Markup:
        """An actor: card, role in the talks, positions by topic (the latest in full, earlier ones
        one line each, linking to their topic page), then related facts."""
        related = self.facts.by_actor(actor.id)
        parts = [self.actor_card(actor, link=False)]
        roles = [r for r in related["roles"] if isinstance(r, RegionalRole)]
        if roles:
            parts.append(md_heading(2, "regional-role", "Role in the talks"))
            parts.append(join((self.role(r) for r in roles), "\n"))
        positions = [p for p in related["positions"] if isinstance(p, Position)]
        if positions:
            parts.append(md_heading(2, "positions", "Positions"))
            for topic in self.facts.topics:
                held = [p for p in positions if p.topic == topic.id]
                if held:
                    parts.append(md_heading(3, f"pos-{topic.id}", topic.name, href=self.links.record(topic)))
                    latest = self.position(held[-1], heading=False)
                    earlier = self.earlier_positions(held[:-1]) if len(held) > 1 else EMPTY
                    parts.append(unsearched(join([latest, earlier], "\n")))
        parts.extend(self._related(related, contested="Contested points", events="Took part in", quotes_home=True))
        return join(parts, "\n")

    def earlier_positions(self, positions: Sequence[Position]) -> Markup:
        """Earlier positions one line each (date, stance, summary), newest first, each linking to
        the position in full on its topic page."""
        items = join(
            html(
                "<li>{} {} {}{}</li>",
                self.link(p, p.date.human()),
                stance_badge(p.stance),
                p.summary,
                self.cite(p),
            )
            for p in reversed(positions)
        )
        return folded(f"Earlier ({len(positions)})", html('<ul class="earlier-positions">{}</ul>', items))

    def _related(
        self, related: dict[str, tuple[Record, ...]], contested: str, events: str, quotes_home: bool = False
    ) -> list[Markup]:
        """The quotes, contested points and events sections of a topic or actor page; long
        lists show their first items and fold the rest."""
        parts: list[Markup] = []
        quotes = [q for q in related["quotes"] if isinstance(q, Quote)]
        if quotes:
            parts.append(md_heading(2, "quotes", "Quotes"))
            shown = self.some([self.quote(q, anchor=quotes_home) for q in quotes], 3, "quotes")
            parts.append(shown if quotes_home else unsearched(shown))
        points = [c for c in related["contested"] if isinstance(c, Contested)]
        if points:
            parts.append(md_heading(2, "contested", contested))
            parts.append(unsearched(self.contested_list(points)))
        happened = [e for e in related["events"] if isinstance(e, Event)]
        if happened:
            parts.append(md_heading(2, "events", events))
            recent = happened[-5:][::-1]
            listed = self.events(recent)
            if len(happened) > len(recent):
                listed = join(
                    [listed, folded(f"Earlier events ({len(happened) - len(recent)})", self.events(happened[:-5]))]
                )
            parts.append(unsearched(listed))
        return parts

    def some(self, items: Sequence[Markup], shown: int, noun: str) -> Markup:
        """The first `shown` items, and the rest folded."""
        if len(items) <= shown + 1:
            return join(items, "\n")
        return join(
            [*items[:shown], folded(f"{len(items) - shown} more {noun}", join(items[shown:], "\n"))],
            "\n",
        )

    def contested_list(self, points: Sequence[Contested]) -> Markup:
        """Contested questions, one line each: the question (linking to its page), who claims
        what, and whether it is open."""
        items = join(
            html(
                '<li>{} <span class="as-of">{}; {}, since {}</span></li>',
                self.link(c, c.question),
                "claims by " + ", ".join(dict.fromkeys(self._actor_name(a) for claim in c.claims for a in claim.by)),
                "resolved" if c.status is ContestStatus.RESOLVED else "open",
                c.date.human(),
            )
            for c in points
        )
        return html('<ul class="contested-list">{}</ul>', items)

    def _actor_name(self, actor_id: str) -> str:
        actor = self.facts.actors.get(actor_id)
        return actor.name if actor else actor_id

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
        parts.append(md_heading(2, "moved", "Positions that moved"))
        parts.append(self._moves_table(moves) if moves else empty(f"No party's stated position moved since {day}."))
        events = diff.dated_since(diff.events)
        parts.append(md_heading(2, "new-events", "New events"))
        parts.append(self.events(events) if events else empty(f"No new events since {day}."))
        quotes = diff.dated_since(diff.quotes)
        parts.append(md_heading(2, "new-quotes", "New quotes"))
        parts.extend([self.quote(q, anchor=False) for q in quotes] or [empty(f"No new quotes since {day}.")])
        contested = diff.dated_since(diff.contested)
        parts.append(md_heading(2, "new-contested", "New contested points"))
        parts.extend(
            [self.contested(c, full=False) for c in contested] or [empty(f"No new contested points since {day}.")]
        )
        roles = diff.dated_since(diff.roles)
        parts.append(md_heading(2, "new-roles", "New regional roles"))
        parts.extend([self.role(x, with_actor=True) for x in roles] or [empty(f"No new regional roles since {day}.")])
        late = sorted(
            [*diff.reported_late(diff.events), *diff.reported_late(diff.quotes), *diff.reported_late(diff.contested)]
            + [*diff.reported_late(diff.roles), *(m.after for m in diff.reported_late(diff.moves))],
            key=lambda r: r.date.sort_key(),
        )
        parts.append(md_heading(2, "reported-late", "First reported since, about earlier dates"))
        parts.append(
            html(
                '<ul class="reported-late">{}</ul>',
                join(html("<li>{}: {}{}</li>", r.date.human(), self._late_label(r), self.cite(r)) for r in late),
            )
            if late
            else empty(f"No fact dated on or before {day} was first reported since then.")
        )
        parts.append(md_heading(2, "updated", "Updated entries"))
        parts.append(
            html(
                '<ul class="updated">{}</ul>',
                join(html("<li>{} ({})</li>", self._updated_label(u.after), u.after.noun) for u in diff.updates),
            )
            if diff.updates
            else empty(f"No entry was rewritten since {day}.")
        )
        parts.append(md_heading(2, "corrections", "Corrections"))
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
            "before.</p>\n<p>It holds {}.</p>{}{}",
            day,
            listed,
            md_heading(2, "key-events", "Key events"),
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


def _initial(name: str) -> str:
    """The letter a name is filed under: A–Z, else '#'."""
    first = name.lstrip("\"'“‘(")[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def era_url(era: Era) -> str:
    """The site URL of an era's own page."""
    return f"history/{era.id}/"


def _date_words(start: Any, end: Any) -> str:
    return start.human() if start == end else f"{start.human()} – {end.human()}"


def _role_span(start: str | None, end: str | None) -> Markup:
    if start is None:
        return EMPTY if end is None else html(" (until {})", end)
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
