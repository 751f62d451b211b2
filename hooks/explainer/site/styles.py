"""Ship only the CSS the site can use: the stylesheets of a built site, pruned.

Material's `main.*.min.css` (about 138 KB) styles every feature the theme has (code blocks,
tabs, tags, blog, social cards…), and a phone must fetch all of it before it can draw a page.
After each build of an edition in `explainer publish`, its online and offline copies alike (the
site readers get; previews with `mkdocs build` and `mkdocs serve` keep the whole stylesheets and
their speed), `prune_site` prunes Material's stylesheets and the site's own (`extra_css`).
A rule is kept when one of its selectors could match: every class, id, element and attribute
it requires appears in some tag of the built pages or the search index,
or anywhere in the site's JavaScript, which adds classes at run time (a word there that ends in
`-` or `_`, as in `"md-tag--"+name`, stands for every word it begins). Other selectors and
rules are dropped, then the custom properties (`--name`) that nothing reads any more.
At-rules other than `@media` and `@supports` are kept whole, and CSS a browser would skip
stops the publish, saying where. Each pruned file is named after its content, and every page's
link follows it.

Nothing here depends on MkDocs; `tests/test_styles.py` checks it on a small fixture and
`tests/browser/test_pruned_stylesheets.py` checks that the published pages look the same.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import tinycss2
from tinycss2 import ast

from ..errors import ExplainerError, get_logger

log = get_logger(__name__)

THEME_STYLESHEETS = re.compile(r"^(main|palette)\.[0-9a-f]{8}\.min\.css$")
"""Material's stylesheets in `assets/stylesheets/`, named by the theme with a hash of their own."""
KINDS = ("element", "attribute", "class", "id", "value")
_TAG = re.compile(r"<([a-zA-Z][\w-]*)([^>]*)>")
_ATTRIBUTE = re.compile(r"""([^\s"'=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z_][\w-]*")
_PREFIX_MIN = 4
"""A script's word that ends in `-` or `_` counts as a prefix only this long or longer."""
_ANY_OF = frozenset({"is", "where", "matches", "-webkit-any", "-moz-any"})
"""Functional pseudo-classes that match when one of their selectors does."""
_CUSTOM = re.compile(r"--[A-Za-z_][\w-]*")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
GROUPS = frozenset({"media", "supports"})
"""At-rules whose rules are pruned like the stylesheet's own; any other is kept whole."""
_LINK = re.compile(r'(<link rel="stylesheet" href=")([^"]+)"')
"""A page's link to a stylesheet: relative to the page (`../../assets/…`), or from the site's
root on the 404 page (`/assets/…`, `/repo/assets/…`)."""
_SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/\s*$")


class StylesheetError(ExplainerError):
    """A stylesheet the pruning cannot read, with where: `path:line:col: error: …`."""


@dataclass(frozen=True)
class Vocabulary:
    """What the site's pages hold, by kind (element, attribute, class, id, value), the words of its
    scripts, and the scripts' prefixes: what a selector may require."""

    found: dict[str, frozenset[str]]
    scripts: frozenset[str]
    prefixes: tuple[str, ...]
    properties: frozenset[str]
    """Custom properties (`--name`) the scripts name: they may read or set them."""

    def has(self, kind: str, word: str) -> bool:
        return word in self.found[kind] or word in self.scripts or word.startswith(self.prefixes)


def vocabulary(pages: Iterable[str], scripts: Iterable[str]) -> Vocabulary:
    """What the tags of `pages` (HTML) hold, and the words of their inline scripts and of `scripts` (JS)."""
    found: dict[str, set[str]] = {kind: set() for kind in KINDS}
    words: set[str] = set()
    properties: set[str] = set()
    tags: set[tuple[str, str]] = set()  # each distinct tag once: every page repeats the navigation's
    for page in pages:
        tags.update(_TAG.findall(page))
        for script in _SCRIPT.findall(page):
            words.update(_WORD.findall(script))
    for element, attributes in tags:
        found["element"].add(element.lower())
        for name, *quoted in _ATTRIBUTE.findall(attributes):
            value = "".join(quoted)
            found["attribute"].add(name.lower())
            found["value"].add(value)
            found["class" if name == "class" else "id" if name == "id" else "value"].update(value.split())
    for script in scripts:
        words.update(_WORD.findall(script))
        properties.update(_CUSTOM.findall(script))
    prefixes = sorted(w for w in words if w[-1] in "-_" and len(w) >= _PREFIX_MIN)
    found_sets = {k: frozenset(v) for k, v in found.items()}
    return Vocabulary(found_sets, frozenset(words), tuple(prefixes), frozenset(properties))


def _split(tokens: list[ast.Node]) -> list[list[ast.Node]]:
    """A selector list's tokens split at its top-level commas."""
    parts: list[list[ast.Node]] = [[]]
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def _attribute_ok(block: ast.SquareBracketsBlock, used: Vocabulary) -> bool:
    """`[name]` needs the name; `[name=value]` (or `~=`) needs the value too."""
    tokens = [t for t in block.content if t.type != "whitespace"]
    if not tokens or tokens[0].type != "ident":
        return True
    if not used.has("attribute", tokens[0].lower_value):
        return False
    if len(tokens) >= 3 and tokens[1].type == "literal" and tokens[1].value in ("=", "~="):
        value = tokens[2]
        if value.type in ("ident", "string") and _WORD.fullmatch(value.value):
            return used.has("value", value.value)
    return True


def possible(selector: list[ast.Node], used: Vocabulary) -> bool:
    """Whether one complex selector could match: everything it requires is in `used`."""
    previous = ""
    for token in selector:
        if token.type == "ident" and previous != ":":  # after "." a class, else an element
            if not (used.has("class", token.value) if previous == "." else used.has("element", token.lower_value)):
                return False
        elif token.type == "hash" and token.is_identifier and not used.has("id", token.value):
            return False
        elif token.type == "[] block" and not _attribute_ok(token, used):
            return False
        elif token.type == "function" and previous == ":" and token.lower_name in _ANY_OF:
            if not any(possible(part, used) for part in _split(token.arguments)):
                return False
        previous = token.value if token.type == "literal" else ""
    return True


def _strip(tokens: list[ast.Node]) -> list[ast.Node]:
    """Tokens without leading or trailing whitespace."""
    start, end = 0, len(tokens)
    while start < end and tokens[start].type == "whitespace":
        start += 1
    while end > start and tokens[end - 1].type == "whitespace":
        end -= 1
    return tokens[start:end]


@dataclass(frozen=True)
class Rule:
    """A style rule: its selectors (each a list of tokens) and its declarations."""

    selectors: tuple[tuple[ast.Node, ...], ...]
    declarations: tuple[ast.Node, ...]

    def css(self) -> str:
        head = ",".join(tinycss2.serialize(_strip(list(s))) for s in self.selectors)
        return head + "{" + ";".join(d.serialize() for d in self.declarations) + "}"


@dataclass(frozen=True)
class Group:
    """`@media` or `@supports` and the rules inside it."""

    head: str
    rules: tuple[Item, ...]

    def css(self) -> str:
        return self.head + "{" + "".join(r.css() for r in self.rules) + "}"


@dataclass(frozen=True)
class Other:
    """Any other at-rule (`@keyframes`, `@font-face`, `@page`…), kept as it is."""

    text: str

    def css(self) -> str:
        return self.text


Item = Rule | Group | Other


@lru_cache(maxsize=8)
def parse(css: str, path: str = "<css>") -> tuple[Item, ...]:
    """A stylesheet as rules, groups and other at-rules; StylesheetError, saying where in `path`,
    for anything a browser would skip (a selector without its block, a broken declaration).
    Kept for the next call with the same text: an edition's two builds share the theme's sheets."""
    return _items(tinycss2.parse_stylesheet(_SOURCE_MAP.sub("", css), skip_comments=True, skip_whitespace=True), path)


def _unreadable(node: ast.Node, path: str) -> StylesheetError:
    return StylesheetError(f"{path}:{node.source_line}:{node.source_column}: error: unreadable CSS: {node.message}")


def _items(nodes: list[ast.Node], path: str) -> tuple[Item, ...]:
    items: list[Item] = []
    for node in nodes:
        if node.type == "error":
            raise _unreadable(node, path)
        if node.type == "qualified-rule":
            declarations = tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True)
            broken = next((d for d in declarations if d.type == "error"), None)
            if broken is not None:
                raise _unreadable(broken, path)
            items.append(Rule(tuple(tuple(s) for s in _split(node.prelude)), tuple(declarations)))
        elif node.type == "at-rule" and node.lower_at_keyword in GROUPS and node.content is not None:
            head = f"@{node.at_keyword}{tinycss2.serialize(node.prelude).rstrip()}"
            items.append(Group(head, _items(tinycss2.parse_rule_list(node.content, True, True), path)))
        elif node.type == "at-rule":
            items.append(Other(node.serialize()))
    return tuple(items)


