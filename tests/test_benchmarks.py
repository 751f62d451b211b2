"""The benchmarks cannot rot, and the Performance page shows what the results file holds.

Nothing here is timed: the generator must make valid data of every kind, the statistics must say
what they claim, and the page, rendered by its directive, must carry the results file's figures.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from explainer.facts.kinds import KINDS
from explainer.facts.load import load_facts
from explainer.facts.models import ActorKind, ContestStatus, EventStatus, RoleKind, SourceKind, Stance
from explainer.site import performance
from explainer.site.build import SiteBuild

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
PAGE = ROOT / "docs" / "performance.md"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch):
    """The benchmarks' modules, imported from benchmarks/ (they are scripts, not a package)."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    for name in ("synth", "bench_site", "run", "bench_tests"):
        sys.modules.pop(name, None)
    import bench_site
    import synth

    yield synth, bench_site
    for name in ("synth", "bench_site", "run", "bench_tests"):
        sys.modules.pop(name, None)


# -- the one synthetic-data generator ----------------------------------------------------------

# each enumerated field, as (kind, field): every value the model allows must appear
ENUM_FIELDS = {
    SourceKind: ("sources", "kind"),
    Stance: ("positions", "stance"),
    RoleKind: ("roles", "role"),
    ActorKind: ("actors", "kind"),
    EventStatus: ("events", "status"),
    ContestStatus: ("contested", "status"),
}


@pytest.mark.parametrize(("facts", "pages"), [(600, None), (150, 12), (2_000, 300)])
def test_generator_makes_valid_data_of_every_kind(bench, tmp_path: Path, fresh_cache, facts, pages) -> None:
    synth, _ = bench
    stats = synth.generate(tmp_path / "data", facts, pages=pages, seed=3)
    loaded = load_facts(tmp_path / "data", strict=True, cache=False)  # no errors, no warnings
    base = loaded.facts
    assert base.count == stats["records"] == sum(synth.plan(facts, pages).values())
    for key in KINDS:
        assert base.records[key], f"no {key} generated"
    for enum, (key, field) in ENUM_FIELDS.items():
        seen = {getattr(getattr(r, field), "value", getattr(r, field)) for r in base.records[key].values()}
        assert seen == {m.value for m in enum}, f"{key}.{field}: missing {set(m.value for m in enum) - seen}"
    build = SiteBuild.for_edition(base)  # the latest edition, cut, with the one before it
    assert build.facts.count == base.count, "the latest edition must hold every generated record"
    assert build.previous is not None


def test_generator_writes_about_500_bytes_a_record_in_several_files(bench, tmp_path: Path) -> None:
    synth, _ = bench
    stats = synth.generate(tmp_path / "data", 2_000, seed=1)
    assert stats["files"] >= len(KINDS) + 1  # sources run over one file of CHUNK records
    assert 350 < stats["bytes"] / stats["records"] < 700


def test_generator_is_deterministic_for_a_seed(bench, tmp_path: Path) -> None:
    synth, _ = bench
    synth.generate(tmp_path / "a", 300, seed=7)
    synth.generate(tmp_path / "b", 300, seed=7)
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_generation_order_puts_each_kind_after_the_kinds_it_refers_to(bench) -> None:
    synth, _ = bench
    order = synth.generation_order()
    assert sorted(order) == sorted(KINDS)
    for key, kind in KINDS.items():
        for target in synth._targets(kind.model) - {key}:
            assert order.index(target) < order.index(key), f"{key} refers to {target}"


def test_the_site_benchmark_uses_the_same_generator(bench) -> None:
    synth, bench_site = bench
    assert bench_site.synth is synth
    assert not hasattr(bench_site, "_Gen"), "bench_site.py must not carry a generator of its own"


# -- the statistics the verdicts rest on --------------------------------------------------------


