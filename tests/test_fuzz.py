"""Property tests: whatever bytes a data file holds, `load_facts` either succeeds or raises a
DataError whose diagnostics name the file at a real line and column, in printable characters;
never anything else. Hostile values in text, id and date fields are refused exactly when an
independent statement of the rules says so, at the value's place."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml
from explainer import DataError, load_facts
from explainer.errors import display_path
from explainer.facts.kinds import KINDS
from explainer.facts.loader import printable
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_TEXT = (ROOT / "tests" / "fixtures" / "data" / "facts.yml").read_text(encoding="utf-8")

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
"""How many examples each property test runs is the profile's (tests/conftest.py): 50, or 150 under CI."""


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data file, rewritten by every example (hypothesis runs examples one at a time)."""
    folder = tmp_path_factory.mktemp("fuzz") / "data"
    folder.mkdir()
    return folder / "fuzz.yml"


def check(target: Path, content: bytes, strict: bool = False) -> None:
    """Load `content` as the only data file; fail on any outcome but success or a DataError
    whose every diagnostic names the file at a line and column inside it."""
    target.write_bytes(content)
    try:
        load_facts(target.parent, strict=strict, cache=False)
    except DataError as exc:
        assert exc.diagnostics, "a DataError with nothing in it"
        # libyaml also breaks lines at \r, \x85, \u2028 and \u2029; splitlines() at all of
        # those and a few more, so it gives an upper bound
        last_line = len(content.decode("utf-8", "replace").splitlines()) + 1
        shown = display_path(target)
        for d in exc.diagnostics:
            assert d.path == shown, str(d)
            assert 1 <= d.line <= last_line + 1, str(d)
            assert d.col >= 1, str(d)
            assert d.severity == "error", str(d)
            assert d.message, str(d)
            assert str(d).isprintable(), str(d)  # nothing a terminal would act on
        assert exc.diagnostics == sorted(exc.diagnostics)


# -- (a) random input ---------------------------------------------------------------------

# Pieces of YAML and of the data format, so random sequences reach past the parser.
TOKENS = [
    "\n",
    "\n",
    "  ",
    "    ",
    "- ",
    ": ",
    ":",
    ",",
    "[",
    "]",
    "{",
    "}",
    "'",
    '"',
    "#",
    "\t",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: ",
    "? ",
    "|\n",
    ">-\n",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "!!str ",
    "!!int ",
    "!!binary ",
    "!!set ",
    "!!python/object/apply:os.system ",
    "!local ",
    "null",
    "~",
    "true",
    "no",
    "0x1F",
    "1e400",
    ".nan",
    "-.inf",
    "0o17",
    "12:30:00",
    "2026-02-06",
    "'2026-02-30'",
    "0000",
    "2026-02-06/2026-01-01",
    "unknown",
    "sources",
    "events",
    "topics",
    "actors",
    "positions",
    "quotes",
    "contested",
    "claims",
    "id",
    "src-a",
    "evt-a",
    "q-a",
    "pos-a",
    "cp-a",
    "party-a",
    "enrichment",
    "sources: [src-a]",
    "url",
    "https://example.org/",
    "javascript:alert(1)",
    "published",
    "date",
    "from",
    "by",
    "é",
    "\u2028",
    "\ufeff",
    "\x00",
    "\x07",
    "\r",
    "\r\n",
]


@FUZZ
@given(text=st.text(max_size=400))
def test_random_text(target, text):
    check(target, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes(target, data):
    check(target, data)


@FUZZ
@given(pieces=st.lists(st.sampled_from(TOKENS), max_size=80), strict=st.booleans())
def test_random_yaml_like_text(target, pieces, strict):
    check(target, "".join(pieces).encode("utf-8", "surrogatepass"), strict)


FIELDS = sorted(
    {name for kind in KINDS.values() for name in kind.model.model_fields} | {"from", "to", "by", "claim", "title", "of"}
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(
        [
            "src-wire-2026-02-06",
            "party-a",
            "enrichment",
            "2026-02-06",
            "2026-02-30",
            "unknown",
            "https://example.org/",
            "ftp://x",
            "news-report",
            "state",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=6)),
    max_leaves=30,
)
DOCUMENTS = st.dictionaries(
    st.sampled_from(sorted(KINDS) + ["sorces", "misc"]),
    st.lists(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8), max_size=4),
    max_size=4,
)


@FUZZ
@given(document=DOCUMENTS, strict=st.booleans())
def test_random_documents_of_the_right_shape(target, document, strict):
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    check(target, text.encode("utf-8", "surrogatepass"), strict)


# -- (b) mutations of the fixture ----------------------------------------------------------

INSERTS = [
    "\t",
    ":",
    ": ",
    "'",
    '"',
    "&a ",
    "*a",
    "!!tag ",
    "!!python/object/apply:os.system ",
    "- ",
    "  ",
    "\n",
    "#",
    "[",
    "{",
    "|",
    "~",
    "?",
    "\x00",
    "é",
    "\xff",
]


@st.composite
def mutations(draw):
    text = FIXTURE_TEXT
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "indent"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "indent":
            lines[i] = draw(st.sampled_from([" ", "  ", "\t"])) + lines[i]
        else:
            line = lines[i]
            p = draw(st.integers(0, max(0, len(line) - 1)))
            if op == "swap" and len(line) >= 2:
                p = min(p, len(line) - 2)
                line = line[:p] + line[p + 1] + line[p] + line[p + 2 :]
            elif op == "insert":
                line = line[:p] + draw(st.sampled_from(INSERTS)) + line[p:]
            lines[i] = line
        text = "\n".join(lines)
    return text


def test_fixture_itself_loads(target):
    check(target, FIXTURE_TEXT.encode())
    assert load_facts(target.parent, cache=False).facts.count == 25


@FUZZ
@given(text=mutations(), strict=st.booleans())
def test_mutated_fixture(target, text, strict):
    # "\xff" is inserted as the character ÿ; as a raw byte it would stop at the decoder
    check(target, text.encode("utf-8", "surrogatepass"), strict)


@FUZZ
@given(text=mutations(), at=st.integers(0, 10_000))
def test_mutated_fixture_with_a_bad_byte(target, text, at):
    raw = text.encode("utf-8")
    at %= len(raw) + 1
    check(target, raw[:at] + b"\xff" + raw[at:])


# -- (c) hostile values against the rules, stated independently ------------------------------

# Characters a hostile value is made of: ASCII, look-alike digits, spaces of every kind, controls,
# bidi and zero-width characters, line and paragraph separators, private use, tags.
HOSTILE = [
    *"aZ09-/ .:'\"\\#",
    *"٠٢٦۲０２６",
    "\t",
    "\n",
    "\r",
    "\x00",
    "\x0b",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9b",
    "\xa0",
    "\u2003",
    "\u3000",
    "\u202f",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u034f",
    "\ufe0f",
    "\u3164",
    "\u200e",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u061c",
    "\u2028",
    "\u2029",
    "\ue000",
    "\U000e0041",
    "\U000f0000",
    "\ufdd0",
    "\uffff",
    "é",
    "ü",
    "ı",
    "ع",
    "濃",
    "😀",
]
HOSTILE_TEXT = st.one_of(
    st.lists(st.sampled_from(HOSTILE), max_size=12).map("".join),
    st.text(max_size=12),
)

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties) beyond the format characters.
_IGNORABLE = [(0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164)]
_IGNORABLE += [(0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0xE0000, 0xE0FFF)]


def shows(ch: str) -> bool:
    """True for a character that prints as itself: not a control, format, separator, private-use
    character, noncharacter or default-ignorable character."""
    code = ord(ch)
    return not (
        unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")
        or any(a <= code <= b for a, b in _IGNORABLE)
        or 0xFDD0 <= code <= 0xFDEF
        or code & 0xFFFE == 0xFFFE
    )


def good_text(text: str) -> bool:
    return bool(text) and text == text.strip() and all(map(shows, text))


def good_id(text: str) -> bool:
    return re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text) is not None


def _date_bounds(text: str) -> tuple[date, date] | None:
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", text)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        first = date(year, 1 if month is None else month, 1 if day is None else day)
        last_month = 12 if month is None else month
        last_day = calendar.monthrange(year, last_month)[1] if day is None else day
        return first, date(year, last_month, last_day)
    except (ValueError, calendar.IllegalMonthError):
        return None


def good_date(text: str) -> bool:
    head, sep, tail = text.partition("/")
    begin = _date_bounds(head)
    if begin is None or not sep:
        return begin is not None and "/" not in tail
    finish = _date_bounds(tail)
    return finish is not None and finish[1] >= begin[0]


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar in printable ASCII, everything else escaped."""
    return (
        '"'
        + "".join("\\" + ch if ch in '"\\' else ch if " " <= ch <= "~" else f"\\U{ord(ch):08x}" for ch in text)
        + '"'
    )


