"""The reader's site as HTML (issue 12), without a browser: valid markup (the Nu checker when
Java and vnu.jar are there), headings in the table of contents, sharing tags, the map's data,
and the wording fixes (sources without a headline, one-day spans, plurals, self-links)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from explainer.facts.load import load_facts
from explainer.facts.models import Era, Source
from explainer.site.components import Citations, PageLinks, Renderer, source_facts
from explainer.site.map import COUNTRY_OF, region
from explainer.site.tidy import compact, tidy
from site_inputs import built_site, copy_site, page, tree

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-Xss8m")
"""A short run: only the JVM's quick compiler (half the CPU time of the default), whose deeper
frames need a larger stack than the checker's schema evaluation gets by default."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site(tmp_path_factory.mktemp("reader-site"), FIXTURE_DATA)
    return built_site(root, SITE_URL="https://example.org/explainer/")


@pytest.fixture(scope="module")
def facts():
    return load_facts(FIXTURE_DATA, cache=False).facts


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# -- valid HTML -------------------------------------------------------------------------------


def test_tidy_removes_autocomplete_from_checkboxes_only() -> None:
    page_html = (
        '<input class="md-toggle" type="checkbox" id="__drawer" autocomplete="off">'
        '<input type="text" name="query" autocomplete="off">'
    )
    out = tidy(page_html)
    assert 'id="__drawer">' in out
    assert '<input type="text" name="query" autocomplete="off">' in out


def test_tidy_drops_the_toc_label_target_only_where_the_toggle_is_missing() -> None:
    label = '<label class="md-nav__title" for="__toc">'
    assert label not in tidy(f"<nav>{label}</label></nav>")
    kept = f'<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">{label}</label>'
    assert label in tidy(kept)


def test_compact_cuts_indentation_but_not_where_whitespace_counts() -> None:
    page = (
        '<nav>\n    <a href="#x">\n      X\n    </a>\n  </nav><p>a\u00a0\n  b</p>'
        "<pre>\n  kept\n    as is</pre><code>a\n   b</code><script>var a = 1;\n   var b;</script>"
    )
    assert tidy(page) == page  # previews keep the theme's indentation; publishing cuts it
    out = compact(page)
    assert out.startswith('<nav>\n<a href="#x">\nX\n</a>\n</nav><p>a\u00a0\nb</p>')  # a no-break space stays
    assert out.endswith("<pre>\n  kept\n    as is</pre><code>a\n   b</code><script>var a = 1;\n   var b;</script>")


def test_tidy_loads_the_theme_script_once_the_page_is_drawn() -> None:
    theme = '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>'
    other = '<script src="../assets/javascripts/other.js"></script>'
    out = tidy(theme + other)
    assert theme not in out and other in out
    assert '<script data-theme-script="../assets/javascripts/bundle.a5f9d56c.min.js">' in out
    assert "first-contentful-paint" in out and 'new Event("DOMContentLoaded")' in out


@pytest.mark.slow
def test_no_time_element_holds_a_range(site: Path) -> None:
    for path in html_files(site):
        text = path.read_text(encoding="utf-8")
        assert 'datetime="' not in text or "/" not in "".join(
            part.split('"', 1)[0] for part in text.split('datetime="')[1:]
        ), f"{path}: a <time datetime> holds a range"
        assert 'autocomplete="off">' not in text.replace('type="text"', ""), path


