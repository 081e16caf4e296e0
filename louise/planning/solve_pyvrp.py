"""Quality engine: the free part of every tour, optimised by PyVRP's iterated local search.

Mapping onto PyVRP 0.14:
- each vehicle class is one vehicle type (capacity, shift as time window, remaining range
  as max distance, start where its fixed prefix ends, end at its hub);
- each leg is a shipment; a leg already on board is a delivery-only client;
- zones, requirements and locks become per-type *profiles*: every stop is a location
  variant keyed by the set of classes allowed to serve it, and in the profile of a class
  that may not serve it the variant is unreachable (huge distance and duration);
- legs are optional with a prize far above a vehicle's cost, and a vehicle costs far
  more than any distance it could save, so the objective is: serve as much as possible,
  then use as few vehicles as possible, then drive as little as possible;
- unless the vehicles have costs per km or per hour: then, after serving as much as
  possible, the plan costs as little as possible (fixed cost per vehicle used, per km,
  per hour from leaving the hub to coming back, and CO2 at a climate cost price).
Two seeds run in parallel (one in a worker process) when the instance is small enough to
ship to the worker, and the better plan wins.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyvrp import (
    Client,
    Depot,
    ProblemData,
    Shipment,
    VehicleType,
)
from pyvrp import Location as PyLocation

from .matrix import TravelMatrix, build_distance, build_duration
from .model import DELIVERY, PICKUP, Leg, Location, Vehicle
from .prepare import Prepared
from .prescreen import Screen, VehicleClass
from .rates import Rates, rates_of
from .search import Result, Routes, run

UNREACHABLE = 1 << 36  # far below PyVRP's MAX_VALUE (2**44), far above any real tour
MAX_PARALLEL_LOCATIONS = 2500  # above this, shipping matrices to a worker costs too much
WORKER_STARTUP_S = 0.8  # spawning a worker and importing PyVRP takes about this long
# The worker aims to end this long before the deadline (storing its result and exiting take
# time, more on a busy machine); past the deadline it is waited for a share of the limit at
# most (within the engine's FINISH_SHARE, which timing and checking the plan hardly use),
# then its result is dropped: the time limit is a promise to the dispatcher (a 30 s plan of
# 400 stops took 35.8 s while this process waited up to limit + 10 s for a late worker,
# whose fleet minimisation overshoots its deadline by about half a second).
WORKER_FINISH_S = 0.3
JOIN_GRACE_SHARE = 0.05
JOIN_GRACE_MIN_S = 0.2
IDLE_ITERATIONS_PER_LEG = 1000  # stop early once the search is stuck this long
INPUT, OUTPUT, FLEET = "in.pickle", "out.pickle", "fleet.pickle"  # in the worker's directory

Route = tuple[int, list[tuple[Leg, str]]]  # (class index, free stops in order)


@dataclass(frozen=True, slots=True)
class Outcome:
    routes: list[Route]
    served: frozenset[str]


def solve_free(
    prep: Prepared,
    scr: Screen,
    matrix: TravelMatrix,
    *,
    time_limit: float,
    seed: int,
    on_progress: Callable[[float], None] | None = None,
) -> Outcome:
    """Plan every screened leg onto the vehicle classes; return routes per class."""
    if not scr.allowed:
        return Outcome([], frozenset())
    # Building the data counts against the limit. The machine's monotonic clock is one for
    # all its processes (the worker shares the deadline) and is not moved by a change of
    # the wall clock, nor by `louise simulate` travelling through its days.
    deadline = time.monotonic() + time_limit
    data, costs, refs = _build(prep, scr, matrix)
    n_legs = len(scr.allowed)
    idle = max(5_000, IDLE_ITERATIONS_PER_LEG * n_legs)
    parallel = (
        (os.cpu_count() or 1) > 1
        and time_limit >= 2 * WORKER_STARTUP_S
        and data.num_locations <= MAX_PARALLEL_LOCATIONS
    )
    worker = (_start_worker(data, costs, seed + 1, deadline - WORKER_FINISH_S, idle)
              if parallel else None)
    try:
        shared = worker.fleet if worker is not None else None
        best = run(data, seed, max(deadline - time.monotonic(), 0.05), idle, on_progress,
                   adopt=shared, costs=costs)
        if worker is not None:
            grace = max(JOIN_GRACE_MIN_S, JOIN_GRACE_SHARE * time_limit)
            other = _join_worker(worker, timeout=max(deadline - time.monotonic(), 0) + grace)
            if other is not None:
                best = min(best, other)
    finally:
        if worker is not None:
            worker.stop()  # also when this search failed or was interrupted
    return _decode(best[2], refs, scr)


@dataclass(frozen=True, slots=True)
class _Worker:
    """The second core's process and its own temporary directory (input, output, fleet)."""

    proc: subprocess.Popen
    workdir: str

    @property
    def fleet(self) -> str:
        return os.path.join(self.workdir, FLEET)

    def stop(self) -> None:
        """End the process if it still runs, and remove its files."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _start_worker(data: ProblemData, costs: ProblemData | None, seed: int, deadline: float,
                  idle: int) -> _Worker:
    """Start ``louise.planning.worker`` on a pickled copy of the data.

    The worker gets the deadline (`time.monotonic`), so its start-up time is not added on
    top, and this process's id: it ends (and removes its files) when this process dies.
    """
    workdir = tempfile.mkdtemp(prefix="louise-plan-")
    with open(os.path.join(workdir, INPUT), "wb") as fh:
        pickle.dump((data, costs, seed, deadline, idle), fh)
    proc = subprocess.Popen(
        [sys.executable, "-m", "louise.planning.worker", workdir, str(os.getpid())],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return _Worker(proc, workdir)


def _join_worker(worker: _Worker, *, timeout: float) -> Result | None:
    """The worker's result, or None when it failed: the main run alone still counts."""
    try:
        worker.proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if worker.proc.returncode != 0:
        return None
    with open(os.path.join(worker.workdir, OUTPUT), "rb") as fh:
        return pickle.load(fh)


