"""Simulated riders: each rides their published tour stop by stop in its current order,
through the rider app's services with their own account.

A rider takes about the planner's time for each way (the same travel matrix and speed),
a little more or less (traffic, a parking spot), waits for a window to open, and spends
about the stop's service time there; the app's ETAs are only its forecast of this.
Pickups confirm the parcel count; drops are proven by the recipient's name or signature,
at a locker by the compartment's code. About one door in twenty stays shut: the drop fails
as "not at home" and the app's fallback takes over (a locker or pickup point slotted into
this tour, or the next wave). When the app refuses a stop, the rider stops and calls the
dispatcher: the rest of the tour is left, counted in the day's figures.

At the City-Depot a rider waits for a delivery that is not sorted yet, as the app asks, but
not for ever: when the stop's planned departure is `DEPOT_GRACE` past (a collection bike
running late may still bring the missing parcel; never beyond the pickup window) and the
delivery is still incomplete, the depot's staff hold it back for the next wave
(`hub_desk.delivery_hold`), its stops leave the tour and the rider rides the rest. Only on
the last day before a run's horizon (`Options.until`) is nothing held, since the next wave
is the live day's, which the run leaves alone: there the refusal stands.
"""

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from louise import planning
from louise.accounts.models import User
from louise.core.calendar import next_working_day
from louise.core.errors import Conflict
from louise.geo.models import LockerCompartment
from louise.logistics.hub_desk import delivery_hold, delivery_sort, parcel_scan
from louise.logistics.models import (
    ProofMethod,
    StopKind,
    StopStatus,
    Tour,
    TourStatus,
    TourStop,
)
from louise.logistics.planning_bridge import Day, own_service_s, to_vehicle
from louise.logistics.running import stop_location
from louise.logistics.services import FailureReason, stop_complete, stop_fail
from louise.orders.labels import label_payload

from .agenda import Life

TRAVEL = (0.85, 1.25)  # a way takes this much of the planner's estimate
SERVICE = (0.7, 1.5)  # and a stop this much of its service time
NOT_HOME = 0.05
SIGNED = 0.3  # share of door drops signed for on the phone rather than named
SIGNATURE = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40">'
             '<path d="M5 30 C20 5, 35 5, 45 25 S70 35, 80 12 L115 20"/></svg>')
MATRIX = planning.HaversineMatrix()
DEPOT_WAIT = timedelta(minutes=5)  # a rider early at the depot asks again after this
# How long after a depot stop's planned departure the depot still waits for a delivery's
# last parcel before the tour leaves without it (a collection round a little behind).
DEPOT_GRACE = timedelta(minutes=15)


def ride(life: Life, tour: Tour) -> None:
    """The tour's rider leaves the hub at its start (or now, if it was published later);
    once per tour, however often the rider's app shows it."""
    if tour.pk in life.riding:
        return
    life.riding.add(tour.pk)
    hub = tour.shift.vehicle.hub
    since = max(life.now(), tour.starts_at)
    life.at(since, f"Tour {tour.pk}", partial(
        _next, life, tour.pk, planning.Location(f"hub:{hub.pk}", hub.lat, hub.lon), since))


def _next(life: Life, tour_id: int, here: planning.Location, since: datetime) -> None:
    """From `here`, left at `since`, to the tour's next stop; once there, do it, go on."""
    tour = Tour.objects.select_related("plan_run", "shift__rider", "shift__vehicle__hub").get(
        pk=tour_id)
    stop = (tour.stops.filter(status=StopStatus.PENDING).select_related("leg__order")
            .order_by("sequence").first())
    if tour.status != TourStatus.PUBLISHED or stop is None:
        return
    if _waits_for_sorting(life, stop):  # at the depot before the delivery is sorted
        life.at(life.now() + DEPOT_WAIT, f"Tour {tour.pk}",
                partial(_next, life, tour.pk, here, life.now()))
        return
    if _held_back(life, stop):  # the tour leaves without it: on to the rest of the tour
        life.at(life.now(), f"Tour {tour.pk}", partial(_next, life, tour.pk, here, life.now()))
        return
    done = _done_at(life, tour, stop, here, since)
    if done > life.now():
        life.at(done, f"Tour {tour.pk}", partial(_next, life, tour.pk, here, since))
        return
    _do(life, stop, tour.shift.rider)
    life.at(life.now(), f"Tour {tour.pk}",
            partial(_next, life, tour.pk, stop_location(stop, life.town.stop_times), life.now()))


def _unsorted(stop: TourStop) -> bool:
    """A pickup at the depot of a delivery the staff have not sorted yet."""
    leg = stop.leg
    return (stop.kind == StopKind.PICKUP and bool(leg.group) and leg.released_at is None
            and leg.pickup_ref.startswith("hub:"))


def _tour_leaves(stop: TourStop) -> datetime:
    """When the depot stops waiting for the delivery: `DEPOT_GRACE` after the stop's
    planned departure, at the latest when its pickup window ends."""
    return min(stop.planned_departure + DEPOT_GRACE, stop.leg.pickup_until)


