"""Concurrent checkouts through the whole web stack, each request in its own thread with its
own database connection. Only PostgreSQL runs requests truly in parallel (SQLite serialises
writers on one file lock), so these run there; CI runs the suite on both."""

import re
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client

from louise.catalog.models import Product
from louise.orders.models import Checkout, Order

from ...conftest import MONDAY_MORNING

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'",
                       reason="needs a database with concurrent writers (PostgreSQL)"),
]


def _ready_client(user, product, quantity=1) -> tuple[Client, dict]:
    """A signed-in browser with the product in its basket and the checkout form loaded."""
    client = Client()
    client.force_login(user)
    client.post("/warenkorb/hinzufuegen/", {"product": product.pk, "quantity": quantity})
    page = client.get("/kasse/").content.decode()
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    slot = re.search(r'name="slot" id="slot-1" value="([^"]+)"', page).group(1)
    locker = re.search(r'name="locker"[^>]*>\s*<option value="(\d+)"', page).group(1)
    return client, {"key": key, "slot": slot, "method": "locker", "locker": locker}


def _same_browser(client: Client) -> Client:
    """A second client sharing the first one's cookies (its session): another tab."""
    twin = Client()
    twin.cookies = client.cookies.__class__(client.cookies)
    return twin


def _post_all_at_once(requests: list[tuple[Client, dict]]) -> list[int]:
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = [0] * len(requests)

    def run(i: int, client: Client, form: dict) -> None:
        try:
            barrier.wait()
            statuses[i] = client.post("/kasse/", form).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c, f)) for i, (c, f) in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_two_customers_race_for_the_last_item(shop, customer, other_customer):
    # given: one book left, in both customers' baskets
    Product.objects.filter(pk=shop["product"].pk).update(stock=1)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        requests = [_ready_client(customer[0], shop["product"]),
                    _ready_client(other_customer[0], shop["product"])]
        # when: both press "buy" at the same moment
        statuses = _post_all_at_once(requests)
    # then: exactly one got it; the other saw the form again with the reason
    assert sorted(statuses) == [200, 302]
    assert Order.objects.count() == 1
    assert Product.objects.get(pk=shop["product"].pk).stock == 0


def test_a_double_click_makes_one_order(shop, customer):
    # given: the same form (same key) sent five times at once
    with time_machine.travel(MONDAY_MORNING, tick=False):
        client, form = _ready_client(customer[0], shop["product"], quantity=2)
        # when
        statuses = _post_all_at_once([(_same_browser(client), form) for _ in range(5)])
    # then: every answer leads to the one checkout, stock is taken once
    assert statuses == [302] * 5
    assert Checkout.objects.count() == 1 and Order.objects.count() == 1
    assert Product.objects.get(pk=shop["product"].pk).stock == 3
