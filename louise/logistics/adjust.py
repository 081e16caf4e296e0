"""The dispatcher's hand on a draft plan: move a stop, lock it, see what it costs.

Every change re-times the touched tours from the hub and runs the planning library's
independent checker over the day's drafts; the answer says what the change broke in
words a dispatcher acts on ("Stopp 4 … 12 Min. zu spät"). Changes are kept even when
infeasible, because the dispatcher may know better (a customer said later is fine); a
re-plan keeps locked stops on their tour and optimises the rest around them.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from louise import planning
from louise.accounts.access import require_role
from louise.accounts.models import Role
from louise.core.errors import Conflict, Invalid

from .eta import Visit, project
from .models import StopKind, Tour, TourStatus, TourStop
from .planning_bridge import Day, to_leg, to_vehicle, zone_rules
from .publishing import texts
from .running import stop_location

DISPATCH = (Role.DISPATCHER, Role.OPERATOR)


@dataclass(frozen=True)
class Feasibility:
    ok: bool
    messages: list[str]


def _draft(stop: TourStop) -> None:
    if stop.tour.status != TourStatus.DRAFT:
        raise Conflict("Nur Entwürfe lassen sich umplanen; veröffentlichte Touren gehören "
                       "schon den Fahrern.", code="not_draft")


@transaction.atomic
def stop_lock(*, stop_id: int, by, locked: bool) -> TourStop:
    """A locked stop (and its leg) stays on its tour when the day is re-planned."""
    require_role(by, *DISPATCH)
    stop = TourStop.objects.select_related("tour", "leg").get(pk=stop_id)
    _draft(stop)
    TourStop.objects.filter(tour=stop.tour, leg=stop.leg).update(locked=locked)
    stop.refresh_from_db()
    return stop


@transaction.atomic
def stop_move(*, stop_id: int, by, tour_id: int, position: int) -> Feasibility:
    """Put a stop at `position` (1-based) of a draft tour of the same day.

    Within its tour only the stop moves. To another tour its leg moves whole (pickup and
    drop ride the same vehicle): the partner stop goes right before (a drop's pickup) or
    right after (a pickup's drop) and can be moved on from there.
    """
    require_role(by, *DISPATCH)
    stop = TourStop.objects.select_related("tour__plan_run", "leg").filter(pk=stop_id).first()
    target = Tour.objects.select_for_update().filter(pk=tour_id).first()
    if stop is None or target is None:
        raise Invalid("Stopp oder Tour gibt es nicht.")
    _draft(stop)
    if target.status != TourStatus.DRAFT or target.plan_run.day != stop.tour.plan_run.day:
        raise Conflict("Ziel muss ein Entwurf desselben Tages sein.", code="not_draft")
    source = stop.tour
    moving = [stop] if source.pk == target.pk else list(
        source.stops.filter(leg=stop.leg).order_by("sequence"))
    order = [s for s in target.stops.order_by("sequence") if s not in moving]
    at = max(0, min(position - 1, len(order)))
    order[at:at] = sorted(moving, key=lambda s: s.kind != StopKind.PICKUP)
    _renumber(target, order)
    if source.pk != target.pk:
        _renumber(source, list(source.stops.exclude(pk__in=[s.pk for s in moving])
                               .order_by("sequence")))
    return tours_check(day=source.plan_run.day)


def _renumber(tour: Tour, stops: list[TourStop]) -> None:
    """Write the new order (numbers move out of the way first: they are unique per tour)."""
    TourStop.objects.filter(pk__in=[s.pk for s in stops]).update(sequence=F("sequence") + 10_000)
    for i, stop in enumerate(stops, start=1):
        TourStop.objects.filter(pk=stop.pk).update(tour=tour, sequence=i)


@transaction.atomic
def tours_check(*, day) -> Feasibility:
    """Re-time the day's draft tours and check them; store times, return what is broken."""
    the_day, matrix = Day(day), planning.HaversineMatrix()
    tours = list(Tour.objects.filter(plan_run__day=day, status=TourStatus.DRAFT)
                 .select_related("shift__vehicle__hub", "shift__rider"))
    legs, vehicles, planned, messages, stops_of = {}, [], [], [], {}
    for tour in tours:
        vehicle = to_vehicle(tour.shift, the_day)
        start = max(vehicle.shift.start, the_day.seconds(tour.starts_at))
        stops = list(tour.stops.select_related("leg").order_by("sequence"))
        stops_of[str(tour.shift_id)] = stops
        visits = [Visit(stop_location(s), the_day.seconds(s.window[0]),
                        the_day.seconds(s.window[1]), s.service_s) for s in stops]
        times = project(vehicle, vehicle.start, start, visits, matrix)
        load, out, here, metres = [0] * len(vehicle.capacity), [], vehicle.start, 0
        for stop, t in zip(stops, times, strict=True):
            legs[stop.leg_id] = stop.leg
            sign = 1 if stop.kind == StopKind.PICKUP else -1
            load = [a + sign * b for a, b in zip(load, to_leg(stop.leg, the_day).size,
                                                 strict=True)]
            metres += matrix.distance(here, stop_location(stop))
            here = stop_location(stop)
            out.append(planning.Stop(str(stop.leg_id), stop.kind, here, t.arrival, t.begin,
                                     t.begin + stop.service_s, tuple(load)))
            stop.planned_arrival = the_day.at(t.begin)
            stop.planned_departure = the_day.at(t.begin + stop.service_s)
            if t.late_s:
                messages.append(f"{tour.shift.vehicle.name}, Stopp {stop.sequence} "
                                f"({stop.label}): {round(t.late_s / 60)} Min. zu spät")
        TourStop.objects.bulk_update(stops, ["planned_arrival", "planned_departure"])
        end_at = (out[-1].departure if out else start) + matrix.duration(here, vehicle.end,
                                                                          vehicle)
        metres += matrix.distance(here, vehicle.end)
        Tour.objects.filter(pk=tour.pk).update(ends_at=the_day.at(end_at), distance_m=metres)
        vehicles.append(vehicle)
        planned.append(planning.Tour(vehicle.id, tuple(out), start, end_at, metres))
    problem = planning.Problem(legs=tuple(to_leg(leg, the_day) for leg in legs.values()),
                               vehicles=tuple(vehicles), zones=zone_rules())
    plan = planning.Plan(tuple(planned), (), sum(t.distance_m for t in planned), 0, "manual")
    names = {str(t.shift_id): t.shift.vehicle.name for t in tours}
    for v in planning.check(problem, plan, matrix=matrix):
        if v.rule != "window":  # lateness is told above, in minutes
            vid = v.vehicle_id or ""
            messages += texts([v], vehicle=names.get(vid, "Plan"), stops=stops_of.get(vid, []))
    messages = list(dict.fromkeys(messages))  # a drop before its pickup breaks two rules
    return Feasibility(ok=not messages, messages=messages)
