"""The map of the region on Regional roles: each country coloured by its actor's role in this
edition, linking to that actor's section; drawn at build time as inline SVG.

The shapes (geo/region.json) are Natural Earth's public-domain boundaries, clipped, projected
and simplified by scripts/make_map.py from the npm package world-atlas; nothing is fetched.
Which country is which actor is said here, by ISO 3166-1 numeric code, for the actors of
data/actors that are states; actors the map cannot show (far away, or not a state) are listed
beside it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..facts.models import RoleKind
from .markup import EMPTY, folded, html, join

GEO = Path(__file__).with_name("geo") / "region.json"

COUNTRY_OF = {
    "iran": "364",
    "oman": "512",
    "qatar": "634",
    "uae": "784",
    "saudi-arabia": "682",
    "egypt": "818",
    "turkiye": "792",
    "israel": "376",
    "russia": "643",
    "united-states": "840",
    "china": "156",
}
"""Actor id (data/actors/states-and-organisations.yml) → ISO 3166-1 numeric code of its country."""

SHORT_NAMES = {"uae": "UAE"}
"""Names too long for the map's label; the link's name and the table keep the full name."""

PARTY = "party"
ROLE_ORDER = [PARTY, *(r.value for r in RoleKind if r.value != PARTY)]
"""The legend's order: the parties first, then the roles as data/roles.yml names them."""


@cache
def region() -> dict[str, Any]:
    """The committed shapes: {"size": [w, h], "countries": {iso: {"name", "d", "label"?, "anchor"?}}}."""
    data: dict[str, Any] = json.loads(GEO.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class Placed:
    """An actor as the map shows it."""

    actor: str
    name: str
    role: str
    """Its role in this edition: 'party', or its most recent regional role."""
    role_words: str
    href: str
    all_roles: str
    """Every role it had, in words, for the table."""


def region_map(placed: Sequence[Placed], legend_names: dict[str, str]) -> Markup:
    """The map, its legend, the actors it cannot show, and the same as a table."""
    geo = region()
    width, height = geo["size"]
    countries: dict[str, Any] = geo["countries"]
    by_iso = {COUNTRY_OF[p.actor]: p for p in placed if COUNTRY_OF.get(p.actor) in countries}
    context = join(html('<path d="{}"/>', shape["d"]) for iso, shape in countries.items() if iso not in by_iso)
    marks, labels = [], []
    for iso, shape in countries.items():
        who = by_iso.get(iso)
        if who is None:
            continue
        marks.append(
            html(
                '<a href="{0}" class="map-country role-{1}" aria-label="{2}: {3}"><title>{2}: {3}</title>'
                '<path d="{4}"/></a>',
                who.href,
                who.role,
                who.name,
                who.role_words,
                shape["d"],
            )
        )
        lx, ly = shape.get("label") or shape.get("anchor") or (0, 0)
        leader = EMPTY
        if "anchor" in shape:
            ax, ay = shape["anchor"]
            leader = html('<line class="map-leader" x1="{}" y1="{}" x2="{}" y2="{}"/>', lx, ly - 14, ax, ay)
        labels.append(
            html(
                '{}<text x="{}" y="{}" text-anchor="middle"><tspan class="map-name">{}</tspan>'
                '<tspan class="map-role" x="{}" dy="1.1em">{}</tspan></text>',
                leader,
                lx,
                ly,
                SHORT_NAMES.get(who.actor, who.name),
                lx,
                who.role_words,
            )
        )
    shown = set(by_iso.values())
    beyond = [p for p in placed if p not in shown]
    used = [r for r in ROLE_ORDER if any(p.role == r for p in placed)]
    legend = join(
        html('<li><span class="map-swatch role-{}" aria-hidden="true"></span> {}</li>', r, legend_names[r])
        for r in used
    )
    svg = html(
        '<svg viewBox="0 0 {0} {1}" role="group" aria-labelledby="region-map-title" aria-describedby="region-map-desc">'
        '<title id="region-map-title">Who does what in the region</title>'
        '<desc id="region-map-desc">A map from Egypt and Türkiye to Iran and Oman. Each country with a role in '
        "the talks is coloured by its role in this edition and named with it; each links to its section "
        "below. The table after the map says the same.</desc>"
        '<rect class="map-sea" width="{0}" height="{1}"/><g class="map-land" aria-hidden="true">{2}</g>{3}'
        '<g class="map-labels" aria-hidden="true">{4}</g></svg>',
        width,
        height,
        context,
        join(marks),
        join(labels),
    )
    rows = join(
        html(
            '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td></tr>',
            p.href,
            p.name,
            p.role_words,
            p.all_roles,
        )
        for p in placed
    )
    table = html(
        '<table class="map-table"><thead><tr><th scope="col">Actor</th><th scope="col">Role in this edition</th>'
        '<th scope="col">Every role in our sources</th></tr></thead><tbody>{}</tbody></table>',
        rows,
    )
    beyond_list = (
        html(
            '<p class="map-beyond"><strong>Beyond the map:</strong> {}.</p>',
            join((html('<a href="{}">{}</a> ({})', p.href, p.name, p.role_words) for p in beyond), "; "),
        )
        if beyond
        else EMPTY
    )
    return html(
        '<div class="region-map" data-search-exclude><figure class="chart map-figure" id="region-map">{}'
        "<figcaption>Each country is coloured by its actor's role in this edition: a party to the talks, "
        "or its most recent regional role. Boundaries: Natural Earth (public domain), de facto, simplified; "
        'for orientation only.</figcaption></figure><ul class="map-legend" aria-label="Legend">{}</ul>{}{}</div>',
        svg,
        legend,
        beyond_list,
        folded("The map as a table", table, "chart-table"),
    )
