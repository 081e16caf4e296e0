"""Fleet minimisation by guided ejection search (Nagata & Kobayashi, 2010).

Why not PyVRP alone: its penalised local search keeps a plan's structure, and one route
less often needs a very different one. Route elimination by penalties found the best
known fleet on only 39 of 60 Li & Lim 200-customer instances in 30 s. Ejection search
attacks exactly that: take a route out, put its legs in a pool, and insert them one by
one into the other routes; when a leg fits nowhere, it goes in anyway and throws out the
one or two legs that block it, preferring legs that have rarely been the trouble before
(a penalty counter per leg guides the search away from cycling). Random feasible moves
between insertions shake the routes. When the pool is empty, the fleet is one smaller.

Works on PyVRP's data (shipments only, every one required) so the mapping of zones,
requirements and locks onto vehicle profiles holds here as well: a stop a vehicle may
not serve is unreachable in that vehicle's profile and fails the time-window test.
The inner loops are compiled with numba; the caller keeps the wall-clock deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import numba as nb
import numpy as np
from pyvrp import Activity, ActivityType, Depot, ProblemData, Shipment, Solution, VehicleType
from pyvrp import Location as PyLocation
from pyvrp import Route as PyRoute

ATTEMPTS = 4  # routes tried per level before giving up (when patience is limited)
KMAX = 2  # at most this many legs are thrown out to make room for one
PERTURB_MOVES = 50  # random feasible moves after each ejection
STEPS_PER_CALL = 200  # compiled steps between two looks at the clock, at most
LOOK_S = 0.01  # look at the clock about this often
PRUNE_ROUTE_S = 0.2  # the most one tour's emptying may take when pruning


class Inst(NamedTuple):
    """Per stop (node 2k = pickup of leg k, 2k+1 = its delivery) and per vehicle type."""

    loc: np.ndarray
    early: np.ndarray
    late: np.ndarray
    service: np.ndarray
    demand: np.ndarray  # (nodes, dims): + at the pickup, - at the delivery
    dur: np.ndarray  # (profiles, locations, locations)
    dist: np.ndarray
    t_profile: np.ndarray
    t_start: np.ndarray
    t_end: np.ndarray
    t_early: np.ndarray
    t_late: np.ndarray
    t_cap: np.ndarray  # (types, dims)
    t_max_dist: np.ndarray
    t_avail: np.ndarray  # vehicles of each type


class State(NamedTuple):
    """Routes as rows; a route with type -1 has been taken out. Caches stay current."""

    nodes: np.ndarray  # (routes, max stops)
    length: np.ndarray
    rtype: np.ndarray
    rdist: np.ndarray
    start: np.ndarray  # (routes, max stops + 2): earliest service start per position
    latest: np.ndarray  # latest service start that keeps the rest feasible
    load: np.ndarray  # (routes, max stops + 2, dims): load after each position
    route_of: np.ndarray  # per leg, its route or -1 while in the pool


def applicable(data: ProblemData) -> bool:
    """Legs as required shipments, nothing on board: the case the search models."""
    if data.num_clients or not data.num_shipments:
        return False
    if any(any(vt.initial_load) for vt in data.vehicle_types()):
        return False
    return all(s.required for s in data.shipments())


def minimise(
    data: ProblemData,
    sol: Solution,
    deadline: float,
    seed: int,
    *,
    patience: float = float("inf"),
    tick: Callable[[], None] | None = None,
    on_level: Callable[[Solution], None] | None = None,
) -> Solution:
    """A feasible solution with as few routes as the time allows (at worst ``sol``).

    One level below the best fleet, the routes are tried one after the other (in a
    heterogeneous fleet, emptying one vehicle type may be hopeless where another works),
    each for a quarter of ``patience`` at most; after ``patience`` without success the search
    stops, so that the caller has time left to shorten the routes. ``on_level`` hears of
    every smaller fleet as soon as it is found.
    """
    inst = _instance(data)
    state = _state(data, sol, inst)
    rng = np.random.default_rng(seed)
    _seed(seed)
    best = _routes(state)
    while time.perf_counter() < deadline and len(best) > 1:
        level_end = min(deadline, time.perf_counter() + patience)
        if not _one_less(inst, state, rng, level_end, patience / ATTEMPTS, tick):
            break
        best = _routes(state)
        if on_level is not None:
            on_level(_solution(data, best))
    return _solution(data, best)


def complete(
    data: ProblemData,
    sol: Solution,
    deadline: float,
    seed: int,
    *,
    tick: Callable[[], None] | None = None,
) -> Solution | None:
    """``sol`` with the legs it leaves out put in, or None if the time is up first.

    A leg left out because the one vehicle that may take it is full (a car-only zone, a
    bulky parcel) needs two moves at once: a leg the car carries goes to a bike, and the
    car takes the one left out. PyVRP's local search rarely finds that pair (on the demo's
    79 legs a 5-second plan left one out, a 10-second one did not); the ejection search is
    made of it: the leg goes in and throws out what blocks it, which goes elsewhere, an
    unused vehicle included.
    """
    inst = _instance(data)
    state = _state(data, sol, inst, spare=True)
    _seed(seed)
    n_legs = state.route_of.shape[0]
    pool = np.empty(n_legs, dtype=np.int64)
    missing = np.flatnonzero(state.route_of < 0)
    pool[: len(missing)] = missing
    if _search(inst, state, pool, len(missing), deadline, tick):
        return None
    return _solution(data, _routes(state))


def prune(
    data: ProblemData,
    sol: Solution,
    deadline: float,
    seed: int,
    *,
    tick: Callable[[], None] | None = None,
) -> Solution:
    """``sol`` without the tours whose legs the other tours take over for less money.

    With money as the objective, PyVRP's local search keeps a tour that rides out for two
    or three legs: moving one leg elsewhere saves little; only emptying the whole tour
    saves the vehicle's day and its ride out and back. So the smallest tours first are
    emptied into the others by the ejection search, each kept out only when the plan then
    costs less (``cost_of``); a tour the others cannot take, or only for more, stays.
    """
    inst = _instance(data)
    state = _state(data, sol, inst)
    _seed(seed)
    best = cost_of(sol.routes())
    for r in np.argsort(state.length, kind="stable"):
        now = time.perf_counter()
        if now >= deadline:
            break
        kept = [a.copy() for a in state]
        if _attempt(inst, state, int(r), min(deadline, now + PRUNE_ROUTE_S), tick):
            candidate = _solution(data, _routes(state))
            if candidate.is_feasible() and (price := cost_of(candidate.routes())) < best:
                best = price
                continue
        for current, saved in zip(state, kept, strict=True):
            current[...] = saved
    return _solution(data, _routes(state))


def cost_of(routes: Iterable[PyRoute]) -> int:
    """What the routes cost in PyVRP's objective: each vehicle's fixed cost, distance and
    duration at its type's unit costs."""
    return sum(r.fixed_vehicle_cost() + r.distance_cost() + r.duration_cost() for r in routes)


