"""Fixtures for the customer pages: a signed-in customer's browser (Django test client) and
a placed multi-shop checkout, built through the real services on Monday morning."""

import pytest
import time_machine
from django.test import Client

from louise.core.calendar import waves_from
from louise.orders.checkout import Destination, LineRequest, checkout_place

from ....conftest import MONDAY_MORNING


@pytest.fixture
def monday():
    """Freeze the clock on Monday 30 November 2026, 10:00 (before the cut-off)."""
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def placed(shop, other_shop, customer, town, monday):
    """Kundin's checkout: a book from each of two shops, to the locker, first wave."""
    person, _address = customer
    return checkout_place(
        customer=person, destination=Destination("locker", locker_id=town["locker"].pk),
        lines=[LineRequest(shop["product"].pk, 1), LineRequest(other_shop["product"].pk, 2)],
        slot_start=waves_from(MONDAY_MORNING, 1)[0].start.isoformat(),
        idempotency_key="fixture", now=MONDAY_MORNING)
