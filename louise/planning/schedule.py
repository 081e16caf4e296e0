"""Timing a sequence of stops: the one place that turns an order of stops into a Tour.

Solvers only decide the order; times, loads and metres always come from here, with the
caller's own ``TravelMatrix``, so every plan is timed the same way whatever produced it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .matrix import TravelMatrix, travel_s
from .model import PICKUP, Leg, Location, Plan, Stop, TimeWindow, Tour, Unassigned, Vehicle


def make_tour(
    vehicle: Vehicle,
    stops: Sequence[tuple[Leg, str]],
    start_load: tuple[int, ...],
    matrix: TravelMatrix,
    n_fixed: int = 0,
) -> Tour:
    """Earliest schedule, leaving the start as late as possible: the rider's time is paid.

    The departure moves by as much waiting as the tour would have on the way, as long as
    no stop gets later than its window allows (so the return stays the same). It is not
    moved when a stop is fixed: a started stop means the vehicle is already on its way.
    """
    tour = _timed(vehicle, stops, start_load, matrix, vehicle.shift.start)
    if not stops or n_fixed:
        return tour
    waited, later = 0, None
    for (leg, kind), stop in zip(stops, tour.stops, strict=True):
        waited += stop.start - stop.arrival
        room = waited + _site(leg, kind)[1].end - stop.start
        later = room if later is None else min(later, room)
    later = min(waited, later or 0)
    return _timed(vehicle, stops, start_load, matrix, tour.start + max(later, 0))


def _timed(
    vehicle: Vehicle,
    stops: Sequence[tuple[Leg, str]],
    start_load: tuple[int, ...],
    matrix: TravelMatrix,
    depart: int,
) -> Tour:
    here, time, distance, load = vehicle.start, depart, 0, list(start_load)
    out = []
    for leg, kind in stops:
        place, window, service = _site(leg, kind)
        distance += matrix.distance(here, place)
        arrival = time + travel_s(matrix, here, place, vehicle)
        begin = max(arrival, window.start)
        sign = 1 if kind == PICKUP else -1
        load = [a + sign * s for a, s in zip(load, leg.size, strict=True)]
        out.append(Stop(leg.id, kind, place, arrival, begin, begin + service, tuple(load)))
        here, time = place, begin + service
    distance += matrix.distance(here, vehicle.end)
    end = time + travel_s(matrix, here, vehicle.end, vehicle)
    return Tour(vehicle.id, tuple(out), depart, end, distance)


def make_plan(tours: Sequence[Tour], unassigned: Sequence[Unassigned], solver: str) -> Plan:
    """Totals over the tours; duration is the sum of tour spans (start to end)."""
    ordered = tuple(sorted(tours, key=lambda t: t.vehicle_id))
    return Plan(
        tours=ordered,
        unassigned=tuple(sorted(unassigned, key=lambda u: u.leg_id)),
        distance_m=sum(t.distance_m for t in ordered),
        duration_s=sum(t.end - t.start for t in ordered),
        solver=solver,
    )


def _site(leg: Leg, kind: str) -> tuple[Location, TimeWindow, int]:
    if kind == PICKUP:
        return leg.pickup, leg.pickup_window, leg.pickup_service
    return leg.delivery, leg.delivery_window, leg.delivery_service
