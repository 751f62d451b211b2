"""Values a hostile or careless pull request could write, replayed through the loader: text that
hides or reorders itself or breaks the feed's XML, ids and dates in look-alike digits, an era
that ends before it starts, `yes` as a number, URLs that disguise where they go. Each is refused
with the exact diagnostic at the value's `path:line:col`."""

from __future__ import annotations

import typing

import pytest
from explainer import load_facts
from explainer.facts.kinds import KINDS
from explainer.facts.models import EDITION_ID, URL_PATTERN, IdShape, Printable
from pydantic import BaseModel
from snippets import SOURCE


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar in ASCII, every other character escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) <= 0xFF else f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def topic(name: str) -> str:
    """A topic whose name (line 3, column 11) is `name`."""
    return f"topics:\n  - id: enrichment\n    name: {quoted(name)}\n    question: Q?\n"


INVISIBLE = "is invisible or changes how text shows: remove it"
LINE_BREAK = "text is one line; write long text folded (`>-`) or over indented lines, which YAML joins with spaces"


# -- text -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, problem",
    [
        ("Enrich\x00ment", f"control character U+0000 at character 7 {INVISIBLE}"),
        ("Enrich\x0bment", f"control character U+000B at character 7 {INVISIBLE}"),
        ("\x1b[2JEnrichment", f"control character U+001B at character 1 {INVISIBLE}"),
        ("Enrich\tment", f"control character U+0009 at character 7 {INVISIBLE}"),
        ("Enrich\x85ment", f"control character U+0085 at character 7 {INVISIBLE}"),
        ("Enrichment\x7f", f"control character U+007F at character 11 {INVISIBLE}"),
        ("Enrich\nment", f"line break at character 7: {LINE_BREAK}"),
        ("Enrichment\n", f"line break at character 11: {LINE_BREAK}"),
        ("Enrich\r\nment", f"line break at character 7: {LINE_BREAK}"),
        ("Enrich\u2028ment", f"U+2028 LINE SEPARATOR at character 7 {INVISIBLE}"),
        ("Enrich\u2029ment", f"U+2029 PARAGRAPH SEPARATOR at character 7 {INVISIBLE}"),
        ("Party \u202eB", f"U+202E RIGHT-TO-LEFT OVERRIDE at character 7 {INVISIBLE}"),
        ("Party \u2066B\u2069", f"U+2066 LEFT-TO-RIGHT ISOLATE at character 7 {INVISIBLE}"),
        ("Party\u200fB", f"U+200F RIGHT-TO-LEFT MARK at character 6 {INVISIBLE}"),
        ("Party\u061cB", f"U+061C ARABIC LETTER MARK at character 6 {INVISIBLE}"),
        ("Enrich\u200bment", f"U+200B ZERO WIDTH SPACE at character 7 {INVISIBLE}"),
        ("Enrich\u200dment", f"U+200D ZERO WIDTH JOINER at character 7 {INVISIBLE}"),
        ("Enrich\u2060ment", f"U+2060 WORD JOINER at character 7 {INVISIBLE}"),
        ("Enrich\ufeffment", f"U+FEFF ZERO WIDTH NO-BREAK SPACE at character 7 {INVISIBLE}"),
        ("Enrich\u00adment", f"U+00AD SOFT HYPHEN at character 7 {INVISIBLE}"),
        ("Enrich\ufe0fment", f"U+FE0F VARIATION SELECTOR-16 at character 7 {INVISIBLE}"),
        ("\u3164", f"U+3164 HANGUL FILLER at character 1 {INVISIBLE}"),
        ("Enrich\ue000ment", f"private-use or unassigned character U+E000 at character 7 {INVISIBLE}"),
        ("Enrich\U000e0041ment", f"U+E0041 TAG LATIN CAPITAL LETTER A at character 7 {INVISIBLE}"),
        (" ", "only spaces: write the text"),
        ("\u3000\u00a0 \u2003", "only spaces: write the text"),
        (" Enrichment", "starts with a space: remove it"),
        ("Enrichment\u00a0", "ends with a space: remove it"),
    ],
)
def test_text_must_be_printable(name, problem, write, diagnostics):
    write("a.yml", topic(name))
    assert diagnostics() == [f"data/a.yml:3:11: error: name: {problem}"]


