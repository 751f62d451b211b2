"""Render facts as HTML fragments for Markdown pages.

Every text that comes from YAML passes through `esc`; every link is a validated http(s) URL or a
link between the site's own pages. Each renderer cites through the page's `Citations`, which
numbers sources in order of first use and renders the page's reference list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any

from ..facts.factbase import FactBase
from ..facts.models import (
    Actor,
    Contested,
    Event,
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


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
"""The characters Python-Markdown lets a backslash escape."""


def esc(text: Any) -> str:
    """HTML-escape any text that came from data."""
    return escape(str(text), quote=True)


def md_text(text: str) -> str:
    """Text from data made safe for a Markdown line: HTML-escaped, Markdown marks escaped."""
    return _MD_SPECIAL.sub(r"\\\1", escape(text, quote=False))


@dataclass
class Citations:
    """The sources a page cites, numbered in order of first citation."""

    facts: FactBase
    numbers: dict[str, int] = field(default_factory=dict)

    def cite(self, source_ids: Iterable[str], page: PageLinks) -> str:
        """Superscript note numbers linking to the page's reference list."""
        marks = []
        for sid in dict.fromkeys(source_ids):
            number = self.numbers.setdefault(sid, len(self.numbers) + 1)
            source = self.facts.sources[sid]
            label = f"{source.publisher}, {source.title}"
            marks.append(f'<a href="#ref-{esc(sid)}" class="cite-ref" title="{esc(label)}">[{number}]</a>')
        return f'<sup class="cite">{"".join(marks)}</sup>' if marks else ""

    def references(self, page: PageLinks) -> str:
        """The numbered reference list, or '' when the page cites nothing."""
        if not self.numbers:
            return ""
        items = [
            f'<li id="ref-{esc(sid)}" value="{n}">{source_entry(self.facts.sources[sid], page)}</li>'
            for sid, n in self.numbers.items()
        ]
        return (
            '<section class="references" aria-labelledby="references-heading">\n'
            '<h2 id="references-heading">References</h2>\n'
            f'<ol class="reference-list">\n{chr(10).join(items)}\n</ol>\n</section>'
        )


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


