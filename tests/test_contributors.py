"""What contributors rely on: scaffolding, generated references, and the live preview."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from explainer.facts.kinds import KINDS
from explainer.facts.load import load_facts
from explainer.site.reference import data_reference
from site_inputs import built_site as memo_build
from site_inputs import copy_site, tree
from test_cli import Result
from test_cli import run_cli as run_in_process

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "data"
MKDOCS = Path(sys.executable).parent / "mkdocs"


def site_copy(tmp_path: Path) -> Path:
    """The site's inputs with the fixture data, in a folder of its own."""
    return copy_site(tmp_path / "site", FIXTURE)


def run_cli(*args: str, cwd: Path = ROOT) -> Result:
    """`python -m explainer ARGS` from `cwd`, in process (test_cli runs the entry point itself)."""
    return run_in_process(cwd, *args)


# -- scaffolding ------------------------------------------------------------------------------


def test_scaffolded_entries_pass_the_check(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    steps = [
        [
            "source",
            "--publisher",
            "Example Wire",
            "--title",
            "A: 'quoted' headline",
            "--url",
            "https://example.org/new",
            "--published",
            "2026-02-20",
        ],
        [
            "event",
            "--date",
            "2026-02-20",
            "--title",
            "Round three",
            "--summary",
            "Example Wire reports a third round.",
            "--source",
            "src-example-wire-2026-02-20",
        ],
        [
            "quote",
            "--speaker",
            "envoy-a",
            "--date",
            "2026-02-20",
            "--text",
            "Again.",
            "--context",
            "to reporters",
            "--source",
            "src-example-wire-2026-02-20",
        ],
        [
            "position",
            "--actor",
            "party-b",
            "--topic",
            "missiles",
            "--date",
            "2026-02-20",
            "--stance",
            "rejects",
            "--summary",
            "Party B says missiles are not on the table.",
            "--source",
            "src-example-wire-2026-02-20",
        ],
    ]
    for step in steps:
        result = run_cli("new", "--data-dir", str(data), *step)
        assert result.returncode == 0, result.stderr
    facts = load_facts(data, cache=False).facts
    assert "src-example-wire-2026-02-20" in facts.sources
    assert "evt-2026-02-20-round-three" in facts.records["events"]
    assert "q-a-2026-02-20" in facts.quotes
    assert facts.current_position("party-b", "missiles").stance.value == "rejects"
    # the same address again is refused, naming the source that has it (issue 13)
    again = run_cli("new", "--data-dir", str(data), *steps[0])
    assert again.returncode == 1
    assert "--url: this address is already the source 'src-example-wire-2026-02-20'" in again.stderr
    # a second source of the same publisher and day gets the next free id
    other = [*steps[0][:-3], "https://example.org/other", *steps[0][-2:]]
    assert "src-example-wire-2026-02-20-2" in run_cli("new", "--data-dir", str(data), *other).stdout
    assert run_cli("check", str(data)).returncode == 0


def test_scaffolding_refuses_unknown_ids_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    before = {p: p.read_bytes() for p in data.rglob("*.yml")}
    result = run_cli(
        "new",
        "--data-dir",
        str(data),
        "event",
        "--date",
        "2026-02-20",
        "--title",
        "X",
        "--summary",
        "Y",
        "--source",
        "src-wire-2026-02-6",
    )
    assert result.returncode == 1
    assert "did you mean 'src-wire-2026-02-06'?" in result.stderr
    assert {p: p.read_bytes() for p in data.rglob("*.yml")} == before


# -- generated references ---------------------------------------------------------------------


def test_data_reference_covers_every_kind_and_field() -> None:
    page = data_reference(load_facts(FIXTURE).facts)
    for key, kind in KINDS.items():
        assert f"## `{key}`: {kind.model.__name__}" in page
        for name, info in kind.model.model_fields.items():
            assert f"| `{info.alias or name}` |" in page, (key, name)
    assert "## Correction" in page and "## Claim" in page and "## Role" in page


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, built once per test run (site_inputs.built_site)."""
    site = site_copy(tmp_path_factory.mktemp("contrib"))
    return memo_build(site)


def test_references_are_published_under_contribute(built_site: Path) -> None:
    reference = BeautifulSoup((built_site / "contribute/data-reference/index.html").read_text(), "html.parser")
    headings = {h.get_text(" ", strip=True).rstrip("¶").strip() for h in reference.select("h2")}
    for key, kind in KINDS.items():
        assert f"{key} : {kind.model.__name__}" in headings
    documented = set()
    for stage in ("", "facts/", "site/", "tools/"):  # large pages: lxml's tree, not BeautifulSoup's
        api = tree(built_site / f"contribute/api/{stage}index.html")
        documented |= set(api.xpath("//*[starts-with(@id, 'explainer.')]/@id"))
    for name in (
        "explainer.errors.ExplainerError",
        "explainer.mkdocs_hooks",
        "explainer.tools.publish.publish",
        "explainer.facts.load.load_facts",
        "explainer.facts.loader.load_file",
        "explainer.facts.cut.cut",
        "explainer.facts.models.Source",
        "explainer.site.build.SiteBuild",
    ):
        assert name in documented
    nav = {a.get("href") for a in reference.select("nav a")}
    assert any(href and href.endswith("api/") for href in nav)


# -- live preview -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, predicate, timeout: float = 60) -> str:
    deadline, last = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if predicate(last):
                return last
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"{url} never matched; last page:\n{last[:2000]}")


def test_serve_reloads_data_edits_and_survives_data_errors(tmp_path: Path) -> None:
    site = site_copy(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/history/"
    data = site / "data" / "facts.yml"
    try:
        wait_for(url, lambda page: "Round one" in page)
        data.write_text(data.read_text().replace("title: Round one", "title: Round one, edited"))
        start = time.monotonic()
        wait_for(url, lambda page: "Round one, edited" in page)
        assert time.monotonic() - start < 20
        data.write_text(data.read_text().replace("date: '2026-02-17'", "date: '2026-02-30'", 1))
        page = wait_for(url, lambda page: "The build failed" in page)
        assert "facts.yml:" in page and "is not a real date" in page
        assert server.poll() is None, "the server stopped on a data error"
        data.write_text(data.read_text().replace("date: '2026-02-30'", "date: '2026-02-17'", 1))
        wait_for(url, lambda page: "Round one, edited" in page and "The build failed" not in page)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "facts.yml:" in output and "error: date:" in output


def test_directive_reference_lists_every_directive(built_site: Path) -> None:
    from explainer.site.directives import REGISTRY

    doc = BeautifulSoup((built_site / "contribute/directives/index.html").read_text(), "html.parser")
    listed = {row.select_one("td code").get_text() for row in doc.select("table tbody tr")}
    assert listed == set(REGISTRY)
    # the syntax example is shown as code, not expanded
    assert "<!-- explainer:matrix" in doc.select_one("pre").get_text()