@pytest.mark.parametrize(
    "name",
    ["Enrichment", "Énrichissement à l’uranium", "Anreicherung – „Urteil“", "ایران", "濃縮", "a\u00a0b", "😀"],
)
def test_printable_text_in_any_script_is_kept_exactly(name, data_dir, write):
    write("a.yml", topic(name))
    assert load_facts(data_dir, cache=False).facts.records["topics"]["enrichment"].name == name


def test_zero_width_non_joiner_is_refused_even_in_persian(write, diagnostics):
    # A cost of the rule: Persian spells some words with U+200C; the site writes them without.
    write("a.yml", topic("غنی\u200cسازی"))
    assert diagnostics() == [f"data/a.yml:3:11: error: name: U+200C ZERO WIDTH NON-JOINER at character 4 {INVISIBLE}"]


def test_empty_text_keeps_its_message(write, diagnostics):
    write("a.yml", topic(""))
    assert diagnostics() == ["data/a.yml:3:11: error: name: String should have at least 1 character"]


def test_folded_text_with_a_final_line_break_says_how_to_fold(write, diagnostics):
    write("a.yml", "topics:\n  - id: t\n    name: >\n      Enrichment of\n      uranium\n    question: Q?\n")
    assert diagnostics() == [f"data/a.yml:3:11: error: name: line break at character 22: {LINE_BREAK}"]


def test_folded_text_without_a_final_line_break_is_one_line(data_dir, write):
    write("a.yml", "topics:\n  - id: t\n    name: >-\n      Enrichment of\n      uranium\n    question: Q?\n")
    assert load_facts(data_dir, cache=False).facts.records["topics"]["t"].name == "Enrichment of uranium"


@pytest.mark.parametrize(
    "record, line, col, field",
    [
        ("    publisher: {}\n", 7, 16, "publisher"),
        ("    reliability: {}\n", 7, 18, "reliability"),
        ("    original: {}\n", 7, 15, "original"),
        ("    corrections:\n      - date: '2026-02-07'\n        change: {}\n        reason: R\n", 9, 17, "change"),
    ],
)
def test_every_text_field_is_checked(record, line, col, field, write, diagnostics):
    text = SOURCE.replace("    publisher: Example Wire\n", "") + record.format(quoted("Wire\u202eeriW"))
    if field != "publisher":
        text += "    publisher: Example Wire\n"
    write("a.yml", text)
    assert diagnostics() == [
        f"data/a.yml:{line}:{col}: error: {field}: U+202E RIGHT-TO-LEFT OVERRIDE at character 5 {INVISIBLE}"
    ]


def _leaves(model: type[BaseModel], seen: set[type]) -> typing.Iterator[tuple[str, typing.Any, list[typing.Any]]]:
    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():
        stack = [(info.annotation, list(info.metadata))]
        while stack:
            annotation, marks = stack.pop()
            if typing.get_origin(annotation) is typing.Annotated:
                base, *extra = typing.get_args(annotation)
                stack.append((base, marks + extra))
            elif typing.get_args(annotation):
                stack.extend((arg, marks) for arg in typing.get_args(annotation))
            elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
                yield from _leaves(annotation, seen)
            else:
                yield f"{model.__name__}.{name}", annotation, marks


