"""Validation of a problem and the state each vehicle is in after its fixed prefix.

Everything downstream (pre-screen, solver, insertion) works on the *free* part of a
tour: it starts where the fixed prefix ends, with the goods that are then on board.
Computing that state once keeps the special cases (started stops, goods on board,
locks) out of the solver code.
"""

from __future__ import annotations

from dataclasses import dataclass

from .matrix import TravelMatrix, travel_s
from .model import DELIVERY, PICKUP, Leg, Location, PlanningError, Problem, Vehicle

KINDS = (PICKUP, DELIVERY)


@dataclass(frozen=True, slots=True)
class VehicleState:
    """Where and when the free part of a vehicle's tour begins."""

    vehicle: Vehicle
    prefix: tuple[tuple[Leg, str], ...]
    location: Location
    time: int
    load: tuple[int, ...]
    distance: int
    carried: tuple[str, ...]  # legs on board after the prefix: only their drop remains


@dataclass(frozen=True, slots=True)
class Prepared:
    problem: Problem
    legs: dict[str, Leg]
    vehicles: dict[str, Vehicle]
    states: dict[str, VehicleState]
    aboard: dict[str, tuple[Leg, ...]]  # vehicle id -> legs whose goods it carries at start
    owner: dict[str, str]  # leg id -> the only vehicle that may serve it
    fixed_legs: frozenset[str]  # legs completely inside a fixed prefix

    @property
    def dims(self) -> int:
        return len(self.problem.vehicles[0].capacity) if self.problem.vehicles else 0


def validate(problem: Problem) -> None:
    """Raise ``PlanningError`` with a readable message when the problem is inconsistent."""
    leg_ids = [leg.id for leg in problem.legs]
    if len(set(leg_ids)) != len(leg_ids):
        raise PlanningError(f"Doppelte Auftrags-IDs: {_duplicates(leg_ids)}")
    vehicle_ids = [v.id for v in problem.vehicles]
    if len(set(vehicle_ids)) != len(vehicle_ids):
        raise PlanningError(f"Doppelte Fahrzeug-IDs: {_duplicates(vehicle_ids)}")
    dims = {len(v.capacity) for v in problem.vehicles}
    if len(dims) > 1:
        raise PlanningError("Fahrzeuge haben unterschiedlich viele Kapazitätsdimensionen")
    for v in problem.vehicles:
        if v.shift.start > v.shift.end:
            raise PlanningError(f"Schicht von Fahrzeug {v.id} endet vor ihrem Beginn")
        if v.speed_kmh <= 0:
            raise PlanningError(f"Fahrzeug {v.id} hat keine positive Geschwindigkeit")
    known = set(vehicle_ids)
    for leg in problem.legs:
        if dims and len(leg.size) not in dims:
            raise PlanningError(
                f"Auftrag {leg.id}: Größe hat {len(leg.size)} Dimensionen, "
                f"Fahrzeuge haben {next(iter(dims))}"
            )
        if any(s < 0 for s in leg.size) or leg.pickup_service < 0 or leg.delivery_service < 0:
            raise PlanningError(f"Auftrag {leg.id}: negative Größe oder Servicezeit")
        for vid in (leg.on_board, leg.locked_to):
            if vid is not None and vid not in known:
                raise PlanningError(f"Auftrag {leg.id}: unbekanntes Fahrzeug {vid}")
        if leg.on_board and leg.locked_to and leg.on_board != leg.locked_to:
            raise PlanningError(f"Auftrag {leg.id} ist an Bord eines anderen Fahrzeugs gesperrt")


