"""Typed models of every kind of fact the explainer holds.

A data file under `data/` is a mapping whose keys are the kinds below (`sources`, `events`, ...),
each holding a list of records. Any file may hold any kinds, so contributors can lay files out by
kind or one per entity. Field descriptions here are published as the data reference.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
import sys
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StrictBool,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from .dates import FuzzyDate


def _http_only(url: str) -> str:
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https") or not url.lower().startswith(f"{scheme}://"):
        raise ValueError(f"'{url[:60]}' is not an http(s) URL; only http:// and https:// links are allowed")
    return url


URL_PATTERN = r"^[hH][tT][tT][pP][sS]?://[!-~]+$"
"""An http(s) URL in printable ASCII: other characters are percent-encoded (hosts in punycode), so
no look-alike letter, invisible or bidi character can disguise where a link goes."""
HttpUrl = Annotated[
    str,
    Field(pattern=URL_PATTERN, examples=["https://example.org/page"]),
    AfterValidator(_http_only),
]

UNPRINTABLE = (
    (0x0000, 0x001F),  # C0 controls: NUL, tab, line feed, carriage return, escape...
    (0x007F, 0x009F),  # DEL and C1 controls, NEL (U+0085) among them
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x0600, 0x0605),  # Arabic number signs (format characters)
    (0x061C, 0x061C),  # Arabic letter mark (bidi)
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),  # Hangul fillers: letters that show nothing
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),  # Mongolian variation selectors and vowel separator
    (0x200B, 0x200F),  # zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
    (0x2028, 0x202E),  # line and paragraph separators; bidi embeddings and overrides
    (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates
    (0x3164, 0x3164),  # Hangul filler
    (0xE000, 0xF8FF),  # private use
    (0xFDD0, 0xFDEF),  # noncharacters
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # zero-width no-break space (byte order mark)
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xFFF0, 0xFFFB),  # interlinear annotation
    (0xFFFE, 0xFFFF),  # noncharacters
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),  # Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical format controls
    (0xE0000, 0xE0FFF),  # tags and variation selectors supplement
    (0xF0000, 0x10FFFF),  # private use planes
)
"""Characters refused in text: every control, format (bidi, zero-width), line or paragraph
separator and private-use character, and the default-ignorable ones, which display as nothing."""


def char_class(ranges: tuple[tuple[int, int], ...] = UNPRINTABLE, astral: bool = True) -> str:
    """The inside of a regex character class matching `ranges`, in escapes that pydantic-core's,
    Python's and (without `astral`) ECMAScript's engines all read."""

    def esc(code: int) -> str:
        return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"

    return "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in ranges if astral or b <= 0xFFFF)


def describe(char: str) -> str:
    """A character as messages name it: `U+202E RIGHT-TO-LEFT OVERRIDE`, `control character U+001B`."""
    code, name = f"U+{ord(char):04X}", unicodedata.name(char, "")
    if name:
        return f"{code} {name}"
    return f"{'control' if unicodedata.category(char) == 'Cc' else 'private-use or unassigned'} character {code}"


TEXT_PATTERN = rf"^[^\s{char_class()}](?:[^{char_class()}]*[^\s{char_class()}])?$"
"""Text: printable characters, at least one, no line break, not starting or ending with a space.
Checked by pydantic-core's regex engine, where `$` is the end of the text."""
_JSON_TEXT_PATTERN = rf"^(?!\s)[^{char_class(astral=False)}]*(?<!\s)$"
"""TEXT_PATTERN as editors' ECMAScript engines read it (characters beyond U+FFFF left out)."""
UNPRINTABLE_RE = re.compile(f"[{char_class()}]")
"""Finds a character refused in text."""


@dataclass(frozen=True)
class Printable:
    """Marks a field of text that people read: see TEXT_PATTERN."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.str_schema(min_length=1, pattern=TEXT_PATTERN)

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "minLength": 1, "pattern": _JSON_TEXT_PATTERN}


Text = Annotated[str, Printable()]
"""Every field of text: names, titles, summaries, quotes, notes. Text is one line, because pages
set it inside HTML blocks, where a blank line would end the block and let Markdown read the rest.
YAML's folded style (`>-`) still wraps a long value over several lines of the file."""


