"""Edition cuts: closed under references on fixture data, and every edition of the real data
built strictly by MkDocs, in process."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from explainer import SiteBuild, load_facts
from explainer.errors import EditionError
from explainer.facts.cut import cut, dangling
from explainer.site.build import page_url
from mkdocs.commands.build import build
from mkdocs.config import load_config
from site_inputs import FIXTURE_DATA, ROOT, copy_site, page

LATE_ACTOR = """
actors:
  - id: observer
    name: Late Observer
    kind: state
    summary: Known only from the second round's report.
    sources: [src-paper-2026-02-17]
roles:
  - id: role-observer-2026-02
    actor: observer
    role: interested-party
    date: '2026-02'
    did: Watched round one.
    sources: [src-wire-2026-02-06]
quotes:
  - id: q-observer-2026-02-06
    text: We are watching.
    speaker: observer
    date: '2026-02-06'
    context: on round one
    sources: [src-wire-2026-02-06]
events:
  - id: evt-2026-02-06-side-meeting
    date: '2026-02-06'
    title: A side meeting
    summary: Example Wire reports a side meeting.
    participants: [party-a, observer]
    sources: [src-wire-2026-02-06]
positions:
  - id: pos-party-b-missiles-2026-02-06
    actor: party-b
    topic: missiles
    date: '2026-02-06'
    stance: rejects
    summary: Party B says missiles are not on the table.
    quotes: [q-observer-2026-02-06]
    sources: [src-wire-2026-02-06]
contested:
  - id: cp-who-watched
    question: Who watched round one?
    date: '2026-02-06'
    claims:
      - by: [observer]
        claim: The observer says it watched.
        sources: [src-wire-2026-02-06]
      - by: [party-a, observer]
        claim: Party A and the observer say so too.
        sources: [src-wire-2026-02-06]
    sources: [src-wire-2026-02-06]
"""
FIRST, SECOND = date(2026, 2, 6), date(2026, 2, 17)


@pytest.fixture(scope="module")
def late_actor_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture data plus an actor whose only source is later than its role, quote and events."""
    data = tmp_path_factory.mktemp("late-actor") / "data"
    shutil.copytree(FIXTURE_DATA, data)
    (data / "late-actor.yml").write_text(LATE_ACTOR, encoding="utf-8")
    return data


def test_a_dropped_actor_takes_what_cannot_stand_without_it(late_actor_data: Path) -> None:
    base = load_facts(late_actor_data, strict=True, cache=False).facts
    early = cut(base, FIRST)
    assert "observer" not in early.actors
    assert "role-observer-2026-02" not in early.records["roles"]  # its actor is required
    assert "q-observer-2026-02-06" not in early.quotes  # so is a quote's speaker
    assert "cp-who-watched" not in early.records["contested"]  # one claim left of the two it needs
    assert early.records["events"]["evt-2026-02-06-side-meeting"].participants == ["party-a"]
    assert early.records["positions"]["pos-party-b-missiles-2026-02-06"].quotes == []
    assert dangling(early) == []


def test_a_cut_that_would_dangle_fails_naming_the_reference(
    late_actor_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cut's last pass is its reference check: were closing a record ever to leave it
    unchanged, the cut fails instead of showing a reference to a record it dropped."""
    import explainer.facts.cut as cutting

    base = load_facts(late_actor_data, strict=True, cache=False).facts
    monkeypatch.setattr(cutting, "_closed", lambda model, kept: model)
    with pytest.raises(EditionError, match=r"leaves references to records it dropped: .*observer"):
        cut(base, FIRST)


def test_each_cut_of_a_base_is_made_once(late_actor_data: Path) -> None:
    base = load_facts(late_actor_data, strict=True, cache=False).facts
    assert cut(base, FIRST) is cut(base, FIRST)
    assert cut(base, SECOND) is not cut(base, FIRST)


def test_the_same_records_are_whole_once_the_actor_is_known(late_actor_data: Path) -> None:
    base = load_facts(late_actor_data, strict=True, cache=False).facts
    later = cut(base, SECOND)
    assert later.records["roles"]["role-observer-2026-02"] is base.records["roles"]["role-observer-2026-02"]
    assert later.records["events"]["evt-2026-02-06-side-meeting"].participants == ["party-a", "observer"]
    assert len(later.records["contested"]["cp-who-watched"].claims) == 2
    assert dangling(later) == []


def test_every_edition_of_the_late_actor_fixture_renders_every_page(late_actor_data: Path) -> None:
    base = load_facts(late_actor_data, strict=True, cache=False).facts
    for edition in base.editions:
        site = SiteBuild.for_edition(base, edition.id)
        for src_uri, markdown in site.pages.items():
            rendered = site.render_page(src_uri, page_url(src_uri), markdown, src_uri)
            assert rendered.diagnostics == [], (edition.id, src_uri)


def test_the_late_actor_fixture_builds_every_edition_with_mkdocs(
    late_actor_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = copy_site(tmp_path / "site", late_actor_data)
    for edition in ("2026-02-06", "2026-02-17"):
        monkeypatch.setenv("EXPLAINER_EDITION", edition)
        out = tmp_path / edition
        build(load_config(str(site / "mkdocs.yml"), site_dir=str(out), strict=True))
        roles = page(out, "regional-roles").get_text()
        assert ("Watched round one" in roles) is (edition == "2026-02-17")


REAL = load_facts(ROOT / "data", cache=False).facts


def test_no_edition_of_the_real_data_dangles() -> None:
    for edition in REAL.editions:
        assert dangling(cut(REAL, edition.cutoff.end)) == [], edition.id


@pytest.mark.parametrize("edition", [e.id for e in REAL.editions])
def test_every_edition_of_the_real_data_builds_strictly(edition: str, real_edition) -> None:
    out = real_edition(edition)  # built once per run (conftest), shared with test_time_leaks and test_site
    banner = page(out, "").select_one(".edition-banner")
    assert banner is not None and REAL.edition(edition).cutoff.human() in banner.get_text()
