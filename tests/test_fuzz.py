"""Property tests: whatever bytes a data file holds, `load_facts` either succeeds or raises a
DataError whose diagnostics name the file at a real line and column; never anything else."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from explainer import DataError, load_facts
from explainer.errors import display_path
from explainer.facts.kinds import KINDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_TEXT = (ROOT / "tests" / "fixtures" / "data" / "facts.yml").read_text(encoding="utf-8")

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


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
