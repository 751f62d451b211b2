"""Typed models of every kind of fact the explainer holds.

A data file under `data/` is a mapping whose keys are the kinds below (`sources`, `events`, ...),
each holding a list of records. Any file may hold any kinds, so contributors can lay files out by
kind or one per entity. Field descriptions here are published as the data reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .dates import FuzzyDate

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _http_only(url: str) -> str:
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https") or not url.lower().startswith(f"{scheme}://"):
        raise ValueError(f"'{url[:60]}' is not an http(s) URL; only http:// and https:// links are allowed")
    return url


HttpUrl = Annotated[
    str,
    Field(pattern=r"^[hH][tT][tT][pP][sS]?://\S+$", examples=["https://example.org/page"]),
    AfterValidator(_http_only),
]
Text = Annotated[str, Field(min_length=1)]


@dataclass(frozen=True)
class Ref:
    """Marks a field whose value is the id of a record of another kind."""

    kind: str


def Id(prefix: str, example: str, ref: str | None = None) -> type[str]:  # noqa: N802
    """An id: lowercase words joined by hyphens, starting with `prefix`; `ref` names the kind
    it refers to when the field points at another record."""
    pattern = rf"^{prefix}[a-z0-9]+(?:-[a-z0-9]+)*$" if prefix else SLUG
    marks = (Ref(ref),) if ref else ()
    return Annotated[str, Field(pattern=pattern, examples=[example]), *marks]  # type: ignore[return-value]


SourceId = Id("src-", "src-ap-2026-02-06", ref="sources")
ActorId = Id("", "abbas-araghchi", ref="actors")
TopicId = Id("", "enrichment", ref="topics")
QuoteId = Id("q-", "q-rubio-2026-02-04", ref="quotes")
SeriesId = Id("", "talks-2026", ref="series")
SourceRefs = Annotated[
    list[SourceId],
    Field(min_length=1, description="Ids of the sources that support this statement (at least one)."),
]


class Record(BaseModel):
    """Fields shared by every record."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Correction(Record):
    """A published correction to a record: the site lists it with the record and in the feed."""

    date: FuzzyDate
    """Day the correction was made."""
    change: Text
    """What changed, in a sentence."""
    reason: Text
    """Why it changed (e.g. the source was misread, a newer source contradicts it)."""


class Fact(Record):
    """A record that makes statements, so it is sourced and may be corrected."""

    sources: SourceRefs
    unverified: str | None = None
    """Set, with a reason, when the statement could not be confirmed; the site flags it."""
    corrections: list[Correction] = Field(default_factory=list)
    """Corrections made to this record, oldest first."""


class SourceKind(StrEnum):
    """What kind of publication a source is."""

    OFFICIAL = "official-statement"
    NEWS = "news-report"
    WIRE_COPY = "republished-wire-copy"
    REPUBLICATION = "republication"
    TRANSCRIPT = "transcript"
    STATE_MEDIA = "state-media"
    ANALYSIS = "analysis"
    ADVOCACY = "advocacy"
    REFERENCE = "reference"
    BLOG = "blog"
    ARTICLE = "seed-article"


class Source(Record):
    """A publication that facts cite."""

    id: Id("src-", "src-ap-2026-02-06")  # type: ignore[valid-type]
    publisher: Text
    """Who published it, as shown on the page; for a republication, the site and the original."""
    title: Text
    """The headline as published."""
    title_from_url: bool = False
    """True when the headline was not captured and the title was reconstructed from the URL."""
    url: HttpUrl | None = None
    """Address of the page (http or https only). Omit only when unknown, e.g. the seed article."""
    published: FuzzyDate | Literal["unknown"] | None = None
    """Publication date as shown by the page, or `unknown` when the page shows none. Leaving it
    out is allowed but warned about: say which it is."""
    published_approx: FuzzyDate | None = None
    """When `published` is unknown: the date inferred from the content, used for edition cut-offs."""
    accessed: FuzzyDate | None = None
    """Day the page was read."""
    archive_url: HttpUrl | None = None
    """A copy in a web archive."""
    kind: SourceKind
    """Kind of publication."""
    original: str | None = None
    """For republished wire copy or reposts: the original outlet (e.g. `Associated Press`)."""
    reliability: str | None = None
    """Editor's note on how far to trust this source, shown next to it."""
    caution: bool = False
    """True when the source must be corroborated before it is relied on; the site flags it."""
    corrections: list[Correction] = Field(default_factory=list)
    """Corrections made to this record, oldest first."""

    @property
    def known_date(self) -> FuzzyDate | None:
        """The publication date, or the inferred one when the page shows none."""
        return self.published_approx if self.published in ("unknown", None) else self.published


