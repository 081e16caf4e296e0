"""The shop may scan a repair item in before the rider has confirmed dropping it there."""

import time_machine

from louise.accounts.models import Role
from louise.logistics.models import StopKind, StopStatus, Tour
from louise.logistics.services import plan_day, stop_complete, tour_publish
from louise.orders.models import OrderStatus
from louise.orders.quotes import service_intake

from ...conftest import MONDAY_MORNING, the_town
from .journeys import repair_booked


def test_rider_confirms_drop_after_the_shop_already_took_the_item(shop, customer, shifts,
                                                                  staff_users):
    # given: a repair whose item the rider has fetched from the customer's door
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = repair_booked(shop, customer, "intake-race")
        plan_day(town=the_town(),
                 day=MONDAY_MORNING.date(), by=staff_users[Role.DISPATCHER], time_limit=1)
        tour = Tour.objects.get()
        tour_publish(tour=tour, by=staff_users[Role.DISPATCHER])
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