def text_problem(text: str) -> str:
    """Why TEXT_PATTERN refuses `text`, in a contributor's words."""
    bad = UNPRINTABLE_RE.search(text)
    if bad:
        char, at = bad.group(), bad.start() + 1
        if char in "\n\r":
            return (
                f"line break at character {at}: text is one line; write long text folded (`>-`) "
                "or over indented lines, which YAML joins with spaces"
            )
        return f"{describe(char)} at character {at} is invisible or changes how text shows: remove it"
    if not text.strip():
        return "only spaces: write the text"
    where = "starts" if text[0].isspace() else "ends"
    return f"{where} with a space: remove it"


@dataclass(frozen=True)
class Ref:
    """Marks a field whose value is the id of a record of another kind (its key in a data file)."""

    kind: str


@dataclass(frozen=True)
class IdShape:
    """Marks an id field: lowercase ASCII words joined by hyphens, starting with `prefix`."""

    prefix: str
    example: str

    @property
    def pattern(self) -> str:
        return rf"^{self.prefix}[a-z0-9]+(?:-[a-z0-9]+)*$"

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        # pydantic-core's regex engine: `$` is the end of the text, and `[a-z0-9]` is ASCII only.
        return core_schema.str_schema(pattern=self.pattern)

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "pattern": self.pattern, "examples": [self.example]}


SourceId = Annotated[str, IdShape("src-", "src-ap-2026-02-06"), Ref("sources")]
ActorId = Annotated[str, IdShape("", "abbas-araghchi"), Ref("actors")]
TopicId = Annotated[str, IdShape("", "enrichment"), Ref("topics")]
QuoteId = Annotated[str, IdShape("q-", "q-rubio-2026-02-04"), Ref("quotes")]
SeriesId = Annotated[str, IdShape("", "talks-2026"), Ref("series")]
SourceRefs = Annotated[
    list[SourceId],
    Field(min_length=1, description="Ids of the sources that support this statement (at least one)."),
]


EDITION_ID = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[a-z0-9-]*$"
"""An edition id: its cut-off date in ASCII digits, optionally followed by a suffix."""


class CutRule(StrEnum):
    """How an edition's cut-off decides whether a record of a kind is in the edition."""

    ALWAYS = "always"
    """Always in: the record states nothing that can go out of date (a topic, a series)."""
    PUBLISHED = "published"
    """In once published (sources)."""
    STARTED = "started"
    """In once it has begun (eras, editions)."""
    SOURCED = "sourced"
    """In when dated by the cut-off and every source it cites is published by then (else its newest
    earlier version that is, if it has one); its references too."""


@functools.cache
def _attribute_docs(module: str) -> dict[str, dict[str, str]]:
    """The docstring under each annotated attribute of each class of `module`, by class name, from
    one parse of its source: what pydantic's `use_attribute_docstrings` reads, which walks the
    call stack and tokenizes the source again for every class (a seventh of importing the engine)."""
    docs: dict[str, dict[str, str]] = {}
    for node in ast.parse(inspect.getsource(sys.modules[module])).body:
        if isinstance(node, ast.ClassDef):
            found = docs[node.name] = {}
            for before, stmt in zip(node.body, node.body[1:], strict=False):
                text = stmt.value.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) else None
                if isinstance(text, str) and isinstance(before, ast.AnnAssign) and isinstance(before.target, ast.Name):
                    found[before.target.id] = inspect.cleandoc(text)
    return docs


def describe_fields(model: type[BaseModel]) -> None:
    """Give each field of `model` without a description the docstring written under it, as
    `use_attribute_docstrings` does (before the model's schema is built: it is deferred)."""
    written = _attribute_docs(model.__module__).get(model.__qualname__, {})
    for name, info in model.model_fields.items():
        if info.description is None and name in written:
            info.description = written[name]