def outcome(target: Path, document: str) -> list[str] | None:
    """None if the data loads, else the printed diagnostics (anything but a DataError fails)."""
    check(target, document.encode("utf-8"))
    try:
        load_facts(target.parent, cache=False)
    except DataError as exc:
        return [str(d) for d in exc.diagnostics]
    return None


@FUZZ
@given(text=HOSTILE_TEXT)
def test_text_is_refused_exactly_when_it_does_not_print_as_itself(target, text):
    problems = outcome(target, f"topics:\n  - id: t\n    name: {quoted(text)}\n    question: Q?\n")
    if good_text(text):
        assert problems is None
        assert load_facts(target.parent, cache=False).facts.records["topics"]["t"].name == text
    else:
        assert problems is not None and len(problems) == 1, problems
        assert problems[0].startswith(f"{display_path(target)}:3:11: error: name: "), problems


@FUZZ
@given(text=HOSTILE_TEXT | st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True))
def test_ids_are_refused_exactly_when_they_are_not_ascii_words(target, text):
    problems = outcome(target, f"topics:\n  - id: {quoted(text)}\n    name: N\n    question: Q?\n")
    if good_id(text):
        assert problems is None
    else:
        assert problems == [
            f"{display_path(target)}:2:9: error: '{printable(text)}' is not a valid id for 'id': "
            "ids are lowercase words joined by hyphens, such as `enrichment`"
        ]


