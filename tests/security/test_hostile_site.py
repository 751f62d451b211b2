"""A hostile contributor against the site (issue 10): each test replays one attack from a pull
request and asserts exactly what comes out.

1. a script in an edition title, which Material's edition selector inserts as HTML from
   versions.json on every page of every edition, and which outlived the edition;
2. raw HTML on the data reference page through a newline, pipe or backtick in a data value;
3. `explainer render OUT_DIR` deleting a folder it did not make (the data, the docs, the checkout);
4. symbolic links in docs/ or overrides/ that publish a file from outside the project;
5. raw HTML, attributes or files in docs/ that run script or load from another host.
"""

from __future__ import annotations

import html
import json
import os
import re
import unicodedata
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import markdown
import pytest
from bs4 import BeautifulSoup
from explainer.errors import Diagnostic
from explainer.facts.dates import FuzzyDate
from explainer.facts.kinds import KINDS
from explainer.site import engine_memo, reference
from explainer.site.reference import data_reference
from explainer.tools import guard
from explainer.tools.publish import _versions_json
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel
from site_inputs import FIXTURE_DATA, build_site, copy_site
from test_cli import Result, run_cli
from test_publish import (
    BRANCH,
    HOSTILE_TITLE,
    branch_texts,
    builds_taken_from,
    copy_published,
    git,
    make_repo,
    publish_here,
    show,
)

ROOT = Path(__file__).resolve().parents[2]

# -- 1. edition titles in the edition selector ---------------------------------------------------


def selector_text(title: str) -> tuple[str, list[str]]:
    """What Material's selector shows for a versions.json title (it sets it as innerHTML), and
    the elements that would create."""
    fragment = BeautifulSoup(f"<a>{title}</a>", "html.parser").a
    return fragment.get_text(), [tag.name for tag in fragment.find_all(True)]


def test_versions_json_holds_titles_as_escaped_text() -> None:
    editions = (
        SimpleNamespace(id="2026-02-06", title="Talks open", cutoff=FuzzyDate.parse("2026-02-06")),
        SimpleNamespace(id="2026-02-17", title=HOSTILE_TITLE, cutoff=FuzzyDate.parse("2026-02-17")),
    )
    text = _versions_json(SimpleNamespace(editions=editions))
    assert "<" not in text and ">" not in text
    titles = {v["version"]: v["title"] for v in json.loads(text)}
    shown = f"17 February 2026: {HOSTILE_TITLE}"
    assert titles == {"2026-02-06": "6 February 2026: Talks open", "2026-02-17": html.escape(shown)}
    assert selector_text(titles["2026-02-17"]) == (shown, []), "the reader sees the title, as text"


def test_a_hostile_title_reaches_no_page_as_markup(republished) -> None:
    """`republished` gave the second edition a title of markup (HOSTILE_TITLE): the data check
    takes it as text, publishing rebuilds that edition only (the first edition's pages leave the
    title out), and every page shows it as text, none as markup."""
    _, remote, result = republished
    assert "building 2026-02-17" in result.stdout and "building 2026-02-06" not in result.stdout
    versions = show(remote, "versions.json")
    assert "<" not in versions and ">" not in versions
    title = next(v["title"] for v in json.loads(versions) if v["version"] == "2026-02-17")
    assert selector_text(title) == (f"17 February 2026: {HOSTILE_TITLE}", [])
    pages = branch_texts(remote, (".html", ".xml"))
    banner = BeautifulSoup(pages["2026-02-17/index.html"], "html.parser").select_one(".edition-banner")
    assert banner is not None and HOSTILE_TITLE in banner.get_text(), "the banner shows the title, as text"
    for path, text in pages.items():
        assert "<img src=x" not in text and "<script>alert" not in text, path


def test_a_removed_edition_leaves_the_branch_and_the_selector(published, tmp_path: Path, monkeypatch) -> None:
    """Retiring an edition is deleting it from the data: the next publish drops its folder and its
    versions.json entry, so a bad title cannot outlive its edition. (What the edition left is
    rebuilt from is not the point: it is taken from `published` instead of being built again.)"""
    repo, remote = copy_published(published, tmp_path / "copy")
    builds_taken_from(remote, monkeypatch)
    assert "2026-02-06/index.html" in git(remote, "ls-tree", "-r", "--name-only", BRANCH, bare=True)
    facts = repo / "data" / "facts.yml"
    text = facts.read_text(encoding="utf-8")
    block = text[text.index("  - id: 2026-02-06\n") : text.index("  - id: 2026-02-17\n")]
    facts.write_text(text.replace(block, ""), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "retire the first edition")
    result = publish_here(repo, monkeypatch)
    assert result.returncode == 0, result.stderr
    assert "removed editions: 2026-02-06" in result.stdout
    files = git(remote, "ls-tree", "-r", "--name-only", BRANCH, bare=True).splitlines()
    assert not [f for f in files if f.startswith("2026-02-06/")]
    versions = json.loads(show(remote, "versions.json"))
    assert [v["version"] for v in versions] == ["2026-02-17"]
    assert "Talks open" not in show(remote, "versions.json")
    assert json.loads(show(remote, "explainer-editions.json"))["editions"].keys() == {"2026-02-17"}


