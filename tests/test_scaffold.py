"""`explainer new` that a contributor can trust (issue 13): the record goes to the file and the
section it is about, in the file's style, with every optional field, a readable id, no duplicate
address, `--dry-run`, and options documented with examples. The command line runs in process."""

from __future__ import annotations

import difflib
import shutil
import textwrap
from pathlib import Path

import pytest
from explainer import load_facts
from explainer.tools.scaffold import ascii_words, options, slug
from test_cli import run_cli

ROOT = Path(__file__).resolve().parents[1]
HEADER = "# yaml-language-server: $schema=../../schema/data-file.schema.json\n"

FILES = {
    "sources/history.yml": """
        sources:
          - id: src-old-2006-12-23
            publisher: Old Paper
            title: Sanctions adopted
            url: https://old.example/2006
            published: '2006-12-23'
            kind: news-report

          - id: src-old-2018-05-08
            publisher: Old Paper
            title: Deal left
            url: https://old.example/2018
            published: '2018-05-08'
            kind: news-report
        """,
    "sources/2026.yml": """
        # Generated from the research dossier; URLs and titles are exactly as found.
        sources:
          - id: src-wire-2026-02-06
            publisher: Wire
            title: Talks open
            url: https://wire.example/talks
            published: '2026-02-06'
            kind: news-report

          - id: src-wire-2026-03-01
            publisher: Wire
            title: War
            url: https://wire.example/war
            published: '2026-03-01'
            kind: news-report

          - id: src-wire-2026-03-05
            publisher: Wire
            title: The first days of the war
            url: https://wire.example/war-days
            published: '2026-03-05'
            kind: news-report
        """,
    "actors.yml": """
        actors:
          - id: iran
            name: Iran
            kind: state
            aliases: [Islamic Republic of Iran]
            party: true
            summary: A party.
            sources: [src-wire-2026-02-06]

          - id: united-states
            name: United States
            kind: state
            party: true
            summary: The other party.
            sources: [src-wire-2026-02-06]

          - id: oman
            name: Oman
            kind: state
            summary: The host.
            sources: [src-wire-2026-02-06]
        topics:
          - id: talks-format
            name: Scope and format of talks
            question: What is on the table?
            order: 1
          - id: missiles
            name: Missiles
            question: Are missiles on the table?
            order: 6
          - id: proxies
            name: Regional armed groups
            question: Do allies count?
            order: 7
          - id: military-threat
            name: Threat of force
            question: Will force be used?
            order: 9
        series:
          - id: talks-2026
            name: 2026 rounds
        """,
    "events/1979-2012.yml": """
        events:
          - id: evt-1979-11-04-embassy
            date: '1979-11-04'
            title: Embassy seized
            summary: Students seized the embassy.
            sources: [src-old-2006-12-23]

          - id: evt-2006-12-23-resolution
            date: '2006-12-23'
            title: Resolution adopted
            summary: The Council adopted a resolution.
            sources: [src-old-2006-12-23]
        """,
    "events/2026-war.yml": """
        events:
          - id: evt-2026-02-28-strikes
            date: '2026-02-28'
            title: Strikes
            summary: Strikes began.
            sources: [src-wire-2026-03-01]
        """,
    "positions/iran.yml": """
        # Positions of Iran, by topic, oldest first.
        positions:
          # --- Scope and format of talks ---------------------------------------------------------------
          - id: pos-iran-talks-format-2026-02-06
            actor: iran
            topic: talks-format
            date: '2026-02-06'
            stance: conditional
            summary: Iran says the talks are about the nuclear file only.
            red_lines:
              - Nothing but the nuclear file
            sources: [src-wire-2026-02-06]

          # --- Missiles ----------------------------------------------------------------------------------
          - id: pos-iran-missiles-2026-02-06
            actor: iran
            topic: missiles
            date: '2026-02-06'
            stance: rejects
            summary: Iran says missiles are not negotiable.
            sources: [src-wire-2026-02-06]

          # --- Threat of force ---------------------------------------------------------------------------
          - id: pos-iran-military-threat-2026-03-01
            actor: iran
            topic: military-threat
            date: '2026-03-01'
            stance: rejects
            summary: Iran says it will answer force.
            sources: [src-wire-2026-03-01]
        """,
    "positions/united-states.yml": """
        # Positions of the United States, by topic, oldest first.
        positions:
          # --- Missiles ----------------------------------------------------------------------------------
          - id: pos-united-states-missiles-2026-02-06
            actor: united-states
            topic: missiles
            date: '2026-02-06'
            stance: demands
            summary: The United States says missiles must be included.
            sources: [src-wire-2026-02-06]

          # --- Threat of force ---------------------------------------------------------------------------
          - id: pos-united-states-military-threat-2026-03-02
            actor: united-states
            topic: military-threat
            date: '2026-03-02'
            stance: demands
            summary: The United States says all options are open.
            sources: [src-wire-2026-03-01]
        """,
}


