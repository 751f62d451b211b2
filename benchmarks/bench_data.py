"""The data stage of a cold build, against libyaml's bare parse of the same files, on pyperf.

    .venv/bin/python benchmarks/bench_data.py -o data.json [--facts 10000] [pyperf options]
    .venv/bin/python -m pyperf stats data.json        # pyperf's own summary of a result file

(`benchmarks/run.py` runs this and `bench_site.py` and writes `benchmarks/results.json`.)

For each data set, the synthetic one (`synth.py`, `--facts` records: the data of the benchmark's
1,000-page site) and the repository's own `data/`, it times:

  bare-parse      yaml.load(text, Loader=yaml.CSafeLoader) of every file, read and decoded,
                  with the garbage collector paused (each file's values dropped once parsed)
  sitebuild-load  SiteBuild.load(data_dir): exactly what the hooks' on_config runs on a cold
                  build (list and hash the files, parse, locate, validate, resolve, then cut the
                  edition and the one before it), after emptying the engine's memory cache
                  (explainer.facts.load._MEMORY), outside the timing

  ratio           SiteBuild.load / bare parse, the two timed back to back in the same process, so
                  each value is a paired ratio (pyperf prints it as if it were seconds: read
                  "1.25 sec" as 1.25); the targets are judged on its median

The two times are on this process's CPU time (other jobs on the machine disturb it least), the
ratio on CPU time and on wall time. pyperf runs every benchmark in worker processes of its own
(`--processes`, default 10), discards a warm-up value in each and calibrates the loop count;
see https://pyperf.readthedocs.io for its options (`--rigorous`, `--fast`, ...).
"""

from __future__ import annotations

import gc
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyperf
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402
from explainer.facts import load as engine  # noqa: E402
from explainer.site.build import SiteBuild  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
BENCHMARKS = (("bare-parse", "cpu"), ("sitebuild-load", "cpu"), ("ratio", "cpu"), ("ratio", "wall"))
"""What is timed on which clock: the times on CPU only, the paired ratio on both."""


def bare_parse(loops: int, paths: list[Path], clock) -> float:
    """libyaml alone, gc paused: the cheapest reading of the files, and the ratio's baseline."""
    total = 0.0
    for _ in range(loops):
        was_enabled = gc.isenabled()
        gc.disable()
        start = clock()
        for path in paths:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        total += clock() - start
        if was_enabled:
            gc.enable()
    return total


def sitebuild_load(loops: int, data_dir: Path, clock) -> float:
    """What a cold `on_config` runs: SiteBuild.load with the memory cache empty."""
    total = 0.0
    for _ in range(loops):
        engine._MEMORY.clear()
        start = clock()
        SiteBuild.load(data_dir)
        total += clock() - start
    engine._MEMORY.clear()
    return total


def paired_ratio(loops: int, paths: list[Path], data_dir: Path, clock) -> float:
    """SiteBuild.load / bare parse, each pair timed back to back in this process, in alternating
    order: the sum of `loops` per-pair ratios, so pyperf's per-loop value is the paired ratio."""
    total = 0.0
    for _ in range(loops):
        _PAIRS[0] += 1
        if _PAIRS[0] % 2:  # alternate which comes first
            bare = bare_parse(1, paths, clock)
            total += sitebuild_load(1, data_dir, clock) / bare
        else:
            load = sitebuild_load(1, data_dir, clock)
            total += load / bare_parse(1, paths, clock)
    return total


_PAIRS = [0]


def name(dataset: str, measure: str, clock: str) -> str:
    return f"{dataset}/{measure}/{clock}"


def _pass_options(cmd: list[str], args) -> None:
    cmd.extend(["--facts", str(args.facts), "--synthetic-dir", str(args.synthetic_dir)])


def main() -> None:
    runner = pyperf.Runner(processes=10, values=4, warmups=1, add_cmdline_args=_pass_options)
    runner.argparser.add_argument("--facts", type=int, default=10_000, help="synthetic records (default 10,000)")
    runner.argparser.add_argument("--synthetic-dir", type=Path, help="(internal) the main process's synthetic data")
    args = runner.parse_args()
    made = None
    if args.synthetic_dir is None:  # the main process: generate once, the workers read it
        made = Path(tempfile.mkdtemp(prefix="bench-data-"))
        args.synthetic_dir = made / "data"
        synth.generate(args.synthetic_dir, args.facts)
    datasets = {f"synthetic-{args.facts}": args.synthetic_dir, "repository": ROOT / "data"}
    try:
        for dataset, data_dir in datasets.items():
            paths = engine.data_files(data_dir)
            metadata = {"data_files": len(paths), "data_bytes": sum(p.stat().st_size for p in paths)}
            if not args.worker:
                SiteBuild.load(data_dir)  # fails loudly on invalid data
                engine._MEMORY.clear()
            for measure, clock_name in BENCHMARKS:
                args_of = {
                    "bare-parse": (bare_parse, paths),
                    "sitebuild-load": (sitebuild_load, data_dir),
                    "ratio": (paired_ratio, paths, data_dir),
                }[measure]
                runner.bench_time_func(
                    name(dataset, measure, clock_name),
                    *args_of,
                    CLOCKS[clock_name],
                    metadata={**metadata, "clock": clock_name, "unit_note": "ratio" if measure == "ratio" else "s"},
                )
    finally:
        if made is not None and not args.worker:
            shutil.rmtree(made, ignore_errors=True)


if __name__ == "__main__":
    main()
