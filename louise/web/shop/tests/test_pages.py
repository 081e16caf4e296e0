"""The customer pages driven like a browser without JavaScript (Django's test client)."""

import io
import json
import re
from datetime import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from louise.accounts.models import NotificationPreferences, User
from louise.catalog.services import merchant_create
from louise.geo.gazetteer import HouseIn, StreetIn
from louise.geo.models import Address, Precision
from louise.geo.services import gazetteer_replace
from louise.logistics.models import Leg
from louise.logistics.tests.journeys import repair_booked
from louise.orders.lifecycle import order_transition
from louise.orders.models import Checkout, EventKind, Order, OrderStatus, Slot
from louise.orders.quotes import service_inspect, service_intake
from louise.orders.services import order_accept, order_mark_ready

from ....conftest import (
    MONDAY_MORNING,
    OPEN_ALL_WEEK,
    fees_set,
    make_customer,
    other_town,
    the_town,
)
from .conftest import signed_in

pytestmark = pytest.mark.django_db


def checkout_form(client) -> dict:
    """The checkout page's hidden key and first free slot, as a browser would send them."""
    page = client.get("/kasse/").content.decode()
    return {"key": re.search(r'name="key" value="([^"]+)"', page).group(1),
            "slot": re.search(r'name="slot" id="slot-\d" value="([^"]+)" checked', page).group(1)}


def test_a_basket_filled_before_signing_in_is_bought_at_checkout(client, shop, other_shop,
                                                                 customer, monday,
                                                                 django_capture_on_commit_callbacks):
    # given: an anonymous visitor fills the basket from two shops, then signs in
    client.post("/warenkorb/hinzufuegen/", {"product": shop["product"].pk, "quantity": 2})
    client.post("/warenkorb/hinzufuegen/", {"product": other_shop["product"].pk})
    assert client.get("/kasse/")["Location"].startswith("/konto/anmelden/")
    client.force_login(customer[0])
    basket = client.get("/warenkorb/").content.decode()
    assert "Ware aus 2 Geschäften" in basket
    # when: she checks out to her door
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/kasse/", {**checkout_form(client), "method": "door",
                                           "address": customer[1].pk})
    # then: one checkout, two orders, an empty basket and a receipt by e-mail
    checkout = Checkout.objects.get()
    assert response["Location"] == f"/einkauf/{checkout.reference}/"
    assert checkout.orders.count() == 2
    assert "Ihr Warenkorb ist leer" in client.get("/warenkorb/").content.decode()
    page = client.get(response["Location"]).content.decode()
    assert "Vielen Dank" in page and "45,00" in page
    assert [m.subject for m in mail.outbox] == [f"Ihre Bestellung {checkout.reference} bei LOUISE"]
    assert "Buch von Laden Zwei" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0].mimetype == "text/html"


def test_sending_the_checkout_form_twice_buys_once(shop, customer, monday):
    client = signed_in(customer[0])
    client.post("/warenkorb/hinzufuegen/", {"product": shop["product"].pk})
    form = {**checkout_form(client), "method": "door", "address": customer[1].pk}
    first = client.post("/kasse/", form)
    again = client.post("/kasse/", form)  # a double click, or the form of a second tab
    assert first["Location"] == again["Location"]
    assert Order.objects.count() == 1
    done = client.get(again["Location"]).content.decode()
    assert "Diese Bestellung ist schon aufgegeben." in done
    # another customer's key finds nothing of theirs: an empty basket is only said
    other = signed_in(make_customer("zweite")[0])
    assert other.post("/kasse/", form)["Location"] == "/warenkorb/"


def test_a_full_slot_is_shown_but_cannot_be_chosen(shop, placed, customer, settings, monday):
    # given: the first wave is full
    Slot.objects.update(capacity=1)
    client = signed_in(customer[0])
    client.post("/warenkorb/hinzufuegen/", {"product": shop["product"].pk})
    # when
    page = client.get("/kasse/").content.decode()
    # then
    assert re.search(r'id="slot-1" value="[^"]+" disabled', page)
    assert "ausgebucht" in page
    forced = client.post("/kasse/", {**checkout_form(client), "method": "door",
                                     "address": customer[1].pk,
                                     "slot": placed.slot.start.isoformat()})
    assert forced.status_code == 200
    assert Checkout.objects.count() == 1


