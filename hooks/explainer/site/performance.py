"""The Performance page's figures, read from the benchmarks' results files, never typed by hand.

`benchmarks/run.py` writes `benchmarks/results.json`, `benchmarks/bench_serve.py` writes
`benchmarks/serve.json` and `benchmarks/lighthouse/measure.py` writes
`benchmarks/lighthouse/results.json` (the reader's site as measured in a browser); the
`performance`, `serve-performance` and `lighthouse` directives turn them into tables. The files
are found beside the engine's source (the project root is three folders above this module), so a
copy of the site built elsewhere shows the project's figures; when a file is missing or
unreadable the page says so instead of failing the build."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .components import Renderer, html, join
from .directives import Call, directive

RESULTS = Path(__file__).resolve().parents[3] / "benchmarks" / "results.json"
"""The benchmark's results file, relative to the project this engine belongs to."""
COMMAND = ".venv/bin/python benchmarks/run.py"
SERVE_RESULTS = RESULTS.with_name("serve.json")
"""`mkdocs serve`'s results file, written by benchmarks/bench_serve.py."""
SERVE_COMMAND = ".venv/bin/python benchmarks/bench_serve.py"
LIGHTHOUSE_RESULTS = RESULTS.parent / "lighthouse" / "results.json"
"""The reader's-site measurement: per page and per way of serving, under labels."""
LIGHTHOUSE_COMMAND = (
    "PYTHONPATH=$PWD/hooks .venv/bin/python benchmarks/lighthouse/measure.py --label after [--gzip --label after-gzip]"
)
SERVED = {"uncompressed": "served uncompressed", "gzip": "served gzip-compressed, as GitHub Pages serves text"}


