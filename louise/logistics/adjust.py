"""The dispatcher's hand on a draft plan: move a stop, lock it, see what it costs.

Every change re-times the day's draft tours as the planner times them (the planning
library's schedule) and runs its independent checker over them; the answer says what the
change broke in words a dispatcher acts on ("Stopp 4 … 12 Min. zu spät"). Changes are
kept even when infeasible, because the dispatcher may know better (a customer said later is
fine); a re-plan keeps locked stops on their tour and optimises the rest around them.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from louise import planning
from louise.accounts.access import DISPATCH, require_role, visible_to
from louise.accounts.models import User
from louise.core.errors import Conflict, NotFound

from .models import StopKind, Tour, TourStatus, TourStop
from .planning_bridge import Day, problem_for, to_vehicle, tour_write
from .publishing import texts


@dataclass(frozen=True)
class Feasibility:
    ok: bool
    messages: list[str]


def _draft(stop: TourStop) -> None:
    if stop.tour.status != TourStatus.DRAFT:
        raise Conflict("Nur Entwürfe lassen sich umplanen; veröffentlichte Touren gehören "
                       "schon den Fahrern.", code="not_draft")


@transaction.atomic
def stop_lock(*, stop_id: int, by: User, locked: bool) -> TourStop:
    """A locked stop (and its leg) stays on its tour when the day is re-planned."""
    require_role(by, *DISPATCH)
    stop = visible_to(TourStop, by).select_related("tour", "leg").filter(pk=stop_id).first()
    if stop is None:
        raise NotFound(f"Stopp {stop_id} gibt es nicht.")
    _draft(stop)
    TourStop.objects.filter(tour=stop.tour, leg=stop.leg).update(locked=locked)
    stop.refresh_from_db()
    return stop


@transaction.atomic
def stop_move(*, stop_id: int, by: User, tour_id: int, position: int) -> Feasibility:
    """Put a stop at `position` (1-based) of a draft tour of the same day.

    Within its tour only the stop moves. To another tour its leg moves whole (pickup and
    drop ride the same vehicle): the partner stop goes right before (a drop's pickup) or
    right after (a pickup's drop) and can be moved on from there.
    """
    require_role(by, *DISPATCH)
    stop = visible_to(TourStop, by).select_related("tour__plan_run", "leg").filter(
        pk=stop_id).first()
    target = visible_to(Tour.objects.select_for_update(), by).filter(pk=tour_id).first()
    if stop is None:
        raise NotFound(f"Stopp {stop_id} gibt es nicht.")
    if target is None:
        raise NotFound(f"Tour {tour_id} gibt es nicht.")
    _draft(stop)
    if (target.status != TourStatus.DRAFT or target.plan_run.day != stop.tour.plan_run.day
            or target.plan_run.town_id != stop.tour.plan_run.town_id):
        raise Conflict("Ziel muss ein Entwurf desselben Tages sein.", code="not_draft")
    source = stop.tour
    moving = [stop] if source.pk == target.pk else list(
        source.stops.filter(leg=stop.leg).order_by("sequence"))
    order = [s for s in target.stops.order_by("sequence") if s not in moving]
    at = max(0, min(position - 1, len(order)))
    order[at:at] = sorted(moving, key=lambda s: s.kind != StopKind.PICKUP)
    renumber(target, order)
    if source.pk != target.pk:
        renumber(source, list(source.stops.exclude(pk__in=[s.pk for s in moving])
                               .order_by("sequence")))
    return tours_check(day=Day.of(source.plan_run))


def renumber(tour: Tour, stops: list[TourStop]) -> None:
    """Write the new order (numbers move out of the way first: they are unique per tour)."""
    TourStop.objects.filter(pk__in=[s.pk for s in stops]).update(sequence=F("sequence") + 10_000)
    for i, stop in enumerate(stops, start=1):
        TourStop.objects.filter(pk=stop.pk).update(tour=tour, sequence=i)


@transaction.atomic
def tours_check(*, day: Day) -> Feasibility:
    """Re-time the day's draft tours in their current order, store the times, and return
    what is broken: lateness in minutes per stop, the rest as the checker words it."""
    the_day, matrix = day, planning.HaversineMatrix()
    tours = list(Tour.objects.filter(plan_run__day=day.day, plan_run__town=day.town_id,
                                     status=TourStatus.DRAFT)
                 .select_related("shift__vehicle__hub", "shift__rider"))
    stops = {tour.pk: list(tour.stops.select_related("leg").order_by("sequence"))
             for tour in tours}
    legs = {s.leg_id: s.leg for tour_stops in stops.values() for s in tour_stops}
    problem = problem_for(the_day, legs.values(), [to_vehicle(t.shift, the_day) for t in tours])
    planned_legs = {leg.id: leg for leg in problem.legs}
    timed, messages = [], []
    for tour, vehicle in zip(tours, problem.vehicles, strict=True):
        order = [(planned_legs[str(s.leg_id)], s.kind) for s in stops[tour.pk]]
        planned = planning.make_tour(vehicle, order, (0,) * len(vehicle.capacity), matrix)
        for stop, (leg, kind), p in zip(stops[tour.pk], order, planned.stops, strict=True):
            window = leg.pickup_window if kind == StopKind.PICKUP else leg.delivery_window
            if p.start > window.end:
                messages.append(f"{tour.shift.vehicle.name}, Stopp {stop.sequence} "
                                f"({stop.label}): {round((p.start - window.end) / 60)} Min. "
                                "zu spät")
        tour_write(tour, planned, the_day, legs=legs, stops=stops[tour.pk])
        timed.append(planned)
    names = {str(t.shift_id): t.shift.vehicle.name for t in tours}
    stops_of = {str(t.shift_id): stops[t.pk] for t in tours}
    plan = planning.make_plan(timed, (), "manual")
    for v in planning.check(problem, plan, matrix=matrix):
        if v.rule != "window":  # lateness is told above, in minutes
            vid = v.vehicle_id or ""
            messages += texts([v], vehicle=names.get(vid, "Plan"),
                              stops=stops_of.get(vid, []))
    messages = list(dict.fromkeys(messages))  # a drop before its pickup breaks two rules
    return Feasibility(ok=not messages, messages=messages)
