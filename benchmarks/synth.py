"""Generate valid, cross-referenced synthetic data files for benchmarking the fact engine.

    .venv/bin/python benchmarks/synth.py OUT_DIR [--facts 10000] [--seed 0]

`generate(out_dir, facts)` writes `facts` records spread over several files, laid out as the real
`data/` folder may be: one file per kind, long kinds split into chunks. Every kind the engine
knows appears (sources, actors, topics, series, eras, events, positions, quotes, regional roles,
contested points, glossary, editions); every reference points at a record that exists, every
statement cites sources published on or before its date (an event or a quote on or before its
first report, since no source reports what has not happened), and text runs to realistic lengths
(about 500 bytes of YAML per record on average). The output is deterministic for a given seed.
It is fictional filler: names are invented and every URL is on example.org.
"""

from __future__ import annotations

import argparse
import bisect
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

# Share of each kind among the records (the rest of the count is topics, series, eras, editions).
SHARES = {
    "sources": 0.30,
    "events": 0.18,
    "quotes": 0.15,
    "positions": 0.14,
    "actors": 0.06,
    "contested": 0.05,
    "roles": 0.04,
    "glossary": 0.04,
}
CHUNK = 500  # records per file, at most
START, END = date(2024, 1, 1), date(2026, 2, 28)

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
_OUTLETS = ["wire", "paper", "times", "post", "herald", "agency", "radio", "monitor", "review"]
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
_FIRST = [
    "Ada",
    "Bram",
    "Cleo",
    "Dara",
    "Emil",
    "Fay",
    "Gus",
    "Hana",
    "Ivo",
    "Juno",
    "Kai",
    "Lena",
    "Milo",
    "Nia",
    "Otto",
    "Pia",
    "Quin",
    "Rhea",
    "Sol",
    "Tess",
    "Uma",
    "Vik",
]
_LAST = [
    "Arden",
    "Brook",
    "Crane",
    "Dale",
    "Ember",
    "Frost",
    "Glen",
    "Hale",
    "Ives",
    "Jett",
    "Knox",
    "Lark",
    "Moss",
    "North",
    "Oak",
    "Pike",
    "Reed",
    "Stone",
    "Thorn",
    "Vale",
]


