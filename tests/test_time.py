"""Editions that tell the truth about time (issue 11): which version of a record an edition shows,
when a source counts, what `check` refuses or notes, and the build refusing a text that outruns
its sources. Fixture data only; the real data's editions are checked in test_time_leaks.py."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from explainer import DataError, SiteBuild, load_facts
from explainer.facts.cut import cut
from explainer.facts.timing import mentions, published_day
from explainer.site.build import page_url
from explainer.tools.cli import main as cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
OVERLAYS = ROOT / "tests" / "fixtures" / "time"
FIRST, SECOND = date(2026, 2, 6), date(2026, 2, 17)


@pytest.fixture
def fixture_with(data_dir: Path):
    """fixture_with(overlay, extra_text=None): the shared fixture data plus an overlay file of
    tests/fixtures/time (and extra YAML); the working directory is data/'s parent."""

    def _make(overlay: str | None = None, extra: str | None = None) -> Path:
        shutil.rmtree(data_dir)
        shutil.copytree(FIXTURE_DATA, data_dir)
        if overlay:
            shutil.copy(OVERLAYS / overlay, data_dir / overlay)
        if extra:
            (data_dir / "extra.yml").write_text(extra, encoding="utf-8")
        return data_dir

    return _make


def errors_of(data: Path, strict: bool = False) -> list[str]:
    try:
        load_facts(data, strict=strict, cache=False)
    except DataError as exc:
        return [str(d) for d in exc.diagnostics]
    return []


# -- dated text: the version an edition shows -----------------------------------------------------


def test_an_edition_shows_the_early_version_until_the_late_one_is_sourced(fixture_with) -> None:
    base = load_facts(fixture_with("versions.yml"), strict=True, cache=False).facts
    assert "term-round" not in cut(base, date(2026, 2, 5)).glossary  # no version's sources yet
    early = cut(base, FIRST).glossary["term-round"]
    assert early.definition == "A meeting of the delegations; the first was held on 6 February 2026."
    assert early.sources == ["src-wire-2026-02-06"] and early.earlier == []
    late = cut(base, SECOND).glossary["term-round"]
    assert late.definition == "Two rounds were held, the second on 17 February 2026."
    assert late.sources == ["src-paper-2026-02-17"]


def test_the_glossary_page_of_each_edition_shows_its_version(fixture_with) -> None:
    base = load_facts(fixture_with("versions.yml"), strict=True, cache=False).facts
    for edition, shown, hidden in (
        ("2026-02-06", "the first was held", "Two rounds"),
        ("2026-02-17", "Two rounds", "first was"),
    ):
        site = SiteBuild.for_edition(base, edition)
        page = site.render_page(
            "glossary.md", "glossary/", "# Glossary\n\n<!-- explainer:glossary -->\n", "glossary.md"
        )
        assert shown in page.markdown and hidden not in page.markdown, edition


def test_versions_must_go_oldest_first(fixture_with) -> None:
    data = fixture_with(
        extra="""glossary:
  - id: term-x
    term: X
    definition: Later.
    as_of: '2026-02-06'
    sources: [src-wire-2026-02-06]
    earlier:
      - as_of: '2026-02-17'
        definition: Earlier?
        sources: [src-wire-2026-02-06]
"""
    )
    assert errors_of(data) == [
        "data/extra.yml:8:7: error: earlier: versions go oldest first, each before the next and before the "
        "record's own `as_of`: '2026-02-06' does not come after '2026-02-17'"
    ]


def test_an_actor_version_replaces_summary_roles_and_death(fixture_with) -> None:
    data = fixture_with(
        extra="""actors:
  - id: leader
    name: Leader
    kind: person
    summary: Leader until killed on 17 February 2026.
    roles:
      - title: Leader
        to: '2026-02-17'
        sources: [src-paper-2026-02-17]
    died: '2026-02-17'
    sources: [src-paper-2026-02-17]
    earlier:
      - as_of: '2026-02-06'
        summary: The leader.
        roles:
          - title: Leader
            sources: [src-wire-2026-02-06]
        sources: [src-wire-2026-02-06]
"""
    )
    base = load_facts(data, strict=True, cache=False).facts
    early = cut(base, FIRST).actors["leader"]
    assert (early.summary, early.died, [(r.title, r.end) for r in early.roles]) == (
        "The leader.",
        None,
        [("Leader", None)],
    )
    late = cut(base, SECOND).actors["leader"]
    assert late.died == late.roles[0].end and str(late.died) == "2026-02-17"


