"""The benchmark: the data stage (bench_data.py, on pyperf) and whole builds (bench_site.py, paired
and interleaved), judged against the targets and written to benchmarks/results.json, from which
the site's Performance page is built.

    .venv/bin/python benchmarks/run.py                  # the full run: 45 minutes on a busy machine
    .venv/bin/python benchmarks/run.py --out /tmp/r.json --rounds 4 --no-anchors   # a shorter look

Each target is judged on CPU time, on a median with its 95 % confidence interval: "met" when the
whole interval is within the target, "missed" when it is wholly beyond, else "too close to call".
The verdicts of the results file it replaces are kept beside the new ones ("previous run"), so a
verdict can be trusted once two consecutive runs agree on it. `--assert` exits 1 when a target
is missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyperf

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_site  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
DATA_TARGETS = {"synthetic-10000": 1.3, "repository": 1.5}
"""SiteBuild.load / bare parse, CPU time (issue 14)."""
PROCESSES, VALUES, WARMUPS = 10, 4, 1


def run_data_stage(facts: int, log, processes: int = PROCESSES) -> dict[str, Any]:
    """bench_data.py under pyperf, in a process of its own; its suite summarised."""
    with tempfile.TemporaryDirectory(prefix="bench-data-out-") as tmp:
        out = Path(tmp) / "data.json"
        cmd = [sys.executable, str(HERE / "bench_data.py"), "--quiet", "-o", str(out), "--facts", str(facts)]
        cmd += ["--processes", str(processes), "--values", str(VALUES), "--warmups", str(WARMUPS)]
        log(f"data stage: {' '.join(cmd[1:])}")
        subprocess.run(cmd, check=True, env=bench_site._env())
        suite = pyperf.BenchmarkSuite.load(str(out))
    benches = {b.get_name(): b for b in suite.get_benchmarks()}
    datasets: dict[str, Any] = {}
    for dataset in (f"synthetic-{facts}", "repository"):
        entry: dict[str, Any] = {
            measure: {"cpu": summary_of(benches[f"{dataset}/{measure}/cpu"].get_values())}
            for measure in ("bare-parse", "sitebuild-load")
        }
        meta = benches[f"{dataset}/sitebuild-load/cpu"].get_metadata()
        entry["ratio"] = {
            clock: summary_of(benches[f"{dataset}/ratio/{clock}"].get_values()) for clock in ("cpu", "wall")
        }
        entry.update(
            label=f"synthetic, {facts:,} facts" if dataset.startswith("synthetic") else "the repository's data/",
            records=records(dataset, facts),
            files=meta.get("data_files", 0),
            bytes=meta.get("data_bytes", 0),
        )
        datasets[dataset] = entry
    harness = (
        f"pyperf {pyperf.__version__}: each measure in {processes} worker processes, {WARMUPS} warm-up and "
        f"{VALUES} values each, loops calibrated; times on CPU (time.process_time), the paired ratio "
        "(SiteBuild.load / bare parse, back to back in one process) on CPU and wall time"
    )
    return {"harness": harness, "datasets": datasets}


def records(dataset: str, facts: int) -> int:
    if dataset.startswith("synthetic"):
        return sum(bench_site.synth.plan(facts).values())
    from explainer.facts.load import load_facts

    return load_facts(bench_site.ROOT / "data", cache=False).facts.count


def summary_of(values: list[float]) -> dict[str, Any]:
    stats = bench_site.summary(list(values))
    stats["mean"] = statistics.fmean(values)
    stats["stdev"] = statistics.stdev(values) if len(values) > 1 else 0.0
    return stats


def targets(data: dict[str, Any], builds: dict[str, Any], previous: dict[str, Any] | None) -> list[dict[str, Any]]:
    found = []
    for dataset, goal in DATA_TARGETS.items():
        entry = data["datasets"].get(dataset)
        if entry:
            found.append(
                {
                    "key": f"data_{dataset}",
                    "label": f"Data stage: SiteBuild.load / bare parse, {entry['label']}",
                    "target": goal,
                    "cpu": entry["ratio"]["cpu"],
                    "wall": entry["ratio"]["wall"],
                }
            )
    for key, label in (
        ("static_ratio_10000", "Build: data-driven / static, 10,000 facts"),
        ("scaling", "Build: 1,000 pages / 100 pages, data-driven"),
        ("real_ratio", "Build: the project's site / its render (API reference cached)"),
    ):
        c = builds["comparisons"].get(key)
        if c:
            found.append({"key": key, "label": label, "target": c["target"], "cpu": c["cpu"], "wall": c["wall"]})
    before = {t["key"]: t["verdict"] for t in (previous or {}).get("targets", [])}
    for t in found:
        t["verdict"] = bench_site.verdict(t["cpu"], t["target"])
        t["verdict_wall"] = bench_site.verdict(t["wall"], t["target"])
        t["previous_verdict"] = before.get(t["key"])
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file (default benchmarks/results.json)")
    parser.add_argument("--rounds", type=int, default=12, help="paired build rounds (default 12)")
    parser.add_argument("--anchor-rounds", type=int, default=2, help="rounds with the anchors (default 2)")
    parser.add_argument("--no-anchors", action="store_true", help="skip mkdocs-macros, ProperDocs, Zensical")
    parser.add_argument("--quick", action="store_true", help="a smoke run of the harness: small sites, 2 rounds")
    parser.add_argument("--assert", dest="check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731

    previous = None
    if args.out.exists():
        try:
            previous = json.loads(args.out.read_text(encoding="utf-8"))
        except ValueError:
            previous = None
    started = time.time()
    load_start = bench_site.loadavg()
    commit = bench_site.revision()
    if args.quick:  # figures from it mean nothing; it shows that every part runs
        data = run_data_stage(1000, log, processes=2)
        builds = bench_site.measure(2, 1, (10, 100), not args.no_anchors, log)
    else:
        data = run_data_stage(10_000, log)
        builds = bench_site.measure(args.rounds, args.anchor_rounds, (100, 1000), not args.no_anchors, log)
    command = "python benchmarks/run.py" + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
    results = {
        "schema": 1,
        "date": time.strftime("%Y-%m-%d %H:%M %Z", time.localtime(started)),
        "duration_s": round(time.time() - started),
        "command": command,
        "commit": commit,
        "machine": bench_site.machine(),
        "load_average": {"start": load_start, "end": bench_site.loadavg()},
        "targets": targets(data, builds, previous),
        "data_stage": data,
        "builds": builds,
        "previous": {"date": previous.get("date"), "commit": previous.get("commit")} if previous else None,
        "notes": [],
    }
    if previous and "tests" in previous:  # bench_tests.py's figures, kept until it runs again
        results["tests"] = previous["tests"]
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("\n".join(report(results)))
    print(f"written to {args.out}")
    missed = [t for t in results["targets"] if t["verdict"] == "missed"]
    return 1 if args.check and missed else 0


def report(results: dict[str, Any]) -> list[str]:
    lines = [f"{results['date']}, commit {results['commit']}, load average {results['load_average']}"]
    for name, d in results["data_stage"]["datasets"].items():
        lines.append(
            f"{name}: bare parse {d['bare-parse']['cpu']['median'] * 1000:.1f} ms, SiteBuild.load "
            f"{d['sitebuild-load']['cpu']['median'] * 1000:.1f} ms CPU; ratio CPU {_ci(d['ratio']['cpu'])}, "
            f"wall {_ci(d['ratio']['wall'])}"
        )
    lines.extend(bench_site.table(results["builds"]))
    lines.append("")
    for t in results["targets"]:
        lines.append(
            f"{t['label']}: CPU {_ci(t['cpu'])}, wall {_ci(t['wall'])}; target <= {t['target']:g}: "
            f"{t['verdict']} (wall: {t['verdict_wall']}; previous run: {t['previous_verdict'] or '–'})"
        )
    return lines


def _ci(stats: dict[str, Any]) -> str:
    return f"{stats['median']:.3f} ({stats['ci95'][0]:.3f}–{stats['ci95'][1]:.3f})"


if __name__ == "__main__":
    sys.exit(main())
