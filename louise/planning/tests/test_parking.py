"""Issue 15, bikes first: parking and the walk to the door per stop and vehicle kind, timed
alike by the solver, the schedule and the checker; and the insertion pass weighing a leg as
the solver does (money per metre and per second), not by metres alone."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np

from louise.planning import (
    HaversineMatrix,
    Location,
    Plan,
    Problem,
    TimeWindow,
    check,
    insert,
    make_plan,
    make_tour,
    plan,
    travel_s,
)
from louise.planning.matrix import build_distance, build_duration

from .conftest import EIGEN, HUB, SHOP, H, bike, car, leg, matrices_agree

# Around the Altmarkt: doors a few hundred metres apart, as in a town centre.
DOORS = tuple(Location(f"door{k}", 51.5262 + dlat, 6.9350 + dlon) for k, (dlat, dlon) in
              enumerate([(0.002, 0.0), (0.002, 0.003), (0.0, 0.003), (-0.002, 0.003),
                         (-0.002, 0.0), (-0.002, -0.003)]))
EVENING = TimeWindow(17 * H, 21 * H)
# The defaults of geo.vehicle_costs: equal money for both kinds, the car twice as fast.
CAR_PARKS, BIKE_PARKS = 180, 45
SAME_MONEY = dict(cost_per_hour=2200, cost_per_km=10, fixed_cost=1000)


def _vehicle_of(result: Plan) -> dict[str, str]:
    return {s.leg_id: t.vehicle_id for t in result.tours for s in t.stops}


def test_a_car_stop_takes_longer_than_a_bike_stop_in_a_town_centre():
    matrix = HaversineMatrix()
    a_car, a_bike = car(park_s=CAR_PARKS), bike(park_s=BIKE_PARKS)
    door, next_door = DOORS[0], DOORS[1]
    # the car drives faster, but parks and walks longer
    assert matrix.duration(door, next_door, a_car) < matrix.duration(door, next_door, a_bike)
    assert travel_s(matrix, door, next_door, a_car) > travel_s(matrix, door, next_door, a_bike)
    assert (travel_s(matrix, door, next_door, a_car)
            == matrix.duration(door, next_door, a_car) + CAR_PARKS)
    # no parking again for a second stop at the same place, nor coming home to the hub
    assert travel_s(matrix, door, door, a_car) == 0
    assert travel_s(matrix, door, HUB, a_car) == matrix.duration(door, HUB, a_car)
    # the same drops, one after the other: each takes the car longer from stop to stop
    drops = [(leg(f"l{k}", SHOP, d, pickup_window=EVENING, delivery_window=EVENING), kind)
             for k, d in enumerate(DOORS[:3]) for kind in ("pickup", "delivery")]
    stops = sorted(drops, key=lambda s: s[1] == "delivery")
    car_tour, bike_tour = (make_tour(v, stops, (0, 0, 0), matrix) for v in (a_car, a_bike))
    moves = zip(itertools.pairwise(car_tour.stops[2:]), itertools.pairwise(bike_tour.stops[2:]),
                strict=True)  # from the shop's last pickup on, door to door
    for (car_from, car_to), (bike_from, bike_to) in moves:
        assert car_to.arrival - car_from.departure > bike_to.arrival - bike_from.departure


def test_the_solver_and_the_checker_time_parking_alike():
    # given: every pairwise time the solver's matrices hold, and the rows insertion uses
    matrix, a_car = HaversineMatrix(), car(park_s=CAR_PARKS)
    matrices_agree(matrix, [HUB, SHOP, *DOORS], a_car, SHOP)
    # when: a plan with parking
    problem = Problem(tuple(leg(f"l{k}", SHOP, d) for k, d in enumerate(DOORS[:3])), (a_car,))
    result = plan(problem, time_limit=0.5)
    # then: the checker agrees with its times, and refuses the same order timed without
    assert check(problem, result) == []
    [tour] = result.tours
    legs = {lg.id: lg for lg in problem.legs}
    unparked = make_tour(replace(a_car, park_s=0),
                         [(legs[s.leg_id], s.kind) for s in tour.stops], (0, 0, 0), matrix)
    rushed = make_plan([replace(unparked, vehicle_id=a_car.id)], [], "test")
    assert "schedule" in {v.rule for v in check(problem, rushed)}


def _centre_day(car_parks: int, bike_parks: int) -> Problem:
    legs = tuple(leg(f"l{k}", SHOP, door, pickup_window=EVENING, delivery_window=EVENING)
                 for k, door in enumerate(DOORS))
    return Problem(legs, (car(park_s=car_parks, **SAME_MONEY),
                          bike(park_s=bike_parks, **SAME_MONEY)))


def test_a_town_centre_goes_by_bike_when_money_is_equal():
    # given: the same wages, km and day costs, and no CO2 on either
    # when: parking counts
    parked = _centre_day(CAR_PARKS, BIKE_PARKS)
    result = plan(parked, time_limit=0.5)
    # then: the bike, slower on the road, is quicker from door to door
    assert check(parked, result) == []
    assert set(_vehicle_of(result).values()) == {"bike1"}
    # and without it the faster car would have taken the day
    unparked = _centre_day(0, 0)
    assert set(_vehicle_of(plan(unparked, time_limit=0.5)).values()) == {"car1"}


def test_insertion_weighs_a_leg_by_the_vehicles_costs_not_by_metres():
    # given: a published evening, the bike to a door east, the car to one nearer the new leg
    matrix = HaversineMatrix()
    east, west = Location("east", 51.5300, 6.9400), Location("west", 51.5300, 6.9330)
    new_door = Location("new", 51.5310, 6.9340)

    def insertion(**costs: int) -> str:
        a_bike, a_car = bike(park_s=BIKE_PARKS, **costs), car(park_s=CAR_PARKS, **costs)
        to_east, to_west, new = (leg(lid, SHOP, door, pickup_window=EVENING,
                                     delivery_window=EVENING)
                                 for lid, door in (("e", east), ("w", west), ("n", new_door)))
        published = make_plan(
            [make_tour(v, [(lg, "pickup"), (lg, "delivery")], (0, 0, 0), matrix)
             for v, lg in ((a_bike, to_east), (a_car, to_west))], [], "pyvrp")
        problem = Problem((to_east, to_west, new), (a_bike, a_car))
        # when
        result = insert(problem, published, ["n"])
        assert check(problem, result) == []
        return _vehicle_of(result)["n"]

    # then: by metres the car's detour is the shorter one
    assert matrix.distance(west, new_door) < matrix.distance(east, new_door)
    assert insertion() == "car1"
    # but with money on time and km, the bike's time at the door costs less than the car's
    assert insertion(**SAME_MONEY) == "bike1"


def test_parking_off_changes_nothing():
    # the pure library's default: a vehicle parks in no time, the matrix is the road's
    matrix, a_car = HaversineMatrix(), car()
    places = [HUB, SHOP, EIGEN]
    seconds = build_duration(matrix, places, a_car, build_distance(matrix, places))
    expected = np.array([[matrix.duration(a, b, a_car) for b in places] for a in places])
    assert (seconds == expected).all()
