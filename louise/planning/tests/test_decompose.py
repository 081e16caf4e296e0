"""Slicing a big day: every slice gets its own vehicles, routes never share one."""

from __future__ import annotations

from collections import Counter

from louise.planning import HaversineMatrix, Problem
from louise.planning.decompose import solve_large
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
