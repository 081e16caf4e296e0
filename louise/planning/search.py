"""One search: PyVRP, then fleet minimisation by ejection search, then PyVRP again.

PyVRP minimises cost; a large fixed cost per vehicle makes fewer vehicles win, but its
local search rarely finds a plan with one route less when that needs a very different
structure (Li & Lim lc103: 9 routes at +25 % distance vs 10 routes). So:
1. search normally for part of the time (legs optional with a big prize: some may not
   fit at all);
2. if every leg is served, the legs become required and the guided ejection search
   (``ejection.py``) takes routes out while the others can absorb their legs;
3. spend what is left on the distance of the smallest fleet: PyVRP's polish while it
   gains, then ruin and recreate (``ruin.py``), which moves many legs at once where
   the packed routes stall PyVRP's local search.
Before the ejection search, step 2 was PyVRP itself with one vehicle less per attempt:
39 of 60 Li & Lim 200 instances at the best known fleet in 30 s; see docs/planning.md.
With money costs (``_cheapest``) steps 2 and 3 give way to the cost phase once every leg
is served: counting vehicles would weigh a bike like a car.
"""

from __future__ import annotations

import os
import pickle
import time
import warnings
from collections.abc import Callable

from pyvrp import (
    Activity,
    ActivityType,
    Client,
    CostEvaluator,
    IteratedLocalSearchCallbacks,
    IteratedLocalSearchParams,
    PenaltyParams,
    ProblemData,
    Shipment,
    Solution,
    SolveParams,
    solve,
)
from pyvrp import Route as PyRoute
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import MaxRuntime, MultipleCriteria, NoImprovement

from . import ejection, ruin

# Shares of the time: the first normal search; the end of fleet minimisation; how long
# the minimisation may go without removing a route.
BALANCED = (0.15, 0.5, 0.1)
FLEET_FIRST = (0.1, 0.85, 0.35)  # the second core's style: more effort on fewer vehicles
STALLED = 0.01  # a polishing round that gains less hands over to ruin and recreate
POLISH_ROUND = 0.1  # PyVRP polishes in rounds this long: a look for their fleet, a stall
LEAST_ROUND = 0.05  # s; less time than this left: no further PyVRP call (each overruns it)
SINGLE_SEARCH_ABOVE = 1000  # legs; a big city day has too many routes to drop one by one
SERVE_SHARE = 0.5  # with money costs: the most time to serve the most legs, before cost
# The cost phase: PyVRP for this share of what serving left, then dropping tours others can
# take for this share of the whole time (the rest polishes what is left).
COST_SHARE, PRUNE_SHARE = 0.5, 0.1
COMPLETE_SHARE = 0.1  # after a first search that left legs out: the time to put them in

Routes = list[tuple[int, list[tuple[int, int]]]]  # (vehicle type, [(activity type, idx)])
Result = tuple[tuple[int, int, int], int, Routes]


