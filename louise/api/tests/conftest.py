"""An order already planned onto a published tour, for the API access and input tests."""

import pytest
import time_machine

from louise.accounts.models import Role
from louise.logistics.models import Tour
from louise.logistics.services import plan_day, tour_publish
from louise.orders import services
from louise.orders.models import Order

from ...conftest import MONDAY_MORNING, make_user, order_placed, the_town


def place_order(shop: dict, customer: tuple) -> Order:
    """One book from `shop` to the customer's door, placed on Monday morning."""
    with time_machine.travel(MONDAY_MORNING, tick=False):
        return order_placed(customer[0], shop["product"], now=MONDAY_MORNING)


def publish_tour(order: Order, staff, dispatcher) -> Tour:
    """The order accepted, packed, planned and its tour published; returns the tour."""
    services.order_accept(order_number=order.number, by=staff)
    services.order_mark_ready(order_number=order.number, by=staff, now=MONDAY_MORNING)
    run = plan_day(town=the_town(), day=MONDAY_MORNING.date(), by=dispatcher, time_limit=1)
    tour = Tour.objects.get(plan_run=run)
    tour_publish(tour=tour, by=dispatcher)
    return tour


@pytest.fixture
def placed(shop, customer):
    return place_order(shop, customer)


@pytest.fixture
def published(placed, shop, shifts, staff_users):
    return publish_tour(placed, shop["staff"], staff_users[Role.DISPATCHER])


@pytest.fixture
def other_rider(town):
    return make_user("fremdfahrer", Role.RIDER)
