"""Reads for orders, always scoped to what the asking person may see.

The scope rule is registered here once, with `louise.accounts.access`: customers see
their own orders, merchant staff their shop's, LOUISE's staff (hotline, dispatch,
operator) all. Anything outside the scope is `NotFound`.
"""

from django.db.models import Q, QuerySet

from louise.accounts.access import ALL, STAFF, has_role, scope_rule, visible_to
from louise.accounts.models import Role, User
from louise.core.errors import NotFound

from .models import Checkout, Order

scope_rule(Order, {
    Role.CUSTOMER: lambda user: Q(customer=user),
    Role.MERCHANT: lambda user: Q(merchant_id=user.merchant_id),
    **dict.fromkeys(STAFF, ALL),
}, town="town")
scope_rule(Checkout, {Role.CUSTOMER: lambda user: Q(customer=user)})


def orders_visible_to(user: User) -> QuerySet[Order]:
    return visible_to(Order, user).select_related("merchant", "address", "pickup_point",
                                                  "locker")


def order_get(*, number: str, user: User) -> Order:
    order = orders_visible_to(user).prefetch_related("lines", "events").filter(
        number=number).first()
    if order is None:
        raise NotFound(f"Bestellung {number} gibt es nicht.")
    return order


def order_for_merchant_staff(*, number: str, user) -> Order:
    """An order of the person's own shop, for the shop's actions on it; the same order seen
    by anyone else (even LOUISE's staff) is not one the shop side may act on."""
    order = (visible_to(Order, user).filter(number=number).first()
             if has_role(user, Role.MERCHANT) else None)
    if order is None:
        raise NotFound(f"Bestellung {number} gibt es nicht.")
    return order


def checkout_get(*, reference: str, user: User) -> Checkout:
    """A customer's own checkout with its orders; anyone else's is `NotFound`."""
    checkout = (visible_to(Checkout, user).filter(reference=reference)
                .select_related("slot").prefetch_related("orders__lines", "orders__merchant")
                .first())
    if checkout is None:
        raise NotFound(f"Einkauf {reference} gibt es nicht.")
    return checkout


def checkout_with_key(*, customer: User, key: str) -> Checkout | None:
    """The customer's own checkout placed with this form's key, if it went through: a form
    sent twice (a double click, a second tab) finds the order it placed."""
    return (Checkout.objects.filter(customer=customer, idempotency_key=key).first()
            if key else None)


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
