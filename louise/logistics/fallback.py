"""What happens to a parcel whose drop failed: the rules pick its next way, the customer is told.

Refused or damaged goods go back to the hub with the rider (the dispatcher and the shop
decide). Otherwise the first way in `LOUISE_FALLBACK_ORDER` that can take the parcel wins:

- ``locker``: the nearest active locker with a free compartment big enough; the compartment
  is taken under a row lock, so two failing riders never get the same one;
- ``point``: the nearest active pickup point still open (its hours, `windows`) long enough
  for the detour;
- ``next_wave``: back to the hub, out again in the next working day's wave.

Locker and point drops are slotted into the rider's running tour (the parcel is on board).
The way taken is written to the order's trail (`EventKind.FALLBACK`) and logged; the
customer's mail is a task queued once the whole failure report is committed.
"""

import logging
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.tasks import task

from louise.accounts.models import User
from louise.core.calendar import BERLIN, Wave, next_working_day, wave_on
from louise.core.errors import Conflict
from louise.core.logs import logged_failure
from louise.core.mail import mail_send
from louise.core.validation import save_validated
from louise.geo.models import (
    COMPARTMENT_ML,
    FREE_COMPARTMENT,
    LockerCompartment,
    PickupPoint,
    Town,
)
from louise.geo.selectors import (
    by_distance,
    lockers_active,
    pickup_points_active,
    zone_of_place,
)
from louise.orders.lifecycle import order_transition
from louise.orders.lockers import compartment_release
from louise.orders.models import EventKind, Order, OrderEvent, OrderStatus
from louise.orders.notifications import customer_wants_mail

from .legs import PICKUP_LEAD, Spot
from .models import Leg, LegKind, LegStatus, TourStop
from .planning_bridge import Day
from .running import legs_insert
from .windows import Hours, Span, place_window

LOCKER, POINT, NEXT_WAVE, HUB = "locker", "point", "next_wave", "hub"
BACK_TO_HUB_REASONS = {"refused", "damaged"}
FALLBACK_LABELS = {LOCKER: "Paketstation", POINT: "Abholstelle", NEXT_WAVE: "nächste Lieferwelle",
                   HUB: "zurück zur City-Station"}
# A point is chosen if it is still open this long after the failed drop (the detour).
POINT_DETOUR = timedelta(minutes=20)
# How long a rerouted parcel may ride on before its new drop (the rest of the tour).
REROUTE_WITHIN = timedelta(hours=3)

log = logging.getLogger(__name__)


def fallback_apply(*, stop: TourStop, rider: User, reason: str, now: datetime) -> str:
    """Choose and set up the failed drop's next way; returns its code ('' if none applies).

    Runs inside `stop_fail`'s transaction, after the stop and leg are marked failed."""
    order = stop.leg.order
    if order is None or stop.kind != "delivery" or order.status != OrderStatus.FAILED:
        return ""
    if reason in BACK_TO_HUB_REASONS:
        compartment_release(order=order)  # the parcel goes back; the box is free again
        return _applied(order, HUB, rider=rider, reason=reason, now=now)
    here = (stop.lat, stop.lon)
    for rule in order.town.fallback_order:
        place = {LOCKER: _to_locker, POINT: _to_point, NEXT_WAVE: _to_next_wave}[rule](
            stop, order, here, now)
        if place is not None:
            return _applied(order, rule, rider=rider, reason=reason, now=now, place=place)
    compartment_release(order=order)
    return _applied(order, HUB, rider=rider, reason=reason, now=now)


def _applied(order: Order, rule: str, *, rider, reason: str, now: datetime,
             place: str = "") -> str:
    """Write the way taken to the trail, log it and queue the customer's mail."""
    note = f"{FALLBACK_LABELS[rule]} – {place}" if place else FALLBACK_LABELS[rule]
    if rule in (LOCKER, POINT):  # the parcel is on board and on its way to the new place
        order_transition(order, "retry", by=rider, note=note[:300], kind=EventKind.FALLBACK)
    else:
        OrderEvent.objects.create(order=order, kind=EventKind.FALLBACK, by=rider, at=now,
                                  from_status=order.status, to_status=order.status,
                                  note=note[:300])
    log.info("fallback applied", extra={"order": order.number, "reason": reason,
                                        "fallback": rule})
    order_id, at = order.pk, now.isoformat()
    transaction.on_commit(lambda: fallback_mail_send.enqueue(order_id, rule, at))
    return rule