def load_results(path: Path = RESULTS) -> dict[str, Any] | None:
    """The results, or None when there is no readable results file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def ratio(value: float) -> str:
    return f"{value:.3f}"


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def millis(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def with_ci(stats: dict[str, Any]) -> str:
    """A median ratio and its 95 % confidence interval."""
    low, high = stats["ci95"]
    return f"{ratio(stats['median'])} ({ratio(low)}–{ratio(high)})"


def with_iqr(stats: dict[str, Any], unit: Callable[[float], str] = seconds) -> str:
    """A median time and its interquartile range."""
    return f"{unit(stats['median'])} ({unit(stats['q1'])}–{unit(stats['q3'])})"


def _table(caption: str, head: list[str], rows: list[list[str]]) -> Markup:
    """An HTML table of plain-text cells (escaped by construction)."""
    th = join(html('<th scope="col">{}</th>', h) for h in head)
    body = join(html("<tr>{}</tr>", join(html("<td>{}</td>", c) for c in row)) for row in rows)
    return html("<table><caption>{}</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", caption, th, body)


def _facts(facts: list[tuple[str, Any]]) -> Markup:
    """How a measurement was made, as a list of terms and their values (escaped by construction)."""
    return html("<dl>{}</dl>", join(html("<dt>{}</dt><dd>{}</dd>", term, value) for term, value in facts))


def _load(values: list[Any]) -> str:
    return ", ".join(f"{float(v):.2f}" for v in values) if values else "unknown"


def settled(target: dict[str, Any]) -> str:
    """The verdict once two consecutive runs agree on it; else why there is none yet."""
    previous = target.get("previous_verdict")
    if previous is None:
        return "not yet: no previous run"
    if previous != target["verdict"]:
        return "not yet: the two runs disagree"
    return target["verdict"]


def target_rows(results: dict[str, Any]) -> list[list[str]]:
    rows = []
    for t in results.get("targets", []):
        previous = t.get("previous_verdict") or "–"
        rows.append(
            [
                t["label"],
                f"≤ {t['target']:g}",
                with_ci(t["cpu"]),
                with_ci(t["wall"]),
                t["verdict"],
                previous,
                settled(t),
                f"{ratio(t['cpu']['min'])}–{ratio(t['cpu']['max'])}",
            ]
        )
    return rows


def data_rows(results: dict[str, Any]) -> list[list[str]]:
    rows = []
    for d in results.get("data_stage", {}).get("datasets", {}).values():
        rows.append(
            [
                d["label"],
                f"{d['records']:,}",
                f"{d['files']:,} / {d['bytes'] / 1e6:.2f} MB",
                with_iqr(d["bare-parse"]["cpu"], millis),
                with_iqr(d["sitebuild-load"]["cpu"], millis),
                with_ci(d["ratio"]["cpu"]),
                with_ci(d["ratio"]["wall"]),
            ]
        )
    return rows


def timed_row(label: str, count: str, timed: dict[str, Any]) -> list[str]:
    """A row of whole runs: what ran, how much it made, rounds, CPU and wall (median and IQR)."""
    return [label, count, str(timed["cpu"]["n"]), with_iqr(timed["cpu"]), with_iqr(timed["wall"])]


def build_rows(results: dict[str, Any]) -> list[list[str]]:
    return [
        timed_row(f"{arm['label']} ({name})", f"{arm['html_pages']:,}", arm)
        for name, arm in results.get("builds", {}).get("arms", {}).items()
    ]


def comparison_rows(results: dict[str, Any]) -> list[list[str]]:
    return [
        [c["label"], str(c["cpu"]["n"]), with_ci(c["cpu"]), with_ci(c["wall"])]
        for c in results.get("builds", {}).get("comparisons", {}).values()
    ]


def suite_rows(tests: dict[str, Any]) -> list[list[str]]:
    """One row per measured test suite (benchmarks/bench_tests.py): tests passed, CPU and wall."""
    rows = []
    for name, side in tests.get("sides", {}).items():
        passed = sorted({str(counts.get("passed", "?")) for counts in side.get("tests", {}).values()})
        added = f", pytest {side['pytest_args']}" if side.get("pytest_args") else ""
        rows.append(timed_row(f"{side['label']} ({name}{added})", "/".join(passed), side))
    return rows


def suite_comparison_rows(tests: dict[str, Any]) -> list[list[str]]:
    """One row per suite compared with the baseline: paired ratios, the goal and the verdicts."""
    return [
        [
            c["label"],
            str(c["cpu"]["n"]),
            with_ci(c["cpu"]),
            with_ci(c["wall"]),
            f"≤ {c['target']:g}",
            c["verdict"],
            c.get("previous_verdict") or "–",
            settled(c),
            c["verdict_cpu"],
        ]
        for c in tests.get("comparisons", {}).values()
    ]


def suite_tables(tests: dict[str, Any]) -> Markup:
    """The test suite's figures: when, how, and the two tables."""
    load = tests.get("load_average", {})
    facts = [
        ("Test suite measured", tests.get("date", "unknown")),
        ("Command", tests.get("command", "python benchmarks/bench_tests.py")),
        ("Each run", f"{tests.get('pytest', '')}, plus what each tree's dev.py test adds (beside its name)"),
        (
            "Load average (1, 5, 15 min)",
            f"{_load(load.get('start', []))} at the start, {_load(load.get('end', []))} at the end",
        ),
    ]
    return join(
        [
            _facts(facts),
            _table(
                "The non-browser test suite, whole pytest processes: median and interquartile range",
                ["Suite", "Tests passed", "Rounds", "CPU", "Wall"],
                suite_rows(tests),
            ),
            _table(
                "The test suite against the baseline's: the median of the paired ratios (95 % CI); the "
                "verdict is on wall time, the time the suite takes, the CPU-time verdict beside it",
                [
                    "Comparison",
                    "Rounds",
                    "CPU",
                    "Wall",
                    "Goal",
                    "Verdict",
                    "Previous run",
                    "Stands",
                    "Verdict on CPU time",
                ],
                suite_comparison_rows(tests),
            ),
        ],
        "\n\n",
    )


def _no_results(title: str, path: str, command: str) -> Markup:
    """A note in place of a results file that is missing or unreadable."""
    return html(
        '<div class="admonition note"><p class="admonition-title">{}</p>'
        "<p>The results file ({}) is missing or unreadable, so there are no figures to show. "
        "Run <code>{}</code> to make it.</p></div>",
        title,
        path,
        command,
    )


