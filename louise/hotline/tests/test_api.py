"""`POST /api/v1/orders` for the hotline: on behalf of a customer of its town, through the
one checkout; never for a customer of another town, never without naming one."""

import time_machine

from louise.accounts.models import AuditEntry, Role
from louise.orders.models import Channel, Order

from ...conftest import MONDAY_MORNING, build_two_towns


def body(world, customer_id=None, **extra) -> dict:
    return {"lines": [{"product_id": world.product.pk, "quantity": 1}],
            "destination": {"method": "locker", "locker_id": world.locker.pk},
            **({"customer_id": customer_id} if customer_id else {}), **extra}


def test_the_hotline_orders_for_a_customer_of_its_town_and_of_no_other(db, api):
    # given
    with time_machine.travel(MONDAY_MORNING, tick=False):
        towns = build_two_towns()
    a, b = towns.a, towns.b
    agent = api(a.people[Role.HOTLINE].username)
    before = Order.objects.count()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        # when: for a's customer, from a's shop
        done = agent.post("/orders", body(a, a.people[Role.CUSTOMER].pk))
        # then
        assert done.status_code == 201, done.content
        order = Order.objects.get(number=done.json()["number"])
        assert (order.customer, order.placed_by, order.checkout.channel) == (
            a.people[Role.CUSTOMER], a.people[Role.HOTLINE], Channel.HOTLINE)
        assert AuditEntry.objects.filter(action="bestellt", by=a.people[Role.HOTLINE]).exists()
        # b's customer is unknown to a's agent, b's shops are not in a's town
        assert agent.post("/orders", body(a, b.people[Role.CUSTOMER].pk)).status_code == 404
        assert agent.post("/orders", body(b, a.people[Role.CUSTOMER].pk)).status_code == 404
        # nobody named, or a customer ordering for someone else
        assert agent.post("/orders", body(a)).status_code == 400
        customer = api(a.people[Role.CUSTOMER].username)
        assert customer.post("/orders", body(a, b.people[Role.CUSTOMER].pk)).status_code == 403
    assert Order.objects.count() == before + 1