class ActorKind(StrEnum):
    PERSON = "person"
    STATE = "state"
    ORGANISATION = "organisation"
    GROUP = "group"


class Role(Record):
    """A title a person held, for a span of time."""

    title: Text
    """The title, e.g. `Foreign Minister`."""
    of: ActorId | None = None  # type: ignore[valid-type]
    """The state or organisation the title belongs to."""
    start: FuzzyDate | None = Field(default=None, alias="from")
    """When the person took the title, if known."""
    end: FuzzyDate | None = Field(default=None, alias="to")
    """When the person left it; omit while current."""
    sources: SourceRefs


class Actor(Fact):
    """A person, a state, an organisation or a group that takes part in the story."""

    id: Id("", "abbas-araghchi")  # type: ignore[valid-type]
    name: Text
    """Name as the site writes it."""
    kind: ActorKind
    aliases: list[str] = Field(default_factory=list)
    """Other spellings found in sources (e.g. `Araqchi`), so search finds them."""
    affiliation: ActorId | None = None  # type: ignore[valid-type]
    """The state or organisation the actor belongs to."""
    summary: Text
    """Who the actor is and why it matters here, in one or two sentences."""
    roles: list[Role] = Field(default_factory=list)
    """Titles held over time, earliest first."""
    died: FuzzyDate | None = None
    """Date of death, if within the story."""
    party: bool = False
    """True for the principal parties to the talks: they get a column in the positions matrix."""


class Topic(Record):
    """An issue on the table in the talks."""

    id: Id("", "enrichment")  # type: ignore[valid-type]
    name: Text
    """Short name, e.g. `Enrichment`."""
    question: Text
    """The question in dispute, e.g. `May Iran enrich uranium on its own soil?`"""
    order: int = 100
    """Position in the matrix and lists; lower comes first."""


class Stance(StrEnum):
    """How a party stands on a topic; colour-codes the positions matrix."""

    DEMANDS = "demands"
    """Puts the topic on the table with a demand."""
    REJECTS = "rejects"
    """Refuses to negotiate it, or calls it a red line."""
    CONDITIONAL = "conditional"
    """Open to a deal on it under conditions."""
    UNCLEAR = "unclear"
    """No clear stated position, or conflicting signals."""


class Position(Fact):
    """What a party holds on a topic as of a date. Later positions supersede earlier ones."""

    id: Id("pos-", "pos-iran-enrichment-2026-02")  # type: ignore[valid-type]
    actor: ActorId  # type: ignore[valid-type]
    topic: TopicId  # type: ignore[valid-type]
    date: FuzzyDate
    """When the party held this position (the date of the statements it rests on)."""
    stance: Stance
    summary: Text
    """The position in the party's own terms, attributed (`Iran says ...`)."""
    demands: list[Text] = Field(default_factory=list)
    red_lines: list[Text] = Field(default_factory=list)
    flexibility: list[Text] = Field(default_factory=list)
    """Signals of flexibility."""
    quotes: list[QuoteId] = Field(default_factory=list)  # type: ignore[valid-type]
    """Quotes that show the position."""


class EventStatus(StrEnum):
    HELD = "held"
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"


class Event(Fact):
    """Something that happened, or was planned to, at a date."""

    id: Id("evt-", "evt-2026-02-06-muscat-talks")  # type: ignore[valid-type]
    date: FuzzyDate
    title: Text
    """A short headline."""
    summary: Text
    """What happened, attributed where accounts differ."""
    status: EventStatus = EventStatus.HELD
    place: str | None = None
    participants: list[ActorId] = Field(default_factory=list)  # type: ignore[valid-type]
    series: SeriesId | None = None  # type: ignore[valid-type]
    """Id of the series the event belongs to, e.g. a round of talks."""
    topics: list[TopicId] = Field(default_factory=list)  # type: ignore[valid-type]
    key: bool = False
    """True for the episodes a reader must know; they lead the home page and history."""


