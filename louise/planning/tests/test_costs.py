"""Issue 15 on tiny days: zones at both ends, costs per vehicle type, late starts, trips
from the hub and charging there. Each rule also on the checker, with a plan that breaks it."""

from __future__ import annotations

import math
import random
import time
from dataclasses import replace

import numpy as np
import pytest
from pyvrp import Client, Depot, PenaltyParams, ProblemData, VehicleType
from pyvrp import Location as PyLocation

from louise.planning import (
    HaversineMatrix,
    Plan,
    Problem,
    TimeWindow,
    check,
    ejection,
    make_plan,
    make_tour,
    plan,
    prescreen,
    search,
    solve_pyvrp,
)
from louise.planning.prepare import prepare

from .conftest import BOY, EBEL, EIGEN, HUB, KIRCHHELLEN, SHOP, H, bike, car, leg

FAST = 0.5
# Literature-like rates (see geo.costs): a rider or driver ~22 €/h, a van's km ~ 0.3 €.
BIKE_COSTS = dict(cost_per_hour=2200, cost_per_km=5, co2_g_per_km=6, fixed_cost=800)
CAR_COSTS = dict(cost_per_hour=2200, cost_per_km=30, co2_g_per_km=90, fixed_cost=2500)


def _vehicle_of(result: Plan) -> dict[str, str]:
    return {s.leg_id: t.vehicle_id for t in result.tours for s in t.stops}


def _rules(problem: Problem, result: Plan) -> set[str]:
    return {v.rule for v in check(problem, result)}


# zones at both ends


def test_pickup_in_a_car_only_zone_rides_the_car():
    # given: a shop in car-only Kirchhellen delivering to a door in a bike zone
    problem = Problem(
        (leg("k", KIRCHHELLEN, EIGEN, pickup_zone="Kirchhellen", zone="Eigen"),
         leg("e", SHOP, EIGEN, zone="Eigen")),
        (bike(**BIKE_COSTS), car(**CAR_COSTS)),
        zones={"Kirchhellen": frozenset({"car"}), "Eigen": frozenset({"bike", "car"})},
    )
    # when
    result = plan(problem, time_limit=FAST)
    # then
    assert check(problem, result) == []
    assert _vehicle_of(result)["k"] == "car1"


def test_pickup_zone_without_an_allowed_vehicle_is_explained():
    problem = Problem(
        (leg("k", KIRCHHELLEN, EIGEN, pickup_zone="Kirchhellen"),),
        (bike(),),
        zones={"Kirchhellen": frozenset({"car"})},
    )
    result = plan(problem, time_limit=FAST)
    [out] = result.unassigned
    assert out.code == "zone"
    assert out.reason.startswith("Abholung in Zone Kirchhellen")


def test_checker_rejects_a_bike_at_a_car_only_pickup():
    free = Problem((leg("k", KIRCHHELLEN, EIGEN),), (bike(),))
    result = plan(free, time_limit=FAST)
    assert check(free, result) == []
    zoned = replace(free, legs=(replace(free.legs[0], pickup_zone="Kirchhellen"),),
                    zones={"Kirchhellen": frozenset({"car"})})
    assert "zone" in _rules(zoned, result)


# bikes first, costs


def test_bike_wins_when_money_is_equal():
    # given: the same money per hour and km, the same pace, but the car emits more CO2
    same = dict(cost_per_hour=2200, cost_per_km=10, fixed_cost=1000, speed_kmh=12.0)
    problem = Problem(
        (leg("a", SHOP, EIGEN), leg("b", SHOP, BOY)),
        (car(**same, co2_g_per_km=90), bike(**same, co2_g_per_km=6)),
    )
    result = plan(problem, time_limit=FAST)
    assert check(problem, result) == []
    assert set(_vehicle_of(result).values()) == {"bike1"}


def test_bulky_goes_by_car_the_rest_by_bike():
    # given: the bulky leg early, the others in the evening; the car is dearer per hour
    problem = Problem(
        (leg("sofa", SHOP, EIGEN, requirements=frozenset({"bulky"}),
             delivery_window=TimeWindow(14 * H, 15 * H)),
         leg("a", SHOP, BOY), leg("b", SHOP, EBEL)),
        (bike(**BIKE_COSTS), car(**{**CAR_COSTS, "cost_per_hour": 4000})),
    )
    result = plan(problem, time_limit=FAST)
    assert check(problem, result) == []
    assert _vehicle_of(result) == {"sofa": "car1", "a": "bike1", "b": "bike1"}


