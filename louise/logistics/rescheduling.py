"""Moving a delivery to another slot while nothing has left the shop (or the customer's door).

All orders of one checkout share one delivery, so they move together: the new slot's stop is
taken, the old one given back, and any transport legs already made for the old wave are
replaced by legs for the new one (the planner picks them up on its next run).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from louise.accounts.access import ON_BEHALF, require_role
from louise.accounts.models import Role, User
from louise.core.errors import Conflict, Invalid
from louise.logistics import legs as leg_factory
from louise.logistics.models import LegStatus
from louise.orders.models import (
    BEFORE_FIRST_PICKUP,
    CALLED_OFF,
    EventKind,
    Order,
    OrderEvent,
    OrderKind,
)
from louise.orders.selectors import order_get
from louise.orders.slots import slot_release, slot_reserve, wave_bookable


def order_can_reschedule(order: Order) -> bool:
    return order.checkout_id is not None and order.status in BEFORE_FIRST_PICKUP[order.kind]


@transaction.atomic
def order_reschedule(*, order_number: str, by: User, slot_start: str,
                     now: datetime | None = None) -> list[Order]:
    """Move the order's whole delivery (every order of its checkout) to another slot: the
    customer, or the hotline for them (within its town, by the order's scope)."""
    require_role(by, Role.CUSTOMER, *ON_BEHALF)
    now = now or timezone.now()
    order = order_get(number=order_number, user=by)
    if order.checkout_id is None:
        raise Conflict("Diese Bestellung kann nicht online umgeplant werden; bitte rufen Sie "
                       "die Hotline an.", code="not_movable")
    orders = list(Order.objects.select_for_update(of=("self",))
                  .filter(checkout_id=order.checkout_id).exclude(status__in=CALLED_OFF)
                  .select_related("checkout__slot", "merchant", "address__zone"))
    if not orders or any(o.status not in BEFORE_FIRST_PICKUP[o.kind] for o in orders):
        raise Conflict("Die Lieferung ist schon unterwegs und kann nicht mehr umgeplant werden.",
                       code="not_movable")
    wave = wave_bookable(town=order.town, start=slot_start, now=now)
    checkout = orders[0].checkout
    assert checkout is not None  # only orders of a checkout can be rescheduled
    if wave.start == checkout.slot.start:
        raise Invalid("Die Lieferung ist schon für dieses Zeitfenster eingeplant.", field="slot")
    checkout.slot = slot_reserve(town=order.town, wave=wave)
    slot_release(town=order.town, start=orders[0].wave_start)
    checkout.save(update_fields=["slot"])
    for moved in orders:
        moved.wave_start, moved.wave_end = wave.start, wave.end
        moved.save(update_fields=["wave_start", "wave_end"])
        OrderEvent.objects.create(order=moved, kind=EventKind.RESCHEDULED, by=by,
                                  from_status=moved.status, to_status=moved.status,
                                  note=wave.label)
        _replace_legs(moved, now)
    return orders


def _replace_legs(order: Order, now: datetime) -> None:
    if not order.legs.exclude(status=LegStatus.CANCELLED).exists():
        return
    leg_factory.legs_cancel(order)
    if order.kind == OrderKind.SERVICE:
        leg_factory.legs_for_service_booking(order)
    else:
        leg_factory.legs_for_ready_goods(order, now=now)
