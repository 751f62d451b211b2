"""`mkdocs serve` on the real site, as a contributor sees it: how long a data edit takes to show
in the browser, and what each rebuild costs the serve process in CPU time and memory.

    .venv/bin/python benchmarks/bench_serve.py                    # writes benchmarks/serve.json
    .venv/bin/python benchmarks/bench_serve.py --before REV       # also REV's engine, interleaved
    .venv/bin/python benchmarks/bench_serve.py --sessions 1 --edits 8 --out /tmp/serve.json  # a smoke run
    .venv/bin/python benchmarks/bench_serve.py --profile          # cProfile and live objects of in-process rebuilds

A session copies the site (mkdocs.yml, docs/, overrides/, the hook files, the repository's data/)
to a temporary folder, starts a real `mkdocs serve` on a free port and opens the glossary page in
headless Chromium (Debian's, launched as the browser tests do), so MkDocs' livereload is live.
It then edits a glossary definition `--edits` times, each time writing a new marker into it, and
times the edit to the moment the marker is in the page's visible text. After each rebuild it reads
the serve process's resident memory and CPU time from /proc. The first `--warmup` edits of a
session are left out of the latency and CPU figures (the first rebuilds fill the caches); the
memory slope is fitted over the last 30 rebuilds of each session.

With `--before REV`, the same sessions run with REV's engine, hooks, pages and theme overrides
(from `git archive`; the data is always this tree's), alternating which goes first, so both are
measured under the same load. Pauses between edits are random, so edits do not fall in step with
MkDocs' file polling. The load average is recorded with every edit; medians come with their 95 %
distribution-free confidence intervals (bench_site.summary), and the medians of the edits made
while the 1-minute load average was at most 1 are given apart as the quiet figure.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path[1:1] = [str(Path(__file__).resolve().parents[1] / "tests" / part) for part in ("", "browser")]

import bench_site  # noqa: E402
from browser_support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "serve.json"
SITE_PARTS = ("mkdocs.yml", "docs", "overrides")
EDITED = "glossary.yml"
PAGE = "glossary/"
ANCHOR = "six-month interim deal"
"""Text of the edited definition: each edit writes a marker right after it."""
QUIET_LOAD = 1.0
TARGETS = {"latency": 1.5, "rss_slope": 0.1}
"""Seconds from a data edit to the new text in the browser; MB of serve's memory per rebuild."""
TICK = 1.0 / os.sysconf("SC_CLK_TCK")