def test_eras_end_at_the_cutoff_and_take_their_title_as_of_it(fixture_with) -> None:
    data = fixture_with(
        extra="""eras:
  - id: later
    title: Two rounds
    start: '2026-02-01'
    end: '2026-03-31'
    as_of: '2026-02-17'
    earlier:
      - as_of: '2026-02-01'
        title: One round
"""
    )
    base = load_facts(data, strict=True, cache=False).facts
    era = next(e for e in cut(base, FIRST).eras if e.id == "later")
    assert (era.title, str(era.end)) == ("One round", "2026-02-06")
    era = next(e for e in cut(base, SECOND).eras if e.id == "later")
    assert (era.title, str(era.end)) == ("Two rounds", "2026-02-17")
    assert str(next(e for e in cut(base, None).eras if e.id == "later").end) == "2026-03-31"  # the draft view


# -- when a source counts --------------------------------------------------------------------------


def test_a_source_counts_from_the_last_day_its_date_may_mean(fixture_with) -> None:
    data = fixture_with(
        extra="""sources:
  - id: src-month
    publisher: P
    title: T
    url: https://example.org/m
    published: '2026-02'
    kind: news-report
  - id: src-about
    publisher: P
    title: T
    url: https://example.org/a
    published: unknown
    published_approx: 2026-02-06/2026-02-07
    kind: news-report
  - id: src-never
    publisher: P
    title: T
    url: https://example.org/n
    published: unknown
    kind: news-report
"""
    )
    base = load_facts(data, cache=False).facts
    days = {sid: published_day(base.sources[sid]) for sid in ("src-month", "src-about", "src-never")}
    assert days == {"src-month": date(2026, 2, 28), "src-about": date(2026, 2, 7), "src-never": None}
    assert {"src-month", "src-about", "src-never"} & set(cut(base, SECOND).sources) == {"src-about"}
    assert "src-never" in cut(base, None).sources  # the draft view counts every source


def test_a_record_is_shown_only_with_every_source_it_cites(fixture_with) -> None:
    data = fixture_with(
        extra="""glossary:
  - id: term-both
    term: Both
    definition: Cited by a wire and a later paper.
    sources: [src-wire-2026-02-06, src-paper-2026-02-17]
"""
    )
    base = load_facts(data, strict=True, cache=False).facts
    assert "term-both" not in cut(base, FIRST).glossary
    assert cut(base, SECOND).glossary["term-both"].sources == ["src-wire-2026-02-06", "src-paper-2026-02-17"]


# -- check: sources published before what they report ---------------------------------------------


def test_check_refuses_a_source_published_before_the_event_it_reports(fixture_with) -> None:
    data = fixture_with("early-source.yml")
    assert errors_of(data) == [
        "data/early-source.yml:11:5: error: event 'evt-2026-02-06-side-talks' is dated 2026-02-06 but cites "
        "'src-wire-2026-01-06', published by 2026-01-06, before it happened: a source cannot report what had not "
        "happened yet; if it reports a plan or a forecast, say so with `reports: plan` or `reports: forecast`"
    ]


def test_the_cli_prints_it_at_the_records_place(fixture_with, capsys) -> None:
    fixture_with("early-source.yml")
    assert cli(["check", "data"]) == 1
    assert "data/early-source.yml:11:5: error: event 'evt-2026-02-06-side-talks'" in capsys.readouterr().err


@pytest.mark.parametrize("mark", ["    reports: plan\n", "    status: scheduled\n"])
def test_a_plan_may_be_reported_before_its_date(fixture_with, mark: str) -> None:
    data = fixture_with("early-source.yml")
    path = data / "early-source.yml"
    path.write_text(path.read_text(encoding="utf-8") + mark, encoding="utf-8")
    assert errors_of(data) == []


