"""Records are checked against the models one by one; each problem is said in a contributor's
words at the place it stands."""

from __future__ import annotations

import pytest
from explainer import load_facts
from snippets import SOURCE

ACTOR = """\
actors:
  - id: party-a
    name: Party A
    kind: state
    summary: One party.
    sources: [src-wire-2026-02-06]
"""


def test_valid_records_load(write, data_dir):
    write("a.yml", SOURCE + ACTOR)
    facts = load_facts(data_dir, cache=False).facts
    assert facts.sources["src-wire-2026-02-06"].published.human() == "6 February 2026"
    assert facts.actors["party-a"].name == "Party A"


# -- file shape -----------------------------------------------------------------------------


def test_file_must_be_a_mapping(write, diagnostics):
    write("a.yml", "- id: t\n- id: u\n")
    assert diagnostics() == [
        "data/a.yml:1:1: error: a data file is a mapping of kinds (sources:, events:, ...) to lists of records"
    ]


def test_unknown_kind_with_did_you_mean(write, diagnostics):
    write("a.yml", SOURCE.replace("sources:", "sorces:"))
    assert diagnostics() == ["data/a.yml:1:1: error: unknown kind 'sorces'; did you mean 'sources'?"]


@pytest.mark.parametrize("value, col", [(" 3", 9), (" {id: t}", 9), ("", 8)])
def test_kind_must_hold_a_list(value, col, write, diagnostics):
    write("a.yml", f"topics:{value}\n")
    assert diagnostics() == [f"data/a.yml:1:{col}: error: 'topics' must be a list of records (- id: ...)"]


# -- unknown fields -------------------------------------------------------------------------


def test_unknown_field_with_did_you_mean(write, diagnostics):
    write("a.yml", SOURCE + "    publsher: Example Wire\n")
    assert diagnostics() == ["data/a.yml:8:5: error: unknown field 'publsher'; did you mean 'publisher'?"]


def test_unknown_field_without_a_close_match(write, diagnostics):
    write("a.yml", SOURCE + "    zzz: 1\n")
    assert diagnostics() == ["data/a.yml:8:5: error: unknown field 'zzz'"]


def test_unknown_field_in_a_nested_record(write, diagnostics):
    write(
        "a.yml",
        SOURCE
        + ACTOR
        + """\
    roles:
      - titel: Envoy
        sources: [src-wire-2026-02-06]
""",
    )
    assert diagnostics() == [
        "data/a.yml:15:9: error: missing required field 'title'",
        "data/a.yml:15:9: error: unknown field 'titel'; did you mean 'title'?",
    ]


def test_unknown_field_knows_aliases(write, diagnostics):
    write(
        "a.yml",
        SOURCE
        + ACTOR
        + """\
    roles:
      - title: Envoy
        form: '2025'
        sources: [src-wire-2026-02-06]
""",
    )
    assert diagnostics() == ["data/a.yml:16:9: error: unknown field 'form'; did you mean 'from'?"]


# -- missing fields -------------------------------------------------------------------------


def test_missing_required_field(write, diagnostics):
    write("a.yml", SOURCE.replace("    publisher: Example Wire\n", ""))
    assert diagnostics() == ["data/a.yml:2:5: error: missing required field 'publisher'"]


def test_every_missing_field_is_named(write, diagnostics):
    write("a.yml", "topics:\n  - id: t\n")
    assert diagnostics() == [
        "data/a.yml:2:5: error: missing required field 'name'",
        "data/a.yml:2:5: error: missing required field 'question'",
    ]


# -- wrong types ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        (
            "    order: many",
            "data/a.yml:5:12: error: order: Input should be a valid integer",
        ),
        ("    order: [1]", "data/a.yml:5:12: error: order: Input should be a valid integer"),
        ("    order: .inf", "data/a.yml:5:12: error: order: Input should be a valid integer"),
    ],
)
def test_wrong_type_scalar(line, expected, write, diagnostics):
    write("a.yml", "topics:\n  - id: t\n    name: N\n    question: Q\n" + line + "\n")
    assert diagnostics() == [expected]


