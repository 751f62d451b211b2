"""Unit tests of the rendering layer: render.py, directives.py and pages.py functions, on the
fixture's facts (tests/fixtures/data), without building a site. HTML is checked parsed."""

from __future__ import annotations

import copy
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from explainer.facts.load import load_facts
from explainer.facts.models import Event, Quote
from explainer.site.components import Citations, PageLinks, Renderer, esc, html, join, md_text, source_entry
from explainer.site.directives import REGISTRY, DirectiveError, expand, parse
from explainer.site.pages import generated_pages, nav_sections

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"

WIRE = "src-wire-2026-02-06"
PAPER = "src-paper-2026-02-17"
ARCHIVE = "src-archive-1979"


@pytest.fixture(scope="module")
def facts():
    """The fixture's facts, all editions (no cache: nothing is written to disk)."""
    return load_facts(FIXTURE_DATA, cache=False).facts


def renderer(facts, page_url: str = "positions/") -> Renderer:
    links = PageLinks(page_url)
    return Renderer(facts, links, Citations(facts))


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def run(facts, text: str, page_url: str = "about/") -> tuple[str, list[str]]:
    """Expand directives in `text` as the page `docs/page.md` at `page_url`; the problems as printed."""
    out, problems = expand(text, renderer(facts, page_url), "docs/page.md")
    return out, [str(p) for p in problems]


# -- PageLinks.to: links relative to the page --------------------------------------------------


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("", "people/envoy-a/", "people/envoy-a/"),
        ("", "history/#evt-1", "history/#evt-1"),
        ("", "data/facts.json", "data/facts.json"),
        ("history/", "people/envoy-a/", "../people/envoy-a/"),
        ("history/", "history/#evt-1", "./#evt-1"),
        ("people/envoy-a/", "people/party-a/", "../party-a/"),
        ("people/envoy-a/", "people/envoy-a/#q-1", "./#q-1"),
        ("people/envoy-a/", "sources/#src-x", "../../sources/#src-x"),
        ("people/envoy-a/", "data/facts.json", "../../data/facts.json"),
        ("topics/enrichment/", "#ref-src-x", "#ref-src-x"),
        ("what-changed/", "topics/enrichment/", "../topics/enrichment/"),
    ],
)
def test_page_links_are_relative_to_the_page(page: str, target: str, expected: str) -> None:
    assert PageLinks(page).to(target) == expected


def test_page_links_record_points_at_the_record_home(facts) -> None:
    links = PageLinks("history/")
    assert links.record(facts.actors["envoy-a"]) == "../people/envoy-a/"
    event = facts.records["events"]["evt-2026-02-06-round-1"]
    assert links.record(event) == "./#evt-2026-02-06-round-1"
    quote = facts.quotes["q-envoy-2026-02-06"]
    assert links.record(quote) == "../people/envoy-a/#q-envoy-2026-02-06"
    position = facts.records["positions"]["pos-party-b-enrichment-2026-02-06"]
    assert links.record(position) == ("../topics/enrichment/#pos-party-b-enrichment-2026-02-06")


# -- escaping ----------------------------------------------------------------------------------


def test_esc_escapes_markup_and_quotes() -> None:
    assert esc("<b>\"x\" & 'y'</b>") == "&lt;b&gt;&quot;x&quot; &amp; &#x27;y&#x27;&lt;/b&gt;"
    assert esc(3) == "3"


def test_components_escape_their_arguments_by_construction() -> None:
    """A template's arguments are escaped unless they are Markup: nothing to forget."""
    hostile = "</p><script>alert(1)</script>"
    assert html('<p title="{0}">{0}</p>', hostile) == (
        '<p title="&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>'
    )
    assert html("<p>{}</p>", html("<b>{}</b>", "x")) == "<p><b>x</b></p>"  # components nest as HTML
    assert join(["<i>", html("<b>{}</b>", "&")], " ") == "&lt;i&gt; <b>&amp;</b>"


