"""Reads for a shop's order inbox: what needs a hand now, grouped the way a shop works."""

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from louise.accounts.access import require_role
from louise.accounts.models import Role, User
from louise.logistics.models import StopKind, StopStatus, TourStatus, TourStop
from louise.orders.models import Order, OrderKind, OrderStatus
from louise.orders.selectors import orders_visible_to

S = OrderStatus


@dataclass(frozen=True)
class Inbox:
    new: list[Order]          # decide: accept or decline
    to_pack: list[Order]      # goods accepted, not yet packed
    workshop: list[Order]     # service items on their way in or being worked on
    ready: list[Order]        # packed or done, waiting for the rider


def _shop_orders(user: User) -> QuerySet[Order]:
    """The shop's orders, each with `rider_at`: when a published tour brings a rider to the
    shop for it (None until planned), so the shop knows by when to pack."""
    require_role(user, Role.MERCHANT)
    rider_at = (TourStop.objects.filter(
        leg__order=OuterRef("pk"), leg__pickup_ref=f"merchant:{user.merchant_id}",
        kind=StopKind.PICKUP, status=StopStatus.PENDING, tour__status=TourStatus.PUBLISHED)
        .order_by("planned_arrival").values("planned_arrival")[:1])
    return (orders_visible_to(user).prefetch_related("lines")
            .annotate(rider_at=Subquery(rider_at)).order_by("wave_start", "placed_at"))


def inbox(*, user: User) -> Inbox:
    orders = list(_shop_orders(user).filter(status__in=[
        S.PLACED, S.ACCEPTED, S.ITEM_PICKED_UP, S.IN_SERVICE, S.READY]))
    return Inbox(
        new=[o for o in orders if o.status == S.PLACED],
        to_pack=[o for o in orders if o.status == S.ACCEPTED and o.kind == OrderKind.GOODS],
        workshop=[o for o in orders if o.kind == OrderKind.SERVICE
                  and o.status in (S.ACCEPTED, S.ITEM_PICKED_UP, S.IN_SERVICE)],
        ready=[o for o in orders if o.status == S.READY],
    )


def inbox_new(*, user: User) -> QuerySet[Order]:
    """New orders waiting for the shop's decision: the badge counts these."""
    return _shop_orders(user).filter(status=S.PLACED)


def order_history(*, user: User, query: str = "", status: str = "") -> QuerySet[Order]:
    orders = _shop_orders(user).order_by("-placed_at")
    if query:
        orders = orders.filter(number__icontains=query.strip()) | orders.filter(
            recipient_name__icontains=query.strip())
    return orders.filter(status=status) if status else orders
