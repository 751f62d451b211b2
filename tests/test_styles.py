"""The stylesheets pruned to what the site uses (explainer.site.styles), on a small fixture site."""

from __future__ import annotations

from pathlib import Path

import pytest
from explainer.site.styles import StylesheetError, prune, prune_site, vocabulary

PAGE = """<!doctype html><html class="no-js"><head>
<link rel="stylesheet" href="../assets/stylesheets/main.0123abcd.min.css">
<link rel="stylesheet" href="../assets/explainer.css">
<script>document.documentElement.classList.add("md-ready")</script></head>
<body data-md-color-scheme="slate"><header class="md-header"><nav class="md-nav" id="nav">
<a class="md-nav__link" href="#">x</a></nav></header><table><tr><td>1</td></tr></table></body></html>"""
SCRIPT = 'e.classList.add("md-search__output");t.className="md-tag--"+name;e.style.getPropertyValue("--md-js-var")'
THEME = """/* Material */
:root{--md-read:red;--md-unread:blue;--md-chain:var(--md-also);--md-also:1px;--md-js-var:2px}
.md-header{color:var(--md-read)}
.md-blog-post{color:green}
.md-nav__link,.md-tabs__link{margin:0}
.md-typeset .admonition.note{border:var(--md-chain)}
@media screen and (min-width:76em){.md-header{padding:1px}.md-blog-post{padding:2px}}
@media print{.md-blog-post{display:none}}
.md-search__output{height:1px}
.md-tag--news{color:pink}
.md-ready .md-header{opacity:1}
#nav>.md-nav__link{x:1}
#missing{x:2}
[data-md-color-scheme=slate] .md-header{color:white}
[data-md-color-scheme=other] .md-header{color:black}
:is(.md-header,.md-gone) td{y:1}
:is(.md-gone,.md-also-gone) td{y:2}
.md-header:not(.md-gone){z:1}
video{display:block}
@keyframes spin{to{transform:rotate(1turn)}}
/*# sourceMappingURL=main.0123abcd.min.css.map*/"""


def pruned(theme: str = THEME) -> str:
    return prune({"main.css": theme}, vocabulary([PAGE], [SCRIPT]))["main.css"]


def test_rules_the_site_needs_survive() -> None:
    css = pruned()
    for kept in (
        ".md-header{color:var(--md-read)}",  # a class in the pages
        ".md-nav__link{margin:0}",  # the used selector of a list
        ".md-search__output{height:1px}",  # a class the script adds
        ".md-tag--news{color:pink}",  # a class the script builds from a prefix
        ".md-ready .md-header{opacity:1}",  # a class an inline script adds
        "#nav>.md-nav__link{x:1}",
        "[data-md-color-scheme=slate] .md-header{color:white}",
        ":is(.md-header,.md-gone) td{y:1}",
        ".md-header:not(.md-gone){z:1}",
        "@media screen and (min-width:76em){.md-header{padding:1px}}",
        "@keyframes spin{to{transform:rotate(1turn)}}",
    ):
        assert kept in css, kept
    assert "--md-read:red" in css and "--md-js-var:2px" in css  # read by the CSS, by the script


def test_rules_for_unused_features_are_dropped() -> None:
    css = pruned()
    for dropped in (
        ".md-blog-post",  # no page or script has it, inside @media too
        "@media print",  # left empty
        ".md-tabs__link",
        ".admonition",
        "#missing",
        "color:black",  # a value of the attribute no page has
        "y:2",
        "video",
        "sourceMappingURL",
    ):
        assert dropped not in css, dropped
    # custom properties nothing reads any more go too, through chains of them
    assert "--md-unread" not in css and "--md-chain" not in css and "--md-also" not in css


@pytest.mark.parametrize(
    ("css", "where"),
    [
        (".md-header{color:red}\n.md-nav", r"main.css:2:\d+: error: unreadable CSS"),  # a selector without its block
        (".md-header{\n  color red}", r"main.css:2:\d+: error: unreadable CSS"),  # a declaration without its colon
    ],
)
def test_unreadable_css_fails_saying_where_instead_of_vanishing(css: str, where: str) -> None:
    with pytest.raises(StylesheetError, match=where):
        pruned(css)


def test_a_built_site_links_the_pruned_files_under_new_names(tmp_path: Path) -> None:
    sheets = tmp_path / "assets" / "stylesheets"
    sheets.mkdir(parents=True)
    (sheets / "main.0123abcd.min.css").write_text(THEME, encoding="utf-8")
    (sheets / "main.0123abcd.min.css.map").write_text("{}", encoding="utf-8")
    (tmp_path / "assets" / "explainer.css").write_text(".unused{x:1}.md-nav{y:1}", encoding="utf-8")
    (tmp_path / "assets" / "javascripts").mkdir()
    (tmp_path / "assets" / "javascripts" / "bundle.js").write_text(SCRIPT, encoding="utf-8")
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text(PAGE, encoding="utf-8")
    not_found = PAGE.replace('href="../assets/', 'href="/repo/assets/')
    (tmp_path / "404.html").write_text(not_found, encoding="utf-8")

    sizes = prune_site(tmp_path, ["assets/explainer.css"])

    assert sorted(p.name for p in sheets.iterdir()) == [Path(p).name for p in sorted(sizes) if "stylesheets" in p]
    main, explainer = sorted(sizes, reverse=True)
    assert not (tmp_path / "assets" / "explainer.css").exists()
    assert (tmp_path / explainer).read_text(encoding="utf-8") == ".md-nav{y:1}"
    assert sizes[main][1] < sizes[main][0]
    page = (tmp_path / "page" / "index.html").read_text(encoding="utf-8")
    assert f'href="../{main}"' in page and f'href="../{explainer}"' in page
    assert f'href="/repo/{main}"' in (tmp_path / "404.html").read_text(encoding="utf-8")


def test_a_stylesheet_outside_the_site_is_neither_read_nor_deleted(tmp_path: Path) -> None:
    """Pruning rewrites and deletes what `extra_css` names: a path leading out of the built site,
    or a link, must be left alone (a hostile mkdocs.yml could name any file)."""
    site, outside = tmp_path / "site", tmp_path / "secret.css"
    (site / "assets").mkdir(parents=True)
    outside.write_text(".kept{x:1}", encoding="utf-8")
    (site / "assets" / "link.css").symlink_to(outside)
    (site / "index.html").write_text(PAGE, encoding="utf-8")

    assert prune_site(site, ["../secret.css", "assets/link.css", str(outside)]) == {}
    assert outside.read_text(encoding="utf-8") == ".kept{x:1}"
    assert (site / "assets" / "link.css").is_symlink()
