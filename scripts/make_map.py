"""Regenerate the region map's shapes: hooks/explainer/site/geo/region.json.

    python scripts/make_map.py        # needs node_modules (npm ci): world-atlas's countries-50m.json

Boundaries are Natural Earth's (public domain) as packaged by the npm `world-atlas` package
(TopoJSON, 1:50m). This script decodes the TopoJSON, clips each country to the map's box,
projects it (equirectangular, scaled for the box's middle latitude), simplifies it
(Douglas-Peucker) and writes compact SVG paths, rounded to whole units, with a label position
per country that the site may link. Standard library only; the output is committed, so building
the site needs neither node nor this script.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
OUTPUT = ROOT / "hooks" / "explainer" / "site" / "geo" / "region.json"

WEST, EAST, SOUTH, NORTH = 24.0, 64.0, 12.0, 42.3
"""The map's box in degrees: Egypt and Türkiye to Iran, the Gulf and Oman."""
WIDTH = 800
TOLERANCE = 0.7
"""Douglas-Peucker tolerance in output units (1 unit = 1/800 of the map's width)."""

LABELS = {
    # ISO 3166-1 numeric: (label lon, lat), (anchor lon, lat) where the label's leader line ends
    "364": ((54.0, 33.2), None),  # Iran
    "512": ((55.4, 18.7), None),  # Oman
    "634": ((59.8, 19.9), (51.2, 25.3)),  # Qatar
    "784": ((59.8, 16.9), (54.3, 23.9)),  # United Arab Emirates
    "682": ((44.5, 24.0), None),  # Saudi Arabia
    "818": ((29.6, 26.4), None),  # Egypt
    "792": ((34.5, 39.2), None),  # Türkiye
    "376": ((29.0, 34.3), (34.9, 31.3)),  # Israel
    "643": ((52.0, 41.2), (47.6, 41.9)),  # Russia
}
"""Where each country that an actor in the data may be sits its label; small ones off-shore."""


def decode(topology: dict) -> tuple[list[list[tuple[float, float]]], dict]:
    """The arcs in degrees, and the countries' geometries."""
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs, topology["objects"]["countries"]


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def clip(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sutherland-Hodgman against the map's box."""
    edges = [
        (lambda p: p[0] >= WEST, lambda a, b: _at_x(a, b, WEST)),
        (lambda p: p[0] <= EAST, lambda a, b: _at_x(a, b, EAST)),
        (lambda p: p[1] >= SOUTH, lambda a, b: _at_y(a, b, SOUTH)),
        (lambda p: p[1] <= NORTH, lambda a, b: _at_y(a, b, NORTH)),
    ]
    for inside, cross in edges:
        if not points:
            break
        out = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(cross(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(cross(previous, current))
        points = out
    return points


def _at_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


K = math.cos(math.radians((SOUTH + NORTH) / 2))
SCALE = WIDTH / ((EAST - WEST) * K)
HEIGHT = round((NORTH - SOUTH) * SCALE)


def project(lon: float, lat: float) -> tuple[float, float]:
    return ((lon - WEST) * K * SCALE, (NORTH - lat) * SCALE)


def simplify_ring(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """A closed ring simplified: split at the point farthest from its first, each half in turn."""
    if len(points) < 4:
        return points
    x0, y0 = points[0]
    far = max(range(len(points)), key=lambda i: (points[i][0] - x0) ** 2 + (points[i][1] - y0) ** 2)
    return simplify(points[: far + 1], tolerance)[:-1] + simplify(points[far:], tolerance)


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker of an open line, iterative."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay) or 1e-9
        worst, at = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > worst:
                worst, at = distance, i
        if worst > tolerance and at > 0:
            keep[at] = True
            stack += [(first, at), (at, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def area(points: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))) / 2


def path(rings: list[list[tuple[float, float]]]) -> str:
    """Rings as a compact SVG path: whole units, relative moves."""
    parts = []
    for points in rings:
        coords = [(round(x), round(y)) for x, y in points]
        deduped = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
        if len(deduped) < 3:
            continue
        x0, y0 = deduped[0]
        numbers = []
        for (xa, ya), (xb, yb) in zip(deduped, deduped[1:], strict=False):
            numbers += [xb - xa, yb - ya]
        parts.append(f"M{x0} {y0}l{_numbers(numbers)}z")
    return "".join(parts)


def _numbers(values: list[int]) -> str:
    """Numbers for an SVG path, separated only where needed (a minus sign separates)."""
    text = ""
    for value in values:
        text += str(value) if (value < 0 or not text) else f" {value}"
    return text


def main() -> None:
    arcs, countries = decode(json.loads(SOURCE.read_text(encoding="utf-8")))
    shapes = {}
    for geometry in countries["geometries"]:
        iso = geometry.get("id")
        if not iso or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = []
        for polygon in polygons:
            for indexes in polygon:
                clipped = clip(ring(arcs, indexes))
                if len(clipped) < 3:
                    continue
                projected = simplify_ring([project(*p) for p in clipped], TOLERANCE)
                if area(projected) >= 2.0:
                    rings.append(projected)
        if rings:
            entry: dict[str, object] = {"name": geometry["properties"]["name"], "d": path(rings)}
            if iso in LABELS:
                label, anchor = LABELS[iso]
                entry["label"] = [round(v) for v in project(*label)]
                if anchor:
                    entry["anchor"] = [round(v) for v in project(*anchor)]
            shapes[iso] = entry
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "source": "Natural Earth 1:50m (public domain), from the npm package world-atlas "
        f"{json.loads((SOURCE.parent / 'package.json').read_text())['version']}; clipped, projected and "
        "simplified by scripts/make_map.py",
        "box": [WEST, SOUTH, EAST, NORTH],
        "size": [WIDTH, HEIGHT],
        "countries": dict(sorted(shapes.items())),
    }
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(shapes)} countries, {OUTPUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