# -- 2. the data reference page ---------------------------------------------------------------------

PAYLOADS = [
    "a\n| <script>alert(1)</script> | b",
    "`x` <img src=x onerror=alert(2)> `y`",
    "</code></td><svg onload=alert(3)>",
    "&lt;b&gt; &amp; [l](javascript:alert(4)) *e* _u_",
    '{: onclick="alert(5)" } <!-- c --> \\| \\`',
    "\r\n\t\u2028<iframe src=//evil.example>\n\n# h",
    "x" * 50 + "<script>alert(6)</script>",
]


class Nested(BaseModel):
    text: str


class Shown:
    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


SHAPES = {
    "text": lambda p: p,
    "list": lambda p: [p, p],
    "mapping": lambda p: {p: p},
    "model": lambda p: [Nested(text=p)],
    "other": lambda p: Shown(p),
}


class HostileRecord:
    """A record whose every field holds `value`, whatever the field's type."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __getattr__(self, name: str) -> Any:
        return self.value


def shown(value: Any) -> str:
    """The example text the reader must see for `value`: one line, at most 60 characters."""
    dump = lambda v: v.model_dump() if isinstance(v, BaseModel) else str(v)  # noqa: E731
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=dump)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "…"


@pytest.fixture(scope="module")
def site_markdown() -> markdown.Markdown:
    """Python-Markdown with the site's extensions, as MkDocs configures them."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_reference_page_shows_hostile_values_as_text(site_markdown, payload: str) -> None:
    """Every field of each kind's example record holds the payload, in one of the shapes a field
    can hold: the kinds take the shapes in turn, so the page shows the payload in every shape."""
    assert len(KINDS) >= len(SHAPES)
    shapes = list(SHAPES.values())
    values = {key: shapes[n % len(shapes)](payload) for n, key in enumerate(KINDS)}
    facts = SimpleNamespace(records={key: {"x": HostileRecord(values[key])} for key in KINDS})
    site_markdown.reset()
    page = BeautifulSoup(site_markdown.convert(data_reference(facts)), "html.parser")
    tags = {tag.name for tag in page.find_all(True)}
    assert tags <= {"h1", "h2", "p", "table", "thead", "tbody", "tr", "th", "td", "code", "a"}, tags
    for tag in page.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
    assert all(a["href"].startswith("#") for a in page.find_all("a"))
    tables = page.find_all("table")
    for (key, kind), table in zip(KINDS.items(), tables, strict=False):
        rows = table.tbody.find_all("tr")
        assert len(rows) == len(kind.model.model_fields), key
        for row, name in zip(rows, kind.model.model_fields, strict=True):
            cells = row.find_all("td")
            assert len(cells) == 5, (key, name, str(row))
            assert cells[4].get_text() == shown(values[key]), (key, name)


# -- 3. render OUT_DIR ---------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every file and link under `folder`: what must survive a refused render."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[key] = path.read_bytes()
    return found