def test_wrong_types_in_one_record_are_all_reported(write, diagnostics):
    write(
        "a.yml",
        SOURCE
        + """\
actors:
  - id: party-a
    name: [Party, A]
    kind: newspaper
    party: maybe
    aliases: Al
    summary: One party.
    sources: [src-wire-2026-02-06]
""",
    )
    assert diagnostics() == [
        "data/a.yml:10:11: error: name: Input should be a valid string",
        "data/a.yml:11:11: error: kind: Input should be 'person', 'state', 'organisation' or 'group'",
        "data/a.yml:12:12: error: party: Input should be a valid boolean",
        "data/a.yml:13:14: error: 'aliases' is a list, even of one: write `aliases: [Al]`",
    ]


def test_empty_text_is_refused(write, diagnostics):
    write("a.yml", "topics:\n  - id: t\n    name: ''\n    question: Q\n")
    assert diagnostics() == ["data/a.yml:3:11: error: name: String should have at least 1 character"]


def test_bad_id_shape_says_what_ids_look_like(write, diagnostics):
    write("a.yml", SOURCE.replace("id: src-wire-2026-02-06", "id: SRC_Wire"))
    assert diagnostics() == [
        "data/a.yml:2:9: error: 'SRC_Wire' is not a valid id for 'id': source ids look like `src-ap-2026-02-06`"
    ]


# -- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["'2026-02-30'", "2026-02-30", '"2026-02-30"'])
def test_impossible_date(written, write, diagnostics):
    write("a.yml", SOURCE.replace("'2026-02-06'", written))
    assert diagnostics() == [
        "data/a.yml:6:16: error: published: '2026-02-30' is not a real date: February 2026 has 28 days"
    ]


def test_unquoted_valid_date_is_accepted(write, data_dir):
    write("a.yml", SOURCE.replace("'2026-02-06'", "2026-02-06"))
    assert str(load_facts(data_dir, cache=False).facts.sources["src-wire-2026-02-06"].published) == "2026-02-06"


@pytest.mark.parametrize(
    "written, message",
    [
        ("'2026-13'", "published: '2026-13' has no month 13"),
        (
            "'6 Feb 2026'",
            "published: '6 Feb 2026' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean '2026-02-06'?",
        ),
        ("'2026-02-10/2026-02-01'", "published: range '2026-02-10/2026-02-01' ends before it starts"),
    ],
)
def test_bad_date_messages(written, message, write, diagnostics):
    write("a.yml", SOURCE.replace("'2026-02-06'", written))
    assert diagnostics() == [f"data/a.yml:6:16: error: {message}"]


def test_impossible_date_in_a_nested_record(write, diagnostics):
    write(
        "a.yml",
        SOURCE
        + ACTOR
        + """\
    roles:
      - title: Envoy
        from: 2025-02-29
        sources: [src-wire-2026-02-06]
""",
    )
    assert diagnostics() == [
        "data/a.yml:16:15: error: from: '2025-02-29' is not a real date: February 2025 has 28 days"
    ]


@pytest.mark.parametrize("written", ["'0000'", "'0000-01'", "'0000-02-29'"])
def test_year_zero_is_not_a_date(written, write, diagnostics):
    # `date` has no year 0: a FuzzyDate for it validates, then crashes `as_of` and sorting.
    write("a.yml", SOURCE.replace("'2026-02-06'", written))
    [line] = diagnostics()
    assert line.startswith("data/a.yml:6:16: error: published: ")


# -- sources --------------------------------------------------------------------------------


def test_statement_without_sources(write, diagnostics):
    write(
        "a.yml",
        SOURCE
        + """\
glossary:
  - id: term-x
    term: X
    definition: A thing.
""",
    )
    assert diagnostics() == [
        "data/a.yml:9:5: error: missing required field 'sources' (every statement needs at least one source)"
    ]


def test_statement_with_empty_sources(write, diagnostics):
    write(
        "a.yml",
        SOURCE
        + """\
glossary:
  - id: term-x
    term: X
    definition: A thing.
    sources: []
""",
    )
    assert diagnostics() == ["data/a.yml:12:14: error: no sources: every statement needs at least one source id"]


