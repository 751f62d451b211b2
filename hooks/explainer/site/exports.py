"""Each edition's downloads: every fact as JSON, its JSON Schema, and the Atom feed."""

from __future__ import annotations

import json
from datetime import date
from operator import attrgetter
from xml.sax.saxutils import escape as xml_escape

from ..facts.factbase import FactBase
from ..facts.models import DataFile, Edition

EXPORT_SCHEMA_VERSION = "1.0"


class FactsExport(DataFile):
    """The `data/facts.json` download: every fact of one edition, kind by kind as in data files."""

    schema_version: str
    edition: Edition | None


def facts_export(facts: FactBase, edition: Edition | None) -> str:
    """The edition's facts as JSON, records sorted by id within each kind."""
    kinds = {kind: sorted(table.values(), key=attrgetter("id")) for kind, table in facts.records.items()}
    export = FactsExport(schema_version=EXPORT_SCHEMA_VERSION, edition=edition, **kinds)
    return export.model_dump_json(by_alias=True, indent=1) + "\n"


def export_schema() -> str:
    """JSON Schema of `data/facts.json`."""
    schema = FactsExport.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=1, sort_keys=True) + "\n"


def atom_feed(base: FactBase, upto: date, site_title: str, site_url: str | None) -> str:
    """An Atom feed: an entry per edition up to `upto` and per correction made by then."""
    entries: list[tuple[str, str]] = []
    for edition in base.editions:
        if edition.cutoff.start > upto:
            continue
        day = edition.cutoff.end.isoformat()
        entries.append(
            (
                day,
                _entry(
                    f"edition/{edition.id}",
                    f"Edition of {edition.cutoff.human()}: {edition.title}",
                    day,
                    edition.summary,
                    f"../{edition.id}/",
                ),
            )
        )
    for table in base.records.values():
        for rid, record in table.items():
            for n, correction in enumerate(getattr(record, "corrections", ())):
                if correction.date.start > upto:
                    continue
                day = correction.date.end.isoformat()
                entries.append(
                    (
                        day,
                        _entry(
                            f"correction/{rid}/{n}",
                            f"Correction: {correction.change}",
                            day,
                            f"{correction.change} Why: {correction.reason} (record {rid})",
                            None,
                        ),
                    )
                )
    entries.sort(key=lambda e: e[0], reverse=True)
    updated = entries[0][0] if entries else upto.isoformat()
    self_link = f'\n  <link rel="alternate" href="{xml_escape(site_url)}"/>' if site_url else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <id>tag:explainer.invalid,2026:feed</id>\n"
        f"  <title>{xml_escape(site_title)}: editions and corrections</title>\n"
        f"  <updated>{updated}T00:00:00Z</updated>{self_link}\n"
        "  <author><name>The explainer's editors</name></author>\n" + "".join(e[1] for e in entries) + "</feed>\n"
    )


def _entry(tag: str, title: str, day: str, summary: str, href: str | None) -> str:
    link = f'    <link rel="alternate" href="{xml_escape(href)}"/>\n' if href else ""
    return (
        "  <entry>\n"
        f"    <id>tag:explainer.invalid,2026:{xml_escape(tag)}</id>\n"
        f"    <title>{xml_escape(title)}</title>\n"
        f"    <updated>{day}T00:00:00Z</updated>\n{link}"
        f"    <summary>{xml_escape(summary)}</summary>\n"
        "  </entry>\n"
    )
