"""The Performance page's figures, read from the benchmarks' results files, never typed by hand.

`benchmarks/run.py` writes `benchmarks/results.json`; the `performance` directive turns it into
tables. `benchmarks/lighthouse/measure.py` writes `benchmarks/lighthouse/results.json`, the
reader's site as measured in a browser; the `lighthouse` directive shows it. The files are
found beside the engine's source (the project root is three folders above this module), so a
copy of the site built elsewhere shows the project's figures; when a file is missing or
unreadable the page says so instead of failing the build.
"""

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


def build_rows(results: dict[str, Any]) -> list[list[str]]:
    rows = []
    for name, arm in results.get("builds", {}).get("arms", {}).items():
        rows.append(
            [
                f"{arm['label']} ({name})",
                f"{arm['html_pages']:,}",
                str(arm["cpu"]["n"]),
                with_iqr(arm["cpu"]),
                with_iqr(arm["wall"]),
            ]
        )
    return rows


def comparison_rows(results: dict[str, Any]) -> list[list[str]]:
    return [
        [c["label"], str(c["cpu"]["n"]), with_ci(c["cpu"]), with_ci(c["wall"])]
        for c in results.get("builds", {}).get("comparisons", {}).values()
    ]


def performance_html(results: dict[str, Any] | None) -> Markup:
    """The page's tables for a results file (None: a note that there are no results)."""
    if results is None:
        return html(
            '<div class="admonition note"><p class="admonition-title">No benchmark results</p>'
            "<p>The results file (benchmarks/results.json) is missing or unreadable, so there are no "
            "figures to show. Run <code>{}</code> to make it.</p></div>",
            COMMAND,
        )
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
        html("<dl>{}</dl>", join(html("<dt>{}</dt><dd>{}</dd>", k, v) for k, v in facts)),
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
    notes = [*results.get("notes", []), *builds.get("notes", [])]
    if notes:
        parts.append(html("<ul>{}</ul>", join(html("<li>{}</li>", n) for n in notes)))
    return join(parts, "\n\n")


def _range(values: list[Any]) -> str:
    return f"{min(values):.2f}–{max(values):.2f}" if values else "unknown"


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