class Record(BaseModel):
    """Fields shared by every record."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        describe_fields(cls)

    noun: ClassVar[str] = "record"
    """What one record of the kind is called in messages and on pages."""
    home: ClassVar[str] = ""
    """Where a record lives on the site: a URL template over its fields, '' for nowhere."""
    cut: ClassVar[CutRule] = CutRule.SOURCED
    """How an edition's cut-off treats records of the kind."""

    def home_url(self) -> str:
        """The site URL (from the root, directory style) of the page where the record lives."""
        return self.home.format_map(self.__dict__) if self.home else ""

    def label(self) -> str:
        """A short human label for back-links."""
        for attr in ("title", "name", "question", "term"):
            value = getattr(self, attr, None)
            if isinstance(value, str):
                return value
        return str(getattr(self, "id", self.noun))


def _not_before_start(end: FuzzyDate | None, info: ValidationInfo) -> FuzzyDate | None:
    """Refuse an end (`end`, `to`) that is over before its start (`start`, `from`) begins."""
    start = info.data.get("start")
    if end is not None and isinstance(start, FuzzyDate) and end.end < start.start:
        raise ValueError(f"'{end}' is before the start, '{start}': the end cannot come first")
    return end


AS_OF_DOC = (
    "The date from which this text holds. Optional on the record itself; with earlier versions, an "
    "edition before it shows the newest earlier version instead."
)
EARLIER_DOC = (
    "Earlier texts of this record, oldest first, each with its own `as_of` date (and sources): an "
    "edition shows the newest text whose date has come and whose sources were all published by its "
    "cut-off. Add a version rather than edit history away."
)


class Version(BaseModel):
    """An earlier text of a record, as it stood from `as_of` (like a Wikidata qualifier).

    A version holds only the fields that change as the story moves. A field it leaves out keeps
    the record's value only where the field says so; a text it must give. The record itself is
    the newest version."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        describe_fields(cls)

    keeps: ClassVar[frozenset[str]] = frozenset()
    """Fields that, left out of a version, keep the record's value."""

    as_of: FuzzyDate
    """The date from which this text holds."""


describe_fields(Version)  # its subclasses describe theirs when made


class SourcedVersion(Version):
    """An earlier text of a sourced record: it is shown only when all its own sources are."""

    sources: SourceRefs
    unverified: Text | None = None
    """Set, with a reason, when this text could not be confirmed."""


def _versions_in_order(earlier: list[Any], info: ValidationInfo) -> list[Any]:
    """Refuse versions out of order: oldest first, each before the next and before the record's
    own `as_of` (a field written before `earlier`, so already validated)."""
    own = info.data.get("as_of")
    dates = [v.as_of for v in earlier] + ([own] if isinstance(own, FuzzyDate) else [])
    for before, after in zip(dates, dates[1:], strict=False):
        if after.sort_key() <= before.sort_key():
            raise ValueError(
                f"versions go oldest first, each before the next and before the record's own `as_of`: "
                f"'{after}' does not come after '{before}'"
            )
    return earlier


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
    unverified: Text | None = None
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

    noun = "source"
    home = "sources/#{id}"
    cut = CutRule.PUBLISHED

    id: Annotated[str, IdShape("src-", "src-ap-2026-02-06")]
    publisher: Text
    """Who published it, as shown on the page; for a republication, the site and the original."""
    title: Text
    """The headline as published."""
    title_from_url: StrictBool = False
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
    original: Text | None = None
    """For republished wire copy or reposts: the original outlet (e.g. `Associated Press`)."""
    reliability: Text | None = None
    """Editor's note on how far to trust this source, shown next to it."""
    caution: StrictBool = False
    """True when the source must be corroborated before it is relied on; the site flags it."""
    corrections: list[Correction] = Field(default_factory=list)
    """Corrections made to this record, oldest first."""

    @property
    def known_date(self) -> FuzzyDate | None:
        """The publication date, or the inferred one when the page shows none."""
        return self.published if isinstance(self.published, FuzzyDate) else self.published_approx