def test_median_confidence_interval_uses_order_statistics(bench) -> None:
    _, bench_site = bench
    values = [float(v) for v in range(1, 13)]  # n = 12: the 3rd and 10th values (96 % coverage)
    assert bench_site.median_ci(values) == (3.0, 10.0)
    assert bench_site.median_ci([1.0, 2.0, 3.0]) == (1.0, 3.0)  # too few for 95 %: the whole range


def test_verdict_needs_the_whole_interval_on_one_side(bench) -> None:
    _, bench_site = bench
    assert bench_site.verdict({"ci95": [1.02, 1.09]}, 1.10) == "met"
    assert bench_site.verdict({"ci95": [1.11, 1.15]}, 1.10) == "missed"
    assert bench_site.verdict({"ci95": [1.08, 1.12]}, 1.10) == "too close to call"


def test_rounds_alternate_direction(bench) -> None:
    _, bench_site = bench
    assert bench_site.order([1, 2, 3], 0) == [1, 2, 3]
    assert bench_site.order([1, 2, 3], 1) == [3, 2, 1]


# -- the Performance page and the results file --------------------------------------------------


def rendered_page() -> BeautifulSoup:
    build = SiteBuild.for_edition(load_facts(FIXTURE_DATA, cache=False).facts)
    text = PAGE.read_text(encoding="utf-8")
    page = build.render_page("performance.md", "performance/", text, "docs/performance.md")
    assert page.diagnostics == []
    return BeautifulSoup(page.markdown, "html.parser")


def rows(soup: BeautifulSoup) -> list[list[str]]:
    return [[td.get_text() for td in tr.find_all("td")] for tr in soup.select("tbody tr")]


def test_results_file_is_committed_and_complete() -> None:
    results = json.loads(performance.RESULTS.read_text(encoding="utf-8"))
    keys = {t["key"] for t in results["targets"]}
    assert keys == {"data_synthetic-10000", "data_repository", "static_ratio_10000", "scaling", "real_ratio"}
    assert results["load_average"]["start"] and results["machine"]["cores"]
    assert results["builds"]["rounds"] >= 10


def test_performance_page_shows_the_results_file() -> None:
    results = json.loads(performance.RESULTS.read_text(encoding="utf-8"))
    table = rows(rendered_page())
    by_label = {row[0]: row for row in table}
    for t in results["targets"]:
        row = by_label[t["label"]]
        assert row[2].startswith(f"{t['cpu']['median']:.3f} ("), (t["key"], row)
        assert f"{t['cpu']['ci95'][0]:.3f}–{t['cpu']['ci95'][1]:.3f}" in row[2]
        assert row[3].startswith(f"{t['wall']['median']:.3f} (")
        assert row[4] == t["verdict"]
        assert row[5] == (t["previous_verdict"] or "–")
        agreed = t["previous_verdict"] == t["verdict"]
        assert (row[6] == t["verdict"]) if agreed else row[6].startswith("not yet"), row
        assert row[7] == f"{t['cpu']['min']:.3f}–{t['cpu']['max']:.3f}", row
    for data in results["data_stage"]["datasets"].values():
        row = by_label[data["label"]]
        assert row[1] == f"{data['records']:,}"
        assert row[4].startswith(f"{data['sitebuild-load']['cpu']['median'] * 1000:.1f} ms")
        assert row[5].startswith(f"{data['ratio']['cpu']['median']:.3f} (")
    for name, arm in results["builds"]["arms"].items():
        row = by_label[f"{arm['label']} ({name})"]
        assert row[3].startswith(f"{arm['cpu']['median']:.2f} s"), row
        assert row[4].startswith(f"{arm['wall']['median']:.2f} s"), row
    for comparison in results["builds"]["comparisons"].values():
        assert by_label[comparison["label"]][2].startswith(f"{comparison['cpu']['median']:.3f} (")