def _one_less(
    inst: Inst,
    state: State,
    rng: np.random.Generator,
    level_end: float,
    per_route: float,
    tick: Callable[[], None] | None,
) -> bool:
    """Take out one route after the other until the others absorb one; else unchanged."""
    kept = [a.copy() for a in state]
    for r in rng.permutation(np.flatnonzero(state.rtype >= 0)):
        now = time.perf_counter()
        if now >= level_end:
            break
        if _attempt(inst, state, int(r), min(level_end, now + per_route), tick):
            return True
        for current, saved in zip(state, kept, strict=True):
            current[...] = saved
    return False


def _attempt(
    inst: Inst, state: State, r: int, until: float, tick: Callable[[], None] | None
) -> bool:
    """Empty route r into the pool and search until the pool is empty or time is up."""
    n_legs = state.route_of.shape[0]
    pool = np.empty(n_legs, dtype=np.int64)
    size = _take_out(state, r, pool)
    return _search(inst, state, pool, size, until, tick) == 0


def _search(inst: Inst, state: State, pool: np.ndarray, size: int, until: float,
            tick: Callable[[], None] | None) -> int:
    """Put the pool's legs in until it is empty or time is up; the pool's new size.

    The compiled steps run in calls sized to end about ``LOOK_S`` after the clock was
    read: a step on a large day (838 legs, tours of 90 stops) takes up to 10 ms, and 200
    of them between two looks made a tour's 0.2 s of pruning 2 s (same steps, same order:
    only where the search stops moves)."""
    penalty = np.ones(state.route_of.shape[0], dtype=np.int64)
    steps = 1
    while size and (now := time.perf_counter()) < until:
        size = _steps(inst, state, pool, size, penalty, steps, KMAX, PERTURB_MOVES)
        took = time.perf_counter() - now
        fit = round(steps * LOOK_S / took) if took else STEPS_PER_CALL
        steps = max(1, min(STEPS_PER_CALL, fit))
        if tick is not None:
            tick()
    return size


