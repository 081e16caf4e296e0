"""insert(): new legs slot into a published plan; existing stops keep their order."""

from __future__ import annotations

from dataclasses import replace

from louise.planning import Problem, TimeWindow, check, insert, plan

from .conftest import BOY, EBEL, EIGEN, KIRCHHELLEN, SHOP, H, bike, leg


def _order(result):
    return {t.vehicle_id: [(s.leg_id, s.kind) for s in t.stops] for t in result.tours}


def test_insert_keeps_existing_order(small):
    published = plan(small, time_limit=0.3)
    grown = replace(small, legs=(*small.legs, leg("new", EBEL, EIGEN)))
    # when
    result = insert(grown, published, ["new"])
    # then
    assert check(grown, result) == []
    assert result.solver == "insertion"
    before, after = _order(published), _order(result)
    for vid, stops in before.items():
        assert [s for s in after[vid] if s[0] != "new"] == stops
    assert sum(s[0] == "new" for stops in after.values() for s in stops) == 2


def test_insert_reports_why_a_leg_does_not_fit(small):
    published = plan(small, time_limit=0.3)
    legs = (*small.legs, leg("far", SHOP, KIRCHHELLEN, zone="Kirchhellen"))
    grown = replace(small, legs=legs, zones={"Kirchhellen": frozenset({"car"})})
    result = insert(grown, published, ["far"])
    assert check(grown, result) == []
    assert [(u.leg_id, u.code) for u in result.unassigned] == [("far", "zone")]


def test_insert_no_room_left():
    full = dict(size=(1, 1, 10), delivery_window=TimeWindow(17 * H + 1800, 17 * H + 2400))
    problem = Problem((leg("x", SHOP, EIGEN, **full),), (bike(),))
    published = plan(problem, time_limit=0.3)
    grown = replace(problem, legs=(*problem.legs, leg("y", SHOP, BOY, **full)))
    result = insert(grown, published, ["y"])
    assert check(grown, result) == []
    assert [(u.leg_id, u.code) for u in result.unassigned] == [("y", "capacity")]


def test_insert_opens_a_vehicle_only_when_needed():
    problem = Problem((leg("a"),), (bike("bike1"), bike("bike2")))
    published = plan(problem, time_limit=0.3)
    grown = replace(problem, legs=(*problem.legs, leg("b", EBEL, BOY)))
    result = insert(grown, published, ["b"])
    assert check(grown, result) == []
    assert len(result.tours) == 1


def test_insert_covers_forgotten_legs_and_drops_cancelled(small):
    published = plan(small, time_limit=0.3)
    shrunk = replace(small, legs=(*small.legs[1:], leg("extra", EBEL, BOY)))
    result = insert(shrunk, published, [])
    assert check(shrunk, result) == []
    served = {s.leg_id for t in result.tours for s in t.stops}
    assert "a" not in served
    assert "extra" in served


def test_insert_drop_only_leg_goes_to_its_bike():
    problem = Problem((leg("a"),), (bike("bike1"), bike("bike2", start=EBEL)))
    published = plan(problem, time_limit=0.3)
    grown = replace(problem, legs=(*problem.legs, leg("carried", SHOP, BOY, on_board="bike2")))
    result = insert(grown, published, ["carried"])
    assert check(grown, result) == []
    assert ("carried", "delivery") in _order(result)["bike2"]


def test_insert_many_is_consistent_with_checker():
    legs = tuple(leg(f"l{i}", SHOP, [EIGEN, BOY, EBEL][i % 3]) for i in range(6))
    problem = Problem(legs[:2], (bike("bike1"), bike("bike2")))
    published = plan(problem, time_limit=0.3)
    grown = replace(problem, legs=legs)
    result = insert(grown, published, [lg.id for lg in legs[2:]])
    assert check(grown, result) == []
    assert result.unassigned == ()


def test_insert_retimes_tours_when_the_problem_changed(small):
    published = plan(small, time_limit=0.3)
    later = TimeWindow(15 * H, 17 * H)
    legs = tuple(replace(lg, pickup_window=later) if lg.id == "a" else lg for lg in small.legs)
    changed = replace(small, legs=legs)
    result = insert(changed, published, [])
    assert check(changed, result) == []
    assert result.unassigned == ()
    pickup = next(s for t in result.tours for s in t.stops if (s.leg_id, s.kind) == ("a", "pickup"))
    assert pickup.start >= 15 * H
