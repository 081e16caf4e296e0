"""The shop's counter delivery goes through the same checkout as every order: a stop of
the wave, the fee rule (the shop pays: nothing for the recipient, no mandate), the role and
the area; then it is packed and its leg follows (`logistics.reactions`)."""

import pytest

from louise.accounts.models import Role
from louise.core.calendar import waves_from
from louise.core.errors import Conflict, Forbidden, Invalid
from louise.geo.models import Address
from louise.logistics.counter import CounterDelivery, counter_delivery_create
from louise.logistics.models import Leg, LegStatus
from louise.orders.models import Channel, Order, OrderStatus, Slot

from ...conftest import MONDAY_MORNING, fees_set, make_user, order_placed, town_set


def counter(shop, *, key="c-1", postcode="46236", by=None):
    return counter_delivery_create(
        by=by or shop["staff"], idempotency_key=key, now=MONDAY_MORNING,
        delivery=CounterDelivery(recipient_name="Erika Muster", street="Gartenstraße 17",
                                 postcode=postcode, lat=51.528, lon=6.935, parcels=2))


def test_a_counter_delivery_takes_a_stop_costs_the_recipient_nothing_and_is_packed(
        shop, settings):
    # given: fees are charged, and the shop has no mandate (it pays its own invoice)
    fees_set(door_cents=390, point_cents=290, locker_cents=190, service_cents=390)
    # when
    order = counter(shop)
    # then
    assert (order.status, order.customer, order.placed_by, order.fee_cents) == (
        OrderStatus.READY, None, shop["staff"], 0)
    assert (order.checkout.channel, order.checkout.placed_by) == (Channel.COUNTER, shop["staff"])
    assert order.wave_start == waves_from(MONDAY_MORNING, 1)[0].start
    assert Slot.objects.get().booked == 1
    assert Leg.objects.get(order=order).status == LegStatus.OPEN
    # a retried form is the same delivery, with one address
    assert counter(shop).pk == order.pk
    assert Order.objects.count() == 1 and Address.objects.filter(owner=None).count() == 1


def test_a_counter_delivery_into_a_full_wave_is_refused_clearly(shop, customer, settings):
    town_set(slot_capacity=1)
    order_placed(customer[0], shop["product"], now=MONDAY_MORNING)
    with pytest.raises(Conflict, match=r"ausgebucht.*keine weitere Lieferung") as refused:
        counter(shop)
    assert refused.value.code == "slot_full"
    assert Order.objects.count() == 1 and not Address.objects.filter(owner=None).exists()


def test_a_counter_delivery_needs_shop_staff_and_an_address_in_the_area(shop, customer, town):
    with pytest.raises(Forbidden):
        counter(shop, by=customer[0])
    with pytest.raises(Forbidden):
        counter(shop, by=make_user("dispo", Role.DISPATCHER))
    with pytest.raises(Invalid, match="außerhalb des Liefergebiets"):
        counter(shop, postcode="46045")
    assert not Order.objects.exists() and not Slot.objects.filter(booked__gt=0).exists()
    assert not Address.objects.filter(owner=None).exists()
