"""The two searches share smaller fleets through a file; the main one adopts them."""

from __future__ import annotations

import time

from pyvrp import Activity, ActivityType, Solution
from pyvrp import Route as PyRoute

from louise.planning import ejection, search

from .test_ejection import N_LEGS, _data, _one_route_per_leg


def _three_routes(data) -> Solution:
    routes = [
        PyRoute(data, [Activity(ActivityType.PICKUP, a), Activity(ActivityType.DELIVERY, a),
                       Activity(ActivityType.PICKUP, b), Activity(ActivityType.DELIVERY, b)], 0)
        for a, b in ((0, 1), (2, 3), (4, 5))
    ]  # fmt: skip
    return Solution(data, routes)


def test_a_smaller_fleet_is_adopted_with_the_fleet_limited_to_it(tmp_path):
    data = _data()
    path = str(tmp_path / "fleet")
    adoption = search._Adoption(path, data)
    assert not adoption.ready()  # nothing shared yet
    search._share(path, _three_routes(data))
    assert adoption.ready()
    taken = adoption.take(_one_route_per_leg(data, [0] * N_LEGS))
    assert taken is not None
    fleet, adopted = taken
    assert adopted.is_feasible() and adopted.num_routes() == 3
    assert fleet.vehicle_type(0).num_available == 3
    assert not adoption.ready()  # read once per change


def test_no_adoption_without_a_smaller_fleet_or_a_readable_file(tmp_path):
    data = _data()
    path = str(tmp_path / "fleet")
    adoption = search._Adoption(path, data)
    mine = _three_routes(data)
    assert adoption.take(mine) is None  # nothing shared yet
    search._share(path, _one_route_per_leg(data, [0] * N_LEGS))
    assert adoption.take(mine) is None  # theirs is bigger
    (tmp_path / "fleet").write_bytes(b"not a pickle")
    assert adoption.take(mine) is None


def test_every_smaller_fleet_is_announced_as_found():
    # given: six single-leg routes, three at least
    data = _data()
    heard: list[int] = []
    # when
    ejection.minimise(
        data, _one_route_per_leg(data, [0] * N_LEGS), time.perf_counter() + 5, seed=1,
        patience=2, on_level=lambda sol: heard.append(sol.num_routes()),
    )  # fmt: skip
    # then
    assert heard == [5, 4, 3]
