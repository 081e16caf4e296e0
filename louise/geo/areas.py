"""A zone's area: a GeoJSON Polygon or MultiPolygon (positions in lon/lat order), checked
strictly when an operator draws or imports one, and the test whether a point lies inside.

No GIS library: a town's zones are a handful of polygons of at most a few thousand
positions, and ray casting on longitude/latitude as plane coordinates is exact enough at a
town's scale. A point on the border counts as inside, so an address on the street that
bounds a zone is served rather than refused.
"""

import json
import math
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

from louise.core.errors import Invalid
from louise.core.german import number

AREA_TYPES = ("Polygon", "MultiPolygon")
MAX_POSITIONS = 20_000  # a district traced street by street stays far below
MAX_TEXT = 2 * 1024 * 1024  # the same in bytes of GeoJSON, with room for properties
DIGITS = 7  # about a centimetre: more is noise from the drawing tool
EPSILON = 1e-9  # degrees: "on the border" after rounding to DIGITS

Ring = list[list[float]]
Polygon = list[Ring]


def _refuse(message: str) -> Invalid:
    return Invalid(message, field="area", code="area_invalid")


def area_from_text(text: str) -> dict[str, Any]:
    """An area from pasted or uploaded GeoJSON text: a Feature, a FeatureCollection with one
    feature, or a bare geometry. Returns the checked geometry (see `area_check`)."""
    if len(text) > MAX_TEXT:
        raise _refuse("Die GeoJSON-Datei ist zu groß (höchstens 2 MB).")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refuse(f"Das ist kein gültiges GeoJSON: JSON-Fehler in Zeile {exc.lineno}, "
                      f"Spalte {exc.colno}.") from exc
    return area_check(_geometry_of(value))


def _geometry_of(value: Any) -> Any:
    """The geometry inside a Feature or a one-feature FeatureCollection."""
    if not isinstance(value, dict):
        raise _refuse("GeoJSON muss ein Objekt mit „type“ sein, z. B. ein Polygon.")
    kind = value.get("type")
    if kind == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or len(features) != 1:
            count = len(features) if isinstance(features, list) else 0
            raise _refuse("Die FeatureCollection muss genau eine Fläche enthalten, sie "
                          f"enthält {count}.")
        value = features[0]
        if not isinstance(value, dict):
            raise _refuse("Das Feature der FeatureCollection ist kein Objekt.")
        kind = value.get("type")
    if kind == "Feature":
        geometry = value.get("geometry")
        if geometry is None:
            raise _refuse("Das Feature hat keine Geometrie.")
        return geometry
    return value


def area_check(geometry: Any) -> dict[str, Any]:
    """The geometry as it is stored (two coordinates per position, rounded to `DIGITS`),
    or `Invalid` naming the first problem: not a polygon, a ring of fewer than four
    positions or not closed, a coordinate that is no number or out of range."""
    if not isinstance(geometry, dict):
        raise _refuse("Die Geometrie muss ein Objekt mit „type“ und „coordinates“ sein.")
    kind = geometry.get("type")
    if kind not in AREA_TYPES:
        raise _refuse(f"Das ist keine Fläche: GeoJSON-Typ „{str(kind)[:40]}“. Erlaubt sind "
                      "Polygon und MultiPolygon (oder ein Feature mit einem davon).")
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise _refuse(f"Das {kind} hat keine Koordinaten.")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    checked = [_polygon(polygon, n if kind == "MultiPolygon" else 0)
               for n, polygon in enumerate(polygons, start=1)]
    if sum(len(ring) for polygon in checked for ring in polygon) > MAX_POSITIONS:
        raise _refuse(f"Die Fläche hat zu viele Punkte (höchstens {number(MAX_POSITIONS)}).")
    return {"type": kind, "coordinates": checked[0] if kind == "Polygon" else checked}


def _polygon(rings: Any, number: int) -> Polygon:
    where = f"Fläche {number}: " if number else ""
    if not isinstance(rings, list) or not rings:
        raise _refuse(f"{where}Ein Polygon ist eine Liste von Ringen (Außenrand zuerst).")
    return [_ring(ring, f"{where}Ring {n}") for n, ring in enumerate(rings, start=1)]