def tiny() -> tuple[ProblemData, Solution]:
    """Two legs on two routes that one route can serve: for compiling the kernels."""
    locations = [PyLocation(x=0, y=0), PyLocation(x=1, y=0), PyLocation(x=2, y=0)]
    matrix: np.ndarray[Any, Any] = np.array([[0, 1, 2], [1, 0, 1], [2, 1, 0]], np.int64)
    legs = [Shipment(1, 2, 0, 100, 0, 0, 100, 0, [1], 0, True) for _ in range(2)]
    data = ProblemData(
        locations, [], [Depot(0)], [VehicleType(2, [2])], [matrix], [matrix], [], legs
    )
    one_each = [
        PyRoute(data, [Activity(ActivityType.PICKUP, k), Activity(ActivityType.DELIVERY, k)], 0)
        for k in range(2)
    ]
    return data, Solution(data, one_each)


def _instance(data: ProblemData) -> Inst:
    ships = data.shipments()
    n = len(ships)
    dims = max(data.num_load_dimensions, 1)
    loc = np.empty(2 * n, np.int64)
    early, late, service = (np.empty(2 * n, np.int64) for _ in range(3))
    demand = np.zeros((2 * n, dims), np.int64)
    for k, s in enumerate(ships):
        for node, stop, sign in ((2 * k, s.pickup, 1), (2 * k + 1, s.delivery, -1)):
            loc[node], service[node] = stop.location, stop.service_duration
            early[node], late[node] = stop.tw_early, stop.tw_late
            demand[node, : len(s.amount)] = [sign * a for a in s.amount]
    types = data.vehicle_types()
    profiles = data.num_profiles
    cap = np.zeros((len(types), dims), np.int64)
    for t, vt in enumerate(types):
        cap[t, : len(vt.capacity)] = vt.capacity
    return Inst(
        loc, early, late, service, demand,
        np.stack([np.asarray(data.duration_matrix(p), np.int64) for p in range(profiles)]),
        np.stack([np.asarray(data.distance_matrix(p), np.int64) for p in range(profiles)]),
        np.array([vt.profile for vt in types], np.int64),
        np.array([vt.start_depot for vt in types], np.int64),
        np.array([vt.end_depot for vt in types], np.int64),
        np.array([vt.tw_early for vt in types], np.int64),
        np.array([vt.tw_late for vt in types], np.int64),
        cap,
        np.array([vt.max_distance for vt in types], np.int64),
        np.array([vt.num_available for vt in types], np.int64),
    )  # fmt: skip


