"""Travel distances and durations behind a small protocol.

The solver only ever asks a ``TravelMatrix``; a street-network provider (OSRM, Valhalla)
can replace the great-circle estimate later without touching solver code. Bulk matrices
are built through ``build`` which uses a vectorised fast path when the provider has one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from .model import Location, Vehicle

EARTH_RADIUS_M = 6_371_000.0
DETOUR_FACTOR = 1.3


def great_circle_m(lat_a: float, lon_a: float, lat_b: float, lon_b: float) -> float:
    """Metres along the earth's surface between two positions (haversine)."""
    lat1, lat2 = math.radians(lat_a), math.radians(lat_b)
    dlat = lat2 - lat1
    dlon = math.radians(lon_b - lon_a)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


@runtime_checkable
class TravelMatrix(Protocol):
    def distance(self, a: Location, b: Location) -> int:
        """Metres from ``a`` to ``b``."""
        ...

    def duration(self, a: Location, b: Location, vehicle: Vehicle) -> int:
        """Seconds from ``a`` to ``b`` for ``vehicle``."""
        ...


class HaversineMatrix:
    """Great-circle distance times a detour factor; duration from the vehicle's speed.

    ``speed_kmh`` is a straight-line-equivalent speed: a cargo bike doing about 18 km/h
    on the network covers about 12 km/h of straight line. Distances are cached per pair of
    coordinates (not of ids: a place keeps its id when it moves, and a long-lived matrix
    outlives the places it has seen) because the checker and the insertion path ask for
    the same pairs again and again.
    """

    def __init__(self, detour: float = DETOUR_FACTOR) -> None:
        self.detour = detour
        self._cache: dict[tuple[float, float, float, float], int] = {}

    def distance(self, a: Location, b: Location) -> int:
        key = (a.lat, a.lon, b.lat, b.lon)
        found = self._cache.get(key)
        if found is None:
            found = round(great_circle_m(a.lat, a.lon, b.lat, b.lon) * self.detour)
            self._cache[key] = found
        return found

    def duration(self, a: Location, b: Location, vehicle: Vehicle) -> int:
        return metres_to_seconds(self.distance(a, b), vehicle.speed_kmh * self.detour)

    def distance_array(self, locations: Sequence[Location]) -> np.ndarray:
        """All pairwise distances at once (same rounding as ``distance``)."""
        lat = np.radians(np.array([loc.lat for loc in locations]))
        lon = np.radians(np.array([loc.lon for loc in locations]))
        dlat = lat[None, :] - lat[:, None]
        dlon = lon[None, :] - lon[:, None]
        h = (
            np.sin(dlat / 2) ** 2
            + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
        )
        metres = 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        return np.rint(metres * self.detour).astype(np.int64)

    def distance_row(self, a: Location, others: Sequence[Location]) -> np.ndarray:
        """Distances from ``a`` to each of ``others`` (symmetric, so also towards ``a``)."""
        lat = np.radians(np.array([loc.lat for loc in others]))
        lon = np.radians(np.array([loc.lon for loc in others]))
        lat0, lon0 = math.radians(a.lat), math.radians(a.lon)
        h = (
            np.sin((lat - lat0) / 2) ** 2
            + math.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
        )
        metres = 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        return np.rint(metres * self.detour).astype(np.int64)

    def duration_array(self, distances: np.ndarray, vehicle: Vehicle) -> np.ndarray:
        speed = vehicle.speed_kmh * self.detour
        return np.rint(distances * 3.6 / speed).astype(np.int64)


def metres_to_seconds(metres: int, network_speed_kmh: float) -> int:
    """Seconds to cover ``metres`` of network at ``network_speed_kmh``."""
    return round(metres * 3.6 / network_speed_kmh)


def arrive_s(a: Location, b: Location, vehicle: Vehicle) -> int:
    """Parking and the walk to the door on coming to ``b``, and the handover there
    (``Location.handover_s``): none when staying at one place (stops there follow each
    other on foot and share one handover); no parking coming home to the hub, which has
    its bay."""
    if a.id == b.id:
        return 0
    return b.handover_s + (vehicle.park_s if b.id != vehicle.end.id else 0)


def travel_s(matrix: TravelMatrix, a: Location, b: Location, vehicle: Vehicle) -> int:
    """Seconds from leaving ``a`` to the stop at ``b`` beginning (parked, handed over):
    the one timing of a move for the schedule, the checker, the pre-screen and insertion
    (the solver's matrices add the same through ``_with_arrival``)."""
    return matrix.duration(a, b, vehicle) + arrive_s(a, b, vehicle)


def _with_arrival(seconds: np.ndarray, origins: Sequence[Location],
                  targets: Sequence[Location], vehicle: Vehicle) -> np.ndarray:
    """``seconds`` between each origin (row) and target (column) plus ``arrive_s`` of each
    pair, the rule of ``arrive_s`` for whole arrays at once."""
    handovers = np.array([loc.handover_s for loc in targets], dtype=np.int64)[None, :]
    if not vehicle.park_s and not handovers.any():
        return seconds
    a = np.array([loc.id for loc in origins], dtype=object)[:, None]
    b = np.array([loc.id for loc in targets], dtype=object)[None, :]
    moves = a != b
    extra = np.where(moves, handovers, 0) + np.where(moves & (b != vehicle.end.id),
                                                      vehicle.park_s, 0)
    return seconds + extra.reshape(seconds.shape)


def build_distance(matrix: TravelMatrix, locations: Sequence[Location]) -> np.ndarray:
    """Full distance matrix over ``locations`` (vectorised when the provider allows)."""
    fast = getattr(matrix, "distance_array", None)
    if fast is not None:
        return fast(locations)
    n = len(locations)
    out = np.zeros((n, n), dtype=np.int64)
    for i, a in enumerate(locations):
        for j, b in enumerate(locations):
            if i != j:
                out[i, j] = matrix.distance(a, b)
    return out


def build_duration(
    matrix: TravelMatrix,
    locations: Sequence[Location],
    vehicle: Vehicle,
    distances: np.ndarray,
) -> np.ndarray:
    """Full matrix of ``travel_s`` for ``vehicle`` (vectorised when the provider allows)."""
    fast = getattr(matrix, "duration_array", None)
    if fast is not None:
        return _with_arrival(fast(distances, vehicle), locations, locations, vehicle)
    n = len(locations)
    out = np.zeros((n, n), dtype=np.int64)
    for i, a in enumerate(locations):
        for j, b in enumerate(locations):
            if i != j:
                out[i, j] = travel_s(matrix, a, b, vehicle)
    return out


def rows(
    matrix: TravelMatrix, a: Location, others: Sequence[Location], vehicle: Vehicle
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Metres and ``travel_s`` from ``a`` to ``others`` and back, vectorised when possible."""
    fast = getattr(matrix, "distance_row", None)
    if fast is not None:
        metres = fast(a, others)
        seconds = matrix.duration_array(metres, vehicle)  # type: ignore[attr-defined]
        there = _with_arrival(seconds, [a], others, vehicle)
        back = _with_arrival(seconds, others, [a], vehicle)
        return metres, metres, there, back
    return (
        np.array([matrix.distance(a, b) for b in others], np.int64),
        np.array([matrix.distance(b, a) for b in others], np.int64),
        np.array([travel_s(matrix, a, b, vehicle) for b in others], np.int64),
        np.array([travel_s(matrix, b, a, vehicle) for b in others], np.int64),
    )