class ActorKind(StrEnum):
    PERSON = "person"
    STATE = "state"
    ORGANISATION = "organisation"
    GROUP = "group"


class Role(Record):
    """A title a person held, for a span of time."""

    title: Text
    """The title, e.g. `Foreign Minister`."""
    of: ActorId | None = None
    """The state or organisation the title belongs to."""
    start: FuzzyDate | None = Field(default=None, alias="from")
    """When the person took the title, if known."""
    end: FuzzyDate | None = Field(default=None, alias="to")
    """When the person left it; omit while current. The role must then cite a source published on
    or after this date, since only such a source can report the end; an edition shows the role
    only when all its sources are published by the cut-off, and an end after the cut-off not at
    all."""
    sources: SourceRefs

    @field_validator("end")
    @classmethod
    def _ends_after_start(cls, end: FuzzyDate | None, info: ValidationInfo) -> FuzzyDate | None:
        return _not_before_start(end, info)


class ActorVersion(SourcedVersion):
    """An actor as it was described from `as_of`, before the record's own text."""

    keeps = frozenset({"roles"})

    summary: Text
    """Who the actor was and why it mattered, as known from `as_of`."""
    roles: list[Role] | None = None
    """Titles held as known from `as_of`; leave out to keep the actor's own roles (each role is
    shown by its own dates and sources)."""
    died: FuzzyDate | None = None
    """Date of death, if this version reports it (not taken from the record)."""


class Actor(Fact):
    """A person, a state, an organisation or a group that takes part in the story."""

    noun = "actor"
    home = "people/{id}/"

    id: Annotated[str, IdShape("", "abbas-araghchi")]
    name: Text
    """Name as the site writes it."""
    kind: ActorKind
    aliases: list[Text] = Field(default_factory=list)
    """Other spellings found in sources (e.g. `Araqchi`), so search finds them."""
    affiliation: ActorId | None = None
    """The state or organisation the actor belongs to."""
    summary: Text
    """Who the actor is and why it matters here, in one or two sentences."""
    roles: list[Role] = Field(default_factory=list)
    """Titles held over time, earliest first."""
    died: FuzzyDate | None = None
    """Date of death, if within the story."""
    party: StrictBool = False
    """True for the principal parties to the talks: they get a column in the positions matrix."""
    as_of: FuzzyDate | None = Field(default=None, description=AS_OF_DOC)
    earlier: Annotated[list[ActorVersion], AfterValidator(_versions_in_order)] = Field(
        default_factory=list, description=EARLIER_DOC
    )


class TopicVersion(Version):
    """A topic's wording from `as_of`, before the record's own."""

    keeps = frozenset({"name"})

    name: Text | None = None
    """Short name; leave out to keep the topic's name."""
    question: Text
    """The question in dispute, as worded from `as_of`."""


class Topic(Record):
    """An issue on the table in the talks."""

    noun = "topic"
    home = "topics/{id}/"
    cut = CutRule.ALWAYS

    id: Annotated[str, IdShape("", "enrichment")]
    name: Text
    """Short name, e.g. `Enrichment`."""
    question: Text
    """The question in dispute, e.g. `May Iran enrich uranium on its own soil?`"""
    order: StrictInt = 100
    """Position in the matrix and lists; lower comes first."""
    as_of: FuzzyDate | None = Field(default=None, description=AS_OF_DOC)
    earlier: Annotated[list[TopicVersion], AfterValidator(_versions_in_order)] = Field(
        default_factory=list, description=EARLIER_DOC
    )


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

    noun = "position"
    home = "topics/{topic}/#{id}"

    id: Annotated[str, IdShape("pos-", "pos-iran-enrichment-2026-02")]
    actor: ActorId
    topic: TopicId
    date: FuzzyDate
    """When the party held this position (the date of the statements it rests on)."""
    stance: Stance
    summary: Text
    """The position in the party's own terms, attributed (`Iran says ...`)."""
    demands: list[Text] = Field(default_factory=list)
    red_lines: list[Text] = Field(default_factory=list)
    flexibility: list[Text] = Field(default_factory=list)
    """Signals of flexibility."""
    quotes: list[QuoteId] = Field(default_factory=list)
    """Quotes that show the position."""

    def label(self) -> str:
        return f"{self.actor} on {self.topic}, {self.date.human()}"


