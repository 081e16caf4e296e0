"""Ruin and recreate shortens a fixed fleet's routes and never breaks a rule."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from pyvrp import Activity, ActivityType, Depot, ProblemData, Shipment, Solution, VehicleType
from pyvrp import Location as PyLocation
from pyvrp import Route as PyRoute

from louise.planning import ruin

N_LEGS = 6


def _line(*, capacity: int = 10) -> ProblemData:
    """Depot at 0; leg k goes from 1 + 2k to 2 + 2k on a line, one metre per step."""
    coords = np.arange(1 + 2 * N_LEGS)
    matrix: np.ndarray[Any, Any] = np.abs(coords[:, None] - coords[None, :]).astype(np.int64)
    legs = [
        Shipment(1 + 2 * k, 2 + 2 * k, 0, 1000, 0, 0, 1000, 0, [1], 0, True) for k in range(N_LEGS)
    ]
    locations = [PyLocation(x=int(c), y=0) for c in coords]
    types = [VehicleType(3, [capacity], 0, 0, tw_early=0, tw_late=1000)]
    return ProblemData(locations, [], [Depot(0)], types, [matrix], [matrix], [], legs)


def _paired(data: ProblemData, pairs: list[tuple[int, int]]) -> Solution:
    kinds = (ActivityType.PICKUP, ActivityType.DELIVERY)
    routes = [
        PyRoute(data, [Activity(kind, leg) for leg in pair for kind in kinds], 0) for pair in pairs
    ]
    return Solution(data, routes)


def test_far_apart_legs_end_up_in_one_sweep():
    # given: three routes, each serving two legs from opposite ends of the line (60 m)
    data = _line()
    start = _paired(data, [(0, 5), (1, 4), (2, 3)])
    assert start.is_feasible() and start.distance() == 60
    # when
    result = ruin.shorten(data, start, time.perf_counter() + 1, seed=1)
    # then: one sweep out and back (24 m) is the optimum
    assert result.is_feasible()
    assert result.distance() == 24
    assert result.num_routes() == 1


def test_capacity_holds_and_the_fleet_never_grows():
    # given: room for one parcel at a time, three routes
    data = _line(capacity=1)
    start = _paired(data, [(0, 5), (1, 2)])
    start = Solution(data, [*start.routes(), *_paired(data, [(3, 4)]).routes()])
    # when
    result = ruin.shorten(data, start, time.perf_counter() + 1, seed=2)
    # then
    assert result.is_feasible()
    assert result.num_routes() <= start.num_routes()
    assert result.distance() < start.distance()
    for route in result.routes():
        load = 0
        for activity in route:
            if not activity.is_depot():
                load += 1 if activity.type == ActivityType.PICKUP else -1
                assert 0 <= load <= 1


def test_a_search_stopped_at_once_returns_the_start():
    data = _line()
    start = _paired(data, [(0, 5), (1, 4), (2, 3)])
    result = ruin.shorten(data, start, time.perf_counter() + 5, seed=3, stop=lambda: True)
    assert result.distance() == start.distance()
    assert result.num_routes() == start.num_routes()