def prepare(problem: Problem, matrix: TravelMatrix) -> Prepared:
    """Validate, then compute every vehicle's state after its fixed prefix."""
    validate(problem)
    legs = {leg.id: leg for leg in problem.legs}
    vehicles = {v.id: v for v in problem.vehicles}
    owner: dict[str, str] = {}
    for leg in problem.legs:
        if leg.on_board or leg.locked_to:
            owner[leg.id] = leg.on_board or leg.locked_to  # type: ignore[assignment]
    fixed_legs: set[str] = set()
    states: dict[str, VehicleState] = {}
    for vid, stops in problem.fixed.items():
        if vid not in vehicles:
            raise PlanningError(f"Feste Stopps für unbekanntes Fahrzeug {vid}")
        for leg, kind in _fixed_prefix(vid, stops, legs, owner):
            owner[leg.id] = vid
            if kind == DELIVERY:
                fixed_legs.add(leg.id)
    aboard: dict[str, list[Leg]] = {}
    for leg in problem.legs:
        if leg.on_board:
            aboard.setdefault(leg.on_board, []).append(leg)
    for v in problem.vehicles:
        prefix = tuple((legs[lid], kind) for lid, kind in problem.fixed.get(v.id, ()))
        states[v.id] = vehicle_state(v, prefix, tuple(aboard.get(v.id, ())), matrix)
    on_board = {vid: tuple(found) for vid, found in aboard.items()}
    return Prepared(problem, legs, vehicles, states, on_board, owner, frozenset(fixed_legs))


def vehicle_state(
    vehicle: Vehicle,
    prefix: tuple[tuple[Leg, str], ...],
    aboard: tuple[Leg, ...],
    matrix: TravelMatrix,
) -> VehicleState:
    """Drive the fixed prefix from the vehicle's start and return where it ends."""
    load = list(initial_load(vehicle, aboard))
    carried = [leg.id for leg in aboard]
    here, time, distance = vehicle.start, vehicle.shift.start, 0
    for leg, kind in prefix:
        place = leg.pickup if kind == PICKUP else leg.delivery
        window = leg.pickup_window if kind == PICKUP else leg.delivery_window
        service = leg.pickup_service if kind == PICKUP else leg.delivery_service
        distance += matrix.distance(here, place)
        time = max(time + travel_s(matrix, here, place, vehicle), window.start) + service
        sign = 1 if kind == PICKUP else -1
        load = [a + sign * s for a, s in zip(load, leg.size, strict=True)]
        if kind == PICKUP:
            carried.append(leg.id)
        else:
            carried.remove(leg.id)
        here = place
    return VehicleState(vehicle, prefix, here, time, tuple(load), distance, tuple(carried))


def initial_load(vehicle: Vehicle, legs: tuple[Leg, ...]) -> tuple[int, ...]:
    """Goods on board when the tour starts: the legs marked ``on_board`` this vehicle."""
    load = [0] * len(vehicle.capacity)
    for leg in legs:
        if leg.on_board == vehicle.id:
            load = [a + s for a, s in zip(load, leg.size, strict=True)]
    return tuple(load)


def _fixed_prefix(
    vid: str, stops: tuple[tuple[str, str], ...], legs: dict[str, Leg], owner: dict[str, str]
) -> tuple[tuple[Leg, str], ...]:
    seen: set[tuple[str, str]] = set()
    out = []
    for lid, kind in stops:
        if lid not in legs:
            raise PlanningError(f"Fester Stopp für unbekannten Auftrag {lid}")
        if kind not in KINDS:
            raise PlanningError(f"Fester Stopp {lid}: unbekannte Art {kind!r}")
        if (lid, kind) in seen:
            raise PlanningError(f"Fester Stopp {lid}/{kind} doppelt")
        leg = legs[lid]
        if owner.get(lid, vid) != vid:
            raise PlanningError(f"Auftrag {lid} ist fest auf zwei Fahrzeugen")
        if kind == PICKUP and leg.on_board:
            raise PlanningError(f"Auftrag {lid} ist schon an Bord, kann nicht abgeholt werden")
        if kind == DELIVERY and (lid, PICKUP) not in seen and leg.on_board != vid:
            raise PlanningError(f"Auftrag {lid}: Zustellung fest, aber nicht an Bord")
        seen.add((lid, kind))
        out.append((leg, kind))
    return tuple(out)


def _duplicates(ids: list[str]) -> str:
    seen: set[str] = set()
    dup = sorted({i for i in ids if i in seen or seen.add(i)})  # type: ignore[func-returns-value]
    return ", ".join(dup)