def run(
    data: ProblemData,
    seed: int,
    seconds: float,
    idle: int,
    on_progress: Callable[[float], None] | None = None,
    style: tuple[float, float, float] = BALANCED,
    share: str | None = None,
    adopt: str | None = None,
    costs: ProblemData | None = None,
    serve_only: bool = False,
) -> Result:
    """Returns a sortable (unserved, vehicles, distance) (with costs: (unserved, cost,
    vehicles)), the seed and the routes. ``serve_only`` returns as soon as every leg is
    served: the cost phase decides the fleet (``_cheapest``).

    Two searches cooperate through files: the one with ``share`` (the second core) writes
    every smaller fleet it finds; the one with ``adopt`` (the main process) looks between
    polishing rounds (and while ruin and recreate runs) and continues from a smaller
    fleet when there is one, so that the best fleet of either gets most of the time.
    """
    first_phase, fleet_until, patience = style
    t0 = time.perf_counter()
    deadline = t0 + seconds
    watch = _Watch(on_progress, seconds)
    if costs is not None:
        return _cheapest(data, costs, seed, seconds, idle, on_progress, style)
    total = data.num_shipments + data.num_clients
    if total > SINGLE_SEARCH_ABOVE:
        return _result(data, seed, watch.solve(data, seed, seconds, idle, None))
    best = watch.solve(data, seed, seconds * first_phase, idle, None)
    fleet, required = data, None
    served = _served(best)
    if 0 <= served < total:  # legs left out: put them in, then polish as before
        # its share from now: on large days the first search overruns its own (PyVRP stops
        # only between iterations), and a completion started past its deadline gave up
        deadline_in = min(deadline, time.perf_counter() + seconds * COMPLETE_SHARE)
        best = _rebuild(data, _complete(data, best, deadline_in, seed, watch))
    if serve_only and _served(best) == total:
        return _result(data, seed, best)
    if served == total:  # served by the first search: fewer vehicles, as before
        fleet = required = _required(data)
        best = _rebuild(fleet, best)
        if best.num_routes() > 1 and ejection.applicable(fleet):
            fewer = ejection.minimise(
                fleet, best, t0 + seconds * fleet_until, seed, patience=seconds * patience,
                tick=watch.tick, on_level=(lambda sol: _share(share, sol)) if share else None,
            )  # fmt: skip
            if fewer.num_routes() < best.num_routes() and fewer.is_feasible():
                fleet = _limited(fleet, fewer)
                best = _rebuild(fleet, fewer)
    adoption = _Adoption(adopt, required) if adopt is not None and required is not None else None
    can_ruin = required is not None and ejection.applicable(fleet)
    ruin_since = None  # when ruin and recreate took over from PyVRP's stalled polish
    resumed = 0  # a resumed ruin and recreate draws new random numbers
    while (left := deadline - time.perf_counter()) > LEAST_ROUND:
        if ruin_since is None:
            before = best.distance()
            chunk = min(left, seconds * POLISH_ROUND) if adoption is not None or can_ruin else left
            best = watch.solve(fleet, seed, chunk, idle, best)
            if can_ruin and best.distance() > before * (1 - STALLED):
                ruin_since = time.perf_counter()
        else:
            best = ruin.shorten(
                fleet, best, deadline, seed + 7919 * resumed, since=ruin_since,
                tick=watch.tick, stop=adoption.ready if adoption is not None else None,
            )  # fmt: skip
            resumed += 1
        if adoption is not None and (theirs := adoption.take(best)) is not None:
            (fleet, best), ruin_since = theirs, None
    return _result(data, seed, best)


def _cheapest(
    data: ProblemData,
    costs: ProblemData,
    seed: int,
    seconds: float,
    idle: int,
    on_progress: Callable[[float], None] | None,
    style: tuple[float, float, float],
) -> Result:
    """Serve as many legs as possible, then cost as little as possible.

    PyVRP on the costed data alone left legs out that the plain search (and the ejection
    search completing it) serves: 3 of 44 on the demo's Bottrop day. So the plain search
    comes first, up to ``SERVE_SHARE`` of the time, but only until every leg is served:
    its fleet minimisation counts vehicles, a bike like a car, and a plan that went that
    way (on a day the first short search happened to serve in full) kept 19 of 50
    vehicles into the cost phase, cars first, where the others kept 47-56: two plans of
    one day, chosen by chance. The fleet is the cost phase's: PyVRP lowers the cost from
    the plain plan (``COST_SHARE`` of what is left), the tours the others take over for
    less are dropped (``_pruned``), and PyVRP polishes what is left. A leg's prize exceeds
    what serving it can cost, so the cost phase never trades a leg for money.

    PyVRP stops only between its iterations, and on a large costed day the first one from
    a given plan took 6-7 s (500 legs of ``bench city`` with costs, 10 s limit): each
    further call would pay it again. So pruning and the polish get only what is left of
    the time limit, and the polish is skipped when nothing is (the plan took 20 s, not 12).
    The polish ends one iteration (the longest of the cost round) before the limit: on
    the 839 legs of a 500-leg day, asked for 1.1 s, it took 5.5 s.
    """
    until = time.perf_counter() + seconds
    first = run(data, seed, seconds * SERVE_SHARE, idle, on_progress, style, serve_only=True)
    start = Solution(costs, [PyRoute(costs, [Activity(ActivityType(t), i) for t, i in acts], vt)
                             for vt, acts in first[2]])
    watch = _Watch(on_progress, seconds)
    best = watch.solve(costs, seed, (until - time.perf_counter()) * COST_SHARE, idle, start)
    prune_until = min(until, time.perf_counter() + seconds * PRUNE_SHARE)
    best = _pruned(costs, best, prune_until, seed, watch)
    if (left := until - time.perf_counter() - watch.round_s) > LEAST_ROUND:
        best = watch.solve(costs, seed, left, idle, best)
    return _result(costs, seed, best, costed=True)