SITE_EXTENSIONS = [  # mkdocs.yml's markdown_extensions
    "attr_list",
    "md_in_html",
    "admonition",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
]
HOSTILE_TEXTS = [
    "<script>alert('x')</script>",
    "A & B &amp; C",
    "Jean-Paul (U.S.) *star* _under_ `code`",
    "[link](https://example.org) ![img](x.png)",
    "1. not a list",
    "# not a heading",
    "> not a quote",
    "Title {#custom-id .klass}",
    "back\\slash +plus+ !bang",
    "a | b",  # md_text writes \| and \~, which Python-Markdown does not unescape
    "Jean~Paul ~~strike~~",
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_md_text_renders_as_the_literal_text(text: str) -> None:
    """A generated page's title line shows the data's text exactly: no markup, no Markdown."""
    html = markdown.markdown(f"# {md_text(text)}", extensions=SITE_EXTENSIONS)
    h1 = soup(html).h1
    assert h1 is not None
    assert h1.get_text() == text
    assert h1.find(True) is None, f"markup leaked into the heading: {html}"
    assert h1.get("id") != "custom-id" and not h1.get("class")


def test_md_text_escapes_html_and_markdown_marks() -> None:
    assert md_text("<b>") == "&lt;b&gt;"
    assert md_text("a*b_c") == r"a\*b\_c"
    assert md_text("x [y](z)") == r"x \[y\]\(z\)"


# -- nav_sections and generated pages -----------------------------------------------------------

NAV = [
    {"Home": "index.md"},
    {"Positions": ["positions/index.md"]},
    {"History": "history/index.md"},
    {"People": ["people/index.md"]},
    {"Contested": ["contested/index.md"]},
    {"About": "about.md"},
]


def test_nav_sections_appends_generated_pages_to_their_sections() -> None:
    generated = ["what-changed.md", "topics/a.md", "topics/b.md", "people/x.md", "contested/cp-1.md"]
    nav = nav_sections(copy.deepcopy(NAV), generated)
    assert nav == [
        {"Home": "index.md"},
        {"What changed": "what-changed.md"},
        {"Positions": ["positions/index.md", "topics/a.md", "topics/b.md"]},
        {"History": "history/index.md"},
        {"People": ["people/index.md", "people/x.md"]},
        {"Contested": ["contested/index.md", "contested/cp-1.md"]},
        {"About": "about.md"},
    ]


def test_nav_sections_without_an_edition_has_no_what_changed() -> None:
    nav = nav_sections(copy.deepcopy(NAV), ["people/x.md"])
    assert {"What changed": "what-changed.md"} not in nav
    assert nav[0] == {"Home": "index.md"}
    assert nav[3] == {"People": ["people/index.md", "people/x.md"]}


def test_nav_sections_does_not_change_the_configured_nav() -> None:
    nav = copy.deepcopy(NAV)
    nav_sections(nav, ["what-changed.md", "topics/a.md", "people/x.md"])
    assert nav == NAV


def test_nav_sections_keeps_generated_order_and_nested_sections() -> None:
    nested = [{"Home": "index.md"}, {"Story": [{"Who": ["people/index.md"]}]}]
    nav = nav_sections(nested, ["people/b.md", "people/a.md"])
    assert nav == [{"Home": "index.md"}, {"Story": [{"Who": ["people/index.md", "people/b.md", "people/a.md"]}]}]


def test_generated_pages_one_per_topic_actor_and_contested_point(facts) -> None:
    pages = generated_pages(facts, with_changes=True)
    expected = (
        {f"topics/{t.id}.md" for t in facts.topics}
        | {f"people/{a}.md" for a in facts.actors}
        | {f"contested/{c.id}.md" for c in facts.contested}
        | {"what-changed.md"}
    )
    assert expected <= set(pages)
    assert "<!-- explainer:topic-page id=enrichment -->" in pages["topics/enrichment.md"]
    assert "<!-- explainer:actor-page id=envoy-a -->" in pages["people/envoy-a.md"]
    assert "\n# Envoy A\n" in pages["people/envoy-a.md"]
    assert "what-changed.md" not in generated_pages(facts, with_changes=False)


# -- directive parsing and errors ---------------------------------------------------------------


def test_parse_splits_words_and_options() -> None:
    call = parse("matrix", ' topics="enrichment missiles" parties=party-a ')
    assert call.options == {"topics": "enrichment missiles", "parties": "party-a"}
    assert call.ids("topics") == ["enrichment", "missiles"]
    assert parse("cite", f"{WIRE} {PAPER}").words == (WIRE, PAPER)


def test_unknown_directive_suggests_the_closest_name() -> None:
    with pytest.raises(DirectiveError, match=r"unknown directive 'matrx'; did you mean 'matrix'\?"):
        parse("matrx", "")


def test_unknown_directive_without_a_close_name_has_no_hint() -> None:
    with pytest.raises(DirectiveError) as info:
        parse("zzzzzz", "")
    assert str(info.value) == "unknown directive 'zzzzzz'"


def test_unknown_option_lists_the_allowed_ones() -> None:
    with pytest.raises(DirectiveError, match=r"'matrix' has no option 'topcs' \(options: parties, topics\)"):
        parse("matrix", "topcs=enrichment")


def test_option_free_directive_says_it_takes_none() -> None:
    with pytest.raises(DirectiveError, match=r"'glossary' has no option 'x' \(options: none\)"):
        parse("glossary", "x=1")


def test_bare_word_where_options_are_expected() -> None:
    with pytest.raises(DirectiveError, match=r"'matrix' takes key=value options, not 'enrichment'"):
        parse("matrix", "enrichment")


def test_bad_quoting_is_reported() -> None:
    with pytest.raises(DirectiveError, match=r"cannot read the arguments of 'matrix'.*quotation"):
        parse("matrix", 'topics="enrichment missiles')


def test_expand_reports_every_error_with_its_place(facts) -> None:
    text = (
        "# Page\n"
        "<!-- explainer:matrx -->\n"
        "ok, <!-- explainer:matrix topics=nukes -->\n"
        "<!-- explainer:events latest=0 -->\n"
        "<!-- explainer:timeline key=maybe -->\n"
        "<!-- explainer:cite -->\n"
        "<!-- explainer:actor -->\n"
    )
    out, errors = run(facts, text)
    assert len(errors) == 6
    assert errors[0] == "docs/page.md:2:1: error: unknown directive 'matrx'; did you mean 'matrix'?"
    assert errors[1].startswith("docs/page.md:3:5: error: ")
    assert "unknown topic 'nukes'" in errors[1]
    assert "latest takes a whole number from 1, not '0'" in errors[2]
    assert "key takes yes or no, not 'maybe'" in errors[3]
    assert "cite needs at least one source id" in errors[4]
    assert "missing option id=<actor id>" in errors[5]
    assert "explainer:" not in out  # failed directives leave nothing behind


def test_first_line_places_errors_below_front_matter(facts) -> None:
    _, problems = expand("text\n  <!-- explainer:nope -->", renderer(facts), "docs/p.md", first_line=5)
    assert [str(p) for p in problems] == ["docs/p.md:6:3: error: unknown directive 'nope'"]


@pytest.mark.parametrize(
    "comment",
    [
        "<!-- explainer: glossary -->",
        "<!-- Explainer:glossary -->",
        "<!-- explaner:glossary -->",
        "<!-- EXPLAINER : glossary -->",
        "<!--explainer :glossary-->",
    ],
)
def test_a_comment_that_looks_like_a_directive_is_an_error(facts, comment) -> None:
    out, errors = run(facts, f"# Terms\n\nSee {comment} below.\n")
    assert len(errors) == 1 and errors[0].startswith("docs/page.md:3:5: error: ")
    assert "looks like a directive" in errors[0]


def test_an_unterminated_directive_is_an_error(facts) -> None:
    _, errors = run(facts, "# Terms\n\n<!-- explainer:glossary\n\nMore text.\n")
    assert errors == ["docs/page.md:3:1: error: this comment is never closed: end the directive with '-->'"]


@pytest.mark.parametrize("comment", ["<!-- TODO: check -->", "<!-- note: editors only -->", "<!-- Example: x -->"])
def test_ordinary_comments_are_left_alone(facts, comment) -> None:
    assert run(facts, f"a {comment} b") == (f"a {comment} b", [])


def test_a_directive_in_an_indented_code_block_is_shown_not_run(facts) -> None:
    text = "Write this:\n\n    <!-- explainer:glossary -->\n    <!-- explainer:nope -->\n\nDone.\n"
    assert run(facts, text) == (text, [])


def test_a_repeated_option_is_an_error(facts) -> None:
    _, errors = run(facts, "<!-- explainer:timeline key=yes key=no -->")
    assert errors == ["docs/page.md:1:1: error: 'timeline' is given option 'key' twice"]


def test_unknown_id_suggests_the_closest(facts) -> None:
    _, errors = run(facts, "<!-- explainer:topic-page id=enrichmnt -->")
    assert errors and "unknown topic 'enrichmnt'; did you mean 'enrichment'?" in errors[0]
    _, errors = run(facts, "<!-- explainer:cite src-wire-2026-02-07 -->")
    assert errors and f"unknown source 'src-wire-2026-02-07'; did you mean '{WIRE}'?" in errors[0]


def test_every_registered_directive_is_documented() -> None:
    for name, spec in REGISTRY.items():
        assert spec.doc, f"directive {name} has no docstring"


def test_directive_inside_a_code_block_is_left_alone(facts) -> None:
    """Pages that document the syntax show it in code; it must not be expanded (or fail)."""
    text = (
        "Write a directive like this:\n\n"
        "```markdown\n<!-- explainer:matrx -->\n```\n\n"
        "or inline: `<!-- explainer:matrix topics=x -->`.\n"
    )
    out, errors = run(facts, text)
    assert errors == []
    assert "<!-- explainer:matrx -->" in out
    assert "`<!-- explainer:matrix topics=x -->`" in out


def test_a_stray_backtick_does_not_hide_later_directives(facts) -> None:
    """A code span ends with its paragraph: an unmatched backtick must not swallow a directive
    several paragraphs down (it would vanish from the page without an error)."""
    text = (
        "The envoy's reply began with a ` by mistake.\n\n"
        f"<!-- explainer:cite {WIRE} -->\n\n"
        "A later paragraph quotes `code` properly.\n"
    )
    out, errors = run(facts, text)
    assert errors == []
    assert "explainer:cite" not in out
    assert soup(out).select_one("a.cite-ref") is not None


# -- dates in rendered output -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "human"),
    [
        ("2026-02-06", "6 February 2026"),
        ("2026-02", "February 2026"),
        ("1979", "1979"),
        ("2025-06-13/2025-06-24", "13–24 June 2025"),
        ("2025-05/2025-07", "May–July 2025"),
        ("2025-06-30/2025-07-02", "30 June 2025 – 2 July 2025"),
        ("1980/1988", "1980 – 1988"),
    ],
)
def test_event_dates_render_at_their_own_precision(facts, written: str, human: str) -> None:
    event = Event.model_validate(
        {
            "id": "evt-test",
            "date": written,
            "title": "T",
            "summary": "S",
            "sources": [WIRE],
        }
    )
    item = soup(renderer(facts, "history/").event_item(event)).find("li")
    times = item.select(".event-when time")
    assert item.select_one(".event-when").get_text() == human
    # HTML's datetime has no range syntax: a range is one <time> per end
    assert "/".join(t["datetime"] for t in times) == written