class EventStatus(StrEnum):
    HELD = "held"
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"


class Reports(StrEnum):
    """What an event's sources report, when it is not what happened."""

    PLAN = "plan"
    """A plan or an announcement made before the date."""
    FORECAST = "forecast"
    """A forecast or an expectation."""


class EventVersion(SourcedVersion):
    """An event as it was reported from `as_of`, before the record's own text."""

    keeps = frozenset({"title", "participants"})

    title: Text | None = None
    """A short headline; leave out to keep the event's title."""
    summary: Text
    """What happened, as reported from `as_of`."""
    participants: list[ActorId] | None = None
    """Who took part, as reported from `as_of`; leave out to keep the event's participants."""


class Event(Fact):
    """Something that happened, or was planned to, at a date.

    A source cannot report what has not happened yet: `check` refuses a source published before
    the event's date, unless the event is a plan or a forecast (`reports`, or a status other
    than `held`)."""

    noun = "event"
    home = "history/#{id}"

    id: Annotated[str, IdShape("evt-", "evt-2026-02-06-muscat-talks")]
    date: FuzzyDate
    title: Text
    """A short headline."""
    summary: Text
    """What happened, attributed where accounts differ."""
    status: EventStatus = EventStatus.HELD
    place: Text | None = None
    participants: list[ActorId] = Field(default_factory=list)
    series: SeriesId | None = None
    """Id of the series the event belongs to, e.g. a round of talks."""
    topics: list[TopicId] = Field(default_factory=list)
    key: StrictBool = False
    """True for the episodes a reader must know; they lead the home page and history."""
    reports: Reports | None = None
    """Set when the sources report a plan (`plan`) or a forecast (`forecast`) rather than what
    happened, so they may be published before the date. A `scheduled`, `postponed` or
    `cancelled` event counts as a plan."""
    overtakes: StrictBool = False
    """True when the event changed the situation its participants' stated positions answered (a
    war, a new leader): the positions matrix notes beside each position of a participant stated
    before it that it predates this event."""
    as_of: FuzzyDate | None = Field(default=None, description=AS_OF_DOC)
    earlier: Annotated[list[EventVersion], AfterValidator(_versions_in_order)] = Field(
        default_factory=list, description=EARLIER_DOC
    )

    @property
    def is_plan(self) -> bool:
        """True when the event's sources report a plan or a forecast, not what happened."""
        return self.reports is not None or self.status is not EventStatus.HELD


class Series(Record):
    """A run of related events, such as the 2025 rounds of talks."""

    noun = "series"
    cut = CutRule.ALWAYS

    id: Annotated[str, IdShape("", "talks-2026")]
    name: Text


class EraVersion(Version):
    """An era's title from `as_of`, before the record's own."""

    title: Text


class Era(Record):
    """A chapter of the history timeline. An edition shows an era once it has begun, ending at
    the edition's cut-off if it runs past it."""

    noun = "era"
    cut = CutRule.STARTED

    id: Annotated[str, IdShape("", "revolution")]
    title: Text
    start: FuzzyDate
    end: FuzzyDate
    as_of: FuzzyDate | None = Field(default=None, description=AS_OF_DOC)
    earlier: Annotated[list[EraVersion], AfterValidator(_versions_in_order)] = Field(
        default_factory=list, description=EARLIER_DOC
    )

    @field_validator("end")
    @classmethod
    def _ends_after_start(cls, end: FuzzyDate | None, info: ValidationInfo) -> FuzzyDate | None:
        return _not_before_start(end, info)


