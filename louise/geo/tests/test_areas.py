"""A zone's area: which GeoJSON is accepted, and which points lie inside (ray casting)."""

import json
import math

import pytest

from louise.core.errors import Invalid
from louise.geo.areas import area_check, area_contains, area_from_text, convex_hull

# A 2 × 2 square with its corner at the origin; positions are [lon, lat].
SQUARE = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
SQUARE_AREA = {"type": "Polygon", "coordinates": [SQUARE]}
# The same square with a 1 × 1 hole in the middle.
HOLE = [[0.5, 0.5], [1.5, 0.5], [1.5, 1.5], [0.5, 1.5], [0.5, 0.5]]
WITH_HOLE = {"type": "Polygon", "coordinates": [SQUARE, HOLE]}
# A "U" open to the north: concave, so a ray from inside the notch crosses it twice.
U_SHAPE = {"type": "Polygon", "coordinates": [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1],
                                               [1, 3], [0, 3], [0, 0]]]}
# A diamond: its left and right corners sit at the height of the test points.
DIAMOND = {"type": "Polygon", "coordinates": [[[1, 0], [2, 1], [1, 2], [0, 1], [1, 0]]]}


def inside(area: dict, lon: float, lat: float) -> bool:
    return area_contains(area, lat=lat, lon=lon)


@pytest.mark.parametrize(("lon", "lat", "expected"), [
    (1, 1, True),  # the middle
    (3, 1, False), (-1, 1, False), (1, 3, False), (1, -1, False),  # on each side outside
    (0, 0, True), (2, 2, True),  # corners belong to the area
    (1, 0, True), (2, 1, True), (0, 1.5, True),  # edges too (horizontal and vertical)
    (2.000001, 1, False),  # just beyond the edge
    (1.999999, 1.999999, True),
])
def test_a_square(lon, lat, expected):
    assert inside(SQUARE_AREA, lon, lat) is expected


@pytest.mark.parametrize(("lon", "lat", "expected"), [
    (0.25, 0.25, True),  # in the ring around the hole
    (1, 1, False),  # in the hole
    (0.5, 1, True), (1.5, 1.5, True),  # on the hole's border: still the zone's street
])
def test_a_hole_is_outside_but_its_border_is_inside(lon, lat, expected):
    assert inside(WITH_HOLE, lon, lat) is expected


@pytest.mark.parametrize(("lon", "lat", "expected"), [
    (1.5, 2, False),  # in the notch: the ray crosses both arms
    (1.5, 0.5, True),  # below the notch
    (0.5, 2, True), (2.5, 2, True),  # in the arms
    (1.5, 1, True),  # on the notch's floor
])
def test_a_concave_polygon(lon, lat, expected):
    assert inside(U_SHAPE, lon, lat) is expected


@pytest.mark.parametrize(("lon", "lat", "expected"), [
    (-0.5, 1, False),  # the ray runs through both side corners: counted once each
    (0.5, 1, True), (1.5, 1, True),
    (2.5, 1, False),
    (1, 2, True),  # the top corner itself
    (-1, 2, False),  # a ray level with the top corner only touches it
])
def test_rays_through_corners_are_counted_once(lon, lat, expected):
    assert inside(DIAMOND, lon, lat) is expected


def test_a_multipolygon_covers_each_of_its_parts():
    far_square = [[[p[0] + 10, p[1]] for p in SQUARE]]
    area = {"type": "MultiPolygon", "coordinates": [[SQUARE], far_square]}
    assert inside(area, 1, 1) and inside(area, 11, 1)
    assert not inside(area, 6, 1)


def test_a_position_that_is_no_number_is_outside():
    assert not inside(SQUARE_AREA, math.nan, 1)


def test_a_real_zone_in_lon_lat_order():
    # the Altmarkt in Bottrop lies in a small box around it; latitude and longitude swapped
    # do not
    box = {"type": "Polygon", "coordinates": [[[6.92, 51.52], [6.94, 51.52], [6.94, 51.53],
                                               [6.92, 51.53], [6.92, 51.52]]]}
    assert area_contains(box, lat=51.5236, lon=6.9285)
    assert not area_contains(box, lat=6.9285, lon=51.5236)


