"""Distance with a fixed fleet: slack induction by string removals (Christiaens & Vanden
Berghe, 2020), compiled with numba.

Why: after the ejection search the fleet is as small as it gets, and the routes are
packed so tightly that PyVRP's local search stalls (Li & Lim lr2_2_6: 8 % above the best
known, unchanged for the last 10 of 30 s). Ruin and recreate moves many legs at once:
cut short strings of stops out of a few neighbouring routes, put the legs back one by one
at their cheapest feasible place (skipping a place now and then, "blinks"), and accept
by simulated annealing. Legs stay required: a recreate that cannot place every leg is
undone, so the fleet never grows.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable
from functools import cache

import numba as nb
import numpy as np
from pyvrp import ProblemData, Solution

from . import ejection
from .ejection import (
    Inst,
    State,
    _cheapest,
    _instance,
    _refresh,
    _routes,
    _seed,
    _solution,
    _state,
)

AVG_REMOVED = 10  # legs taken out per iteration on average (SISR's c-bar)
MAX_STRING = 10  # longest string cut out of one route
NEIGHBOURS = 64  # nearest stops kept per stop for choosing the routes to ruin
BLINK = 0.01  # chance to skip a feasible place during recreate
TEMP_START, TEMP_END = 3.0, 0.03  # in mean edge lengths of the starting plan
ITERATIONS_PER_CALL = 100  # compiled iterations between two looks at the clock


def shorten(
    data: ProblemData,
    sol: Solution,
    deadline: float,
    seed: int,
    *,
    since: float | None = None,
    tick: Callable[[], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> Solution:
    """The shortest plan found with at most ``sol``'s routes (``sol`` itself at worst).

    The temperature falls from ``since`` (default: now) to ``deadline``, so a search
    interrupted by ``stop`` can resume where its schedule was.
    """
    inst = _instance(data)
    state = _state(data, sol, inst)
    near = _neighbours(inst)
    _seed(seed)
    cost = best_cost = int(state.rdist.sum())
    best_nodes, best_length = state.nodes.copy(), state.length.copy()
    edge = cost / max(1, int(state.length.sum()) + len(state.length))
    begin = time.perf_counter() if since is None else since
    span = max(deadline - begin, 1e-3)
    while (now := time.perf_counter()) < deadline and not (stop is not None and stop()):
        temp = edge * TEMP_START * (TEMP_END / TEMP_START) ** ((now - begin) / span)
        cost, best_cost = _iterate(
            inst, state, near, ITERATIONS_PER_CALL, temp, cost, best_cost, best_nodes,
            best_length,
        )  # fmt: skip
        if tick is not None:
            tick()
    state.nodes[...] = best_nodes
    state.length[...] = best_length
    return _solution(data, _routes(state))


@cache
def warm() -> None:
    """Compile the kernels of both searches now (seconds, once per install: numba caches
    them on disk), so that no plan's time limit pays for it; in a new process, load them
    from that cache (about 0.2 s), once: every later call returns at once.

    No clock decides what runs: with a deadline, a slow or busy machine spent it compiling
    the first kernels and never reached the others (9 of 15 were compiled). The tiny
    problem ends the ejection search by itself (one route serves both legs), and ruin and
    recreate is stopped after one round of its compiled loop."""
    data, sol = ejection.tiny()
    fewer = ejection.minimise(data, sol, math.inf, 0)
    rounds = itertools.count()
    shorten(data, fewer, math.inf, 0, stop=lambda: next(rounds) > 0)


def _neighbours(inst: Inst) -> np.ndarray:
    """Per stop, the other stops nearest to it (profile 0), nearest first."""
    dist = inst.dist[0][np.ix_(inst.loc, inst.loc)].astype(np.float64)
    np.fill_diagonal(dist, np.inf)
    k = min(NEIGHBOURS, len(inst.loc) - 1)
    nearest = np.argpartition(dist, k - 1, axis=1)[:, :k]  # a full sort costs 0.3 s at 1,000 legs
    order = np.argsort(np.take_along_axis(dist, nearest, axis=1), axis=1, kind="stable")
    return np.take_along_axis(nearest, order, axis=1).astype(np.int64)


@nb.njit(cache=True)
def _iterate(
    inst: Inst,
    state: State,
    near: np.ndarray,
    iters: int,
    temp: float,
    cost: int,
    best_cost: int,
    best_nodes: np.ndarray,
    best_length: np.ndarray,
) -> tuple[int, int]:
    """``iters`` rounds of ruin, recreate and annealing acceptance; (cost, best cost)."""
    n_rows = state.rtype.shape[0]
    n_legs = state.route_of.shape[0]
    back_nodes = state.nodes.copy()
    back_length = state.length.copy()
    back_route_of = state.route_of.copy()
    touched = np.zeros(n_rows, np.bool_)
    removed = np.empty(n_legs, np.int64)
    key = np.empty(n_legs, np.float64)
    for _ in range(iters):
        back_nodes[...] = state.nodes
        back_length[...] = state.length
        back_route_of[...] = state.route_of
        touched[:] = False
        n_removed = _ruin(inst, state, near, touched, removed)
        ok = _recreate(inst, state, removed, n_removed, key, touched)
        new = 0
        for r in range(n_rows):
            new += state.rdist[r]
        if ok and new < cost - temp * math.log(np.random.random()):
            cost = new
            if new < best_cost:
                best_cost = new
                best_nodes[...] = state.nodes
                best_length[...] = state.length
            continue
        state.nodes[...] = back_nodes
        state.length[...] = back_length
        state.route_of[...] = back_route_of
        for r in range(n_rows):
            if touched[r]:
                _refresh(inst, state, r)
    return cost, best_cost


@nb.njit(cache=True)
def _ruin(
    inst: Inst, state: State, near: np.ndarray, touched: np.ndarray, removed: np.ndarray
) -> int:
    """Cut a string out of the routes nearest a random stop; the legs taken out."""
    n_rows = state.rtype.shape[0]
    busy, stops = 0, 0
    for r in range(n_rows):
        if state.rtype[r] >= 0 and state.length[r]:
            busy += 1
            stops += state.length[r]
    if busy == 0:
        return 0
    ls_max = min(MAX_STRING, stops / busy)
    ks_max = 4.0 * AVG_REMOVED / (1.0 + ls_max) - 1.0
    strings = int(np.random.random() * ks_max) + 1
    first = np.random.randint(near.shape[0])
    n_removed = 0
    done = 0
    for q in range(near.shape[1] + 1):
        v = first if q == 0 else near[first, q - 1]
        r = state.route_of[v // 2]
        if r < 0 or touched[r]:
            continue
        n = state.length[r]
        row = state.nodes[r]
        pos = 0
        while row[pos] != v:
            pos += 1
        size = int(np.random.random() * min(ls_max, n)) + 1
        lo = min(max(pos - np.random.randint(size), 0), n - size)
        for x in range(lo, lo + size):
            leg = row[x] // 2
            if state.route_of[leg] >= 0:
                state.route_of[leg] = -1
                removed[n_removed] = leg
                n_removed += 1
        k = 0
        for x in range(n):
            if state.route_of[row[x] // 2] >= 0:
                row[k] = row[x]
                k += 1
        state.length[r] = k
        _refresh(inst, state, r)
        touched[r] = True
        done += 1
        if done >= strings:
            break
    return n_removed


@nb.njit(cache=True)
def _recreate(
    inst: Inst,
    state: State,
    removed: np.ndarray,
    n_removed: int,
    key: np.ndarray,
    touched: np.ndarray,
) -> bool:
    """Cheapest feasible place for each leg in a random order of four kinds; False if
    a leg fits nowhere (the caller undoes the iteration)."""
    pick = np.random.randint(11)
    for k in range(n_removed):
        leg = removed[k]
        p = 2 * leg
        if pick < 4:
            key[k] = np.random.random()
        elif pick < 8:
            key[k] = -inst.demand[p, 0]  # largest first
        else:
            far = inst.dist[0, inst.t_start[0], inst.loc[p]]
            key[k] = -far if pick < 10 else far
    order = np.argsort(key[:n_removed])
    for k in range(n_removed):
        r = _cheapest(inst, state, removed[order[k]], BLINK)
        if r < 0:
            return False
        touched[r] = True
    return True
