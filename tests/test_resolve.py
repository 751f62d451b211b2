"""Joining files into one FactBase: unique ids, references that exist, warnings, edition cuts;
and the engine around it: every error at once, the cache, the repository's own data."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from types import MappingProxyType

import pytest
from explainer import DataError, load_facts
from explainer.facts import load as engine
from explainer.facts.cut import cut as as_of
from explainer.facts.dates import FuzzyDate
from explainer.facts.factbase import FactBase, empty_records
from explainer.facts.models import Era, Event
from hypothesis import given
from hypothesis import strategies as st
from snippets import SOURCE

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "data" / "facts.yml"


TOPICS = """\
topics:
  - id: enrichment
    name: Enrichment
    question: May Party B enrich uranium?
  - id: missiles
    name: Missiles
    question: Are missiles on the table?
"""


@pytest.fixture
def fixture_copy(data_dir: Path) -> Path:
    """The fixture data set, copied into the scratch data folder."""
    shutil.copy(FIXTURE, data_dir / "facts.yml")
    return data_dir


# -- ids ------------------------------------------------------------------------------------


def test_duplicate_id_across_two_files_points_at_the_first(write, diagnostics):
    write("a.yml", TOPICS)
    write(
        "b.yml",
        """
        topics:
          - id: missiles
            name: Missiles again
            question: Are missiles on the table?
        """,
    )
    assert diagnostics() == ["data/b.yml:2:9: error: duplicate id 'missiles' (first at data/a.yml:5:5)"]


def test_duplicate_id_in_one_file(write, diagnostics):
    write(
        "a.yml",
        TOPICS
        + """\
  - id: enrichment
    name: Enrichment again
    question: Q?
""",
    )
    assert diagnostics() == ["data/a.yml:8:9: error: duplicate id 'enrichment' (first at data/a.yml:2:5)"]


# -- references -----------------------------------------------------------------------------

EVENT = """\
events:
  - id: evt-2026-02-06-round-1
    date: '2026-02-06'
    title: Round one
    summary: The talks opened.
    topics: [enrichmnt]
    sources: [src-wire-2026-02-07]
"""


def test_unknown_reference_with_did_you_mean(write, diagnostics):
    write("a.yml", SOURCE + TOPICS)
    write("b.yml", EVENT)
    assert diagnostics() == [
        "data/b.yml:6:14: error: unknown topic id 'enrichmnt'; did you mean 'enrichment'?",
        "data/b.yml:7:15: error: unknown source id 'src-wire-2026-02-07'; did you mean 'src-wire-2026-02-06'?",
    ]


def test_unknown_reference_without_a_close_match(write, diagnostics):
    write("a.yml", SOURCE + TOPICS)
    write("b.yml", EVENT.replace("[enrichmnt]", "[zzzz-qqqq]").replace("src-wire-2026-02-07", "src-wire-2026-02-06"))
    assert diagnostics() == ["data/b.yml:6:14: error: unknown topic id 'zzzz-qqqq'"]


def test_unknown_references_in_nested_records_and_single_fields(write, diagnostics):
    write(
        "a.yml",
        SOURCE
        + """\
series:
  - id: talks-2026
    name: 2026 rounds
actors:
  - id: party-a
    name: Party A
    kind: state
    summary: One party.
    affiliation: party-z
    sources: [src-wire-2026-02-06]
    roles:
      - title: Envoy
        of: partya
        sources: [src-wire-2026-02-06]
events:
  - id: evt-x
    date: '2026'
    title: X
    summary: X.
    series: talks-2025
    sources: [src-wire-2026-02-06]