def test_a_door_outside_the_area_is_refused_at_the_field(shop, customer, monday):
    # given: a second address in the switched-off zone
    outside = Address.objects.create(owner=customer[0], street="Marktstraße 1",
                                     postcode="46045", city="Oberhausen", lat=51.47, lon=6.85)
    client = signed_in(customer[0])
    client.post("/warenkorb/hinzufuegen/", {"product": shop["product"].pk})
    # when
    response = client.post("/kasse/", {**checkout_form(client), "method": "door",
                                       "address": outside.pk})
    # then
    assert "außerhalb des Liefergebiets" in response.content.decode()
    assert not Order.objects.exists()


def test_cancel_reschedule_and_reorder_from_the_order_page(placed, customer, shop, monday):
    client = signed_in(customer[0])
    first, second = placed.orders.order_by("pk")
    # reschedule: the whole delivery moves
    page = client.get(f"/bestellungen/{first.number}/umplanen/").content.decode()
    new_slot = re.search(r'name="slot" value="([^"]+)"', page).group(1)
    client.post(f"/bestellungen/{first.number}/umplanen/", {"slot": new_slot})
    assert {o.wave_start.isoformat() for o in Order.objects.all()} != {first.wave_start}
    assert Order.objects.values("wave_start").distinct().count() == 1
    assert Slot.objects.get(start=first.wave_start).booked == 0
    # and the order page tells the move under the timeline
    moved = Order.objects.get(pk=first.pk)
    wave = moved.events.get(kind=EventKind.RESCHEDULED).note
    assert f"umgeplant: {wave}" in client.get(f"/bestellungen/{first.number}/").content.decode()
    # cancel one shop's order
    response = client.post(f"/bestellungen/{first.number}/stornieren/", follow=True)
    assert "ist storniert" in response.content.decode()
    assert Order.objects.get(pk=first.pk).status == OrderStatus.CANCELLED
    # reorder puts its items back into the basket
    client.post(f"/bestellungen/{second.number}/nochmal/")
    assert "Buch von Laden Zwei" in client.get("/warenkorb/").content.decode()


def test_after_collection_the_order_can_no_longer_be_moved(placed, customer, shop, monday):
    order = placed.orders.get(merchant=shop["merchant"])
    order_accept(order_number=order.number, by=shop["staff"])
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.COLLECTED)
    client = signed_in(customer[0])
    page = client.get(f"/bestellungen/{order.number}/").content.decode()
    assert "Stornieren" not in page and "Zeitfenster ändern" not in page
    assert "nicht mehr umgeplant" in client.get(
        f"/bestellungen/{order.number}/umplanen/").content.decode()


def test_the_order_page_shows_the_timeline(placed, customer, shop, monday):
    order = placed.orders.get(merchant=shop["merchant"])
    order_accept(order_number=order.number, by=shop["staff"])
    page = signed_in(customer[0]).get(f"/bestellungen/{order.number}/live/").content.decode()
    assert re.findall(r'<li class="done[^"]*"', page) == ['<li class="done"',
                                                         '<li class="done current"']


def test_registering_inside_the_area(client, town):
    response = client.post("/konto/registrieren/", {
        "first_name": "Lena", "last_name": "Neu", "email": "Lena@Example.org",
        "phone": "02041 1", "street": "Gartenstraße 9", "postcode": "46236",
        "city": "Bottrop", "password": "ein-gutes-passwort", "privacy": "on"}, follow=True)
    user = User.objects.get(username="lena@example.org")
    assert user.role == "customer" and user.addresses.get().zone.name == "Mitte"
    assert response.wsgi_request.user == user
    assert "außerhalb" not in response.content.decode()


def test_registering_outside_the_area_offers_points_and_lockers(client, town):
    response = client.post("/konto/registrieren/", {
        "first_name": "Otto", "last_name": "Weit", "email": "otto@example.org",
        "phone": "0208 1", "street": "Marktstraße 3", "postcode": "46045",
        "city": "Oberhausen", "password": "ein-gutes-passwort", "privacy": "on"}, follow=True)
    page = response.content.decode()
    assert "außerhalb des Liefergebiets" in page
    assert "Kiosk Test" in page and "Station Test" in page


def test_registering_twice_with_one_email_is_refused(client, customer):
    response = client.post("/konto/registrieren/", {
        "first_name": "K", "last_name": "K", "email": "kundin@example.org", "phone": "1",
        "street": "Weg 1", "postcode": "46236", "city": "Bottrop",
        "password": "ein-gutes-passwort", "privacy": "on"})
    page = response.content.decode()
    assert "Mit diesen Angaben ist keine Registrierung möglich" in page
    assert "gibt es schon ein Konto" not in page


