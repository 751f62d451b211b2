"""The source policy in data (`data/policy.yml`, issue 13): excluded publishers are refused, a
statement resting only on caution sources must be marked unverified, and http:// is warned about."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from explainer import DataError, load_facts
from explainer.facts.policy import POLICY_FILE, Policy
from snippets import SOURCE

ROOT = Path(__file__).resolve().parents[1]
DOSSIER = ROOT.parent / "shared" / "sources" / "dossier.md"

POLICY = """\
excluded:
  - domain: bad.example
    publisher: Bad Example
    reason: Contradicted by all other reporting.
http_as_found:
  - url: http://old.example/kept
"""

EVENT = """\
events:
  - id: evt-x
    date: '2026-02-06'
    title: X
    summary: Something.
    sources: [{sources}]
"""


def source(sid: str, url: str, caution: bool = False, publisher: str = "Example Wire") -> str:
    record = SOURCE.removeprefix("sources:\n").replace("src-wire-2026-02-06", sid)
    record = record.replace("https://example.org/wire/talks-open", url).replace("Example Wire", publisher)
    return record + ("    caution: true\n" if caution else "")


@pytest.fixture
def with_policy(write):
    write(POLICY_FILE, POLICY)
    return write


def test_a_source_of_an_excluded_publisher_is_refused(with_policy, diagnostics) -> None:
    with_policy("a.yml", "sources:\n" + source("src-bad", "https://www.bad.example/story"))
    assert diagnostics() == [
        "data/a.yml:5:10: error: source 'src-bad': Bad Example (bad.example) is excluded by data/policy.yml: "
        "Contradicted by all other reporting.; remove the source and cite another for what rests on it"
    ]


def test_a_look_alike_domain_is_not_excluded(with_policy, data_dir) -> None:
    with_policy("a.yml", "sources:\n" + source("src-ok", "https://notbad.example/story"))
    load_facts(data_dir, cache=False, strict=True)


def test_a_statement_resting_only_on_caution_sources_must_be_unverified(with_policy, diagnostics) -> None:
    with_policy(
        "a.yml", "sources:\n" + source("src-c", "https://c.example/x", caution=True) + EVENT.format(sources="src-c")
    )
    assert diagnostics() == [
        "data/a.yml:14:14: error: every source of this statement is marked `caution: true` (src-c: Example Wire): "
        "set `unverified:` with the reason, or cite a source that corroborates it"
    ]


@pytest.mark.parametrize(
    "extra, cited",
    [("    unverified: Only one low-reliability outlet says so.\n", "src-c"), ("", "src-c, src-ok")],
    ids=["marked-unverified", "corroborated"],
)
def test_unverified_or_corroborated_passes(extra, cited, with_policy, data_dir) -> None:
    with_policy(
        "a.yml",
        "sources:\n"
        + source("src-c", "https://c.example/x", caution=True)
        + source("src-ok", "https://ok.example/x")
        + EVENT.format(sources=cited)
        + extra,
    )
    load_facts(data_dir, cache=False, strict=True)


def test_a_contested_claim_resting_on_caution_sources_must_be_unverified(with_policy, diagnostics) -> None:
    with_policy(
        "a.yml",
        "sources:\n"
        + source("src-c", "https://c.example/x", caution=True)
        + source("src-ok", "https://ok.example/x")
        + "actors:\n  - id: a\n    name: A\n    kind: state\n    summary: S.\n    sources: [src-ok]\n"
        + "contested:\n  - id: cp-x\n    question: Q?\n    date: '2026'\n    sources: [src-ok]\n    claims:\n"
        + "      - by: [a]\n        claim: C.\n        sources: [src-c]\n"
        + "      - by: [a]\n        claim: D.\n        sources: [src-ok]\n",
    )
    [line] = diagnostics()
    assert line.startswith("data/a.yml:29:18: error: every source of this statement is marked `caution: true`")


def test_http_is_a_warning_with_the_hint(with_policy, data_dir) -> None:
    with_policy("a.yml", "sources:\n" + source("src-h", "http://plain.example/page"))
    warnings = [str(w) for w in load_facts(data_dir, cache=False).warnings]
    assert warnings == [
        "data/a.yml:5:10: warning: url: 'http://plain.example/page' is not https: use the https:// address if "
        "the site serves one; if it serves none, list the address under `http_as_found` in data/policy.yml"
    ]
    with pytest.raises(DataError):
        load_facts(data_dir, cache=False, strict=True)


def test_http_kept_as_found_is_not_warned_about(with_policy, data_dir) -> None:
    with_policy("a.yml", "sources:\n" + source("src-h", "http://old.example/kept"))
    assert load_facts(data_dir, cache=False, strict=True).warnings == ()


def test_without_a_policy_file_nothing_changes(write, data_dir) -> None:
    write(
        "a.yml",
        "sources:\n"
        + source("src-bad", "http://www.bad.example/story", caution=True)
        + EVENT.format(sources="src-bad"),
    )
    assert load_facts(data_dir, cache=False, strict=True).facts.count == 2


def test_a_mistake_in_the_policy_is_placed(write, diagnostics) -> None:
    write(POLICY_FILE, "excluded:\n  - domain: Bad Example\n    publisher: B\n    reason: R\n    extra: 1\n")
    write("a.yml", SOURCE)
    lines = diagnostics()
    assert lines[0].startswith("data/policy.yml:2:13: error: domain: String should match pattern")
    assert lines[1] == "data/policy.yml:5:5: error: unknown field 'extra' in the policy"


def test_the_policy_file_holds_no_facts(write, diagnostics) -> None:
    write(POLICY_FILE, SOURCE)
    assert diagnostics() == ["data/policy.yml:1:1: error: unknown field 'sources' in the policy"]


# -- the repository's policy -------------------------------------------------------------------


def repo_policy() -> Policy:
    from explainer.facts.loader import load_file

    loaded = load_file(ROOT / "data" / POLICY_FILE)
    assert loaded.diagnostics == []
    return Policy.model_validate(loaded.data)


def test_the_repository_data_follows_its_policy() -> None:
    """Two actor records rested only on caution sources without saying so; now the data passes."""
    facts = load_facts(ROOT / "data", cache=False, strict=True).facts
    policy = repo_policy()
    assert not [s.id for s in facts.sources.values() if policy.excluded_for(s)]


@pytest.mark.skipif(not DOSSIER.is_file(), reason="the research dossier is not beside the repository")
def test_every_source_the_dossier_excludes_is_in_the_policy() -> None:
    text = DOSSIER.read_text(encoding="utf-8")
    section = text.split("## Excluded / low-reliability sources", 1)[1].split("Used but flagged", 1)[0]
    urls = re.findall(r"(https?://\S+) — ", section)
    assert len(urls) == 4
    pages = {page for rule in repo_policy().excluded for page in rule.pages}
    assert set(urls) == pages
