"""A service booking moved to another wave still comes back once the shop is done."""

import time_machine

from louise.core.calendar import waves_from
from louise.logistics.models import LegKind, LegStatus
from louise.logistics.rescheduling import order_reschedule
from louise.orders.lifecycle import order_transition
from louise.orders.services import order_mark_ready

from ...conftest import MONDAY_MORNING
from .journeys import repair_booked


def test_a_rescheduled_repair_releases_its_new_return_leg(shop, customer):
    # given: a repair booked for Monday, moved by the customer to Tuesday's wave
    person, _address = customer
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = repair_booked(shop, customer, "moved-repair")
        tuesday = waves_from(MONDAY_MORNING, 2)[1]
        order_reschedule(order_number=order.number, by=person,
                         slot_start=tuesday.start.isoformat(), now=MONDAY_MORNING)
        # and the item fetched and received by the shop
        order.refresh_from_db()
        for event in ("pick_up_item", "receive_item"):
            order_transition(order, event)
        # when: the shop reports the work done
        order_mark_ready(order_number=order.number, by=shop["staff"], now=MONDAY_MORNING)
    # then: the new return leg is open, the old one stays cancelled
    returns = order.legs.filter(kind=LegKind.RETURN)
    assert sorted(returns.values_list("status", flat=True)) == [LegStatus.CANCELLED,
                                                                LegStatus.OPEN]
