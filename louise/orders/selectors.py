"""Reads for orders, always scoped to what the asking person may see.

The scope rule lives here once: customers see their own orders, merchant staff their
shop's, hotline, dispatch and operator all. Anything outside the scope is `NotFound`.
"""

from django.db.models import QuerySet

from louise.accounts.models import Role
from louise.core.errors import NotFound

from .models import Checkout, Order


def orders_visible_to(user) -> QuerySet[Order]:
    qs = Order.objects.select_related("merchant", "address", "pickup_point", "locker")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.CUSTOMER:
        return qs.filter(customer=user)
    if user.role == Role.MERCHANT:
        return qs.filter(merchant_id=user.merchant_id)
    if user.role in (Role.HOTLINE, Role.DISPATCHER, Role.OPERATOR):
        return qs
    return qs.none()


def order_get(*, number: str, user) -> Order:
    order = orders_visible_to(user).prefetch_related("lines", "events").filter(
        number=number).first()
    if order is None:
        raise NotFound(f"Bestellung {number} gibt es nicht.")
    return order


def order_for_merchant_staff(*, number: str, user) -> Order:
    order = Order.objects.filter(number=number, merchant_id=user.merchant_id).first()
    if order is None or user.role != Role.MERCHANT:
        raise NotFound(f"Bestellung {number} gibt es nicht.")
    return order


def checkout_get(*, reference: str, user) -> Checkout:
    """A customer's own checkout with its orders; anyone else's is `NotFound`."""
    checkout = (Checkout.objects.filter(reference=reference, customer=user,
                                        customer__role=Role.CUSTOMER)
                .select_related("slot").prefetch_related("orders__lines", "orders__merchant")
                .first()) if user.is_authenticated else None
    if checkout is None:
        raise NotFound(f"Einkauf {reference} gibt es nicht.")
    return checkout


def item_photo_visible(*, name: str, user) -> bool:
    """The customer's photo of an item for repair: theirs to see, and the shop's staff who
    will work on it; nobody else (it may show their home)."""
    if not name or not user.is_authenticated or not user.is_active:
        return False
    orders = Order.objects.filter(item_photo=name)
    if user.role == Role.CUSTOMER:
        return orders.filter(customer=user).exists()
    if user.role == Role.MERCHANT:
        return orders.filter(merchant_id=user.merchant_id).exists()
    return False
