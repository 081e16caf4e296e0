"""The public entry points: ``plan`` (quality engine) and ``insert`` (fast path).

Both end the same way: tours are timed by ``schedule.make_tour`` and the plan goes
through the independent checker; a leg that breaks a rule is taken out with its reason
(repair), and a plan that still fails raises ``PlanningError``. No unchecked plan leaves.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from .check import check
from .decompose import solve_large
from .insertion import FreeTour, cheapest
from .matrix import HaversineMatrix, TravelMatrix
from .model import PICKUP, Leg, Plan, PlanningError, Problem, Tour, Unassigned, Violation
from .prepare import Prepared, initial_load, prepare
from .prescreen import Screen, screen
from .ruin import warm
from .schedule import make_plan, make_tour

NO_ROOM = "Kein Platz mehr im Plan: passende Fahrzeuge sind ausgelastet"
FINISH_SHARE = 0.08  # of the time limit kept for insertion, timing and the check

Stops = dict[str, list[tuple[Leg, str]]]  # vehicle id -> free stops in order


def plan(
    problem: Problem,
    *,
    time_limit: float = 5.0,
    seed: int = 0,
    on_progress: Callable[[float], None] | None = None,
    matrix: TravelMatrix | None = None,
) -> Plan:
    """Plan all legs from scratch: fewest vehicles, then least distance, never late."""
    t0 = time.perf_counter()
    # The compiled kernels come from numba's disk cache once per process (about 0.2 s): in
    # the time limit, but before the search, whose last step (putting in what it left out)
    # has only a few per cent of it.
    warm()
    matrix = matrix or HaversineMatrix()
    prep = prepare(problem, matrix)
    scr = screen(prep, matrix)
    budget = time_limit * (1 - FINISH_SHARE) - (time.perf_counter() - t0)
    outcome = solve_large(
        prep, scr, matrix, time_limit=max(budget, 0.05), seed=seed, on_progress=on_progress
    )
    free: Stops = {v.id: [] for v in problem.vehicles}
    for ci, stops in outcome.routes:
        vid = next(v for v in scr.classes[ci].vehicle_ids if not free[v])
        free[vid] = stops
    missing = [lid for lid in scr.allowed if lid not in outcome.served]
    unassigned = list(scr.unassigned) + _insert_all(prep, scr, free, missing, matrix)
    result = _finish(prep, free, unassigned, matrix, "pyvrp")
    if on_progress is not None:
        on_progress(1.0)
    return result


def insert(
    problem: Problem,
    current: Plan,
    leg_ids: Sequence[str],
    *,
    matrix: TravelMatrix | None = None,
) -> Plan:
    """Slot new legs into a published plan without reordering the stops already there.

    Legs of the problem the plan does not mention at all are inserted too, and stops of
    legs no longer in the problem are dropped, so the result always covers the problem.
    """
    matrix = matrix or HaversineMatrix()
    prep = prepare(problem, matrix)
    free: Stops = {v.id: [] for v in problem.vehicles}
    planned: set[str] = set()
    for tour in current.tours:
        if tour.vehicle_id not in free:
            continue
        prefix = set(problem.fixed.get(tour.vehicle_id, ()))
        for stop in tour.stops:
            leg = prep.legs.get(stop.leg_id)
            if leg is None or (stop.leg_id, stop.kind) in prefix or leg.id in prep.fixed_legs:
                continue
            if stop.kind == PICKUP and leg.on_board:
                continue
            free[tour.vehicle_id].append((leg, stop.kind))
            planned.add(leg.id)
    mentioned = planned | {u.leg_id for u in current.unassigned} | prep.fixed_legs
    todo = [lid for lid in leg_ids if lid in prep.legs and lid not in planned]
    todo += [lid for lid in prep.legs if lid not in mentioned and lid not in todo]
    kept = [
        u for u in current.unassigned if u.leg_id in prep.legs and u.leg_id not in planned
        and u.leg_id not in todo
    ]  # fmt: skip
    scr = screen(prep, matrix, todo)
    unassigned = kept + list(scr.unassigned)
    unassigned += _insert_all(prep, scr, free, list(scr.allowed), matrix)
    reuse = {t.vehicle_id: t for t in current.tours}
    return _finish(prep, free, unassigned, matrix, "insertion", reuse)


def _insert_all(
    prep: Prepared, scr: Screen, free: Stops, leg_ids: list[str], matrix: TravelMatrix
) -> list[Unassigned]:
    """Cheapest insertion, tightest drop window first; what does not fit is reported."""
    if not leg_ids:
        return []
    tours = {vid: FreeTour(prep.states[vid], stops, matrix) for vid, stops in free.items()}
    out = []
    for lid in sorted(leg_ids, key=lambda i: prep.legs[i].delivery_window.end):
        leg = prep.legs[lid]
        allowed = [tours[vid] for ci in scr.allowed[lid] for vid in scr.classes[ci].vehicle_ids]
        found = cheapest(allowed, leg, lid in scr.drop_only)
        if found is None:
            out.append(Unassigned(lid, "capacity", NO_ROOM))
            continue
        _, tour, pickup_edge, drop_edge = found
        tour.apply(leg, pickup_edge, drop_edge)
    return out


def _finish(
    prep: Prepared,
    free: Stops,
    unassigned: list[Unassigned],
    matrix: TravelMatrix,
    solver: str,
    reuse: dict[str, Tour] | None = None,
) -> Plan:
    """Time the tours, check the plan, and take out legs that break a rule.

    ``reuse`` offers already timed tours (the fast path's untouched ones); if the check
    finds anything, everything is timed afresh before a leg is blamed.
    """
    for _ in range(len(prep.legs) + 2):
        result = _timed(prep, free, unassigned, matrix, solver, reuse or {})
        violations = check(prep.problem, result, matrix=matrix)
        if not violations:
            return result
        if reuse:
            reuse = None
            continue
        _repair(prep, free, unassigned, violations)
    raise PlanningError("Plan konnte nicht konfliktfrei gemacht werden")


def _timed(
    prep: Prepared,
    free: Stops,
    unassigned: list[Unassigned],
    matrix: TravelMatrix,
    solver: str,
    reuse: dict[str, Tour],
) -> Plan:
    tours = []
    for v in prep.problem.vehicles:
        state = prep.states[v.id]
        stops = list(state.prefix) + free[v.id]
        old = reuse.get(v.id)
        if old is not None and [(s.leg_id, s.kind) for s in old.stops] == [
            (leg.id, kind) for leg, kind in stops
        ]:
            tours.append(old)
            continue
        start_load = initial_load(v, prep.aboard.get(v.id, ()))
        if stops or any(start_load):
            tours.append(make_tour(v, stops, start_load, matrix, n_fixed=len(state.prefix)))
    return make_plan(tours, unassigned, solver)


def _repair(
    prep: Prepared, free: Stops, unassigned: list[Unassigned], violations: list[Violation]
) -> None:
    """Unassign the free leg behind the first violation; a tour-level one costs the last leg.

    One at a time, because taking one leg out often clears the other violations too.
    """
    vio = violations[0]
    stops = free.get(vio.vehicle_id or "", [])
    lid = vio.leg_id
    if lid is None or all(leg.id != lid for leg, _ in stops):
        lid = stops[-1][0].id if stops else None
    if lid is None:
        raise PlanningError(f"Fester Teil der Tour verletzt Regel {vio.rule}: {vio.message}")
    free[vio.vehicle_id or ""] = [(leg, kind) for leg, kind in stops if leg.id != lid]
    unassigned.append(Unassigned(lid, vio.rule, f"Nicht konfliktfrei planbar: {vio.message}"))