@pytest.fixture
def data(tmp_path: Path, fresh_cache: None) -> Path:
    """A small data folder laid out as the real one: files by party, by period, with headings."""
    root = tmp_path / "data"
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        header = HEADER if "/" in name else HEADER.replace("../../", "../")
        path.write_text(header + textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    load_facts(root, cache=False, strict=True)
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def new(data: Path, *args: str):
    return run_cli(data.parent, "new", "--data-dir", "data", *args)


def added_lines(before: bytes, after: bytes) -> list[str]:
    """The lines the addition wrote, blank lines around them left out; everything that was in the
    file stays, in order, byte for byte."""
    old, new_lines = before.decode().splitlines(), after.decode().splitlines()
    ops = [op for op in difflib.SequenceMatcher(a=old, b=new_lines, autojunk=False).get_opcodes() if op[0] != "equal"]
    assert [op[0] for op in ops] == ["insert"], ops
    _, _, _, start, end = ops[0]
    added = new_lines[start:end]
    while added and not added[0]:
        added.pop(0)
    while added and not added[-1]:
        added.pop()
    return added


# -- where ------------------------------------------------------------------------------------


def test_a_united_states_position_goes_to_its_party_under_its_topic(data: Path) -> None:
    """Issue 13: it went into positions/iran.yml, under the last heading of the file."""
    before = (data / "positions/united-states.yml").read_bytes()
    result = new(
        data,
        "position",
        *("--actor", "united-states", "--topic", "missiles", "--date", "2026-03-05", "--stance", "conditional"),
        *("--summary", "The United States says missile limits could come later.", "--source", "src-wire-2026-03-01"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "added position 'pos-united-states-missiles-2026-03-05' to data/positions/united-states.yml:13, "
        "under 'Missiles'"
    )
    added = added_lines(before, (data / "positions/united-states.yml").read_bytes())
    text = (data / "positions/united-states.yml").read_text()
    assert text.index("pos-united-states-missiles-2026-03-05") < text.index("# --- Threat of force")
    assert added[0] == "  - id: pos-united-states-missiles-2026-03-05"
    assert "[src-wire-2026-02-06]\n\n  - id: pos-united-states-missiles-2026-03-05\n" in text, "a blank line between"
    assert (data / "positions/iran.yml").read_text().count("united-states") == 0


def test_a_position_on_a_topic_the_file_lacks_gets_its_heading_in_topic_order(data: Path) -> None:
    result = new(
        data,
        "position",
        *("--actor", "iran", "--topic", "proxies", "--date", "2026-02-07", "--stance", "rejects"),
        *("--summary", "Iran says its allies decide for themselves.", "--source", "src-wire-2026-02-06"),
    )
    assert result.returncode == 0, result.stderr
    assert "under 'Regional armed groups'" in result.stdout
    text = (data / "positions/iran.yml").read_text()
    heading = next(line for line in text.splitlines() if "# --- Regional armed groups" in line)
    widest = max(len(line) for line in text.splitlines() if "# ---" in line and line != heading)
    assert heading == "  # --- Regional armed groups " + "-" * (widest - 30), "as wide as the file's headings"
    assert text.index("# --- Missiles") < text.index(heading) < text.index("# --- Threat of force")
    assert f"{heading}\n  - id: pos-iran-proxies-2026-02-07\n" in text


def test_a_position_of_a_party_without_a_file_gets_one_named_after_it(data: Path) -> None:
    result = new(
        data,
        "position",
        *("--actor", "oman", "--topic", "talks-format", "--date", "2026-02-06", "--stance", "conditional"),
        *("--summary", "Oman says it will carry messages.", "--source", "src-wire-2026-02-06"),
    )
    assert result.returncode == 0, result.stderr
    created = (data / "positions/oman.yml").read_text()
    assert created.startswith(HEADER + "# Positions of Oman, by topic, oldest first.")
    assert load_facts(data, cache=False, strict=True).facts.current_position("oman", "talks-format")


def test_an_event_goes_to_the_file_of_its_period_in_date_order(data: Path) -> None:
    """Issue 13: a 1981 event went into events/2026-war.yml, the file with the newest record."""
    before = (data / "events/1979-2012.yml").read_bytes()
    result = new(
        data,
        "event",
        *("--date", "1981-01-20", "--title", "Hostages freed", "--summary", "The hostages were freed."),
        *("--source", "src-old-2006-12-23"),
    )
    assert result.returncode == 0, result.stderr
    assert "to data/events/1979-2012.yml:9 " in result.stdout
    assert (
        added_lines(before, (data / "events/1979-2012.yml").read_bytes())[0] == "  - id: evt-1981-01-20-hostages-freed"
    )
    text = (data / "events/1979-2012.yml").read_text()
    assert text.index("evt-1979-11-04") < text.index("evt-1981-01-20") < text.index("evt-2006-12-23")


def test_a_year_without_records_goes_to_the_file_whose_name_holds_it(data: Path) -> None:
    result = new(
        data, "event", "--date", "2011", "--title", "A year", "--summary", "S.", "--source", "src-old-2018-05-08"
    )
    assert result.returncode == 0, result.stderr
    assert "data/events/1979-2012.yml:" in result.stdout


def test_a_source_goes_to_the_file_of_its_period(data: Path) -> None:
    """Issue 13: a 2019 source went into sources/2026.yml."""
    result = new(
        data,
        "source",
        *("--publisher", "Radio Free Europe/Radio Liberty", "--title", "Forty years on"),
        *("--url", "https://rferl.example/40", "--published", "2019-11-01", "--kind", "news-report"),
    )
    assert result.returncode == 0, result.stderr
    assert "added source 'src-radio-free-2019-11-01' to data/sources/history.yml:" in result.stdout


# -- in the file's style ----------------------------------------------------------------------


def test_every_optional_field_is_accepted_and_written_in_the_files_style(data: Path) -> None:
    before = (data / "events/2026-war.yml").read_bytes()
    long = (
        "The United States and Israel launched strikes on Iran, which answered with missiles and drones at "
        "Israel and at US bases in the Gulf, according to the wire."
    )
    result = new(
        data,
        "event",
        *("--date", "2026-03-02", "--title", "Iran answers", "--summary", long, "--status", "held"),
        *("--place", "Tehran", "--participant", "iran,united-states", "--participant", "oman"),
        *("--topic", "military-threat", "--series", "talks-2026", "--key"),
        *("--unverified", "Only one wire reports it.", "--source", "src-wire-2026-03-05"),
    )
    assert result.returncode == 0, result.stderr
    added = added_lines(before, (data / "events/2026-war.yml").read_bytes())
    assert added == [
        "  - id: evt-2026-03-02-iran-answers",
        "    date: '2026-03-02'",
        "    title: Iran answers",
        "    summary: >-",
        "      The United States and Israel launched strikes on Iran, which answered with missiles and drones",
        "      at Israel and at US bases in the Gulf, according to the wire.",
        "    status: held",
        "    place: Tehran",
        "    participants: [iran, united-states, oman]",
        "    series: talks-2026",
        "    topics: [military-threat]",
        "    key: true",
        "    sources: [src-wire-2026-03-05]",
        "    unverified: Only one wire reports it.",
    ]
    event = load_facts(data, cache=False).facts.records["events"]["evt-2026-03-02-iran-answers"]
    assert event.summary == long and event.key and event.place == "Tehran"


def test_source_options_set_caution_reliability_and_the_rest(data: Path) -> None:
    result = new(
        data,
        "source",
        *("--publisher", "Minor Site (republishing Reuters)", "--title", "Headline: as published"),
        *("--url", "https://minor.example/x", "--published", "unknown", "--published-approx", "2026-02"),
        *("--accessed", "2026-02-10", "--archive-url", "https://archive.example/minor"),
        *("--kind", "republished-wire-copy", "--original", "Reuters", "--caution"),
        *("--reliability", "Minor outlet; corroborate.", "--title-from-url"),
    )
    assert result.returncode == 0, result.stderr
    source = load_facts(data, cache=False).facts.sources["src-minor-site-2026-02"]
    assert (source.caution, source.reliability, source.original, str(source.accessed)) == (
        True,
        "Minor outlet; corroborate.",
        "Reuters",
        "2026-02-10",
    )
    assert source.title == "Headline: as published" and source.title_from_url
    text = (data / "sources/2026.yml").read_text()
    assert "    title: 'Headline: as published'\n" in text


def test_position_lists_red_lines_and_quotes(data: Path) -> None:
    result = new(
        data,
        "position",
        *("--actor", "iran", "--topic", "missiles", "--date", "2026-02-20", "--stance", "rejects"),
        *("--summary", "Iran says no.", "--red-line", "No limits on range", "--demand", "Sanctions relief"),
        *("--flexibility", "Talks on other topics", "--source", "src-wire-2026-02-06"),
    )
    assert result.returncode == 0, result.stderr
    position = load_facts(data, cache=False).facts.current_position("iran", "missiles")
    assert position.red_lines == ["No limits on range"] and position.demands == ["Sanctions relief"]
    text = (data / "positions/iran.yml").read_text()
    assert "    red_lines:\n      - No limits on range\n" in text, "text lists as the file writes them"


# -- ids ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, words",
    [
        ("Evrim Ağacı", ["evrim", "agaci"]),
        ("Türkiye Today", ["turkiye", "today"]),
        ("Москва", ["moskva"]),
    ],
)
def test_names_are_transliterated_not_dropped(name, words) -> None:
    """Issue 13: 'Evrim Ağacı' became `evrim-agac`, and Persian disappeared."""
    assert ascii_words(name) == words


def test_persian_gives_a_readable_id() -> None:
    assert slug("خبرگزاری فارس", 2) == "khbrgzry-frs"
    assert slug("عباس عراقچی", 2) == "bs-rqchy"


def test_a_persian_publisher_gets_an_id_from_its_name(data: Path) -> None:
    result = new(
        data,
        "source",
        *("--publisher", "خبرگزاری فارس", "--title", "گزارش", "--url", "https://fars.example/1"),
        *("--published", "2026-02-07", "--kind", "state-media"),
    )
    assert result.returncode == 0, result.stderr
    assert "src-khbrgzry-frs-2026-02-07" in load_facts(data, cache=False).facts.sources


def test_an_id_can_be_given_and_a_taken_one_is_refused(data: Path) -> None:
    args = ("--date", "2026-03-03", "--title", "T", "--summary", "S.", "--source", "src-wire-2026-03-05")
    assert new(data, "event", *args, "--id", "evt-2026-03-03-chosen").returncode == 0
    again = new(data, "event", *args, "--id", "evt-2026-03-03-chosen")
    assert again.returncode == 1
    assert again.stderr.startswith("error: --id: 'evt-2026-03-03-chosen' is taken (by the event at data/events/")


# -- refusals, dry run, the command line ---------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["https://wire.example/talks", "http://wire.example/talks/", "https://www.wire.example/talks#top"],
)
def test_the_same_address_twice_is_refused_naming_the_source(url, data: Path) -> None:
    """Issue 13: the same URL added twice silently became a second source."""
    before = snapshot(data)
    result = new(data, "source", "--publisher", "W", "--title", "T", "--url", url, "--published", "2026-02-06")
    assert result.returncode == 1
    assert result.stderr == (
        "error: --url: this address is already the source 'src-wire-2026-02-06' (data/sources/2026.yml:4:5); "
        "cite 'src-wire-2026-02-06' instead of adding it again\n"
    )
    assert snapshot(data) == before