def test_performance_page_shows_the_test_suite_figures() -> None:
    tests = json.loads(performance.RESULTS.read_text(encoding="utf-8"))["tests"]
    by_label = {row[0]: row for row in rows(rendered_page())}
    for name, side in tests["sides"].items():
        added = f", pytest {side['pytest_args']}" if side.get("pytest_args") else ""
        row = by_label[f"{side['label']} ({name}{added})"]
        assert row[1] == "/".join(sorted({str(c["passed"]) for c in side["tests"].values()})), row
        assert row[3].startswith(f"{side['cpu']['median']:.2f} s"), row
        assert row[4].startswith(f"{side['wall']['median']:.2f} s"), row
    for c in tests["comparisons"].values():
        row = by_label[c["label"]]
        assert row[2] == f"{c['cpu']['median']:.3f} ({c['cpu']['ci95'][0]:.3f}–{c['cpu']['ci95'][1]:.3f})", row
        assert row[3].startswith(f"{c['wall']['median']:.3f} ("), row
        previous = c.get("previous_verdict")
        why = "no previous run" if previous is None else "the two runs disagree"
        stands = c["verdict"] if previous == c["verdict"] else f"not yet: {why}"
        assert row[5:] == [c["verdict"], previous or "–", stands, c["verdict_cpu"]], row


def test_every_benchmarked_process_keeps_bytecode_as_a_contributor_does(bench, monkeypatch, tmp_path: Path) -> None:
    """A shell that tells Python not to keep compiled modules would make every data-driven build
    compile the engine from source, which no contributor's build does (and the static side has
    no modules to compile)."""
    _, bench_site = bench
    import bench_tests

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    assert "PYTHONDONTWRITEBYTECODE" not in bench_site._env()
    assert "PYTHONDONTWRITEBYTECODE" not in bench_tests.suite_env(ROOT, tmp_path)


def test_the_test_suite_benchmark_reads_pytest_and_pairs_rounds(bench) -> None:
    import bench_tests

    assert bench_tests.tally("x\n== 2 failed, 880 passed, 1 skipped in 90.1s (0:01:30) ==\n") == {
        "failed": 2,
        "passed": 880,
        "skipped": 1,
    }
    assert bench_tests.tally("== 1 error, 3 passed in 2.0s ==") == {"error": 1, "passed": 3}
    base, side = bench_tests.Side("baseline", "b", ROOT), bench_tests.Side("current", "c", ROOT)
    for r, (b, c) in enumerate([(10.0, 4.0), (20.0, 12.0), (10.0, 5.0)]):  # round 0 is the warm-up
        base.runs[r] = bench_tests.Run(b, b, {}, [], 0.0, 0.0)
        side.runs[r] = bench_tests.Run(c, c / 2, {}, [], 0.0, 0.0)
    compared = bench_tests.compare(side, base)
    assert compared["rounds"] == [1, 2]
    assert compared["wall"]["values"] == [0.6, 0.5] and compared["cpu"]["values"] == [0.3, 0.25]
    assert compared["judged_on"] == "wall"
    assert compared["verdict"] == "too close to call" and compared["verdict_cpu"] == "met"


def test_the_test_suite_benchmark_keeps_the_verdict_of_the_run_before(bench) -> None:
    """Of the results it replaces, the wall-time verdict: "verdict" once judged on wall time,
    "verdict_wall" from the runs judged on CPU time."""
    import bench_tests

    comparisons: dict = {"current": {}, "also-1": {}}
    old = {"judged_on": "cpu", "verdict": "missed", "verdict_wall": "met"}
    before = {"date": "then", "comparisons": {"current": old}}
    bench_tests.previous_verdicts(comparisons, before)
    assert comparisons == {
        "current": {"previous_verdict": "met", "previous_date": "then"},
        "also-1": {"previous_verdict": None, "previous_date": "then"},
    }
    before["comparisons"]["current"] = {"judged_on": "wall", "verdict": "too close to call", "verdict_cpu": "missed"}
    bench_tests.previous_verdicts(comparisons, before)
    assert comparisons["current"]["previous_verdict"] == "too close to call"


