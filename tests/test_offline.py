"""The offline copy's parts, in process (issue 12): folder links naming their page file, the
search index as a script, a deterministic archive, and a preview that links to no archive.

The published archives themselves are checked in tests/test_publish.py and, opened from
`file://` in Chromium, in tests/browser/test_offline.py.
"""

from __future__ import annotations

import json
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest
from explainer.errors import ExplainerError
from explainer.site.offline import (
    ARCHIVE_ENV,
    SEARCH_INDEX,
    SEARCH_SCRIPT,
    Archive,
    file_address,
    folder_links,
    write_archive,
    write_search_script,
)
from site_inputs import FIXTURE_DATA, built_site, copy_site, page


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("../people/", "../people/index.html"),
        ("./", "./index.html"),
        (".", "./index.html"),
        ("..", "../index.html"),
        ("../../", "../../index.html"),
        ("topics/enrichment/#stances", "topics/enrichment/index.html#stances"),
        ("search/?q=x", "search/index.html?q=x"),
        ("#ref-1", "#ref-1"),
        ("", ""),
        ("feed.xml", "feed.xml"),
        ("../assets/explainer.css", "../assets/explainer.css"),
        ("https://example.org/a/", "https://example.org/a/"),
        ("/absolute/", "/absolute/"),
        ("mailto:x@example.org", "mailto:x@example.org"),
    ],
)
def test_a_link_to_a_folder_names_its_page_file(href: str, expected: str) -> None:
    assert file_address(href, empty_is_folder=False) == expected


def test_in_the_search_index_an_empty_address_is_the_home_page() -> None:
    assert file_address("", empty_is_folder=True) == "index.html"
    assert file_address("#what-happened", empty_is_folder=True) == "index.html#what-happened"


def test_folder_links_rewrites_links_only() -> None:
    page = (
        '<a class="md-nav__link" href="../positions/">Positions</a>'
        '<svg><a href="../regional-roles/#oman" class="map-country"></a></svg>'
        '<link rel="prev" href="../sources/"><a href="https://example.org/x/">out</a>'
        '<pre><code>&lt;a href="x/"&gt;</code></pre><p>a href="y/"</p>'
    )
    assert folder_links(page) == (
        '<a class="md-nav__link" href="../positions/index.html">Positions</a>'
        '<svg><a href="../regional-roles/index.html#oman" class="map-country"></a></svg>'
        '<link rel="prev" href="../sources/index.html"><a href="https://example.org/x/">out</a>'
        '<pre><code>&lt;a href="x/"&gt;</code></pre><p>a href="y/"</p>'
    )


def test_search_index_becomes_a_script_with_page_files(tmp_path: Path) -> None:
    index = tmp_path / SEARCH_INDEX
    index.parent.mkdir()
    docs = [{"location": "", "text": "Home"}, {"location": "people/x/#quotes", "text": "Quotes – “x”"}]
    index.write_text(json.dumps({"config": {"lang": ["en"]}, "docs": docs}), encoding="utf-8")
    write_search_script(tmp_path)
    assert not index.exists()
    script = (tmp_path / SEARCH_SCRIPT).read_text(encoding="utf-8")
    assert script.startswith("var __index = ") and script.endswith(";\n")
    loaded = json.loads(script.removeprefix("var __index = ").removesuffix(";\n"))
    assert [d["location"] for d in loaded["docs"]] == ["index.html", "people/x/index.html#quotes"]
    assert loaded["docs"][1]["text"] == "Quotes – “x”"


def make_site(root: Path, names: list[str], mtime: int) -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"content of {name}\n", encoding="utf-8")
        path.chmod(0o600 if "a" in name else 0o755)
        os.utime(path, (mtime, mtime))
    return root


def test_the_same_site_gives_a_byte_identical_archive(tmp_path: Path) -> None:
    """Files written in another order, at another time, with other permissions: same bytes."""
    names = ["index.html", "people/a/index.html", "assets/x.css", "search/search_index.js"]
    one = make_site(tmp_path / "one", names, 1_700_000_000)
    two = make_site(tmp_path / "two", list(reversed(names)), 1_800_000_000)
    first = tmp_path / "out1" / "site-2026-02-06.zip"
    second = tmp_path / "out2" / "site-2026-02-06.zip"
    size = write_archive(one, first, date(2026, 2, 6))
    write_archive(two, second, date(2026, 2, 6))
    assert first.read_bytes() == second.read_bytes() and size == first.stat().st_size
    with zipfile.ZipFile(first) as archive:
        entries = archive.infolist()
        assert [e.filename for e in entries] == sorted(f"site-2026-02-06/{n}" for n in names)
        assert {e.date_time for e in entries} == {(2026, 2, 6, 0, 0, 0)}
        assert archive.read("site-2026-02-06/people/a/index.html") == b"content of people/a/index.html\n"


def test_an_archive_refuses_a_symbolic_link(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", ["index.html"], 1_700_000_000)
    (site / "elsewhere").symlink_to("/etc")
    with pytest.raises(ExplainerError, match="only plain files"):
        write_archive(site, tmp_path / "out.zip", date(2026, 2, 6))


@pytest.mark.parametrize(
    "value", ['{"path": "../x.zip", "size": 1}', '{"path": "/x.zip", "size": 1}', '{"path": "x.zip"}', "x.zip"]
)
def test_a_garbled_archive_setting_fails(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(ARCHIVE_ENV, value)
    with pytest.raises(ExplainerError, match=ARCHIVE_ENV):
        Archive.from_env()


def test_archive_sizes_read_as_a_reader_reads_them() -> None:
    assert Archive("x.zip", 1_734_567).size_words() == "1.7 MB"
    assert Archive("x.zip", 640_400).size_words() == "640 KB"
    assert Archive("x.zip", 12).size_words() == "1 KB"


@pytest.mark.slow
def test_a_preview_links_to_no_archive(tmp_path: Path) -> None:
    """`mkdocs build` without publishing: no archive exists, so neither the banner nor the About
    page links to one (and a strict build stays green)."""
    root = copy_site(tmp_path / "site-inputs", FIXTURE_DATA)
    site = built_site(root)
    about = page(site, "about")
    assert about.select("ul.downloads a") and not about.select('a[href$=".zip"]')
    assert "offline" not in about.select_one(".edition-banner").get_text().lower()
