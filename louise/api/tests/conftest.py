"""An order already planned onto a published tour, for the API access and input tests."""

import pytest
import time_machine

from louise.accounts.models import Role
from louise.logistics.models import Tour
from louise.logistics.services import plan_day, tour_publish
from louise.orders import services

from ...conftest import MONDAY_MORNING, make_user, order_placed


@pytest.fixture
def placed(shop, customer):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        return order_placed(customer[0], shop["product"], now=MONDAY_MORNING)


@pytest.fixture
def published(placed, shop, shifts, staff_users):
    """The order accepted, packed, planned and its tour published; returns the tour."""
    services.order_accept(order_number=placed.number, by=shop["staff"])
    services.order_mark_ready(order_number=placed.number, by=shop["staff"], now=MONDAY_MORNING)
    run = plan_day(day=MONDAY_MORNING.date(), by=staff_users[Role.DISPATCHER], time_limit=1)
    tour = Tour.objects.get(plan_run=run)
    tour_publish(tour=tour, by=staff_users[Role.DISPATCHER])
    return tour


@pytest.fixture
def other_rider(town):
    return make_user("fremdfahrer", Role.RIDER)