def _pruned(costs: ProblemData, best: Solution, deadline: float, seed: int,
            watch: _Watch) -> Solution:
    """``best`` without the tours the others take over for less (``ejection.prune``), where
    the ejection search models the plan: every leg served, nothing on board."""
    if time.perf_counter() >= deadline:
        return best
    required = _required(costs)
    if _served(best) != costs.num_shipments or not ejection.applicable(required):
        return best
    pruned = ejection.prune(required, _rebuild(required, best), deadline, seed, tick=watch.tick)
    return _rebuild(costs, pruned)


def _complete(data: ProblemData, best: Solution, deadline: float, seed: int,
              watch: _Watch) -> Solution:
    """``best`` with the legs it left out, where the ejection search can put them in (a
    solution of the required data then), else ``best`` as it is."""
    required = _required(data)
    if not ejection.applicable(required):
        return best
    full = ejection.complete(required, _rebuild(required, best), deadline, seed, tick=watch.tick)
    return full if full is not None and full.is_feasible() else best


def _share(path: str, sol: Solution) -> None:
    """Write the routes atomically: the reader never sees half a file."""
    routes = [
        (r.vehicle_type(), [(a.type, a.idx) for a in r if not a.is_depot()]) for r in sol.routes()
    ]
    with open(path + ".tmp", "wb") as fh:
        pickle.dump(routes, fh)
    os.replace(path + ".tmp", path)


class _Adoption:
    """The other search's fleet file, read only when it has changed since the last look."""

    def __init__(self, path: str, data: ProblemData) -> None:
        self.path, self.data, self.seen = path, data, 0

    def ready(self) -> bool:
        try:
            return os.stat(self.path).st_mtime_ns != self.seen
        except OSError:
            return False

    def take(self, best: Solution) -> tuple[ProblemData, Solution] | None:
        """Their solution when it has fewer routes than ``best`` and is feasible, with the
        data limited to its fleet. An unchanged file is not read again."""
        if not self.ready():
            return None
        try:
            self.seen = os.stat(self.path).st_mtime_ns
            with open(self.path, "rb") as fh:
                routes = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError):
            return None
        if len(routes) >= best.num_routes():
            return None
        data = self.data
        theirs = Solution(
            data, [PyRoute(data, [Activity(t, i) for t, i in acts], vt) for vt, acts in routes]
        )
        if not theirs.is_feasible():
            return None
        fleet = _limited(data, theirs)
        return fleet, _rebuild(fleet, theirs)


