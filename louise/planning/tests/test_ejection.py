"""Fleet minimisation by ejection search, on PyVRP data built by hand.

Six legs on a line; each takes 10 minutes of service, the shift 25: a vehicle can do at
most two, so three routes are the minimum. The search starts from one route per leg.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest
from pyvrp import (
    Activity,
    ActivityType,
    Client,
    Depot,
    ProblemData,
    Shipment,
    Solution,
    VehicleType,
)
from pyvrp import Location as PyLocation
from pyvrp import Route as PyRoute

from louise.planning import ejection

N_LEGS = 6
FAR = 1 << 36


def _data(*, profiles: int = 1, shift: int = 25, capacity: int = 10) -> ProblemData:
    """Location 0 is the depot, 1 + 2k and 2 + 2k the pickup and drop of leg k."""
    n_loc = 1 + 2 * N_LEGS
    coords = np.arange(n_loc)
    base = np.abs(coords[:, None] - coords[None, :]).astype(np.int64) // 4  # 0-3 minutes
    matrices: list[np.ndarray[Any, Any]] = [base.copy() for _ in range(profiles)]
    if profiles > 1:  # legs 0-2 are out of bounds for the second profile
        far = [1 + 2 * k + d for k in range(3) for d in (0, 1)]
        matrices[1][far, :] = FAR
        matrices[1][:, far] = FAR
        matrices[1][far, far] = 0
    shipments = [
        Shipment(1 + 2 * k, 2 + 2 * k, 0, 1000, 5, 0, 1000, 5, [1], 0, True, name=str(k))
        for k in range(N_LEGS)
    ]
    types = [
        VehicleType(N_LEGS, [capacity], 0, 0, tw_early=0, tw_late=shift, profile=p)
        for p in range(profiles)
    ]
    locations = [PyLocation(x=int(c), y=0) for c in coords]
    return ProblemData(locations, [], [Depot(0)], types, matrices, matrices, [], shipments)


def _one_route_per_leg(data: ProblemData, types: list[int]) -> Solution:
    routes = [
        PyRoute(data, [Activity(ActivityType.PICKUP, k), Activity(ActivityType.DELIVERY, k)], t)
        for k, t in enumerate(types)
    ]
    return Solution(data, routes)


def _legs_by_route(sol: Solution) -> list[tuple[int, set[int]]]:
    return [(r.vehicle_type(), {a.idx for a in r if not a.is_depot()}) for r in sol.routes()]


def test_reaches_the_smallest_fleet_and_stays_feasible():
    # given
    data = _data()
    start = _one_route_per_leg(data, [0] * N_LEGS)
    assert start.is_feasible() and start.num_routes() == N_LEGS
    # when
    result = ejection.minimise(data, start, time.perf_counter() + 5, seed=1, patience=2)
    # then
    assert result.is_feasible()
    assert result.num_routes() == 3  # two legs per shift at most
    assert sorted(len(legs) for _, legs in _legs_by_route(result)) == [2, 2, 2]


def test_capacity_limits_what_rides_together():
    # given: a shift long enough for everything, but room for one parcel at a time
    data = _data(shift=10_000, capacity=1)
    start = _one_route_per_leg(data, [0] * N_LEGS)
    # when
    result = ejection.minimise(data, start, time.perf_counter() + 5, seed=2, patience=2)
    # then: one route that never holds two parcels
    assert result.is_feasible()
    assert result.num_routes() == 1
    load = 0
    for activity in result.routes()[0]:
        if not activity.is_depot():
            load += 1 if activity.type == ActivityType.PICKUP else -1
            assert 0 <= load <= 1


def test_legs_stay_off_vehicle_types_that_may_not_serve_them():
    # given: legs 0-2 unreachable for type 1 (how zones and requirements are encoded)
    data = _data(profiles=2)
    start = _one_route_per_leg(data, [0, 0, 0, 1, 1, 1])
    # when
    result = ejection.minimise(data, start, time.perf_counter() + 5, seed=3, patience=2)
    # then
    assert result.is_feasible()
    assert result.num_routes() == 3
    for vehicle_type, legs in _legs_by_route(result):
        if vehicle_type == 1:
            assert legs.isdisjoint({0, 1, 2})


def test_a_route_may_move_to_a_free_vehicle_of_another_type():
    # given: six short shifts that hold one leg each, and one long shift that holds two
    data = _data()
    short, long = (VehicleType(n, [10], 0, 0, tw_early=0, tw_late=t) for n, t in ((6, 18), (1, 25)))
    data = data.replace(vehicle_types=[short, long])
    start = _one_route_per_leg(data, [0] * N_LEGS)
    assert start.is_feasible()
    # when
    result = ejection.minimise(data, start, time.perf_counter() + 5, seed=5, patience=2)
    # then: one route went over to the long shift and took a second leg
    assert result.is_feasible()
    assert result.num_routes() == N_LEGS - 1
    assert [len(legs) for vt, legs in _legs_by_route(result) if vt == 1] == [2]


def test_returns_the_start_when_nothing_can_go():
    # given: the smallest fleet already
    data = _data()
    pairs = [(0, 1), (2, 3), (4, 5)]
    routes = [
        PyRoute(data, [Activity(ActivityType.PICKUP, a), Activity(ActivityType.DELIVERY, a),
                       Activity(ActivityType.PICKUP, b), Activity(ActivityType.DELIVERY, b)], 0)
        for a, b in pairs
    ]  # fmt: skip
    start = Solution(data, routes)
    assert start.is_feasible()
    # when
    result = ejection.minimise(data, start, time.perf_counter() + 0.3, seed=4)
    # then
    assert result.is_feasible()
    assert result.num_routes() == 3


def _car_and_bike(legs: list[int]) -> ProblemData:
    """One car (profile 0) and one bike (profile 1, which cannot reach legs 0-2), each with
    a shift for two legs; only ``legs`` are asked for."""
    data = _data(profiles=2)
    car, bike = (VehicleType(1, [10], 0, 0, tw_early=0, tw_late=25, profile=p) for p in (0, 1))
    ships = data.shipments()
    return data.replace(vehicle_types=[car, bike], shipments=[ships[k] for k in legs])


def _route(data: ProblemData, legs: list[int], vehicle_type: int) -> PyRoute:
    kinds = (ActivityType.PICKUP, ActivityType.DELIVERY)
    acts = [Activity(kind, k) for k in legs for kind in kinds]
    return PyRoute(data, acts, vehicle_type)


def test_complete_puts_a_left_out_leg_in_by_moving_another_to_an_unused_vehicle():
    # given: the car (the only vehicle for leg 0) is full with two legs a bike could ride,
    # the bike unused, leg 0 left out (data indices: 0 = leg 0, 1 = leg 3, 2 = leg 4)
    data = _car_and_bike([0, 3, 4])
    start = Solution(data, [_route(data, [1, 2], 0)])
    assert all(r.is_feasible() for r in start.routes()) and start.num_shipments() == 2
    # when
    result = ejection.complete(data, start, time.perf_counter() + 5, seed=1)
    # then: every leg served, leg 0 by the car, one of the others moved to the bike
    assert result is not None and result.is_feasible() and result.is_complete()
    by_type = dict(_legs_by_route(result))
    assert 0 in by_type[0] and len(by_type[0]) == 2
    assert len(by_type[1]) == 1 and by_type[1] <= {1, 2}


def test_complete_gives_up_when_a_leg_fits_nowhere():
    # given: three legs only the car may ride, and the car's shift holds two
    data = _car_and_bike([0, 1, 2])
    start = Solution(data, [_route(data, [0, 1], 0)])
    # when
    result = ejection.complete(data, start, time.perf_counter() + 0.3, seed=2)
    # then
    assert result is None


def test_slow_steps_are_asked_for_a_few_at_a_time(monkeypatch):
    # given: steps that take 4 ms each (a large day's took up to 10 ms) and never empty the
    # pool, as when a leg fits nowhere
    asked: list[int] = []

    def slow(inst, state, pool, size, penalty, steps, kmax, moves):
        asked.append(steps)
        time.sleep(0.004 * steps)
        return size

    monkeypatch.setattr(ejection, "_steps", slow)
    data = _car_and_bike([0, 1, 2])
    start = Solution(data, [_route(data, [0, 1], 0)])
    # when: the completion searches for 0.1 s
    result = ejection.complete(data, start, time.perf_counter() + 0.1, seed=2)
    # then: each call asks for about what fits in LOOK_S, never the 200 steps that made a
    # tour's 0.2 s of pruning 2 s; and the search ends at its deadline having found nothing
    assert result is None and len(asked) > 5
    assert max(asked) * 0.004 <= 2 * ejection.LOOK_S


def test_prune_empties_the_tours_the_others_take_over_for_less():
    # given: one tour per leg, each vehicle costing 100 a day and 1 a distance unit, and
    # one vehicle's shift and room enough for all six legs
    data = _data(shift=10_000)
    (vt,) = data.vehicle_types()
    data = data.replace(vehicle_types=[vt.replace(fixed_cost=100, unit_distance_cost=1)])
    start = _one_route_per_leg(data, [0] * N_LEGS)
    # when
    result = ejection.prune(data, start, time.perf_counter() + 5, seed=1)
    # then: every leg still served, on fewer tours, for less
    assert result.is_feasible() and result.is_complete()
    assert result.num_routes() < N_LEGS
    assert ejection.cost_of(result.routes()) < ejection.cost_of(start.routes())


def test_prune_keeps_a_tour_whose_legs_cost_more_elsewhere():
    # given: the bike's one leg could ride in the car, but a car's distance costs 1000
    # times a bike's: more than the bike's day (100) that emptying its tour would save
    data = _car_and_bike([0, 3])
    car, bike = data.vehicle_types()
    data = data.replace(vehicle_types=[car.replace(unit_distance_cost=1000, tw_late=10_000),
                                       bike.replace(fixed_cost=100, unit_distance_cost=1,
                                                    tw_late=10_000)])
    start = Solution(data, [_route(data, [0], 0), _route(data, [1], 1)])
    assert start.is_feasible()
    # when
    result = ejection.prune(data, start, time.perf_counter() + 5, seed=2)
    # then
    assert sorted(_legs_by_route(result)) == [(0, {0}), (1, {1})]


@pytest.mark.parametrize(
    "change, expected",
    [
        ("none", True),
        ("optional", False),
        ("client", False),
        ("initial_load", False),
    ],
)
def test_applies_only_to_required_legs_with_nothing_on_board(change, expected):
    data = _data()
    if change == "optional":
        ships = data.shipments()
        ships[0] = Shipment(1, 2, 0, 1000, 5, 0, 1000, 5, [1], 10, False)
        data = data.replace(shipments=ships)
    elif change == "client":
        data = data.replace(clients=[Client(1, delivery=[1], required=True)])
    elif change == "initial_load":
        data = data.replace(vehicle_types=[data.vehicle_type(0).replace(initial_load=[1])])
    assert ejection.applicable(data) is expected