def test_email_preferences_are_respected(placed, customer, shop,
                                         django_capture_on_commit_callbacks):
    # given: she does not want the confirmation mails
    client = signed_in(customer[0])
    client.post("/konto/", {"on_its_way": "on", "delivered": "on", "failed": "on",
                            "locker_code": "on"})
    assert not NotificationPreferences.objects.get(user=customer[0]).confirmed
    order = placed.orders.get(merchant=shop["merchant"])
    # when the shop accepts
    with django_capture_on_commit_callbacks(execute=True):
        order_accept(order_number=order.number, by=shop["staff"])
    # then
    assert mail.outbox == []


def test_the_shop_accepting_mails_the_customer(placed, customer, shop,
                                               django_capture_on_commit_callbacks):
    order = placed.orders.get(merchant=shop["merchant"])
    with django_capture_on_commit_callbacks(execute=True):
        order_accept(order_number=order.number, by=shop["staff"])
    assert [m.subject for m in mail.outbox] == [f"Bestellung {order.number} bestätigt"]
    assert mail.outbox[0].to == ["kundin@example.org"]
    assert f"/bestellungen/{order.number}/" in mail.outbox[0].body


def test_export_holds_everything_and_delete_anonymises(placed, customer, shop, other_shop):
    client = signed_in(customer[0])
    # export
    data = json.loads(client.get("/konto/daten.json").content)
    assert data["konto"]["e_mail"] == "kundin@example.org"
    assert data["sepa_mandate"][0]["iban"] == "DE89370400440532013000"
    assert {o["nummer"] for o in data["bestellungen"]} == set(
        placed.orders.values_list("number", flat=True))
    # delete is refused while orders are under way
    response = client.post("/konto/loeschen/bestaetigen/", follow=True)
    assert "noch laufende Bestellungen" in response.content.decode()
    for order in placed.orders.all():
        client.post(f"/bestellungen/{order.number}/stornieren/")
    # then it works, and the shops keep anonymous orders
    client.post("/konto/loeschen/bestaetigen/")
    assert not User.objects.filter(username="kundin").exists()
    orders = Order.objects.all()
    assert orders.count() == 2
    assert {(o.customer_id, o.recipient_name, o.recipient_phone) for o in orders} == {
        (None, "gelöscht", "")}
    assert not Address.objects.filter(street="Gartenstraße 5").exists()


