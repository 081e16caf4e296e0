"""Back-office fixtures: signed-in shop staff, the shop's owner, and orders in each state,
all made through the real services."""

import pytest
import time_machine
from django.test import Client

from louise.catalog.invitations import shop_owner_grant
from louise.conftest import MONDAY_MORNING, PASSWORD, order_placed, service_booked
from louise.orders import services as orders


@pytest.fixture(autouse=True)
def monday_morning():
    """Before the cut-off on a working day, so waves and same-day promises are fixed."""
    with time_machine.travel(MONDAY_MORNING, tick=True):
        yield


def signed_in(username: str) -> Client:
    """Signed in through the login page: `Client.login` passes no request, which the
    sign-in throttle (django-axes) needs."""
    client = Client()
    response = client.post("/konto/anmelden/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"{username} could not sign in"
    return client


@pytest.fixture
def staff_client(shop) -> Client:
    return signed_in("laden1")


@pytest.fixture
def owner_client(shop) -> Client:
    shop_owner_grant(user=shop["staff"])
    return signed_in("laden1")


@pytest.fixture
def placed(shop, customer):
    return order_placed(customer[0], shop["product"], 2)


@pytest.fixture
def booked(shop, customer):
    """A service booked and accepted: the item will be fetched from the customer's door."""
    buyer, address = customer
    order = service_booked(buyer, shop["service"], address, "Altes Gesangbuch")
    return orders.order_accept(order_number=order.number, by=shop["staff"])
