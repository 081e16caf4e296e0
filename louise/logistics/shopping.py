"""Who buys a shopping list, and the rule that a rider leaves the store only with a bought,
settled bag.

The shopper is the rider whose published tour has the list's pickup at the store still
to do, or the City-Depot's staff of the order's town (someone walks over from the hub);
nobody else records a purchase. What a purchase does to the order and its price lives in
`orders.shopping`.
"""

from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from louise.accounts.access import HUB_DESK, has_role, require_role, visible_to
from louise.accounts.models import Role, User
from louise.core.errors import Conflict, NotFound
from louise.geo.models import Town
from louise.orders.models import Approval, Order, OrderKind, OrderStatus
from louise.orders.shopping import purchase_record

from .models import Leg, LegKind, StopKind, StopStatus, TourStatus, TourStop


def _is_shopper(order: Order, by: User) -> bool:
    if has_role(by, Role.RIDER):
        return TourStop.objects.filter(
            tour__shift__rider=by, tour__status=TourStatus.PUBLISHED, kind=StopKind.PICKUP,
            status=StopStatus.PENDING, leg__order=order, leg__kind=LegKind.SHOPPING).exists()
    return visible_to(Town, by).filter(pk=order.town_id).exists()  # the town's hub desk


def shopping_for_shopper(*, by: User, order_number: str, lock: bool = False) -> Order:
    """The list as its shopper sees it (to buy it); nobody else finds it here."""
    require_role(by, Role.RIDER, *HUB_DESK)
    rows = Order.objects.select_for_update(of=("self",)) if lock else Order.objects
    order = (rows.select_related("shopping", "town", "merchant")
             .filter(number=order_number, kind=OrderKind.SHOPPING).first())
    if order is None or not _is_shopper(order, by):
        raise NotFound(f"Den Einkaufszettel {order_number} gibt es auf Ihren Touren nicht.")
    return order


@transaction.atomic
def shopping_purchase(*, by: User, order_number: str, states: list[str],
                      receipt_total_cents: int, photo: UploadedFile | None,
                      now: datetime | None = None) -> Order:
    """The shopper's receipt: total, photo and each item bought or missing."""
    order = shopping_for_shopper(by=by, order_number=order_number, lock=True)
    return purchase_record(order=order, by=by, states=states,
                           receipt_total_cents=receipt_total_cents, photo=photo, now=now)


def bought_check(leg: Leg) -> None:
    """Before a rider confirms a shopping list's pickup: it is bought and its price settled
    (within the budget's tolerance, or confirmed by the customer)."""
    if leg.kind != LegKind.SHOPPING or leg.order is None:
        return
    if leg.order.status == OrderStatus.READY:
        return
    if leg.order.shopping.approval == Approval.PENDING:
        raise Conflict("Der Einkauf liegt über dem Budget und wartet auf die Bestätigung des "
                       "Kunden (Hotline).", code="purchase_pending")
    raise Conflict("Erst einkaufen: Kassenbon-Summe und Foto erfassen, dann abholen.",
                   code="not_bought")