def _shape(marks: list[typing.Any]) -> str:
    patterns = {getattr(m, "pattern", None) for m in marks} | {
        getattr(g, "pattern", None) for m in marks for g in getattr(m, "metadata", [])
    }
    if any(isinstance(m, Printable) for m in marks):
        return "text"
    if any(isinstance(m, IdShape) for m in marks) or EDITION_ID in patterns:
        return "id"
    if URL_PATTERN in patterns:
        return "url"
    return "unconstrained"


def test_every_string_field_is_text_an_id_or_a_url():
    leaves = [leaf for kind in KINDS.values() for leaf in _leaves(kind.model, set())]
    strings = {name: _shape(marks) for name, annotation, marks in leaves if annotation is str}
    assert "Source.title" in strings and "Role.title" in strings and "Claim.claim" in strings
    assert {name: shape for name, shape in strings.items() if shape == "unconstrained"} == {}


# -- ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, shown",
    [
        ('"enrichment\\n"', r"enrichment\n"),
        ('"enrichment\\u200b"', r"enrichment\u200b"),
        ('"enrichment-\\u0662"', "enrichment-٢"),
        ('"ｅnrichment"', "ｅnrichment"),
        ('"enrichment\\e[0m"', r"enrichment\x1b[0m"),
    ],
)
def test_ids_are_ascii_to_the_end(written, shown, write, diagnostics):
    write("a.yml", f"topics:\n  - id: {written}\n    name: N\n    question: Q?\n")
    assert diagnostics() == [
        f"data/a.yml:2:9: error: '{shown}' is not a valid id for 'id': "
        "ids are lowercase words joined by hyphens, such as `enrichment`"
    ]


def test_references_are_ascii_ids_too(write, diagnostics):
    write(
        "a.yml",
        SOURCE + "events:\n  - id: evt-a\n    date: '2026-02-06'\n    title: T\n    summary: S.\n"
        '    sources: ["src-wire-2026-02-06\\n"]\n',
    )
    assert diagnostics() == [
        "data/a.yml:13:15: error: 'src-wire-2026-02-06\\n' is not a valid id for 'sources': "
        "source ids look like `src-ap-2026-02-06`"
    ]


@pytest.mark.parametrize(
    "written, shown",
    [
        ('"2026-02-06\\n"', r"2026-02-06\n"),
        ('"٢٠٢٦-٠٢-٠٦"', "٢٠٢٦-٠٢-٠٦"),
        ('"２０２６-02-06"', "２０２６-02-06"),
        ('"2026-02-06\\u200b"', r"2026-02-06\u200b"),
    ],
)
def test_edition_ids_are_ascii_dates(written, shown, write, diagnostics):
    write("a.yml", f"editions:\n  - id: {written}\n    cutoff: '2026-02-06'\n    title: T\n    summary: S.\n")
    assert diagnostics() == [
        f"data/a.yml:2:9: error: '{shown}' is not a valid id for 'id': edition ids are dates such as `2026-02-06`"
    ]


# -- dates ------------------------------------------------------------------------------------

NOT_A_DATE = "is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"


@pytest.mark.parametrize(
    "written, shown",
    [
        ('"2026-02-06\\n"', r"2026-02-06\n"),
        ('"2026\\n"', r"2026\n"),
        ('"٢٠٢٦-٠٢-٠٦"', "٢٠٢٦-٠٢-٠٦"),
        ('"２０２６-０２-０６"', "２０２６-０２-０６"),
        ('"２０２６"', "２０２６"),
        ('"2026-02-0\\u0666"', "2026-02-0٦"),
        ('"\\u202e2026-02-06"', r"\u202e2026-02-06"),
        ('" 2026-02-06"', " 2026-02-06"),
    ],
)
def test_dates_are_ascii_digits_to_the_end(written, shown, write, diagnostics):
    write("a.yml", SOURCE.replace("'2026-02-06'", written))
    assert diagnostics() == [f"data/a.yml:6:16: error: published: '{shown}' {NOT_A_DATE}"]


