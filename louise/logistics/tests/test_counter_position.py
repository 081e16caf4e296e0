"""A counter delivery stands at its own house, not at the middle of the street picked."""

import pytest

from louise.core.errors import Invalid
from louise.geo.gazetteer import HouseIn, StreetIn
from louise.geo.models import Address, Precision
from louise.geo.services import gazetteer_replace
from louise.logistics.counter import CounterDelivery, counter_delivery_create
from louise.orders.models import Order

from ...conftest import MONDAY_MORNING


def deliver(shop, street: str, lat: float = 51.5280, lon: float = 6.9350):
    return counter_delivery_create(by=shop["staff"], now=MONDAY_MORNING, delivery=CounterDelivery(
        recipient_name="Erika Muster", street=street, postcode="46236", lat=lat, lon=lon))


def test_house_number_typed_after_the_street_gets_the_house_position(shop):
    # given: the gazetteer knows houses 15 and 19 of Gartenstraße
    gazetteer_replace(area="test", streets=[StreetIn(
        "Gartenstraße", "46236", "Bottrop", "", [(51.5280, 6.9350)],
        houses=[HouseIn("15", "46236", 51.5270, 6.9340), HouseIn("19", "46236", 51.5290, 6.9340)])])
    # when: the shop picked the street (its middle) and typed 17
    order = deliver(shop, "Gartenstraße 17")
    # then: placed between its neighbours, and stored as an estimate
    assert (round(order.address.lat, 6), order.address.lon) == (51.528, 6.934)
    assert order.address.precision == Precision.INTERPOLATED and order.address.approximate


def test_without_a_gazetteer_the_chosen_position_is_kept(shop):
    order = deliver(shop, "Gartenstraße 17", lat=51.5301, lon=6.9402)
    assert (order.address.lat, order.address.lon) == (51.5301, 6.9402)
    assert order.address.precision == Precision.POSTCODE


def test_a_chosen_position_outside_the_town_is_refused(shop):
    addresses = Address.objects.count()
    with pytest.raises(Invalid) as refused:
        deliver(shop, "Gartenstraße 17", lat=48.137, lon=11.575)  # Munich
    assert refused.value.field == "lat"
    assert (Address.objects.count(), Order.objects.count()) == (addresses, 0)
