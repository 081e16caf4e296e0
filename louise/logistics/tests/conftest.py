"""A planned day for the execution tests: two door orders from one shop, packed and planned."""

import os
from datetime import datetime, time

import pytest
import time_machine
from asgiref.local import Local
from django.tasks import task_backends
from django.test import override_settings

from louise.accounts.models import Role
from louise.core.calendar import BERLIN
from louise.logistics.models import Tour, TourStatus
from louise.logistics.services import plan_day, tour_publish
from louise.orders import services as orders
from louise.orders.checkout import Destination

from ...conftest import MONDAY_MORNING, make_customer, make_user, order_placed, the_town

# During the Monday wave, when riders are out.
MONDAY_EVENING = datetime.combine(MONDAY_MORNING.date(), time(17, 45), BERLIN)


def order_ready(shop, person, address, key: str):
    """A door order placed Monday morning, accepted and packed by the shop."""
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = order_placed(person, shop["product"], key=key, now=MONDAY_MORNING,
                             destination=Destination("door", address_id=address.pk))
        orders.order_accept(order_number=order.number, by=shop["staff"])
        orders.order_mark_ready(order_number=order.number, by=shop["staff"],
                                now=MONDAY_MORNING)
    order.refresh_from_db()
    return order


@pytest.fixture
def two_orders(shop, customer):
    person, address = customer
    other, other_address = make_customer("nachbar", lat=51.5300, lon=6.9200)
    return [order_ready(shop, person, address, "one"),
            order_ready(shop, other, other_address, "two")]


@pytest.fixture
def drafts(two_orders, shifts, staff_users):
    """Monday planned; the draft tours (both orders fit one bike)."""
    with time_machine.travel(MONDAY_MORNING, tick=False):
        plan_day(town=the_town(),
                 day=MONDAY_MORNING.date(), by=staff_users[Role.DISPATCHER], time_limit=1)
    return list(Tour.objects.filter(status=TourStatus.DRAFT))


@pytest.fixture
def running_tour(drafts, staff_users):
    """The one tour published; returns it with its stops."""
    assert len(drafts) == 1
    return tour_publish(tour=drafts[0], by=staff_users[Role.DISPATCHER])


@pytest.fixture
def tour_rider(running_tour):
    return running_tour.shift.rider


@pytest.fixture
def database_tasks():
    """The real task backend (database) instead of the tests' inline one."""
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        _reset_backends()
        yield
    _reset_backends()


def redis_url(db: int) -> str:
    """A Redis database of the tests' own (CI runs Redis at 127.0.0.1:6379), emptied; skips
    the test where no Redis answers, saying so."""
    import redis

    url = f"{os.environ.get('LOUISE_TEST_REDIS', 'redis://127.0.0.1:6379')}/{db}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.ConnectionError as exc:
        pytest.skip(f"no Redis at {url} ({exc}): the RQ backend's tests need one "
                    "(LOUISE_TEST_REDIS names another server)")
    return url


@pytest.fixture
def rq_tasks():
    """The Redis/RQ task backend (LOUISE_REDIS_URL's) instead of the tests' inline one."""
    url = redis_url(15)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                              "QUEUES": ["default"]}},
                           RQ_QUEUES={"default": {"URL": url}}):
        _reset_backends()
        yield url
    _reset_backends()


def _reset_backends() -> None:
    """Django caches task backends per settings; drop the cache after changing them."""
    task_backends._settings = None
    task_backends.__dict__.pop("settings", None)
    task_backends._connections = Local(False)


@pytest.fixture
def other_rider(town):
    """A rider with no tour today."""
    return make_user("fremdfahrer", Role.RIDER)
