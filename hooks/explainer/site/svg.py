"""Pictures drawn at build time as inline SVG: the eras of the timeline and how positions moved.

Every picture is a `<figure>` whose SVG has a title and a description, whose marks are links a
keyboard reaches, with a table or list beside it that says the same in words. Colours come from
the stylesheet (classes, CSS variables), so pictures follow the light and dark palettes and
print; nothing is fetched. Built with `html()`, so text from data is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..facts.models import Stance
from .markup import EMPTY, html, join

STANCE_SYMBOLS = {Stance.DEMANDS: "▲", Stance.REJECTS: "✕", Stance.CONDITIONAL: "◐", Stance.UNCLEAR: "?"}


def _n(value: float) -> str:
    """A coordinate, short: at most one decimal."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# -- the eras ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EraBar:
    """One era of the timeline picture."""

    number: int
    title: str
    dates: str
    events: int
    href: str


def era_chart(ident: str, bars: Sequence[EraBar], caption: Markup) -> Markup:
    """A strip of eras, each as wide as the events it holds (every era at least a minimum, so a
    one-event era stays a target), numbered; each a link to its era."""
    width, height, gap, floor = 1000.0, 64.0, 4.0, 34.0
    total = sum(b.events for b in bars) or 1
    room = width - gap * (len(bars) - 1) - floor * len(bars)
    x = 0.0
    marks = []
    for bar in bars:
        w = floor + room * bar.events / total
        marks.append(
            html(
                '<a href="{}" class="era-mark era-tone-{}"><title>{}. {}, {}: {}</title>'
                '<rect x="{}" y="0" width="{}" height="{}" rx="3"/>'
                '<text x="{}" y="{}" text-anchor="middle">{}</text></a>',
                bar.href,
                (bar.number - 1) % 6,
                bar.number,
                bar.title,
                bar.dates,
                f"{bar.events} event{'s' if bar.events != 1 else ''}",
                _n(x),
                _n(w),
                _n(height),
                _n(x + w / 2),
                _n(height / 2 + 9),
                bar.number,
            )
        )
        x += w + gap
    return html(
        '<figure class="chart era-chart" id="{0}"><svg viewBox="0 0 {1} {2}" role="group" '
        'aria-labelledby="{0}-title" aria-describedby="{0}-desc" preserveAspectRatio="xMidYMid meet">'
        '<title id="{0}-title">The eras of the story</title>'
        '<desc id="{0}-desc">{3} eras, numbered in date order; each is as wide as the number of events it '
        "holds in this edition. The list below names them.</desc>{4}</svg>"
        "<figcaption>{5}</figcaption></figure>",
        ident,
        _n(width),
        _n(height),
        len(bars),
        join(marks),
        caption,
    )


# -- how positions moved ----------------------------------------------------------------------


@dataclass(frozen=True)
class StancePoint:
    """One dated position of a party, as the chart shows it."""

    slot: int
    stance: Stance
    date: str
    summary: str
    href: str


@dataclass(frozen=True)
class StanceLane:
    """One party's positions on a topic, in date order."""

    party: str
    points: Sequence[StancePoint]


def stance_chart(ident: str, title: str, dates: Sequence[str], lanes: Sequence[StanceLane]) -> Markup:
    """Each party's stance on one topic over time: a lane per party, a point per position
    (symbol and colour of its stance), in date order, evenly spaced; each point links to the
    position. `dates` are the slots' dates, first to last."""
    width, lane_h, top, left, right = 400.0, 44.0, 6.0, 16.0, 16.0
    slots = max(len(dates), 1)
    step = (width - left - right) / max(slots - 1, 1)

    def x_of(slot: int) -> float:
        return left + (step * slot if slots > 1 else (width - left - right) / 2)

    rows = []
    for index, lane in enumerate(lanes):
        y = top + index * lane_h + 28
        marks = []
        for before, after in zip(lane.points, lane.points[1:], strict=False):
            marks.append(
                html(
                    '<line class="stance-line stance-{}" x1="{}" y1="{}" x2="{}" y2="{}"/>',
                    before.stance,
                    _n(x_of(before.slot)),
                    _n(y),
                    _n(x_of(after.slot)),
                    _n(y),
                )
            )
        for point in lane.points:
            cx = x_of(point.slot)
            marks.append(
                html(
                    '<a href="{}" class="stance-point stance-{}"><title>{}, {}: {}. {}</title>'
                    '<circle cx="{}" cy="{}" r="9"/><text x="{}" y="{}" text-anchor="middle">{}</text></a>',
                    point.href,
                    point.stance,
                    lane.party,
                    point.date,
                    point.stance.value.capitalize(),
                    point.summary,
                    _n(cx),
                    _n(y),
                    _n(cx),
                    _n(y + 4),
                    STANCE_SYMBOLS[point.stance],
                )
            )
        rows.append(
            html(
                '<g class="stance-lane"><text class="lane-label" x="{}" y="{}">{}</text>{}</g>',
                _n(left - 8),
                _n(y - 14),
                lane.party,
                join(marks),
            )
        )
    height = top + len(lanes) * lane_h + 18
    axis = EMPTY
    if len(dates) == 1:
        axis = html(
            '<text class="axis-label" x="{}" y="{}" text-anchor="middle">{}</text>',
            _n(x_of(0)),
            _n(height - 4),
            dates[0],
        )
    elif dates:
        axis = html(
            '<text class="axis-label" x="{}" y="{}">{}</text><text class="axis-label" x="{}" y="{}" '
            'text-anchor="end">{}</text>',
            _n(left - 8),
            _n(height - 4),
            dates[0],
            _n(width - right + 8),
            _n(height - 4),
            dates[-1],
        )
    return html(
        '<svg class="stance-chart" viewBox="0 0 {1} {2}" role="group" aria-labelledby="{0}-title" '
        'aria-describedby="{0}-desc"><title id="{0}-title">{3}</title><desc id="{0}-desc">Each party\'s '
        "stated positions in date order, evenly spaced, not to time scale; each point links to the "
        "position.</desc>{4}{5}</svg>",
        ident,
        _n(width),
        _n(height),
        title,
        join(rows),
        axis,
    )
