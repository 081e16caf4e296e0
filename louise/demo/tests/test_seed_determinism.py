"""The demo's determinism, in a module of its own: the test empties the database, which
PostgreSQL refuses while another module's fixture holds the seeded demo in an open
transaction (TRUNCATE with pending trigger events)."""
import re

import pytest
from django.core.management import call_command

from louise.accounts.models import Role, User
from louise.demo import seed
from louise.orders.models import Order

from ...conftest import MONDAY_MORNING


def fingerprint() -> tuple:
    """People, addresses and orders, without database ids: a standing delivery's key names
    its standing order's id, which PostgreSQL's sequences make differ between runs."""
    orders = Order.objects.values_list("checkout__idempotency_key", "merchant__name",
                                       "delivery_method", "subtotal_cents")
    return (
        tuple(User.objects.filter(role=Role.CUSTOMER).order_by("username")
              .values_list("username", "first_name", "last_name", "addresses__street")),
        tuple(sorted((re.sub(r"^standing-\d+-", "standing-", key), *rest)
                     for key, *rest in orders)),
    )


@pytest.mark.django_db(transaction=True)
def test_demo_is_deterministic():
    # given: the demo towns
    seed.run(time_limit=1, now=MONDAY_MORNING)
    first = fingerprint()
    # when: the database is emptied and the demo built again
    call_command("flush", interactive=False, verbosity=0)
    seed.run(time_limit=1, now=MONDAY_MORNING)
    # then: the same people, addresses and orders
    assert fingerprint() == first