def test_a_quote_cannot_be_reported_before_it_was_said(fixture_with) -> None:
    data = fixture_with(
        extra="""quotes:
  - id: q-envoy-2026-02-17-early
    text: Later words.
    speaker: envoy-a
    date: '2026-02-17'
    context: at round two
    sources: [src-wire-2026-02-06]
"""
    )
    (error,) = errors_of(data)
    assert error.startswith("data/extra.yml:2:5: error: quote 'q-envoy-2026-02-17-early' is dated 2026-02-17")


def test_a_role_that_ends_needs_a_source_published_on_or_after_its_end(fixture_with) -> None:
    role = """actors:
  - id: envoy-b
    name: Envoy B
    kind: person
    summary: An envoy.
    roles:
      - title: Envoy
        to: '2026-02-10'
        sources: [{source}]
    sources: [src-wire-2026-02-06]
"""
    (error,) = errors_of(fixture_with(extra=role.format(source="src-wire-2026-02-06")))
    assert error.startswith("data/extra.yml:7:9: error: role 'Envoy' of 'envoy-b' ends on 2026-02-10 but every")
    assert errors_of(fixture_with(extra=role.format(source="src-paper-2026-02-17"))) == []


LATER_SOURCE = """sources:
  - id: src-wire-2026-03-01
    publisher: Example Wire
    title: Later
    url: https://example.org/later
    published: '2026-03-01'
    kind: news-report
"""
"""A source published after the fixture's latest edition, for facts no edition shows yet."""


# -- check: facts no edition shows yet --------------------------------------------------------------


def test_check_notes_facts_dated_after_the_latest_edition_without_failing_strict(fixture_with, capsys) -> None:
    fixture_with(
        extra=LATER_SOURCE
        + """events:
  - id: evt-2026-03-01-later
    date: '2026-03-01'
    title: Later
    summary: Example Wire reports something later.
    sources: [src-wire-2026-03-01]
"""
    )
    loaded = load_facts("data", strict=True, cache=False)
    notes = [str(n) for n in loaded.notes]
    assert notes[0].startswith("data/extra.yml:2:5: note: source 'src-wire-2026-03-01' is in no edition yet")
    assert notes[1].startswith(
        "data/extra.yml:9:5: note: event 'evt-2026-03-01-later' is in no edition yet: it is dated 2026-03-01, "
        "after the latest edition's cut-off; add an edition to publish it"
    )
    assert cli(["check", "data", "--strict"]) == 0
    out = capsys.readouterr()
    assert "note: event 'evt-2026-03-01-later'" in out.err and "2 not in any edition yet" in out.out


def test_the_draft_view_shows_every_fact_with_a_note_on_each_page(fixture_with) -> None:
    fixture_with(
        extra=LATER_SOURCE
        + """events:
  - id: evt-2026-03-01-later
    date: '2026-03-01'
    title: A later event
    summary: Example Wire reports something later.
    sources: [src-wire-2026-03-01]
"""
    )
    base = load_facts("data", strict=True, cache=False).facts
    draft = SiteBuild.for_edition(base, "draft")
    assert draft.draft and draft.banner() is None and "evt-2026-03-01-later" in draft.facts.records["events"]
    page = draft.render_page("history/index.md", "history/", "# History\n\n<!-- explainer:timeline -->\n", "h.md")
    assert page.markdown.startswith('# History\n\n!!! warning "Draft view: not a published edition"')
    assert "A later event" in page.markdown
    changed = draft.render_page("what-changed.md", "what-changed/", draft.pages["what-changed.md"], "w.md")
    assert "Compared with the latest edition (Second round, 17 February 2026)" in changed.markdown


# -- the build refuses a text that outruns its sources ---------------------------------------------


