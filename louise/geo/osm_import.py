"""Build the gazetteer from an OpenStreetMap extract (.osm.pbf), read with pyosmium.

There is no online geocoder on a LOUISE machine, but a regional extract cut to the town has
every named street and most house numbers. Streets are the named highways, joined where
their ways share a node or nearly touch (one street is many ways in OSM, and two streets
of one name in different villages must stay apart). Houses are the nodes and buildings with
addr:street + addr:housenumber, put on the nearest street of that name; an address whose
street is not mapped as a highway still gets a street made of its houses.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import osmium

from .gazetteer import POSTCODE, AddressPoint, HouseIn, StreetIn, name_key
from .services import gazetteer_replace

# Named highways that are not streets anyone lives on.
NOT_STREETS = {"platform", "bus_stop", "proposed", "construction", "abandoned", "raceway",
               "rest_area", "services", "elevator", "corridor"}
# Ways of one name closer than this (degrees, about 150 m) are one street.
JOIN_GAP = 0.0015
# A house further than this from every street of its name (km) starts a street of its own.
HOUSE_REACH_KM = 1.0
SAMPLES = 7


@dataclass
class _Way:
    name: str
    refs: list[int]
    coords: list[tuple[float, float]]
    postcode: str


@dataclass
class _Street:
    name: str
    coords: list[tuple[float, float]]
    postcode: str = ""
    houses: list[AddressPoint] = field(default_factory=list)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Flat-earth distance: exact enough within a town, and fast for many comparisons."""
    dx = (a[1] - b[1]) * math.cos(math.radians(a[0]))
    return math.hypot(a[0] - b[0], dx) * 111.2


def _postcode(tags) -> str:
    code = tags.get("addr:postcode") or tags.get("postal_code") or ""
    return code if POSTCODE.match(code) else ""


def _read(path: Path) -> tuple[list[_Way], list[AddressPoint]]:
    ways: list[_Way] = []
    houses: list[AddressPoint] = []
    # Only tagged objects reach Python; node locations are still kept for the ways.
    objects = (osmium.FileProcessor(str(path)).with_locations()
               .with_filter(osmium.filter.KeyFilter("highway", "addr:housenumber")))
    for obj in objects:
        tags = obj.tags
        if obj.is_relation():
            continue  # multipolygon buildings with an address: rare, left out
        coords = ([(obj.location.lat, obj.location.lon)] if obj.is_node() else
                  [(n.lat, n.lon) for n in obj.nodes if n.location.valid()])
        if not coords:
            continue
        if obj.is_way() and "name" in tags and tags.get("highway", "") not in {"", *NOT_STREETS}:
            ways.append(_Way(tags["name"], [n.ref for n in obj.nodes], coords, _postcode(tags)))
        street = tags.get("addr:street", "")
        # "41;43" is one building with two doors: each number is found on its own.
        numbers = [n.strip() for n in tags.get("addr:housenumber", "").split(";")]
        ring = coords[:-1] if len(coords) > 1 and coords[0] == coords[-1] else coords
        houses += [AddressPoint(street, number, _postcode(tags), tags.get("addr:city", ""),
                                tags.get("addr:suburb", ""),
                                round(sum(c[0] for c in ring) / len(ring), 7),
                                round(sum(c[1] for c in ring) / len(ring), 7))
                   for number in numbers if street and number and len(number) <= 20]
    return ways, houses