def test_citation_marks_read_in_number_order(facts) -> None:
    """A record citing a source first cited earlier on the page reads [1][11], not [11][1]."""
    cites = Citations(facts)
    cites.cite([PAPER])
    marks = soup(cites.cite([WIRE, PAPER])).select("a.cite-ref")
    assert [a.get_text() for a in marks] == ["[1]", "[2]"]


def test_matrix_shows_as_of_dates_in_words(facts) -> None:
    r = renderer(facts)
    html = soup(r.matrix(list(facts.topics), list(facts.parties)))
    as_of = [s.get_text() for s in html.select("td .as-of")]
    assert as_of == ["as of 17 February 2026", "as of 6 February 2026"]


def test_undated_source_shows_its_approximate_date(facts) -> None:
    entry = soup(source_entry(facts.sources[ARCHIVE], PageLinks("history/")))
    assert "undated, about 2019" in entry.get_text()


# -- citations ----------------------------------------------------------------------------------


def test_citations_number_in_order_of_first_use(facts) -> None:
    links = PageLinks("positions/")
    cites = Citations(facts)
    first = soup(cites.cite([PAPER, WIRE]))
    second = soup(cites.cite([WIRE, ARCHIVE, PAPER]))
    assert [a.get_text() for a in first.select("a.cite-ref")] == ["[1]", "[2]"]
    assert [a.get_text() for a in second.select("a.cite-ref")] == ["[1]", "[2]", "[3]"]
    assert [a["href"] for a in second.select("a.cite-ref")] == [
        f"#ref-{PAPER}",
        f"#ref-{WIRE}",
        f"#ref-{ARCHIVE}",
    ]
    refs = soup(cites.references(links))
    items = refs.select("ol.reference-list > li")
    assert [li["id"] for li in items] == [f"ref-{PAPER}", f"ref-{WIRE}", f"ref-{ARCHIVE}"]
    assert [li["value"] for li in items] == ["1", "2", "3"]