def _state(data: ProblemData, sol: Solution, inst: Inst, *, spare: bool = False) -> State:
    """The routes of ``sol``; with ``spare``, an empty route for each vehicle it leaves
    unused, so that a leg may move to one."""
    routes = sol.routes()
    types = [r.vehicle_type() for r in routes]
    if spare:
        for t, available in enumerate(inst.t_avail):
            types += [t] * (int(available) - types.count(t))
    n_routes, max_len = len(types), 2 * data.num_shipments
    dims = inst.demand.shape[1]
    nodes = np.zeros((n_routes, max_len), np.int64)
    length = np.zeros(n_routes, np.int64)
    route_of = np.full(data.num_shipments, -1, np.int64)
    for r, route in enumerate(routes):
        stops = [2 * a.idx + (a.type == ActivityType.DELIVERY) for a in route if not a.is_depot()]
        nodes[r, : len(stops)] = stops
        length[r] = len(stops)
        route_of[[s // 2 for s in stops]] = r
    state = State(
        nodes, length, np.array(types, np.int64),
        np.zeros(n_routes, np.int64), np.zeros((n_routes, max_len + 2), np.int64),
        np.zeros((n_routes, max_len + 2), np.int64),
        np.zeros((n_routes, max_len + 2, dims), np.int64), route_of,
    )  # fmt: skip
    for r in range(n_routes):
        _refresh(inst, state, r)
    return state


def _routes(state: State) -> list[tuple[int, list[int]]]:
    return [
        (int(state.rtype[r]), state.nodes[r, : state.length[r]].tolist())
        for r in range(len(state.rtype))
        if state.rtype[r] >= 0 and state.length[r]  # a random move may empty a route
    ]


def _solution(data: ProblemData, routes: list[tuple[int, list[int]]]) -> Solution:
    kind = (ActivityType.PICKUP, ActivityType.DELIVERY)
    return Solution(
        data,
        [PyRoute(data, [Activity(kind[v % 2], v // 2) for v in stops], t) for t, stops in routes],
    )


@nb.njit(cache=True)
def _seed(seed: int) -> None:
    np.random.seed(seed)


@nb.njit(cache=True)
def _times(
    inst: Inst,
    nodes: np.ndarray,
    length: int,
    t: int,
    start: np.ndarray,
    latest: np.ndarray,
    load: np.ndarray,
) -> tuple[bool, int]:
    """Earliest starts, latest starts and loads of one stop sequence; its feasibility."""
    prof = inst.t_profile[t]
    dims = load.shape[1]
    prev, now, metres, ok = inst.t_start[t], inst.t_early[t], 0, True
    start[0] = now
    load[0, :] = 0
    serv = 0
    for k in range(1, length + 1):
        v = nodes[k - 1]
        here = inst.loc[v]
        now = max(now + serv + inst.dur[prof, prev, here], inst.early[v])
        ok = ok and now <= inst.late[v]
        start[k] = now
        for m in range(dims):
            load[k, m] = load[k - 1, m] + inst.demand[v, m]
            ok = ok and load[k, m] <= inst.t_cap[t, m]
        metres += inst.dist[prof, prev, here]
        prev, serv = here, inst.service[v]
    end = inst.t_end[t]
    now += serv + inst.dur[prof, prev, end]
    metres += inst.dist[prof, prev, end]
    start[length + 1] = now
    load[length + 1, :] = 0
    ok = ok and now <= inst.t_late[t] and metres <= inst.t_max_dist[t]
    latest[length + 1] = inst.t_late[t]
    nxt = end
    for k in range(length, 0, -1):
        v = nodes[k - 1]
        here = inst.loc[v]
        latest[k] = min(inst.late[v], latest[k + 1] - inst.service[v] - inst.dur[prof, here, nxt])
        nxt = here
    return ok, metres


@nb.njit(cache=True)
def _refresh(inst: Inst, state: State, r: int) -> None:
    _, metres = _times(
        inst, state.nodes[r], state.length[r], state.rtype[r],
        state.start[r], state.latest[r], state.load[r],
    )  # fmt: skip
    state.rdist[r] = metres


@nb.njit(cache=True)
def _insertions(
    inst: Inst,
    nodes: np.ndarray,
    length: int,
    t: int,
    metres: int,
    start: np.ndarray,
    latest: np.ndarray,
    load: np.ndarray,
    leg: int,
    pick_random: bool,
    blink: float,
) -> tuple[int, int, int, int]:
    """Feasible positions (p after i, d after j) for one leg in one route.

    Returns (count, added metres, i, j) of the cheapest, or of a uniformly random one;
    each feasible place is skipped with the chance ``blink`` (ruin and recreate's noise).
    Checks each candidate in O(stops between pickup and delivery) by pushing the start
    times forward and stopping at the first stop whose window or capacity breaks.
    """
    prof = inst.t_profile[t]
    dur, dist = inst.dur[prof], inst.dist[prof]
    loc, early, late, service = inst.loc, inst.early, inst.late, inst.service
    p, d = 2 * leg, 2 * leg + 1
    lp, ld = loc[p], loc[d]
    room = inst.t_cap[t] - inst.demand[p]  # the load may not exceed this while p is aboard
    dims = room.shape[0]
    budget = inst.t_max_dist[t] - metres
    places = np.empty(length + 2, np.int64)
    places[0], places[length + 1] = inst.t_start[t], inst.t_end[t]
    for k in range(length):
        places[k + 1] = loc[nodes[k]]
    count, best, bi, bj = 0, np.iinfo(np.int64).max, -1, -1
    for i in range(length + 1):
        fits = True
        for m in range(dims):
            fits = fits and load[i, m] <= room[m]
        if not fits:
            continue
        li, ni = places[i], places[i + 1]
        serv_i = service[nodes[i - 1]] if i > 0 else 0
        tp = max(start[i] + serv_i + dur[li, lp], early[p])
        if tp > late[p]:
            continue
        td = max(tp + service[p] + dur[lp, ld], early[d])
        if td <= late[d] and td + service[d] + dur[ld, ni] <= latest[i + 1]:
            added = dist[li, lp] + dist[lp, ld] + dist[ld, ni] - dist[li, ni]
            if added <= budget and not (blink > 0.0 and np.random.random() < blink):
                count += 1
                if (pick_random and np.random.randint(count) == 0) or (
                    not pick_random and added < best
                ):
                    best, bi, bj = added, i, i
        base = dist[li, lp] + dist[lp, ni] - dist[li, ni]
        now, here, serv = tp, lp, service[p]
        for j in range(i + 1, length + 1):
            v = nodes[j - 1]
            lv = places[j]
            now = max(now + serv + dur[here, lv], early[v])
            if now > late[v]:
                break
            for m in range(dims):
                fits = fits and load[j, m] <= room[m]
            if not fits:
                break
            here, serv = lv, service[v]
            nj = places[j + 1]
            td = max(now + serv + dur[lv, ld], early[d])
            if td > late[d] or td + service[d] + dur[ld, nj] > latest[j + 1]:
                continue
            added = base + dist[lv, ld] + dist[ld, nj] - dist[lv, nj]
            if added > budget or (blink > 0.0 and np.random.random() < blink):
                continue
            count += 1
            if (pick_random and np.random.randint(count) == 0) or (
                not pick_random and added < best
            ):
                best, bi, bj = added, i, j
    return count, best, bi, bj


@nb.njit(cache=True)
def _put(inst: Inst, state: State, r: int, leg: int, i: int, j: int) -> None:
    """Insert the pickup after position i and the delivery after position j (j >= i)."""
    row, n = state.nodes[r], state.length[r]
    row[j + 2 : n + 2] = row[j:n].copy()
    row[j + 1] = 2 * leg + 1
    row[i + 1 : j + 1] = row[i:j].copy()
    row[i] = 2 * leg
    state.length[r] = n + 2
    state.route_of[leg] = r
    _refresh(inst, state, r)


@nb.njit(cache=True)
def _remove(inst: Inst, state: State, r: int, leg: int) -> None:
    row, n = state.nodes[r], state.length[r]
    k = 0
    for x in range(n):
        if row[x] // 2 != leg:
            row[k] = row[x]
            k += 1
    state.length[r] = k
    state.route_of[leg] = -1
    _refresh(inst, state, r)


@nb.njit(cache=True)
def _take_out(state: State, r: int, pool: np.ndarray) -> int:
    """Empty route r into the pool; the route is gone for good."""
    size = 0
    for x in range(state.length[r]):
        v = state.nodes[r, x]
        if v % 2 == 0:
            pool[size] = v // 2
            state.route_of[v // 2] = -1
            size += 1
    state.length[r] = 0
    state.rtype[r] = -1
    return size


@nb.njit(cache=True)
def _cheapest(inst: Inst, state: State, leg: int, blink: float) -> int:
    """Insert ``leg`` at its cheapest feasible place; its route, or -1 if none."""
    best, br, bi, bj = np.iinfo(np.int64).max, -1, -1, -1
    for r in range(state.rtype.shape[0]):
        if state.rtype[r] < 0:
            continue
        count, added, i, j = _insertions(
            inst, state.nodes[r], state.length[r], state.rtype[r], state.rdist[r],
            state.start[r], state.latest[r], state.load[r], leg, False, blink,
        )  # fmt: skip
        if count and added < best:
            best, br, bi, bj = added, r, i, j
    if br >= 0:
        _put(inst, state, br, leg, bi, bj)
    return br


@nb.njit(cache=True)
def _retyped(inst: Inst, state: State, leg: int) -> bool:
    """Insert ``leg`` into a route that moves to a free vehicle of another type for it.

    Without this, every route keeps the type it started with, and a mixed fleet stays
    as big as its bikes allow even where one car could take over two bike rounds."""
    n_types = inst.t_avail.shape[0]
    if n_types < 2:
        return False
    n_rows, width = state.nodes.shape
    free = inst.t_avail.copy()
    for r in range(n_rows):
        if state.rtype[r] >= 0:
            free[state.rtype[r]] -= 1
    start = np.empty(width + 2, np.int64)
    latest = np.empty(width + 2, np.int64)
    load = np.empty((width + 2, state.load.shape[2]), np.int64)
    best, br, bt = np.iinfo(np.int64).max, -1, -1
    for r in range(n_rows):
        if state.rtype[r] < 0:
            continue
        for t in range(n_types):
            if t == state.rtype[r] or free[t] <= 0:
                continue
            n = state.length[r]
            ok, metres = _times(inst, state.nodes[r], n, t, start, latest, load)
            if not ok:
                continue
            count, added, _, _ = _insertions(
                inst, state.nodes[r], n, t, metres, start, latest, load, leg, False, 0.0
            )
            if count and metres + added - state.rdist[r] < best:
                best, br, bt = metres + added - state.rdist[r], r, t
    if br < 0:
        return False
    state.rtype[br] = bt
    _refresh(inst, state, br)
    _, _, i, j = _insertions(
        inst, state.nodes[br], state.length[br], bt, state.rdist[br],
        state.start[br], state.latest[br], state.load[br], leg, False, 0.0,
    )  # fmt: skip
    _put(inst, state, br, leg, i, j)
    return True


@nb.njit(cache=True)
def _eject(
    inst: Inst,
    state: State,
    leg: int,
    penalty: np.ndarray,
    kmax: int,
    pool: np.ndarray,
    size: int,
) -> int:
    """Insert ``leg`` by throwing out at most kmax legs of one route, least penalty first."""
    n_rows, width = state.nodes.shape
    dims = state.load.shape[2]
    buf = np.empty(width, np.int64)
    start = np.empty(width + 2, np.int64)
    latest = np.empty(width + 2, np.int64)
    load = np.empty((width + 2, dims), np.int64)
    legs = np.empty(width, np.int64)
    best_pen, best_add = np.iinfo(np.int64).max, np.iinfo(np.int64).max
    br, b1, b2 = -1, -1, -1
    for r in range(n_rows):
        t = state.rtype[r]
        if t < 0:
            continue
        n = state.length[r]
        row = state.nodes[r]
        m = 0
        for x in range(n):
            if row[x] % 2 == 0:
                legs[m] = row[x] // 2
                m += 1
        for a in range(m):
            for b in range(a, m if kmax > 1 else a + 1):
                pen = penalty[legs[a]] + (penalty[legs[b]] if b != a else 0)
                if pen > best_pen:
                    continue
                k = 0
                for x in range(n):
                    owner = row[x] // 2
                    if owner != legs[a] and owner != legs[b]:
                        buf[k] = row[x]
                        k += 1
                ok, metres = _times(inst, buf, k, t, start, latest, load)
                if not ok:
                    continue
                count, added, _, _ = _insertions(
                    inst, buf, k, t, metres, start, latest, load, leg, False, 0.0
                )
                if count and (pen < best_pen or added < best_add):
                    best_pen, best_add = pen, added
                    br, b1, b2 = r, legs[a], legs[b]
    if br < 0:
        return size  # nothing fits even alone: the leg stays in the pool
    _remove(inst, state, br, b1)
    pool[size] = b1
    size += 1
    if b2 != b1:
        _remove(inst, state, br, b2)
        pool[size] = b2
        size += 1
    _, _, i, j = _insertions(
        inst, state.nodes[br], state.length[br], state.rtype[br], state.rdist[br],
        state.start[br], state.latest[br], state.load[br], leg, False, 0.0,
    )  # fmt: skip
    _put(inst, state, br, leg, i, j)
    return size


@nb.njit(cache=True)
def _perturb(inst: Inst, state: State, moves: int) -> None:
    """Random feasible relocations of one leg to another route."""
    n_rows = state.rtype.shape[0]
    n_legs = state.route_of.shape[0]
    for _ in range(moves):
        leg = np.random.randint(n_legs)
        r1 = state.route_of[leg]
        r2 = np.random.randint(n_rows)
        if r1 < 0 or r2 == r1 or state.rtype[r2] < 0:
            continue
        count, _, i, j = _insertions(
            inst, state.nodes[r2], state.length[r2], state.rtype[r2], state.rdist[r2],
            state.start[r2], state.latest[r2], state.load[r2], leg, True, 0.0,
        )  # fmt: skip
        if count:
            _remove(inst, state, r1, leg)
            _put(inst, state, r2, leg, i, j)


@nb.njit(cache=True)
def _steps(
    inst: Inst,
    state: State,
    pool: np.ndarray,
    size: int,
    penalty: np.ndarray,
    steps: int,
    kmax: int,
    moves: int,
) -> int:
    """Up to ``steps`` legs from the pool (last in, first out); the pool's new size."""
    for _ in range(steps):
        if size == 0:
            break
        size -= 1
        leg = pool[size]
        if _cheapest(inst, state, leg, 0.0) >= 0 or _retyped(inst, state, leg):
            continue
        penalty[leg] += 1
        before = size
        size = _eject(inst, state, leg, penalty, kmax, pool, size)
        if size == before and state.route_of[leg] < 0:  # fits nowhere: try the others first
            pool[size] = pool[0]
            pool[0] = leg
            size += 1
        _perturb(inst, state, moves)
    return size
