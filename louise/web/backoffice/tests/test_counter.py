"""Deliveries the shop enters itself: a counter sale or a phone order, home the same evening."""

from louise.core.calendar import BERLIN
from louise.core.validation import save_validated
from louise.geo.gazetteer import StreetIn
from louise.geo.models import Town
from louise.geo.services import gazetteer_replace, zone_create
from louise.logistics.counter import counter_address_suggestions
from louise.logistics.models import Leg, LegStatus
from louise.orders.models import Order

from ....conftest import the_town

FORM = {"recipient_name": "Erika Muster", "recipient_phone": "02041 55555",
        "street": "Gartenstraße 17", "postcode": "46236", "district": "Stadtmitte",
        "lat": "51.528", "lon": "6.935", "parcels": "2", "size": "M", "notes": "Hinterhof",
        "key": "counter-1"}


def test_counter_delivery_goes_straight_into_planning(staff_client, shop):
    # when
    response = staff_client.post("/laden/lieferung/", FORM)
    # then: a packed order without customer account, in tonight's wave, with its leg
    order = Order.objects.get(recipient_name="Erika Muster")
    assert response["Location"] == f"/laden/bestellungen/{order.number}/"
    assert (order.status, order.customer, order.placed_by) == ("ready", None, shop["staff"])
    assert (order.parcels, order.weight_g, order.address.zone.name) == (2, 16_000, "Mitte")
    assert order.wave_start.astimezone(BERLIN).strftime("%d.%m. %H:%M") == "30.11. 17:30"
    leg = Leg.objects.get(order=order)
    assert (leg.status, leg.parcels, leg.drop_label) == (LegStatus.OPEN, 2,
                                                         "Erika Muster, Gartenstraße 17")
    assert order.address.owner is None


def test_counter_delivery_outside_the_zones_is_refused(staff_client, shop):
    response = staff_client.post("/laden/lieferung/", {**FORM, "postcode": "46045"})
    assert "außerhalb des Liefergebiets" in response.content.decode()
    assert not Order.objects.exists()


def test_counter_delivery_needs_a_chosen_address_and_a_house_number(staff_client, shop):
    unchosen = staff_client.post("/laden/lieferung/", {**FORM, "lat": "", "lon": ""})
    no_number = staff_client.post("/laden/lieferung/", {**FORM, "street": "Gartenstraße"})
    assert "Vorschlagsliste" in unchosen.content.decode()
    assert "Hausnummer" in no_number.content.decode()
    assert not Order.objects.exists()


def test_suggestions_find_streets_by_a_few_letters_without_house_numbers(staff_client, town,
                                                                         customer):
    # given: gazetteer streets in an active and in a switched-off zone
    gazetteer_replace(area="test", streets=[
        StreetIn("Gartenstraße", "46236", "Bottrop", "", [(51.528, 6.935)]),
        StreetIn("Gartenweg", "46045", "Oberhausen", "", [(51.49, 6.86)])])
    # when
    results = staff_client.get("/laden/lieferung/adressen.json?q=gart").json()["results"]
    # then: the customer's street, not their house; nothing outside the service area
    assert [r["label"] for r in results] == ["Gartenstraße, 46236 Bottrop"]
    assert results[0]["lat"] == 51.528
    assert counter_address_suggestions(query="g", town=the_town()) == []


def test_suggestions_are_of_the_shops_own_town(staff_client, town):
    # given: a second town whose zone has a street of the same name
    other = save_validated(Town.from_settings(name="Emscherbruch", slug="emscherbruch"))
    zone_create(name="Bruch", postcodes=["45971"], vehicle_kinds=["bike"], town=other)
    gazetteer_replace(area="test", streets=[
        StreetIn("Gartenstraße", "46236", "Bottrop", "", [(51.528, 6.935)]),
        StreetIn("Gartenstraße", "45971", "Emscherbruch", "", [(51.529, 7.105)])])
    # when
    results = staff_client.get("/laden/lieferung/adressen.json?q=gart").json()["results"]
    # then: the shop's own town only, where it can deliver
    assert [r["label"] for r in results] == ["Gartenstraße, 46236 Bottrop"]
    assert [s.postcode for s in counter_address_suggestions(query="gart", town=other)] == [
        "45971"]