def _penalties(data: ProblemData) -> PenaltyParams:
    """PyVRP's penalty range in the units of the data's costs.

    PyVRP starts its penalties per unit of excess load, duration or time warp midway in
    their range (0.1 to 100,000 by default) and moves them only every 500 solutions. That
    suits data whose cost is a metre of distance; with money costs (1/360,000 cent, so a
    rider's second costs 220,000 at 22 EUR/h) a second of lateness cost less than a second
    of riding: every solution of the cost phase was late somewhere, the few dozen
    iterations of a large day never moved the penalties, and the phase returned the plan
    it started from (the 838 legs of a 500-leg day, 4 and 7 s: not a cent less). The range
    is scaled by the dearest unit cost, so a unit of violation weighs against a unit of
    cost as it does against a metre without costs (Li & Lim: unchanged)."""
    scale = max(1, *(max(vt.unit_distance_cost, vt.unit_duration_cost)
                     for vt in data.vehicle_types()))
    default = PenaltyParams()
    return PenaltyParams(min_penalty=default.min_penalty * scale,
                         max_penalty=default.max_penalty * scale)


def _served(sol: Solution) -> int:
    return sol.num_shipments() + sol.num_clients() if sol.is_feasible() else -1


def _limited(data: ProblemData, sol: Solution) -> ProblemData:
    """No more vehicles of each type than ``sol`` uses: the polish keeps the fleet."""
    used = [0] * data.num_vehicle_types
    for r in sol.routes():
        used[r.vehicle_type()] += 1
    types = [
        vt.replace(num_available=max(min(vt.num_available, used[i]), 1))
        for i, vt in enumerate(data.vehicle_types())
    ]
    return data.replace(vehicle_types=types)


def _rebuild(data: ProblemData, sol: Solution) -> Solution:
    """The same routes as a solution of modified data."""
    routes = [
        PyRoute(data, [Activity(a.type, a.idx) for a in r if not a.is_depot()], r.vehicle_type())
        for r in sol.routes()
    ]
    return Solution(data, routes)


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


def _result(data: ProblemData, seed: int, sol: Solution, *, costed: bool = False) -> Result:
    """An infeasible best keeps only its feasible routes; the engine inserts the rest."""
    kept = [r for r in sol.routes() if r.is_feasible()]
    routes = [
        (r.vehicle_type(), [(int(a.type.value), a.idx) for a in r if not a.is_depot()])
        for r in kept
    ]
    served = sum(len(acts) for _, acts in routes)
    unserved = data.num_shipments * 2 + data.num_clients - served
    if costed:
        return (unserved, ejection.cost_of(kept), len(routes)), seed, routes
    return (unserved, len(routes), sum(r.distance() for r in kept)), seed, routes


class _Watch(IteratedLocalSearchCallbacks):
    """Runs the searches and reports progress."""

    def __init__(self, report: Callable[[float], None] | None, seconds: float) -> None:
        self.report, self.seconds = report, max(seconds, 1e-3)
        self.t0 = self.last = self.since = time.perf_counter()
        # The longest PyVRP iteration seen: PyVRP looks at its time limit only between
        # iterations, so a call overruns its limit by up to this much.
        self.round_s = 0.0

    def solve(
        self, data: ProblemData, seed: int, seconds: float, idle: int, start: Solution | None
    ) -> Solution:
        params = SolveParams(ils=IteratedLocalSearchParams(callbacks=self),
                             penalty=_penalties(data))
        stop = MultipleCriteria([MaxRuntime(max(seconds, 0.01)), NoImprovement(idle)])
        self.since = time.perf_counter()
        with warnings.catch_warnings():
            # a search whose fleet is too small for every leg drives penalties to their bound
            warnings.simplefilter("ignore", PenaltyBoundWarning)
            res = solve(data, stop, seed, False, False, params, start)
        return res.best

    def on_iteration(
        self, current: Solution, candidate: Solution, best: Solution, cost_evaluator: CostEvaluator
    ) -> None:
        now = time.perf_counter()
        self.round_s, self.since = max(self.round_s, now - self.since), now
        self.tick()

    def tick(self) -> None:
        if self.report is None:
            return
        now = time.perf_counter()
        if now - self.last >= 0.2:
            self.last = now
            self.report(min(0.99, (now - self.t0) / self.seconds))
