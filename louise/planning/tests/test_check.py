"""The checker on purpose-built broken plans: each rule must be caught on its own."""

from __future__ import annotations

from dataclasses import replace

import pytest

from louise.planning import Plan, Problem, TimeWindow, Tour, check, plan

from .conftest import EBEL, H, bike, leg


@pytest.fixture
def solved(small):
    result = plan(small, time_limit=0.3, seed=3)
    assert check(small, result) == []
    return small, result


def _rules(problem, result):
    return {v.rule for v in check(problem, result)}


def _with_stops(result: Plan, stops) -> Plan:
    tour = replace(result.tours[0], stops=tuple(stops))
    return replace(result, tours=(tour, *result.tours[1:]))


def test_pairing_missing_delivery(solved):
    problem, result = solved
    stops = [s for s in result.tours[0].stops if (s.leg_id, s.kind) != ("a", "delivery")]
    assert "pairing" in _rules(problem, _with_stops(result, stops))


def test_pairing_leg_neither_planned_nor_open(solved):
    problem, result = solved
    stops = [s for s in result.tours[0].stops if s.leg_id != "a"]
    assert "pairing" in _rules(problem, _with_stops(result, stops))


def test_precedence_delivery_before_pickup(solved):
    problem, result = solved
    stops = list(result.tours[0].stops)
    p = next(i for i, s in enumerate(stops) if (s.leg_id, s.kind) == ("a", "pickup"))
    d = next(i for i, s in enumerate(stops) if (s.leg_id, s.kind) == ("a", "delivery"))
    stops[p], stops[d] = stops[d], stops[p]
    assert "precedence" in _rules(problem, _with_stops(result, stops))


def test_same_vehicle_split_leg(solved):
    problem, result = solved
    stops = list(result.tours[0].stops)
    drop = next(s for s in stops if (s.leg_id, s.kind) == ("a", "delivery"))
    rest = [s for s in stops if s is not drop]
    other = Tour("bike2", (drop,), 17 * H, 18 * H, 0)
    broken = replace(
        _with_stops(result, rest), tours=(replace(result.tours[0], stops=tuple(rest)), other)
    )
    assert "same_vehicle" in _rules(problem, broken)


def test_capacity_exceeded(solved):
    problem, result = solved
    small_bike = replace(problem.vehicles[0], capacity=(80_000, 200_000, 1))
    tight = replace(problem, vehicles=(small_bike, *problem.vehicles[1:]))
    assert "capacity" in _rules(tight, result)


def test_a_violation_names_its_stop_and_the_load_against_the_limit(solved):
    # given a bike that carries one parcel only, and a drop swapped before its pickup
    problem, result = solved
    small_bike = replace(problem.vehicles[0], capacity=(80_000, 200_000, 1))
    tight = replace(problem, vehicles=(small_bike, *problem.vehicles[1:]))
    stops = list(result.tours[0].stops)
    # when the plan is checked
    over = [v for v in check(tight, result) if v.rule == "capacity"]
    # then each capacity breach says at which stop, how much is aboard and what fits
    first = over[0]
    assert first.limit == small_bike.capacity and first.value[2] > 1
    assert stops[first.position].leg_id == first.leg_id
    p = next(i for i, s in enumerate(stops) if (s.leg_id, s.kind) == ("a", "pickup"))
    d = next(i for i, s in enumerate(stops) if (s.leg_id, s.kind) == ("a", "delivery"))
    stops[p], stops[d] = stops[d], stops[p]
    early = next(v for v in check(problem, _with_stops(result, stops))
                 if v.rule == "precedence")
    assert early.position == p


def test_window_missed(solved):
    problem, result = solved
    legs = tuple(
        replace(lg, delivery_window=TimeWindow(10 * H, 11 * H)) if lg.id == "a" else lg
        for lg in problem.legs
    )
    assert "window" in _rules(replace(problem, legs=legs), result)


def test_shift_overrun(solved):
    problem, result = solved
    short = replace(problem.vehicles[0], shift=TimeWindow(14 * H, 17 * H + 1900))
    assert "shift" in _rules(replace(problem, vehicles=(short, *problem.vehicles[1:])), result)


def test_range_exceeded(solved):
    problem, result = solved
    weak = replace(problem.vehicles[0], range_m=1_000)
    assert "range" in _rules(replace(problem, vehicles=(weak, *problem.vehicles[1:])), result)


def test_zone_forbidden(solved):
    problem, result = solved
    legs = tuple(replace(lg, zone="Ebel") if lg.delivery == EBEL else lg for lg in problem.legs)
    zoned = replace(problem, legs=legs, zones={"Ebel": frozenset({"car"})})
    assert "zone" in _rules(zoned, result)


def test_requirements_missing(solved):
    problem, result = solved
    legs = tuple(replace(lg, requirements=frozenset({"cooled"})) for lg in problem.legs)
    assert "requirements" in _rules(replace(problem, legs=legs), result)


def test_fixed_prefix_moved(solved):
    problem, result = solved
    last = result.tours[0].stops[-1]
    fixed = replace(problem, fixed={result.tours[0].vehicle_id: ((last.leg_id, last.kind),)})
    assert "fixed" in _rules(fixed, result)


def test_on_board_goods_on_other_vehicle(solved):
    problem, result = solved
    legs = tuple(replace(lg, on_board="bike3") if lg.id == "a" else lg for lg in problem.legs)
    assert "on_board" in _rules(replace(problem, legs=legs), result)


def test_locked_leg_on_other_vehicle(solved):
    problem, result = solved
    legs = tuple(replace(lg, locked_to="bike3") if lg.id == "a" else lg for lg in problem.legs)
    assert "locked" in _rules(replace(problem, legs=legs), result)


def test_claimed_times_must_match(solved):
    problem, result = solved
    stops = list(result.tours[0].stops)
    stops[0] = replace(stops[0], arrival=stops[0].arrival - 60)
    assert _rules(problem, _with_stops(result, stops)) == {"schedule"}


def test_two_tours_for_one_vehicle(solved):
    problem, result = solved
    empty = Tour(result.tours[0].vehicle_id, (), 14 * H, 14 * H, 0)
    assert "same_vehicle" in _rules(problem, replace(result, tours=(*result.tours, empty)))


def test_unknown_problem_parts_do_not_crash():
    problem = Problem((leg("a"),), (bike(),))
    result = plan(problem, time_limit=0.3)
    assert "pairing" in _rules(Problem((), (bike(),)), result)
