"""Reads for orders, always scoped to what the asking person may see.

The scope rule lives here once: customers see their own orders, merchant staff their
shop's, hotline, dispatch and operator all. Anything outside the scope is `NotFound`.
"""

from django.db.models import QuerySet

from louise.accounts.models import Role, User
from louise.core.errors import NotFound

from .models import Checkout, Order


def orders_visible_to(user: User) -> QuerySet[Order]:
    qs = Order.objects.select_related("merchant", "address", "pickup_point", "locker")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.CUSTOMER:
        return qs.filter(customer=user)
    if user.role == Role.MERCHANT and user.merchant_id is not None:
        return qs.filter(merchant_id=user.merchant_id)
    if user.role in (Role.HOTLINE, Role.DISPATCHER, Role.OPERATOR):
        return qs
    return qs.none()


def order_get(*, number: str, user: User) -> Order:
    order = orders_visible_to(user).prefetch_related("lines", "events").filter(
        number=number).first()
    if order is None:
        raise NotFound(f"Bestellung {number} gibt es nicht.")
    return order


def order_for_merchant_staff(*, number: str, user: User) -> Order:
    order = (Order.objects.filter(number=number, merchant_id=user.merchant_id).first()
             if user.merchant_id is not None else None)
    if order is None or user.role != Role.MERCHANT:
        raise NotFound(f"Bestellung {number} gibt es nicht.")
    return order


def checkout_get(*, reference: str, user: User) -> Checkout:
    """A customer's own checkout with its orders; anyone else's is `NotFound`."""
    checkout = (Checkout.objects.filter(reference=reference, customer=user,
                                        customer__role=Role.CUSTOMER)
                .select_related("slot").prefetch_related("orders__lines", "orders__merchant")
                .first()) if user.is_authenticated else None
    if checkout is None:
        raise NotFound(f"Einkauf {reference} gibt es nicht.")
    return checkout
