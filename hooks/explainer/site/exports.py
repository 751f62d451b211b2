"""Each edition's downloads: every fact as JSON, its JSON Schema, and the Atom feed."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from urllib.parse import urljoin

from ..facts.factbase import FactBase
from ..facts.models import DataFile, Edition
from .engine_memo import json_schema

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
    schema = json_schema(FactsExport, by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=1, sort_keys=True) + "\n"


ATOM = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold at all, even escaped."""


@dataclass(frozen=True)
class FeedEntry:
    tag: str
    title: str
    day: date
    summary: str
    link: str | None


def atom_feed(base: FactBase, upto: date, site_title: str, site_url: str | None) -> str:
    """An Atom feed, written by an XML writer: an entry per edition up to `upto` and per
    correction made by then. `site_url` is the address of the folder the feed is published in:
    on the published branch an edition's folder or `latest/`, so each edition's entry links to
    its sibling folder `../<edition>/`. With it, links are absolute and the feed names itself
    (`rel="self"`); without it, links are relative."""
    folder = site_url.rstrip("/") + "/" if site_url else None
    entries = [
        FeedEntry(
            f"edition/{e.id}",
            f"Edition of {e.cutoff.human()}: {e.title}",
            e.cutoff.end,
            e.summary,
            urljoin(folder or "", f"../{e.id}/"),
        )
        for e in base.editions
        if e.cutoff.start <= upto
    ]
    for table in base.records.values():
        for rid, record in table.items():
            for n, correction in enumerate(getattr(record, "corrections", ())):
                if correction.date.start <= upto:
                    summary = f"{correction.change} Why: {correction.reason} (record {rid})"
                    entries.append(
                        FeedEntry(
                            f"correction/{rid}/{n}",
                            f"Correction: {correction.change}",
                            correction.date.end,
                            summary,
                            None,
                        )
                    )
    entries.sort(key=lambda e: (e.day, e.tag), reverse=True)
    feed = ET.Element("feed", xmlns=ATOM)
    _text(feed, "id", "tag:explainer.invalid,2026:feed")
    _text(feed, "title", f"{site_title}: editions and corrections")
    _text(feed, "updated", _stamp(entries[0].day if entries else upto))
    if folder:
        ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=f"{folder}feed.xml")
        ET.SubElement(feed, "link", rel="alternate", type="text/html", href=folder)
    author = ET.SubElement(feed, "author")
    _text(author, "name", "The explainer's editors")
    for entry in entries:
        element = ET.SubElement(feed, "entry")
        _text(element, "id", f"tag:explainer.invalid,2026:{entry.tag}")
        _text(element, "title", entry.title)
        _text(element, "updated", _stamp(entry.day))
        if entry.link:
            ET.SubElement(element, "link", rel="alternate", href=entry.link)
        _text(element, "summary", entry.summary)
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=False).join(
        ['<?xml version="1.0" encoding="utf-8"?>\n', "\n"]
    )


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = _NOT_XML.sub("\ufffd", text)


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
