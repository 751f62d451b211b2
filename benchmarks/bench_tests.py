"""How long the non-browser test suite takes, against the suite of an earlier commit, measured in
paired, interleaved rounds on the same machine in one run.

    .venv/bin/python benchmarks/bench_tests.py                      # 3afc5a8 against the working tree, 4 rounds
    .venv/bin/python benchmarks/bench_tests.py --rounds 6 --also 7dcc4af   # a third side: another commit
    .venv/bin/python benchmarks/bench_tests.py --write              # also store the figures in results.json

Each side is one tree: the baseline (default 3afc5a8, the tree when issue 9 was filed) and any
`--also` commit are checked out with `git worktree add` into a temporary folder, beside symlinks
to this checkout's .venv, .venv-properdocs and node_modules; the current side is this working
tree. Every run is `python -m pytest --ignore=tests/browser -q -p no:cacheprovider`, plus what
the tree's own `dev.py test` adds (its `PARALLEL`, one worker per core, where its dev.py has
one), plus `--pytest-args`, in that tree, with PYTHONPATH set to the tree's own hooks/ (so it and its
subprocesses import that tree's engine) and with the shared .venv's interpreter and packages.
Each run gets a fresh XDG_CACHE_HOME and its own root for pytest's temporary folders
(PYTEST_DEBUG_TEMPROOT), so no run reuses a cache another run wrote, nor spends its time deleting
another run's (or another user's) old folders; deleting what the run wrote is timed on its own,
after the run. Caches kept in the tree itself (.mypy_cache/, .hypothesis/) stay, as for a developer.

A warm-up round (discarded unless `--no-warmup`) runs every side once; then each round runs the
sides back to back, in reverse order every other round, so a burst of other load hits both sides
of a pair alike. Per run it records wall time and CPU time (user + system of pytest and every
process it waited for, from os.wait4), the tests passed and failed, and the load average. A
comparison is the median of the per-round ratios side / baseline with its distribution-free
95 % confidence interval (bench_site.median_ci; with fewer than 6 rounds that is the whole range).
The target of issue 9 is a ratio of at most 0.5 of the time the suite takes, so it is judged on
wall time; the CPU verdict (the work done, on every core, by a suite of more tests) is reported
beside it. With --write, each comparison also keeps the verdict of the run before, read from the
results file it replaces: a verdict stands once two consecutive runs agree on it.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_site  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.json"
KEY = "tests"
"""The key of results.json this script writes (with --write); no other key is touched."""
BASELINE = "3afc5a8"
TARGET = 0.5
SHARED = (".venv", ".venv-properdocs", "node_modules")
"""Environments a checked-out side links to instead of installing its own."""
PYTEST = ["-m", "pytest", "--ignore=tests/browser", "-q", "-p", "no:cacheprovider"]
ENGINE_ENV = ("EXPLAINER_EDITION", "EXPLAINER_DATA_DIR", "EXPLAINER_CACHE_DIR", "SOURCE_DATE_EPOCH", "PYTHONPATH")
_SUMMARY = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed)")


@dataclass(frozen=True)
class Run:
    wall: float
    """Elapsed seconds."""
    cpu: float
    """User + system CPU seconds of pytest and every process it waited for."""
    counts: dict[str, int]
    """pytest's final tally: passed, failed, skipped, error..."""
    load: list[float]
    """The load average when the run ended."""
    cleanup_wall: float
    """Seconds to delete the files the run left (pytest's temporary folders, caches)."""
    cleanup_cpu: float


@dataclass
class Side:
    """One tree whose suite runs once per round."""

    name: str
    label: str
    tree: Path
    pytest_args: list[str] = field(default_factory=list)
    """What the tree's `dev.py test` adds to pytest's arguments (`added_by_dev_py`)."""
    runs: dict[int, Run] = field(default_factory=dict)
    """Round number (0 is the warm-up) → its run."""


def added_by_dev_py(tree: Path) -> list[str]:
    """The PARALLEL arguments of the tree's dev.py; none where its dev.py has no PARALLEL."""
    for node in ast.parse((tree / "dev.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PARALLEL" for t in node.targets):
            return [str(arg) for arg in ast.literal_eval(node.value)]
    return []


def git(*args: str, cwd: Path = ROOT) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def check_out(rev: str, dest: Path) -> Path:
    """A detached worktree of `rev` at `dest`, linked to this checkout's environments."""
    git("worktree", "add", "--detach", "--quiet", str(dest), rev)
    for name in SHARED:
        if (ROOT / name).exists() and not (dest / name).exists():
            (dest / name).symlink_to((ROOT / name).resolve())
    return dest


def remove_worktree(tree: Path) -> None:
    subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)