@dataclass(frozen=True, slots=True)
class _Refs:
    shipments: list[Leg]
    clients: list[Leg]


def _build(
    prep: Prepared, scr: Screen, matrix: TravelMatrix
) -> tuple[ProblemData, ProblemData | None, _Refs]:
    """Translate the screened problem into PyVRP's ProblemData; with the vehicles' money
    costs also a costed copy (see ``_costed``), else None."""
    places: list[Location] = []
    place_index: dict[str, int] = {}

    def place(loc: Location) -> int:
        if loc.id not in place_index:
            place_index[loc.id] = len(places)
            places.append(loc)
        return place_index[loc.id]

    depot_places: list[int] = []
    depot_of: dict[str, int] = {}
    for cls in scr.classes:
        for loc in (cls.state.location, cls.state.vehicle.end):
            if loc.id not in depot_of:
                depot_of[loc.id] = len(depot_places)
                depot_places.append(place(loc))
    variants: dict[tuple[str, tuple[int, ...]], int] = {}
    variant_places: list[int] = []
    variant_allowed: list[tuple[int, ...]] = []

    def variant(loc: Location, allowed: tuple[int, ...]) -> int:
        key = (loc.id, allowed)
        if key not in variants:
            variants[key] = len(depot_places) + len(variant_places)
            variant_places.append(place(loc))
            variant_allowed.append(allowed)
        return variants[key]

    shipments, clients, ship_legs, client_legs = [], [], [], []
    for lid, allowed in scr.allowed.items():
        leg = prep.legs[lid]
        if lid in scr.drop_only:
            clients.append(
                Client(
                    location=variant(leg.delivery, allowed),
                    delivery=list(leg.size),
                    pickup=[0] * len(leg.size),
                    service_duration=leg.delivery_service,
                    tw_early=leg.delivery_window.start,
                    tw_late=leg.delivery_window.end,
                    prize=0,
                    required=False,
                    name=lid,
                )
            )
            client_legs.append(leg)
        else:
            shipments.append(
                Shipment(
                    pickup_location=variant(leg.pickup, allowed),
                    delivery_location=variant(leg.delivery, allowed),
                    pickup_tw_early=leg.pickup_window.start,
                    pickup_tw_late=leg.pickup_window.end,
                    pickup_service_duration=leg.pickup_service,
                    delivery_tw_early=leg.delivery_window.start,
                    delivery_tw_late=leg.delivery_window.end,
                    delivery_service_duration=leg.delivery_service,
                    amount=list(leg.size),
                    prize=0,
                    required=False,
                    name=lid,
                )
            )
            ship_legs.append(leg)

    index = np.array(depot_places + variant_places, dtype=np.int64)
    base_distance = build_distance(matrix, places)
    distance = base_distance[np.ix_(index, index)]
    vehicle_cost = _vehicle_cost(distance)
    prize = vehicle_cost * 10

    # pyvrp's stubs say np.ndarray[int], a shape type NumPy 2 no longer accepts
    distances: list[np.ndarray[Any, Any]] = []
    durations: list[np.ndarray[Any, Any]] = []
    types = []
    allowed_arr = variant_allowed
    for ci, cls in enumerate(scr.classes):
        v = cls.state.vehicle
        duration = build_duration(matrix, places, v, base_distance)[np.ix_(index, index)]
        forbidden = [len(depot_places) + k for k, a in enumerate(allowed_arr) if ci not in a]
        dist_c = distance.copy()
        if forbidden:
            for arr in (dist_c, duration):
                arr[forbidden, :] = UNREACHABLE
                arr[:, forbidden] = UNREACHABLE
                arr[forbidden, forbidden] = 0
        distances.append(dist_c)
        durations.append(duration)
        left = v.range_m - cls.state.distance if v.range_m is not None else None
        carried_load = _stranded_load(prep, cls, scr)
        types.append(
            VehicleType(
                num_available=len(cls.vehicle_ids),
                capacity=list(v.capacity),
                start_depot=depot_of[cls.state.location.id],
                end_depot=depot_of[v.end.id],
                fixed_cost=v.fixed_cost + vehicle_cost,
                tw_early=cls.state.time,
                tw_late=v.shift.end,
                max_distance=max(left, 0) if left is not None else np.iinfo(np.int64).max,
                profile=ci,
                initial_load=carried_load,
                name=",".join(cls.vehicle_ids),
            )
        )
    locations = [PyLocation(x=p.lon, y=p.lat, name=p.id) for p in places]
    py_locations = [locations[i] for i in index]
    depots = [Depot(location=k, name=places[p].id) for k, p in enumerate(depot_places)]
    data = ProblemData(py_locations, [_with_prize(c, 2 * prize) for c in clients], depots,
                       types, distances, durations, [], [_with_prize(s, prize) for s in shipments])
    vehicles = [cls.state.vehicle for cls in scr.classes]
    costs = _costed(data, vehicles, distance) if any(v.costed for v in vehicles) else None
    return data, costs, _Refs(ship_legs, client_legs)


