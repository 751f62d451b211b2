"""`explainer check` as a contributor meets it (issue 13): it checks the pages too, explains
mistakes in the contributor's words, does not bury an error under its cascade, and can write
GitHub annotations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from explainer.errors import Diagnostic
from explainer.tools.annotations import annotation
from site_inputs import FIXTURE_DATA, copy_site
from snippets import SOURCE
from test_cli import assert_no_traceback, run_cli

ACTOR = """\
actors:
  - id: iran
    name: Iran
    kind: state
    aliases: [Islamic Republic of Iran, Tehran]
    summary: A party.
    sources: [src-wire-2026-02-06]
"""
"""After SOURCE: lines 8-14."""


@pytest.fixture
def site(tmp_path: Path, fresh_cache: None) -> Path:
    """A copy of the site with the fixture data."""
    return copy_site(tmp_path / "site", FIXTURE_DATA)


# -- pages --------------------------------------------------------------------------------------


def test_check_reads_the_pages_and_places_a_directive_typo(site: Path) -> None:
    page = site / "docs" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee <!-- explainer:glosary -->\n", encoding="utf-8")
    line = page.read_text(encoding="utf-8").count("\n")
    result = run_cli(site, "check")
    assert_no_traceback(result)
    assert result.returncode == 1
    assert f"docs/about.md:{line}:5: error: unknown directive 'glosary'; did you mean 'glossary'?" in result.stderr
    assert result.stderr.splitlines()[-1] == "1 error", "one error, not one per edition"


def test_check_reports_an_unknown_option_and_an_unknown_id(site: Path) -> None:
    page = site / "docs" / "about.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        "---\ntitle: About\n---\n" + text + "\n<!-- explainer:matrix topic=enrichment -->\n"
        "\n<!-- explainer:topic-page id=enrichmnt -->\n",
        encoding="utf-8",
    )
    result = run_cli(site, "check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    total = 3 + text.count("\n")
    assert any(f"docs/about.md:{total + 2}:1: error: 'matrix' has no option 'topic'" in line for line in lines), lines
    assert any(f"docs/about.md:{total + 4}:1: error:" in line and "enrichmnt" in line for line in lines), lines


def test_an_id_missing_from_early_editions_names_them(site: Path) -> None:
    page = site / "docs" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<!-- explainer:quote id=q-envoy-2026-02-17 -->\n")
    result = run_cli(site, "check")
    if result.returncode == 0:
        pytest.skip("the quote directive shows a record that is not in an edition without an error")
    assert "(in edition 2026-02-06)" in result.stderr


def test_a_clean_site_passes_and_says_what_it_read(site: Path) -> None:
    result = run_cli(site, "check", "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")
    assert result.stdout.rstrip().endswith("pages in 2 editions")


def test_no_pages_checks_the_data_only(site: Path) -> None:
    page = site / "docs" / "about.md"
    page.write_text("<!-- explainer:nope -->\n")
    assert run_cli(site, "check", "--no-pages").returncode == 0
    assert run_cli(site, "check").returncode == 1


def test_a_script_in_a_page_is_refused_by_check(site: Path) -> None:
    (site / "docs" / "about.md").write_text("# About\n\n<script>alert(1)</script>\n")
    result = run_cli(site, "check")
    assert result.returncode == 1
    assert "docs/about.md:3:1: error: <script> is not allowed in pages" in result.stderr


# -- GitHub annotations -------------------------------------------------------------------------


def test_github_format_writes_annotations_for_the_diff(site: Path) -> None:
    (site / "docs" / "about.md").write_text("# About\n\n<!-- explainer:glosary -->\n")
    result = run_cli(site, "check", "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=docs/about.md,line=3,col=1,title=explainer check::"
        "unknown directive 'glosary'; did you mean 'glossary'?"
    ]
    assert "docs/about.md:3:1: error:" in result.stderr, "the log keeps the plain lines"


def test_annotations_cannot_be_broken_out_of() -> None:
    hostile = Diagnostic("data/a,b:c.yml", 2, 3, "error", "50% done\n::error::forged\r")
    assert annotation(hostile) == (
        "::error file=data/a%2Cb%3Ac.yml,line=2,col=3,title=explainer check::50%25 done\\n::error::forged\\r"
    )
    warning = Diagnostic("(generated page x.md)", 1, 1, "warning", "w")
    assert annotation(warning) == "::warning title=explainer check::(generated page x.md): w"
    note = Diagnostic("data/a.yml", 4, 5, "note", "in no edition yet")
    assert annotation(note) == "::notice file=data/a.yml,line=4,col=5,title=explainer check::in no edition yet"


# -- messages in a contributor's words ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, place, words",
    [
        (  # a field indented one step too far
            SOURCE.replace("    title: Talks open\n", "      title: Talks open\n"),
            "4:12",
            "check the indentation: line 4 starts in column 7, deeper than the field above it (line 3, column 5), "
            "so YAML reads it as the rest of that value",
        ),
        (  # one space short
            SOURCE.replace("    title: Talks open\n", "   title: Talks open\n"),
            "4:4",
            "check the indentation: line 4 starts in column 4, but the fields of the record opened at line 2 "
            "start in column 5",
        ),
        (  # a second record's dash one step too deep
            SOURCE + "    - id: src-two\n",
            "8:5",
            "check the indentation: line 8 starts a list item (`- `) where a field of the record opened at line "
            "2 was expected",
        ),
        (  # a quote never closed
            SOURCE.replace("    title: Talks open\n", "    title: 'Talks open\n"),
            "6:17",
            "the quote (') opened on line 4 is never closed",
        ),
        (  # a colon in a plain value
            SOURCE.replace("    title: Talks open\n", "    title: Talks: round one\n"),
            "4:17",
            "line 4: a value holding ': ' must be quoted: write `title: 'Talks: round one'`",
        ),
    ],
    ids=["too-deep", "too-shallow", "dash-too-deep", "open-quote", "colon"],
)
def test_yaml_mistakes_are_explained(text, place, words, write, diagnostics) -> None:
    write("a.yml", text)
    [line] = diagnostics()
    assert line.startswith(f"data/a.yml:{place}: error: YAML syntax error: {words}"), line
    assert "(YAML parser: " in line, "the parser's words stay, last"


def test_a_single_value_where_a_list_is_needed_shows_the_list(write, diagnostics) -> None:
    write("a.yml", SOURCE + ACTOR.replace("sources: [src-wire-2026-02-06]", "sources: src-wire-2026-02-06"))
    assert diagnostics() == [
        "data/a.yml:14:14: error: 'sources' is a list, even of one: write `sources: [src-wire-2026-02-06]`"
    ]


def test_a_date_written_day_first_gets_the_iso_date_suggested(write, diagnostics) -> None:
    write("a.yml", SOURCE.replace("'2026-02-06'", "09/03/2026"))
    [line] = diagnostics()
    assert line == (
        "data/a.yml:6:16: error: published: '09/03/2026' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; "
        "did you mean '2026-03-09' (9 March 2026) or '2026-09-03' (3 September 2026)?"
    )


def test_an_alias_written_as_an_id_suggests_the_id(write, diagnostics) -> None:
    write(
        "a.yml",
        SOURCE
        + ACTOR
        + "glossary:\n  - id: term-x\n    term: X\n    definition: D\n    sources: [src-wire-2026-02-06]\n"
        + "roles:\n  - id: role-x\n    actor: islamic-republic-of-iran\n    role: party\n    date: '2026'\n"
        + "    did: Talked.\n    sources: [src-wire-2026-02-06]\n",
    )
    assert diagnostics() == [
        "data/a.yml:22:12: error: unknown actor id 'islamic-republic-of-iran'; did you mean 'iran'?"
    ]


def test_a_broken_file_is_not_buried_under_the_references_to_it(write, diagnostics) -> None:
    """A YAML error in quotes.yml used to come last, after an 'unknown quote id' for every
    reference to the quotes it defines."""
    write("a.yml", SOURCE + ACTOR)
    write(
        "quotes.yml",
        "quotes:\n"
        + "".join(
            f"  - id: q-{n}\n    text: Words.\n    speaker: iran\n    date: '2026'\n    context: C\n"
            f"    sources: [src-wire-2026-02-06]\n"
            for n in range(3)
        ).replace("    context: C\n", "      context: C\n", 1),
    )
    write(
        "z-positions.yml",
        "topics:\n  - id: t\n    name: T\n    question: Q?\n"
        "positions:\n"
        + "".join(
            f"  - id: pos-{n}\n    actor: iran\n    topic: t\n    date: '2026'\n    stance: unclear\n"
            f"    summary: S.\n    quotes: [q-{n}]\n    sources: [src-wire-2026-02-06]\n"
            for n in range(3)
        )
        + "  - id: pos-typo\n    actor: iran\n    topic: t\n    date: '2026'\n    stance: unclear\n"
        "    summary: S.\n    quotes: [q-nope]\n    sources: [src-wire-2026-02-06]\n",
    )
    lines = diagnostics()
    assert lines[0].startswith("data/quotes.yml:6:7: error: YAML syntax error: check the indentation")
    assert lines[0].endswith("(3 references to its ids in other files wait for this fix)")
    assert lines[1:] == ["data/z-positions.yml:36:14: error: unknown quote id 'q-nope'"]


def test_check_of_the_repository_passes() -> None:
    root = Path(__file__).resolve().parents[1]
    result = run_cli(root, "check", "--strict")
    assert result.returncode == 0, result.stderr
    assert "pages in" in result.stdout


def test_check_without_a_site_is_unchanged(tmp_path: Path, fresh_cache: None) -> None:
    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    result = run_cli(tmp_path, "check")
    assert result.returncode == 0
    assert "pages" not in result.stdout
