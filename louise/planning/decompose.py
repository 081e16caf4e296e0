"""Large days in slices: legs split by direction from the hub, vehicles split in proportion.

PyVRP on 5,000 legs (10,000 stops) spends its first 20 s building a start and may not
reach a feasible plan within a couple of minutes; slices of about 1,000 legs solve well
in seconds each. Each slice gets a proportional share of every vehicle class, so routes
from different slices never compete for the same vehicle; whatever a slice cannot serve
goes to the engine's insertion pass over all tours afterwards. A vehicle with history
(stops under way, goods on board, locked legs) is its own class: it goes whole to the
slice its own legs point to (else the one around its position), and its legs with it.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable

from .matrix import TravelMatrix
from .model import Location
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
    """Solve in slices when the day is big, else at once."""
    if len(scr.allowed) <= decompose_above:
        return solve_free(
            prep, scr, matrix, time_limit=time_limit, seed=seed, on_progress=on_progress
        )
    slices = _slices(prep, scr, slice_legs)
    routes, served = [], set[str]()
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

    def angle(place: Location) -> float:
        return math.atan2(place.lat - hub.lat, (place.lon - hub.lon) * math.cos(lat0))

    history = {ci for ci, cls in enumerate(scr.classes) if _has_history(prep, cls)}
    bound = {lid: cis[0] for lid, cis in scr.allowed.items() if set(cis) <= history}
    order = sorted(
        (lid for lid in scr.allowed if lid not in bound),
        key=lambda lid: angle(prep.legs[lid].delivery),
    )
    k = max(1, math.ceil(len(scr.allowed) / slice_legs))
    parts = [order[i * len(order) // k : (i + 1) * len(order) // k] for i in range(k)]
    cuts = [angle(prep.legs[part[-1]].delivery) for part in parts if part][:-1]

    def slice_of(ci: int) -> int:
        own = [angle(prep.legs[lid].delivery) for lid, c in bound.items() if c == ci]
        where = sorted(own)[len(own) // 2] if own else angle(scr.classes[ci].state.location)
        return bisect.bisect_left(cuts, where)

    home = {ci: slice_of(ci) for ci in history}
    for lid, ci in bound.items():
        parts[home[ci]].append(lid)
    out = []
    for i, legs in enumerate(parts):
        classes: list[VehicleClass] = []
        back: list[int] = []
        for ci, cls in enumerate(scr.classes):
            ids = cls.vehicle_ids
            if ci in history:
                share = ids if home[ci] == i else ()
            else:
                share = ids[i * len(ids) // k : (i + 1) * len(ids) // k]
            if share:
                back.append(ci)
                classes.append(VehicleClass(share, cls.state))
        index = {ci: j for j, ci in enumerate(back)}
        allowed = {lid: tuple(index[ci] for ci in scr.allowed[lid] if ci in index) for lid in legs}
        allowed = {lid: cis for lid, cis in allowed.items() if cis}
        out.append((Screen(tuple(classes), allowed, scr.drop_only, ()), back))
    return out


def _has_history(prep: Prepared, cls: VehicleClass) -> bool:
    """Stops under way, goods on board or locked legs: the vehicle cannot be shared out."""
    vid = cls.vehicle_ids[0]
    return vid in prep.problem.fixed or vid in prep.owner.values()