def suite_env(tree: Path, scratch: Path) -> dict[str, str]:
    """The environment of one run: the tree's engine first on the path, and caches and pytest's
    temporary folders of its own (so no run reuses, or deletes, what another run wrote)."""
    env = {k: v for k, v in os.environ.items() if k not in ENGINE_ENV + bench_site.UNLIKE_A_CONTRIBUTOR}
    env.update(
        PYTHONPATH=str(tree / "hooks"),
        XDG_CACHE_HOME=str(scratch / "cache"),
        PYTEST_DEBUG_TEMPROOT=str(scratch / "tmp"),
    )
    return env


def tally(output: str) -> dict[str, int]:
    """pytest's last summary line as counts ('2 failed, 880 passed in 90s' → {...})."""
    lines = [line for line in output.splitlines() if re.search(r" in [\d.]+s", line)]
    return (
        {kind.rstrip("s") if kind.startswith("error") else kind: int(n) for n, kind in _SUMMARY.findall(lines[-1])}
        if lines
        else {}
    )


def timed(cmd: list[str], cwd: Path, env: dict[str, str], log: Path) -> tuple[int, float, float]:
    """(exit status, wall seconds, CPU seconds of the process and all it waited for), from os.wait4."""
    with log.open("a") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    return os.waitstatus_to_exitcode(status), wall, usage.ru_utime + usage.ru_stime


def timed_suite(tree: Path, extra: list[str], log: Path, scratch: Path) -> Run:
    """Run the suite in `tree` once, its output to `log`; then delete what it wrote (timed apart:
    on a developer's machine a later run deletes it, as pytest keeps only the last three runs)."""
    (scratch / "tmp").mkdir(parents=True)
    (scratch / "cache").mkdir()
    env = suite_env(tree, scratch)
    _, wall, cpu = timed([str(ROOT / ".venv" / "bin" / "python"), *PYTEST, *extra], tree, env, log)
    counts = tally(log.read_text(errors="replace"))
    _, clean_wall, clean_cpu = timed(["rm", "-rf", str(scratch)], ROOT, env, log)
    return Run(wall, cpu, counts, bench_site.loadavg(), clean_wall, clean_cpu)


def order(sides: list[Side], round_no: int) -> list[Side]:
    return sides if round_no % 2 else sides[::-1]


def compare(side: Side, base: Side) -> dict[str, Any]:
    rounds = sorted(r for r in set(side.runs) & set(base.runs) if r > 0) or sorted(set(side.runs) & set(base.runs))
    result: dict[str, Any] = {"label": f"{side.label} / {base.label}", "rounds": rounds}
    for metric in ("cpu", "wall"):
        ratios = [getattr(side.runs[r], metric) / getattr(base.runs[r], metric) for r in rounds]
        result[metric] = bench_site.summary(ratios)
        result[metric]["values"] = [round(x, 4) for x in ratios]
    result["target"] = TARGET
    result["judged_on"] = "wall"
    result["verdict"] = bench_site.verdict(result["wall"], TARGET)
    result["verdict_cpu"] = bench_site.verdict(result["cpu"], TARGET)
    return result


def previous_verdicts(comparisons: dict[str, dict[str, Any]], before: dict[str, Any]) -> None:
    """Give each comparison the wall-time verdict that the run in `before` (the results this run
    replaces) gave the same comparison; None where it had none. Runs before the verdict moved to
    wall time kept it as "verdict_wall"."""
    for name, compared in comparisons.items():
        old = before.get("comparisons", {}).get(name, {})
        compared["previous_verdict"] = old.get("verdict" if old.get("judged_on") == "wall" else "verdict_wall")
        compared["previous_date"] = before.get("date")


def side_summary(side: Side) -> dict[str, Any]:
    measured = {r: run for r, run in side.runs.items() if r > 0} or side.runs
    return {
        "label": side.label,
        "pytest_args": " ".join(side.pytest_args),
        "cpu": bench_site.summary([run.cpu for run in measured.values()]),
        "wall": bench_site.summary([run.wall for run in measured.values()]),
        "tests": {str(r): run.counts for r, run in sorted(side.runs.items())},
        "runs": [
            {
                "round": r,
                "wall": round(run.wall, 2),
                "cpu": round(run.cpu, 2),
                "load": run.load,
                "cleanup_wall": round(run.cleanup_wall, 2),
                "cleanup_cpu": round(run.cleanup_cpu, 2),
            }
            for r, run in sorted(side.runs.items())
        ],
    }