def test_same_source_twice_in_one_citation_is_one_mark(facts) -> None:
    cites = Citations(facts)
    marks = soup(cites.cite([WIRE, WIRE])).select("a.cite-ref")
    assert [a.get_text() for a in marks] == ["[1]"]
    assert cites.numbers == {WIRE: 1}


def test_no_citation_no_reference_list(facts) -> None:
    cites = Citations(facts)
    assert cites.cite([]) == ""
    assert cites.references(PageLinks("")) == ""


def test_reference_list_escapes_titles_and_flags_sources(facts) -> None:
    cites = Citations(facts)
    links = PageLinks("history/")
    mark = soup(cites.cite([PAPER, ARCHIVE])).select_one("a.cite-ref")
    assert mark["title"] == "Example Paper (Example Wire), Second round <b>held</b>"
    refs = soup(cites.references(links))
    paper = refs.select_one(f"li#ref-{PAPER}")
    assert paper.find("b") is None
    assert "Second round <b>held</b>" in paper.get_text()
    flags = [s.get_text() for s in paper.select(".source-flag")]
    assert "republished wire copy" in flags
    assert "original: Example Wire" in flags
    archive = refs.select_one(f"li#ref-{ARCHIVE}")
    assert any(f.get_text().startswith("caution") for f in archive.select(".source-flag"))
    assert archive.select_one("a.source-page")["href"] == f"../sources/#{ARCHIVE}"


