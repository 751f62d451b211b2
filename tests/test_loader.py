"""The loader refuses what a data file must not contain, and says where: `path:line:col`."""

from __future__ import annotations

import time

import pytest
from explainer import DataError, load_facts
from explainer.facts.loader import load_file

ALIAS_ERROR = "YAML aliases (*name) are not allowed; write the value out"
TAB_ERROR = "tab character in indentation: YAML indents with spaces only"
EMPTY_ERROR = "the file is empty: remove it or add records"

TOPIC = """\
topics:
  - id: enrichment
    name: Enrichment
    question: May Party B enrich uranium?
"""


# -- YAML syntax ----------------------------------------------------------------------------


def test_yaml_syntax_error_points_at_the_problem(write, diagnostics):
    write(
        "a.yml",
        """
        topics:
          - id: t
            name: Talks: round one
            question: Q
        """,
    )
    assert diagnostics() == [
        "data/a.yml:3:16: error: YAML syntax error: line 3: a value holding ': ' must be quoted: write "
        "`name: 'Talks: round one'` (YAML parser: mapping values are not allowed in this context)"
    ]


def test_bad_indentation_is_a_syntax_error(write, diagnostics):
    write(
        "a.yml",
        """
        topics:
          - id: t
            name: N
           question: Q
        """,
    )
    [line] = diagnostics()
    assert line.startswith("data/a.yml:4:4: error: YAML syntax error: ")


def test_a_second_document_is_refused(write, diagnostics):
    write("a.yml", TOPIC + "---\n" + TOPIC)
    [line] = diagnostics()
    assert line.startswith("data/a.yml:5:1: error: YAML syntax error: ")
    assert "another document" in line


# -- duplicate keys -------------------------------------------------------------------------


def test_duplicate_key_in_a_mapping(write, diagnostics):
    write(
        "a.yml",
        """
        topics:
          - id: t
            name: First
            question: Q
            name: Second
        """,
    )
    assert diagnostics() == [
        "data/a.yml:5:5: error: duplicate key 'name' (first at line 3); YAML would silently keep only the last"
    ]


def test_duplicate_top_level_kind(write, diagnostics):
    write("a.yml", TOPIC + "topics: []\n")
    assert diagnostics() == [
        "data/a.yml:5:1: error: duplicate key 'topics' (first at line 1); YAML would silently keep only the last"
    ]


def test_mapping_keys_must_be_words(write, diagnostics):
    write(
        "a.yml",
        """
        topics:
          - id: t
            name: N
            question: Q
            1: one
        """,
    )
    assert diagnostics() == ["data/a.yml:5:5: error: mapping keys must be plain words"]


# -- tags that construct objects ------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/object/apply:subprocess.call",
    ],
)
def test_object_tags_are_refused_and_never_run(tag, data_dir, write, diagnostics):
    marker = data_dir.parent / "PWNED"
    write(
        "a.yml",
        f"""
        topics:
          - id: t
            name: {tag} [["touch", "{marker}"]]
            question: Q
        glossary: {tag} ["touch {marker}"]
        """,
    )
    lines = diagnostics()
    full_tag = "tag:yaml.org,2002:" + tag.removeprefix("!!")
    assert (f"data/a.yml:3:11: error: YAML tag '{full_tag}' is not allowed in data files; write plain values") in lines
    assert (f"data/a.yml:5:11: error: YAML tag '{full_tag}' is not allowed in data files; write plain values") in lines
    assert not marker.exists(), "a YAML tag ran a command"


@pytest.mark.parametrize(
    "value, tag",
    [
        ("!!python/name:os.system", "tag:yaml.org,2002:python/name:os.system"),
        ("!!binary aGVsbG8=", "tag:yaml.org,2002:binary"),
        ("!!set {a, b}", "tag:yaml.org,2002:set"),
        ("!custom text", "!custom"),
    ],
)
def test_other_tags_are_refused(value, tag, write, diagnostics):
    write(
        "a.yml",
        f"""
        topics:
          - id: t
            name: {value}
            question: Q
        """,
    )
    assert (
        f"data/a.yml:3:11: error: YAML tag '{tag}' is not allowed in data files; write plain values"
    ) in diagnostics()


