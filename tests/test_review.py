"""`explainer review` (issue 13): the pull request's summary says what the change does to the
story, from the facts of the base and the head, and nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from explainer import load_facts
from explainer.tools.review import md, review, summary
from test_cli import run_cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "data"

LATER_SOURCE = """\
sources:
  - id: src-wire-2026-02-20
    publisher: Example Wire
    title: Third round
    url: https://example.org/wire/third-round
    published: '2026-02-20'
    kind: news-report
glossary:
  - id: term-round
    term: Round
    definition: A session of talks.
    sources: [src-wire-2026-02-20]
"""
"""In base and head alike: a source published after the last cut-off, already cited."""

EVENT_AND_MOVE = """\
events:
  - id: evt-2026-02-20-round-3
    date: '2026-02-20'
    title: Round three
    summary: Example Paper reports a third round.
    participants: [party-a, party-b]
    sources: [src-wire-2026-02-20]
positions:
  - id: pos-party-b-enrichment-2026-02-20
    actor: party-b
    topic: enrichment
    date: '2026-02-20'
    stance: conditional
    summary: Party B says it could cap enrichment for a while.
    sources: [src-wire-2026-02-20]
"""


@pytest.fixture
def folders(tmp_path: Path, fresh_cache: None) -> tuple[Path, Path]:
    base, head = tmp_path / "base" / "data", tmp_path / "head" / "data"
    shutil.copytree(FIXTURE, base)
    shutil.copytree(FIXTURE, head)
    for folder in (base, head):
        (folder / "later-source.yml").write_text(LATER_SOURCE, encoding="utf-8")
    return base, head


def test_a_change_that_adds_an_event_and_moves_a_position_names_exactly_those(folders) -> None:
    base, head = folders
    (head / "later.yml").write_text(EVENT_AND_MOVE, encoding="utf-8")
    text = summary(review(load_facts(base, cache=False).facts, load_facts(head, cache=False).facts))
    assert text.splitlines() == [
        "## What this change does to the story",
        "",
        "| kind | added | changed | removed |",
        "| --- | ---: | ---: | ---: |",
        "| position | 1 | 0 | 0 |",
        "| event | 1 | 0 | 0 |",
        "",
        "### Added",
        "",
        "- event: `evt-2026-02-20-round-3` Round three",
        "",
        "### Positions that moved",
        "",
        "- **Party B** on **Enrichment**: **rejects** (6 February 2026, `pos-party-b-enrichment-2026-02-06`) → "
        "**conditional** (20 February 2026, `pos-party-b-enrichment-2026-02-20`)",
        "",
        "### Editions",
        "",
        "No published edition changes: every change is dated after the latest cut-off.",
    ]


def test_moving_records_between_files_or_reformatting_is_no_change(folders) -> None:
    base, head = folders
    facts = head / "facts.yml"
    text = facts.read_text(encoding="utf-8")
    events = text[text.index("events:\n") : text.index("quotes:\n")]
    facts.write_text(text.replace(events, ""), encoding="utf-8")
    (head / "events.yml").write_text(
        events.replace("sources: [src-wire-2026-02-06]", "sources:\n      - src-wire-2026-02-06")
    )
    result = review(load_facts(base, cache=False).facts, load_facts(head, cache=False).facts)
    assert result.empty
    assert "No fact is added, changed or removed" in summary(result)


def test_a_change_before_a_cut_off_names_the_editions_and_new_sources_with_their_flags(folders) -> None:
    base, head = folders
    (head / "more.yml").write_text(
        """\
sources:
  - id: src-blog-2026-02-10
    publisher: Example Blog
    title: A claim
    url: http://blog.example.org/claim
    published: '2026-02-10'
    kind: blog
    caution: true
    reliability: Minor blog.
glossary:
  - id: term-cap
    term: Cap
    definition: A limit.
    sources: [src-blog-2026-02-10]
    unverified: Only a blog says so.
""",
        encoding="utf-8",
    )
    facts = head / "facts.yml"
    facts.write_text(facts.read_text().replace("title: Round two\n", "title: Round two, in Geneva\n"))
    text = summary(review(load_facts(base, cache=False).facts, load_facts(head, cache=False).facts))
    assert "- source: `src-blog-2026-02-10` A claim" in text
    assert "- glossary term: `term-cap` Cap" in text
    assert "### Changed\n\n- event: `evt-2026-02-17-round-2` Round two, in Geneva: `title`" in text
    assert "- `2026-02-17`: changed" in text and "`2026-02-06`" not in text
    assert (
        "- `src-blog-2026-02-10` Example Blog: A claim (⚠️ caution: corroborate before relying on it; "
        "http://, not https; reliability: Minor blog\\.)"
    ) in text


def test_values_from_the_data_cannot_add_links_or_html() -> None:
    assert md("[x](https://evil.example) <img src=x> **b**") == (
        "\\[x\\]\\(https://evil\\.example\\) \\<img src=x\\> \\*\\*b\\*\\*"
    )


def test_the_command_appends_to_the_summary_file(folders) -> None:
    base, head = folders
    (head / "later.yml").write_text(EVENT_AND_MOVE, encoding="utf-8")
    out = base.parent.parent / "summary.md"
    out.write_text("# Earlier step\n", encoding="utf-8")
    result = run_cli(base.parent.parent, "review", "--base", str(base), "--head", str(head), "--output", str(out))
    assert result.returncode == 0, result.stderr
    written = out.read_text(encoding="utf-8")
    assert written.startswith("# Earlier step\n## What this change does to the story\n")
    assert "Round three" in written


def test_a_head_that_does_not_load_is_reported_not_raised(folders) -> None:
    base, head = folders
    (head / "broken.yml").write_text("events: [\n", encoding="utf-8")
    result = run_cli(head.parent, "review", "--base", str(base), "--head", str(head))
    assert result.returncode == 0
    assert "does not load (1 error)" in result.stdout