def _bbox(coords: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    lats, lons = [c[0] for c in coords], [c[1] for c in coords]
    return min(lats), min(lons), max(lats), max(lons)


def _near(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    a0, a1, a2, a3 = _bbox(a)
    b0, b1, b2, b3 = _bbox(b)
    return (a0 - JOIN_GAP <= b2 and b0 - JOIN_GAP <= a2
            and a1 - JOIN_GAP <= b3 and b1 - JOIN_GAP <= a3)


def _join(ways: list[_Way]) -> list[_Street]:
    """One street per group of same-named ways that share a node or nearly touch."""
    streets: list[_Street] = []
    by_name: dict[str, list[_Way]] = defaultdict(list)
    for way in ways:
        by_name[way.name].append(way)
    for name, group in by_name.items():
        parts = [(set(w.refs), list(w.coords), w.postcode) for w in group]
        merged = True
        while merged:
            merged = False
            for i in range(len(parts)):
                for j in range(i + 1, len(parts)):
                    if parts[i][0] & parts[j][0] or _near(parts[i][1], parts[j][1]):
                        refs, coords, postcode = parts.pop(j)
                        parts[i] = (parts[i][0] | refs, parts[i][1] + coords,
                                    parts[i][2] or postcode)
                        merged = True
                        break
                if merged:
                    break
        streets += [_Street(name, coords, postcode) for _, coords, postcode in parts]
    return streets


def _reach(street: _Street, here: tuple[float, float]) -> float:
    """How far (km) a place is from a street: its nodes, or its houses if it has none."""
    return min(_km(here, c) for c in street.coords or [(h.lat, h.lon) for h in street.houses])


def _attach(streets: list[_Street], houses: list[AddressPoint]) -> list[_Street]:
    """Each house onto the nearest street of its name; the rest make streets of their own."""
    by_key: dict[str, list[_Street]] = defaultdict(list)
    for street in streets:
        by_key[name_key(street.name)].append(street)
    for house in houses:
        here = (house.lat, house.lon)
        candidates = by_key[name_key(house.street)]
        best = min(candidates, default=None, key=lambda s: _reach(s, here))
        if best is None or _reach(best, here) > HOUSE_REACH_KM:
            best = _Street(house.street, [])
            by_key[name_key(house.street)].append(best)
            streets.append(best)
        best.houses.append(house)
    return streets


def _samples(street: _Street) -> list[tuple[float, float]]:
    """A few points in order along the street's longer axis; the middle one is on it."""
    coords = street.coords or [(h.lat, h.lon) for h in street.houses]
    s, w, n, e = _bbox(coords)
    axis = 0 if (n - s) >= (e - w) * math.cos(math.radians(s)) else 1
    ordered = sorted(set(coords), key=lambda c: c[axis])
    if len(ordered) <= SAMPLES:
        return [(round(a, 7), round(b, 7)) for a, b in ordered]
    step = (len(ordered) - 1) / (SAMPLES - 1)
    picks = [ordered[round(i * step)] for i in range(SAMPLES)]
    return [(round(a, 7), round(b, 7)) for a, b in picks]


def _most_common(values: list[str], default: str) -> str:
    found = Counter(v for v in values if v).most_common(1)
    return found[0][0] if found else default


class _PostcodeGrid:
    """Houses with a postcode in cells of about 1 km, to find the nearest one quickly even
    in a regional extract."""

    CELL = 0.01

    def __init__(self, houses: list[AddressPoint]):
        self.cells: dict[tuple[int, int], list[AddressPoint]] = defaultdict(list)
        for house in houses:
            if house.postcode:
                self.cells[self._cell(house.lat, house.lon)].append(house)

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return int(lat // self.CELL), int(lon // self.CELL)

    def nearest(self, here: tuple[float, float], rings: int = 5) -> str:
        """The postcode of the nearest house within a few km, else ""."""
        row, col = self._cell(*here)
        for ring in range(rings + 1):
            # One ring further than the first hit, as a corner cell may be nearer.
            found = [h for r in range(row - ring - 1, row + ring + 2)
                     for c in range(col - ring - 1, col + ring + 2) for h in self.cells[r, c]]
            if found:
                return min(found, key=lambda h: _km(here, (h.lat, h.lon))).postcode
        return ""


def _finish(street: _Street, grid: _PostcodeGrid, default_city: str) -> StreetIn:
    """Postcode, town and district from the houses: a highway seldom carries them itself.
    A street without a postcode takes its nearest house's, or the nearest house's nearby."""
    points = _samples(street)
    middle = points[len(points) // 2]
    own = [h for h in street.houses if h.postcode]
    postcode = street.postcode or (
        min(own, key=lambda h: _km(middle, (h.lat, h.lon))).postcode if own
        else grid.nearest(middle))
    return StreetIn(
        name=street.name, postcode=postcode,
        city=_most_common([h.city for h in street.houses], default_city),
        district=_most_common([h.district for h in street.houses], ""), points=points,
        houses=[HouseIn(h.housenumber, h.postcode, h.lat, h.lon) for h in street.houses])


def read_streets(path: Path, *, city: str = "") -> list[StreetIn]:
    """Every street of the extract with its houses, ready for `gazetteer_replace`."""
    ways, houses = _read(path)
    default_city = city or _most_common([h.city for h in houses], path.stem.split(".")[0])
    grid = _PostcodeGrid(houses)
    return [_finish(street, grid, default_city) for street in _attach(_join(ways), houses)]


def import_osm(path: Path, *, city: str = "") -> tuple[str, int, int]:
    """Replace the gazetteer of the extract's area (named after the town) with its contents.
    Returns (area, streets, houses)."""
    streets = read_streets(path, city=city)
    area = f"osm:{city or path.name.split('.')[0]}"
    stored_streets, stored_houses = gazetteer_replace(area=area, streets=streets)
    return area, stored_streets, stored_houses
