"""Build-time benchmark of the whole site: the data-driven build against static Markdown, and
how build time grows with the number of pages.

    .venv/bin/python benchmarks/bench_site.py [--quick] [--assert] [--json OUT.json]
    .venv/bin/python benchmarks/bench_site.py --profile PAGES   # cProfile one in-process build

It generates synthetic sites (valid data, the project's own docs/ pages, whose directives pull
the data in, plus the pages the engine generates per topic, actor and contested point) and
times whole `mkdocs build --strict` runs, each in a fresh process:

1. data-driven vs static, at 1,000 and 10,000 facts: the site built with the hooks, against the
   same pages pre-rendered by `python -m explainer render OUT` and built by MkDocs without hooks.
   Target: data-driven / static <= 1.10 at 10,000 facts, with a cold engine cache.
2. pages: the data-driven site at 10, 100 and 1,000 generated pages (facts grow with pages,
   10 per page, so each page holds about as much). Target: time(1,000) / time(100) <= 11.

"Cold" empties the engine cache (EXPLAINER_CACHE_DIR, a temporary folder) before every run, so
parsing and validating the data is measured; "warm" reuses the cache of the run before. Times
are medians of several runs (3 at the big sizes). `--assert` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from explainer.tools.render import API_PAGE, without_page

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SITE_INPUTS = ("mkdocs.yml", "docs", "overrides")
ENGINE_ENV = ("EXPLAINER_EDITION", "EXPLAINER_DATA_DIR", "EXPLAINER_CACHE_DIR", "SOURCE_DATE_EPOCH")

FACTS_PER_PAGE = 10
FULL_PAGES = (10, 100, 1000)
QUICK_PAGES = (10, 100)
RATIO_TARGET = 1.10  # data-driven / static at 10,000 facts
SCALING_TARGET = 11.0  # time at 1,000 pages / time at 100 pages

# -- the generator ------------------------------------------------------------------------------

_WORDS = (
    "talks delegation envoy ministry statement enrichment sanctions relief inspectors reactor "
    "centrifuge stockpile agreement framework proposal round capital mediator channel indirect "
    "direct verification monitoring uranium missile programme regional security guarantee "
    "deadline extension negotiation counterpart spokesperson briefing reporters officials "
    "according reported confirmed denied said would could insisted warned signalled progress "
    "setback constructive serious technical political economic parliament council summit"
).split()
_FIRST = ["Ada", "Bram", "Cleo", "Dara", "Emil", "Fay", "Gus", "Hana", "Ivo", "Juno", "Kai", "Lena"]
_LAST = ["Arden", "Brook", "Crane", "Dale", "Ember", "Frost", "Glen", "Hale", "Ives", "Knox"]
_SOURCE_KINDS = [
    "news-report",
    "official-statement",
    "transcript",
    "analysis",
    "state-media",
    "republished-wire-copy",
    "reference",
    "blog",
]
_STANCES = ["demands", "rejects", "conditional", "unclear"]
_ROLE_KINDS = ["host", "mediator", "party", "interested-party", "inspector"]
FIRST_DAY, LAST_DAY = date(1979, 1, 1), date(2026, 2, 20)
EDITIONS = (("2026-01-15", "Before the talks"), ("2026-02-06", "Talks open"), ("2026-02-20", "Second round"))
ERAS = (("1979", "1988"), ("1989", "2001"), ("2002", "2012"), ("2013", "2017"), ("2018", "2024"), ("2025", "2026-12"))


def plan(pages: int, facts: int) -> dict[str, int]:
    """How many records of each kind: the kinds with pages add up to about `pages`."""
    actors = max(3, round(pages * 0.6))
    topics = max(2, round(pages * 0.2))
    contested = max(1, pages - actors - topics)
    fixed = actors + topics + contested + len(ERAS) + 3 + len(EDITIONS)
    rest = max(40, facts - fixed)
    counts = {
        "actors": actors,
        "topics": topics,
        "contested": contested,
        "eras": len(ERAS),
        "series": 3,
        "editions": len(EDITIONS),
        "sources": max(4, round(rest * 0.25)),
        "positions": round(rest * 0.20),
        "quotes": round(rest * 0.15),
        "roles": round(rest * 0.05),
        "glossary": round(rest * 0.10),
    }
    counts["events"] = max(4, facts - sum(counts.values()))
    return counts


class _Gen:
    def __init__(self, pages: int, facts: int, seed: int):
        self.rng = random.Random(seed)
        self.counts = plan(pages, facts)
        self.source_days: list[date] = []
        self.source_ids: list[str] = []
        self.source_index: dict[str, int] = {}

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(_WORDS) for _ in range(self.rng.randint(low, high)))

    def sentence(self, low: int = 8, high: int = 20) -> str:
        text = self.words(low, high)
        return text[0].upper() + text[1:] + "."

    def day(self, after: date = FIRST_DAY) -> date:
        return after + timedelta(days=self.rng.randrange((LAST_DAY - after).days + 1))

    def cite(self, day: date, most: int = 2) -> list[str]:
        """Sources published on or before `day` (the first source is dated FIRST_DAY)."""
        import bisect

        last = bisect.bisect_right(self.source_days, day) or 1
        return sorted({self.source_ids[self.rng.randrange(last)] for _ in range(self.rng.randint(1, most))})

    def reported(self, day: date, most: int = 2) -> tuple[date, list[str]]:
        """Sources as `cite` picks them, and the day of the first: an event or a quote happened
        on or before its first report (`explainer check` refuses a source that reports it earlier)."""
        ids = self.cite(day, most)
        if len(self.source_index) != len(self.source_ids):
            self.source_index = {sid: n for n, sid in enumerate(self.source_ids)}
        return min(self.source_days[self.source_index[i]] for i in ids), ids

    def data(self) -> dict[str, list[dict[str, Any]]]:
        c, rng = self.counts, self.rng
        days = sorted([FIRST_DAY] + [self.day() for _ in range(c["sources"] - 1)])
        sources = []
        for n, day in enumerate(days):
            sid = f"src-outlet-{day.isoformat()}-{n}"
            sources.append(
                {
                    "id": sid,
                    "publisher": f"Example Outlet {n % 17}",
                    "title": self.sentence(5, 10).rstrip("."),
                    "url": f"https://example.org/news/{sid}",
                    "published": day.isoformat(),
                    "kind": _SOURCE_KINDS[n % len(_SOURCE_KINDS)],
                    "caution": n % 13 == 0,
                }
            )
        self.source_days, self.source_ids = days, [s["id"] for s in sources]
        topics = [
            {
                "id": f"topic-{n}",
                "name": f"{self.words(1, 2).title()} {n}",
                "question": self.sentence(5, 10).rstrip(".") + "?",
                "order": n,
            }
            for n in range(c["topics"])
        ]
        topic_ids = [t["id"] for t in topics]
        actors = []
        for n in range(c["actors"]):
            day = self.day()
            if n < 2:
                actors.append(
                    {
                        "id": f"party-{n}",
                        "name": f"Party {'AB'[n]}",
                        "kind": "state",
                        "party": True,
                        "summary": self.sentence(),
                        "sources": self.cite(day),
                    }
                )
                continue
            person = n % 4 != 0
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)} {n}" if person else f"State {n}"
            actor: dict[str, Any] = {
                "id": f"actor-{n}",
                "name": name,
                "kind": "person" if person else "state",
                "summary": self.sentence(15, 30),
                "sources": self.cite(day),
            }
            if person:
                actor["affiliation"] = f"party-{n % 2}"
                actor["roles"] = [
                    {
                        "title": self.words(1, 3).title(),
                        "of": f"party-{n % 2}",
                        "from": day.isoformat()[:7],
                        "sources": self.cite(day, 1),
                    }
                ]
            actors.append(actor)
        actor_ids = [a["id"] for a in actors]
        people = [a["id"] for a in actors if a["kind"] == "person"] or actor_ids
        series = [{"id": f"series-{n}", "name": f"Round of talks {n}"} for n in range(c["series"])]
        eras = [
            {"id": f"era-{n}", "title": self.words(2, 4).title(), "start": s, "end": e} for n, (s, e) in enumerate(ERAS)
        ]
        events = []
        for n in range(c["events"]):
            day, cited = self.reported(self.day())
            event: dict[str, Any] = {
                "id": f"evt-{day.isoformat()}-{n}",
                "date": day.isoformat(),
                "title": self.sentence(3, 8).rstrip("."),
                "summary": self.sentence(20, 45),
                "participants": sorted({rng.choice(actor_ids) for _ in range(rng.randint(1, 3))}),
                "topics": sorted({rng.choice(topic_ids) for _ in range(rng.randint(0, 2))}),
                "sources": cited,
                "key": n % 20 == 0,
            }
            if n % 4 == 0:
                event["series"] = f"series-{n % c['series']}"
                event["place"] = f"Capital {n % 9}"
            events.append(event)
        events[0].update(date="1979-01-01", id="evt-1979-01-01-0", sources=[self.source_ids[0]])
        quotes = []
        for n in range(c["quotes"]):
            day, cited = self.reported(self.day())
            quote: dict[str, Any] = {
                "id": f"q-{n}",
                "text": self.sentence(8, 25),
                "speaker": rng.choice(people),
                "date": day.isoformat(),
                "context": self.words(3, 8),
                "topics": [rng.choice(topic_ids)],
                "sources": cited,
            }
            if n % 10 == 0:
                quote["unverified"] = "only one outlet carries this wording"
            quotes.append(quote)
        positions = []
        for n in range(c["positions"]):
            day = self.day(date(2024, 1, 1))
            positions.append(
                {
                    "id": f"pos-{n}",
                    "actor": f"party-{n % 2}" if n % 5 else rng.choice(actor_ids),
                    "topic": rng.choice(topic_ids),
                    "date": day.isoformat(),
                    "stance": rng.choice(_STANCES),
                    "summary": self.sentence(10, 25),
                    "demands": [self.words(3, 6) for _ in range(rng.randint(0, 2))],
                    "sources": self.cite(day),
                }
            )
        roles = []
        for n in range(c["roles"]):
            day = self.day(date(2024, 1, 1))
            roles.append(
                {
                    "id": f"role-{n}",
                    "actor": rng.choice(actor_ids),
                    "role": rng.choice(_ROLE_KINDS),
                    "date": day.isoformat(),
                    "did": self.sentence(8, 20),
                    "wants": self.sentence(5, 12),
                    "sources": self.cite(day),
                }
            )
        contested = []
        for n in range(c["contested"]):
            day = self.day(date(2020, 1, 1))
            contested.append(
                {
                    "id": f"cp-{n}",
                    "question": self.sentence(5, 10).rstrip(".") + "?",
                    "date": day.isoformat(),
                    "topics": [rng.choice(topic_ids)],
                    "claims": [
                        {"by": [f"party-{k}"], "claim": self.sentence(10, 20), "sources": self.cite(day)}
                        for k in (0, 1)
                    ],
                    "sources": self.cite(day),
                }
            )
        glossary = [
            {
                "id": f"term-{n}",
                "term": f"{self.words(1, 2).title()} {n}",
                "definition": self.sentence(10, 25),
                "sources": self.cite(LAST_DAY),
            }
            for n in range(c["glossary"])
        ]
        editions = [{"id": day, "cutoff": day, "title": title, "summary": self.sentence()} for day, title in EDITIONS]
        return {
            "sources": sources,
            "actors": actors,
            "topics": topics,
            "series": series,
            "eras": eras,
            "events": events,
            "quotes": quotes,
            "positions": positions,
            "roles": roles,
            "contested": contested,
            "glossary": glossary,
            "editions": editions,
        }


def generate_data(data_dir: Path, pages: int, facts: int, seed: int = 0) -> int:
    """Write one YAML file per kind into `data_dir`; return how many records were written."""
    data_dir.mkdir(parents=True, exist_ok=True)
    total = 0
    for kind, records in _Gen(pages, facts, seed).data().items():
        total += len(records)
        (data_dir / f"{kind}.yml").write_text(
            yaml.dump(
                {kind: records},
                Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                sort_keys=False,
                allow_unicode=True,
                width=100,
            ),
            encoding="utf-8",
        )
    return total


"""The API reference documents the engine's source: `explainer render` leaves it out (and the
mkdocstrings plugin with it), so the benchmark leaves it out on both sides."""


def make_site(dest: Path, pages: int, facts: int, seed: int = 0) -> Path:
    """A buildable site at `dest`: the project's mkdocs.yml, docs/, overrides/ and hook shim,
    with generated data, and without the API reference."""
    from mkdocs.utils.yaml import yaml_load  # resolves mkdocs.yml's !ENV tags

    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_INPUTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, dirs_exist_ok=True)
        elif source.exists():
            shutil.copy2(source, dest / name)
    (dest / "hooks").mkdir(exist_ok=True)
    for hook in ("explainer_hooks.py", "explainer_page_cache.py"):
        shutil.copy2(ROOT / "hooks" / hook, dest / "hooks" / hook)
    with (ROOT / "mkdocs.yml").open("rb") as stream:
        config = yaml_load(stream)
    config["plugins"] = [p for p in config.get("plugins", []) if not _named(p, "mkdocstrings")]
    config["nav"] = without_page(config.get("nav", []), API_PAGE)
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (dest / "docs" / API_PAGE).unlink(missing_ok=True)
    generate_data(dest / "data", pages, facts, seed)
    return dest


def _named(plugin: Any, name: str) -> bool:
    return plugin == name or (isinstance(plugin, dict) and name in plugin)


# -- timing ------------------------------------------------------------------------------------


def _env(cache_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENGINE_ENV}
    env.update(NO_MKDOCS_2_WARNING="1", EXPLAINER_CACHE_DIR=str(cache_dir), SOURCE_DATE_EPOCH="0")
    return env


@dataclass(frozen=True)
class Run:
    wall: float
    """Elapsed seconds."""
    cpu: float
    """User + system CPU seconds of the process: less sensitive to other load on the machine."""


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise SystemExit(f"failed in {cwd}: {' '.join(cmd)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu)


def mkdocs_build(site: Path, out: Path, cache_dir: Path) -> Run:
    return timed([PYTHON, "-m", "mkdocs", "build", "--strict", "-d", str(out)], site, _env(cache_dir))


@dataclass
class Size:
    pages: int
    facts: int
    records: int = 0
    built_pages: int = 0
    cold: list[Run] = field(default_factory=list)
    warm: list[Run] = field(default_factory=list)
    static: list[Run] = field(default_factory=list)
    render: float | None = None

    def median(self, kind: str, what: str = "wall") -> float | None:
        runs = getattr(self, kind)
        return statistics.median(getattr(r, what) for r in runs) if runs else None


def measure(work: Path, pages: int, facts: int, runs: int, static: bool, log) -> Size:
    """Time the builds of one generated site. Each round runs cold, warm and static back to
    back, so a burst of other load on the machine hits all three alike."""
    site = make_site(work / f"site-{pages}", pages, facts)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    size = Size(pages, facts)
    size.records = sum(
        len(records)
        for p in (site / "data").glob("*.yml")
        for records in yaml.load(p.read_text(encoding="utf-8"), Loader=loader).values()
    )
    cache, out = work / f"cache-{pages}", work / f"out-{pages}"
    rendered, static_out = work / f"static-{pages}", work / f"static-out-{pages}"
    if static:
        start = time.perf_counter()
        timed([PYTHON, "-m", "explainer", "render", str(rendered)], site, _env(work / "render-cache"))
        size.render = time.perf_counter() - start
    for n in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        size.cold.append(mkdocs_build(site, out, cache))
        size.warm.append(mkdocs_build(site, out, cache))  # the cold run filled the cache
        line = (
            f"  {pages} pages, round {n + 1}/{runs}: cold {size.cold[-1].wall:.2f} s, warm {size.warm[-1].wall:.2f} s"
        )
        if static:
            size.static.append(mkdocs_build(rendered, static_out, cache))
            line += f", static {size.static[-1].wall:.2f} s"
        log(line)
    size.built_pages = sum(1 for _ in out.rglob("index.html"))
    for folder in (out, static_out):
        shutil.rmtree(folder, ignore_errors=True)
    return size


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def report(sizes: list[Size], runs_note: str, metric: str = "wall") -> tuple[list[str], dict[str, Any]]:
    """The results as a Markdown table and target lines, and as data for --json."""
    by_pages = {s.pages: s for s in sizes}
    lines = [
        f"Site build benchmark ({runs_note}); {machine()}",
        "Wall-clock seconds of whole `mkdocs build --strict` processes; CPU seconds in brackets.",
        "",
        "| pages | facts | built pages | data-driven, cold | data-driven, warm | static "
        "| cold / static | warm / static |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    results: dict[str, Any] = {"machine": machine(), "note": runs_note, "sizes": [], "targets": {}}
    for s in sizes:
        cells = []
        for kind in ("cold", "warm", "static"):
            wall, cpu = s.median(kind), s.median(kind, "cpu")
            cells.append("–" if wall is None else f"{wall:.2f} s ({cpu:.2f})")
        for kind in ("cold", "warm"):
            wall = _ratio(s.median(kind), s.median("static"))
            cpu = _ratio(s.median(kind, "cpu"), s.median("static", "cpu"))
            cells.append("–" if wall is None else f"{wall:.2f} ({cpu:.2f})")
        lines.append(f"| {s.pages:,} | {s.records:,} | {s.built_pages:,} | " + " | ".join(cells) + " |")
        results["sizes"].append(
            {
                "pages": s.pages,
                "facts": s.records,
                "built_pages": s.built_pages,
                "render": s.render,
                **{kind: [vars(r) for r in getattr(s, kind)] for kind in ("cold", "warm", "static")},
            }
        )
    lines.append("")
    missed = []

    def target(key: str, label: str, a: Size, b: Size, kind_a: str, kind_b: str, limit: float, counts: bool) -> None:
        wall = _ratio(a.median(kind_a), b.median(kind_b))
        cpu = _ratio(a.median(kind_a, "cpu"), b.median(kind_b, "cpu"))
        judged = wall if metric == "wall" else cpu
        ok = judged is not None and judged <= limit
        results["targets"][key] = {"wall": wall, "cpu": cpu, "target": limit, "judged_on": metric, "met": ok}
        status = "met" if ok else "MISSED" if counts else "above it (for reference: the target is at 10,000)"
        lines.append(f"{label}: {wall:.3f} wall, {cpu:.3f} CPU (target <= {limit:g}, on {metric}) {status}")
        if counts and not ok:
            missed.append(key)

    big, mid, small = by_pages.get(1000), by_pages.get(100), by_pages.get(10)
    for size in (mid, big):
        if size and size.static:
            target(
                f"static_ratio_{size.records}",
                f"data-driven / static at {size.records:,} facts, cold cache",
                size,
                size,
                "cold",
                "static",
                RATIO_TARGET,
                size is big,
            )
    if big and mid:
        for kind in ("cold", "warm"):
            target(
                f"scaling_{kind}",
                f"1,000 pages / 100 pages, {kind} cache",
                big,
                mid,
                kind,
                kind,
                SCALING_TARGET,
                kind == "cold",
            )
    if mid and small:
        wall = _ratio(mid.median("cold"), small.median("cold"))
        lines.append(f"100 pages / 10 pages, cold cache: {wall:.2f} wall (no target)")
    results["missed"] = missed
    return lines, results


def machine() -> str:
    mem = ""
    try:
        kib = int(
            next(
                line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
            ).split()[1]
        )
        mem = f", {kib / 2**20:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} cores{mem}, Python {platform.python_version()}, {platform.system()} {platform.machine()}"


def revision() -> str:
    """The commit measured, marked when the engine or the site config differ from it."""

    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "hooks", "mkdocs.yml", "docs", "overrides")
    return f"{head}{' + uncommitted changes' if dirty else ''}"


def load() -> str:
    try:
        return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


# -- profiling ---------------------------------------------------------------------------------


def profile(pages: int, top: int = 30) -> None:
    """cProfile one in-process build of a generated site, cold cache; print the top functions."""
    import cProfile
    import pstats

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with tempfile.TemporaryDirectory(prefix="bench-site-profile-") as tmp:
        work = Path(tmp)
        site = make_site(work / "site", pages, pages * FACTS_PER_PAGE)
        os.environ["EXPLAINER_CACHE_DIR"] = str(work / "cache")
        os.environ["NO_MKDOCS_2_WARNING"] = "1"
        for name in ("EXPLAINER_EDITION", "EXPLAINER_DATA_DIR"):
            os.environ.pop(name, None)
        os.chdir(site)
        config = load_config(str(site / "mkdocs.yml"), site_dir=str(work / "out"), strict=True)
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.runcall(build, config)
        print(f"in-process build of {pages} pages: {time.perf_counter() - start:.2f} s")
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)


# -- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 and 100 pages, one run each")
    parser.add_argument("--assert", dest="check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--runs", type=int, help="runs per size (default 5, 3 at 1,000 pages)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument(
        "--metric",
        choices=("wall", "cpu"),
        default="wall",
        help="what the targets are judged on (default wall; cpu is steadier on a busy machine)",
    )
    parser.add_argument(
        "--profile", type=int, metavar="PAGES", help="profile one in-process build at PAGES pages instead"
    )
    args = parser.parse_args(argv)
    if args.profile:
        profile(args.profile)
        return 0

    sizes = QUICK_PAGES if args.quick else FULL_PAGES
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    load_before, revision_before = load(), revision()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        for pages in sizes:
            runs = 1 if args.quick else args.runs or (3 if pages >= 1000 else 5)
            static = pages >= 100  # 1,000 and 10,000 facts
            log(f"{pages} pages, {pages * FACTS_PER_PAGE} facts, {runs} runs")
            results.append(measure(Path(tmp), pages, pages * FACTS_PER_PAGE, runs, static, log))
    note = "quick: one run each" if args.quick else "medians; 5 runs, 3 at 1,000 pages"
    note += f"; {load_before} at the start, {load()} at the end; commit {revision_before}"
    if revision() != revision_before:
        note += f" (changed to {revision()} during the run)"
    lines, data = report(results, note, args.metric)
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 1 if args.check and data["missed"] else 0


if __name__ == "__main__":
    sys.exit(main())