@dataclass
class Arm:
    """One engine and site to serve: this tree, or a revision unpacked into a folder."""

    name: str
    label: str
    root: Path
    samples: list[dict[str, float]] = field(default_factory=list)
    slopes: list[float] = field(default_factory=list)
    rss: list[list[float]] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def unpack(revision: str, dest: Path) -> Path:
    """The engine, hooks, pages and overrides of `revision`, from `git archive`, in `dest`."""
    archive = subprocess.run(
        ["git", "archive", revision, "hooks", *SITE_PARTS], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def site_copy(arm: Arm, dest: Path) -> Path:
    """A servable copy of `arm`'s site with this tree's data."""
    dest.mkdir(parents=True)
    for name in SITE_PARTS:
        source = arm.root / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    (dest / "hooks").mkdir()
    for hook in (arm.root / "hooks").glob("*.py"):
        shutil.copy2(hook, dest / "hooks" / hook.name)
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


class Serve:
    """A running `mkdocs serve`: its log lines, each with the monotonic time it was read."""

    def __init__(self, arm: Arm, site: Path, cache: Path):
        self.port = free_port()
        env = bench_site._env()
        env.update(PYTHONPATH=str(arm.root / "hooks"), XDG_CACHE_HOME=str(cache), PYTHONUNBUFFERED="1")
        cmd = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(
            cmd, cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[tuple[float, str]] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for("Serving on", 0.0, 300)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line.rstrip()))

    def wait_for(self, text: str, since: float, timeout: float) -> float:
        """When a line containing `text` was read after `since`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for when, line in list(self.lines):
                if when >= since and text in line:
                    return when
            if self.process.poll() is not None:
                break
            time.sleep(0.01)
        log = "\n".join(line for _, line in self.lines[-40:])
        raise SystemExit(f"mkdocs serve: no '{text}' within {timeout} s:\n{log}")

    def cpu(self) -> float:
        """User + system seconds of the serve process."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * TICK

    def rss_mb(self) -> float:
        return self.rss_of(self.process.pid)

    @staticmethod
    def rss_of(pid: int) -> float:
        """Resident memory of process `pid`, in MB."""
        match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
        return int(match[1]) / 1024 if match else 0.0

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def visible(page: Any, marker: str, timeout: float) -> float:
    """When `marker` is in the page's visible text (the page reloads itself in between)."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if page.evaluate("m => document.body !== null && document.body.innerText.includes(m)", marker):
                return time.monotonic()
        except PlaywrightError:
            pass  # the page is reloading
        time.sleep(0.005)
    raise SystemExit(f"'{marker}' not visible within {timeout} s")


def session(arm: Arm, browser: Any, edits: int, number: int, log: Callable[[str], None]) -> None:
    """One `mkdocs serve` of `arm`'s site, `edits` data edits, each timed into the browser."""
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        site = site_copy(arm, Path(tmp) / "site")
        edited = site / "data" / EDITED
        original = edited.read_text(encoding="utf-8")
        if ANCHOR not in original:
            raise SystemExit(f"data/{EDITED} no longer contains '{ANCHOR}': choose another text to edit")
        serve = Serve(arm, site, Path(tmp) / "cache")
        context = browser.new_context(service_workers="block")
        try:
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{serve.port}/{PAGE}", wait_until="load")
            rss = [serve.rss_mb()]
            for i in range(edits):
                time.sleep(random.uniform(0.4, 0.9))  # the new page's livereload poll starts; out of step with polling
                marker = f"edit {number}-{i} marker"
                load = bench_site.loadavg()
                cpu = serve.cpu()
                start = time.monotonic()
                edited.write_text(original.replace(ANCHOR, f"{ANCHOR} ({marker})"), encoding="utf-8")
                seen = visible(page, marker, 60)
                reloaded = serve.wait_for("Reloading browsers", start, 60)
                detected = serve.wait_for("Detected file changes", start, 60)
                rss.append(serve.rss_mb())
                sample = {
                    "latency": seen - start,
                    "detect": detected - start,
                    "build": reloaded - detected,
                    "browser": seen - reloaded,
                    "cpu": serve.cpu() - cpu,
                    "load": load[0] if load else 0.0,
                }
                if i >= WARMUP:
                    arm.samples.append(sample)
                log(
                    f"  {arm.name} #{number} edit {i}: {sample['latency']:.2f} s, cpu {sample['cpu']:.2f} s, "
                    f"rss {rss[-1]:.1f} MB, load {sample['load']:.2f}"
                )
        finally:
            context.close()
            serve.stop()
    arm.rss.append(rss)
    tail = rss[-30:]
    if len(tail) >= 10:
        arm.slopes.append(slope(tail))


def slope(values: list[float]) -> float:
    """Least-squares slope of `values` per step."""
    n = len(values)
    mean_x, mean_y = (n - 1) / 2, statistics.fmean(values)
    num = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    return num / sum((x - mean_x) ** 2 for x in range(n))


WARMUP = 3


def arm_results(arm: Arm) -> dict[str, Any]:
    quiet = [s for s in arm.samples if s["load"] <= QUIET_LOAD]
    result: dict[str, Any] = {
        "label": arm.label,
        "edits": len(arm.samples),
        "sessions": len(arm.rss),
        **{
            key: bench_site.summary([s[key] for s in arm.samples])
            for key in ("latency", "detect", "build", "browser", "cpu")
        },
        "quiet": {
            "edits": len(quiet),
            "latency": bench_site.summary([s["latency"] for s in quiet]) if quiet else None,
        },
        "rss_start_mb": [round(r[0], 1) for r in arm.rss],
        "rss_end_mb": [round(r[-1], 1) for r in arm.rss],
        "rss_slope_mb": bench_site.summary(arm.slopes) if arm.slopes else None,
        "rebuilds": [len(r) - 1 for r in arm.rss],
    }
    return result


