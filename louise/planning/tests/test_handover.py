"""Issue 15, bikes first: one handover per visit. A place's ``handover_s`` (meeting the
shop assistant or the customer) is spent once on coming there, so legs collected at one
shop one after the other, or parcels dropped at one door, share it; the solver, the
schedule and the checker time it alike."""

from __future__ import annotations

from dataclasses import replace

from louise.planning import (
    HaversineMatrix,
    Problem,
    TimeWindow,
    check,
    make_tour,
    plan,
    travel_s,
)
from louise.planning.matrix import build_distance, build_duration

from .conftest import EIGEN, HUB, SHOP, H, bike, leg, matrices_agree

COUNTER = replace(SHOP, handover_s=90)
DOOR = replace(EIGEN, handover_s=90)


def test_the_handover_is_added_on_coming_to_a_place_not_between_its_stops():
    matrix, a_bike = HaversineMatrix(), bike(park_s=45)
    assert (travel_s(matrix, HUB, COUNTER, a_bike)
            == matrix.duration(HUB, COUNTER, a_bike) + 45 + 90)
    assert travel_s(matrix, COUNTER, COUNTER, a_bike) == 0
    assert travel_s(matrix, COUNTER, HUB, a_bike) == matrix.duration(COUNTER, HUB, a_bike)
    # the solver's matrices and the insertion's rows say the same
    places = [HUB, COUNTER, DOOR]
    matrices_agree(matrix, places, a_bike, COUNTER)
    # without park time, handovers alone still count
    plain = bike()
    assert travel_s(matrix, HUB, DOOR, plain) == matrix.duration(HUB, DOOR, plain) + 90
    assert (build_duration(matrix, places, plain, build_distance(matrix, places))[0, 2]
            == travel_s(matrix, HUB, DOOR, plain))


def test_four_legs_from_one_shop_take_one_handover_there():
    # given: four parcels to one door, 30 s each of their own at the counter and 90 s at
    # the door besides the handovers, and nothing to wait for
    day = TimeWindow(14 * H, 22 * H)
    legs = tuple(leg(f"l{k}", COUNTER, DOOR, pickup_service=30, delivery_service=90,
                     pickup_window=day, delivery_window=day) for k in range(4))
    problem = Problem(legs, (bike(),))
    # when
    result = plan(problem, time_limit=0.5)
    # then: one visit at each place, one handover each, and the checker agrees
    assert check(problem, result) == []
    [tour] = result.tours
    pickups = [s for s in tour.stops if s.kind == "pickup"]
    drops = [s for s in tour.stops if s.kind == "delivery"]
    assert pickups[-1].departure - pickups[0].start == 4 * 30
    assert drops[-1].departure - drops[0].start == 4 * 90
    assert pickups[0].start - pickups[0].arrival == 0  # the handover is in the way there
    # and the same stops with a handover per stop take three handovers longer at each place
    apart = make_tour(bike(), [(replace(lg, pickup_service=120, delivery_service=180,
                                        pickup=SHOP, delivery=EIGEN), kind)
                               for lg, kind in ((problem.legs[int(s.leg_id[1:])], s.kind)
                                                for s in tour.stops)],
                      (0, 0, 0), HaversineMatrix())
    assert (apart.end - apart.start) - (tour.end - tour.start) == 2 * 3 * 90
