"""Slicing a big day: every slice gets its own vehicles, routes never share one."""

from __future__ import annotations

from collections import Counter

from louise.planning import HaversineMatrix, Problem
from louise.planning.decompose import _slices, solve_large
from louise.planning.prepare import prepare
from louise.planning.prescreen import screen

from .conftest import BOY, EBEL, EIGEN, HUB, SHOP, bike, car, leg


def test_slices_partition_legs_and_vehicles():
    places = [SHOP, EIGEN, BOY, EBEL, HUB]
    legs = tuple(leg(f"l{i}", places[i % 5], places[(i + 2) % 5]) for i in range(24))
    problem = Problem(legs, (*(bike(f"b{i}") for i in range(6)), car("c1"), car("c2")))
    matrix = HaversineMatrix()
    prep = prepare(problem, matrix)
    scr = screen(prep, matrix)
    # when
    out = solve_large(prep, scr, matrix, time_limit=0.6, seed=0, decompose_above=10, slice_legs=8)
    # then
    per_class = Counter(ci for ci, _ in out.routes)
    for ci, n in per_class.items():
        assert n <= len(scr.classes[ci].vehicle_ids)
    served = [lg.id for _, stops in out.routes for lg, kind in stops if kind == "pickup"]
    assert len(served) == len(set(served)) == len(out.served)


def test_vehicles_with_history_go_whole_to_one_slice_with_their_legs():
    # given: b0 has a leg locked to it, b1 carries one on board, both across the day
    places = [SHOP, EIGEN, BOY, EBEL, HUB]
    legs = [leg(f"l{i}", places[i % 5], places[(i + 2) % 5]) for i in range(24)]
    legs += [
        leg("locked", EBEL, BOY, locked_to="b0"),
        leg("aboard", SHOP, EIGEN, on_board="b1"),
    ]
    problem = Problem(tuple(legs), (*(bike(f"b{i}") for i in range(6)), car("c1"), car("c2")))
    matrix = HaversineMatrix()
    prep = prepare(problem, matrix)
    scr = screen(prep, matrix)
    # when
    out = solve_large(prep, scr, matrix, time_limit=0.6, seed=0, decompose_above=10, slice_legs=8)
    # then: each bound leg rides with its own vehicle's class, every class used at most
    # as often as it has vehicles
    class_of = {vid: ci for ci, cls in enumerate(scr.classes) for vid in cls.vehicle_ids}
    where = {lg.id: ci for ci, stops in out.routes for lg, _ in stops}
    assert where["locked"] == class_of["b0"]
    assert where["aboard"] == class_of["b1"]
    per_class = Counter(ci for ci, _ in out.routes)
    for ci, n in per_class.items():
        assert n <= len(scr.classes[ci].vehicle_ids)
    # and the day was really cut: four slices, each history vehicle in exactly one,
    # with its bound leg, and every leg in exactly one slice
    slices = _slices(prep, scr, 8)
    assert len(slices) == 4
    for vid, lid in (("b0", "locked"), ("b1", "aboard")):
        homes = [i for i, (_, back) in enumerate(slices) if class_of[vid] in back]
        assert len(homes) == 1
        assert lid in slices[homes[0]][0].allowed
    assert sorted(lid for sub, _ in slices for lid in sub.allowed) == sorted(scr.allowed)
