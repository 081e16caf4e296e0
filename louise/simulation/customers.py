"""Simulated customers beyond buying: when in the day they order, who changes their mind,
who moves a delivery whose wave has passed, and who empties their locker compartment.

What they buy and book is in `goods` and `repairs`; this module holds what both share and
what a customer does with the orders of earlier days (found in the database each morning,
so a second run goes on where the first one stopped).
"""

from datetime import datetime, time, timedelta
from functools import partial

from django.db.models import F, Q

from louise.accounts.models import User
from louise.core.calendar import BERLIN, wave_for
from louise.geo.models import LockerCompartment, LockerCredential
from louise.logistics.rescheduling import order_reschedule
from louise.orders.lockers import locker_collect
from louise.orders.models import (
    BEFORE_FIRST_PICKUP,
    DeliveryMethod,
    Order,
    OrderKind,
    OrderStatus,
)
from louise.orders.services import order_cancel
from louise.orders.slots import bookable_wave_start

from .agenda import Life

FIRST_ORDER = time(7)
AFTER_CUTOFF = 0.2  # share of a day's orders placed after the cut-off (next wave)
LATE_HOURS = 4  # how long after the cut-off people still order
CANCEL = 0.04
CANCEL_MINUTES = (10, 120)
# A customer still cancels while the shop has not packed (goods) or not accepted (a
# service): after that a tour may already carry the order.
CANCELLABLE = {OrderKind.GOODS: {OrderStatus.PLACED, OrderStatus.ACCEPTED},
               OrderKind.SERVICE: {OrderStatus.PLACED}}
COLLECTED_PER_DAY = 0.8  # chance that a parcel waiting in a locker is fetched that day
COLLECT_FROM = time(8)  # and between 8:00 and 21:00


def arrivals(life: Life, mean: float, what: str) -> list[datetime]:
    """When the day's `what` (checkouts, bookings) come in: about `mean` of them, most
    between 7:00 and the cut-off, some in the hours after it."""
    rng = life.dice.rng("arrivals", what, life.town.slug, life.day)
    count = round(mean * rng.uniform(0.8, 1.2))
    first = life.clock(FIRST_ORDER)
    cutoff = max(life.clock(life.town.order_cutoff), first)
    span = (cutoff - first).total_seconds()
    times = sorted(
        cutoff + timedelta(seconds=rng.uniform(0, LATE_HOURS * 3600))
        if rng.random() < AFTER_CUTOFF or not span
        else first + timedelta(seconds=rng.uniform(0, span))
        for _ in range(count))
    # drawn all the same, so the ones kept are those a run without a horizon places
    return [at for at in times if life.reaches(wave_for(at, life.town.schedule).day)]


def cancel_maybe(life: Life, order: Order) -> None:
    """A few customers cancel a little after ordering."""
    if life.dice.chance(CANCEL, "cancel", order.pk):
        life.at(life.now() + life.dice.minutes(*CANCEL_MINUTES, "cancel-at", order.pk),
                f"Storno {order.number}", partial(_cancel, order.pk))


def _cancel(order_id: int) -> None:
    order = Order.objects.select_related("customer").get(pk=order_id)
    if order.customer is not None and order.status in CANCELLABLE[OrderKind(order.kind)]:
        order_cancel(order_number=order.number, by=order.customer)


def waves_missed(life: Life) -> None:
    """In the morning, customers whose delivery's wave has passed before anything was
    collected (the shop packed too late, the dispatcher had no room) move it to the next
    wave, as their order page offers."""
    passed = (Order.objects.filter(town=life.town, wave_end__lte=life.clock(time(0)),
                                   customer__isnull=False, checkout__isnull=False)
              .filter(Q(kind=OrderKind.GOODS, status__in=BEFORE_FIRST_PICKUP[OrderKind.GOODS])
                      | Q(kind=OrderKind.SERVICE,
                          status__in=BEFORE_FIRST_PICKUP[OrderKind.SERVICE]))
              .order_by("checkout_id", "pk"))
    seen: set[int] = set()
    for order in passed:
        assert order.checkout_id is not None  # the filter above
        if order.checkout_id in seen:
            continue  # a checkout's orders move together
        seen.add(order.checkout_id)
        at = life.clock(FIRST_ORDER) + life.dice.minutes(0, 90, "move", order.pk)
        life.at(at, f"Umplanung {order.number}", partial(_move, life, order.pk))


def _move(life: Life, order_id: int) -> None:
    order = Order.objects.select_related("customer").get(pk=order_id)
    assert order.customer is not None  # only customers' own orders are moved
    order_reschedule(order_number=order.number, by=order.customer,
                     slot_start=bookable_wave_start(town=life.town, index=0, now=life.now()),
                     now=life.now())


def lockers_emptied(life: Life) -> None:
    """Customers fetch most parcels waiting in the town's lockers during the day; the
    locker's controller (or, without one, the operator at it) reports each opening."""
    waiting = (LockerCompartment.objects.filter(locker__town=life.town,
                                                order__status=OrderStatus.DELIVERED)
               .filter(Q(order__delivery_method=DeliveryMethod.LOCKER,
                         order__locker=F("locker"))
                       | Q(order__return_locker=F("locker")))
               .exclude(code="").order_by("pk"))
    for box in waiting:
        if not life.dice.chance(COLLECTED_PER_DAY, "collect", box.order_id, life.day):
            continue
        at = life.clock(COLLECT_FROM) + life.dice.minutes(0, 13 * 60, "collect-at",
                                                          box.order_id, life.day)
        life.at(at, f"Paketstation {box.locker_id}",
                partial(_collect, life, box.locker_id, box.code))


def _collect(life: Life, locker_id: int, code: str) -> None:
    controller = LockerCredential.objects.filter(locker=locker_id, revoked_at=None).first()
    reporter: User | LockerCredential | None = controller or life.cast.operator
    if reporter is None:
        life.incidents.append(f"{life.now().astimezone(BERLIN):%H:%M} Paketstation "
                              f"{locker_id}: niemand meldet das Öffnen (kein Betrieb).")
        return
    locker_collect(locker_id=locker_id, code=code, by=reporter)