def _fits_locker(leg: Leg) -> bool:
    return not (leg.cooled or leg.bulky) and leg.volume_ml <= max(COMPARTMENT_ML.values())


def _to_locker(stop: TourStop, order: Order, here, now: datetime) -> str | None:
    leg = stop.leg
    if not _fits_locker(leg):
        return None
    sizes = [s for s, ml in COMPARTMENT_ML.items() if leg.volume_ml <= ml]
    for locker in by_distance(lockers_active().filter(town=order.town_id), *here):
        try:
            with transaction.atomic():  # a savepoint: an unplaceable drop gives the box back
                # A parcel meant for a locker it could not reach gives up its old box first
                # (one box per order); the savepoint restores it if this locker fails too.
                compartment_release(order=order)
                box = (LockerCompartment.objects.select_for_update(skip_locked=True)
                       .filter(FREE_COMPARTMENT, locker=locker, size__in=sizes)
                       .order_by("size", "number").first())
                if box is None:
                    continue
                box.order, box.code = order, f"{secrets.randbelow(10**6):06d}"
                box.save(update_fields=["order", "code"])
                spot = Spot(f"locker:{locker.pk}", f"{locker.name}, {locker.street}",
                            locker.lat, locker.lon)
                _reroute(stop, order, spot, now, window=(now, now + REROUTE_WITHIN))
                order.delivery_method, order.locker = "locker", locker
                order.save(update_fields=["delivery_method", "locker"])
                return f"{locker.name}, {locker.street}"
        except Conflict:
            continue  # the rider's tour has no room for this detour: try the next one
    return None


def _open_until(point: PickupPoint, at: datetime) -> datetime | None:
    """When the point closes again if it is open at `at`; None while it is closed."""
    spans = Hours.of_point(point).between(at, at) or ()
    return next((closes for opens, closes in spans if opens <= at < closes), None)


def _to_point(stop: TourStop, order: Order, here, now: datetime) -> str | None:
    for point in by_distance(pickup_points_active().filter(town=order.town_id), *here):
        window = Hours.of_point(point).window(now, now + REROUTE_WITHIN,
                                              order.town.stop_times.drop)
        if window is None or window[1] < now + POINT_DETOUR:
            continue  # shut, or shutting before the rider can be there
        try:
            with transaction.atomic():
                spot = Spot(f"point:{point.pk}", f"{point.name}, {point.street}", point.lat,
                            point.lon)
                _reroute(stop, order, spot, now, window=window)
                compartment_release(order=order)
                order.delivery_method, order.pickup_point = "point", point
                order.save(update_fields=["delivery_method", "pickup_point"])
                return f"{point.name}, {point.street}"
        except Conflict:
            continue
    return None


def _reroute(stop: TourStop, order: Order, target: Spot, now: datetime,
             window: Span) -> None:
    """A new drop for the parcel on board in `window` (while the new place is open), of the
    town's drop time, slotted into the rider's running tour; raises `Conflict` when the
    tour has no room for it (the caller's savepoint undoes it all)."""
    failed = stop.leg
    leg = save_validated(Leg(
        order=order, kind=LegKind.DELIVERY, status=LegStatus.COLLECTED, fallback_for=failed,
        pickup_ref=f"stop:{stop.pk}", pickup_label=failed.drop_label, pickup_lat=stop.lat,
        pickup_lon=stop.lon, pickup_from=now, pickup_until=now, pickup_service_s=0,
        drop_ref=target.ref, drop_label=target.label[:160], drop_lat=target.lat,
        drop_lon=target.lon, drop_from=window[0], drop_until=window[1],
        drop_service_s=int(order.town.stop_times.drop.total_seconds()),
        weight_g=failed.weight_g, volume_ml=failed.volume_ml, parcels=failed.parcels,
        cooled=failed.cooled, bulky=failed.bulky, zone=failed.zone, pickup_zone=failed.zone,
    ))
    outcome = legs_insert(day=Day.of(stop.tour.plan_run),
                          legs=[leg], now=now,
                          on_board={leg.pk: stop.tour.shift_id})
    if leg.pk not in outcome.placed:
        raise Conflict(outcome.unassigned[0]["reason"] if outcome.unassigned else "kein Platz",
                       code="no_room")