def test_each_side_runs_the_suite_as_its_own_dev_py_does(bench, tmp_path: Path) -> None:
    """The current tree's side adds dev.py's PARALLEL; a tree whose dev.py has none adds nothing."""
    import bench_tests

    sys.path.insert(0, str(ROOT))
    try:
        import dev
    finally:
        sys.path.remove(str(ROOT))
    assert bench_tests.added_by_dev_py(ROOT) == dev.PARALLEL
    (tmp_path / "dev.py").write_text('"""An older dev.py."""\nVENV = ".venv"\n', encoding="utf-8")
    assert bench_tests.added_by_dev_py(tmp_path) == []


def test_performance_page_shows_the_browser_measurement() -> None:
    results = json.loads(performance.LIGHTHOUSE_RESULTS.read_text(encoding="utf-8"))
    soup = rendered_page()
    captions = [c.get_text() for c in soup.find_all("caption")]
    for label, run in results.items():
        if "served" not in run:
            continue
        (caption,) = [c for c in captions if f"“{label}”" in c]
        assert performance.SERVED[run["served"]] in caption
        assert ("uncompressed" in caption) == (run["served"] == "uncompressed")
        table = next(t for t in soup.find_all("table") if t.caption.get_text() == caption)
        by_page = {row[0]: row for row in rows(table)}
        for kind, page in run["pages"].items():
            scores = page["lighthouse"]["scores"]
            assert by_page[kind][1:5] == [
                str(scores[k]) for k in ("performance", "accessibility", "best-practices", "seo")
            ]
            assert by_page[kind][9] == str(page["nu"]["errors"])


def test_performance_page_types_no_figure_by_hand() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert "<!-- explainer:performance -->" in text and "<!-- explainer:lighthouse -->" in text
    prose = re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)
    prose = re.sub(r"`[^`\n]*`", "", prose)
    figures = re.findall(r"\d+\.\d+|\d+(?:\.\d+)?\s*(?:%|×|ms\b|s\b)", prose)
    assert figures == [], f"figures typed into docs/performance.md: {figures}; they belong in results.json"


def test_a_missing_results_file_renders_a_note(tmp_path: Path) -> None:
    html = performance.performance_html(performance.load_results(tmp_path / "none.json"))
    assert "No benchmark results" in html and "benchmarks/run.py" in html
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert performance.load_results(tmp_path / "bad.json") is None


def test_results_are_escaped() -> None:
    results = json.loads(performance.RESULTS.read_text(encoding="utf-8"))
    results["builds"]["notes"] = ["<script>alert(1)</script>"]
    results["commit"] = '"><img src=x>'
    html = performance.performance_html(results)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_performance_page_shows_the_serve_results_file() -> None:
    results = json.loads(performance.SERVE_RESULTS.read_text(encoding="utf-8"))
    assert {t["key"] for t in results["targets"]} == {"serve_latency", "serve_memory"}
    assert "after" in results["arms"] and "before" in results["arms"], "serve.json compares two engines"
    by_label = {row[0]: row for row in rows(rendered_page())}
    for t in results["targets"]:
        row = by_label[t["label"]]
        assert row[2] == f"{t['stats']['median']:.3f} ({t['stats']['ci95'][0]:.3f}–{t['stats']['ci95'][1]:.3f})", row
        assert row[3] == str(t["stats"]["n"]) and row[4] == t["verdict"], row
    for arm in results["arms"].values():
        row = by_label[arm["label"]]
        assert row[2].startswith(f"{arm['latency']['median']:.3f} ("), row
        assert row[5].startswith(f"{arm['cpu']['median']:.3f} ("), row
        assert row[7].startswith(f"{arm['rss_slope_mb']['median']:.3f} ("), row


def test_a_missing_serve_results_file_renders_a_note(tmp_path: Path) -> None:
    html = performance.serve_html(performance.load_results(tmp_path / "none.json"))
    assert "No serve results" in html and "benchmarks/bench_serve.py" in html
