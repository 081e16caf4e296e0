"""Independent feasibility checker.

It trusts nothing in the plan but the order of stops and each tour's departure: times,
loads and metres are recomputed from the problem and the travel matrix, and every rule
is checked on its own. It shares no code with the solvers on purpose, so a bug in the
engine cannot hide itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from .matrix import HaversineMatrix, TravelMatrix, travel_s
from .model import (
    DELIVERY,
    PICKUP,
    Leg,
    Location,
    Plan,
    Problem,
    TimeWindow,
    Tour,
    Vehicle,
    Violation,
)


def check(problem: Problem, plan: Plan, *, matrix: TravelMatrix | None = None) -> list[Violation]:
    """Every rule the plan breaks; an empty list means the plan is feasible."""
    matrix = matrix or HaversineMatrix()
    legs = {leg.id: leg for leg in problem.legs}
    vehicles = {v.id: v for v in problem.vehicles}
    out: list[Violation] = []
    seen_vehicles: Counter[str] = Counter(t.vehicle_id for t in plan.tours)
    for vid, n in seen_vehicles.items():
        if n > 1:
            out.append(Violation(vid, None, "same_vehicle", f"{n} Touren für Fahrzeug {vid}"))
    served: dict[tuple[str, str], list[tuple[str, int]]] = {}
    aboard: dict[str, list[Leg]] = {}
    for leg in problem.legs:
        if leg.on_board:
            aboard.setdefault(leg.on_board, []).append(leg)
    for tour in plan.tours:
        vehicle = vehicles.get(tour.vehicle_id)
        if vehicle is None:
            out.append(Violation(tour.vehicle_id, None, "pairing", "Unbekanntes Fahrzeug"))
            continue
        for pos, stop in enumerate(tour.stops):
            served.setdefault((stop.leg_id, stop.kind), []).append((tour.vehicle_id, pos))
        out += _check_tour(problem, legs, aboard.get(vehicle.id, []), vehicle, tour, matrix)
    out += _check_pairing(problem, plan, legs, served)
    out += _check_fixed(problem, plan, vehicles)
    out += _check_groups(problem, plan)
    out += _check_chains(problem, plan)
    return out


def _check_tour(
    problem: Problem,
    legs: dict[str, Leg],
    aboard: list[Leg],
    v: Vehicle,
    tour: Tour,
    matrix: TravelMatrix,
) -> list[Violation]:
    out: list[Violation] = []
    fixed = problem.fixed.get(v.id, ())

    def bad(leg_id: str | None, rule: str, message: str, position: int | None = None,
            value: Sequence[int] = (), limit: Sequence[int] = ()) -> None:
        out.append(Violation(v.id, leg_id, rule, message, position, tuple(value), tuple(limit)))

    load = [0] * len(v.capacity)
    for carried in aboard:
        load = [a + s for a, s in zip(load, carried.size, strict=False)]
    if any(a > c for a, c in zip(load, v.capacity, strict=False)):
        bad(None, "capacity", f"Ladung {load} beim Start über Kapazität {v.capacity}",
            value=load, limit=v.capacity)
    if tour.start < v.shift.start:
        bad(None, "shift", f"Start {tour.start} vor Schichtbeginn {v.shift.start}")
    here, time, metres = v.start, tour.start, 0
    charges = _Charges(v)
    for pos, stop in enumerate(tour.stops):
        leg = legs.get(stop.leg_id)
        if leg is None or stop.kind not in (PICKUP, DELIVERY):
            bad(stop.leg_id, "pairing", f"Unbekannter Stopp {stop.leg_id}/{stop.kind}")
            continue
        is_pickup = stop.kind == PICKUP
        place = leg.pickup if is_pickup else leg.delivery
        window = leg.pickup_window if is_pickup else leg.delivery_window
        service = leg.pickup_service if is_pickup else leg.delivery_service
        if stop.location.id != place.id:
            bad(leg.id, "pairing", f"Stopp an {stop.location.id} statt {place.id}")
        metres += matrix.distance(here, place)
        arrival = time + travel_s(matrix, here, place, v)
        charges.move(here, place, time, arrival, matrix.distance(here, place))
        begin = max(arrival, window.start)
        is_fixed = pos < len(fixed)
        if begin > window.end and not is_fixed:
            bad(leg.id, "window", f"{stop.kind} beginnt {begin}, Fenster endet {window.end}",
                pos, (begin,), (window.end,))
        sign = 1 if is_pickup else -1
        load = [a + sign * s for a, s in zip(load, leg.size, strict=False)]
        if any(a > c for a, c in zip(load, v.capacity, strict=False)) or min(load) < 0:
            bad(leg.id, "capacity", f"Ladung {load} nach {stop.kind}, Kapazität {v.capacity}",
                pos, load, v.capacity)
        if (stop.arrival, stop.start, stop.departure) != (arrival, begin, begin + service) or (
            list(stop.load) != load
        ):
            bad(leg.id, "schedule", f"Angegebene Zeiten/Ladung von {stop.kind} stimmen nicht")
        hours = leg.pickup_hours if is_pickup else leg.delivery_hours
        if hours and not is_fixed:
            out += [replace(x, position=pos) for x in _check_hours(v, leg, stop.kind, hours,
                                                                   begin, service)]
        out += [replace(x, position=pos) for x in _check_leg_rules(problem, v, leg)]
        here, time = place, begin + service
    metres += matrix.distance(here, v.end)
    end = time + travel_s(matrix, here, v.end, v)
    charges.move(here, v.end, time, end, matrix.distance(here, v.end))
    if end > v.shift.end:
        bad(None, "shift", f"Rückkehr {end} nach Schichtende {v.shift.end}", None, (end,),
            (v.shift.end,))
    longest = max(charges.stretches)
    if v.range_m is not None and longest > v.range_m:
        between = " zwischen zwei Ladungen" if len(charges.stretches) > 1 else ""
        bad(None, "range", f"{longest} m{between} über Reichweite {v.range_m} m", None,
            (longest,), (v.range_m,))
    if end != tour.end or metres != tour.distance_m:
        bad(None, "schedule", "Angegebenes Tourende oder Strecke stimmt nicht")
    return out


def _clock(seconds: int) -> str:
    """Seconds from the epoch as a time of day (the epoch is the planning day's midnight)."""
    return f"{seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}"


def hours_detail(begin: int, limit: tuple[int, ...]) -> str:
    """What the missed span (`limit`, () if shut all day) says to a stop beginning at
    `begin`: "öffnet 15:00", "schließt 18:30" or "geschlossen"."""
    if not limit:
        return "geschlossen"
    return f"öffnet {_clock(limit[0])}" if begin < limit[0] else f"schließt {_clock(limit[1])}"


def _check_hours(v: Vehicle, leg: Leg, kind: str, hours: tuple[TimeWindow, ...], begin: int,
                 service: int) -> list[Violation]:
    """A stop, begin to end of its service, inside one open span of its place. The limit
    reported is the span it misses: the next one to close after its begin (it opens too
    late, or closes before the service ends), else the last one of the day."""
    end = begin + service
    if any(span.start <= begin and end <= span.end for span in hours):
        return []
    spans = sorted((s for s in hours if s.start < s.end), key=lambda s: s.end)
    near = next((s for s in spans if s.end > begin), spans[-1] if spans else None)
    limit = (near.start, near.end) if near else ()
    what = "Abholung" if kind == PICKUP else "Zustellung"
    return [Violation(v.id, leg.id, "hours", f"{what} um {_clock(begin)} außerhalb der "
                      f"Öffnungszeiten ({hours_detail(begin, limit)})", None, (begin, end),
                      limit)]


class _Charges:
    """Metres driven on each battery charge: a stay of at least ``charge_s`` at the hub
    (the vehicle's ``end``), from arriving there to leaving, charges it full again.

    A stay is the time between arriving at the hub and leaving it for another place, over
    any stops done there in between (waiting for a pickup window included).
    """

    def __init__(self, v: Vehicle) -> None:
        self.hub, self.charge_s = v.end.id, v.charge_s
        self.stretches = [0]
        self.arrived: int | None = None  # when the vehicle came to the hub it is at

    def move(self, here: Location, there: Location, leave: int, arrive: int, metres: int) -> None:
        if here.id == there.id:
            return
        if (self.arrived is not None and self.charge_s is not None
                and leave - self.arrived >= self.charge_s):
            self.stretches.append(0)
        self.stretches[-1] += metres
        self.arrived = arrive if there.id == self.hub else None


def _check_leg_rules(problem: Problem, v: Vehicle, leg: Leg) -> list[Violation]:
    out = []
    for zone in dict.fromkeys(z for z in (leg.pickup_zone, leg.zone) if z):
        allowed = problem.zones.get(zone)
        if allowed is not None and v.profile not in allowed:
            out.append(Violation(v.id, leg.id, "zone", f"{v.profile} darf nicht in {zone}"))
    if not leg.requirements <= v.capabilities:
        missing = ", ".join(sorted(leg.requirements - v.capabilities))
        out.append(Violation(v.id, leg.id, "requirements", f"Fahrzeug kann nicht: {missing}"))
    if leg.on_board and leg.on_board != v.id:
        out.append(Violation(v.id, leg.id, "on_board", f"Ware ist auf {leg.on_board}"))
    if leg.locked_to and leg.locked_to != v.id:
        out.append(Violation(v.id, leg.id, "locked", f"Gesperrt auf {leg.locked_to}"))
    return out


def _check_pairing(
    problem: Problem,
    plan: Plan,
    legs: dict[str, Leg],
    served: dict[tuple[str, str], list[tuple[str, int]]],
) -> list[Violation]:
    out = []
    unassigned = Counter(u.leg_id for u in plan.unassigned)
    for lid, n in unassigned.items():
        if lid not in legs:
            out.append(Violation(None, lid, "pairing", "Unbekannter Auftrag als offen gemeldet"))
        elif n > 1:
            out.append(Violation(None, lid, "pairing", "Auftrag mehrfach als offen gemeldet"))
    for leg in problem.legs:
        pickups = served.get((leg.id, PICKUP), [])
        drops = served.get((leg.id, DELIVERY), [])
        if len(pickups) > 1 or len(drops) > 1:
            out.append(Violation(None, leg.id, "pairing", "Stopp mehrfach eingeplant"))
            continue
        if leg.on_board:
            if pickups:
                out.append(Violation(pickups[0][0], leg.id, "on_board", "Ware ist schon an Bord"))
            if not drops and not unassigned[leg.id]:
                out.append(Violation(None, leg.id, "pairing", "Zustellung fehlt"))
            if drops and unassigned[leg.id]:
                out.append(Violation(None, leg.id, "pairing", "Eingeplant und offen zugleich"))
            continue
        if not pickups and not drops:
            if not unassigned[leg.id]:
                out.append(Violation(None, leg.id, "pairing", "Weder eingeplant noch offen"))
            continue
        if unassigned[leg.id]:
            if drops or not _fixed_pickup(problem, leg.id, pickups[0][0]):
                out.append(Violation(None, leg.id, "pairing", "Eingeplant und offen zugleich"))
            continue
        if len(pickups) != 1 or len(drops) != 1:
            out.append(Violation(None, leg.id, "pairing", "Abholung ohne Zustellung o. umgekehrt"))
            continue
        (pv, ppos), (dv, dpos) = pickups[0], drops[0]
        if pv != dv:
            out.append(Violation(pv, leg.id, "same_vehicle", f"Zustellung auf {dv}"))
        elif dpos < ppos:
            out.append(Violation(pv, leg.id, "precedence", "Zustellung vor Abholung", dpos))
    return out


def _check_fixed(problem: Problem, plan: Plan, vehicles: dict[str, Vehicle]) -> list[Violation]:
    out = []
    tours = {t.vehicle_id: t for t in plan.tours}
    unassigned = {u.leg_id for u in plan.unassigned}
    for vid, fixed in problem.fixed.items():
        tour = tours.get(vid)
        head = [(s.leg_id, s.kind) for s in (tour.stops if tour else ())][: len(fixed)]
        if fixed and head != [tuple(f) for f in fixed]:
            out.append(Violation(vid, None, "fixed", "Feste Stopps nicht am Tourbeginn"))
        for lid, _ in fixed:
            if lid in unassigned:
                out.append(Violation(vid, lid, "fixed", "Fester Stopp als offen gemeldet"))
    return out


def _check_groups(problem: Problem, plan: Plan) -> list[Violation]:
    """Legs of one group are one drop: their planned drops follow each other on one tour at
    one place. A member left unassigned is reported as such, not here (the parcels that are
    planned still arrive together)."""
    out = []
    members: dict[str, set[str]] = {}
    for leg in problem.legs:
        if leg.group:
            members.setdefault(leg.group, set()).add(leg.id)
    for group, ids in members.items():
        drops = [(t.vehicle_id, pos, s) for t in plan.tours for pos, s in enumerate(t.stops)
                 if s.kind == DELIVERY and s.leg_id in ids]
        if len(drops) < 2:
            continue
        vid, first, head = drops[0]
        for n, (other_vid, pos, stop) in enumerate(drops[1:], start=1):
            if other_vid != vid:
                out.append(Violation(other_vid, stop.leg_id, "group",
                                     f"Sendung {group} auf {vid} und {other_vid} geteilt"))
            elif pos != first + n or stop.location.id != head.location.id:
                out.append(Violation(vid, stop.leg_id, "group",
                                     f"Sendung {group} nicht in einem Stopp", pos))
    return out


def _check_chains(problem: Problem, plan: Plan) -> list[Violation]:
    """A leg out of the hub rides only with the legs bringing its goods there: without
    them the rider would wait at the depot for parcels that never come (their order in
    time is the windows', which the hub's sorting time separates). A pickup already under
    way (fixed) is a fact, not a decision."""
    out = []
    present = {leg.id for leg in problem.legs}
    at = {(s.leg_id, s.kind): (t.vehicle_id, pos) for t in plan.tours
          for pos, s in enumerate(t.stops)}
    for leg in problem.legs:
        pickup = at.get((leg.id, PICKUP))
        if not leg.after or pickup is None:
            continue
        vid, pos = pickup
        if (leg.id, PICKUP) in problem.fixed.get(vid, ()):
            continue
        out += [Violation(vid, leg.id, "chain", f"Zulauf {feeder} ins Depot nicht geplant", pos)
                for feeder in leg.after if feeder in present and (feeder, DELIVERY) not in at]
    return out


def _fixed_pickup(problem: Problem, leg_id: str, vehicle_id: str) -> bool:
    """A started pickup whose drop cannot be planned: the goods ride back to the hub."""
    return (leg_id, PICKUP) in problem.fixed.get(vehicle_id, ())
