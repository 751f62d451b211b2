"""How fast the fact engine loads data, next to libyaml's bare parse of the same files.

    .venv/bin/python benchmarks/bench_data.py [--facts 10000] [--runs 5] [--data DIR]
                                              [--clock wall|cpu] [--assert]

Generates synthetic data (benchmarks/synth.py) into a temporary folder, unless `--data` names a
folder to measure instead, then times, each as the median of `--runs` runs:

  (1) bare parse    yaml.load(text, Loader=yaml.CSafeLoader) on every file, gc paused, each
                    file's values dropped at once ((1b): all kept alive, for reference)
  (2) load_facts    load_facts(dir, cache=False): parse + positions + validate + resolve
  (3) warm cache    load_facts(dir) again in the same process (the in-memory cache)
  (4) disk cache    load_facts(dir) in a fresh process, read back from the on-disk pickle
                    (timed inside the process: interpreter start-up and imports excluded)

Targets: (2)/(1) <= 1.3 and (3) < 0.1 s. With `--assert` a missed target exits 1.
The disk cache lives in a temporary folder (EXPLAINER_CACHE_DIR), never in the repository.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402
from explainer.facts import load as engine  # noqa: E402
from explainer.facts import load_facts

RATIO_TARGET = 1.3
WARM_TARGET = 0.1

# Run in a fresh interpreter: time one load_facts that must come from the disk cache.
_FRESH = """
import json, sys, time
from explainer.facts import load as engine, load_facts
def _miss(paths):
    raise SystemExit("disk cache missed: load_facts parsed the files again")
engine._load = _miss
t0 = time.perf_counter()
loaded = load_facts(sys.argv[1])
elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed, "count": loaded.facts.count}))
"""
_FRESH_CPU = _FRESH.replace("time.perf_counter()", "time.process_time()")


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
clock = time.perf_counter


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times)


def bare_parse(paths: list[Path], keep: bool = False) -> list[object]:
    """libyaml alone: read, decode, parse and construct Python values, gc paused.

    By default each file's values are dropped as soon as it is parsed, which is the cheapest
    reading of `yaml.load` (the baseline of the target). With `keep` they stay alive until gc
    is back on, as load_facts keeps its result: more memory, so slower; shown for reference.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    values = []
    try:
        for path in paths:
            value = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            if keep:
                values.append(value)
    finally:
        if was_enabled:
            gc.enable()
    _touch_gc()
    return values


def _touch_gc() -> None:
    """Allocate enough container objects that a collection due since the pause runs now,
    inside the timing, rather than in whatever is timed next."""
    for _ in range(2):
        [[] for _ in range(1000)]


def fresh_process_load(data_dir: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        code = _FRESH_CPU if clock is time.process_time else _FRESH
        out = subprocess.run(
            [sys.executable, "-c", code, str(data_dir)],
            check=True,
            capture_output=True,
            text=True,
            env=os.environ.copy(),
        )
        times.append(json.loads(out.stdout)["seconds"])
    return statistics.median(times)


def measure(data_dir: Path, runs: int) -> dict[str, float]:
    paths = engine.data_files(data_dir)
    results = {}
    bare_parse(paths)  # warm the OS file cache and imports before timing anything
    results["bare"] = median_time(lambda: bare_parse(paths), runs)
    results["bare_keep"] = median_time(lambda: bare_parse(paths, keep=True), runs)
    results["load"] = median_time(lambda: (load_facts(data_dir, cache=False), _touch_gc()), runs)
    engine._MEMORY.clear()
    load_facts(data_dir)  # cold: parses, then stores in memory and on disk
    results["warm"] = median_time(lambda: load_facts(data_dir), runs)
    results["disk"] = fresh_process_load(data_dir, runs)
    return results


def report(results: dict[str, float], records: int, size: int, runs: int) -> list[str]:
    ratio = results["load"] / results["bare"]
    missed = []
    if ratio > RATIO_TARGET:
        missed.append(f"load_facts / bare parse = {ratio:.2f} > {RATIO_TARGET}")
    if results["warm"] >= WARM_TARGET:
        missed.append(f"warm cache {results['warm']:.3f} s >= {WARM_TARGET} s")
    rows = [
        ("(1) bare parse (CSafeLoader, gc off)", results["bare"], "1.00", ""),
        (
            "    (1b) same, all values kept",
            results["bare_keep"],
            f"{results['bare_keep'] / results['bare']:.2f}",
            f"(2)/(1b) = {results['load'] / results['bare_keep']:.2f}, for reference",
        ),
        (
            "(2) load_facts(cache=False)",
            results["load"],
            f"{ratio:.2f}",
            f"ratio <= {RATIO_TARGET}: {'ok' if ratio <= RATIO_TARGET else 'MISSED'}",
        ),
        (
            "(3) warm cache (memory)",
            results["warm"],
            f"{results['warm'] / results['bare']:.2f}",
            f"< {WARM_TARGET} s: {'ok' if results['warm'] < WARM_TARGET else 'MISSED'}",
        ),
        ("(4) disk cache (fresh process)", results["disk"], f"{results['disk'] / results['bare']:.2f}", ""),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{records:,} records, {size:,} bytes; median of {runs} runs each; "
        f"{'CPU' if clock is time.process_time else 'wall'} time; "
        f"load average {load:.2f} on {os.cpu_count()} CPUs"
    )
    print(f"{'measure':<40} {'seconds':>9} {'x (1)':>7}  target")
    print(f"{'-' * 40} {'-' * 9} {'-' * 7}  {'-' * 30}")
    for name, seconds, factor, target in rows:
        print(f"{name:<40} {seconds:>9.4f} {factor:>7}  {target}")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=10_000, help="synthetic records to generate")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median is kept)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, help="measure this folder instead of synthetic data")
    parser.add_argument(
        "--clock",
        choices=CLOCKS,
        default="wall",
        help="wall time (default) or this process's CPU time, steadier on a busy machine",
    )
    parser.add_argument("--assert", dest="check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    global clock
    clock = CLOCKS[args.clock]

    with tempfile.TemporaryDirectory(prefix="explainer-bench-") as tmp:
        os.environ[engine.CACHE_DIR_ENV] = str(Path(tmp) / "cache")
        if args.data:
            data_dir = args.data.resolve()
        else:
            data_dir = Path(tmp) / "data"
            synth.generate(data_dir, args.facts, seed=args.seed)
        loaded = load_facts(data_dir, cache=False)  # fails loudly if the data is not valid
        size = sum(p.stat().st_size for p in engine.data_files(data_dir))
        results = measure(data_dir, args.runs)
        missed = report(results, loaded.facts.count, size, args.runs)

    for line in missed:
        print(f"target missed: {line}", file=sys.stderr)
    return 1 if missed and args.check else 0


if __name__ == "__main__":
    raise SystemExit(main())