def performance_html(results: dict[str, Any] | None) -> Markup:
    """The page's tables for a results file (None: a note that there are no results)."""
    if results is None:
        return _no_results("No benchmark results", "benchmarks/results.json", COMMAND)
    machine = results.get("machine", {})
    load = results.get("load_average", {})
    builds = results.get("builds", {})
    data = results.get("data_stage", {})
    facts = [
        ("Measured", results.get("date", "unknown")),
        ("Commit", results.get("commit", "unknown")),
        (
            "Machine",
            f"{machine.get('cores', '?')} cores, {machine.get('memory_gib', '?')} GiB, {machine.get('cpu', '?')}, "
            f"{machine.get('system', '?')}, Python {machine.get('python', '?')}",
        ),
        (
            "Load average (1, 5, 15 min)",
            f"{_load(load.get('start', []))} at the start, {_load(load.get('end', []))} at the end",
        ),
        ("Command", results.get("command", COMMAND)),
        ("Data stage", data.get("harness", "")),
        (
            "Builds",
            f"{builds.get('rounds', '?')} paired rounds after {builds.get('warmup_rounds', '?')} warm-up round, "
            f"anchors in the first {builds.get('anchor_rounds', '?')}; per-round load average "
            f"{_range(builds.get('load_average', {}).get('per_round_1min', []))}",
        ),
        ("Took", f"{results.get('duration_s', 0) / 60:.0f} minutes"),
    ]
    parts = [
        _facts(facts),
        _table(
            "Targets: the median of the paired ratios of CPU time, with its 95 % confidence interval, and "
            "wall time beside it; each run's verdict is on CPU time, and it stands once two runs agree. The "
            "interval is the median's; a single measurement made another time falls within the range of the "
            "paired values (last column), which is wider",
            [
                "Target",
                "Goal",
                "CPU, median (95 % CI)",
                "Wall, median (95 % CI)",
                "This run",
                "Previous run",
                "Verdict (both runs agree)",
                "CPU, every paired value (min–max)",
            ],
            target_rows(results),
        ),
        _table(
            "The data stage of a cold build: SiteBuild.load against libyaml's bare parse of the same files "
            "(CPU time, median and interquartile range)",
            ["Data", "Records", "Files / size", "Bare parse", "SiteBuild.load", "Ratio, CPU (95 % CI)", "Ratio, wall"],
            data_rows(results),
        ),
        _table(
            "Whole mkdocs build processes, start-up included: median and interquartile range",
            ["Build", "HTML pages", "Rounds", "CPU", "Wall"],
            build_rows(results),
        ),
        _table(
            "Every comparison, as the median of per-round ratios (95 % CI)",
            ["Comparison", "Rounds", "CPU", "Wall"],
            comparison_rows(results),
        ),
    ]
    if "tests" in results:
        parts.append(suite_tables(results["tests"]))
    notes = [*results.get("notes", []), *builds.get("notes", [])]
    if notes:
        parts.append(html("<ul>{}</ul>", join(html("<li>{}</li>", n) for n in notes)))
    return join(parts, "\n\n")


def _range(values: list[Any]) -> str:
    return f"{min(values):.2f}–{max(values):.2f}" if values else "unknown"


def serve_target_rows(results: dict[str, Any]) -> list[list[str]]:
    return [
        [t["label"], f"≤ {t['target']:g}", with_ci(t["stats"]), str(t["stats"]["n"]), t["verdict"]]
        for t in results.get("targets", [])
    ]


def serve_arm_rows(results: dict[str, Any]) -> list[list[str]]:
    rows = []
    for arm in results.get("arms", {}).values():
        quiet = arm["quiet"]
        slope = arm["rss_slope_mb"]
        rows.append(
            [
                arm["label"],
                f"{arm['edits']} in {arm['sessions']}",
                with_ci(arm["latency"]),
                f"{ratio(quiet['latency']['median'])} ({quiet['edits']})" if quiet["latency"] else "no quiet edit",
                " / ".join(ratio(arm[part]["median"]) for part in ("detect", "build", "browser")),
                with_ci(arm["cpu"]),
                ", ".join(f"{a:.1f}→{b:.1f}" for a, b in zip(arm["rss_start_mb"], arm["rss_end_mb"], strict=True)),
                with_ci(slope) if slope else "too few rebuilds",
            ]
        )
    return rows