def test_costs_change_the_choice():
    legs = (leg("a", SHOP, EIGEN), leg("b", SHOP, BOY))
    cheap_car = Problem(legs, (bike(**{**BIKE_COSTS, "cost_per_hour": 9000}), car(**CAR_COSTS)))
    assert set(_vehicle_of(plan(cheap_car, time_limit=FAST)).values()) == {"car1"}
    cheap_bike = Problem(legs, (bike(**BIKE_COSTS), car(**CAR_COSTS)))
    assert set(_vehicle_of(plan(cheap_bike, time_limit=FAST)).values()) == {"bike1"}


def test_without_costs_fewest_vehicles_wins_as_before():
    # the car alone carries everything; two bikes would be needed for the same legs
    legs = tuple(leg(f"l{i}", SHOP, [EIGEN, BOY, EBEL][i % 3], size=(1, 1, 6)) for i in range(3))
    problem = Problem(legs, (bike("bike1"), bike("bike2"), car()))
    result = plan(problem, time_limit=FAST)
    assert check(problem, result) == []
    assert len(result.tours) == 1


# rider time


def test_a_tour_leaves_as_late_as_its_stops_allow():
    # given: the pickup at the hub is open all afternoon, the drop only from 17:30
    only = leg("a", HUB, EIGEN, pickup_window=TimeWindow(14 * H, 20 * H))
    vehicle = bike()
    # when
    tour = make_tour(vehicle, [(only, "pickup"), (only, "delivery")], (0, 0, 0), _matrix())
    # then: no waiting on the way, the rider leaves just in time for 17:30
    assert all(s.start == s.arrival for s in tour.stops[1:])
    assert tour.stops[1].start == 17 * H + 1800
    assert tour.start > 17 * H
    problem = Problem((only,), (vehicle,))
    assert check(problem, make_plan([tour], [], "test")) == []


def test_late_start_keeps_every_window():
    # the second stop's window closes early: the start may move only as far as it allows
    a = leg("a", HUB, EIGEN, pickup_window=TimeWindow(14 * H, 20 * H),
            delivery_window=TimeWindow(14 * H, 15 * H))
    b = leg("b", HUB, BOY, pickup_window=TimeWindow(14 * H, 20 * H))
    stops = [(a, "pickup"), (b, "pickup"), (a, "delivery"), (b, "delivery")]
    tour = make_tour(bike(), stops, (0, 0, 0), _matrix())
    problem = Problem((a, b), (bike(),))
    assert check(problem, make_plan([tour], [], "test")) == []
    assert tour.stops[2].start <= 15 * H


# multi-trip and charging


def test_a_bike_serves_more_legs_than_it_carries_in_trips_from_the_hub():
    # given: 25 parcels from the hub, a bike for 10 at a time, over the evening
    places = [EIGEN, BOY, EBEL]
    legs = tuple(leg(f"h{i}", HUB, places[i % 3], size=(1, 1, 1),
                     pickup_window=TimeWindow(14 * H, 21 * H),
                     delivery_window=TimeWindow(15 * H, 22 * H))
                 for i in range(25))
    problem = Problem(legs, (bike(capacity=(80_000, 200_000, 10), **BIKE_COSTS),))
    # when
    result = plan(problem, time_limit=2.0)
    # then: all served by one bike, never more than 10 on board
    assert check(problem, result) == []
    assert result.unassigned == ()
    [tour] = result.tours
    assert max(s.load[2] for s in tour.stops) <= 10
    trips = sum(1 for a, b in zip(tour.stops, tour.stops[1:], strict=False)
                if a.kind == "delivery" and b.kind == "pickup")
    assert trips >= 2