def test_a_date_range_half_in_other_digits_is_refused(write, diagnostics):
    write("a.yml", SOURCE.replace("'2026-02-06'", '"2026-02-01/٢٠٢٦-٠٢-٠٦"'))
    assert diagnostics() == [f"data/a.yml:6:16: error: published: '٢٠٢٦-٠٢-٠٦' {NOT_A_DATE}"]


# -- date order -------------------------------------------------------------------------------


def test_an_era_that_ends_before_it_starts_is_refused(write, diagnostics):
    write("a.yml", "eras:\n  - id: later\n    title: T\n    start: '2026-02'\n    end: '2025-12-31'\n")
    assert diagnostics() == [
        "data/a.yml:5:10: error: end: '2025-12-31' is before the start, '2026-02': the end cannot come first"
    ]


@pytest.mark.parametrize("start, end", [("'2026'", "'2026-01-01'"), ("'2026-02'", "'2026'"), ("'2026'", "'2026'")])
def test_an_era_may_end_within_its_start(start, end, data_dir, write):
    write("a.yml", f"eras:\n  - id: e\n    title: T\n    start: {start}\n    end: {end}\n")
    assert load_facts(data_dir, cache=False).facts.count == 1


def test_a_role_that_ends_before_it_starts_is_refused(write, diagnostics):
    write(
        "a.yml",
        SOURCE
        + "actors:\n  - id: a\n    name: A\n    kind: person\n    summary: S.\n    sources: [src-wire-2026-02-06]\n"
        + "    roles:\n      - title: Envoy\n        from: '2025'\n        to: '2024-06'\n"
        + "        sources: [src-wire-2026-02-06]\n",
    )
    assert diagnostics() == [
        "data/a.yml:17:13: error: to: '2024-06' is before the start, '2025': the end cannot come first"
    ]


# -- strict numbers and booleans --------------------------------------------------------------


@pytest.mark.parametrize("value", ["yes", "true", "on", "1.0", "'5'", ".nan", ".inf", "-.inf", "1e3", "'1'"])
def test_order_is_a_whole_number_only(value, write, diagnostics):
    write("a.yml", topic("N") + f"    order: {value}\n")
    assert diagnostics() == ["data/a.yml:5:12: error: order: Input should be a valid integer"]


@pytest.mark.parametrize("value", ["1", "0", "'true'", "'yes'", "1.0", "'on'"])
def test_flags_are_booleans_only(value, write, diagnostics):
    write("a.yml", SOURCE + f"    caution: {value}\n")
    assert diagnostics() == ["data/a.yml:8:14: error: caution: Input should be a valid boolean"]


@pytest.mark.parametrize("value, expected", [("true", True), ("false", False), ("yes", True), ("no", False)])
def test_yaml_booleans_are_booleans(value, expected, data_dir, write):
    write("a.yml", SOURCE + f"    caution: {value}\n")
    assert load_facts(data_dir, cache=False).facts.sources["src-wire-2026-02-06"].caution is expected


# -- URLs -------------------------------------------------------------------------------------

ASCII_URL = "must be printable ASCII, other characters percent-encoded (%20)"


@pytest.mark.parametrize(
    "url, shown",
    [
        ("https://\u0430pnews.com/article", "https://\u0430pnews.com/article"),  # Cyrillic а
        ("https://example.org/\u202efdp.exe", r"https://example.org/\u202efdp.exe"),
        ("https://example.org/\u200b", r"https://example.org/\u200b"),
        ("https://example.org/\x00", r"https://example.org/\x00"),
        ("https://example.org/a\nb", r"https://example.org/a\nb"),
        ("https://example.org/a b", "https://example.org/a b"),
    ],
)
def test_urls_are_printable_ascii(url, shown, write, diagnostics):
    write("a.yml", SOURCE.replace("https://example.org/wire/talks-open", quoted(url)))
    assert diagnostics() == [f"data/a.yml:5:10: error: 'url' {ASCII_URL}, not '{shown}'"]