def render(project: Path, out: str) -> Result:
    """`python -m explainer render OUT` from `project`, in process (test_cli runs the entry point)."""
    return run_cli(project, "render", out)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A checkout of the site (with .git) in tmp_path/work/project, beside an unrelated folder."""
    repo, _ = make_repo(tmp_path / "work")
    (tmp_path / "work" / "notes").mkdir()
    (tmp_path / "work" / "notes" / "thesis.md").write_text("years of work\n", encoding="utf-8")
    return repo


@pytest.mark.parametrize(
    ("out", "why"),
    [
        ("data", "it is inside the project ({root}) and not empty; render into an empty or new folder"),
        ("docs", "it is inside the project ({root}) and not empty; render into an empty or new folder"),
        ("overrides", "it is inside the project ({root}) and not empty; render into an empty or new folder"),
        (".", "it holds the project ({root}), which a render would delete"),
        (".git", "it is inside the project ({root}) and not empty; render into an empty or new folder"),
        ("..", "it holds the project ({root}), which a render would delete"),
        ("../notes", "it is not empty and was not made by `explainer render` (no .explainer-render file in it)"),
        ("mkdocs.yml", "it is not a folder"),
    ],
)
def test_render_refuses_a_folder_it_did_not_make(project: Path, out: str, why: str) -> None:
    work = project.parent
    before = snapshot(work)
    result = render(project, out)
    assert result.returncode == 1
    expected = f"error: {out}: refusing to render into this folder: {why.format(root=project.resolve())}"
    assert result.stderr.strip() == f"{expected}; nothing was deleted"
    assert snapshot(work) == before


def test_render_refuses_a_link_and_a_marked_folder_holding_a_repository(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep\n", encoding="utf-8")
    (tmp_path / "link").symlink_to(elsewhere)
    result = render(project, str(tmp_path / "link"))
    assert result.returncode == 1 and "it is a symbolic link" in result.stderr
    marked = tmp_path / "marked"
    assert render(project, str(marked)).returncode == 0
    (marked / ".git").mkdir()
    result = render(project, str(marked))
    assert result.returncode == 1 and "it holds a git repository (.git)" in result.stderr
    assert (marked / ".git").is_dir() and (elsewhere / "keep.txt").is_file()


def test_render_replaces_only_its_own_output(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    first = render(project, str(out))
    assert first.returncode == 0, first.stderr
    assert (out / ".explainer-render").is_file() and (out / "mkdocs.yml").is_file()
    (out / "docs" / "stale.md").write_text("left over\n", encoding="utf-8")
    again = render(project, str(out))
    assert again.returncode == 0, again.stderr
    assert not (out / "docs" / "stale.md").exists(), "a render replaces its own earlier output"
    inside = project / "plain"
    inside.mkdir()
    assert render(project, "plain").returncode == 0, "an empty folder inside the project is fine"
    result = render(project, "plain")
    assert result.returncode == 1 and "inside the project" in result.stderr, "but only while it is empty"


# -- 4. symbolic links out of the project --------------------------------------------------------------

SECRET = "root:x:0:0:the secret a link must not publish"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A buildable copy of the site, and a secret file outside it."""
    (tmp_path / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    return copy_site(tmp_path / "site", FIXTURE_DATA)


def published_anywhere(folder: Path) -> bool:
    return folder.exists() and any(SECRET in p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("docs/assets/leak.txt", "{secret}"),
        ("docs/assets/passwd", "/etc/passwd"),
        ("overrides/partials/copyright.html", "{secret}"),
        ("docs/assets/up", "{outside}"),
    ],
)
def test_build_and_render_refuse_a_link_out_of_the_project(site: Path, tmp_path: Path, link: str, target: str) -> None:
    target = target.format(secret=tmp_path / "secret.txt", outside=tmp_path)
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    (site / link).symlink_to(target)
    resolved = (site / link).resolve()
    message = f"{link}: error: symbolic link to {target}, which resolves outside the project ({resolved})"
    built = build_site(site, tmp_path / "out")
    assert built.returncode == 1
    assert message in built.stderr, built.stderr[-2000:]
    assert not published_anywhere(tmp_path / "out")
    rendered = render(site, str(tmp_path / "rendered"))
    assert rendered.returncode == 1
    assert rendered.stderr.startswith(message), rendered.stderr
    assert not (tmp_path / "rendered").exists()


