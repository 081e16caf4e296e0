"""One PyVRP search with a fleet-minimisation phase (route elimination).

PyVRP minimises cost; a large fixed cost per vehicle makes fewer vehicles win, but the
local search rarely finds a solution with one route less when that needs a very
different structure (Li & Lim lc103: 9 routes at +25 % distance vs 10 routes). So:
1. search normally for part of the time;
2. if every leg is served, drop the smallest route, allow one vehicle less, and search
   from there until all legs are served again (success: repeat) or the slice runs out;
3. spend what is left polishing the best fleet's distance.
Legs start optional with a big prize (some may not fit at all). Once a plan serves every
leg, they become required: PyVRP's penalised search then pushes the orphaned legs of an
eliminated route back in far better than the prize does (lc103: 9 routes in 0.3 s
instead of none in 20 s).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable

from pyvrp import (
    Activity,
    Client,
    IteratedLocalSearchCallbacks,
    IteratedLocalSearchParams,
    ProblemData,
    Shipment,
    Solution,
    SolveParams,
    solve,
)
from pyvrp import Route as PyRoute
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import MaxRuntime, MultipleCriteria, NoImprovement

# (share of the time for the normal search, share of what is left one elimination may take)
BALANCED = (0.3, 0.5)
FLEET_FIRST = (0.1, 0.7)  # the second core's style: more effort on fewer vehicles
MIN_LEFT = 0.1  # stop eliminating when less than this share of the time is left
SINGLE_SEARCH_ABOVE = 1000  # legs; a big city day has too many routes to drop one by one

Routes = list[tuple[int, list[tuple[int, int]]]]  # (vehicle type, [(activity type, idx)])
Result = tuple[tuple[int, int, int], int, Routes]


def run(
    data: ProblemData,
    seed: int,
    seconds: float,
    idle: int,
    on_progress: Callable[[float], None] | None = None,
    style: tuple[float, float] = BALANCED,
) -> Result:
    """Returns a sortable (unserved, vehicles, distance), the seed and the routes."""
    first_phase, attempt_share = style
    deadline = time.perf_counter() + seconds
    watch = _Watch(data, on_progress, seconds)
    total = data.num_shipments + data.num_clients

    def left() -> float:
        return deadline - time.perf_counter()

    if total > SINGLE_SEARCH_ABOVE:
        return _result(data, seed, watch.solve(data, seed, seconds, idle, None))
    best = watch.solve(data, seed, seconds * first_phase, idle, None)
    fleet = data
    if _served(best) == total:
        fleet = _required(data)
        best = _rebuild(fleet, best.routes(), skip=None)
    while left() > MIN_LEFT * seconds and _served(best) == total and best.num_routes() > 1:
        smaller, start = _eliminate(fleet, best)
        cand = watch.solve(smaller, seed, left() * attempt_share, idle, start, until_all=True)
        if _served(cand) != total or cand.num_routes() >= best.num_routes():
            break
        best, fleet = cand, smaller
    if left() > 0.05:
        best = watch.solve(fleet, seed, left(), idle, best)
    return _result(data, seed, best)


def _served(sol: Solution) -> int:
    return sol.num_shipments() + sol.num_clients() if sol.is_feasible() else -1


def _eliminate(data: ProblemData, best: Solution) -> tuple[ProblemData, Solution]:
    """One vehicle less (of the smallest route's type); the other routes as a start."""
    routes = best.routes()
    drop = min(range(len(routes)), key=lambda i: len(routes[i]))
    used = [0] * data.num_vehicle_types
    for r in routes:
        used[r.vehicle_type()] += 1
    used[routes[drop].vehicle_type()] -= 1
    types = [
        vt.replace(num_available=min(vt.num_available, used[i]) or vt.num_available)
        if i != routes[drop].vehicle_type()
        else vt.replace(num_available=max(used[i], 1))
        for i, vt in enumerate(data.vehicle_types())
    ]
    smaller = data.replace(vehicle_types=types)
    return smaller, _rebuild(smaller, routes, skip=drop)


def _rebuild(data: ProblemData, routes: list[PyRoute], skip: int | None) -> Solution:
    """The same routes (but one) as a solution of modified data."""
    kept = [
        PyRoute(data, [Activity(a.type, a.idx) for a in r if not a.is_depot()], r.vehicle_type())
        for i, r in enumerate(routes)
        if i != skip
    ]
    return Solution(data, kept)


def _required(data: ProblemData) -> ProblemData:
    """Every leg required, prizes gone: for when the plan is known to serve them all."""
    shipments = [
        Shipment(
            s.pickup.location,
            s.delivery.location,
            s.pickup.tw_early,
            s.pickup.tw_late,
            s.pickup.service_duration,
            s.delivery.tw_early,
            s.delivery.tw_late,
            s.delivery.service_duration,
            s.amount,
            0,
            True,
            name=s.name,
        )
        for s in data.shipments()
    ]
    clients = [
        Client(
            c.location,
            c.delivery,
            c.pickup,
            c.service_duration,
            c.tw_early,
            c.tw_late,
            c.release_time,
            0,
            True,
            name=c.name,
        )
        for c in data.clients()
    ]
    return data.replace(shipments=shipments, clients=clients)


def _result(data: ProblemData, seed: int, sol: Solution) -> Result:
    """An infeasible best keeps only its feasible routes; the engine inserts the rest."""
    kept = [r for r in sol.routes() if r.is_feasible()]
    routes = [
        (r.vehicle_type(), [(int(a.type.value), a.idx) for a in r if not a.is_depot()])
        for r in kept
    ]
    served = sum(len(acts) for _, acts in routes)
    unserved = data.num_shipments * 2 + data.num_clients - served
    return (unserved, len(routes), sum(r.distance() for r in kept)), seed, routes


class _Watch(IteratedLocalSearchCallbacks):
    """Runs the searches; reports progress and notices when every leg is served."""

    def __init__(self, data: ProblemData, report, seconds: float) -> None:
        self.total = data.num_shipments + data.num_clients
        self.report, self.seconds = report, max(seconds, 1e-3)
        self.t0 = self.last = time.perf_counter()
        self.until_all = self.all_served = False

    def solve(
        self,
        data: ProblemData,
        seed: int,
        seconds: float,
        idle: int,
        start: Solution | None,
        *,
        until_all: bool = False,
    ) -> Solution:
        self.until_all, self.all_served = until_all, False
        params = SolveParams(ils=IteratedLocalSearchParams(callbacks=self))
        stop = MultipleCriteria([MaxRuntime(max(seconds, 0.01)), NoImprovement(idle), self.done])
        with warnings.catch_warnings():
            # an elimination attempt that cannot succeed drives penalties to their bound
            warnings.simplefilter("ignore", PenaltyBoundWarning)
            res = solve(data, stop, seed, False, False, params, start)
        return res.best

    def done(self, best_cost: float) -> bool:
        return self.until_all and self.all_served

    def on_best(self, best: Solution) -> None:
        self.all_served = best.is_feasible() and _served(best) == self.total

    def on_iteration(self, current, candidate, best, cost_evaluator) -> None:
        if self.report is None:
            return
        now = time.perf_counter()
        if now - self.last >= 0.2:
            self.last = now
            self.report(min(0.99, (now - self.t0) / self.seconds))
