"""The two searches share smaller fleets through a file; the main one adopts them."""

from __future__ import annotations

import time

from pyvrp import Activity, ActivityType, Solution
from pyvrp import Route as PyRoute

from louise.planning import ejection, search, solve_pyvrp

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


def test_the_completion_gets_its_time_when_the_first_search_overran_its_own(monkeypatch):
    # given: optional legs, and a first search that overruns its share of the time and
    # leaves every leg out (PyVRP stops only between iterations: on the 839 legs of a
    # 500-leg bench day its first round took 1.4-2.2 s of 0.64, and the completion,
    # started past its deadline, gave up at once: 60-78 legs went in by plain insertion)
    data = _data()
    data = data.replace(shipments=[solve_pyvrp._with_prize(s, 10_000) for s in data.shipments()])
    seconds = 1.0
    overrun = seconds * (search.BALANCED[0] + search.COMPLETE_SHARE) + 0.05

    def first_search(self, data, seed, seconds, idle, start):
        time.sleep(overrun)
        return Solution(data, [])

    left_at_completion: list[float] = []
    real_complete = ejection.complete

    def complete(data, sol, deadline, seed, **kwargs):
        left_at_completion.append(deadline - time.perf_counter())
        return real_complete(data, sol, deadline, seed, **kwargs)

    monkeypatch.setattr(search._Watch, "solve", first_search)
    monkeypatch.setattr(ejection, "complete", complete)
    # when
    (unserved, _, _), _, routes = search.run(data, 0, seconds, 1000, serve_only=True)
    # then: the completion had time, and served every leg
    assert len(left_at_completion) == 1 and left_at_completion[0] > 0
    assert unserved == 0 and sum(len(acts) for _, acts in routes) == 2 * N_LEGS