DATE_LIKE = st.lists(
    st.sampled_from([*"0123456789", "-", "/", "٢", "۲", "２", "\n", " ", "\u200b", "\x00"]),
    min_size=4,
    max_size=21,
).map("".join) | st.from_regex(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(/[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?", fullmatch=True)


@FUZZ
@given(text=DATE_LIKE)
def test_dates_are_refused_exactly_when_they_are_not_ascii_calendar_dates(target, text):
    source = (
        "sources:\n  - id: src-a\n    publisher: P\n    title: T\n    url: https://example.org/\n"
        f"    published: {quoted(text)}\n    kind: news-report\n"
    )
    problems = outcome(target, source)
    if good_date(text):
        assert problems is None
    else:
        assert problems is not None and len(problems) == 1, problems
        assert problems[0].startswith(f"{display_path(target)}:6:16: error: published: "), problems


@FUZZ
@given(key=HOSTILE_TEXT.filter(lambda k: k not in {"id", "name", "question", "order"}))
def test_a_hostile_key_is_named_escaped(target, key):
    problems = outcome(target, f"topics:\n  - id: t\n    name: N\n    question: Q?\n    {quoted(key)}: x\n")
    assert problems is not None and len(problems) == 1, problems
    assert problems[0].startswith(f"{display_path(target)}:5:5: error: unknown field '{printable(key)}'"), problems