def _matching(items: tuple[Item, ...], used: Vocabulary) -> tuple[Item, ...]:
    """`items` without the selectors nothing in `used` could match, nor rules or groups left empty."""

    def matching(rule: Rule) -> Rule | None:
        selectors = tuple(s for s in rule.selectors if possible(list(s), used))
        return Rule(selectors, rule.declarations) if selectors else None

    return _rules_kept(items, matching)


def _read_only(items: tuple[Item, ...], read: set[str]) -> tuple[Item, ...]:
    """`items` without declarations of custom properties not in `read`, nor rules left empty."""

    def read_only(rule: Rule) -> Rule | None:
        wanted = tuple(
            d for d in rule.declarations if d.type != "declaration" or not d.name.startswith("--") or d.name in read
        )
        return Rule(rule.selectors, wanted) if wanted else None

    return _rules_kept(items, read_only)


def _rules_kept(items: tuple[Item, ...], keep: Callable[[Rule], Rule | None]) -> tuple[Item, ...]:
    """`items` with each rule, in groups too, replaced by what `keep` leaves of it (None: dropped),
    and groups left empty dropped; other at-rules kept whole."""
    kept: list[Item] = []
    for item in items:
        if isinstance(item, Rule):
            if (rule := keep(item)) is not None:
                kept.append(rule)
        elif isinstance(item, Group):
            inner = _rules_kept(item.rules, keep)
            if inner:
                kept.append(Group(item.head, inner))
        else:
            kept.append(item)
    return tuple(kept)