""",
    )
    assert diagnostics() == [
        "data/a.yml:16:18: error: unknown actor id 'party-z'; did you mean 'party-a'?",
        "data/a.yml:20:13: error: unknown actor id 'partya'; did you mean 'party-a'?",
        "data/a.yml:27:13: error: unknown series id 'talks-2025'; did you mean 'talks-2026'?",
    ]


def test_fixture_loads_with_every_kind(fixture_copy):
    facts = load_facts(fixture_copy, cache=False).facts
    assert facts.count == 25
    assert all(facts.records[kind] for kind in facts.records)
    assert str(facts.origins["sources:src-wire-2026-02-06"]) == "data/facts.yml:3:5"


# -- warnings -------------------------------------------------------------------------------

UNDATED = SOURCE.replace("    published: '2026-02-06'\n", "")
UNDATED_WARNING = (
    "data/a.yml:2:5: warning: source 'src-wire-2026-02-06' has no publication date: add "
    "`published:` with the date the page shows, or `published: unknown` if it shows none"
)


def test_undated_source_is_a_warning(write, data_dir):
    write("a.yml", UNDATED)
    loaded = load_facts(data_dir, cache=False)
    assert [str(w) for w in loaded.warnings] == [UNDATED_WARNING]
    assert loaded.facts.sources["src-wire-2026-02-06"].published is None


def test_undated_source_fails_under_strict(write, diagnostics):
    write("a.yml", UNDATED)
    assert diagnostics(strict=True) == [
        UNDATED_WARNING.replace(": warning: ", ": error: ") + " (a warning, failing under --strict)"
    ]


def test_dated_source_has_no_warning(write, data_dir):
    write("a.yml", SOURCE)
    assert load_facts(data_dir, strict=True, cache=False).warnings == ()


def test_warnings_are_sorted_across_files(write, data_dir):
    write("b.yml", UNDATED)
    write("a.yml", UNDATED.replace("src-wire-2026-02-06", "src-other-2026"))
    warnings = [str(w) for w in load_facts(data_dir, cache=False).warnings]
    assert [w.split(":")[0] for w in warnings] == ["data/a.yml", "data/b.yml"]


# -- as_of: the facts at an edition's cut-off ------------------------------------------------


def test_as_of_drops_what_came_later(fixture_copy):
    base = load_facts(fixture_copy, cache=False).facts
    cut = as_of(base, date(2026, 2, 6))
    dropped = {kind: sorted(set(base.records[kind]) - set(cut.records[kind])) for kind in base.records}
    assert {kind: ids for kind, ids in dropped.items() if ids} == {
        "sources": ["src-paper-2026-02-17"],
        "events": ["evt-2026-02-17-round-2"],
        "positions": ["pos-party-a-enrichment-2026-02-17"],
        "quotes": ["q-envoy-2026-02-17"],
        "editions": ["2026-02-17"],
    }
    assert cut.cutoff == date(2026, 2, 6)
    assert base.quotes["q-envoy-2026-02-17"].unverified  # the unverified quote went too
    # a source of unknown date with an approximate one counts from that date
    assert "src-archive-1979" in cut.sources
    assert "term-enrichment" in cut.glossary


def test_as_of_position_history_shows_the_state_at_the_cut(fixture_copy):
    base = load_facts(fixture_copy, cache=False).facts
    assert base.current_position("party-a", "enrichment").stance == "conditional"
    cut = as_of(base, date(2026, 2, 6))
    history = cut.position_history[("party-a", "enrichment")]
    assert [p.id for p in history] == ["pos-party-a-enrichment-2026-02-06"]
    assert cut.current_position("party-a", "enrichment").stance == "demands"
    assert cut.current_position("party-b", "enrichment").stance == "rejects"
    # a kept position no longer lists quotes the cut removed
    assert cut.positions[0].quotes == ["q-envoy-2026-02-06"]


def test_as_of_before_the_talks_keeps_only_the_history(fixture_copy):
    cut = as_of(load_facts(fixture_copy, cache=False).facts, date(2026, 1, 1))
    assert [e.id for e in cut.events] == ["evt-1979-revolution"]
    assert list(cut.sources) == ["src-archive-1979"]
    assert cut.positions == () and cut.quotes == {} and cut.editions == ()
    assert cut.contested == ()


def test_as_of_contested_point_needs_two_claims_at_the_cut(fixture_copy, write):
    write(
        "later.yml",
        """
        contested:
          - id: cp-second-round
            question: Was there progress?
            date: '2026-02-06'
            claims:
              - by: [party-a]
                claim: Party A says there was progress.
                sources: [src-wire-2026-02-06]
              - by: [party-b]
                claim: Party B says there was none.
                sources: [src-paper-2026-02-17]
            sources: [src-wire-2026-02-06]
        """,
    )
    base = load_facts(fixture_copy, cache=False).facts
    early = as_of(base, date(2026, 2, 6))
    assert [c.id for c in early.contested] == ["cp-direct-or-indirect"]
    late = as_of(base, date(2026, 2, 17))
    assert [c.id for c in late.contested] == ["cp-direct-or-indirect", "cp-second-round"]
    assert len(late.records["contested"]["cp-second-round"].claims) == 2


def test_as_of_shows_a_record_only_with_all_its_sources(fixture_copy, write):
    write(
        "later.yml",
        """
        events:
          - id: evt-2026-02-06-talks-day
            date: '2026-02-06'
            title: Talks day
            summary: Both reports describe it.
            sources: [src-wire-2026-02-06, src-paper-2026-02-17]
        """,
    )
    base = load_facts(fixture_copy, cache=False).facts
    # on 6 February one of its two sources was not yet published: the text is not shown at all
    assert "evt-2026-02-06-talks-day" not in as_of(base, date(2026, 2, 6)).records["events"]
    event = as_of(base, date(2026, 2, 17)).records["events"]["evt-2026-02-06-talks-day"]
    assert event.sources == ["src-wire-2026-02-06", "src-paper-2026-02-17"]


# -- every error of a run, at once and sorted ----------------------------------------------


def test_every_error_is_reported_at_once_sorted_by_file_and_line(write, diagnostics):
    write(
        "b.yml",
        SOURCE
        + """\