def test_a_page_numbers_its_citations_across_directives(facts) -> None:
    """Two directives on one page share one numbering; the reference list follows it."""
    r = renderer(facts, "about/")
    text = (
        f"<!-- explainer:cite {PAPER} -->\n<!-- explainer:quote id=q-envoy-2026-02-06 -->\n"
        f"<!-- explainer:cite {PAPER} {WIRE} -->"
    )
    out, errors = expand(text, r, "docs/about.md")
    assert errors == []
    marks = [a.get_text() for a in soup(out).select("a.cite-ref")]
    assert marks == ["[1]", "[2]", "[1]", "[2]"]


# -- quotes -------------------------------------------------------------------------------------


def test_verified_quote_is_a_blockquote(facts) -> None:
    html = soup(renderer(facts, "people/envoy-a/").quote(facts.quotes["q-envoy-2026-02-06"]))
    assert html.select_one("figure.quote blockquote").get_text() == "“We will see.”"
    assert html.select_one("figure.quote")["id"] == "q-envoy-2026-02-06"


def test_unverified_quote_is_never_a_blockquote(facts) -> None:
    html = soup(renderer(facts, "people/envoy-a/").quote(facts.quotes["q-envoy-2026-02-17"]))
    assert html.find("blockquote") is None
    box = html.select_one(".quote-unverified")
    assert "Wording not confirmed" in box.get_text()
    assert "reported to have said" in box.get_text()
    assert "only one republication carries this wording" in box.get_text()