def next_wave(town: Town, now: datetime) -> Wave:
    """The wave of the town's next working day after `now`'s: where goods go that cannot
    reach their door tonight (a failed drop, a delivery the depot held back)."""
    schedule = town.schedule
    return wave_on(next_working_day(now.astimezone(BERLIN).date(), schedule), schedule)


def _to_next_wave(stop: TourStop, order: Order, here, now: datetime) -> str:
    """Back to the hub tonight; a new leg hub → original destination in the next wave,
    with the town's stop times (the hub's bay time at its pickup, as `legs._create`)."""
    failed = stop.leg
    hub = stop.tour.shift.vehicle.hub
    wave, times = next_wave(order.town, now), order.town.stop_times
    pickup_from = wave.start - PICKUP_LEAD
    drop_from, drop_until = place_window(Hours.of_ref(failed.drop_ref), wave.start, wave.end,
                                         times.drop, since=pickup_from)
    save_validated(Leg(
        order=order, kind=LegKind.DELIVERY, status=LegStatus.OPEN, fallback_for=failed,
        pickup_ref=f"hub:{hub.pk}", pickup_label=hub.name, pickup_lat=hub.lat,
        pickup_lon=hub.lon, pickup_from=pickup_from, pickup_until=drop_until,
        pickup_service_s=int(times.hub.total_seconds()),
        drop_ref=failed.drop_ref, drop_label=failed.drop_label, drop_lat=failed.drop_lat,
        drop_lon=failed.drop_lon, drop_from=drop_from, drop_until=drop_until,
        drop_service_s=int(times.drop.total_seconds()), weight_g=failed.weight_g,
        volume_ml=failed.volume_ml, parcels=failed.parcels,
        cooled=failed.cooled, bulky=failed.bulky, zone=failed.zone,
        pickup_zone=zone_of_place(hub, order.town),
    ))
    order.wave_start, order.wave_end = wave.start, wave.end
    order.save(update_fields=["wave_start", "wave_end"])
    return wave.label


def _detail(order: Order, rule: str, at: datetime) -> str | None:
    """Where the parcel is now waiting, read fresh; None if the order has moved on."""
    if rule == LOCKER:
        box = LockerCompartment.objects.select_related("locker").filter(order=order).first()
        if box is None or order.delivery_method != "locker":
            return None
        return (f"{box.locker.name}, {box.locker.street} – Fach {box.number}, "
                f"Öffnungscode {box.code}")
    if rule == POINT:
        point = order.pickup_point
        if point is None or order.delivery_method != "point":
            return None
        closes = _open_until(point, at + POINT_DETOUR)
        hours = f" (geöffnet bis {closes:%H:%M} Uhr)" if closes else ""
        return f"{point.name}, {point.street}{hours}"
    if rule == NEXT_WAVE:
        return wave_on(order.wave_start.astimezone(BERLIN).date(), order.town.schedule).label
    return ""


@task
@logged_failure
def fallback_mail_send(order_id: int, rule: str, at: str) -> str:
    """The customer learns what happens next, in one plain German mail. `at` is when the
    drop failed (ISO 8601): a point's opening hours are told for that evening."""
    order = Order.objects.select_related("customer", "pickup_point").get(pk=order_id)
    email = order.customer.email if order.customer else ""
    if not email or order.customer is None or not customer_wants_mail(order.customer, "failed"):
        return "not wanted"
    detail = _detail(order, rule, datetime.fromisoformat(at))
    if detail is None:
        return "superseded"
    text = {
        LOCKER: f"Ihre Sendung liegt für Sie in der Paketstation bereit: {detail}.",
        POINT: f"Ihre Sendung können Sie an der Abholstelle abholen: {detail}.",
        NEXT_WAVE: f"Wir versuchen es noch einmal in der nächsten Lieferwelle: {detail}.",
        HUB: "Ihre Sendung geht zurück in unsere City-Station. Wir melden uns bei Ihnen, "
             "um das Weitere zu klären.",
    }[rule]
    subject = f"Ihre Bestellung {order.number}: Zustellung nicht möglich"
    mail_send(
        subject=subject, to=[email],
        body=f"Guten Tag {order.recipient_name},\n\nwir konnten Ihre Bestellung {order.number} "
             f"leider nicht zustellen. {text}\n\nIhr LOUISE-Team Bottrop",
    )
    return subject