def test_an_edition_whose_text_names_a_later_date_does_not_build(fixture_with) -> None:
    data = fixture_with(
        extra="""glossary:
  - id: term-leak
    term: Leak
    definition: Written with hindsight of 17 February 2026.
    sources: [src-wire-2026-02-06]
"""
    )
    base = load_facts(data, strict=True, cache=False).facts
    with pytest.raises(DataError) as exc:
        SiteBuild.for_edition(base, "2026-02-06")
    assert str(exc.value) == (
        "data/extra.yml:2:5: error: the edition of 6 February 2026 would show glossary term 'term-leak', whose "
        "definition names '17 February 2026', after the cut-off: give the record an earlier version (`earlier:`) "
        "that says only what its sources had published by then, or write the date with its year"
    )
    SiteBuild.for_edition(base, "2026-02-17")  # by then it is no leak


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("on 6 February 2026 and 21–22 June 2025", [("2026-02-06", "2026-02-06"), ("2025-06-21", "2025-06-22")]),
        ("at the rounds of 17 and 26 February 2026", [("2026-02-17", "2026-02-26")]),
        (
            "February 2026, then March 2026 and 2027",
            [("2026-02-01", "2026-02-28"), ("2026-03-01", "2026-03-31"), ("2027-01-01", "2027-12-31")],
        ),
        ("cited as 2026-02-06 and src-x-2026-03-01", [("2026-02-06", "2026-02-06"), ("2026-03-01", "2026-03-01")]),
        ("Feb 26, or July 20, 2015", [("2026-02-26", "2026-02-26"), ("2015-07-20", "2015-07-20")]),
        (
            "from 1987-1996; 3,117 dead; 2.5 kg; May Iran enrich?",
            [("1987-01-01", "1987-12-31"), ("1996-01-01", "1996-12-31")],
        ),
        ("In June 2025 ... on 22 June", [("2025-06-01", "2025-06-30"), ("2025-06-22", "2025-06-22")]),
        ("On 27 February Oman said so", [("2026-02-27", "2026-02-27")]),
    ],
)
def test_dates_named_in_text(text: str, named: list[tuple[str, str]]) -> None:
    assert [(str(m.first), str(m.last)) for m in mentions(text, 2026)] == named


def test_a_day_range_outruns_a_cutoff_within_it_and_a_month_does_not() -> None:
    day_range, month = mentions("6–7 February 2026 and February 2026", 2026)
    assert day_range.after(FIRST) and not month.after(FIRST)


# -- pages that know their edition ------------------------------------------------------------------


def test_the_since_directive_shows_text_only_from_its_date(fixture_with) -> None:
    base = load_facts(fixture_with(), strict=True, cache=False).facts
    page = '# About\n\n<!-- explainer:since date=2026-02-10 text="From the tenth of February." -->\n'
    for edition, shown in (("2026-02-06", False), ("2026-02-17", True)):
        rendered = SiteBuild.for_edition(base, edition).render_page("about.md", "about/", page, "about.md")
        assert ("From the tenth of February." in rendered.markdown) is shown


def test_the_matrix_notes_a_position_stated_before_an_event_that_overtook_it(fixture_with) -> None:
    data = fixture_with(
        extra="""events:
  - id: evt-2026-02-10-war
    date: '2026-02-10'
    title: A war
    summary: Example Paper reports a war.
    participants: [party-b]
    overtakes: true
    sources: [src-paper-2026-02-17]
"""
    )
    base = load_facts(data, strict=True, cache=False).facts
    for edition, noted in (("2026-02-06", False), ("2026-02-17", True)):
        site = SiteBuild.for_edition(base, edition)
        page = site.render_page("positions/index.md", "positions/", "<!-- explainer:matrix -->\n", "p.md")
        assert ("Stated before <a" in page.markdown) is noted, edition
        assert page.markdown.count("Stated before") == (1 if noted else 0)  # Party B's cell only


def test_every_generated_page_of_every_fixture_edition_renders(fixture_with) -> None:
    base = load_facts(fixture_with("versions.yml"), strict=True, cache=False).facts
    for wanted in [e.id for e in base.editions] + ["draft"]:
        site = SiteBuild.for_edition(base, wanted)
        for src_uri, markdown in site.pages.items():
            assert site.render_page(src_uri, page_url(src_uri), markdown, src_uri).diagnostics == [], (wanted, src_uri)