def measure(args: argparse.Namespace, log: Callable[[str], None]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    started = time.time()
    load_start = bench_site.loadavg()
    with tempfile.TemporaryDirectory(prefix="bench-serve-arms-") as tmp:
        arms = [Arm("after", f"this tree ({bench_site.revision()})", ROOT)]
        if args.before:
            before = unpack(args.before, Path(tmp) / "before")
            arms.append(Arm("before", f"revision {args.before}", before))
        per_session = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for number in range(args.sessions):
                for arm in arms if number % 2 == 0 else arms[::-1]:
                    log(f"session {number} of {arm.name}, load {bench_site.loadavg()}")
                    per_session.append(bench_site.loadavg()[:1])
                    session(arm, browser, args.edits, number, log)
            browser.close()
    results: dict[str, Any] = {
        "schema": 1,
        "date": time.strftime("%Y-%m-%d %H:%M %Z", time.localtime(started)),
        "duration_s": round(time.time() - started),
        "command": "python benchmarks/bench_serve.py" + "".join(f" {a}" for a in args.argv),
        "commit": bench_site.revision(),
        "machine": bench_site.machine(),
        "load_average": {"start": load_start, "end": bench_site.loadavg(), "per_session_1min": per_session},
        "harness": (
            f"{args.sessions} sessions of real `mkdocs serve` per engine, {args.edits} edits of data/{EDITED} each "
            f"(the first {WARMUP} left out of the times), every edit timed until its text is in the page in "
            f"headless Chromium; 95 % CIs of medians from order statistics; quiet: 1-minute load ≤ {QUIET_LOAD:g}"
        ),
        "arms": {arm.name: arm_results(arm) for arm in arms},
    }
    results["targets"] = targets(results["arms"]["after"])
    return results


def targets(after: dict[str, Any]) -> list[dict[str, Any]]:
    found = [
        {
            "key": "serve_latency",
            "label": "mkdocs serve: a data edit shows in the browser (seconds)",
            "target": TARGETS["latency"],
            "stats": after["latency"],
        }
    ]
    if after["rss_slope_mb"]:
        found.append(
            {
                "key": "serve_memory",
                "label": "mkdocs serve: memory per rebuild over the last 30 of each session (MB)",
                "target": TARGETS["rss_slope"],
                "stats": after["rss_slope_mb"],
            }
        )
    for t in found:
        t["verdict"] = bench_site.verdict(t["stats"], t["target"])
    return found


def report(results: dict[str, Any]) -> list[str]:
    lines = [f"{results['date']}, commit {results['commit']}, load average {results['load_average']}"]
    for name, arm in results["arms"].items():
        lines.append(f"{name}: {arm['label']}, {arm['edits']} edits in {arm['sessions']} sessions")
        for key in ("latency", "detect", "build", "browser", "cpu"):
            s = arm[key]
            lines.append(f"  {key:8s} median {s['median']:.3f} s (95 % CI {s['ci95'][0]:.3f}–{s['ci95'][1]:.3f})")
        if arm["quiet"]["latency"]:
            q = arm["quiet"]["latency"]
            lines.append(f"  quiet latency ({arm['quiet']['edits']} edits) median {q['median']:.3f} s")
        lines.append(f"  rss {arm['rss_start_mb']} → {arm['rss_end_mb']} MB, slope {arm['rss_slope_mb']}")
    for t in results["targets"]:
        lines.append(f"{t['label']}: {t['stats']['median']:.3f} ≤ {t['target']:g}? {t['verdict']}")
    return lines


# -- profiling: rebuilds in this process ----------------------------------------------------


def profile(rebuilds: int, log: Callable[[str], None]) -> None:
    """cProfile one serve-style rebuild in this process, then count the live objects by type
    before and after `rebuilds` more, with the process's resident memory after each."""
    import cProfile
    import gc
    import pstats
    from collections import Counter

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def live() -> Counter[str]:
        gc.collect()
        return Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.get_objects())

    with tempfile.TemporaryDirectory(prefix="bench-serve-profile-") as tmp:
        site = site_copy(Arm("after", "", ROOT), Path(tmp) / "site")
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        url = "http://127.0.0.1:8000/"
        edited = site / "data" / EDITED
        original = edited.read_text(encoding="utf-8")

        def rebuild(i: int) -> None:
            edited.write_text(original.replace(ANCHOR, f"{ANCHOR} (edit {i})"), encoding="utf-8")
            config = load_config(str(site / "mkdocs.yml"), site_dir=str(Path(tmp) / "out"))
            config.site_url = url
            if i == 0:
                config.plugins.on_startup(command="serve", dirty=False)
            build(config, serve_url=url)

        for i in range(3):
            rebuild(i)
        profiler = cProfile.Profile()
        profiler.enable()
        rebuild(3)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        before = live()
        for i in range(4, 4 + rebuilds):
            rebuild(i)
            log(f"rebuild {i}: resident memory {Serve.rss_of(os.getpid()):.1f} MB")
        grown = live() - before
        log(f"live objects {sum(before.values())} → {sum(before.values()) + sum(grown.values())}, most grown:")
        for name, count in grown.most_common(15):
            log(f"  +{count} {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="results file (default benchmarks/serve.json)")
    parser.add_argument("--sessions", type=int, default=3, help="serve sessions per engine (default 3)")
    parser.add_argument("--edits", type=int, default=50, help="data edits (rebuilds) per session (default 50)")
    parser.add_argument("--before", metavar="REV", help="also measure REV's engine, interleaved")
    parser.add_argument("--profile", action="store_true", help="profile in-process rebuilds instead")
    args = parser.parse_args(argv)
    args.argv = argv if argv is not None else sys.argv[1:]
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    if args.profile:
        profile(12, log)
        return 0
    results = measure(args, log)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("\n".join(report(results)))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
