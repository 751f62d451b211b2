"""`python -m explainer new` given hostile or awkward text: the value is stored verbatim or refused,
the file keeps its line endings, and a refused record leaves every file as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from explainer import load_facts
from explainer.facts.loader import load_file
from explainer.tools import scaffold as scaffolding
from explainer.tools.cli import main

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "data" / "facts.yml"
NEWS = """\
# yaml-language-server: $schema=../schema/data-file.schema.json
sources:
  - id: src-news-2026-03-01
    publisher: News
    title: Later news
    url: https://example.org/news
    published: '2026-03-01'
    kind: news-report
"""
INVISIBLE = "is invisible or changes how text shows: remove it"


@pytest.fixture
def data(data_dir: Path) -> Path:
    """The fixture data plus `news.yml`, the file new sources are appended to."""
    shutil.copy(FIXTURE, data_dir / "facts.yml")
    (data_dir / "news.yml").write_text(NEWS, encoding="utf-8")
    return data_dir


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def new_source(data: Path, title: str, published: str = "2026-03-02") -> int:
    return main(
        [
            "new",
            "--data-dir",
            str(data),
            "source",
            "--publisher",
            "Example Wire",
            "--title",
            title,
            "--url",
            "https://example.org/new",
            "--published",
            published,
        ]
    )


# -- verbatim ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "yes",
        "null",
        "~",
        "2026-02-06",
        "0x1F",
        "A: 'quoted' headline",
        "\"Double\" and 'single' quotes",
        "# not a comment",
        "- not a list",
        "? not a key",
        "&anchor *alias !tag |pipe >fold %percent @at `tick`",
        "{brace} [bracket], comma",
        "back\\slash \\n not a newline",
        "Zürich talks – “round two”",
        "No\u00a0break\u202fthin and\u3000ideographic spaces",
        "Long " + "headline " * 40 + "end",
        "ایران",
    ],
)
def test_new_text_is_stored_verbatim(title, data, capsys):
    assert new_source(data, title) == 0, capsys.readouterr().err
    assert load_facts(data, cache=False).facts.sources["src-example-wire-2026-03-02"].title == title


@pytest.mark.parametrize(
    "title, escape, problem",
    [
        ("Round\u2028two", b"\\L", f"U+2028 LINE SEPARATOR at character 6 {INVISIBLE}"),
        ("Round\x85two", b"\\N", f"control character U+0085 at character 6 {INVISIBLE}"),
        ("Round\u2029two", b"\\P", f"U+2029 PARAGRAPH SEPARATOR at character 6 {INVISIBLE}"),
        ("Round\u202etwo", b"\\u202E", f"U+202E RIGHT-TO-LEFT OVERRIDE at character 6 {INVISIBLE}"),
        ("Round\x1b[2Jtwo", b"\\e", f"control character U+001B at character 6 {INVISIBLE}"),
        ("Round\u3164two", b"\\u3164", f"U+3164 HANGUL FILLER at character 6 {INVISIBLE}"),
        ("Round\ufe0ftwo", b"\\uFE0F", f"U+FE0F VARIATION SELECTOR-16 at character 6 {INVISIBLE}"),
        ("Zürich\u200btalks", b"Z\\xFCrich\\u200Btalks", f"U+200B ZERO WIDTH SPACE at character 7 {INVISIBLE}"),
    ],
)
def test_line_separators_and_controls_are_written_escaped_and_then_refused(title, escape, problem, data, capsys):
    record = {"id": "src-x", "publisher": "P", "title": title, "kind": "news-report"}
    written = scaffolding.appended(data / "news.yml", "source", record, "")
    # Raw, U+2028 and U+0085 would be read back as a space: escaped, the value round-trips...
    assert escape in written and written.isascii()
    assert load_file(data / "news.yml", written).data["sources"][-1] == record
    # ... and the check refuses it, before any file is touched.
    before = snapshot(data)
    assert new_source(data, title) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "error: the record would not pass the check; nothing was written:",
        f"data/news.yml:11:12: error: title: {problem}",
    ]
    assert snapshot(data) == before


def test_a_crlf_file_stays_crlf(data, capsys):
    news = data / "news.yml"
    original = NEWS.replace("\n", "\r\n").encode()
    news.write_bytes(original)
    assert new_source(data, "Round two") == 0, capsys.readouterr().err
    after = news.read_bytes()
    assert after.startswith(original)
    assert after.count(b"\n") == after.count(b"\r\n") == original.count(b"\n") + 6
    assert load_facts(data, cache=False).facts.sources["src-example-wire-2026-03-02"].title == "Round two"


def test_an_lf_file_stays_lf(data, capsys):
    assert new_source(data, "Round two") == 0, capsys.readouterr().err
    after = (data / "news.yml").read_bytes()
    assert after.startswith(NEWS.encode()) and b"\r" not in after


# -- nothing is written unless all of it passes -------------------------------------------------


@pytest.mark.parametrize(
    "title, published, problem",
    [
        ("Round two", "2026-02-30", "published: '2026-02-30' is not a real date: February 2026 has 28 days"),
        ("Round two", "٢٠٢٦-٠٣-٠٢", "published: '٢٠٢٦-٠٣-٠٢' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        (" ", "2026-03-02", "title: only spaces: write the text"),
        ("Round two ", "2026-03-02", "title: ends with a space: remove it"),
    ],
)
def test_a_refused_record_leaves_every_file_as_it_was(title, published, problem, data, capsys):
    before = snapshot(data)
    assert new_source(data, title, published) == 1
    assert capsys.readouterr().err.splitlines()[1].endswith(f": error: {problem}")
    assert snapshot(data) == before


def test_an_interrupted_write_leaves_the_old_file(data, monkeypatch, capsys):
    before = snapshot(data)

    def power_cut(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(OSError):
        new_source(data, "Round two")
    assert snapshot(data) == before  # and no temporary file left behind


def test_a_new_file_is_readable_by_others(data_dir, capsys):
    # no file holds sources yet, so the first one gets a file of its own
    (data_dir / "topics.yml").write_text("topics:\n  - id: t\n    name: T\n    question: Q?\n", encoding="utf-8")
    assert new_source(data_dir, "Round two") == 0, capsys.readouterr().err
    created = data_dir / "sources.yml"
    assert created.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert load_file(created).diagnostics == []


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
