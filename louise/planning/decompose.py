"""Large days in slices: legs split by direction from the hub, vehicles split in proportion.

PyVRP on 5,000 legs (10,000 stops) spends its first 20 s building a start and may not
reach a feasible plan within a couple of minutes; slices of about 1,000 legs solve well
in seconds each. Each slice gets a proportional share of every vehicle class, so routes
from different slices never compete for the same vehicle; whatever a slice cannot serve
goes to the engine's insertion pass over all tours afterwards.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .matrix import TravelMatrix
from .prepare import Prepared
from .prescreen import Screen, VehicleClass
from .solve_pyvrp import Outcome, solve_free

SLICE_LEGS = 1000
DECOMPOSE_ABOVE = 1500


def solve_large(
    prep: Prepared,
    scr: Screen,
    matrix: TravelMatrix,
    *,
    time_limit: float,
    seed: int,
    on_progress: Callable[[float], None] | None = None,
    decompose_above: int = DECOMPOSE_ABOVE,
    slice_legs: int = SLICE_LEGS,
) -> Outcome:
    """Solve in slices when the day is big and has no per-vehicle history, else at once."""
    plain = not prep.owner and not prep.problem.fixed
    if len(scr.allowed) <= decompose_above or not plain:
        return solve_free(
            prep, scr, matrix, time_limit=time_limit, seed=seed, on_progress=on_progress
        )
    slices = _slices(prep, scr, slice_legs)
    routes, served = [], set()
    for k, (sub, back) in enumerate(slices):
        part = solve_free(prep, sub, matrix, time_limit=time_limit / len(slices), seed=seed + k)
        routes += [(back[ci], stops) for ci, stops in part.routes]
        served |= part.served
        if on_progress is not None:
            on_progress((k + 1) / len(slices))
    return Outcome(routes, frozenset(served))


def _slices(prep: Prepared, scr: Screen, slice_legs: int) -> list[tuple[Screen, list[int]]]:
    """Sub-screens by polar angle of the drop around the first vehicle's start."""
    hub = scr.classes[0].state.location
    lat0 = math.radians(hub.lat)

    def angle(lid: str) -> float:
        to = prep.legs[lid].delivery
        return math.atan2(to.lat - hub.lat, (to.lon - hub.lon) * math.cos(lat0))

    order = sorted(scr.allowed, key=angle)
    k = math.ceil(len(order) / slice_legs)
    parts = [order[i * len(order) // k : (i + 1) * len(order) // k] for i in range(k)]
    out = []
    for i, legs in enumerate(parts):
        classes: list[VehicleClass] = []
        back: list[int] = []
        for ci, cls in enumerate(scr.classes):
            ids = cls.vehicle_ids
            share = ids[i * len(ids) // k : (i + 1) * len(ids) // k]
            if share:
                back.append(ci)
                classes.append(VehicleClass(share, cls.state))
        index = {ci: j for j, ci in enumerate(back)}
        allowed = {lid: tuple(index[ci] for ci in scr.allowed[lid] if ci in index) for lid in legs}
        allowed = {lid: cis for lid, cis in allowed.items() if cis}
        out.append((Screen(tuple(classes), allowed, scr.drop_only, ()), back))
    return out