topics:
  - id: t
    name: T
    question: Q?
    order: high
  - id: u
    question: U?
""",
    )
    write(
        "a.yml",
        """
        topics:
          - id: v
            name: V
            question: V?
            name: W
        events:
          - id: evt-a
            date: '2026-02-30'
            title: A
            summary: A.
            sources: [src-nope]
            topics: [tt]
        """,
    )
    write("c/c.yml", "topics:\n\t- id: x\n")
    write("d.yml", "")
    lines = diagnostics()
    assert lines == [
        "data/a.yml:5:5: error: duplicate key 'name' (first at line 3); YAML would silently keep only the last",
        "data/a.yml:8:11: error: date: '2026-02-30' is not a real date: February 2026 has 28 days",
        "data/b.yml:12:12: error: order: Input should be a valid integer",
        "data/b.yml:13:5: error: missing required field 'name'",
        "data/c/c.yml:2:1: error: tab character in indentation: YAML indents with spaces only",
        "data/d.yml:1:1: error: the file is empty: remove it or add records",
    ]


def test_reference_errors_from_several_files_are_sorted(write, diagnostics):
    write("z.yml", SOURCE + TOPICS)
    for name in ("b.yml", "a.yml"):
        write(
            name,
            EVENT.replace("evt-2026-02-06-round-1", f"evt-{name[0]}").replace(
                "src-wire-2026-02-07", "src-wire-2026-02-06"
            ),
        )
    assert diagnostics() == [
        "data/a.yml:6:14: error: unknown topic id 'enrichmnt'; did you mean 'enrichment'?",
        "data/b.yml:6:14: error: unknown topic id 'enrichmnt'; did you mean 'enrichment'?",
    ]


def test_lines_sort_as_numbers(write, diagnostics):
    write("a.yml", "topics:\n" + "".join(f"  - id: t{i}\n    name: N\n    question: Q\n    bad: 1\n" for i in range(4)))
    assert [line.split(":")[1] for line in diagnostics()] == ["5", "9", "13", "17"]


def test_missing_data_folder(tmp_path, fresh_cache):
    with pytest.raises(DataError) as caught:
        load_facts(tmp_path / "nope")
    assert [d.message for d in caught.value.diagnostics] == ["no such data folder"]


# -- cache ----------------------------------------------------------------------------------


def _no_parsing(monkeypatch):
    def refuse(paths):
        raise AssertionError("parsed again instead of using the cache")

    monkeypatch.setattr(engine, "_load", refuse)


def _count_parsing(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = engine._load

    def counting(paths):
        calls.append(len(paths))
        return real(paths)

    monkeypatch.setattr(engine, "_load", counting)
    return calls


def test_second_load_comes_from_memory(fixture_copy, fresh_cache, monkeypatch):
    first = load_facts(fixture_copy)
    assert list(engine._MEMORY.values()) == [first]
    _no_parsing(monkeypatch)
    assert load_facts(fixture_copy) is first


def test_a_planted_cache_file_is_never_read(fixture_copy, fresh_cache, monkeypatch, tmp_path):
    """A pull request could commit any file: no cache is read from disk, so none can run code."""
    monkeypatch.chdir(tmp_path)
    planted = tmp_path / ".cache" / "explainer"
    planted.mkdir(parents=True)
    for name in ("x.pickle", "cache.json"):
        (planted / name).write_bytes(b"cos\nsystem\n(S'touch pwned'\ntR.")
    load_facts(fixture_copy)
    assert not (tmp_path / "pwned").exists()
    assert sorted(p.name for p in planted.iterdir()) == ["cache.json", "x.pickle"]  # nothing written either


def test_editing_a_file_invalidates_the_cache(fixture_copy, fresh_cache, monkeypatch):
    calls = _count_parsing(monkeypatch)
    load_facts(fixture_copy)
    load_facts(fixture_copy)
    assert calls == [1]
    path = fixture_copy / "facts.yml"
    path.write_text(path.read_text().replace("Talks open in a capital", "Talks open"))
    edited = load_facts(fixture_copy)
    assert calls == [1, 1]
    assert edited.facts.sources["src-wire-2026-02-06"].title == "Talks open"


def test_adding_a_file_invalidates_the_cache(fixture_copy, write, monkeypatch):
    calls = _count_parsing(monkeypatch)
    load_facts(fixture_copy)
    write("more.yml", "series:\n  - id: talks-2027\n    name: 2027 rounds\n")
    assert "talks-2027" in load_facts(fixture_copy).facts.series
    assert calls == [1, 2]


def test_breaking_a_cached_file_raises(fixture_copy):
    load_facts(fixture_copy)
    path = fixture_copy / "facts.yml"
    path.write_text(path.read_text().replace("kind: news-report", "kind: rumour"))
    with pytest.raises(DataError):
        load_facts(fixture_copy)


def test_strict_applies_to_a_cached_result(write, data_dir):
    write("a.yml", UNDATED)
    assert load_facts(data_dir).warnings
    with pytest.raises(DataError):
        load_facts(data_dir, strict=True)


def test_cache_false_leaves_no_trace(fixture_copy, fresh_cache):
    load_facts(fixture_copy, cache=False)
    assert engine._MEMORY == {}


# -- real and synthetic data ----------------------------------------------------------------


def test_repository_data_has_no_errors(fresh_cache):
    data = ROOT / "data"
    assert data.is_dir() and engine.data_files(data), "data/ holds no data files yet"
    try:
        loaded = load_facts(data, cache=False)
    except DataError as exc:
        pytest.fail(f"data/ has {len(exc.diagnostics)} errors:\n{exc}")
    assert loaded.facts.count > 0


_DAY = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 3, 31))  # few days: many ties


@st.composite
def _fuzzy(draw: st.DrawFn) -> FuzzyDate:
    """A day, a month, or a range of days."""
    day = draw(_DAY)
    shape = draw(st.sampled_from(["day", "month", "range"]))
    if shape == "month":
        return FuzzyDate.parse(day.strftime("%Y-%m"))
    if shape == "range":
        return FuzzyDate.parse(f"{day.isoformat()}/{draw(_DAY.filter(lambda d: d > day)).isoformat()}")
    return FuzzyDate.parse(day.isoformat())


@given(
    events=st.lists(_fuzzy(), max_size=30),
    eras=st.lists(st.tuples(_fuzzy(), _fuzzy()).filter(lambda p: p[0].start <= p[1].end), max_size=8),
)
def test_each_era_holds_exactly_the_events_that_start_within_it(events: list[FuzzyDate], eras: list[tuple]) -> None:
    """The index the era pages and event links use (`events_by_era`, by bisection) against the
    definition: an event belongs to every era whose span holds the first day it can have been."""
    records = empty_records()
    for n, day in enumerate(events):
        records["events"][f"evt-{n}"] = Event.model_construct(id=f"evt-{n}", date=day)
    for n, (start, end) in enumerate(eras):
        records["eras"][f"era-{n}"] = Era.model_construct(id=f"era-{n}", start=start, end=end)
    facts = FactBase(MappingProxyType({k: MappingProxyType(v) for k, v in records.items()}))
    for era in facts.eras:
        expected = [e for e in facts.events if era.start.start <= e.date.start <= era.end.end]
        assert list(facts.events_by_era[era.id]) == expected
    assert facts.eras_with_events == tuple(era for era in facts.eras if facts.events_by_era[era.id])
