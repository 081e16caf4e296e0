"""`POST /orders` and `/service-bookings` go through the web shop's checkout: the API
refuses what the web checkout refuses, and can ask for what it offers (a wave, a basket
across shops, a mandate, a locker compartment)."""

from datetime import datetime

import pytest
import time_machine

from louise.billing.models import SepaMandate
from louise.core.calendar import waves_from
from louise.orders.models import Channel, Checkout, Order, Slot

from ...conftest import MONDAY_MORNING, fees_set, make_customer, the_town, town_set
from .test_input import assert_refused

FIRST, SECOND = (w.start for w in waves_from(MONDAY_MORNING, 2))


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(MONDAY_MORNING, tick=False):
        yield


def body(shop, address, **overrides) -> dict:
    return {"lines": [{"product_id": shop["product"].pk, "quantity": 1}],
            "destination": {"method": "door", "address_id": address.pk}} | overrides


def test_an_order_takes_a_stop_of_the_first_wave_and_answers_with_its_checkout(
        api, shop, customer, settings):
    fees_set(door_cents=390, point_cents=290, locker_cents=190, service_cents=390)
    response = api("kundin").post("/orders", body(shop, customer[1],
                                                  merchant_id=shop["merchant"].pk))
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["status"] == "placed" and order["fee_cents"] == 390
    assert datetime.fromisoformat(order["wave_start"]) == FIRST
    assert order["checkout"]["orders"][0]["number"] == order["number"]
    assert Slot.objects.get(start=FIRST).booked == 1
    assert Checkout.objects.get().channel == Channel.API


def test_a_basket_across_shops_in_a_chosen_wave_is_one_checkout(api, shop, other_shop,
                                                                 customer):
    response = api("kundin").post("/orders", body(
        shop, customer[1], slot_start=SECOND.isoformat(),
        lines=[{"product_id": shop["product"].pk, "quantity": 1},
               {"product_id": other_shop["product"].pk, "quantity": 2}]))
    assert response.status_code == 201, response.content
    orders = response.json()["checkout"]["orders"]
    assert sorted(o["merchant"] for o in orders) == ["Buchladen Eins", "Laden Zwei"]
    assert Order.objects.filter(wave_start=SECOND).count() == 2
    assert Slot.objects.get().booked == 1  # one delivery, one stop


def test_a_product_of_another_shop_is_refused_when_the_shop_is_named(api, shop, other_shop,
                                                                     customer):
    lines = [{"product_id": other_shop["product"].pk, "quantity": 1}]
    assert_refused(api("kundin").post("/orders", body(
        shop, customer[1], merchant_id=shop["merchant"].pk, lines=lines)), 400,
        says="in diesem Geschäft nicht")
    assert not Order.objects.exists()


def test_without_a_mandate_the_api_refuses_unless_one_is_given(api, shop, town):
    person, address = make_customer("ohne")
    SepaMandate.objects.filter(customer=person).delete()
    client = api("ohne")
    refused = assert_refused(client.post("/orders", body(shop, address)), 400,
                             says="Lastschriftmandat")
    assert refused["code"] == "mandate_missing"
    service = {"service_id": shop["service"].pk, "address_id": address.pk,
               "item_description": "Einband lose"}
    assert assert_refused(client.post("/service-bookings", service), 400)["code"] == (
        "mandate_missing")
    assert not Order.objects.exists()
    mandate = {"holder": "Ohne Test", "iban": "DE89 3704 0044 0532 0130 00"}
    assert client.post("/orders", body(shop, address, mandate=mandate)).status_code == 201
    assert SepaMandate.objects.get(customer=person).iban == "DE89370400440532013000"


def test_a_full_wave_is_a_409_and_a_past_one_a_400(api, shop, customer, other_customer,
                                                   settings):
    town_set(slot_capacity=1)
    assert api("kundin").post("/orders", body(shop, customer[1])).status_code == 201
    full = assert_refused(api("kunde2").post("/orders", body(shop, other_customer[1])), 409,
                          says="ausgebucht")
    assert full["code"] == "slot_full"
    gone = assert_refused(api("kunde2").post("/orders", body(
        shop, other_customer[1], slot_start="2026-11-27T17:30:00+01:00")), 400)
    assert gone["code"] == "slot_gone"
    assert Order.objects.count() == 1


def test_locker_orders_get_a_compartment_until_the_locker_is_full(api, shop, customer, town):
    client = api("kundin")
    locker = {"method": "locker", "locker_id": town["locker"].pk}
    numbers = set()
    for _ in range(4):  # the town's locker has four compartments
        response = client.post("/orders", body(shop, customer[1], destination=locker))
        assert response.status_code == 201, response.content
        assert response.json()["locker_compartment"] is not None
        numbers.add(response.json()["locker_compartment"])
    assert len(numbers) == 4
    full = assert_refused(client.post("/orders", body(shop, customer[1], destination=locker)),
                          409, says="voll")
    assert full["code"] == "locker_full"
    assert Order.objects.count() == 4


def test_an_address_outside_the_area_is_refused(api, shop, town):
    _person, address = make_customer("fern", postcode="46045", lat=51.47, lon=6.85)
    refused = assert_refused(api("fern").post("/orders", body(shop, address)), 400,
                             says="außerhalb des Liefergebiets")
    assert refused["code"] == "outside_service_area"


def test_only_customers_book_services(api, shop, customer, staff_users):
    service = {"service_id": shop["service"].pk, "address_id": customer[1].pk,
               "item_description": "Einband lose"}
    assert api("dispatcher").post("/service-bookings", service).status_code == 403
    assert api("laden1").post("/orders", body(shop, customer[1])).status_code == 403
    assert not Order.objects.exists()


def test_a_service_booking_takes_a_stop_of_the_chosen_wave(api, shop, customer):
    client = api("kundin")
    service = {"service_id": shop["service"].pk, "address_id": customer[1].pk,
               "item_description": "Einband lose"}
    chosen = client.post("/service-bookings", service | {"slot_start": SECOND.isoformat()})
    assert chosen.status_code == 201, chosen.content
    counted = client.post("/service-bookings", service | {"wave_index": 1})
    assert counted.status_code == 201, counted.content
    assert Slot.objects.get(start=SECOND).booked == 2
    assert_refused(client.post("/service-bookings", service | {"wave_index": 7}), 400,
                   says="Lieferwellen")


def test_without_an_idempotency_key_each_call_is_a_new_order(api, shop, customer):
    client = api("kundin")
    first = client.post("/orders", body(shop, customer[1])).json()["number"]
    second = client.post("/orders", body(shop, customer[1])).json()["number"]
    assert first != second
    keyed = [client.post("/orders", body(shop, customer[1]), headers={"Idempotency-Key": "x"})
             for _ in range(2)]
    assert keyed[0].json()["number"] == keyed[1].json()["number"]
    assert Order.objects.count() == 3


def test_slots_lists_the_bookable_waves_with_their_free_stops(api, shop, customer, settings):
    town_set(slot_capacity=3)
    api("kundin").post("/orders", body(shop, customer[1]))
    slots = api("kundin").get("/slots").json()
    assert len(slots) == the_town().bookable_waves
    assert [s["free"] for s in slots[:2]] == [2, 3]
    assert datetime.fromisoformat(slots[0]["start"]) == FIRST