def serve_html(results: dict[str, Any] | None) -> Markup:
    """The tables of `mkdocs serve`'s figures (None: a note that there are none)."""
    if results is None:
        return _no_results("No serve results", "benchmarks/serve.json", SERVE_COMMAND)
    load = results.get("load_average", {})
    machine = results.get("machine", {})
    sessions = [v for values in load.get("per_session_1min", []) for v in values]
    facts = [
        ("Measured", results.get("date", "unknown")),
        ("Commit", results.get("commit", "unknown")),
        (
            "Machine",
            f"{machine.get('cores', '?')} cores, {machine.get('memory_gib', '?')} GiB, {machine.get('cpu', '?')}",
        ),
        (
            "Load average (1, 5, 15 min)",
            f"{_load(load.get('start', []))} at the start, {_load(load.get('end', []))} at the end; "
            f"1-minute load at the start of each session {_range(sessions)}",
        ),
        ("Command", results.get("command", SERVE_COMMAND)),
        ("How", results.get("harness", "")),
        ("Took", f"{results.get('duration_s', 0) / 60:.0f} minutes"),
    ]
    return join(
        [
            _facts(facts),
            _table(
                "mkdocs serve's targets: the median of every timed edit or session, with its 95 % confidence interval",
                ["Target", "Goal", "Median (95 % CI)", "Samples", "Verdict"],
                serve_target_rows(results),
            ),
            _table(
                "Each engine measured: seconds from a data edit to its text in the browser, and what a rebuild costs "
                "the serve process (CPU seconds, resident memory in MB at the start and end of each session, and "
                "its slope per rebuild over the last 30 rebuilds)",
                [
                    "Engine",
                    "Edits in sessions",
                    "Edit to browser (95 % CI)",
                    "Same, quiet machine (edits)",
                    "Seen / rebuilt / reloaded",
                    "CPU per rebuild (95 % CI)",
                    "Memory per session",
                    "MB per rebuild (95 % CI)",
                ],
                serve_arm_rows(results),
            ),
        ],
        "\n\n",
    )


@directive("serve-performance")
def _serve_performance(r: Renderer, call: Call) -> Markup:
    """mkdocs serve's figures, read from benchmarks/serve.json (a note if it is missing)."""
    return serve_html(load_results(SERVE_RESULTS))


def _kb(value: float) -> str:
    return f"{value / 1000:,.0f} KB"


def lighthouse_rows(run: dict[str, Any]) -> list[list[str]]:
    """One row per page: Lighthouse's four scores and timings, bytes, Nu errors, axe, other hosts."""
    rows = []
    for kind, page in run.get("pages", {}).items():
        light = page.get("lighthouse", {})
        scores, metrics = light.get("scores", {}), light.get("metrics", {})
        axe = f"{len(page.get('axe_light', []))} / {len(page.get('axe_dark', []))}"
        rows.append(
            [
                kind,
                *(str(scores.get(k, "–")) for k in ("performance", "accessibility", "best-practices", "seo")),
                *(
                    seconds(metrics[k] / 1000) if k in metrics else "–"
                    for k in ("first-contentful-paint", "largest-contentful-paint")
                ),
                f"{metrics['total-blocking-time']:,} ms" if "total-blocking-time" in metrics else "–",
                _kb(light["bytes"]) if "bytes" in light else "–",
                str(page.get("nu", {}).get("errors", "–")),
                axe,
                str(len(page.get("other_hosts", [])) + len(light.get("third_party_requests", []))),
            ]
        )
    return rows


def lighthouse_html(results: dict[str, Any] | None) -> Markup:
    """A table per way of serving the site (uncompressed, gzip) in the results; a note if none."""
    runs = [(label, run) for label, run in (results or {}).items() if isinstance(run, dict) and run.get("served")]
    if not runs:
        return html(
            "<p>The measurement's results file (benchmarks/lighthouse/results.json) is missing or holds no "
            "run, so there are no figures to show. Run <code>{}</code> to make it.</p>",
            LIGHTHOUSE_COMMAND,
        )
    head = ["Page", "Performance", "Accessibility", "Best practices", "SEO", "FCP", "LCP", "TBT"]
    head += ["Bytes, first visit", "Nu errors", "axe serious/critical (light / dark)", "Requests to other hosts"]
    tables = [
        _table(
            f"The latest edition ({run.get('edition', '?')}), {SERVED.get(run['served'], run['served'])} "
            f"(label “{label}”): Lighthouse 12 mobile, simulated slow 4G; the Nu checker found "
            f"{run.get('nu_errors_whole_site', '?')} errors on the whole edition",
            head,
            lighthouse_rows(run),
        )
        for label, run in runs
    ]
    return join(tables, "\n\n")


@directive("lighthouse")
def _lighthouse(r: Renderer, call: Call) -> Markup:
    """The reader's site as measured in a browser, read from benchmarks/lighthouse/results.json."""
    return lighthouse_html(load_results(LIGHTHOUSE_RESULTS))


@directive("performance")
def _performance(r: Renderer, call: Call) -> Markup:
    """The benchmark's figures and verdicts, read from benchmarks/results.json (a note if it is missing)."""
    return performance_html(load_results())
