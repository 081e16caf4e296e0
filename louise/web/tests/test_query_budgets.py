"""Queries per page on the demo's realistic data (two towns, 30 + 10 shops, 400 customers, a
day's orders planned and published): every customer and back-office page keeps to a budget,
so a list that asks the database once per row (an N+1) fails here before it slows a
server down. The budgets are the counts measured with a little room, not targets."""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse

from louise.accounts.models import User
from louise.catalog.models import Merchant, Product
from louise.demo import seed
from louise.logistics.models import Tour, TourStatus, TourStop
from louise.orders.models import Order

from ...conftest import MONDAY_MORNING


@dataclass
class Demo:
    day_of_tours: str      # the planned wave's day, YYYY-MM-DD
    rider: User            # one with a published tour that day
    busiest_shop: Merchant  # the Bottrop shop with the most products
    busiest_customer: User  # the customer with the most orders


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo seeded once for the module's tests; rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic(), \
            time_machine.travel(MONDAY_MORNING, tick=False):
        seed.run(time_limit=1, now=MONDAY_MORNING)
        tour = Tour.objects.filter(status=TourStatus.PUBLISHED, shift__rider__username="fahrer1"
                                   ).select_related("plan_run", "shift__rider").first() or \
            Tour.objects.filter(status=TourStatus.PUBLISHED).select_related(
                "plan_run", "shift__rider").first()
        shop = max(Merchant.objects.filter(town__slug="bottrop"),
                   key=lambda m: Product.objects.filter(merchant=m).count())
        customer = max(User.objects.filter(orders__isnull=False).distinct()[:50],
                       key=lambda u: Order.objects.filter(customer=u).count())
        yield Demo(tour.plan_run.day.isoformat(), tour.shift.rider, shop, customer)
        transaction.set_rollback(True)


def _as(user: User | str) -> Client:
    client = Client()
    client.force_login(user if isinstance(user, User) else User.objects.get(username=user))
    return client


def _basket_filled(client: Client) -> list[Product]:
    """A basket of four products of several shops, as a customer fills it."""
    products = list(Product.objects.filter(merchant__town__slug="bottrop", stock__gt=0)
                    .order_by("merchant_id", "pk")[:40:10])
    for product in products:
        client.post(reverse("web:shop:basket_add"), {"product": product.pk, "quantity": 1})
    return products


def _get(client: Client, url: str, budget: int, django_assert_max_num_queries) -> str:
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.django_db
# The order page's budget has room for one query more than it asks alone: in a full run on
# PostgreSQL it asked 16 (a cache or lookup another test module left empty), alone 15.
@pytest.mark.parametrize(("page", "budget"), [
    ("shops", 9), ("shop", 10), ("basket", 6), ("checkout", 18), ("orders", 7), ("order", 16)])
def test_customer_pages_keep_to_their_query_budget(demo, page, budget,
                                                   django_assert_max_num_queries):
    customer = demo.busiest_customer
    client = _as(customer)
    products = _basket_filled(client)
    order = Order.objects.filter(customer=customer).order_by("-pk").first()
    url = {"shops": reverse("web:shop:shops"),
           "shop": reverse("web:shop:shop", args=[demo.busiest_shop.slug]),
           "basket": reverse("web:shop:basket"),
           "checkout": reverse("web:shop:checkout"),
           "orders": reverse("web:shop:orders"),
           "order": reverse("web:shop:order", args=[order.number])}[page]
    with time_machine.travel(MONDAY_MORNING - timedelta(hours=1), tick=False):
        page_text = _get(client, url, budget, django_assert_max_num_queries)
    if page in ("basket", "checkout"):
        assert len(products) == 4 and all(p.name in page_text for p in products)


@pytest.mark.django_db
def test_placing_an_order_keeps_to_its_query_budget(demo, django_assert_max_num_queries):
    # One order per shop of the basket, to a pickup point: the checkout validates with the
    # rows it has read (no query per relation or check constraint) and reads no list it does
    # not show (108 queries before, for this basket of four shops); the checkout's reference
    # and each order's number are looked up once to be sure they are free (`fresh_code`).
    client = _as(demo.busiest_customer)
    products = _basket_filled(client)
    url = reverse("web:shop:checkout")
    with time_machine.travel(MONDAY_MORNING - timedelta(hours=1), tick=False):
        page = client.get(url).content.decode()
        form = {"key": "budget-1", "method": "point",
                "slot": re.search(r'name="slot" id="slot-\d+" value="([^"]+)" checked',
                                  page)[1],
                "pickup_point": re.search(r'name="pickup_point"[^>]*>\s*<option value="(\d+)"',
                                          page)[1]}
        with django_assert_max_num_queries(49):
            response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[-500:]
    assert (Order.objects.filter(checkout__idempotency_key="budget-1").count()
            == len({p.merchant_id for p in products}) > 1)


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "budget"), [
    ("merchant_inbox", 10), ("merchant_orders", 10), ("dispatch_day", 23), ("rider_tour", 9)])
def test_back_office_pages_keep_to_their_query_budget(demo, page, budget,
                                                      django_assert_max_num_queries):
    who, url = {
        "merchant_inbox": ("laden", reverse("web:backoffice:inbox")),
        "merchant_orders": ("laden", reverse("web:backoffice:orders")),
        "dispatch_day": ("dispo", reverse("web:dispatch:console") + f"?tag={demo.day_of_tours}"),
        "rider_tour": (demo.rider, reverse("web:rider:today")),
    }[page]
    client = _as(who)
    with time_machine.travel(MONDAY_MORNING + timedelta(hours=8), tick=False):
        page_text = _get(client, url, budget, django_assert_max_num_queries)
    if page == "rider_tour":  # a real tour, not an empty page
        assert TourStop.objects.filter(tour__shift__rider=demo.rider).count() >= 6
        assert "tour" in page_text