def test_a_feature_a_collection_and_a_bare_geometry_are_read_alike():
    feature = {"type": "Feature", "properties": {"name": "Mitte"}, "geometry": SQUARE_AREA}
    collection = {"type": "FeatureCollection", "features": [feature]}
    for value in (SQUARE_AREA, feature, collection):
        assert area_from_text(json.dumps(value)) == {
            "type": "Polygon", "coordinates": [[[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0],
                                                [0.0, 0.0]]]}


def test_heights_are_dropped_and_positions_rounded():
    ring = [[6.123456789, 51.1, 80], [6.2, 51.1, 80], [6.2, 51.2, 80], [6.123456789, 51.1, 80]]
    stored = area_check({"type": "Polygon", "coordinates": [ring]})
    assert stored["coordinates"][0][0] == [6.1234568, 51.1]


@pytest.mark.parametrize(("text", "says"), [
    ('{"type": "Polygon", "coordinates": [[[0,0],[1,0]', "JSON-Fehler in Zeile 1"),
    ("[1, 2]", "Objekt"),
    ('{"type": "Point", "coordinates": [6.9, 51.5]}', "keine Fläche: GeoJSON-Typ „Point“"),
    ('{"type": "LineString", "coordinates": [[0,0],[1,1]]}', "keine Fläche"),
    ('{"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}}',
     "keine Fläche"),
    ('{"type": "Feature", "geometry": null}', "keine Geometrie"),
    ('{"type": "FeatureCollection", "features": []}', "genau eine Fläche enthalten, sie enthält 0"),
    ('{"type": "Polygon", "coordinates": []}', "keine Koordinaten"),
    ('{"type": "Polygon", "coordinates": [[[0,0],[1,0],[0,0]]]}', "weniger als 4 Positionen"),
    ('{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1]]]}', "nicht geschlossen"),
    ('{"type": "Polygon", "coordinates": [[[0,0],[1,0],[0,0],[0,0]]]}', "keine Fläche"),
    ('{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,"x"],[0,0]]]}',
     "Ring 1, Punkt 3 ist keine Position"),
    ('{"type": "Polygon", "coordinates": [[[0,0],[1,0],[true,1],[0,0]]]}', "keine Position"),
    ('{"type": "Polygon", "coordinates": [[[0,0],[181,0],[1,1],[0,0]]]}',
     "Länge 181 liegt nicht zwischen -180 und 180"),
    ('{"type": "Polygon", "coordinates": [[[0,0],[1,91],[1,1],[0,0]]]}',
     "Breite 91 liegt nicht zwischen -90 und 90"),
    ('{"type": "MultiPolygon", "coordinates": [[[[0,0],[1,0],[1,1],[0,0]]], [[[0,0]]]]}',
     "Fläche 2: Ring 1 hat weniger als 4 Positionen"),
])
def test_broken_areas_are_refused_with_the_reason(text, says):
    with pytest.raises(Invalid) as refused:
        area_from_text(text)
    assert says in refused.value.message
    assert refused.value.field == "area"


def test_the_convex_hull_of_points_is_a_closed_ring_around_them():
    # a square's corners, a point inside and one on an edge: the hull is the square,
    # counter-clockwise from its lowest-left corner, closed
    hull = convex_hull([(0, 0), (2, 0), (2, 2), (0, 2), (1, 1), (1, 0)])
    assert hull == {"type": "Polygon",
                    "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}
    assert area_check(hull) == hull  # a valid stored area


@pytest.mark.parametrize("points", [[], [(6.9, 51.5)], [(6.9, 51.5), (6.9, 51.5)],
                                    [(0, 0), (1, 1), (2, 2)]])
def test_points_spanning_no_area_have_no_hull(points):
    assert convex_hull(points) is None
