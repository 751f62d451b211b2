"""A pull request that is large or broken at scale must still be checked quickly: the work spent
on "did you mean" suggestions is counted, not timed, so the bound holds on any machine."""

from __future__ import annotations

import difflib
import random
import time
from pathlib import Path

import pytest
from explainer import DataError, load_facts
from explainer.facts.resolve import CloseIds

OUTLETS = [f"{a}{b}" for a in ("wire", "post", "times", "herald", "news", "daily", "globe", "press") for b in "abcdef"]


def typo(word: str, rng: random.Random) -> str:
    """`word` with one slip of the keyboard in its outlet part: a letter dropped, doubled or swapped."""
    at = rng.randrange(5, word.index("-", 4) - 1)
    slip = rng.choice(["drop", "double", "swap"])
    if slip == "drop":
        return word[:at] + word[at + 1 :]
    if slip == "double":
        return word[:at] + word[at] + word[at:]
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def similarity(word: str, known: str) -> float:
    return difflib.SequenceMatcher(None, known, word).ratio()


def write_broken_references(folder: Path, records: int, broken: int, seed: int = 7) -> dict[int, tuple[str, str]]:
    """Half sources, half events citing one source each; `broken` events cite a misspelt id.
    Returns, by the line of each misspelt reference, (the misspelt id, the intended one)."""
    rng = random.Random(seed)
    days = [f"2025-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)]
    ids: list[str] = []
    taken: set[str] = set()
    while len(ids) < records // 2:
        source_id = f"src-{rng.choice(OUTLETS)}-{rng.choice(days)}"
        if source_id not in taken:
            taken.add(source_id)
            ids.append(source_id)
    lines = ["sources:"]
    for source_id in ids:
        lines += [
            f"  - id: {source_id}",
            f"    publisher: {source_id.split('-')[1]}",
            "    title: A report",
            f"    url: https://example.org/{source_id}",
            f"    published: '{source_id[-10:]}'",
            "    kind: news-report",
        ]
    lines.append("events:")
    every = (records - len(ids)) // broken
    expected: dict[int, tuple[str, str]] = {}
    for n in range(records - len(ids)):
        cited = ids[n % len(ids)]
        if n % every == 0 and len(expected) < broken:
            wrong = typo(cited, rng)
            while wrong in taken:
                wrong = typo(cited, rng)
            expected[len(lines) + 6] = (wrong, cited)
            cited = wrong
        lines += [
            f"  - id: evt-{n}",
            f"    date: '{cited[-10:]}'",
            "    title: Something happened",
            "    summary: A report says so.",
            "    sources:",
            f"      - {cited}",
        ]
    (folder / "many.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return expected


def test_thousands_of_unknown_references_are_reported_with_bounded_work(data_dir, monkeypatch):
    expected = write_broken_references(data_dir, records=10_000, broken=2_000)
    compared = 0
    real_set_seq1 = difflib.SequenceMatcher.set_seq1

    def counting(self, a):  # difflib compares a word with one candidate per call (and sets '' first)
        nonlocal compared
        compared += a != ""
        return real_set_seq1(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    started = time.perf_counter()
    with pytest.raises(DataError) as caught:
        load_facts(data_dir, cache=False)
    elapsed = time.perf_counter() - started
    found = {d.line: d.message for d in caught.value.diagnostics}
    assert len(found) == len(caught.value.diagnostics) == len(expected) == 2_000
    # Comparing each unknown id with all 5,000 sources would be 10,000,000 comparisons.
    assert compared <= 2_000 * CloseIds.MAX_CANDIDATES
    assert elapsed < 60, f"{elapsed:.0f} s"  # was 183 s; the count above is the real bound
    monkeypatch.undo()
    as_close = 0
    for line, (wrong, intended) in expected.items():
        prefix = f"unknown source id '{wrong}'; did you mean '"
        assert found[line].startswith(prefix), found[line]
        suggested = found[line].removeprefix(prefix).removesuffix("'?")
        # as good as difflib over every id: no suggestion less alike than the id meant
        as_close += similarity(wrong, suggested) >= similarity(wrong, intended)
    assert as_close >= 0.99 * len(expected), f"{as_close} of {len(expected)}"


def test_a_word_made_only_of_common_pieces_is_not_compared_with_everything():
    ids = [f"src-wire-2025-{n // 28 % 12 + 1:02d}-{n % 28 + 1:02d}-{n}" for n in range(20_000)]
    close = CloseIds(ids)
    assert close("src-wire") is None  # every piece is in all 20,000 ids: nothing to go on
    assert close.compared == 0
    assert close(ids[1234] + "x") == ids[1234]
    assert close.compared <= CloseIds.MAX_CANDIDATES


def test_the_same_unknown_id_is_looked_up_once():
    close = CloseIds([f"actor-{n}" for n in range(1_000)])
    for _ in range(100):
        assert close("actor-5x") == "actor-5"
    assert close.compared <= CloseIds.MAX_CANDIDATES


def test_a_few_ids_are_all_compared_as_before():
    close = CloseIds(["enrichment", "missiles", "sanctions"])
    assert close("enrichmnet") == "enrichment"
    assert close("zzz") is None
    assert close.compared == 6