class Series(Record):
    """A run of related events, such as the 2025 rounds of talks."""

    id: Id("", "talks-2026")  # type: ignore[valid-type]
    name: Text


class Era(Record):
    """A chapter of the history timeline."""

    id: Id("", "revolution")  # type: ignore[valid-type]
    title: Text
    start: FuzzyDate
    end: FuzzyDate


class Quote(Fact):
    """Words someone said or wrote, exactly as a source reports them."""

    id: Id("q-", "q-rubio-2026-02-04")  # type: ignore[valid-type]
    text: Text
    """The words, verbatim from the source. If `unverified` is set, the site paraphrases it."""
    speaker: ActorId  # type: ignore[valid-type]
    date: FuzzyDate
    context: Text
    """Where and when it was said, and to whom."""
    topics: list[TopicId] = Field(default_factory=list)  # type: ignore[valid-type]


class RoleKind(StrEnum):
    HOST = "host"
    MEDIATOR = "mediator"
    PARTY = "party"
    INTERESTED_PARTY = "interested-party"
    BELLIGERENT = "belligerent"
    INSPECTOR = "inspector"


class RegionalRole(Fact):
    """An actor's role in the talks: what it did and what it says it wants."""

    id: Id("role-", "role-oman-2026-02")  # type: ignore[valid-type]
    actor: ActorId  # type: ignore[valid-type]
    role: RoleKind
    date: FuzzyDate
    did: Text
    """What the actor did, dated in the text where it helps."""
    wants: str | None = None
    """What the actor says it wants; omit when no source says."""


class Claim(Record):
    """One side's answer to a contested question."""

    by: list[ActorId] = Field(min_length=1)  # type: ignore[valid-type]
    """Who makes the claim."""
    claim: Text
    sources: SourceRefs
    unverified: str | None = None
    """Set, with a reason, when this claim (not the whole point) could not be confirmed."""


class ContestStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class Contested(Fact):
    """A point in dispute: the question and each side's claim, side by side."""

    id: Id("cp-", "cp-direct-or-indirect")  # type: ignore[valid-type]
    question: Text
    date: FuzzyDate
    """When the dispute arose."""
    claims: list[Claim] = Field(min_length=2)
    status: ContestStatus = ContestStatus.OPEN
    resolution: str | None = None
    """Required when `status` is `resolved`: how it was settled, and by what evidence."""
    topics: list[TopicId] = Field(default_factory=list)  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _resolution_matches_status(self) -> Contested:
        if self.status is ContestStatus.RESOLVED and not self.resolution:
            raise ValueError("a resolved point needs a `resolution` saying how it was settled")
        if self.status is ContestStatus.OPEN and self.resolution:
            raise ValueError("an open point has no `resolution`; set `status: resolved`")
        return self


class Term(Fact):
    """A glossary entry."""

    id: Id("term-", "term-jcpoa")  # type: ignore[valid-type]
    term: Text
    definition: Text


class Edition(Record):
    """A dated cut of the story: the site as it stood at the cut-off."""

    id: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}[a-z0-9-]*$", examples=["2026-02-06"])]
    cutoff: FuzzyDate
    """Last day whose facts the edition includes."""
    title: Text
    summary: Text


class DataFile(Record):
    """One YAML file under `data/`: any of the kinds, each a list of records."""

    sources: list[Source] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    series: list[Series] = Field(default_factory=list)
    eras: list[Era] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    roles: list[RegionalRole] = Field(default_factory=list)
    contested: list[Contested] = Field(default_factory=list)
    glossary: list[Term] = Field(default_factory=list)
    editions: list[Edition] = Field(default_factory=list)


KINDS: dict[str, type[Record]] = {
    name: field.annotation.__args__[0]  # type: ignore[union-attr]
    for name, field in DataFile.model_fields.items()
}
"""Each kind's key in a data file, and the model of its records."""