def _two_trips(charge_s: int | None) -> tuple[Problem, Plan]:
    """Two trips to Kirchhellen and back (about 11 km each way), a long break at the hub."""
    first = leg("1", HUB, KIRCHHELLEN, pickup_window=TimeWindow(14 * H, 14 * H),
                delivery_window=TimeWindow(14 * H, 16 * H))
    second = leg("2", HUB, KIRCHHELLEN, pickup_window=TimeWindow(19 * H, 19 * H),
                 delivery_window=TimeWindow(19 * H, 21 * H + 1800))
    vehicle = bike(range_m=30_000, charge_s=charge_s, shift=TimeWindow(14 * H, 23 * H))
    stops = [(first, "pickup"), (first, "delivery"), (second, "pickup"), (second, "delivery")]
    tour = make_tour(vehicle, stops, (0, 0, 0), _matrix())
    return Problem((first, second), (vehicle,)), make_plan([tour], [], "test")


def test_charging_at_the_hub_restores_the_range():
    problem, result = _two_trips(charge_s=2 * H)
    assert result.distance_m > 30_000  # beyond one charge in all
    assert check(problem, result) == []


def test_checker_rejects_range_without_charging_or_with_too_short_a_stay():
    problem, result = _two_trips(charge_s=None)
    assert "range" in _rules(problem, result)
    problem, result = _two_trips(charge_s=5 * H)
    assert "range" in _rules(problem, result)


def _matrix() -> HaversineMatrix:
    return HaversineMatrix()


def test_without_costs_the_solver_gets_the_same_objective_as_before(small):
    # fewest vehicles (a big fixed cost), then metres: PyVRP's default unit costs
    matrix = _matrix()
    prep = prepare(small, matrix)
    data, costs, _refs = solve_pyvrp._build(prep, prescreen.screen(prep, matrix), matrix)
    assert costs is None
    assert {(vt.unit_distance_cost, vt.unit_duration_cost) for vt in data.vehicle_types()} == {
        (1, 0)}
    costed = replace(small, vehicles=tuple(replace(v, **BIKE_COSTS) for v in small.vehicles))
    prep = prepare(costed, matrix)
    plain, costs, _refs = solve_pyvrp._build(prep, prescreen.screen(prep, matrix), matrix)
    assert {(vt.unit_distance_cost, vt.unit_duration_cost) for vt in plain.vehicle_types()} == {
        (1, 0)}
    [vt] = costs.vehicle_types()
    # 22 €/h = 220,000 units per second; 5 ct/km and 6 g CO2/km at 250 €/t per metre
    assert (vt.unit_duration_cost, vt.unit_distance_cost) == (2200 * 100, 5 * 360 + 6 * 9)
    assert vt.fixed_cost == 800 * 360_000


def test_the_cost_phase_ends_at_the_time_limit_when_pyvrp_overruns_it(monkeypatch):
    # given: a costed day whose first cost round takes longer than the whole time limit
    # (PyVRP stops only between iterations: on 500 legs one took 6-7 s of a 2.3 s share)
    problem = Problem(
        (leg("a", SHOP, EIGEN), leg("b", SHOP, BOY), leg("c", SHOP, EBEL)),
        (bike("bike1", **BIKE_COSTS), bike("bike2", **BIKE_COSTS)),
    )
    cost_rounds: list[float] = []
    served = False
    real_run, real_solve = search.run, search._Watch.solve

    def run(*args, **kwargs):
        nonlocal served
        result = real_run(*args, **kwargs)
        served = kwargs.get("costs") is None  # the plain search behind the cost phase
        return result

    def solve(self, data, seed, seconds, idle, start):
        found = real_solve(self, data, seed, seconds, idle, start)
        if served:
            cost_rounds.append(seconds)
            time.sleep(FAST)  # a round as long as a big day's
        return found

    pruned: list[int] = []
    monkeypatch.setattr(search, "run", run)
    monkeypatch.setattr(search._Watch, "solve", solve)
    monkeypatch.setattr(ejection, "prune", lambda data, sol, *a, **k: pruned.append(1) or sol)
    # when
    result = plan(problem, time_limit=FAST)
    # then: one cost round, no pruning, no polish after it; every leg planned and valid
    assert len(cost_rounds) == 1 and pruned == []
    assert check(problem, result) == [] and not result.unassigned