def _ring(ring: Any, where: str) -> Ring:
    if not isinstance(ring, list) or len(ring) < 4:
        raise _refuse(f"{where} hat weniger als 4 Positionen (ein Dreieck braucht 3 Ecken "
                      "und den ersten Punkt noch einmal am Ende).")
    positions = [_position(p, f"{where}, Punkt {n}") for n, p in enumerate(ring, start=1)]
    if positions[0] != positions[-1]:
        raise _refuse(f"{where} ist nicht geschlossen: der letzte Punkt muss der erste sein.")
    if len({tuple(p) for p in positions}) < 3:
        raise _refuse(f"{where} hat keine Fläche (weniger als 3 verschiedene Punkte).")
    return positions


def _position(position: Any, where: str) -> list[float]:
    if (not isinstance(position, list) or len(position) not in (2, 3)
            or not all(isinstance(c, int | float) and not isinstance(c, bool)
                       and math.isfinite(c) for c in position)):
        raise _refuse(f"{where} ist keine Position [Länge, Breite].")
    lon, lat = position[0], position[1]
    if not -180 <= lon <= 180:
        raise _refuse(f"{where}: Länge {lon} liegt nicht zwischen -180 und 180.")
    if not -90 <= lat <= 90:
        raise _refuse(f"{where}: Breite {lat} liegt nicht zwischen -90 und 90.")
    return [round(float(lon), DIGITS), round(float(lat), DIGITS)]


def polygons_of(area: dict[str, Any]) -> list[Polygon]:
    """A stored area as a list of polygons (a Polygon is a list of one)."""
    return [area["coordinates"]] if area["type"] == "Polygon" else area["coordinates"]


def positions_of(area: dict[str, Any]) -> Iterable[Sequence[float]]:
    return (p for polygon in polygons_of(area) for ring in polygon for p in ring)


def area_bounds(area: dict[str, Any]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a stored area."""
    lons, lats = zip(*((p[0], p[1]) for p in positions_of(area)), strict=True)
    return min(lons), min(lats), max(lons), max(lats)


def area_contains(area: dict[str, Any], *, lat: float, lon: float) -> bool:
    """Whether the point lies in the area: inside an outer ring and not inside one of its
    holes; on a border (outer or hole) is inside."""
    west, south, east, north = area_bounds(area)
    if not (west - EPSILON <= lon <= east + EPSILON and south - EPSILON <= lat <= north + EPSILON):
        return False  # also every NaN
    return any(_polygon_contains(polygon, lon, lat) for polygon in polygons_of(area))


def _polygon_contains(polygon: Polygon, x: float, y: float) -> bool:
    outer, *holes = polygon
    if _on_border(outer, x, y):
        return True
    if not _ray_crossings_odd(outer, x, y):
        return False
    return all(_on_border(hole, x, y) or not _ray_crossings_odd(hole, x, y) for hole in holes)


def _ray_crossings_odd(ring: Ring, x: float, y: float) -> bool:
    """Ray casting to the east: an edge counts when it straddles the ray's height, with each
    edge taken as half-open in y so a ray through a vertex is counted once, not twice."""
    inside = False
    for (x1, y1), (x2, y2) in pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _on_border(ring: Ring, x: float, y: float) -> bool:
    for (x1, y1), (x2, y2) in pairwise(ring):
        if not (min(x1, x2) - EPSILON <= x <= max(x1, x2) + EPSILON
                and min(y1, y2) - EPSILON <= y <= max(y1, y2) + EPSILON):
            continue
        length = math.hypot(x2 - x1, y2 - y1)
        cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
        if length == 0 or abs(cross) / length <= EPSILON:
            return True
    return False


def convex_hull(points: Iterable[tuple[float, float]]) -> dict[str, Any] | None:
    """The smallest convex Polygon (lon/lat, as stored areas) around the points, or None
    when they span no area (fewer than three not on one line). Andrew's monotone chain."""
    ordered = sorted({(round(lon, DIGITS), round(lat, DIGITS)) for lon, lat in points})

    def turn(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    def half(run: list[tuple[float, float]]) -> list[tuple[float, float]]:
        chain: list[tuple[float, float]] = []
        for point in run:
            while len(chain) >= 2 and turn(chain[-2], chain[-1], point) <= 0:
                chain.pop()
            chain.append(point)
        return chain[:-1]

    ring = half(ordered) + half(ordered[::-1])
    if len(ring) < 3:
        return None
    return {"type": "Polygon",
            "coordinates": [[[lon, lat] for lon, lat in [*ring, ring[0]]]]}