def serialize(items: tuple[Item, ...]) -> str:
    return "".join(item.css() for item in items)


def prune(sheets: dict[str, str], used: Vocabulary, elsewhere: str = "") -> dict[str, str]:
    """Each of `sheets` (name: CSS) without the rules and selectors nothing in `used` could match,
    then without the custom properties that nothing reads (in them, `elsewhere` or the scripts)."""
    pruned = {name: _matching(parse(css, name), used) for name, css in sheets.items()}
    while True:
        texts = {name: serialize(items) for name, items in pruned.items()}
        read = set(_VAR.findall(elsewhere + "".join(texts.values()))) | used.properties
        fewer = {name: _read_only(items, read) for name, items in pruned.items()}
        if fewer == pruned:
            return texts
        pruned = fewer


def fingerprinted(path: str, css: str) -> str:
    """A stylesheet's path renamed after the content it now has, its folder and suffixes kept:
    `assets/stylesheets/main.57a0d79d.min.css` becomes `assets/stylesheets/main.<hash>.min.css`,
    `assets/explainer.css` becomes `assets/explainer.<hash>.css`."""
    folder, _, name = path.rpartition("/")
    stem = name.split(".", 1)[0]
    suffix = ".min.css" if name.endswith(".min.css") else ".css"
    renamed = f"{stem}.{hashlib.sha256(css.encode()).hexdigest()[:8]}{suffix}"
    return f"{folder}/{renamed}" if folder else renamed


def relinked(href: str, renamed: dict[str, str]) -> str:
    """`href` pointed at the renamed stylesheet when it points at one of `renamed` (site paths)."""
    for old, new in renamed.items():
        if href == old or href.endswith(f"/{old}"):
            return href[: len(href) - len(old)] + new
    return href


def stylesheets(site_dir: Path, extra_css: Iterable[str]) -> list[str]:
    """The stylesheets to prune, as paths in the site: Material's, and the site's own `extra_css`."""
    theme = site_dir / "assets" / "stylesheets"
    found = [f"assets/stylesheets/{p.name}" for p in theme.glob("*.min.css") if THEME_STYLESHEETS.match(p.name)]
    own = [path for path in extra_css if path.endswith(".css") and _inside(site_dir, path)]
    return sorted(found) + [path for path in own if path not in found]


def _inside(site_dir: Path, path: str) -> bool:
    """Whether `path` names a file of the built site itself: pruning rewrites and deletes what it
    names, so nothing that leads out of the site (`..`, a link, another host) is taken."""
    target = site_dir / path
    root = site_dir.resolve()
    return (
        "//" not in path
        and target.is_file()
        and not target.is_symlink()
        and target.resolve().is_relative_to(root)
        and target.resolve() != root
    )


def prune_site(site_dir: Path, extra_css: Iterable[str] = ()) -> dict[str, tuple[int, int]]:
    """Prune the stylesheets of a built site in place; each new path's bytes before and after.

    The vocabulary is every page's tags and every script of the site (and the search index,
    whose text the search shows). Each pruned stylesheet is written under its new name, the old
    file (and its source map, which no longer fits) removed, and every page's reference to it
    rewritten.
    """
    paths = stylesheets(site_dir, extra_css)
    if not paths:
        return {}
    pages = {page: page.read_text(encoding="utf-8") for page in sorted(site_dir.rglob("*.html"))}
    scripts = [p.read_text(encoding="utf-8") for p in sorted(site_dir.rglob("*.js"))]
    index = site_dir / "search" / "search_index.json"
    markup = [*pages.values(), index.read_text(encoding="utf-8") if index.is_file() else ""]
    others = [
        p.read_text(encoding="utf-8")
        for p in sorted(site_dir.rglob("*.css"))
        if p.relative_to(site_dir).as_posix() not in paths
    ]
    before = {path: (site_dir / path).read_text(encoding="utf-8") for path in paths}
    after = prune(before, vocabulary(markup, scripts), "".join(others + markup))
    renamed = {path: fingerprinted(path, css) for path, css in after.items()}
    for path, new in renamed.items():
        (site_dir / new).write_text(after[path], encoding="utf-8")
        for old in (site_dir / path, site_dir / f"{path}.map"):
            old.unlink(missing_ok=True)
    for page, text in pages.items():
        changed = _LINK.sub(lambda m: f'{m.group(1)}{relinked(m.group(2), renamed)}"', text)
        if changed != text:
            page.write_text(changed, encoding="utf-8")
    sizes = {renamed[path]: (len(before[path].encode()), len(after[path].encode())) for path in paths}
    log.debug("stylesheets pruned (bytes before, after): %s", sizes)
    return sizes
