"""Fast path: cheapest feasible insertion of legs into tours whose order stays as it is.

Cheapest as the solver counts (``rates``): with money costs, the metres and seconds a leg
adds at the vehicle's rates and a vehicle's fixed cost for opening it; without, metres and
a vehicle count.

For one tour with m free stops there are O(m^2) ways to place a pickup and its drop. All
of them are evaluated at once with numpy, using the classic forward/backward quantities
of a route: earliest service starts, waiting times (which absorb a delay), latest
feasible arrivals, loads and distances. A delay d caused by the pickup shrinks to
max(0, d - waiting so far) further down the tour, which turns the sequential time
propagation into a cumulative sum.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from .matrix import TravelMatrix, rows, travel_s
from .model import DELIVERY, PICKUP, Leg, Location
from .prepare import VehicleState
from .rates import rates_of

INF = np.iinfo(np.int64).max // 4
NEW_VEHICLE_PENALTY = 10**9  # without money costs, opening an unused vehicle is the last resort


class FreeTour:
    """The free part of one vehicle's tour with the arrays insertion needs."""

    def __init__(self, state: VehicleState, stops: list[tuple[Leg, str]], matrix: TravelMatrix):
        self.state, self.stops, self.matrix = state, stops, matrix
        self.rates = rates_of(state.vehicle)
        self.refresh()

    @property
    def vehicle_id(self) -> str:
        return self.state.vehicle.id

    def places(self) -> list[Location]:
        v = self.state.vehicle
        return [self.state.location, *(_place(leg, kind) for leg, kind in self.stops), v.end]

    def refresh(self) -> None:
        """Recompute the forward and backward arrays after the stops changed.

        Plain lists in the sequential loops (numpy scalar access is slow), arrays after.
        """
        v, mx, state = self.state.vehicle, self.matrix, self.state
        nodes = self.places()
        n = len(nodes)
        self.nodes = nodes
        ready, due, service = [0] * n, [int(INF)] * n, [0] * n
        sizes = [[0] * len(v.capacity)]
        for k, (leg, kind) in enumerate(self.stops, start=1):
            if kind == PICKUP:
                window, service[k] = leg.pickup_window, leg.pickup_service
                sizes.append(list(leg.size))
            else:
                window, service[k] = leg.delivery_window, leg.delivery_service
                sizes.append([-s for s in leg.size])
            ready[k], due[k] = window.start, window.end
        due[n - 1] = v.shift.end
        sizes.append([0] * len(v.capacity))
        leg_t = [travel_s(mx, a, b, v) for a, b in itertools.pairwise(nodes)]
        leg_d = [mx.distance(a, b) for a, b in itertools.pairwise(nodes)]
        start, wait = [state.time] * n, [0] * n
        for k in range(1, n):
            arrival = start[k - 1] + service[k - 1] + leg_t[k - 1]
            start[k] = max(arrival, ready[k])
            wait[k] = start[k] - arrival
        latest = [int(INF)] * n
        latest[n - 1] = due[n - 1]
        for k in range(n - 2, 0, -1):
            latest[k] = min(due[k], latest[k + 1] - service[k] - leg_t[k])
        self.ready, self.due = np.array(ready, np.int64), np.array(due, np.int64)
        self.service, self.start = np.array(service, np.int64), np.array(start, np.int64)
        self.latest, self.leg_d = np.array(latest, np.int64), np.array([*leg_d, 0], np.int64)
        self.leg_t = np.array([*leg_t, 0], np.int64)
        self.load = np.asarray(state.load, np.int64) + np.cumsum(np.array(sizes, np.int64), axis=0)
        self.distance = state.distance + sum(leg_d)
        self.cum_wait = np.cumsum(np.array(wait, np.int64))

    @property
    def opening_cost(self) -> int:
        """What using this vehicle at all costs, on top of what its first leg adds."""
        return self.rates.fixed if self.state.vehicle.costed else NEW_VEHICLE_PENALTY

    def cost(self, metres: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        """What adding ``metres`` and ``seconds`` of the rider's time costs this vehicle as
        the solver counts it; metres alone when it has no money costs. Seconds are travel,
        parking and service; a change in waiting is left out (the tour's departure moves
        to absorb it, see ``schedule.make_tour``)."""
        if not self.state.vehicle.costed:
            return metres
        return metres * self.rates.per_metre + seconds * self.rates.per_second

    def best_insertion(self, leg: Leg, drop_only: bool) -> tuple[int, int, int] | None:
        """Cheapest (added cost, pickup edge, drop edge) or None when nothing fits."""
        v, mx, nodes = self.state.vehicle, self.matrix, self.nodes
        n = len(nodes)
        dist_from_d, dist_to_d, from_d, to_d = rows(mx, leg.delivery, nodes, v)
        dep = self.start + self.service
        edges = np.arange(n - 1)
        rd, dd, sd = leg.delivery_window.start, leg.delivery_window.end, leg.delivery_service
        range_left = INF if v.range_m is None else v.range_m - self.distance
        cap = np.asarray(v.capacity, np.int64)

        def drop_ok(arrival: np.ndarray, nxt: np.ndarray) -> np.ndarray:
            """Whether the drop, reached at ``arrival``, keeps the rest from ``nxt`` on time."""
            begin = np.maximum(arrival, rd)
            return (begin <= dd) & (begin + sd + from_d[nxt] <= self.latest[nxt])

        if drop_only:
            ok = drop_ok(dep[edges] + to_d[edges], edges + 1)
            added = dist_to_d[edges] + dist_from_d[edges + 1] - self.leg_d[edges]
            ok &= added <= range_left
            if not ok.any():
                return None
            cost = self.cost(added, to_d[edges] + from_d[edges + 1] - self.leg_t[edges] + sd)
            b = int(np.argmin(np.where(ok, cost, INF)))
            return int(cost[b]), -1, b

        size = np.asarray(leg.size, np.int64)
        dist_from_p, dist_to_p, from_p, to_p = rows(mx, leg.pickup, nodes, v)
        p_to_d = travel_s(mx, leg.pickup, leg.delivery, v)
        services = leg.pickup_service + sd
        p_to_d_m = mx.distance(leg.pickup, leg.delivery)

        # pickup on edge a (between node a and a + 1)
        p_begin = np.maximum(dep[edges] + to_p[edges], leg.pickup_window.start)
        p_ok = (p_begin <= leg.pickup_window.end) & np.all(self.load[edges] + size <= cap, axis=1)
        p_dep = p_begin + leg.pickup_service

        # drop right after the pickup, on the same edge
        same_ok = drop_ok(p_dep + p_to_d, edges + 1)
        same_ok &= p_ok
        same_add = dist_to_p[edges] + p_to_d_m + dist_from_d[edges + 1] - self.leg_d[edges]
        same_ok &= same_add <= range_left
        same_cost = self.cost(
            same_add, to_p[edges] + p_to_d + from_d[edges + 1] - self.leg_t[edges] + services
        )
        best: tuple[int, int, int] | None = None
        if same_ok.any():
            a = int(np.argmin(np.where(same_ok, same_cost, INF)))
            best = (int(same_cost[a]), a, a)

        m = n - 2  # free stops; a drop on a later edge b needs a <= m - 1, b in a + 1..m
        if m >= 1:
            a_idx = np.arange(m)[:, None]
            b_idx = np.arange(1, m + 1)[None, :]
            later = b_idx > a_idx
            arrive_next = np.maximum(p_dep[:m] + from_p[1 : m + 1], self.ready[1 : m + 1])
            delay = np.maximum(0, arrive_next - self.start[1 : m + 1])[:, None]
            # a delay shrinks by the waiting after node a + 1; each node up to b must cope
            slack = self.due - self.start + self.cum_wait
            slack_ab = np.minimum.accumulate(np.where(later, slack[b_idx], INF), axis=1)
            base = self.cum_wait[1 : m + 1][:, None]
            valid = later & (delay + base <= slack_ab)
            delay_b = np.maximum(0, delay - (self.cum_wait[b_idx] - base))
            ok_d = drop_ok(dep[b_idx] + delay_b + to_d[b_idx], b_idx + 1)
            loads = np.where(later[..., None], self.load[b_idx], -INF)
            max_load = np.maximum.accumulate(loads, axis=1)
            cap_ok = np.all(max_load + size <= cap, axis=2)
            added = (
                (dist_to_p[:m] + dist_from_p[1 : m + 1] - self.leg_d[:m])[:, None]
                + dist_to_d[b_idx] + dist_from_d[b_idx + 1] - self.leg_d[b_idx]
            )  # fmt: skip
            ok = valid & ok_d & cap_ok & p_ok[:m, None] & (added <= range_left)
            seconds = (
                (to_p[:m] + from_p[1 : m + 1] - self.leg_t[:m])[:, None]
                + to_d[b_idx] + from_d[b_idx + 1] - self.leg_t[b_idx] + services
            )  # fmt: skip
            cost = self.cost(added, seconds)
            if ok.any():
                flat = int(np.argmin(np.where(ok, cost, INF)))
                a, bcol = divmod(flat, m)
                if best is None or cost[a, bcol] < best[0]:
                    best = (int(cost[a, bcol]), a, bcol + 1)
        return best

    def apply(self, leg: Leg, pickup_edge: int, drop_edge: int) -> None:
        """Insert the stops: edges are counted in the tour as it was before."""
        if pickup_edge < 0:
            self.stops.insert(drop_edge, (leg, DELIVERY))
        else:
            self.stops.insert(drop_edge, (leg, DELIVERY))
            self.stops.insert(pickup_edge, (leg, PICKUP))
        self.refresh()


def cheapest(
    tours: Sequence[FreeTour], leg: Leg, drop_only: bool
) -> tuple[int, FreeTour, int, int] | None:
    """The cheapest feasible place for ``leg`` over ``tours``; unused ones cost extra."""
    best = None
    for tour in tours:
        found = tour.best_insertion(leg, drop_only)
        if found is None:
            continue
        cost = found[0] + (0 if tour.stops else tour.opening_cost)
        if best is None or cost < best[0]:
            best = (cost, tour, found[1], found[2])
    return best


def _place(leg: Leg, kind: str) -> Location:
    return leg.pickup if kind == PICKUP else leg.delivery