def measure(
    sides: list[Side], rounds: int, warmup: bool, extra: list[str], work: Path, logs: Path, say: Callable[[str], None]
) -> None:
    for round_no in range(0 if warmup else 1, rounds + 1):
        for side in order(sides, round_no):
            log = logs / f"{side.name}-{round_no}.log"
            run = timed_suite(side.tree, [*side.pytest_args, *extra], log, work / f"scratch-{side.name}-{round_no}")
            side.runs[round_no] = run
            say(
                f"round {round_no}{' (warm-up)' if round_no == 0 else ''} {side.name}: wall {run.wall:.1f} s, "
                f"CPU {run.cpu:.1f} s, {run.counts}, load {run.load}; deleting its files: wall "
                f"{run.cleanup_wall:.1f} s, CPU {run.cleanup_cpu:.1f} s"
            )
            if run.counts.get("failed") or run.counts.get("error"):
                say(f"  failures: {failures(log)}")


def failures(log: Path) -> list[str]:
    return [
        line.split(" - ")[0]
        for line in log.read_text(errors="replace").splitlines()
        if line.startswith(("FAILED", "ERROR"))
    ]


def report(results: dict[str, Any]) -> list[str]:
    lines = [f"{results['date']}, {results['rounds']} paired rounds, load average {results['load_average']}"]
    for name, side in results["sides"].items():
        cpu, wall = side["cpu"], side["wall"]
        lines.append(
            f"{name:<10} {side['label']:<34} CPU {cpu['median']:6.1f} s [{cpu['min']:.1f}–{cpu['max']:.1f}]"
            f"  wall {wall['median']:6.1f} s [{wall['min']:.1f}–{wall['max']:.1f}]"
        )
    for c in results["comparisons"].values():
        cpu, wall = c["cpu"], c["wall"]
        lines.append(
            f"{c['label']}: CPU {cpu['median']:.3f} (95% CI {cpu['ci95'][0]:.3f}–{cpu['ci95'][1]:.3f}, n={cpu['n']}), "
            f"wall {wall['median']:.3f} ({wall['ci95'][0]:.3f}–{wall['ci95'][1]:.3f}); target <= {c['target']:g}: "
            f"{c['verdict']} on wall time (CPU: {c['verdict_cpu']}; previous run: {c.get('previous_verdict') or '–'})"
        )
    lines.extend(f"note: {n}" for n in results["notes"])
    return lines


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=4, help="paired rounds after the warm-up (default 4)")
    p.add_argument("--no-warmup", action="store_true", help="measure from the first round")
    p.add_argument("--baseline", default=BASELINE, help=f"the commit compared against (default {BASELINE})")
    p.add_argument("--also", action="append", default=[], metavar="REV", help="another commit to measure, as a side")
    p.add_argument("--pytest-args", default="", help="extra arguments for every side's pytest, e.g. '-x'")
    p.add_argument("--write", action="store_true", help=f"store the figures under {KEY!r} in {RESULTS.name}")
    p.add_argument("--out", type=Path, default=RESULTS, help="the results file --write updates")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    say = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    # A caught SIGINT is reset to the default in the children, so their own Ctrl-C handling is
    # tested even when this script was started in the background (where SIGINT is ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    started, load_start = time.time(), bench_site.loadavg()
    logs = Path(tempfile.mkdtemp(prefix="bench-tests-logs-"))
    say(f"pytest's output of every run goes to {logs}")
    with tempfile.TemporaryDirectory(prefix="bench-tests-") as tmp:
        work = Path(tmp)
        trees: list[Path] = []
        try:
            sides = []
            for name, rev in (("baseline", args.baseline), *((f"also-{i}", r) for i, r in enumerate(args.also, 1))):
                tree = check_out(rev, work / name)
                trees.append(tree)
                label = f"{git('rev-parse', '--short', 'HEAD', cwd=tree)} ({rev})"
                sides.append(Side(name, label, tree, added_by_dev_py(tree)))
            sides.append(Side("current", f"working tree ({bench_site.revision()})", ROOT, added_by_dev_py(ROOT)))
            measure(sides, args.rounds, not args.no_warmup, args.pytest_args.split(), work, logs, say)
        finally:
            for tree in trees:
                remove_worktree(tree)
    base = sides[0]
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z", time.localtime(started)),
        "duration_s": round(time.time() - started),
        "command": "python benchmarks/bench_tests.py"
        + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:])),
        "machine": bench_site.machine(),
        "load_average": {"start": load_start, "end": bench_site.loadavg()},
        "rounds": args.rounds,
        "warmup": not args.no_warmup,
        "pytest": " ".join([*PYTEST, *args.pytest_args.split()]),
        "sides": {side.name: side_summary(side) for side in sides},
        "comparisons": {side.name: compare(side, base) for side in sides[1:]},
        "notes": [],
    }
    stored = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    previous_verdicts(results["comparisons"], stored.get(KEY, {}))
    print("\n".join(report(results)))
    if args.write:
        stored[KEY] = results
        args.out.write_text(json.dumps(stored, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"written under {KEY!r} in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