def test_a_link_through_a_linked_folder_is_found(site: Path, tmp_path: Path) -> None:
    """docs/shared -> ../notes stays inside; notes/leak.txt leads out: the build reads through both."""
    (site / "notes").mkdir()
    (site / "notes" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (site / "docs" / "shared").symlink_to("../notes")
    built = build_site(site, tmp_path / "out")
    assert built.returncode == 1
    assert "docs/shared/leak.txt: error: symbolic link to" in built.stderr
    assert not published_anywhere(tmp_path / "out")


def test_links_inside_the_project_are_fine(site: Path, tmp_path: Path) -> None:
    (site / "docs" / "assets" / "copy.css").symlink_to("explainer.css")
    built = build_site(site, tmp_path / "out")
    assert built.returncode == 0, built.stderr[-2000:]
    assert (tmp_path / "out" / "assets" / "copy.css").read_bytes() == (site / "docs/assets/explainer.css").read_bytes()


# -- 5. raw HTML and files in docs/ that run script or load from other hosts -------------------------

PAGE_ATTACKS = [
    ("<script>alert(1)</script>", "1:1: error: <script> is not allowed in pages"),
    ('Text <img src="https://tracker.example/p.png">', "1:16: error: src='https://tracker.example/p.png' loads from"),
    ("![pixel](//tracker.example/p.png)", "1:10: error: src='//tracker.example/p.png' loads from another host"),
    ("[read](javascript:alert(1))", "1:8: error: href: javascript: addresses are not allowed in pages"),
    ('<a href=" jav&#x09;ascript:alert(1)">x</a>', "1:1: error: href: javascript: addresses are not allowed"),
    ('# Title { onclick="alert(1)" }', "1:11: error: the onclick attribute runs script"),
    ('<div markdown onmouseover="alert(1)">hi</div>', "1:15: error: the onmouseover attribute runs script"),
    ('<iframe src="https://example.org/"></iframe>', "1:1: error: <iframe> is not allowed in pages"),
    ('<p style="background:url(https://t.example/x)">x</p>', "1:4: error: style attributes are not allowed"),
]
FILE_ATTACKS = [
    ("assets/x.html", "<script>alert(1)</script>", "1:1: error: docs/ may publish pages and files of these kinds"),
    ("assets/x.svg", '<svg onload="alert(1)"/>', "1:1: error: docs/ may publish pages and files of these kinds"),
    ("assets/explainer.css", "body{background:url(https://t.example/x.png)}", "1:27: error: a stylesheet may not"),
    ("assets/explainer.css", "@import '\\2f\\2ft.example/x.css';", "1:10: error: a stylesheet may not"),
]


def refused_everywhere(site: Path, tmp_path: Path, expected: str) -> None:
    """The MkDocs build and `explainer render` both refuse, with `expected` in their message."""
    built = build_site(site, tmp_path / "out")
    assert built.returncode == 1
    assert expected in built.stderr, built.stderr[-2000:]
    rendered = render(site, str(tmp_path / "rendered"))
    assert rendered.returncode == 1
    assert expected in rendered.stderr, rendered.stderr
    assert not (tmp_path / "rendered").exists()


@pytest.mark.parametrize(("markdown_text", "message"), PAGE_ATTACKS, ids=range(len(PAGE_ATTACKS)))
def test_a_page_cannot_run_script_or_load_from_another_host(
    site: Path, tmp_path: Path, markdown_text: str, message: str
) -> None:
    (site / "docs" / "glossary.md").write_text(markdown_text + "\n", encoding="utf-8")
    refused_everywhere(site, tmp_path, f"docs/glossary.md:{message}")


@pytest.mark.parametrize(("path", "content", "message"), FILE_ATTACKS, ids=range(len(FILE_ATTACKS)))
def test_docs_publish_no_file_that_runs_script_or_loads_from_another_host(
    site: Path, tmp_path: Path, path: str, content: str, message: str
) -> None:
    (site / "docs" / path).write_text(content, encoding="utf-8")
    refused_everywhere(site, tmp_path, f"docs/{path}:{message}")


def test_links_to_other_sites_and_aligned_tables_are_fine(site: Path, tmp_path: Path) -> None:
    page = "[AP](https://apnews.com/)\n\n| a | b |\n|--:|:-:|\n| 1 | 2 |\n"
    (site / "docs" / "glossary.md").write_text(page, encoding="utf-8")
    built = build_site(site, tmp_path / "out")
    assert built.returncode == 0, built.stderr[-2000:]


def test_only_a_page_found_clean_is_remembered_and_only_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build does not render a page again that the guard found clean with the same engine and
    extensions; any change to its text, or to the extensions, has it checked again, and a page
    with a problem is checked (and refused) every time."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(engine_memo, "_memory", {})
    rendered: list[str] = []
    real = guard.unsafe_html

    def counted(source: str, md: markdown.Markdown, path: str) -> list[Diagnostic]:
        rendered.append(source)
        return real(source, md, path)

    monkeypatch.setattr(guard, "unsafe_html", counted)
    clean, hostile = "# Glossary\n\nA *term*.\n", "# Glossary\n\n<script>alert(1)</script>\n"

    def check(text: str, extensions: tuple[str, ...] = ("attr_list", "md_in_html")) -> list[str]:
        return [str(d) for d in guard.PageChecker(list(extensions), {}).problems(text, "docs/glossary.md")]

    assert check(clean) == [] and rendered == [clean]
    monkeypatch.setattr(engine_memo, "_memory", {})  # a later build: from the cache folder
    assert check(clean) == [] and rendered == [clean]
    assert check(clean + " ") == [] and check(clean, ("attr_list",)) == []
    assert rendered == [clean, clean + " ", clean]
    for _ in range(2):
        [problem] = check(hostile)
        assert problem.startswith("docs/glossary.md:3:1: error: <script> is not allowed in pages")
    assert rendered[-2:] == [hostile, hostile]


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40))
def test_a_reference_cell_shows_any_text_literally(text: str) -> None:
    """The data reference's cell text: every character that is not a letter, a digit or a mark
    with no meaning in a table cell is an entity, and the entities give back exactly the text."""
    cell = reference._text(text)
    literal = re.sub(r"&#\d+;", "", cell)
    assert all(c.isalnum() or c in " .,;:'\"?/%@$=()-" for c in literal if c <= "\x7f")
    assert all(unicodedata.category(c)[0] != "C" for c in literal)
    assert re.sub(r"&#(\d+);", lambda m: chr(int(m[1])), cell) == " ".join(re.split(r"\s+", text))
