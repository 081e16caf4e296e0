"""What transport does when an order changes, wherever the change came from.

`order_transition` (orders) sends `order_changed` inside its transaction; this receiver
makes or cancels the legs and queues the status mail. Web shop, API, counter, hotline and
demo therefore share one set of consequences, and orders never imports logistics.
"""

from datetime import datetime

from louise.orders.models import Order, OrderKind

from . import legs
from .notifications import order_status_notify
from .returns import return_release


def order_changed(sender, *, order: Order, event: str, now: datetime, **kwargs) -> None:
    if event == "accept" and order.kind == OrderKind.SERVICE:
        legs.legs_for_service_booking(order)  # the item is fetched in the booked slot
    elif event == "accept" and order.kind == OrderKind.SHOPPING:
        legs.legs_for_shopping(order, now=now)  # bought and brought by the rider
    elif event == "mark_ready" and order.kind == OrderKind.GOODS:
        legs.legs_for_ready_goods(order, now=now)
    elif event == "mark_ready" and order.kind == OrderKind.SERVICE:
        return_release(order, now=now)  # in the customer's chosen wave, door or locker
    elif event == "cancel":
        legs.legs_cancel(order)
    order_status_notify(order)