def _waits_for_sorting(life: Life, stop: TourStop) -> bool:
    """A delivery the depot has not sorted yet is waited for until its tour leaves."""
    return _unsorted(stop) and life.now() < _tour_leaves(stop)


def _held_back(life: Life, stop: TourStop) -> bool:
    """The tour leaves and the delivery is still not sorted: the depot's staff hold it back
    for the next wave, or sort it if its last parcel came meanwhile (True: the stop is
    settled, the rider goes on). Not on the last day before the run's horizon, whose next
    wave the run leaves alone: the app's refusal stands (the rider calls the dispatcher)."""
    if not _unsorted(stop) or not life.reaches(next_working_day(life.day, life.town.schedule)):
        return False
    try:
        delivery_hold(by=life.cast.dispatcher, town=life.town, group=stop.leg.group,
                      now=life.now())
    except Conflict as exc:
        if exc.code != "complete":
            raise
        delivery_sort(by=life.cast.dispatcher, town=life.town, group=stop.leg.group,
                      now=life.now())
    return True


def _depot(life: Life, stop: TourStop) -> None:
    """The depot's staff (here the dispatcher, who may stand in) scan a parcel a rider
    brought in, and mark its delivery sorted once every parcel of it is there."""
    order = stop.leg.order
    if order is None:
        return
    for parcel in range(1, order.parcels + 1):
        parcel_scan(by=life.cast.dispatcher, town=life.town,
                    code=label_payload(order, parcel), now=life.now())
    for group in set(order.legs.exclude(group="").values_list("group", flat=True)):
        # refused while parcels of another shop are still on their way, or sorted already
        with suppress(Conflict):
            delivery_sort(by=life.cast.dispatcher, town=life.town, group=group, now=life.now())


def _done_at(life: Life, tour: Tour, stop: TourStop, here: planning.Location,
             since: datetime) -> datetime:
    """When the rider is through with the stop, having left `here` at `since`: the way
    there includes the handover at a new place (`travel_s`), the stop its own service, with
    the town's stop times."""
    rng, times = life.dice.rng("ride", stop.pk), life.town.stop_times
    vehicle = to_vehicle(tour.shift, Day.of(tour.plan_run))
    there = stop_location(stop, times)
    travel = planning.travel_s(MATRIX, here, there, vehicle) * rng.uniform(*TRAVEL)
    arrival = max(since + timedelta(seconds=round(travel)),
                  stop.window[0] + timedelta(seconds=there.handover_s))
    service = own_service_s(stop.leg, stop.kind, times)
    return arrival + timedelta(seconds=round(service * rng.uniform(*SERVICE)))


@dataclass(frozen=True)
class _Proof:
    method: str
    recipient_name: str = ""
    locker_code: str = ""
    signature_svg: str = ""


def _do(life: Life, stop: TourStop, rider: User) -> None:
    leg = stop.leg
    if stop.kind == StopKind.PICKUP:
        stop_complete(stop_id=stop.pk, rider=rider, parcels=leg.parcels)
    elif (leg.drop_ref.startswith("address:") and _may_fail(life)
          and life.dice.chance(NOT_HOME, "not-home", leg.pk)):
        stop_fail(stop_id=stop.pk, rider=rider, reason=FailureReason.NOT_HOME)
    else:
        proof = _proof(life, stop)
        stop_complete(stop_id=stop.pk, rider=rider, proof_method=proof.method,
                      recipient_name=proof.recipient_name, locker_code=proof.locker_code,
                      signature_svg=proof.signature_svg)
        if leg.drop_ref.startswith("hub:"):
            _depot(life, stop)


def _may_fail(life: Life) -> bool:
    """Whether a door may stay shut: not on the last day before the run's horizon, where
    the app's fallback could send the parcel out again in the next wave, which the run
    leaves alone (`Options.until`)."""
    return life.reaches(next_working_day(life.day, life.town.schedule))


def _proof(life: Life, stop: TourStop) -> _Proof:
    leg = stop.leg
    if leg.drop_ref.startswith("locker:"):
        code = (LockerCompartment.objects.filter(order=leg.order_id)
                .values_list("code", flat=True).first())
        return _Proof(ProofMethod.LOCKER_CODE, locker_code=code or "")
    at_door = leg.drop_ref.startswith("address:") and leg.order is not None
    if at_door and life.dice.chance(SIGNED, "signed", leg.pk):
        return _Proof(ProofMethod.SIGNATURE, signature_svg=SIGNATURE)
    # At a door the recipient, elsewhere (a shop taking an item, a pickup point) the
    # place's staff sign for it with the place's name.
    name = (leg.order.recipient_name if at_door and leg.order is not None
            else leg.drop_label.split(",")[0])
    return _Proof(ProofMethod.NAME, recipient_name=name)
