"""Li & Lim PDPTW instances as LOUISE problems.

Coordinates go into ``Location.lat/lon`` as plain x/y; ``EuclideanMatrix`` measures them.
Everything is scaled by ``SCALE`` to integers: distances round to nearest, durations round
*up*, so a plan feasible here is feasible in exact arithmetic too. Distances are reported
back in the original units, recomputed exactly from the coordinates.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from louise.planning import Leg, Location, Plan, Problem, TimeWindow, Vehicle

SCALE = 1000


class EuclideanMatrix:
    """Straight-line distances on x/y coordinates, travel time equals distance."""

    def __init__(self, scale: int = SCALE) -> None:
        self.scale = scale

    def exact(self, a: Location, b: Location) -> float:
        return math.hypot(a.lat - b.lat, a.lon - b.lon)

    def distance(self, a: Location, b: Location) -> int:
        return round(self.exact(a, b) * self.scale)

    def duration(self, a: Location, b: Location, vehicle: Vehicle | None = None) -> int:
        return math.ceil(self.exact(a, b) * self.scale - 1e-7)


@dataclass(frozen=True, slots=True)
class Instance:
    name: str
    problem: Problem
    depot: Location


def read(path: str | Path, scale: int = SCALE) -> Instance:
    """Parse one Li & Lim file (format in ../shared/data/lilim/README.md)."""
    path = Path(path)
    rows = [line.split() for line in path.read_text().splitlines() if line.strip()]
    n_vehicles, capacity = int(rows[0][0]), int(rows[0][1])
    nodes = {int(r[0]): [float(x) for x in r[1:]] for r in rows[1:]}
    depot_row = nodes[0]
    depot = Location("0", depot_row[0], depot_row[1])
    legs = []
    for idx, (x, y, demand, ready, due, service, _pick, delivery) in nodes.items():
        if idx == 0 or demand <= 0 or delivery <= 0:
            continue
        dx, dy, _, d_ready, d_due, d_service, _, _ = nodes[int(delivery)]
        legs.append(
            Leg(
                id=str(idx),
                pickup=Location(str(idx), x, y),
                delivery=Location(str(int(delivery)), dx, dy),
                pickup_window=TimeWindow(round(ready * scale), round(due * scale)),
                delivery_window=TimeWindow(round(d_ready * scale), round(d_due * scale)),
                pickup_service=round(service * scale),
                delivery_service=round(d_service * scale),
                size=(int(demand),),
            )
        )
    shift = TimeWindow(round(depot_row[3] * scale), round(depot_row[4] * scale))
    vehicles = tuple(
        Vehicle(f"v{i}", "lilim", (capacity,), shift, depot, depot) for i in range(n_vehicles)
    )
    return Instance(path.stem, Problem(tuple(legs), vehicles), depot)


def exact_distance(instance: Instance, plan: Plan, matrix: EuclideanMatrix) -> float:
    """Total distance in the instance's own units, without rounding."""
    total = 0.0
    for tour in plan.tours:
        here = instance.depot
        for stop in tour.stops:
            total += matrix.exact(here, stop.location)
            here = stop.location
        total += matrix.exact(here, instance.depot)
    return total


def best_known(path: str | Path) -> dict[str, tuple[int, float]]:
    """``bks.csv``: instance name -> (vehicles, distance)."""
    with open(path, newline="") as fh:
        return {r["instance"]: (int(r["routes"]), float(r["distance"])) for r in csv.DictReader(fh)}