def test_with_costs_the_fleet_is_the_cost_phases_not_a_count_of_vehicles(monkeypatch):
    # given: a costed day the first search serves in full, on two tours (two doors far
    # apart, each within the same five minutes); the bench's 500-leg day went to 19
    # vehicles, cars first, when its first search served every leg, and to 47-56 when not
    at_six = TimeWindow(18 * H, 18 * H + 300)
    problem = Problem(
        (leg("a", SHOP, EIGEN, delivery_window=at_six),
         leg("b", SHOP, EBEL, delivery_window=at_six)),
        (bike("bike1", **BIKE_COSTS), bike("bike2", **BIKE_COSTS), car(**CAR_COSTS)),
    )
    minimised: list[int] = []
    real = ejection.minimise
    monkeypatch.setattr(ejection, "minimise", lambda *a, **k: minimised.append(1) or real(*a, **k))
    # when
    result = plan(problem, time_limit=FAST)
    # then: no minimisation by vehicle count; every leg planned, on a bike (cheaper here)
    assert minimised == []
    assert check(problem, result) == [] and not result.unassigned
    assert set(_vehicle_of(result).values()) <= {"bike1", "bike2"}


def test_the_polish_ends_one_iteration_before_the_limit(monkeypatch):
    # given: a costed day whose cost round met an iteration as long as the whole limit
    # (PyVRP looks at its limit only between iterations: on the 839 legs of a 500-leg day
    # a polish asked for 1.1 s took 5.5 s)
    problem = Problem(
        (leg("a", SHOP, EIGEN), leg("b", SHOP, BOY), leg("c", SHOP, EBEL)),
        (bike("bike1", **BIKE_COSTS), bike("bike2", **BIKE_COSTS)),
    )
    costed_rounds: list[float] = []
    real_solve = search._Watch.solve

    def solve(self, data, seed, seconds, idle, start):
        found = real_solve(self, data, seed, seconds, idle, start)
        if data.vehicle_types()[0].unit_duration_cost:  # the money objective
            costed_rounds.append(seconds)
            self.round_s = max(self.round_s, FAST)
        return found

    monkeypatch.setattr(search._Watch, "solve", solve)
    # when
    result = plan(problem, time_limit=FAST)
    # then: the cost round only, no polish that would end past the limit; a valid plan
    assert len(costed_rounds) == 1
    assert check(problem, result) == [] and not result.unassigned


def _doors(seed: int, *, costed: bool) -> ProblemData:
    """Thirty doors within 3 km of the hub, each with a half-hour window in four hours, a
    rider at 15 km/h; costed: 22 EUR/h and 13 ct/km in the solver's units (1/360,000 cent)."""
    rng = random.Random(seed)
    places = [(0, 0)] + [(rng.randint(-3000, 3000), rng.randint(-3000, 3000)) for _ in range(30)]
    metres = np.array([[round(math.dist(a, b)) for b in places] for a in places], dtype=np.int64)
    doors = []
    for k in range(1, len(places)):
        opens = rng.randint(0, 3 * 3600)
        doors.append(Client(k, [1], [], 180, opens, opens + 1800))
    rider = VehicleType(10, [20], 0, 0, tw_early=0, tw_late=5 * 3600,
                        unit_distance_cost=13 * 360 if costed else 1,
                        unit_duration_cost=2200 * 100 if costed else 0)
    return ProblemData([PyLocation(x=x, y=y) for x, y in places], doors, [Depot(0)], [rider],
                       [metres], [metres * 3600 // 15000], [], [])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_cost_round_lowers_the_cost_of_the_plan_it_starts_from(seed):
    # given: a plan of thirty doors that keeps every window, found without costs
    start = search._Watch(None, 1).solve(_doors(seed, costed=False), seed, 5, 20, None)
    costs = _doors(seed, costed=True)
    plain = search._rebuild(costs, start)
    assert plain.is_feasible()
    # when: PyVRP lowers its cost in money (a large day's cost round has a few dozen
    # iterations; it stops after 30 without a better plan)
    cheaper = search._Watch(None, 1).solve(costs, seed, 5, 30, plain)
    # then: a plan that keeps every window and costs less. With PyVRP's default penalties
    # a second late weighed less than a second of the rider's pay: every solution of the
    # round was late somewhere, and the plan it started from came back unchanged.
    assert cheaper.is_feasible()
    assert ejection.cost_of(cheaper.routes()) < 0.9 * ejection.cost_of(plain.routes())


def test_without_costs_the_penalties_are_pyvrps_own():
    # Li & Lim and every day without costs search exactly as before
    assert search._penalties(_doors(0, costed=False)) == PenaltyParams()
