"""A pull request's files under `data/`, replayed as a hostile or careless contributor would lay
them out: every file is loaded or named in an error, nothing outside `data/` is read, and no
file name or value can make `check` print anything but plain `path:line:col` lines."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from explainer import DataError, load_facts
from explainer.facts.loader import MAX_FILE_BYTES, MAX_MESSAGE, printable
from snippets import SOURCE

TOPIC = "topics:\n  - id: enrichment\n    name: Enrichment\n    question: May Party B enrich uranium?\n"
SECRET = "topics:\n  - id: secret\n    name: Taken from outside data/\n    question: Q?\n"
OUTSIDE = (
    "symbolic link to '{}', outside the data folder: data files must be real files in data/, "
    "never links to files elsewhere"
)
INSIDE = "symbolic link to '{}': data files must be real files, not links; replace the link"
NOT_DATA = "not a data file: data/ holds only .yml files; move it out of data/"


def check_cli(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explainer", "check", "data"], cwd=cwd, capture_output=True, text=True, timeout=60
    )


# -- symbolic links -------------------------------------------------------------------------


def test_file_link_to_outside_the_data_folder_is_refused(data_dir, write, diagnostics):
    write("a.yml", TOPIC)
    (data_dir.parent / "elsewhere.yml").write_text(SECRET, encoding="utf-8")
    (data_dir / "x.yml").symlink_to("../elsewhere.yml")
    assert diagnostics() == ["data/x.yml:1:1: error: " + OUTSIDE.format("../elsewhere.yml")]


def test_absolute_link_to_a_system_file_is_refused_and_not_read(data_dir, write, diagnostics):
    write("a.yml", TOPIC)
    (data_dir / "passwd.yml").symlink_to("/etc/passwd")
    assert diagnostics() == ["data/passwd.yml:1:1: error: " + OUTSIDE.format("/etc/passwd")]


def test_folder_link_to_outside_the_data_folder_is_refused(data_dir, write, diagnostics):
    write("a.yml", TOPIC)
    elsewhere = data_dir.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.yml").write_text(SECRET, encoding="utf-8")
    (data_dir / "more").symlink_to(elsewhere, target_is_directory=True)
    assert diagnostics() == [f"data/more:1:1: error: {OUTSIDE.format(elsewhere)}"]


def test_link_deep_in_a_folder_is_named_by_its_own_path(data_dir, write, diagnostics):
    write("events/a.yml", TOPIC)
    (data_dir.parent / "elsewhere.yml").write_text(SECRET, encoding="utf-8")
    (data_dir / "events" / "b.yml").symlink_to("../../elsewhere.yml")
    assert diagnostics() == ["data/events/b.yml:1:1: error: " + OUTSIDE.format("../../elsewhere.yml")]


@pytest.mark.parametrize(
    "name, target",
    [
        ("b.yml", "a.yml"),  # would load a.yml twice
        ("gone.yml", "missing.yml"),  # dangling
        ("loop.yml", "loop.yml"),  # a link to itself
        ("copy", "."),  # the data folder inside itself
    ],
)
def test_links_inside_the_data_folder_are_refused_too(name, target, data_dir, write, diagnostics):
    write("a.yml", TOPIC)
    (data_dir / name).symlink_to(target)
    assert diagnostics() == [f"data/{name}:1:1: error: {INSIDE.format(target)}"]


def test_a_linked_data_folder_itself_is_followed(data_dir, write, tmp_path, fresh_cache):
    # The project may keep its data folder elsewhere; only links *inside* it are refused.
    write("a.yml", TOPIC)
    (tmp_path / "linked").symlink_to(data_dir, target_is_directory=True)
    assert load_facts(tmp_path / "linked", cache=False).facts.count == 1


def test_a_planted_link_never_reaches_the_cache(data_dir, write, fresh_cache):
    write("a.yml", TOPIC)
    assert load_facts(data_dir).facts.count == 1  # cached
    (data_dir / "x.yml").symlink_to("/etc/passwd")
    with pytest.raises(DataError):
        load_facts(data_dir)


# -- every file is loaded or named ----------------------------------------------------------


@pytest.mark.parametrize("name", ["x.YML", "x.Yaml", "x.YAML", "x.yMl"])
def test_data_suffix_in_capitals_is_refused_with_the_name_to_use(name, write, diagnostics):
    write(name, TOPIC)
    assert diagnostics() == [f"data/{name}:1:1: error: data files end in lowercase .yml: rename it 'x.yml'"]


@pytest.mark.parametrize("name", ["notes.txt", "x.json", "README.md", "x.yml~", "x.yml.orig", "Makefile", "x.py"])
def test_any_other_file_is_not_a_data_file(name, write, diagnostics):
    write(name, TOPIC)
    assert diagnostics() == [f"data/{name}:1:1: error: {NOT_DATA}"]


@pytest.mark.parametrize("name", [".gitkeep", ".DS_Store", ".a.yml.swp", "events/.gitkeep"])
def test_tools_hidden_files_are_ignored(name, data_dir, write):
    write("a.yml", TOPIC)
    write(name, "anything: [")
    assert load_facts(data_dir, cache=False).facts.count == 1


def test_a_hidden_data_file_is_named(write, diagnostics):
    write(".b.yml", SECRET)
    write("a.yml", TOPIC)
    assert diagnostics() == [
        "data/.b.yml:1:1: error: hidden data file: it would not be read; rename it without the leading dot"
    ]


def test_a_hidden_folder_is_named(write, diagnostics):
    write(".drafts/b.yml", SECRET)
    write("a.yml", TOPIC)
    assert diagnostics() == [
        "data/.drafts:1:1: error: hidden folder: files in it would not be read; rename it or move it out of data/"
    ]


def test_a_named_pipe_is_refused_without_blocking(data_dir, write, diagnostics):
    write("a.yml", TOPIC)
    os.mkfifo(data_dir / "pipe.yml")
    assert diagnostics() == ["data/pipe.yml:1:1: error: not a regular file: data/ holds only .yml files and folders"]


def test_an_unreadable_file_is_named(data_dir, write, diagnostics, monkeypatch):
    write("a.yml", TOPIC)
    locked = write("b.yml", TOPIC.replace("enrichment", "missiles"))
    real_open = os.open

    def refusing_open(path, *args, **kwargs):  # what chmod 000 does, even when tests run as root
        if os.path.abspath(path) == str(locked):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    assert diagnostics() == ["data/b.yml:1:1: error: cannot read the file: Permission denied"]


def test_an_unreadable_folder_is_named(data_dir, write, diagnostics, monkeypatch):
    write("a.yml", TOPIC)
    write("locked/b.yml", TOPIC.replace("enrichment", "missiles"))
    real_scandir = os.scandir

    def refusing_scandir(path="."):
        if os.path.abspath(path) == str(data_dir / "locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    assert diagnostics() == ["data/locked:1:1: error: cannot read the folder: Permission denied"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission_is_named(data_dir, write, diagnostics):
    write("a.yml", TOPIC)
    locked = write("b.yml", TOPIC)
    locked.chmod(0)
    try:
        assert diagnostics() == ["data/b.yml:1:1: error: cannot read the file: Permission denied"]
    finally:
        locked.chmod(0o644)


def test_a_file_name_that_is_not_utf8_is_named_with_the_byte_escaped(data_dir, write, diagnostics):
    write("a.yml", TOPIC)
    with open(os.fsencode(data_dir) + b"/caf\xe9.yml", "wb") as file:
        file.write(SECRET.encode())
    assert diagnostics() == [r"data/caf\xe9.yml:1:1: error: the name is not UTF-8: rename it"]


@pytest.mark.parametrize(
    "name, shown",
    [
        ("\x1b[32mok.yml", r"\x1b[32mok.yml"),
        ("a\rok: 1 records.yml", r"a\rok: 1 records.yml"),
        ("evil\u202egpj.yml", r"evil\u202egpj.yml"),
        ("folder\x07", r"folder\x07"),
    ],
)
def test_a_file_name_with_control_characters_is_named_escaped(name, shown, write, diagnostics):
    write("a.yml", TOPIC)
    write(name if name.endswith(".yml") else f"{name}/b.yml", SECRET)
    assert diagnostics() == [f"data/{shown}:1:1: error: the name has characters that are not printable: rename it"]


def test_a_file_larger_than_the_limit_is_refused_unparsed(write, diagnostics):
    write("a.yml", TOPIC)
    write("big.yml", b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    assert diagnostics() == [
        f"data/big.yml:1:1: error: cannot read the file: larger than {MAX_FILE_BYTES >> 20} MB; "
        "split it into smaller files"
    ]


def test_folder_problems_come_with_the_files_problems(data_dir, write, diagnostics):
    write("a.yml", TOPIC + "    nmae: first\n")
    write("notes.txt", "x")
    assert diagnostics() == [
        "data/a.yml:5:5: error: unknown field 'nmae'; did you mean 'name'?",
        f"data/notes.txt:1:1: error: {NOT_DATA}",
    ]


# -- what diagnostics print -------------------------------------------------------------------


def test_a_key_with_terminal_escapes_is_printed_escaped(data_dir, write, diagnostics):
    # Unescaped, this line would erase itself and print "ok" in a terminal.
    write("a.yml", TOPIC + '    "\\e[2K\\rok: 25 records, 0 warnings\\e[8m": x\n')
    assert diagnostics() == [r"data/a.yml:5:5: error: unknown field '\x1b[2K\rok: 25 records, 0 warnings\x1b[8m'"]


def test_check_never_prints_control_characters(data_dir, write):
    write("a.yml", TOPIC + '    "\\e[2K\\rok: 1 records\\e[8m": x\n' + '"\\x9b1A\\u202e": []\n')
    write("b.yml", SOURCE.replace("'2026-02-06'", '"2026-02-06\\e[0m\\b\\b"'))
    (data_dir / "\x1b]0;owned\x07.yml").write_text(TOPIC, encoding="utf-8")
    result = check_cli(data_dir.parent)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines == [
        r"data/\x1b]0;owned\x07.yml:1:1: error: the name has characters that are not printable: rename it",
        r"data/a.yml:5:5: error: unknown field '\x1b[2K\rok: 1 records\x1b[8m'",
        r"data/a.yml:6:1: error: unknown kind '\x9b1A\u202e'",
        r"data/b.yml:6:16: error: published: '2026-02-06\x1b[0m\x08\x08' is not a date: "
        "write YYYY, YYYY-MM or YYYY-MM-DD",
        "4 errors",
    ]
    assert all(line.isprintable() for line in lines)


def test_a_huge_value_is_cut_in_the_message(write, diagnostics):
    write("a.yml", SOURCE.replace("'2026-02-06'", "x" * 100_000))
    [line] = diagnostics()
    assert line.startswith("data/a.yml:6:16: error: published: 'xxxx")
    message = line.split(": error: ", 1)[1]
    assert len(message) == MAX_MESSAGE and message.endswith("…")


@pytest.mark.parametrize(
    "text, shown",
    [
        ("plain text, é and ü", "plain text, é and ü"),
        ("\x1b[31m", r"\x1b[31m"),
        ("a\nb\r\tc", r"a\nb\r\tc"),
        ("\x00\x7f\x9b", r"\x00\x7f\x9b"),
        ("\u202e\u2066\u200b\ufeff\u2028", r"\u202e\u2066\u200b\ufeff\u2028"),
        ("\U000e0041", r"\U000e0041"),
        ("no\xa0break", r"no\xa0break"),
    ],
)
def test_printable_escapes_what_a_terminal_would_act_on(text, shown):
    assert printable(text) == shown
    assert printable(text).isprintable()


# -- characters no data file holds, comments included ----------------------------------------


@pytest.mark.parametrize(
    "content, line, col, what",
    [
        # Trojan Source: in review this comment shows the value as something else
        (
            TOPIC.replace("Enrichment\n", "Enrichment # \u202e \u2066not\u2069 this\n"),
            3,
            24,
            "U+202E RIGHT-TO-LEFT OVERRIDE",
        ),
        (TOPIC.replace("name: Enrichment", "name: Enrich\u200bment"), 3, 17, "U+200B ZERO WIDTH SPACE"),
        (TOPIC.replace("    name:", "    na\u200dme:"), 3, 7, "U+200D ZERO WIDTH JOINER"),
        (TOPIC.replace("Enrichment\n", "Enrichment\u2028    question: hidden\n"), 3, 21, "U+2028 LINE SEPARATOR"),
        (TOPIC.replace("Enrichment\n", "Enrich\x85ment\n"), 3, 17, "control character U+0085"),
        (TOPIC + "# \ufeff\n", 5, 3, "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        (TOPIC + "# é \U000e0069\U000e0067\n", 5, 5, "U+E0069 TAG LATIN SMALL LETTER I"),
        (TOPIC + "# \ue000\n", 5, 3, "private-use or unassigned character U+E000"),
    ],
)
def test_hiding_characters_are_refused_anywhere_in_a_file(content, line, col, what, write, diagnostics):
    write("a.yml", content)
    assert diagnostics() == [
        f"data/a.yml:{line}:{col}: error: {what} is not allowed in a data file, comments included: remove it"
    ]


def test_a_byte_order_mark_may_start_a_file(data_dir, write):
    write("a.yml", "\ufeff# é\n" + TOPIC)
    assert load_facts(data_dir, cache=False).facts.count == 1


# -- keys -------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["true", "null", "~", "1", "1.5", ".nan", "[a]", "{a: b}"])
def test_keys_that_are_not_words_are_refused(key, write, diagnostics):
    write("a.yml", TOPIC + f"    {key}: x\n")
    assert diagnostics() == ["data/a.yml:5:5: error: mapping keys must be plain words"]


def test_a_look_alike_key_is_not_the_field_it_imitates(write, diagnostics):
    # "nаme" with a Cyrillic а would otherwise set a second, unchecked name
    write("a.yml", TOPIC + "    n\u0430me: Other\n")
    assert diagnostics() == ["data/a.yml:5:5: error: unknown field 'n\u0430me'; did you mean 'name'?"]
