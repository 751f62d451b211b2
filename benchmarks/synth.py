"""The one generator of synthetic data: valid, cross-referenced facts for the benchmarks and tests.

    .venv/bin/python benchmarks/synth.py OUT_DIR [--facts 10000] [--pages N] [--seed 0]

`generate(out_dir, facts, pages=)` writes `facts` records over one file per kind (long kinds split
into files of at most 500 records), sized so the engine generates about `pages` pages (one per
actor, topic and contested point; by default one page for every ten facts, as the site benchmark
uses). So the data-stage benchmark at 10,000 facts reads exactly the data of the 1,000-page site.

Nothing about the data model is written here twice: the kinds, the order they are generated in
(a kind after the kinds it refers to), the id prefixes and every enumerated value (source kinds,
stances, role kinds, actor kinds, statuses) come from the engine's models and kinds registry, so
a kind or a value added to the models shows up here, or `generate` fails and says which. Every
reference resolves, the data keeps the rules of time (an event or a quote is dated on or before
its first report; a role that ends cites a source that reports the end), the latest edition
includes every record, and the output is deterministic for a seed. It is fictional
filler: names are invented and every URL is on example.org.
"""

from __future__ import annotations

import argparse
import bisect
import random
from datetime import date, timedelta
from enum import Enum
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import yaml
from explainer.facts.kinds import KINDS, reference_fields
from explainer.facts.models import ActorKind, ContestStatus, EventStatus, RoleKind, SourceKind, Stance
from pydantic import BaseModel

FACTS_PER_PAGE = 10
"""Facts per generated page when `pages` is not given (the site benchmark's ratio)."""
CHUNK = 500
"""Records per file, at most."""
START, END = date(2016, 1, 1), date(2026, 2, 20)
"""Every date falls in this span; the latest edition's cut-off is END, so it holds everything."""
EDITIONS = 3
"""Editions: the build cuts the latest and the one before it."""

SHARES = {"sources": 0.30, "quotes": 0.15, "positions": 0.15, "roles": 0.06, "glossary": 0.06}
"""Each kind's share of the records left once the page kinds and the fixed kinds are counted;
events take the rest."""

ENUMS: dict[type[Enum], tuple[str, ...]] = {
    enum: tuple(member.value for member in enum)
    for enum in (SourceKind, Stance, RoleKind, ActorKind, EventStatus, ContestStatus)
}
"""The enumerated values the generator cycles through, read from the models."""

_WORDS = (
    "talks delegation envoy ministry statement enrichment sanctions relief inspectors reactor "
    "centrifuge stockpile agreement framework proposal round capital mediator channel indirect "
    "direct verification monitoring uranium missile programme regional security guarantee "
    "deadline extension negotiation counterpart spokesperson briefing reporters officials "
    "according reported confirmed denied said would could might insisted warned signalled "
    "progress setback constructive serious difficult technical political economic military "
    "parliament council summit agency report draft text exchange message letter visit "
    "weekend morning evening week month foreign minister president leader adviser team"
).split()
_OUTLETS = ("wire", "paper", "times", "post", "herald", "agency", "radio", "monitor", "review")
_FIRST = ("Ada", "Bram", "Cleo", "Dara", "Emil", "Fay", "Gus", "Hana", "Ivo", "Juno", "Kai", "Lena")
_LAST = ("Arden", "Brook", "Crane", "Dale", "Ember", "Frost", "Glen", "Hale", "Ives", "Knox", "Lark")


