"""A repair item on its way to the shop: the shop may scan it in before the rider has
confirmed dropping it there; fetching it at the door fails for the door's reasons."""

import pytest
import time_machine

from louise.accounts.models import Role
from louise.core.errors import Invalid
from louise.logistics.models import StopKind, StopStatus, Tour
from louise.logistics.selectors import rider_tour_view
from louise.logistics.services import plan_day, stop_complete, stop_fail, tour_publish
from louise.orders.models import Order, OrderStatus
from louise.orders.quotes import service_intake

from ...conftest import MONDAY_MORNING, the_town
from .journeys import repair_booked


def repair_on_a_published_tour(shop, customer, staff_users, key: str) -> tuple[Order, Tour]:
    """A repair booked Monday morning, planned and published: its item is to be fetched."""
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = repair_booked(shop, customer, key)
        plan_day(town=the_town(),
                 day=MONDAY_MORNING.date(), by=staff_users[Role.DISPATCHER], time_limit=1)
        tour = Tour.objects.get()
        tour_publish(tour=tour, by=staff_users[Role.DISPATCHER])
    return order, tour


def test_rider_confirms_drop_after_the_shop_already_took_the_item(shop, customer, shifts,
                                                                  staff_users):
    # given: a repair whose item the rider has fetched from the customer's door
    order, tour = repair_on_a_published_tour(shop, customer, staff_users, "intake-race")
    fetch = tour.stops.get(kind=StopKind.PICKUP)
    drop = tour.stops.get(kind=StopKind.DELIVERY)
    stop_complete(stop_id=fetch.pk, rider=tour.shift.rider, parcels=1)
    # and the shop scans it in first
    service_intake(order_number=order.number, by=shop["staff"])
    # when: the rider confirms the drop afterwards
    stop_complete(stop_id=drop.pk, rider=tour.shift.rider, proof_method="name",
                  recipient_name="Werkstatt")
    # then: the stop is done and the item was received once
    drop.refresh_from_db()
    order.refresh_from_db()
    assert drop.status == StopStatus.DONE
    assert order.status == OrderStatus.IN_SERVICE
    assert order.events.filter(to_status=OrderStatus.IN_SERVICE).count() == 1


def test_a_fetch_at_the_customers_door_fails_for_the_customers_reasons_not_the_shops(
        shop, customer, shifts, staff_users):
    # given: a repair's item to fetch at the customer's door, on a published tour
    order, tour = repair_on_a_published_tour(shop, customer, staff_users, "fetch-fails")
    fetch = tour.stops.get(kind=StopKind.PICKUP)
    # then: the rider's app offers the door's reasons there, the shop's nowhere but at a shop
    offered = {s["id"]: s["reasons"] for s in rider_tour_view(tour=tour)["stops"]}
    assert offered[fetch.pk] == {"not_home": "nicht angetroffen", "no_access": "kein Zugang"}
    # and "shop closed" at a door is refused and changes nothing
    with pytest.raises(Invalid, match="passt nicht zu einer Abholung"):
        stop_fail(stop_id=fetch.pk, rider=tour.shift.rider, reason="shop_closed")
    fetch.refresh_from_db()
    assert fetch.status == StopStatus.PENDING
    # while "not at home" is taken
    stop_fail(stop_id=fetch.pk, rider=tour.shift.rider, reason="not_home")
    fetch.refresh_from_db()
    assert (fetch.status, fetch.failure_reason) == (StopStatus.FAILED, "not_home")
    assert order.pk == fetch.leg.order_id
