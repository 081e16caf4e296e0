"""One way in: every channel places through `louise.orders.checkout` and meets the same
rules as the web shop — mandate, bookable and not full wave, a free locker compartment,
the right role, an address inside the area — and an order is built in one place only.
The shop's counter: `louise/logistics/tests/test_counter_checkout.py`."""

import ast
from pathlib import Path

import pytest

from louise.accounts.models import Role
from louise.billing.models import SepaMandate
from louise.core.calendar import waves_from
from louise.core.errors import Conflict, Forbidden, Invalid
from louise.geo.models import Address
from louise.orders.checkout import (
    Destination,
    LineRequest,
    MandateRequest,
    checkout_place,
    service_request,
)
from louise.orders.models import Channel, Checkout, Order, Slot

from ...conftest import MONDAY_MORNING, make_customer, town_set

ROOT = Path(__file__).resolve().parents[2]  # the `louise` package
CUSTOMER_CHANNELS = [Channel.WEB, Channel.API, Channel.DEMO]
PAST_WAVE = "2026-11-27T17:30:00+01:00"


def buy(person, product, *, channel=Channel.WEB, destination=None, slot=None, key="k-1",
        mandate=None, placed_by=None):
    address = Address.objects.filter(owner=person).first()
    return checkout_place(
        customer=person, lines=[LineRequest(product.pk, 1)], channel=channel,
        destination=destination or Destination("door", address_id=address and address.pk),
        slot_start=slot, idempotency_key=key, mandate=mandate, placed_by=placed_by,
        now=MONDAY_MORNING)


def nothing_placed() -> bool:
    return not Order.objects.exists() and not Checkout.objects.exists() and not Slot.objects.filter(
        booked__gt=0).exists()


@pytest.mark.parametrize("channel", CUSTOMER_CHANNELS)
def test_without_a_mandate_no_channel_places(shop, town, channel):
    person, _address = make_customer("ohne")
    SepaMandate.objects.filter(customer=person).delete()
    with pytest.raises(Invalid, match="Lastschriftmandat") as refused:
        buy(person, shop["product"], channel=channel)
    assert refused.value.code == "mandate_missing"
    with pytest.raises(Invalid, match="Lastschriftmandat"):
        service_request(customer=person, service_id=shop["service"].pk,
                        address_id=_address.pk, item_description="Einband lose",
                        idempotency_key="s-1", channel=channel, now=MONDAY_MORNING)
    assert nothing_placed()
    # a mandate given with the order is stored and used
    order = buy(person, shop["product"], channel=channel,
                mandate=MandateRequest("Ohne Test", "DE89370400440532013000")).orders.get()
    assert order.mandate.customer == person


@pytest.mark.parametrize("channel", CUSTOMER_CHANNELS)
def test_a_full_wave_is_refused_on_every_channel(shop, customer, other_customer, settings,
                                                 channel):
    town_set(slot_capacity=1)
    buy(customer[0], shop["product"])
    with pytest.raises(Conflict, match="ausgebucht") as refused:
        buy(other_customer[0], shop["product"], channel=channel, key="k-2")
    assert refused.value.code == "slot_full"
    assert Order.objects.count() == 1
    # the next wave is still free
    second = waves_from(MONDAY_MORNING, 2)[1].start
    order = buy(other_customer[0], shop["product"], channel=channel, key="k-3",
                slot=second.isoformat()).orders.get()
    assert order.wave_start == second


@pytest.mark.parametrize("channel", CUSTOMER_CHANNELS)
def test_a_wave_no_longer_bookable_is_refused_on_every_channel(shop, customer, channel):
    with pytest.raises(Invalid, match="nicht mehr buchbar") as refused:
        buy(customer[0], shop["product"], channel=channel, slot=PAST_WAVE)
    assert refused.value.code == "slot_gone"
    assert nothing_placed()


@pytest.mark.parametrize("channel", CUSTOMER_CHANNELS)
def test_every_locker_order_gets_a_compartment_until_none_is_free(shop, customer, town,
                                                                 channel):
    # given: the town's locker has four compartments
    locker = Destination("locker", locker_id=town["locker"].pk)
    for i in range(4):
        order = buy(customer[0], shop["product"], channel=channel, destination=locker,
                    key=f"k-{i}").orders.get()
        assert len(order.compartment.code) == 6
    # when / then
    with pytest.raises(Conflict, match="voll") as refused:
        buy(customer[0], shop["product"], channel=channel, destination=locker, key="k-5")
    assert refused.value.code == "locker_full"
    assert Order.objects.count() == 4 and Slot.objects.get().booked == 4


@pytest.mark.parametrize("channel", CUSTOMER_CHANNELS)
def test_an_address_outside_the_area_is_refused_on_every_channel(shop, town, channel):
    person, _address = make_customer("fern", postcode="46045", lat=51.47, lon=6.85)
    with pytest.raises(Invalid, match="außerhalb des Liefergebiets") as refused:
        buy(person, shop["product"], channel=channel)
    assert refused.value.code == "outside_service_area"
    assert nothing_placed()


@pytest.mark.parametrize("channel", CUSTOMER_CHANNELS)
def test_only_customers_place_for_themselves(shop, customer, other_customer, staff_users,
                                             channel):
    with pytest.raises(Forbidden):
        buy(staff_users[Role.DISPATCHER], shop["product"], channel=channel)
    with pytest.raises(Forbidden):  # nobody places for someone else on a self-service channel
        buy(customer[0], shop["product"], channel=channel, placed_by=other_customer[0])
    with pytest.raises(Forbidden):  # the shop's counter is not a customer's way in
        buy(customer[0], shop["product"], channel=Channel.COUNTER)
    assert nothing_placed()


def test_the_hotline_places_for_a_customer_and_is_recorded(shop, customer, staff_users):
    agent = staff_users[Role.HOTLINE]
    with pytest.raises(Forbidden):  # a customer is no hotline agent
        buy(customer[0], shop["product"], channel=Channel.HOTLINE, placed_by=customer[0])
    done = buy(customer[0], shop["product"], channel=Channel.HOTLINE, placed_by=agent)
    order = done.orders.get()
    assert (done.channel, done.placed_by, order.placed_by, order.customer) == (
        Channel.HOTLINE, agent, agent, customer[0])
    assert order.events.get().by == agent


def test_an_order_is_built_in_one_place_only():
    """No second way in: outside the checkout, nothing constructs or creates an Order."""
    builders = []
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and (
                    (isinstance(node.func, ast.Name) and node.func.id == "Order")
                    or (ast.unparse(node.func).startswith("Order.objects.")
                    and node.func.attr.endswith("create"))):
                builders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert len(builders) == 1 and builders[0].startswith("orders/checkout.py:"), builders
