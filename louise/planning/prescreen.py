"""Pre-screen: which vehicles could serve each leg at all, and why not when none can.

A leg no vehicle can serve on its own (wrong zone, missing capability, too big, window
unreachable, beyond range) is set aside with a precise German reason before the solver
runs, so the dispatcher sees *why* instead of a generic "not planned".
Vehicles with identical properties form one class, so the screen costs legs x classes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .matrix import TravelMatrix, travel_s
from .model import Leg, Unassigned
from .prepare import Prepared, VehicleState

REQUIREMENT_WORDS = {"cooled": "gekühlt", "bulky": "sperrig"}


@dataclass(frozen=True, slots=True)
class VehicleClass:
    """Vehicles that are interchangeable for the solver (one PyVRP vehicle type)."""

    vehicle_ids: tuple[str, ...]
    state: VehicleState  # of the first vehicle; all share start, shift, load and range


@dataclass(frozen=True, slots=True)
class Screen:
    classes: tuple[VehicleClass, ...]
    allowed: dict[str, tuple[int, ...]]  # leg id -> indices of classes that may serve it
    drop_only: frozenset[str]  # legs already on board: only the drop is planned
    unassigned: tuple[Unassigned, ...]


def vehicle_classes(prep: Prepared) -> tuple[VehicleClass, ...]:
    """Group plain vehicles by their properties; a vehicle with history stays alone."""
    special = set(prep.owner.values()) | set(prep.problem.fixed)
    groups: dict[tuple, list[str]] = {}
    for v in prep.problem.vehicles:
        if v.id in special:
            key: tuple = ("special", v.id)
        else:
            key = (
                v.profile, v.speed_kmh, v.capacity, v.shift, v.start.id, v.end.id,
                v.range_m, v.fixed_cost, v.capabilities, v.cost_per_km, v.cost_per_hour,
                v.co2_g_per_km, v.charge_s, v.park_s,
            )  # fmt: skip
        groups.setdefault(key, []).append(v.id)
    return tuple(VehicleClass(tuple(ids), prep.states[ids[0]]) for ids in groups.values())


def screen(prep: Prepared, matrix: TravelMatrix, leg_ids: list[str] | None = None) -> Screen:
    """Screen ``leg_ids`` (default: every leg not completely fixed) against all classes."""
    classes = vehicle_classes(prep)
    class_of = {vid: i for i, c in enumerate(classes) for vid in c.vehicle_ids}
    carried = {lid for state in prep.states.values() for lid in state.carried}
    if leg_ids is None:
        leg_ids = [leg.id for leg in prep.problem.legs if leg.id not in prep.fixed_legs]
    allowed: dict[str, tuple[int, ...]] = {}
    unassigned = []
    for lid in leg_ids:
        leg = prep.legs[lid]
        owner = prep.owner.get(lid)
        candidates = [class_of[owner]] if owner else range(len(classes))
        ok: list[int] = []
        worst: tuple[int, str, str] | None = None
        for ci in candidates:
            failure = _check(prep, leg, classes[ci].state, lid in carried, matrix)
            if failure is None:
                ok.append(ci)
            elif worst is None or failure[0] > worst[0]:
                worst = failure
        if ok:
            allowed[lid] = tuple(ok)
        elif worst is not None:
            reason = worst[2] if owner is None else f"Fahrzeug {owner}: {worst[2]}"
            unassigned.append(Unassigned(lid, worst[1], reason))
        else:
            unassigned.append(Unassigned(lid, "vehicles", "Keine Fahrzeuge im Plan"))
    return Screen(classes, allowed, frozenset(carried), tuple(unassigned))


def _check(
    prep: Prepared, leg: Leg, state: VehicleState, drop_only: bool, matrix: TravelMatrix
) -> tuple[int, str, str] | None:
    """First rule the leg breaks on this vehicle, as (how far it got, code, reason)."""
    v = state.vehicle
    for zone, end in ((leg.pickup_zone, "Abholung"), (leg.zone, "Zustellung")):
        allowed_profiles = prep.problem.zones.get(zone) if zone else None
        if allowed_profiles is not None and v.profile not in allowed_profiles:
            return 0, "zone", f"{end} in Zone {zone}: kein Fahrzeugtyp des Plans darf dort fahren"
    if not leg.requirements <= v.capabilities:
        words = ", ".join(REQUIREMENT_WORDS.get(r, r) for r in sorted(leg.requirements))
        return 1, "requirements", f"Kein Fahrzeug erfüllt die Anforderungen ({words})"
    if not drop_only and any(s > c for s, c in zip(leg.size, v.capacity, strict=True)):
        return 2, "size", "Zu groß für jedes Fahrzeug"
    here, time, distance = state.location, state.time, state.distance
    if not drop_only:
        time = max(time + travel_s(matrix, here, leg.pickup, v), leg.pickup_window.start)
        if time > leg.pickup_window.end:
            return 3, "window", "Abholzeitfenster vom Hub aus nicht erreichbar"
        time += leg.pickup_service
        distance += matrix.distance(here, leg.pickup)
        here = leg.pickup
    time = max(time + travel_s(matrix, here, leg.delivery, v), leg.delivery_window.start)
    if time > leg.delivery_window.end:
        return 3, "window", "Zeitfenster vom Hub aus nicht erreichbar"
    distance += matrix.distance(here, leg.delivery) + matrix.distance(leg.delivery, v.end)
    time += leg.delivery_service + travel_s(matrix, leg.delivery, v.end, v)
    if time > v.shift.end:
        return 4, "shift", "Nicht innerhalb einer Schicht machbar (Rückkehr zum Hub zu spät)"
    if v.range_m is not None and distance > v.range_m:
        return 5, "range", "Außerhalb der Reichweite jedes Fahrzeugs"
    return None
