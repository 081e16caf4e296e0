"""Simulated shops: an order in the inbox is accepted or declined a little later, while the
shop is open. What a shop does next depends on the order (goods are packed, an item for a
service is waited for), so the caller says it."""

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from louise.catalog.models import Merchant
from louise.catalog.selectors import merchant_hours_on
from louise.core.calendar import BERLIN
from louise.orders.models import Order, OrderKind, OrderStatus
from louise.orders.services import order_accept, order_decline

from .agenda import Life

DECLINE = 0.03
DECIDE_MINUTES = (5, 60)
REASONS = {OrderKind.GOODS: "Leider nicht mehr vorrätig.",
           OrderKind.SERVICE: "Diese Woche können wir keine Aufträge mehr annehmen."}

Accepted = Callable[[Life, Order], None]


def when_open(merchant: Merchant, after: datetime, work: timedelta) -> datetime | None:
    """When the shop, starting at `after`, is done with `work` during today's opening hours;
    None if it is closed for the rest of the day (tomorrow's inbox has it)."""
    day = after.astimezone(BERLIN).date()
    for opens, closes in merchant_hours_on(merchant=merchant, day=day).times:
        done = max(after, opens) + work
        if done <= closes:
            return done
    return None


def inbox(life: Life, order: Order, then: Accepted | None = None) -> None:
    """The order reaches the shop: decided on a little later today, or tomorrow."""
    at = when_open(order.merchant, life.now(),
                   life.dice.minutes(*DECIDE_MINUTES, "decide", order.pk, life.day))
    if at is not None:
        life.at(at, f"Annahme {order.number}", partial(_decide, life, order.pk, then))


def _decide(life: Life, order_id: int, then: Accepted | None) -> None:
    order = Order.objects.select_related("merchant").get(pk=order_id)
    if order.status != OrderStatus.PLACED:
        return  # cancelled meanwhile
    team = life.cast.team(order.merchant)
    if life.dice.chance(DECLINE, "decline", order.pk):
        order_decline(order_number=order.number, by=team, reason=REASONS[OrderKind(order.kind)])
        return
    order = order_accept(order_number=order.number, by=team, now=life.now())
    if then is not None:
        then(life, order)