def test_booking_a_repair_with_a_photo(shop, customer, monday, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = signed_in(customer[0])
    url = f"/dienstleistungen/{shop['service'].pk}/buchen/"
    page = client.get(url).content.decode()
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    slot = re.search(r'name="slot" id="slot-2" value="([^"]+)"', page).group(1)
    photo = SimpleUploadedFile("buch.png", _png(), content_type="image/png")
    response = client.post(url, {"key": key, "slot": slot, "address": customer[1].pk,
                                 "item_description": "Einband lose", "photo": photo})
    order = Order.objects.get()
    assert response["Location"] == f"/einkauf/{order.checkout.reference}/"
    assert order.kind == "service" and order.item_description == "Einband lose"
    assert order.wave_start == order.checkout.slot.start == datetime.fromisoformat(slot)
    assert "Einband lose" in client.get(f"/bestellungen/{order.number}/").content.decode()
    # the confirmation speaks of fetching the item, not of a delivery to the door
    done = client.get(response["Location"]).content.decode()
    assert "<strong>Abholung:</strong>" in done and "Abholung und Rückgabe: an die Haustür" in done
    assert "Lieferung" not in done and "Zustellung" not in done


def _png() -> bytes:
    """A real (tiny) image, so Django's ImageField accepts the upload."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "brown").save(buffer, "PNG")
    return buffer.getvalue()


def test_answering_the_shops_quote_on_the_order_page(shop, customer, monday):
    # given: a repair the shop inspected and quoted at 35 €
    person = customer[0]
    order = repair_booked(shop, customer, "q-1")
    order_transition(Order.objects.get(pk=order.pk), "pick_up_item")
    service_intake(order_number=order.number, by=shop["staff"])
    service_inspect(order_number=order.number, by=shop["staff"], findings="Rücken gebrochen",
                    quote_cents=3500)
    client = signed_in(person)
    page = client.get(f"/bestellungen/{order.number}/").content.decode()
    assert "Kostenvoranschlag: 35,00" in page and "Rücken gebrochen" in page
    # when
    client.post(f"/bestellungen/{order.number}/angebot/", {"answer": "accept"})
    # then
    order.refresh_from_db()
    assert (order.quote_status, order.subtotal_cents) == ("accepted", 3500)


def test_choosing_the_return_of_a_repair(shop, customer, town, monday):
    # given: a booked repair (done in 2 working days by default)
    person = customer[0]
    order = repair_booked(shop, customer, "r-1")
    client = signed_in(person)
    page = client.get(f"/bestellungen/{order.number}/rueckgabe/").content.decode()
    offered = re.findall(r'name="slot" id="slot-\d" value="([^"]+)"', page)
    assert datetime.fromisoformat(offered[0]).date().isoformat() == "2026-12-02"
    # when: she picks the second offered wave, into the locker
    client.post(f"/bestellungen/{order.number}/rueckgabe/",
                {"slot": offered[1], "locker": town["locker"].pk})
    # and the shop finishes the work
    order_transition(Order.objects.get(pk=order.pk), "pick_up_item")
    service_intake(order_number=order.number, by=shop["staff"])
    order_mark_ready(order_number=order.number, by=shop["staff"], now=MONDAY_MORNING)
    # then: the way back goes to the locker in her wave, and that stop is booked
    back = Leg.objects.get(order=order, kind="return")
    assert back.status == "open" and back.drop_ref == f"locker:{town['locker'].pk}"
    assert back.drop_from == datetime.fromisoformat(offered[1])
    assert Slot.objects.get(start=back.drop_from).booked == 1


def test_registering_finds_the_house_in_the_towns_street_directory(client, town):
    # given: the gazetteer knows the Gartenstraße in 46236 with two houses
    gazetteer_replace(area="Test", streets=[StreetIn(
        name="Gartenstraße", postcode="46236", city="Bottrop", district="Stadtmitte",
        points=[(51.5200, 6.9200), (51.5210, 6.9220)],
        houses=[HouseIn("1", "46236", 51.5200, 6.9200), HouseIn("9", "46236", 51.5210, 6.9220)])])
    form = {"first_name": "Lena", "last_name": "Neu", "email": "lena@example.org",
            "phone": "02041 1", "postcode": "46236", "city": "Bottrop",
            "password": "ein-gutes-passwort", "privacy": "on"}
    # when: a street it does not know is typed
    response = client.post("/konto/registrieren/", {**form, "street": "Gartnerweg 9"})
    # then: she is asked to correct it, and nothing is stored
    assert "nicht gefunden" in response.content.decode()
    assert not User.objects.filter(email="lena@example.org").exists()
    # when: the right street
    client.post("/konto/registrieren/", {**form, "street": "Gartenstr. 9"})
    # then: the house's own position and district are stored
    address = Address.objects.get(owner__email="lena@example.org")
    assert (address.lat, address.lon, address.district) == (51.5210, 6.9220, "Stadtmitte")
    assert address.precision == Precision.HOUSE


def test_a_street_missing_from_the_directory_is_kept_once_confirmed(client, town):
    # given: the directory covers 46236 but lacks the Hochstraße (a new street)
    gazetteer_replace(area="Test", streets=[StreetIn(
        name="Gartenstraße", postcode="46236", city="Bottrop", district="Stadtmitte",
        points=[(51.5200, 6.9200), (51.5210, 6.9220)],
        houses=[HouseIn("1", "46236", 51.5200, 6.9200)])])
    form = {"first_name": "Lena", "last_name": "Neu", "email": "lena@example.org",
            "phone": "02041 1", "street": "Hochstraße 12", "postcode": "46236",
            "city": "Bottrop", "password": "ein-gutes-passwort", "privacy": "on"}
    # when: first try — refused, but now she is offered a way on
    page = client.post("/konto/registrieren/", form).content.decode()
    assert "nicht gefunden" in page and 'name="confirm_unknown_street"' in page
    assert not User.objects.filter(email="lena@example.org").exists()
    # when: she confirms the street
    client.post("/konto/registrieren/", {**form, "confirm_unknown_street": "on"})
    # then: stored near the postcode's centre, inside the zone, flagged for the operator
    address = Address.objects.get(owner__email="lena@example.org")
    assert address.precision == Precision.UNKNOWN_STREET and address.approximate
    assert address.zone is not None and address.street == "Hochstraße 12"
    assert "zu prüfen" in client.get("/konto/").content.decode()


def test_an_estimated_address_says_so_in_the_account_and_the_admin(customer, admin_client):
    # given: the gazetteer knows houses 1 and 9 of the Gartenstraße
    gazetteer_replace(area="Test", streets=[StreetIn(
        name="Gartenstraße", postcode="46236", city="Bottrop", district="Stadtmitte",
        points=[(51.5200, 6.9200), (51.5210, 6.9220)],
        houses=[HouseIn("1", "46236", 51.5200, 6.9200), HouseIn("9", "46236", 51.5210, 6.9220)])])
    kundin = signed_in(customer[0])
    # when: she adds house 5 (placed between them) and house 9 (known)
    for street in ("Gartenstraße 5", "Gartenstraße 9"):
        kundin.post("/konto/adressen/neu/", {"street": street, "postcode": "46236",
                                             "city": "Bottrop"})
    # then: both are stored with their precision, and only the estimate is flagged
    stored = dict(customer[0].addresses.exclude(pk=customer[1].pk)
                  .values_list("street", "precision"))
    assert stored == {"Gartenstraße 5": Precision.INTERPOLATED,
                      "Gartenstraße 9": Precision.HOUSE}
    page = kundin.get("/konto/").content.decode()
    assert page.count("Position ungefähr") == 1
    assert "Position ungefähr (zwischen Nachbarhäusern geschätzt)" in page
    # and: the operator sees it in the admin's list of addresses
    admin = admin_client.get("/admin/geo/address/?precision=interpolated").content.decode()
    assert "Gartenstraße 5" in admin and "Gartenstraße 9" not in admin


def test_an_address_orders_went_to_leaves_the_account_but_not_the_orders(shop, customer,
                                                                        monday):
    client = signed_in(customer[0])
    client.post("/warenkorb/hinzufuegen/", {"product": shop["product"].pk})
    client.post("/kasse/", {**checkout_form(client), "method": "door",
                            "address": customer[1].pk})
    client.post(f"/konto/adressen/{customer[1].pk}/entfernen/")
    assert not customer[0].addresses.exists()
    assert Order.objects.get().address.street == "Gartenstraße 5"


def test_the_checkout_shows_the_fee_and_total_of_each_method(shop, customer, monday, settings):
    # given: delivery fees per method and a basket of two books (2 × 15,00 €)
    fees_set(door_cents=390, locker_cents=190, service_cents=390)
    client = signed_in(customer[0])
    client.post("/warenkorb/hinzufuegen/", {"product": shop["product"].pk, "quantity": 2})
    # when: she opens the checkout
    page = client.get("/kasse/").content.decode()
    # then: the page shows the door's fee and total, written out by the server
    assert '<span class="num" id="fee">3,90\u00a0€</span>' in page
    assert '<strong class="num" id="total">33,90\u00a0€</strong>' in page
    # and the script gets every method's fee and total as text, with nothing to compute
    places = json.loads(re.search(r'id="map-places" type="application/json">(.*?)</script>',
                                  page).group(1))
    assert places["prices"] == {
        "door": {"fee": "3,90\u00a0€", "total": "33,90\u00a0€"},
        "point": {"fee": "kostenlos", "total": "30,00\u00a0€"},
        "locker": {"fee": "1,90\u00a0€", "total": "31,90\u00a0€"}}


def test_the_shop_list_shows_the_customers_own_town_and_any_other_on_request(client, shop):
    town = other_town()
    merchant_create(town=town, name="Gladbecker Bücher", category="books",
                    street="Markt 1", postcode="45964", lat=51.57, lon=6.98,
                    opening_hours=OPEN_ALL_WEEK)
    customer, _ = make_customer("gladbeckerin", postcode="45964", lat=51.571, lon=6.981)
    client.force_login(customer)
    page = client.get("/geschaefte/").content.decode()
    assert "Geschäfte in Gladbeck" in page
    assert "Gladbecker Bücher" in page and "Buchladen Eins" not in page
    page = client.get("/geschaefte/?stadt=").content.decode()  # all towns
    assert "Gladbecker Bücher" in page and "Buchladen Eins" in page
    page = client.get(f"/geschaefte/?stadt={the_town().slug}").content.decode()
    assert "Buchladen Eins" in page and "Gladbecker Bücher" not in page
    assert client.get("/geschaefte/?stadt=atlantis").status_code == 404


def test_staff_browsing_a_shop_get_no_basket_or_booking_button(client, shop, customer, staff_users):
    # given a shop with a product and a service
    url = f"/geschaefte/{shop['merchant'].slug}/"
    buttons = ("In den Warenkorb", "Buchen</a>", "Warenkorb <span")
    # then a customer and a visitor see its basket and booking buttons ...
    for viewer in (signed_in(customer[0]), client):
        page = viewer.get(url).content.decode()
        assert all(button in page for button in buttons)
    # ... and a dispatcher, whose basket or booking would only answer "Kein Zugriff", none
    page = signed_in(staff_users["dispatcher"]).get(url).content.decode()
    assert shop["product"].name in page
    assert not any(button in page for button in buttons)