def test_quote_text_from_data_is_escaped(facts) -> None:
    quote = Quote.model_validate(
        {
            "id": "q-x",
            "text": "<img src=x onerror=alert(1)>",
            "speaker": "envoy-a",
            "date": "2026-02-06",
            "context": "<i>ctx</i>",
            "sources": [WIRE],
        }
    )
    html = soup(renderer(facts).quote(quote))
    assert html.find("img") is None and html.find("i") is None
    assert "<img src=x onerror=alert(1)>" in html.get_text()


def test_nav_groups_split_large_kinds_and_keep_groups_small() -> None:
    """Material draws a page's whole nav group on the page: groups must stay bounded."""
    from types import MappingProxyType

    from explainer.facts.factbase import FactBase, empty_records
    from explainer.facts.models import Actor
    from explainer.site.pages import NAV_GROUP_SIZE, nav_groups

    records = empty_records()
    for n in range(95):
        name = f"{chr(ord('A') + n % 26)}name {n:03d}"
        records["actors"][f"p-{n}"] = Actor(id=f"p-{n}", name=name, kind="person", summary="S.", sources=["src-x"])
    records["actors"]["st"] = Actor(id="st", name="<b>State</b>", kind="state", summary="S.", sources=["src-x"])
    facts = FactBase(MappingProxyType({k: MappingProxyType(v) for k, v in records.items()}))
    groups = nav_groups(facts)
    assert groups["people/st.md"] == "States"
    people = [g for uri, g in groups.items() if uri != "people/st.md"]
    sizes = {g: people.count(g) for g in people}
    assert len(sizes) == 3 and max(sizes.values()) <= NAV_GROUP_SIZE
    assert all(label.startswith("People ") and "<" not in label for label in sizes)
    nav = nav_sections([{"People": ["people/index.md"]}], list(groups), groups)
    entries = nav[0]["People"]
    assert entries[0] == "people/index.md"
    assert [next(iter(e)) for e in entries[1:]] == [*sizes, "States"]


def test_an_unverified_claim_is_flagged_on_its_own(facts) -> None:
    """One side's claim can be unconfirmed while the other's is solid: flag only that one."""
    from bs4 import BeautifulSoup
    from explainer.site.components import Citations, PageLinks, Renderer

    point = facts.contested[0]
    shaky = point.claims[1].model_copy(update={"unverified": "only one <outlet> says so"})
    point = point.model_copy(update={"claims": [point.claims[0], shaky]})
    html = Renderer(facts, PageLinks("contested/"), Citations(facts)).contested(point)
    claims = BeautifulSoup(html, "html.parser").select(".claim")
    assert claims[0].select(".badge-unverified") == []
    assert claims[1].select_one(".badge-unverified").get_text() == "Unverified: only one <outlet> says so"


def test_a_page_diagnostic_cannot_act_on_the_terminal(facts) -> None:
    _, errors = run(facts, "<!-- explainer:actor id=x\x1b[2K\x07ok -->")
    assert errors == ["docs/page.md:1:1: error: unknown actor 'x\\x1b[2K\\x07ok'"]
    assert all(line.isprintable() for line in errors)
