"""`python -m explainer check DIR` as contributors and CI run it: exit codes, the
`path:line:col: severity: message` lines on stderr, and never a Python traceback.

The command line runs in process (what a subprocess would add is tested once, on the entry point)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from explainer.facts.loader import load_file
from explainer.tools.cli import main
from jsonschema import Draft202012Validator
from snippets import SOURCE

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "data" / "facts.yml"


UNDATED = SOURCE.replace("    published: '2026-02-06'\n", "")
UNDATED_WARNING = (
    "data/a.yml:2:5: warning: source 'src-wire-2026-02-06' has no publication date: add "
    "`published:` with the date the page shows, or `published: unknown` if it shows none"
)


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_cli(cwd: Path, *args: str) -> Result:
    """`python -m explainer ARGS` run from `cwd`, in process: exit code, stdout, stderr."""
    out, err, before = io.StringIO(), io.StringIO(), Path.cwd()
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 1
            except Exception:  # a traceback the user would see
                import traceback

                traceback.print_exc()
                code = 1
    finally:
        os.chdir(before)
    return Result(code, out.getvalue(), err.getvalue())


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout


def fixture_records() -> int:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    return sum(len(records) for records in data.values())


def test_valid_data_exits_0(data_dir):
    shutil.copy(FIXTURE, data_dir / "facts.yml")
    result = run_cli(data_dir.parent, "check", "data")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"ok: {fixture_records()} records, 0 warnings\n"
    assert result.stderr == ""


def test_default_folder_is_data(data_dir):
    shutil.copy(FIXTURE, data_dir / "facts.yml")
    result = run_cli(data_dir.parent, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"ok: {fixture_records()} records")


def test_bad_data_exits_1_with_sorted_diagnostics(write, data_dir):
    write("b.yml", SOURCE + "    publsher: X\n")
    write("a.yml", "topics:\n  - id: t\n    name: N\n")
    result = run_cli(data_dir.parent, "check", "data")
    assert result.returncode == 1
    assert_no_traceback(result)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "data/a.yml:2:5: error: missing required field 'question'",
        "data/b.yml:8:5: error: unknown field 'publsher'; did you mean 'publisher'?",
        "2 errors",
    ]


def test_one_error_is_counted_in_the_singular(write, data_dir):
    write("a.yml", "")
    result = run_cli(data_dir.parent, "check", "data")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "data/a.yml:1:1: error: the file is empty: remove it or add records",
        "1 error",
    ]


def test_warnings_print_and_pass_without_strict(write, data_dir):
    write("a.yml", UNDATED)
    result = run_cli(data_dir.parent, "check", "data")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [UNDATED_WARNING]
    assert result.stdout == "ok: 1 records, 1 warnings\n"


def test_warnings_fail_with_strict(write, data_dir):
    write("a.yml", UNDATED)
    result = run_cli(data_dir.parent, "check", "data", "--strict")
    assert result.returncode == 1
    assert_no_traceback(result)
    assert result.stderr.splitlines() == [
        UNDATED_WARNING.replace(": warning: ", ": error: ") + " (a warning, failing under --strict)",
        "1 error",
    ]


def test_strict_after_a_cached_run(write, data_dir):
    write("a.yml", UNDATED)
    assert run_cli(data_dir.parent, "check", "data").returncode == 0  # fills the memory cache
    assert run_cli(data_dir.parent, "check", "data", "--strict").returncode == 1


def test_missing_folder_exits_1(tmp_path):
    result = run_cli(tmp_path, "check", "nope")
    assert result.returncode == 1
    assert_no_traceback(result)
    assert result.stderr.splitlines() == ["nope:1:1: error: no such data folder", "1 error"]


BAD_INPUTS = {
    "syntax": "topics:\n  - id: t\n    name: Talks: round one\n",
    "duplicate-key": "topics:\n  - id: t\n    id: u\n",
    "object-tag": "topics: !!python/object/apply:os.system ['true']\n",
    "alias-bomb": "a: &a [x, x]\nb: &b [*a, *a]\ntopics: [*b, *b]\n",
    "tab": "topics:\n\t- id: t\n",
    "non-utf8": b"topics:\n  - id: caf\xe9\n",
    "utf16": "topics: []\n".encode("utf-16"),
    "empty": "",
    "null-byte": "topics:\n  - id: t\x00\n",
    "list-root": "- 1\n- 2\n",
    "scalar-root": "hello\n",
    "bad-date": SOURCE.replace("'2026-02-06'", "2026-02-30"),
    "bad-url": SOURCE.replace("https://example.org/wire/talks-open", "javascript:alert(1)"),
    "unknown-ref": SOURCE + "glossary:\n  - id: term-x\n    term: X\n    definition: D\n    sources: [src-nope]\n",
    "huge-int-key": "topics:\n  - 99999999999999999999999999999: x\n",
    "deep-nesting": "topics: " + "[" * 800 + "]" * 800 + "\n",
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_data_never_shows_a_traceback(name, write, data_dir):
    write("a.yml", BAD_INPUTS[name])
    result = run_cli(data_dir.parent, "check", "data")
    assert_no_traceback(result)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1].endswith(("1 error", "errors"))
    assert all(line.startswith("data/a.yml:") and ": error: " in line for line in lines[:-1])


def test_the_entry_point_runs_and_the_committed_schema_is_current():
    """`python -m explainer` as a process: the one thing a subprocess proves here."""
    result = subprocess.run(
        [sys.executable, "-m", "explainer", "schema", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok: schema is current\n"


def test_schema_check_fails_on_a_stale_schema(tmp_path):
    (tmp_path / "data-file.schema.json").write_text("{}\n")
    result = run_cli(tmp_path, "schema", "--check", "--out", ".")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "data-file.schema.json: error: stale; run `python -m explainer schema`",
        "policy.schema.json: error: stale; run `python -m explainer schema`",
    ]


def test_schema_writes_a_schema_that_accepts_good_data_and_refuses_bad(tmp_path):
    result = run_cli(tmp_path, "schema", "--out", "out")
    assert result.returncode == 0
    schema = json.loads((tmp_path / "out" / "data-file.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    good = load_file(FIXTURE).data  # as the engine reads YAML: dates stay text
    assert list(validator.iter_errors(good)) == []
    bad = {**good, "events": [{**good["events"][0], "stance": "rejects"}]}
    assert [e.message for e in validator.iter_errors(bad)] == [
        "Additional properties are not allowed ('stance' was unexpected)"
    ]


def test_usage_error_exits_2(tmp_path):
    result = run_cli(tmp_path, "frobnicate")
    assert result.returncode == 2
    assert "usage:" in result.stderr