def plan(facts: int, pages: int | None = None) -> dict[str, int]:
    """How many records of each kind (a key of `KINDS`): they add up to `facts` when it is not tiny."""
    pages = max(5, facts // FACTS_PER_PAGE if pages is None else pages)
    counts = {
        "actors": max(4, round(pages * 0.6)),
        "topics": max(2, round(pages * 0.2)),
        "series": max(1, min(20, facts // 500)),
        "eras": max(1, min(12, facts // 1000)),
        "editions": EDITIONS,
    }
    counts["contested"] = max(1, pages - counts["actors"] - counts["topics"])
    rest = max(40, facts - sum(counts.values()))
    counts.update({kind: max(2, round(rest * share)) for kind, share in SHARES.items()})
    counts["events"] = max(4, facts - sum(counts.values()))
    return counts


def _targets(model: type[BaseModel]) -> set[str]:
    """The kinds that records of `model` refer to, through nested models too."""
    found = set()
    for ref in reference_fields(model):
        if ref.target:
            found.add(ref.target)
        elif ref.model is not None:
            found |= _targets(ref.model)
    return found


def generation_order() -> tuple[str, ...]:
    """Every kind, each after the kinds its records refer to (a kind may refer to itself)."""
    graph = {key: _targets(kind.model) - {key} for key, kind in KINDS.items()}
    return tuple(TopologicalSorter(graph).static_order())


class _Gen:
    def __init__(self, counts: dict[str, int], seed: int):
        self.rng = random.Random(seed)
        self.counts = counts
        self.ids: dict[str, list[str]] = {}
        self.source_days: list[date] = []
        self.source_day: dict[str, date] = {}
        self.cycles: dict[type[Enum], int] = {}

    # -- building blocks -------------------------------------------------------------------

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(_WORDS) for _ in range(self.rng.randint(low, high)))

    def sentence(self, low: int = 8, high: int = 20) -> str:
        text = self.words(low, high)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def day(self, after: date = START) -> date:
        return after + timedelta(days=self.rng.randrange((END - after).days + 1))

    def value(self, enum: type[Enum]) -> str:
        """The enum's values in turn, so every value appears once there are as many records."""
        values = ENUMS[enum]
        n = self.cycles.get(enum, 0)
        self.cycles[enum] = n + 1
        return values[n % len(values)]

    def prefix(self, kind: str) -> str:
        shape = KINDS[kind].id_shape
        return shape.prefix if shape else ""

    def cite(self, on_or_before: date, low: int = 1, high: int = 3) -> list[str]:
        """Ids of sources published on or before the day (the first source is dated START)."""
        last = bisect.bisect_right(self.source_days, on_or_before) or 1
        pool = self.ids["sources"]
        return sorted({pool[self.rng.randrange(last)] for _ in range(self.rng.randint(low, high))})

    def reported(self, day: date, low: int = 1, high: int = 3) -> tuple[date, list[str]]:
        """Sources as `cite` picks them, and the day of the first of them: an event or a quote
        happened on or before its first report (a source cannot report what has not happened)."""
        cited = self.cite(day, low, high)
        return min(self.source_day[s] for s in cited), cited

    def reporting_end(self, end: date) -> str | None:
        """A source published on or after `end`, to report that a role ended; None if none is."""
        at = bisect.bisect_left(self.source_days, end)
        return self.ids["sources"][at] if at < len(self.source_days) else None

    def pick(self, kind: str, low: int, high: int) -> list[str]:
        pool = self.ids[kind]
        return sorted({self.rng.choice(pool) for _ in range(self.rng.randint(low, high))})

    def correction(self, after: date) -> list[dict[str, Any]]:
        return [{"date": self.day(after).isoformat(), "change": self.sentence(5, 10), "reason": self.sentence(5, 10)}]

    # -- one method per kind, named by its key ------------------------------------------------

    def sources(self, count: int) -> list[dict[str, Any]]:
        days = sorted([START] + [self.day() for _ in range(count - 1)])
        records = []
        for n, day in enumerate(days):
            outlet = _OUTLETS[n % len(_OUTLETS)]
            sid = f"{self.prefix('sources')}{outlet}-{day.isoformat()}-{n}"
            record: dict[str, Any] = {
                "id": sid,
                "publisher": f"Example {outlet.title()} {n % 17}",
                "title": self.sentence(6, 12).rstrip("."),
                "url": f"https://example.org/{outlet}/{day.year}/{sid}",
                "published": day.isoformat(),
                "accessed": min(day + timedelta(days=3), END).isoformat(),
                "kind": self.value(SourceKind),
            }
            if n % 7 == 0:
                record["archive_url"] = f"https://archive.example.org/web/{sid}"
            if n % 11 == 0:
                record["reliability"] = self.sentence(6, 12)
            if n % 13 == 0:
                record["caution"] = True
            if n % 29 == 5:  # a page that shows no date: dated by its content instead
                record["published"] = "unknown"
                record["published_approx"] = day.isoformat()
            records.append(record)
        self.source_days = days
        self.source_day = {r["id"]: d for r, d in zip(records, days, strict=True)}
        return records

    def topics(self, count: int) -> list[dict[str, Any]]:
        return [
            {
                "id": f"topic-{n}",
                "name": f"{self.words(1, 2).title()} {n}",
                "question": self.sentence(6, 12).rstrip(".") + "?",
                "order": n,
            }
            for n in range(count)
        ]

    def series(self, count: int) -> list[dict[str, Any]]:
        return [{"id": f"series-{n}", "name": f"Round of talks {n}"} for n in range(count)]

    def eras(self, count: int) -> list[dict[str, Any]]:
        span = (END.year - START.year + 1) / count
        records = []
        for n in range(count):
            first, last = START.year + int(n * span), START.year + int((n + 1) * span) - 1
            records.append(
                {
                    "id": f"era-{n}",
                    "title": self.words(2, 5).title(),
                    "start": str(first),
                    "end": f"{max(first, last)}-12",
                }
            )
        return records

    def actors(self, count: int) -> list[dict[str, Any]]:
        # "bodies": a tenth, at least six: the two parties (states), then one of each actor kind in
        # turn; every other actor is a person, affiliated with a body
        bodies = min(count, max(6, count // 10))
        records = []
        for n in range(count):
            day = self.day()
            kind = ActorKind.STATE.value if n < 2 else self.value(ActorKind) if n < bodies else ActorKind.PERSON.value
            if kind == ActorKind.PERSON.value:
                name = f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)} {n}"
            else:
                name = f"{kind.title()} {n}"
            record: dict[str, Any] = {
                "id": f"{kind}-{n}",
                "name": name,
                "kind": kind,
                "summary": self.paragraph(2),
                "sources": self.cite(day),
            }
            if n < 2:
                record["party"] = True
            if kind == ActorKind.PERSON.value:
                body = records[self.rng.randrange(min(n, bodies))]["id"]
                record["affiliation"] = body
                record["aliases"] = [f"{name[0]}. {name.split()[1]}"]
                record["roles"] = [
                    {
                        "title": self.words(1, 3).title(),
                        "of": body,
                        "from": f"{day.year}-{day.month:02d}",
                        "sources": self.cite(day, 1, 1),
                    }
                ]
                end = self.day(day)
                reporter = self.reporting_end(end)
                if n % 19 == 0 and reporter is not None:
                    record["roles"][0]["to"] = end.isoformat()
                    record["roles"][0]["sources"] = sorted({*record["roles"][0]["sources"], reporter})
            if n % 31 == 3:
                record["corrections"] = self.correction(day)
            records.append(record)
        self.ids["bodies"] = [r["id"] for r in records[:bodies]]
        self.ids["parties"] = [r["id"] for r in records[:2]]
        self.ids["people"] = [r["id"] for r in records[bodies:]] or self.ids["bodies"]
        return records

    def events(self, count: int) -> list[dict[str, Any]]:
        records = []
        for n in range(count):
            day, cited = self.reported(self.day())
            record: dict[str, Any] = {
                "id": f"{self.prefix('events')}{day.isoformat()}-{n}",
                "date": day.isoformat(),
                "title": self.sentence(4, 9).rstrip("."),
                "summary": self.paragraph(2),
                "participants": self.pick("actors", 1, 4),
                "topics": self.pick("topics", 0, 2),
                "sources": cited,
            }
            if n % 5 == 0:
                record["series"] = self.rng.choice(self.ids["series"])
                record["place"] = f"Capital {n % 13}"
            if n % 9 == 0:
                record["status"] = self.value(EventStatus)
            if n % 17 == 0:
                record["key"] = True
            records.append(record)
        return records

    def quotes(self, count: int) -> list[dict[str, Any]]:
        records = []
        for n in range(count):
            day, cited = self.reported(self.day(), 1, 2)
            record: dict[str, Any] = {
                "id": f"{self.prefix('quotes')}{day.isoformat()}-{n}",
                "text": self.paragraph(2),
                "speaker": self.rng.choice(self.ids["people"]),
                "date": day.isoformat(),
                "context": self.sentence(6, 14),
                "topics": self.pick("topics", 0, 2),
                "sources": cited,
            }
            if n % 23 == 0:
                record["unverified"] = "Only one outlet carries this wording."
            records.append(record)
        return records

    def positions(self, count: int) -> list[dict[str, Any]]:
        records = []
        for n in range(count):
            day = self.day()
            record: dict[str, Any] = {
                "id": f"{self.prefix('positions')}{n}-{day.isoformat()}",
                "actor": self.rng.choice(self.ids["parties"] if n % 5 else self.ids["bodies"]),
                "topic": self.rng.choice(self.ids["topics"]),
                "date": day.isoformat(),
                "stance": self.value(Stance),
                "summary": self.paragraph(2),
                "sources": self.cite(day),
            }
            field = ("demands", "red_lines", "flexibility")[n % 3]
            record[field] = [self.words(3, 8) for _ in range(self.rng.randint(1, 3))]
            if n % 3 == 0:
                record["quotes"] = self.pick("quotes", 1, 2)
            records.append(record)
        return records

    def roles(self, count: int) -> list[dict[str, Any]]:
        records = []
        for n in range(count):
            day = self.day()
            record: dict[str, Any] = {
                "id": f"{self.prefix('roles')}{n}-{day.year}-{day.month:02d}",
                "actor": self.rng.choice(self.ids["bodies"]),
                "role": self.value(RoleKind),
                "date": f"{day.year}-{day.month:02d}",
                "did": self.paragraph(2),
                "sources": self.cite(day),
            }
            if n % 4:
                record["wants"] = self.sentence()
            records.append(record)
        return records

    def contested(self, count: int) -> list[dict[str, Any]]:
        records = []
        for n in range(count):
            day = self.day()
            claims = [
                {"by": self.pick("bodies", 1, 2), "claim": self.sentence(10, 24), "sources": self.cite(day, 1, 2)}
                for _ in range(self.rng.randint(2, 3))
            ]
            record: dict[str, Any] = {
                "id": f"{self.prefix('contested')}{n}",
                "question": self.sentence(6, 12).rstrip(".") + "?",
                "date": day.isoformat(),
                "claims": claims,
                "topics": self.pick("topics", 0, 2),
                "sources": sorted({s for c in claims for s in c["sources"]}),
            }
            status = self.value(ContestStatus)
            if status == ContestStatus.RESOLVED.value:
                record["status"] = status
                record["resolution"] = self.sentence()
            records.append(record)
        return records

    def glossary(self, count: int) -> list[dict[str, Any]]:
        return [
            {
                "id": f"{self.prefix('glossary')}{n}",
                "term": f"{self.words(1, 3).title()} {n}",
                "definition": self.paragraph(2),
                "sources": self.cite(END, 1, 1),
            }
            for n in range(count)
        ]

    def editions(self, count: int) -> list[dict[str, Any]]:
        # the last at END, the others a fortnight apart before it
        days = [END - timedelta(days=14 * (count - 1 - n)) for n in range(count)]
        return [
            {
                "id": day.isoformat(),
                "cutoff": day.isoformat(),
                "title": self.sentence(3, 6).rstrip("."),
                "summary": self.sentence(10, 20),
            }
            for day in days
        ]

    def kind(self, key: str) -> list[dict[str, Any]]:
        make = getattr(self, key, None)
        if make is None:
            raise NotImplementedError(
                f"benchmarks/synth.py has no generator for the kind '{key}': add a method {key}()"
            )
        records = make(self.counts[key])
        self.ids[key] = [r["id"] for r in records]
        return records


def generate(out_dir: Path | str, facts: int = 10_000, *, pages: int | None = None, seed: int = 0) -> dict[str, Any]:
    """Write synthetic data files into `out_dir`; return `records`, `files`, `bytes` and `counts`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gen = _Gen(plan(facts, pages), seed)
    files = written = records = 0
    for key in generation_order():
        items = gen.kind(key)
        records += len(items)
        for part, first in enumerate(range(0, len(items), CHUNK)):
            text = yaml.dump(
                {key: items[first : first + CHUNK]},
                Dumper=yaml.CSafeDumper,
                sort_keys=False,
                allow_unicode=True,
                width=100,
            )
            (out / f"{key}-{part + 1:03d}.yml").write_text(text, encoding="utf-8")
            files += 1
            written += len(text.encode("utf-8"))
    return {"records": records, "files": files, "bytes": written, "counts": dict(gen.counts)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--facts", type=int, default=10_000, help="records to write")
    parser.add_argument("--pages", type=int, help=f"generated pages (default: facts / {FACTS_PER_PAGE})")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    stats = generate(args.out_dir, args.facts, pages=args.pages, seed=args.seed)
    print(
        f"wrote {stats['records']} records in {stats['files']} files, {stats['bytes']:,} bytes "
        f"({stats['bytes'] // max(1, stats['records'])} bytes per record) to {args.out_dir}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
