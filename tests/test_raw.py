"""The engine's HTML reaches Markdown fenced (explainer.site.raw): Markdown stores it unparsed,
and every page comes out as Markdown would have made it from the same text without fences."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import markdown
import pytest
from explainer.site.build import SiteBuild, page_url
from explainer.site.page_cache import CACHED_PAGES
from explainer.site.raw import (
    END,
    START,
    UNSEARCHED,
    RawHtml,
    fence,
    mark_unsearched,
    unfence,
    unmarked,
    without_unsearched,
)
from mkdocs.utils.yaml import yaml_load

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CONFIG = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
EXTENSIONS = [e if isinstance(e, str) else next(iter(e)) for e in CONFIG["markdown_extensions"]]
CONFIGS = {next(iter(e)): next(iter(e.values())) for e in CONFIG["markdown_extensions"] if isinstance(e, dict)}
_BETWEEN_TAGS = re.compile(r">\s+<")


def convert(text: str, *extra: markdown.Extension) -> str:
    return markdown.Markdown(extensions=[*EXTENSIONS, *extra], extension_configs=CONFIGS).convert(text)


def same_html(html: str) -> str:
    """`html` with the whitespace between tags left out (a raw block may end with a newline)."""
    return _BETWEEN_TAGS.sub("><", html.strip())


def test_fence_puts_html_between_headings_in_fences_and_leaves_headings_out() -> None:
    text = '<div class="a">\n\n<p>x</p>\n</div>\n\n## Era {#era-1}\n\n<ol class="b"><li>y</li></ol>\n'
    fenced = fence(text)
    assert fenced.count(START) == fenced.count(END) == 2
    assert "\n## Era {#era-1}\n" in fenced
    assert unfence(fenced).split() == text.split()


@pytest.mark.parametrize("text", ["<span>x</span> and *y*", "plain *Markdown*", "<sup>1</sup>\n\n<div>z</div>"])
def test_what_markdown_would_set_in_a_paragraph_is_left_to_markdown(text: str) -> None:
    assert fence(text) == text


def test_a_fenced_block_is_stored_as_it_is() -> None:
    """Inside a fence, nothing is parsed: even a block that asks `md_in_html` for Markdown."""
    block = '<div class="x" markdown="1">\n# not a heading\n*not emphasis*\n</div>'
    fenced = f"{START}\n{block}\n{END}\n\nafter *this*"
    assert same_html(convert(fenced, RawHtml())) == same_html(f"{block}\n<p>after <em>this</em></p>")


def test_a_fence_never_closed_is_left_to_markdown() -> None:
    text = f"{START}\n<div>x</div>\n\ntext"
    assert "<p>text</p>" in convert(text, RawHtml())


def pages(data: Path) -> dict[str, str]:
    """Every page of the site built from `data`, latest edition, as the hooks hand it to Markdown."""
    build = SiteBuild.load(data, None)
    written = {p.relative_to(DOCS).as_posix(): p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md")}
    sources = {k: v for k, v in {**written, **build.pages}.items() if k not in CACHED_PAGES}
    rendered = {uri: build.render_page(uri, page_url(uri), text, uri) for uri, text in sources.items()}
    assert all(not page.diagnostics for page in rendered.values())
    return {uri: page.markdown for uri, page in rendered.items()}


@pytest.mark.parametrize("data", [ROOT / "tests" / "fixtures" / "data", ROOT / "data"], ids=["fixture", "real"])
def test_every_page_comes_out_as_markdown_makes_it_without_fences(data: Path) -> None:
    """Readers get what Markdown makes of the page without fences; search gets that page
    without every element marked `data-search-exclude`, and nothing else is cut."""
    fenced = pages(data)
    assert sum(text.count(START) for text in fenced.values()) > len(fenced), "most HTML is fenced"
    cut = 0
    for uri, text in fenced.items():
        made = convert(text, RawHtml())
        assert START not in made and END not in made, uri
        assert same_html(unmarked(made)) == same_html(convert(unfence(text))), uri
        if made.strip():
            assert words(without_unsearched(made)) == words(made, excluded=True), uri
            cut += made.count(UNSEARCHED[0])
    assert cut, "no page has an element that search leaves out"


def words(html: str, excluded: bool = False) -> list[str]:
    """The words of `html`, without the `data-search-exclude` elements if `excluded` (by lxml)."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    if excluded:
        for element in root.xpath("//*[@data-search-exclude]"):
            if element.getparent() is not None:
                element.drop_tree()
    return root.text_content().split()


@pytest.mark.parametrize(
    ("block", "marked"),
    [
        ("<div data-search-exclude><div>a</div></div><p>b</p>", ["<div data-search-exclude><div>a</div></div>"]),
        ('<section><p data-search-exclude="">a</p><p>b</p></section>', ['<p data-search-exclude="">a</p>']),
        (
            "<div data-search-exclude><p data-search-exclude>a</p></div>",
            ["<div data-search-exclude><p data-search-exclude>a</p></div>"],
        ),
        ('<p title="data-search-exclude">a</p>', []),
        ('<p class="x" title="a data-search-exclude b">a</p>', []),
        ("<div data-search-exclude><p>never closed</p>", []),
    ],
    ids=["outermost", "with-value", "nested", "value-only", "words-in-a-value", "unclosed"],
)
def test_mark_unsearched_marks_each_outermost_excluded_element(block: str, marked: list[str]) -> None:
    result = mark_unsearched(block)
    spans = [part.split(UNSEARCHED[1])[0] for part in result.split(UNSEARCHED[0])[1:]]
    assert spans == marked
    assert unmarked(result) == block