class Quote(Fact):
    """Words someone said or wrote, exactly as a source reports them."""

    noun = "quote"
    home = "people/{speaker}/#{id}"

    id: Annotated[str, IdShape("q-", "q-rubio-2026-02-04")]
    text: Text
    """The words, verbatim from the source. If `unverified` is set, the site paraphrases it."""
    speaker: ActorId
    date: FuzzyDate
    context: Text
    """Where and when it was said, and to whom."""
    topics: list[TopicId] = Field(default_factory=list)

    def label(self) -> str:
        return f"quote, {self.date.human()}"


class RoleKind(StrEnum):
    HOST = "host"
    MEDIATOR = "mediator"
    PARTY = "party"
    INTERESTED_PARTY = "interested-party"
    BELLIGERENT = "belligerent"
    INSPECTOR = "inspector"


class RegionalRoleVersion(SourcedVersion):
    """An actor's role as it was described from `as_of`, before the record's own text."""

    did: Text
    """What the actor did, as known from `as_of`."""
    wants: Text | None = None
    """What the actor said it wanted, as known from `as_of` (not taken from the record)."""


class RegionalRole(Fact):
    """An actor's role in the talks: what it did and what it says it wants."""

    noun = "regional role"
    home = "regional-roles/#{id}"

    id: Annotated[str, IdShape("role-", "role-oman-2026-02")]
    actor: ActorId
    role: RoleKind
    date: FuzzyDate
    did: Text
    """What the actor did, dated in the text where it helps."""
    wants: Text | None = None
    """What the actor says it wants; omit when no source says."""
    as_of: FuzzyDate | None = Field(default=None, description=AS_OF_DOC)
    earlier: Annotated[list[RegionalRoleVersion], AfterValidator(_versions_in_order)] = Field(
        default_factory=list, description=EARLIER_DOC
    )

    def label(self) -> str:
        return f"{self.actor}: {self.role.value}, {self.date.human()}"


class Claim(Record):
    """One side's answer to a contested question."""

    by: list[ActorId] = Field(min_length=1)
    """Who makes the claim."""
    claim: Text
    sources: SourceRefs
    unverified: Text | None = None
    """Set, with a reason, when this claim (not the whole point) could not be confirmed."""


class ContestStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class Contested(Fact):
    """A point in dispute: the question and each side's claim, side by side."""

    noun = "contested point"
    home = "contested/{id}/"

    id: Annotated[str, IdShape("cp-", "cp-direct-or-indirect")]
    question: Text
    date: FuzzyDate
    """When the dispute arose."""
    claims: list[Claim] = Field(min_length=2)
    status: ContestStatus = ContestStatus.OPEN
    resolution: Text | None = None
    """Required when `status` is `resolved`: how it was settled, and by what evidence."""
    topics: list[TopicId] = Field(default_factory=list)

    @model_validator(mode="after")
    def _resolution_matches_status(self) -> Contested:
        if self.status is ContestStatus.RESOLVED and not self.resolution:
            raise ValueError("a resolved point needs a `resolution` saying how it was settled")
        if self.status is ContestStatus.OPEN and self.resolution:
            raise ValueError("an open point has no `resolution`; set `status: resolved`")
        return self


class TermVersion(SourcedVersion):
    """A glossary definition from `as_of`, before the record's own."""

    definition: Text
    """The definition as it stood from `as_of`."""


class Term(Fact):
    """A glossary entry."""

    noun = "glossary term"
    home = "glossary/#{id}"

    id: Annotated[str, IdShape("term-", "term-jcpoa")]
    term: Text
    definition: Text
    as_of: FuzzyDate | None = Field(default=None, description=AS_OF_DOC)
    earlier: Annotated[list[TermVersion], AfterValidator(_versions_in_order)] = Field(
        default_factory=list, description=EARLIER_DOC
    )


class Edition(Record):
    """A dated cut of the story: the site as it stood at the cut-off."""

    noun = "edition"
    cut = CutRule.STARTED

    id: Annotated[str, Field(pattern=EDITION_ID, examples=["2026-02-06"])]
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