def test_nested_statement_without_sources(write, diagnostics):
    write(
        "a.yml",
        SOURCE
        + ACTOR
        + """\
    roles:
      - title: Envoy
""",
    )
    assert diagnostics() == [
        "data/a.yml:15:9: error: missing required field 'sources' (every statement needs at least one source)"
    ]


# -- URLs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,hello",
        "ftp://example.org/file",
        "file:///etc/passwd",
        "//example.org/no-scheme",
        "https:/example.org/one-slash",
        "'https://example.org/a page'",
    ],
)
@pytest.mark.parametrize("field", ["url", "archive_url"])
def test_only_http_urls(field, url, write, diagnostics):
    if field == "url":
        text, line, col = SOURCE.replace("https://example.org/wire/talks-open", url), 5, 10
    else:
        text, line, col = SOURCE + f"    archive_url: {url}\n", 8, 18
    write("a.yml", text)
    shown = url.strip("'")
    problem = (
        "must be printable ASCII, other characters percent-encoded (%20)"
        if shown.startswith("https://")
        else "must be an http:// or https:// URL"
    )
    assert diagnostics() == [f"data/a.yml:{line}:{col}: error: '{field}' {problem}, not '{shown}'"]


@pytest.mark.parametrize("url", ["http://example.org/a", "https://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG/A"])
def test_http_urls_are_accepted(url, write, data_dir):
    write("a.yml", SOURCE.replace("https://example.org/wire/talks-open", url))
    assert load_facts(data_dir, cache=False).facts.sources["src-wire-2026-02-06"].url == url


# -- rules across fields --------------------------------------------------------------------

CONTESTED = (
    SOURCE
    + ACTOR
    + """\
  - id: party-b
    name: Party B
    kind: state
    summary: The other party.
    sources: [src-wire-2026-02-06]
contested:
  - id: cp-direct
    question: Were the talks direct?
    date: '2026-02-06'
    claims:
      - by: [party-a]
        claim: Direct.
        sources: [src-wire-2026-02-06]
      - by: [party-b]
        claim: Indirect.
        sources: [src-wire-2026-02-06]
    sources: [src-wire-2026-02-06]
"""
)  # the contested record starts on line 20


def test_contested_point_loads(write, data_dir):
    write("a.yml", CONTESTED)
    assert load_facts(data_dir, cache=False).facts.contested[0].id == "cp-direct"


def test_resolved_point_needs_a_resolution(write, diagnostics):
    write("a.yml", CONTESTED + "    status: resolved\n")
    assert diagnostics() == [
        "data/a.yml:20:5: error: contested: a resolved point needs a `resolution` saying how it was settled"
    ]


def test_contested_point_needs_two_claims(write, diagnostics):
    text = CONTESTED.replace(
        """\
      - by: [party-b]
        claim: Indirect.
        sources: [src-wire-2026-02-06]
""",
        "",
    )
    write("a.yml", text)
    assert diagnostics() == [
        "data/a.yml:24:7: error: claims: List should have at least 2 items after validation, not 1"
    ]


# -- one record at a time -------------------------------------------------------------------


def test_one_bad_record_does_not_hide_the_next(write, diagnostics):
    write(
        "a.yml",
        """
        topics:
          - id: a
            name: A
          - id: b
            question: B?
          - id: c
            name: C
            question: C?
            colour: red
        """,
    )
    assert diagnostics() == [
        "data/a.yml:2:5: error: missing required field 'question'",
        "data/a.yml:4:5: error: missing required field 'name'",
        "data/a.yml:9:5: error: unknown field 'colour'",
    ]


def test_references_to_a_record_that_failed_are_not_reported_again(write, diagnostics):
    write(
        "a.yml",
        SOURCE
        + ACTOR.replace("    name: Party A\n", "")
        + """\
quotes:
  - id: q-a
    text: We will see.
    speaker: party-a
    date: '2026-02-06'
    context: to reporters
    sources: [src-wire-2026-02-06]
""",
    )
    assert diagnostics() == ["data/a.yml:9:5: error: missing required field 'name'"]