@pytest.mark.slow
def test_nu_html_checker_finds_no_error(site: Path) -> None:
    if shutil.which("java") is None or not VNU_JAR.exists():
        pytest.skip("the Nu checker needs Java and node_modules/vnu-jar (npm ci)")
    proc = subprocess.run(
        [
            "java",
            *JAVA_OPTIONS,
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--errors-only",
            "--skip-non-html",
            str(site),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.stderr.lstrip().startswith("{"), f"the Nu checker wrote no report:\n{proc.stdout}\n{proc.stderr}"
    messages = [m for m in json.loads(proc.stderr)["messages"] if m.get("type") == "error"]
    report = "\n".join(f"{m.get('url', '')[-60:]}: {m['message'][:160]}" for m in messages[:20])
    assert not messages, f"{len(messages)} Nu errors:\n{report}"


# -- outline, sharing ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("url", ["history", "history/talks", "regional-roles", "people/envoy-a", "topics/enrichment"])
def test_generated_section_headings_reach_the_table_of_contents(site: Path, url: str) -> None:
    doc = page(site, url)
    toc = doc.select("nav.md-nav--secondary ul[data-md-component=toc] a.md-nav__link")
    assert len(toc) >= 2, f"{url}: {[a.get_text(strip=True) for a in toc]}"
    for link in toc:
        assert doc.find(id=link["href"][1:]) is not None, link["href"]


@pytest.mark.slow
def test_every_page_has_sharing_tags(site: Path) -> None:
    for path in html_files(site):
        if path.name == "404.html":
            continue
        doc = tree(path)  # lxml: every page, the large API reference included
        tags = {m.get("property") or m.get("name"): m.get("content") for m in doc.xpath("/html/head//meta")}
        for name in ("og:title", "og:description", "og:image", "twitter:card", "twitter:title"):
            assert tags.get(name), f"{path}: no {name}"
        assert tags["og:image"] == "https://example.org/explainer/assets/social-card.png", tags["og:image"]
        assert tags["og:url"] == doc.xpath('//link[@rel="canonical"]/@href')[0], path
    assert (site / "assets" / "social-card.png").is_file(), "the card image is not served by the site"


@pytest.mark.slow
def test_generated_pages_describe_themselves(site: Path, facts) -> None:
    topic = facts.topics[0]
    doc = page(site, f"topics/{topic.id}")
    assert doc.select_one('meta[name="description"]')["content"] == topic.question


# -- the map's data ---------------------------------------------------------------------------------


def test_every_mapped_actor_is_a_state_in_the_data() -> None:
    real = load_facts(ROOT / "data", cache=False).facts
    for actor_id in COUNTRY_OF:
        assert actor_id in real.actors, f"map: no actor {actor_id} in data/actors"
        assert real.actors[actor_id].kind == "state", actor_id


def test_region_shapes_are_compact_and_name_their_source() -> None:
    geo = region()
    assert "Natural Earth" in geo["source"]
    assert (ROOT / "hooks/explainer/site/geo/region.json").stat().st_size < 40_000
    for iso in ("364", "512", "634", "784", "682", "818", "792", "376"):
        shape = geo["countries"][iso]
        assert shape["d"].startswith("M") and "label" in shape, iso


def test_map_links_each_actor_with_a_role(facts) -> None:
    renderer = Renderer(facts, PageLinks("regional-roles/"), Citations(facts))
    out = renderer.role_map()
    for role in facts.roles:
        assert f"#roles-{role.actor}" in out, role.actor


# -- wording ------------------------------------------------------------------------------------------


def test_a_source_without_a_headline_says_so_once() -> None:
    source = Source.model_validate(
        {
            "id": "src-x-2026-01-22",
            "publisher": "CNA (AFP)",
            "title": "Headline not captured",
            "url": "https://www.channelnewsasia.com/world/a-story",
            "published": "2026-01-22",
            "kind": "news-report",
            "reliability": "Headline not captured. The page covers: a death toll.",
        }
    )
    text = source_facts(source)
    assert text.lower().count("headline not captured") == 1, text
    assert ">page at channelnewsasia.com</a>" in text
    assert "The page covers: a death toll." in text


def test_a_one_day_era_reads_as_one_date(facts) -> None:
    era = Era.model_validate({"id": "muscat", "title": "Muscat", "start": "2026-02-06", "end": "2026-02-06"})
    renderer = Renderer(facts, PageLinks("history/"), Citations(facts))
    events = [e for e in facts.events if e.date.start.isoformat() == "2026-02-06"]
    out = renderer.era_page(era, events)
    assert "6 February 2026 – 6 February 2026" not in out
    assert "1 events" not in out


def test_an_actor_page_does_not_link_to_itself_or_repeat_the_name(facts) -> None:
    actor = next(a for a in facts.actors.values() if facts.by_actor(a.id)["quotes"])
    out = Renderer(facts, PageLinks(f"people/{actor.id}/"), Citations(facts)).actor_page(actor)
    assert 'href="./"' not in out
    assert 'class="actor-name"' not in out