@pytest.mark.parametrize(
    "value",
    [
        "!!int many",
        "!!int",
        "!!float x",
        "!!bool maybe",
        "!!int [1]",
        "!!map [a]",
        "!!seq {a: 1}",
    ],
)
def test_standard_tag_on_the_wrong_value_is_a_data_error(value, write, diagnostics):
    # Explicit standard tags are resolved by PyYAML's constructors, which raise ValueError,
    # KeyError, IndexError, TypeError... on values that do not fit the tag.
    write(
        "a.yml",
        f"""
        topics:
          - id: t
            name: N
            question: Q
            order: {value}
        """,
    )
    lines = diagnostics()
    assert any(line.startswith("data/a.yml:5:12: error: ") for line in lines), lines


# -- aliases --------------------------------------------------------------------------------

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
topics: &j [*i,*i,*i,*i,*i,*i,*i,*i,*i]
"""


def test_alias_bomb_is_refused_quickly(write, diagnostics):
    write("a.yml", BILLION_LAUGHS)  # 9**10 strings if expanded
    started = time.perf_counter()
    lines = diagnostics()
    assert time.perf_counter() - started < 5, "the aliases were expanded"
    assert any(line.endswith(f"error: {ALIAS_ERROR}") for line in lines)
    assert all(line.startswith("data/a.yml:") for line in lines)
    assert len(lines) < 200


def test_collection_alias_is_reported_where_the_alias_is(write, diagnostics):
    write(
        "a.yml",
        """
        topics:
          - &t
            id: t
            name: N
            question: Q
          - *t
        """,
    )
    # The error must name the `*t` on line 6, not the `&t` anchor on line 2.
    assert f"data/a.yml:6:5: error: {ALIAS_ERROR}" in diagnostics()


def test_each_alias_is_reported_at_its_own_place(write, diagnostics):
    write(
        "a.yml",
        """
        a: &x [1]
        b: [*x, *x]
        """,
    )
    lines = [line for line in diagnostics() if ALIAS_ERROR in line]
    assert lines == [f"data/a.yml:2:5: error: {ALIAS_ERROR}", f"data/a.yml:2:9: error: {ALIAS_ERROR}"]


def test_scalar_alias_is_refused(write, diagnostics):
    write(
        "a.yml",
        """
        topics:
          - id: t
            name: &n Enrichment
            question: *n
        """,
    )
    assert f"data/a.yml:4:15: error: {ALIAS_ERROR}" in diagnostics()


def test_merge_key_is_refused_with_its_own_message(write, diagnostics):
    write(
        "a.yml",
        """
        topics:
          - <<: {name: N}
            id: t
            question: Q
        """,
    )
    assert "data/a.yml:2:5: error: YAML merge keys (<<) are not allowed" in diagnostics()


# -- tabs -----------------------------------------------------------------------------------


def test_tab_indentation_at_line_start(write, diagnostics):
    write("a.yml", "topics:\n\t- id: t\n")
    assert diagnostics() == [f"data/a.yml:2:1: error: {TAB_ERROR}"]


def test_tab_after_spaces_in_indentation(write, diagnostics):
    write("a.yml", "topics:\n  - id: t\n  \tname: N\n")
    assert diagnostics() == [f"data/a.yml:3:3: error: {TAB_ERROR}"]


def test_tab_inside_a_line_is_fine(write, data_dir):
    write("a.yml", TOPIC.replace("name: Enrichment", "name:\tEnrichment"))
    assert load_facts(data_dir, cache=False).facts.topics[0].name == "Enrichment"


# -- encoding -------------------------------------------------------------------------------


def test_non_utf8_byte_is_located(write, diagnostics):
    write("a.yml", b"topics:\n  - id: t\n    name: caf\xe9\n    question: Q\n")
    assert diagnostics() == ["data/a.yml:3:14: error: byte 0xe9 is not UTF-8: save the file as UTF-8"]


def test_non_utf8_on_the_first_byte(write, diagnostics):
    write("a.yml", "topics: []\n".encode("utf-16"))
    assert diagnostics() == ["data/a.yml:1:1: error: byte 0xff is not UTF-8: save the file as UTF-8"]


def test_non_utf8_column_counts_characters_like_other_columns(write, diagnostics):
    # Every other column comes from libyaml, which counts characters; `é` is one character
    # (two bytes), so the bad byte is the 12th character of the line.
    write("a.yml", "topics:\n  - id: t\n    name: é".encode() + b"\xff\n")
    assert diagnostics() == ["data/a.yml:3:12: error: byte 0xff is not UTF-8: save the file as UTF-8"]


def test_utf8_byte_order_mark_is_accepted(write, data_dir):
    write("a.yml", b"\xef\xbb\xbf" + TOPIC.encode())
    assert load_facts(data_dir, cache=False).facts.count == 1


def test_control_character_is_located(write, diagnostics):
    write("a.yml", "topics:\n  - id: t\n    name: a\x07b\n    question: Q\n")
    [line] = diagnostics()
    assert line.startswith("data/a.yml:3:12: error: ")
    assert "control character" in line
    assert "<unicode string>" not in line  # libyaml's internals are not the contributor's


# -- empty files ----------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n"])
def test_empty_file(content, write, diagnostics):
    write("a.yml", content)
    assert diagnostics() == [f"data/a.yml:1:1: error: {EMPTY_ERROR}"]


@pytest.mark.parametrize("content", ["---\n", "--- # nothing yet\n", "~\n", "null\n"])
def test_null_document_is_not_silently_accepted(content, write, diagnostics):
    # A document that is only `null` holds no records: it must not pass as if it held some.
    write("a.yml", content)
    lines = diagnostics()
    assert lines and all(line.startswith("data/a.yml:1:1: error: ") for line in lines)


# -- deep nesting ---------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [100, 600, 999, 5000])
def test_deep_nesting_is_a_data_error_not_a_crash(depth, write, data_dir):
    write("a.yml", "topics: " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(DataError) as caught:
        load_facts(data_dir, cache=False)
    assert all(d.path == "data/a.yml" and d.line >= 1 and d.col >= 1 for d in caught.value.diagnostics)


# -- values and positions -------------------------------------------------------------------


def test_dates_stay_text_and_values_keep_their_types(write):
    path = write(
        "a.yml",
        """
        sources:
          - id: src-a
            published: 2026-02-06
            stamp: 2026-02-06 10:00:00
            caution: true
            count: 3
            share: 0.5
            note: ~
        """,
    )
    loaded = load_file(path)
    assert loaded.diagnostics == []
    assert loaded.data == {
        "sources": [
            {
                "id": "src-a",
                "published": "2026-02-06",
                "stamp": "2026-02-06 10:00:00",
                "caution": True,
                "count": 3,
                "share": 0.5,
                "note": None,
            }
        ]
    }


def test_node_at_traces_values_back_to_line_and_column(write):
    path = write(
        "a.yml",
        """
        actors:
          - id: a
            roles:
              - title: T
                from: '2025'
        """,
    )
    loaded = load_file(path)
    node, rest = loaded.node_at(["actors", 0, "roles", 0, "from"])
    assert rest == []
    assert (node.start_mark.line + 1, node.start_mark.column + 1) == (5, 15)
    key = loaded.key_node(["actors", 0, "roles", 0, "from"])
    assert (key.start_mark.line + 1, key.start_mark.column + 1) == (5, 9)
    node, rest = loaded.node_at(["actors", 0, "roles", 3, "title"])
    assert rest == [3, "title"]