def _costed(data: ProblemData, vehicles: list[Vehicle], distance: np.ndarray) -> ProblemData:
    """The same problem with money as the objective: the vehicles' costs per day, metre
    and second instead of a vehicle count (see ``rates_of``), prizes above any leg's cost."""
    rates = [rates_of(v) for v in vehicles]
    types = [
        vt.replace(fixed_cost=r.fixed, unit_distance_cost=r.per_metre,
                   unit_duration_cost=r.per_second)
        for vt, r in zip(data.vehicle_types(), rates, strict=True)
    ]
    prize = _prize(rates, distance)
    return data.replace(
        vehicle_types=types,
        shipments=[_with_prize(s, prize) for s in data.shipments()],
        clients=[_with_prize(c, 2 * prize) for c in data.clients()],
    )


def _with_prize[T: (Shipment, Client)](item: T, prize: int) -> T:
    """PyVRP items are immutable; rebuild with the prize known only after the matrix (and
    a new one for the costed objective)."""
    if isinstance(item, Shipment):
        p, d = item.pickup, item.delivery
        return Shipment(
            p.location, d.location, p.tw_early, p.tw_late, p.service_duration,
            d.tw_early, d.tw_late, d.service_duration, item.amount, prize, False, name=item.name,
        )  # fmt: skip
    return Client(
        item.location, item.delivery, item.pickup, item.service_duration, item.tw_early,
        item.tw_late, 0, prize, False, name=item.name,
    )  # fmt: skip


def _prize(rates: list[Rates], distance: np.ndarray) -> int:
    """More than serving any one leg can cost: a vehicle of its own for the day, four of
    the longest trips and the whole shift paid. So serving legs comes first; then cost."""
    longest = int(min(distance.max(initial=0), UNREACHABLE // 1024))
    worst = max(r.fixed + 4 * longest * r.per_metre + r.span * r.per_second for r in rates)
    return 10 * worst + 1


def _vehicle_cost(distance: np.ndarray) -> int:
    """More than the distance a vehicle could possibly save: fewest vehicles always win."""
    return int(min(distance.max(initial=0), UNREACHABLE // 1024) * 4 + 1)


def _stranded_load(prep: Prepared, cls: VehicleClass, scr: Screen) -> list[int]:
    """Goods on board that cannot be dropped (screened out) ride along to the end."""
    load = [0] * len(cls.state.vehicle.capacity)
    for lid in cls.state.carried:
        if lid not in scr.allowed:
            load = [a + s for a, s in zip(load, prep.legs[lid].size, strict=True)]
    return load


def _decode(routes: Routes, refs: _Refs, scr: Screen) -> Outcome:
    """PyVRP activities back to (leg, kind) stops per class."""
    out: list[Route] = []
    served: set[str] = set()
    pickup, delivery, client = 2, 3, 1
    for vtype, acts in routes:
        stops: list[tuple[Leg, str]] = []
        for kind, idx in acts:
            if kind == client:
                leg = refs.clients[idx]
                stops.append((leg, DELIVERY))
            else:
                leg = refs.shipments[idx]
                stops.append((leg, PICKUP if kind == pickup else DELIVERY))
                assert kind in (pickup, delivery)
            served.add(leg.id)
        out.append((vtype, stops))
    return Outcome(out, frozenset(served))
