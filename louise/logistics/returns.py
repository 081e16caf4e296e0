"""A service's way back: the customer may pick the return wave and a locker instead of the
door; otherwise the item comes back in the first wave after the shop reports it done.

The choice can be made from booking until the return trip is planned. It takes a stop in
the chosen slot like any delivery. When the shop reports the work done, `return_release`
opens the waiting return leg in the chosen wave (or, if that has passed, the next one) and
points it at the chosen locker.
"""

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from louise.accounts.access import require_role
from louise.accounts.models import Role, User
from louise.core.calendar import BERLIN, Wave, next_working_day, wave_for, wave_on
from louise.core.errors import Conflict, Invalid
from louise.core.validation import save_validated
from louise.geo.models import Locker
from louise.logistics import legs as leg_factory
from louise.logistics.models import Leg, LegKind, LegStatus
from louise.orders.lockers import compartment_release, compartment_reserve
from louise.orders.models import (
    BEFORE_SHOP_HANDOVER,
    EventKind,
    Order,
    OrderEvent,
    OrderKind,
)
from louise.orders.selectors import order_get
from louise.orders.slots import SlotChoice, slot_choices, slot_release, slot_reserve, wave_bookable


def _earliest(order: Order, now: datetime) -> datetime:
    """Midnight of the first day the work can be done: the pickup day plus the service's
    turnaround in working days (the first wave of that day is the earliest return)."""
    line = order.lines.select_related("service").first()
    day = order.wave_start.astimezone(BERLIN).date()
    for _ in range(line.service.turnaround_days if line and line.service else 0):
        day = next_working_day(day, order.town.schedule)
    return max(now, datetime.combine(day, time(0), BERLIN))


def return_choices(*, order: Order, now: datetime | None = None) -> list[SlotChoice]:
    return slot_choices(town=order.town, now=_earliest(order, now or timezone.now()))


def _return_leg(order: Order) -> Leg | None:
    return order.legs.filter(kind=LegKind.RETURN).exclude(status=LegStatus.CANCELLED).first()


def order_can_choose_return(order: Order) -> bool:
    leg = _return_leg(order)
    return (order.kind == OrderKind.SERVICE and order.status in BEFORE_SHOP_HANDOVER
            and (leg is None or leg.status in (LegStatus.WAITING, LegStatus.OPEN)))


@transaction.atomic
def service_return_choose(*, order_number: str, by: User, slot_start: str,
                          locker_id: int | None = None, now: datetime | None = None) -> Order:
    """The customer picks when (and optionally into which locker) the item comes back."""
    require_role(by, Role.CUSTOMER)
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order_get(number=order_number, user=by).pk)
    if not order_can_choose_return(order):
        raise Conflict("Die Rückgabe ist schon geplant und kann nicht mehr geändert werden.",
                       code="return_fixed")
    wave = wave_bookable(town=order.town, start=slot_start, now=_earliest(order, now))
    locker = None
    if locker_id is not None:
        locker = Locker.objects.filter(pk=locker_id, town=order.town_id, active=True).first()
        if locker is None:
            raise Invalid("Diese Paketstation gibt es nicht.", field="locker")
    if order.return_wave_start != wave.start:
        slot_reserve(town=order.town, wave=wave)
        if order.return_wave_start is not None:
            slot_release(town=order.town, start=order.return_wave_start)
    order.return_wave_start, order.return_locker = wave.start, locker
    order.save(update_fields=["return_wave_start", "return_locker"])
    target = locker.name if locker else "an die Haustür"
    OrderEvent.objects.create(order=order, kind=EventKind.RETURN_CHOSEN, by=by,
                              from_status=order.status, to_status=order.status,
                              note=f"{wave.label}, {target}")
    leg = _return_leg(order)
    if leg is not None and leg.status == LegStatus.OPEN:
        return_release(order, now=now)
    return order


def _chosen_wave(order: Order, now: datetime) -> Wave:
    earliest = wave_for(now, order.town.schedule)
    if order.return_wave_start is None or order.return_wave_start < earliest.start:
        return earliest  # no choice, or the work took longer than the chosen wave
    return wave_on(order.return_wave_start.astimezone(BERLIN).date(), order.town.schedule)


def return_release(order: Order, *, now: datetime) -> Leg:
    """Open the return leg in the customer's wave, to their locker if they chose one."""
    wave = _chosen_wave(order, now)
    leg = leg_factory.leg_release_return(order, wave_start=wave.start, wave_end=wave.end,
                                         now=now)
    compartment_release(order=order)  # an earlier choice's compartment, if any
    if (locker := order.return_locker) is not None and _compartment_taken(order, locker):
        leg.drop_ref, leg.drop_label = f"locker:{locker.pk}", f"{locker.name}, {locker.street}"
        leg.drop_lat, leg.drop_lon = locker.lat, locker.lon
        leg = save_validated(leg)
    return leg


def _compartment_taken(order: Order, locker: Locker) -> bool:
    """A compartment for the item's way back (its code is what the rider and the customer
    use); with the locker full the item goes to the door it was fetched from."""
    try:
        with transaction.atomic():
            compartment_reserve(order=order, locker=locker)
    except Conflict:
        return False
    return True