class _Gen:
    def __init__(self, facts: int, seed: int):
        self.rng = random.Random(seed)
        self.facts = facts
        self.counts = {kind: max(1, int(facts * share)) for kind, share in SHARES.items()}
        self.counts["topics"] = max(3, min(60, facts // 200))
        self.counts["series"] = max(1, min(20, facts // 500))
        self.counts["eras"] = max(1, min(12, facts // 1000))
        self.counts["editions"] = max(1, min(40, facts // 250))
        self.counts["actors"] = max(4, self.counts["actors"])
        self.counts["contested"] = max(1, self.counts["contested"])
        self.counts["sources"] = max(2, self.counts["sources"])
        # the remainder goes to events, so the total is exactly `facts` when facts is large
        rest = facts - sum(self.counts.values())
        self.counts["events"] = max(1, self.counts["events"] + rest)
        self.ids: dict[str, list[str]] = {}
        self.source_dates: list[date] = []

    # -- text ------------------------------------------------------------------------------

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(_WORDS) for _ in range(self.rng.randint(low, high)))

    def sentence(self, low: int = 8, high: int = 20) -> str:
        text = self.words(low, high)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def day(self) -> date:
        return START + timedelta(days=self.rng.randrange((END - START).days + 1))

    def cite(self, on_or_before: date, low: int = 1, high: int = 3) -> list[str]:
        """Ids of sources published on or before the day (the earliest ones if none are)."""
        last = bisect.bisect_right(self.source_dates, on_or_before) or 1
        ids = self.ids["sources"]
        return sorted({ids[self.rng.randrange(last)] for _ in range(self.rng.randint(low, high))})

    def reported(self, day: date, low: int = 1, high: int = 3) -> tuple[date, list[str]]:
        """Sources as `cite` picks them, and the day of the first of them: an event or a quote
        happened on or before its first report."""
        ids = self.cite(day, low, high)
        return min(date.fromisoformat("-".join(i.rsplit("-", 4)[1:4])) for i in ids), ids

    def pick(self, kind: str, low: int, high: int) -> list[str]:
        pool = self.ids[kind]
        return sorted({self.rng.choice(pool) for _ in range(self.rng.randint(low, high))})

    # -- kinds -----------------------------------------------------------------------------

    def sources(self) -> list[dict[str, Any]]:
        days = sorted(self.day() for _ in range(self.counts["sources"]))
        records = []
        for n, day in enumerate(days):
            outlet = self.rng.choice(_OUTLETS)
            sid = f"src-{outlet}-{day.isoformat()}-{n}"
            record: dict[str, Any] = {
                "id": sid,
                "publisher": f"Example {outlet.title()}",
                "title": self.sentence(6, 12).rstrip("."),
                "url": f"https://example.org/{outlet}/{day.year}/{day.month:02d}/{sid}",
                "published": day.isoformat(),
                "accessed": min(day + timedelta(days=3), END).isoformat(),
                "kind": self.rng.choice(_SOURCE_KINDS),
            }
            if n % 7 == 0:
                record["archive_url"] = f"https://archive.example.org/web/{sid}"
            if n % 11 == 0:
                record["reliability"] = self.sentence(6, 12)
            records.append(record)
        self.ids["sources"] = [r["id"] for r in records]
        self.source_dates = days
        return records

    def topics(self) -> list[dict[str, Any]]:
        records = [
            {
                "id": f"topic-{n}",
                "name": self.words(1, 3).title(),
                "question": self.sentence(6, 12).rstrip(".") + "?",
                "order": n,
            }
            for n in range(self.counts["topics"])
        ]
        self.ids["topics"] = [r["id"] for r in records]
        return records

    def series(self) -> list[dict[str, Any]]:
        records = [{"id": f"series-{n}", "name": f"Round of talks {n}"} for n in range(self.counts["series"])]
        self.ids["series"] = [r["id"] for r in records]
        return records

    def eras(self) -> list[dict[str, Any]]:
        records = []
        for n in range(self.counts["eras"]):
            year = 1950 + 6 * n
            records.append(
                {"id": f"era-{n}", "title": self.words(2, 5).title(), "start": str(year), "end": f"{year + 5}-12"}
            )
        return records

    def actors(self) -> list[dict[str, Any]]:
        count = self.counts["actors"]
        states = max(2, count // 10)
        records = []
        for n in range(count):
            is_state = n < states
            name = f"State {n}" if is_state else f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)} {n}"
            day = self.day()
            record: dict[str, Any] = {
                "id": f"state-{n}" if is_state else f"person-{n}",
                "name": name,
                "kind": "state" if is_state else "person",
                "summary": self.paragraph(2),
                "sources": self.cite(day),
            }
            if is_state and n < 3:
                record["party"] = True
            if not is_state:
                state = f"state-{self.rng.randrange(states)}"
                record["affiliation"] = state
                record["aliases"] = [f"{name.split()[0][0]}. {name.split()[1]}"]
                record["roles"] = [
                    {
                        "title": self.words(1, 3).title(),
                        "of": state,
                        "from": f"{day.year}-{day.month:02d}",
                        "sources": self.cite(day, 1, 1),
                    }
                ]
            records.append(record)
        self.ids["actors"] = [r["id"] for r in records]
        self.ids["states"] = [r["id"] for r in records if r["kind"] == "state"]
        self.ids["people"] = [r["id"] for r in records if r["kind"] == "person"] or self.ids["states"]
        return records

    def events(self) -> list[dict[str, Any]]:
        records = []
        for n in range(self.counts["events"]):
            day, cited = self.reported(self.day())
            record: dict[str, Any] = {
                "id": f"evt-{day.isoformat()}-{n}",
                "date": day.isoformat(),
                "title": self.sentence(4, 9).rstrip("."),
                "summary": self.paragraph(3),
                "participants": self.pick("actors", 1, 4),
                "topics": self.pick("topics", 0, 2),
                "sources": cited,
            }
            if n % 5 == 0:
                record["series"] = self.rng.choice(self.ids["series"])
                record["place"] = f"Capital {n % 13}"
            if n % 17 == 0:
                record["key"] = True
            records.append(record)
        return records

    def quotes(self) -> list[dict[str, Any]]:
        records = []
        for n in range(self.counts["quotes"]):
            day, cited = self.reported(self.day(), 1, 2)
            record: dict[str, Any] = {
                "id": f"q-{day.isoformat()}-{n}",
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
        self.ids["quotes"] = [r["id"] for r in records]
        self.quote_days = {r["id"]: r["date"] for r in records}
        return records

    def positions(self) -> list[dict[str, Any]]:
        records = []
        stances = ["demands", "rejects", "conditional", "unclear"]
        for n in range(self.counts["positions"]):
            day = self.day()
            record: dict[str, Any] = {
                "id": f"pos-{n}-{day.isoformat()}",
                "actor": self.rng.choice(self.ids["states"]),
                "topic": self.rng.choice(self.ids["topics"]),
                "date": day.isoformat(),
                "stance": self.rng.choice(stances),
                "summary": self.paragraph(2),
                "sources": self.cite(day),
            }
            kind = ("demands", "red_lines", "flexibility")[n % 3]
            record[kind] = [self.words(3, 8) for _ in range(self.rng.randint(1, 3))]
            if n % 3 == 0:
                record["quotes"] = self.pick("quotes", 1, 2)
            records.append(record)
        return records

    def roles(self) -> list[dict[str, Any]]:
        kinds = ["host", "mediator", "party", "interested-party", "belligerent", "inspector"]
        records = []
        for n in range(self.counts["roles"]):
            day = self.day()
            record: dict[str, Any] = {
                "id": f"role-{n}-{day.year}-{day.month:02d}",
                "actor": self.rng.choice(self.ids["states"]),
                "role": self.rng.choice(kinds),
                "date": f"{day.year}-{day.month:02d}",
                "did": self.paragraph(2),
                "wants": self.sentence(),
                "sources": self.cite(day),
            }
            records.append(record)
        return records

    def contested(self) -> list[dict[str, Any]]:
        records = []
        for n in range(self.counts["contested"]):
            day = self.day()
            claims = [
                {"by": self.pick("states", 1, 2), "claim": self.sentence(10, 24), "sources": self.cite(day, 1, 2)}
                for _ in range(self.rng.randint(2, 3))
            ]
            record: dict[str, Any] = {
                "id": f"cp-{n}",
                "question": self.sentence(6, 12).rstrip(".") + "?",
                "date": day.isoformat(),
                "claims": claims,
                "topics": self.pick("topics", 0, 2),
                "sources": sorted({s for c in claims for s in c["sources"]}),
            }
            if n % 4 == 0:
                record["status"] = "resolved"
                record["resolution"] = self.sentence()
            records.append(record)
        return records

    def glossary(self) -> list[dict[str, Any]]:
        return [
            {
                "id": f"term-{n}",
                "term": self.words(1, 3).title(),
                "definition": self.paragraph(2),
                "sources": self.cite(END, 1, 1),
            }
            for n in range(self.counts["glossary"])
        ]

    def editions(self) -> list[dict[str, Any]]:
        count = self.counts["editions"]
        step = max(1, (END - START).days // count)
        records = []
        for n in range(count):
            day = START + timedelta(days=step * (n + 1))
            records.append(
                {
                    "id": f"{day.isoformat()}-{n}",
                    "cutoff": day.isoformat(),
                    "title": self.sentence(3, 6).rstrip("."),
                    "summary": self.sentence(10, 20),
                }
            )
        return records


# The order matters: a kind's generator refers to the ids made by the kinds before it.
_ORDER = (
    "sources",
    "topics",
    "series",
    "eras",
    "actors",
    "events",
    "quotes",
    "positions",
    "roles",
    "contested",
    "glossary",
    "editions",
)


def generate(out_dir: Path | str, facts: int = 10_000, *, seed: int = 0) -> dict[str, Any]:
    """Write synthetic data files into `out_dir`; return counts (`records`, `files`, `bytes`)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gen = _Gen(facts, seed)
    files = written = records = 0
    for kind in _ORDER:
        items = getattr(gen, kind)()
        records += len(items)
        for part, first in enumerate(range(0, len(items), CHUNK)):
            text = yaml.dump(
                {kind: items[first : first + CHUNK]},
                Dumper=yaml.CSafeDumper,
                sort_keys=False,
                allow_unicode=True,
                width=100,
            )
            (out / f"{kind}-{part + 1:03d}.yml").write_text(text, encoding="utf-8")
            files += 1
            written += len(text.encode("utf-8"))
    return {"records": records, "files": files, "bytes": written}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--facts", type=int, default=10_000, help="records to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    stats = generate(args.out_dir, args.facts, seed=args.seed)
    print(
        f"wrote {stats['records']} records in {stats['files']} files, {stats['bytes']:,} bytes "
        f"({stats['bytes'] // max(1, stats['records'])} bytes per record) to {args.out_dir}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