def source_entry(source: Source, page: PageLinks) -> str:
    """One reference: publisher, linked title, date, and flags that qualify trust."""
    title = esc(source.title)
    if source.url:
        title = f'<a href="{esc(source.url)}" rel="noopener noreferrer nofollow">{title}</a>'
    if source.published not in ("unknown", None):
        published = source.published.human()
    elif source.published_approx is not None:
        published = f"undated, about {source.published_approx.human()}"
    else:
        published = "date not shown"
    flags = []
    if source.kind in SOURCE_FLAGS:
        flags.append(SOURCE_FLAGS[source.kind])
    if source.original:
        flags.append(f"original: {source.original}")
    if source.title_from_url:
        flags.append("title reconstructed from the URL")
    if source.caution:
        flags.append("caution: corroborate before relying on it")
    flag_html = "".join(f' <span class="source-flag">{esc(f)}</span>' for f in flags)
    note = f' <span class="source-note">{esc(source.reliability)}</span>' if source.reliability else ""
    archive = (
        f' (<a href="{esc(source.archive_url)}" rel="noopener noreferrer nofollow">archived</a>)'
        if source.archive_url
        else ""
    )
    return (
        f"{esc(source.publisher)}, “{title}”{archive}, {esc(published)}.{flag_html}{note}"
        f' <a class="source-page" href="{page.record(source)}">About this source</a>'
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

    def cite(self, record: Fact | Any) -> str:
        return self.citations.cite(record.sources, self.links)

    def name(self, actor_id: str) -> str:
        actor = self.facts.actors.get(actor_id)
        if actor is None:
            return esc(actor_id)
        return f'<a href="{self.links.record(actor)}">{esc(actor.name)}</a>'

    def names(self, actor_ids: Sequence[str]) -> str:
        return ", ".join(self.name(a) for a in actor_ids)

    def flags(self, record: Fact) -> str:
        """Badges for unverified statements and corrections."""
        parts = []
        if record.unverified:
            parts.append(
                f'<span class="badge badge-unverified" title="{esc(record.unverified)}">'
                f"Unverified: {esc(record.unverified)}</span>"
            )
        for correction in record.corrections:
            parts.append(
                f'<span class="badge badge-correction">Corrected {esc(correction.date.human())}: '
                f"{esc(correction.change)} ({esc(correction.reason)})</span>"
            )
        return " ".join(parts)

    def stance_badge(self, stance: Stance) -> str:
        label, symbol = STANCE_LABELS[stance]
        return f'<span class="stance stance-{stance.value}"><span aria-hidden="true">{symbol}</span> {label}</span>'

    # -- positions -------------------------------------------------------------------------

    def matrix(self, topics: Sequence[Topic], parties: Sequence[Actor]) -> str:
        """Parties × topics: each cell the party's latest position, cited, linking to the topic."""
        head = "".join(f'<th scope="col">{esc(p.name)}</th>' for p in parties)
        rows = []
        for topic in topics:
            cells = []
            for party in parties:
                position = self.facts.current_position(party.id, topic.id)
                if position is None:
                    cells.append(
                        f'<td class="stance-none" data-party="{esc(party.name)}">'
                        "No stated position in our sources</td>"
                    )
                    continue
                cells.append(
                    f'<td class="stance-cell stance-{position.stance.value}" data-party="{esc(party.name)}">'
                    f"{self.stance_badge(position.stance)} "
                    f"{esc(position.summary)}{self.cite(position)} "
                    f'<span class="as-of">as of {esc(position.date.human())}</span> '
                    f"{self.flags(position)}</td>"
                )
            topic_link = f'<a href="{self.links.record(topic)}">{esc(topic.name)}</a>'
            rows.append(f'<tr><th scope="row">{topic_link}</th>{"".join(cells)}</tr>')
        caption = (
            "Each party's latest stated position on each topic, with its sources. "
            "Stance labels and symbols are explained in the legend below."
        )
        return (
            '<div class="scroll-box" role="region" aria-label="Positions matrix" tabindex="0">\n'
            f'<table class="positions-matrix">\n<caption>{caption}</caption>\n'
            f'<thead><tr><th scope="col">Topic</th>{head}</tr></thead>\n'
            f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n</div>\n" + self.stance_legend()
        )

    def stance_legend(self) -> str:
        items = "".join(f"<li>{self.stance_badge(s)}: {esc(STANCE_MEANING[s])}</li>" for s in Stance)
        return f'<ul class="stance-legend" aria-label="Legend">{items}</ul>'

    def position(self, position: Position, heading: bool = True) -> str:
        """A position in full: summary, demands, red lines, flexibility, quotes."""
        parts = [f'<article class="position" id="{esc(position.id)}">']
        if heading:
            parts.append(
                f"<h3>{esc(position.date.human())}: {self.name(position.actor)} "
                f"{self.stance_badge(position.stance)}</h3>"
            )
        parts.append(f"<p>{esc(position.summary)}{self.cite(position)} {self.flags(position)}</p>")
        for label, items in (
            ("Demands", position.demands),
            ("Red lines", position.red_lines),
            ("Signals of flexibility", position.flexibility),
        ):
            if items:
                lis = "".join(f"<li>{esc(i)}</li>" for i in items)
                parts.append(f'<p class="list-label">{label}</p><ul>{lis}</ul>')
        for quote_id in position.quotes:
            parts.append(self.quote(self.facts.quotes[quote_id], anchor=False))
        parts.append("</article>")
        return "\n".join(parts)

    # -- quotes ----------------------------------------------------------------------------

    def quote(self, quote: Quote, anchor: bool = True) -> str:
        """A quote, verbatim; an unverified one is shown as reported wording, never verbatim."""
        speaker = self.name(quote.speaker)
        ident = f' id="{esc(quote.id)}"' if anchor else ""
        when = esc(quote.date.human())
        context = esc(quote.context)
        if quote.unverified:
            return (
                f'<div class="quote quote-unverified"{ident}>'
                f'<p><span class="badge badge-unverified">Wording not confirmed</span> '
                f"{speaker} is reported to have said, in substance: {esc(quote.text)}"
                f"{self.cite(quote)}</p>"
                f'<p class="quote-meta">{when}, {context}. {esc(quote.unverified)}</p></div>'
            )
        return (
            f'<figure class="quote"{ident}><blockquote><p>“{esc(quote.text)}”</p></blockquote>'
            f"<figcaption>{speaker}, {when}, {context}{self.cite(quote)} "
            f"{self.flags(quote)}</figcaption></figure>"
        )

    # -- events and history ----------------------------------------------------------------

    def event_item(self, event: Event) -> str:
        status = (
            f' <span class="badge badge-status">{esc(event.status.value)}</span>'
            if event.status.value != "held"
            else ""
        )
        place = f' <span class="event-place">{esc(event.place)}</span>' if event.place else ""
        key = " event-key" if event.key else ""
        self.entities.append(self.event_entity(event))
        return (
            f'<li class="event{key}" id="{esc(event.id)}">'
            f'<time datetime="{esc(event.date)}">{esc(event.date.human())}</time>{place}{status}'
            f'<p class="event-title"><strong>{esc(event.title)}</strong></p>'
            f"<p>{esc(event.summary)}{self.cite(event)} {self.flags(event)}</p></li>"
        )

    def events(self, events: Sequence[Event]) -> str:
        if not events:
            return '<p class="empty">No events in this range in our sources.</p>'
        return '<ol class="timeline">\n' + "\n".join(self.event_item(e) for e in events) + "\n</ol>"

    def timeline(self, events: Sequence[Event], with_strip: bool = True) -> str:
        """Events grouped by era, each era a headed section, with the visual era strip first."""
        eras = [e for e in self.facts.eras]
        grouped: list[tuple[Any, list[Event]]] = []
        for era in eras:
            inside = [e for e in events if era.start.start <= e.date.start <= era.end.end]
            if inside:
                grouped.append((era, inside))
        placed = {e.id for _, group in grouped for e in group}
        rest = [e for e in events if e.id not in placed]
        parts = [self.era_strip(grouped)] if with_strip and grouped else []
        for era, group in grouped:
            parts.append(
                f'<section class="era" id="era-{esc(era.id)}" aria-labelledby="era-h-{esc(era.id)}">'
                f'<h2 id="era-h-{esc(era.id)}">{esc(era.title)} '
                f'<span class="era-dates">{esc(era.start.human())} – {esc(era.end.human())}</span>'
                f"</h2>\n{self.events(group)}\n</section>"
            )
        if rest:
            parts.append(self.events(rest))
        return "\n".join(parts)

    def era_strip(self, grouped: Sequence[tuple[Any, Sequence[Event]]]) -> str:
        """A strip of eras, one block each, sized by how many events it holds."""
        total = sum(len(g) for _, g in grouped) or 1
        blocks = []
        for n, (era, group) in enumerate(grouped):
            share = max(4.0, 100 * len(group) / total)
            key = sum(1 for e in group if e.key)
            blocks.append(
                f'<li class="era-block era-tone-{n % 6}" style="flex-grow:{share:.1f}">'
                f'<a href="#era-{esc(era.id)}"><span class="era-block-title">{esc(era.title)}</span>'
                f'<span class="era-block-dates">{esc(era.start.human())} – {esc(era.end.human())}'
                f'</span><span class="era-block-count">{len(group)} events, {key} key</span></a></li>'
            )
        return (
            '<nav class="era-strip-box" aria-label="Eras of the timeline">'
            f'<ol class="era-strip">{"".join(blocks)}</ol></nav>'
        )

    def event_entity(self, event: Event) -> dict[str, Any]:
        entity: dict[str, Any] = {
            "@type": "Event",
            "name": event.title,
            "startDate": str(event.date.begin),
            "description": event.summary,
            "eventStatus": {
                "held": "https://schema.org/EventScheduled",
                "scheduled": "https://schema.org/EventScheduled",
                "cancelled": "https://schema.org/EventCancelled",
                "postponed": "https://schema.org/EventPostponed",
            }[event.status.value],
        }
        if event.date.finish:
            entity["endDate"] = str(event.date.finish)
        if event.place:
            entity["location"] = {"@type": "Place", "name": event.place}
        return entity

    # -- actors, roles, contested, glossary, sources ----------------------------------------

    def actor_card(self, actor: Actor, link: bool = True) -> str:
        """Who an actor is: name, titles over time, summary, cited."""
        name = esc(actor.name)
        if link:
            name = f'<a href="{self.links.record(actor)}">{name}</a>'
        roles = "".join(
            f"<li>{esc(r.title)}"
            + (f", {esc(self.facts.actors[r.of].name)}" if r.of in self.facts.actors else "")
            + (f" (from {esc(r.start.human())}" if r.start else " (")
            + (f" to {esc(r.end.human())})" if r.end else ")" if r.start else "dates not given)")
            + self.citations.cite(r.sources, self.links)
            + "</li>"
            for r in actor.roles
        )
        aliases = f'<p class="aliases">Also spelled: {esc(", ".join(actor.aliases))}</p>' if actor.aliases else ""
        died = f"<p>Died {esc(actor.died.human())}.</p>" if actor.died else ""
        self.entities.append(self.actor_entity(actor))
        return (
            f'<div class="actor-card" id="actor-{esc(actor.id)}"><p class="actor-name">'
            f'<strong>{name}</strong> <span class="actor-kind">{esc(actor.kind.value)}</span></p>'
            f"<p>{esc(actor.summary)}{self.cite(actor)} {self.flags(actor)}</p>"
            f"{died}{f'<ul class=actor-roles>{roles}</ul>' if roles else ''}{aliases}</div>"
        )

    def actor_entity(self, actor: Actor) -> dict[str, Any]:
        entity: dict[str, Any] = {
            "@type": "Person" if actor.kind.value == "person" else "Organization",
            "name": actor.name,
            "description": actor.summary,
        }
        if actor.aliases:
            entity["alternateName"] = list(actor.aliases)
        if actor.roles and actor.kind.value == "person":
            entity["jobTitle"] = actor.roles[-1].title
        return entity

    def role(self, role: RegionalRole, with_actor: bool = False) -> str:
        """A regional role; `with_actor` names the actor, for lists not grouped by actor."""
        who = f"{self.name(role.actor)} " if with_actor else ""
        wants = f'<p><span class="list-label">Says it wants:</span> {esc(role.wants)}</p>' if role.wants else ""
        return (
            f'<article class="regional-role" id="{esc(role.id)}">'
            f'<p>{who}<span class="badge badge-role">{esc(role.role.value.replace("-", " "))}</span> '
            f'<time datetime="{esc(role.date)}">{esc(role.date.human())}</time></p>'
            f"<p>{esc(role.did)}{self.cite(role)} {self.flags(role)}</p>{wants}</article>"
        )

    def roles(self, roles: Sequence[RegionalRole]) -> str:
        """Roles grouped by actor, in order of each actor's first role."""
        by_actor: dict[str, list[RegionalRole]] = {}
        for role in roles:
            by_actor.setdefault(role.actor, []).append(role)
        parts = []
        for actor_id, group in by_actor.items():
            actor = self.facts.actors[actor_id]
            parts.append(
                f'<section class="role-group" id="roles-{esc(actor_id)}">'
                f'<h2 id="h-roles-{esc(actor_id)}">{esc(actor.name)}</h2>'
                + "\n".join(self.role(r) for r in group)
                + f'<p><a href="{self.links.record(actor)}">More on {esc(actor.name)}</a>'
                "</p></section>"
            )
        return "\n".join(parts) or '<p class="empty">No regional roles in our sources yet.</p>'

    def contested(self, point: Contested, full: bool = True) -> str:
        """The question and each side's claim side by side, each attributed and cited."""
        claims = "".join(
            f'<div class="claim"><p class="claim-by">{self.names(c.by)} says</p>'
            f"<p>{esc(c.claim)}{self.citations.cite(c.sources, self.links)}</p>"
            + (
                f'<p><span class="badge badge-unverified">Unverified: {esc(c.unverified)}</span></p>'
                if c.unverified
                else ""
            )
            + "</div>"
            for c in point.claims
        )
        status = (
            f'<p class="contest-status resolved"><strong>Resolved:</strong> {esc(point.resolution)}</p>'
            if point.status.value == "resolved"
            else '<p class="contest-status open"><strong>Status:</strong> open</p>'
        )
        title = esc(point.question)
        if not full:
            title = f'<a href="{self.links.record(point)}">{title}</a>'
        return (
            f'<article class="contested" id="{esc(point.id)}"><p class="contested-question">'
            f'<strong>{title}</strong> <span class="as-of">since {esc(point.date.human())}</span></p>'
            f'<div class="claims">{claims}</div>{status}{self.cite(point)} {self.flags(point)}'
            "</article>"
        )

    def glossary(self, terms: Iterable[Term]) -> str:
        items = "".join(
            f'<dt id="{esc(t.id)}">{esc(t.term)}</dt><dd>{esc(t.definition)}{self.cite(t)} {self.flags(t)}</dd>'
            for t in sorted(terms, key=lambda t: t.term.casefold())
        )
        return f'<dl class="glossary">{items}</dl>'

    def source_list(self) -> str:
        """Every source, with links back to each place that cites it."""
        items = []
        for source in sorted(self.facts.sources.values(), key=lambda s: (s.publisher.casefold(), s.id)):
            back = []
            for record in self.facts.citations.get(source.id, ()):
                if record.home:
                    back.append(f'<a href="{self.links.record(record)}">{esc(record.label())}</a>')
            cited = (
                f'<p class="cited-by">Cited in: {"; ".join(back)}</p>'
                if back
                else '<p class="cited-by">Not cited in this edition.</p>'
            )
            entry = source_entry(source, self.links).rsplit(' <a class="source-page"', 1)[0]
            items.append(f'<li id="{esc(source.id)}"><p>{entry}</p>{cited}</li>')
        return f'<ul class="source-list">{"".join(items)}</ul>'
