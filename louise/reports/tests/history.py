"""A hand-made history of drops, written straight into the tables the riders' app fills
(orders, legs, tours, stops), so a test can state each drop's time, window and outcome
exactly and the report's counting in the database is checked against values worked out
by hand."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from louise.accounts.models import Role
from louise.conftest import make_user, the_town
from louise.logistics.models import (
    Leg,
    LegKind,
    LegStatus,
    PlanRun,
    RunStatus,
    Shift,
    StopKind,
    StopStatus,
    Tour,
    TourStatus,
    TourStop,
)
from louise.orders.models import Order, OrderStatus


@dataclass(frozen=True)
class Drop:
    order: int  # drops of one order share its number
    method: str  # door, point, locker
    at: datetime  # done or given up
    until: datetime  # the end of the promised window
    service_s: int = 180
    done: bool = True
    failure: str = ""
    fallback: str = ""


def drops_recorded(world: dict, shop: dict, customer: tuple, drops: list[Drop]) -> None:
    """Each drop on the bike's tour of its day; an order is placed at 10:00 on the day of
    its first drop's window, for that evening's wave (the window's last three hours)."""
    town, rider = the_town(), make_user("fahrerin", Role.RIDER)
    orders: dict[int, Order] = {}
    tours: dict = {}
    for n, drop in enumerate(drops):
        if drop.order not in orders:
            orders[drop.order] = Order.objects.create(
                number=f"H{drop.order:04d}", town=town, merchant=shop["merchant"],
                customer=customer[0], recipient_name="Kundin", address=customer[1],
                pickup_point=world["point"] if drop.method == "point" else None,
                locker=world["locker"] if drop.method == "locker" else None,
                delivery_method=drop.method, status=OrderStatus.DELIVERED,
                wave_start=drop.until - timedelta(hours=3), wave_end=drop.until,
                placed_at=drop.until.replace(hour=10, minute=0), subtotal_cents=1500,
                fee_cents=350)
        day = drop.at.date()
        if day not in tours:
            shift = Shift.objects.create(rider=rider, vehicle=world["bike"],
                                         starts_at=drop.at.replace(hour=14, minute=0),
                                         ends_at=drop.at.replace(hour=21, minute=0))
            run = PlanRun.objects.create(town=town, day=day, status=RunStatus.DONE,
                                         progress=1)
            tours[day] = Tour.objects.create(plan_run=run, shift=shift, status=TourStatus.DONE,
                                             starts_at=shift.starts_at, ends_at=shift.ends_at)
        leg = Leg.objects.create(
            town=town, order=orders[drop.order], kind=LegKind.DELIVERY,
            status=LegStatus.DELIVERED if drop.done else LegStatus.FAILED,
            pickup_ref=f"merchant:{shop['merchant'].pk}", pickup_label="Laden",
            pickup_lat=shop["merchant"].lat, pickup_lon=shop["merchant"].lon,
            pickup_from=drop.until - timedelta(hours=6),
            pickup_until=drop.until - timedelta(hours=4), drop_ref=f"address:{customer[1].pk}",
            drop_label="Kundin", drop_lat=customer[1].lat, drop_lon=customer[1].lon,
            drop_from=drop.until - timedelta(hours=3), drop_until=drop.until,
            drop_service_s=drop.service_s)
        TourStop.objects.create(
            tour=tours[day], sequence=n, leg=leg, kind=StopKind.DELIVERY, planned_arrival=drop.at,
            planned_departure=drop.at,
            status=StopStatus.DONE if drop.done else StopStatus.FAILED, done_at=drop.at,
            failure_reason=drop.failure, fallback=drop.fallback)
