"""Writes for orders after they are placed: the shop's decisions and the customer's cancel.
Orders are placed only through `louise.orders.checkout`."""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from louise.accounts.access import ON_BEHALF, require_role, visible_to
from louise.accounts.models import Role, User
from louise.catalog.models import Product
from louise.core.errors import Forbidden, Invalid, NotFound

from .lifecycle import order_transition
from .models import (
    BEFORE_FIRST_PICKUP,
    Order,
    OrderKind,
)
from .quotes import require_no_pending_quote
from .selectors import order_for_merchant_staff
from .slots import slot_release_for


def _locked_for_staff(order_number: str, by) -> Order:
    require_role(by, Role.MERCHANT)
    order = order_for_merchant_staff(number=order_number, user=by)
    return (Order.objects.select_for_update(of=("self",))
            .select_related("merchant", "address__zone").get(pk=order.pk))


@transaction.atomic
def order_accept(*, order_number: str, by: User, now: datetime | None = None) -> Order:
    order = _locked_for_staff(order_number, by)
    return order_transition(order, "accept", by=by, now=now)


@transaction.atomic
def order_decline(*, order_number: str, by: User, reason: str) -> Order:
    if not reason.strip():
        raise Invalid("Bitte einen Grund für die Ablehnung angeben.", field="reason")
    order = _locked_for_staff(order_number, by)
    order_transition(order, "decline", by=by, note=reason.strip()[:300])
    order.decline_reason = reason.strip()[:200]
    order.save(update_fields=["decline_reason"])
    _restock(order)
    slot_release_for(order)
    return order


@transaction.atomic
def order_mark_ready(*, order_number: str, by: User, parcels: int | None = None,
                     now: datetime | None = None) -> Order:
    """Goods packed, or service done: either way the parcel can now be collected (the legs
    follow in `louise.logistics.reactions`)."""
    now = now or timezone.now()
    order = _locked_for_staff(order_number, by)
    require_no_pending_quote(order)
    if parcels is not None:
        if not 1 <= parcels <= 20:
            raise Invalid("Anzahl Pakete muss zwischen 1 und 20 liegen.", field="parcels")
        order.parcels = parcels
        order.save(update_fields=["parcels"])
    return order_transition(order, "mark_ready", by=by, now=now)


@transaction.atomic
def order_cancel(*, order_number: str, by: User) -> Order:
    """The customer (or the hotline for them) cancels while nothing is on its way."""
    require_role(by, Role.CUSTOMER, *ON_BEHALF)
    order = visible_to(Order.objects.select_for_update(), by).filter(number=order_number).first()
    if order is None:
        raise NotFound(f"Bestellung {order_number} gibt es nicht.")
    if order.kind == OrderKind.SERVICE and order.status not in BEFORE_FIRST_PICKUP[order.kind]:
        raise Forbidden("Der Gegenstand ist schon unterwegs; bitte wenden Sie sich an das "
                        "Geschäft.")
    if order.kind == OrderKind.SHOPPING and order.shopping.purchased_at is not None:
        raise Forbidden("Der Einkaufszettel ist schon eingekauft und kann nicht mehr "
                        "storniert werden.")
    order_transition(order, "cancel", by=by)
    _restock(order)
    slot_release_for(order)
    return order


def _restock(order: Order) -> None:
    for line in order.lines.filter(product__isnull=False):
        assert line.product_id is not None  # the filter above
        Product.objects.filter(pk=line.product_id).update(stock=F("stock") + line.quantity)