def test_dry_run_shows_where_and_what_and_writes_nothing(data: Path) -> None:
    before = snapshot(data)
    result = new(
        data,
        "quote",
        *("--speaker", "iran", "--date", "2026-02-06", "--text", "Only nuclear."),
        *("--context", "To reporters.", "--source", "src-wire-2026-02-06", "--dry-run"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "would add quote 'q-iran-2026-02-06' to data/quotes.yml:3 (dry run: nothing written):"
    )
    assert "  - id: q-iran-2026-02-06" in result.stdout
    assert snapshot(data) == before


def test_data_dir_may_follow_the_kind(data: Path) -> None:
    """Issue 13: --data-dir worked only before the kind."""
    result = run_cli(
        data.parent,
        "new",
        "event",
        *("--date", "2026-03-04", "--title", "T", "--summary", "S.", "--source", "src-wire-2026-03-05"),
        *("--data-dir", str(data)),
    )
    assert result.returncode == 0, result.stderr


def test_an_unknown_id_is_refused_with_a_suggestion_from_aliases(data: Path) -> None:
    result = new(
        data,
        "position",
        *("--actor", "islamic-republic-of-iran", "--topic", "missiles", "--date", "2026-02-20"),
        *("--stance", "rejects", "--summary", "S.", "--source", "src-wire-2026-02-06"),
    )
    assert result.returncode == 1
    assert result.stderr == "error: --actor: unknown actor id 'islamic-republic-of-iran'; did you mean 'iran'?\n"


@pytest.mark.parametrize("kind", ["source", "event", "quote", "position"])
def test_every_option_has_help_and_the_kinds_have_examples(kind: str, tmp_path: Path) -> None:
    """Issue 13: most options had no help text, and there were no examples."""
    for option in options(kind):
        assert option.help and not option.help.startswith("("), (kind, option.name)
    result = run_cli(tmp_path, "new", kind, "--help")
    assert result.returncode == 0
    assert "examples:\n  python -m explainer new " + kind in result.stdout
    for flag in ("--dry-run", "--id", "--data-dir"):
        assert flag in result.stdout


def test_every_optional_field_of_the_models_is_an_option() -> None:
    names = {kind: {o.name for o in options(kind)} for kind in ("source", "event", "quote", "position")}
    assert {"place", "participants", "topics", "key", "series", "status", "unverified"} <= names["event"]
    assert {"red_lines", "demands", "flexibility", "quotes", "unverified"} <= names["position"]
    assert {"caution", "reliability", "archive_url", "accessed", "original", "published_approx"} <= names["source"]
    assert {"topics", "unverified"} <= names["quote"]


def test_the_journey_on_the_real_data(tmp_path: Path, fresh_cache: None) -> None:
    """The issue's journey against a copy of the real data, as dry runs: each record is placed
    by what it is about."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    cases = [
        (
            ["position", "--actor", "united-states", "--topic", "missiles", "--date", "2026-03-01"],
            "data/positions/united-states.yml",
            "under 'Missiles'",
        ),
        (["event", "--date", "1981-01-20", "--title", "Hostages freed"], "data/events/1979-2012.yml", ""),
        (["source", "--published", "2019-05-01", "--url", "https://x.example/a"], "data/sources/history.yml", ""),
    ]
    facts = load_facts(data, cache=False).facts
    source = next(iter(facts.sources))
    for args, path, section in cases:
        fill = {
            "position": ["--stance", "demands", "--summary", "S.", "--source", source],
            "event": ["--summary", "S.", "--source", source],
            "source": ["--publisher", "P", "--title", "T"],
        }[args[0]]
        result = new(data, *args, *fill, "--dry-run")
        assert result.returncode == 0, result.stderr
        assert f" to {path}:" in result.stdout and section in result.stdout, result.stdout
