"""The customer's main journeys in a real Chromium, at phone width (360 px) with screenshots
of each page at phone and desktop width under docs/screenshots/shop-*.png."""

from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from louise.catalog.services import merchant_create, product_create, service_offer_create
from louise.core.calendar import BERLIN
from louise.geo.models import PickupPoint
from louise.logistics.models import StopKind, StopStatus, TourStop
from louise.logistics.services import stop_complete
from louise.logistics.tests.journeys import (
    door_delivery_published,
    through_the_depot,
    two_shop_basket_published,
)
from louise.orders.models import Order
from louise.web.conftest import DESKTOP, PHONE, screenshot, sign_in

from ....conftest import MONDAY_MORNING, OPEN_ALL_WEEK, fees_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def high_street(shop, other_shop):
    """A shoemaker next to the two bookshops: a product and a repair to book."""
    shoes = merchant_create(name="Schuhmacherei Sohle", category="shoes",
                            street="Hochstraße 3", postcode="46236", lat=51.524, lon=6.929,
                            opening_hours=OPEN_ALL_WEEK, district="Stadtmitte",
                            description="Reparaturen und Pflege für Ihre Schuhe.")
    product_create(merchant=shoes, name="Schuhcreme braun", price_cents=495, stock=12)
    repair = service_offer_create(merchant=shoes, name="Schuhreparatur Absatz",
                                  price_cents=2490, turnaround_days=3)
    return {"shoes": shoes, "repair": repair}


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY_MORNING, tick=True):
        yield


def fits_the_phone(page) -> None:
    """Nothing sticks out sideways at 360 px (measured once a navigation has landed)."""
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def both_widths(page, name: str) -> None:
    fits_the_phone(page)
    screenshot(page, f"shop-{name}-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"shop-{name}-desktop")
    page.set_viewport_size(PHONE)


def test_register_search_two_shops_checkout_to_a_locker(page, high_street, monday):
    # given: a new visitor on the home page
    page.goto("/")
    both_widths(page, "home")
    # when: she registers
    page.get_by_role("link", name="Registrieren").click()
    page.get_by_label("Vorname").fill("Lena")
    page.get_by_label("Nachname").fill("Neu")
    page.get_by_label("E-Mail-Adresse").fill("lena@example.org")
    page.get_by_label("Telefon (für den Kurier)").fill("02041 555")
    page.get_by_label("Straße und Hausnummer").fill("Gartenstraße 9")
    page.get_by_label("PLZ").fill("46236")
    page.get_by_label("Passwort (mindestens 8 Zeichen)").fill("ein-gutes-passwort")
    page.get_by_label("Ich habe die Datenschutzhinweise gelesen.").check()
    both_widths(page, "register")
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.locator(".messages")).to_contain_text("Willkommen bei LOUISE, Lena!")
    # she searches "Schuh" and finds the shoe cream
    page.get_by_role("searchbox").fill("Schuh")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("heading", name="Schuhreparatur Absatz")).to_be_visible()
    both_widths(page, "search")
    page.get_by_role("button", name="Schuhcreme braun in den Warenkorb").click()
    # and a book from another shop
    page.get_by_role("link", name="Geschäfte").first.click()
    both_widths(page, "shops")
    page.get_by_role("link", name="Buchladen Eins").click()
    both_widths(page, "shop")
    page.get_by_label("Menge von Buch von Buchladen Eins").fill("2")
    page.get_by_role("button", name="Buch von Buchladen Eins in den Warenkorb").click()
    expect(page.locator(".basket-link .count")).to_have_text("3")  # once the page is back
    page.get_by_role("link", name="Warenkorb").click()
    expect(page.locator("main")).to_contain_text("Ware aus 2 Geschäften")
    both_widths(page, "basket")
    # then: checkout to the locker with a new SEPA mandate
    page.get_by_role("link", name="Zur Kasse").click()
    page.get_by_label("an eine Paketstation").check()
    expect(page.get_by_label("Paketstation:", exact=True)).to_be_visible()
    expect(page.get_by_label("Lieferadresse")).to_be_hidden()
    page.get_by_label("IBAN").fill("DE89 3704 0044 0532 0130 00")
    page.get_by_label("Ich erteile das SEPA-Lastschriftmandat wie oben beschrieben.").check()
    assert "Gläubiger-Identifikationsnummer" in page.locator("#mandate-text").inner_text()
    both_widths(page, "checkout")
    page.get_by_role("button", name="Zahlungspflichtig bestellen").click()
    expect(page.get_by_role("heading", name="Vielen Dank für Ihre Bestellung!")).to_be_visible()
    both_widths(page, "checkout-done")
    orders = Order.objects.filter(customer__username="lena@example.org")
    assert orders.count() == 2 and {o.delivery_method for o in orders} == {"locker"}
    # the order page shows the timeline
    page.get_by_role("link", name=f"Bestellung {orders.first().number}").click()
    assert page.locator(".timeline [aria-current=step]").inner_text().startswith("bestellt")
    both_widths(page, "order")
    page.get_by_role("link", name="Bestellungen", exact=True).click()
    both_widths(page, "orders")
    page.get_by_role("link", name="Konto", exact=True).click()
    both_widths(page, "account")


def test_book_a_repair(page, high_street, customer, monday):
    # given: a signed-in customer on the shoemaker's page
    page.goto("/konto/anmelden/")
    page.get_by_label("Benutzername").fill("kundin")
    page.get_by_label("Passwort").fill("test-pass-123")
    page.get_by_role("button", name="Anmelden").click()
    page.goto(f"/geschaefte/{high_street['shoes'].slug}/")
    # when: she books the repair for the second slot
    page.get_by_role("link", name="Schuhreparatur Absatz buchen").click()
    page.get_by_label("Was sollen wir abholen, und was ist zu tun?").fill(
        "Braune Stiefel, linker Absatz lose")
    page.locator("label[for=slot-2]").click()
    both_widths(page, "service")
    page.get_by_role("button", name="Zahlungspflichtig buchen").click()
    # then
    expect(page.get_by_role("heading", name="Vielen Dank für Ihre Bestellung!")).to_be_visible()
    order = Order.objects.get(kind="service")
    assert order.item_description == "Braune Stiefel, linker Absatz lose"
    page.get_by_role("link", name=f"Bestellung {order.number}").click()
    assert "gebucht" in page.locator(".timeline").inner_text()
    expect(page.get_by_role("button", name="Stornieren")).to_be_visible()
    both_widths(page, "service-order")


def test_the_order_page_follows_the_courier(page, shop, customer, shifts, staff_users,
                                            settings):
    # given: a book to her door, packed, planned and published; the page asks every second
    settings.LOUISE_ORDER_POLL_SECONDS = 1
    order, tour = door_delivery_published(shop, customer, staff_users)
    page.goto("/konto/anmelden/")
    page.get_by_label("Benutzername").fill("kundin")
    page.get_by_label("Passwort").fill("test-pass-123")
    page.get_by_role("button", name="Anmelden").click()
    page.goto(f"/bestellungen/{order.number}/")
    expect(page.locator(".eta")).to_contain_text("Voraussichtlich bei Ihnen")
    expect(page.get_by_text("Ihr Kurier ist ganz in der Nähe.")).to_be_hidden()
    # when: the rider collects the parcel at the shop (the page stays open)
    stop_complete(stop_id=tour.stops.get(kind=StopKind.PICKUP).pk, rider=tour.shift.rider,
                  parcels=1)
    # then: without a reload, the page shows "on its way" and the courier on the map
    expect(page.get_by_text("Ihr Kurier ist ganz in der Nähe.")).to_be_visible()
    expect(page.locator(".timeline [aria-current=step]")).to_contain_text("unterwegs")
    expect(page.locator("#courier-map .leaflet-interactive")).to_have_count(2)
    both_widths(page, "order-courier")


def test_the_checkout_shows_the_chosen_methods_fee_and_total(page, shop, customer, monday,
                                                             settings):
    # given: a signed-in customer with two books (2 × 15,00 €) and a fee for the locker only
    fees_set(locker_cents=190)
    page.goto("/konto/anmelden/")
    page.get_by_label("Benutzername").fill("kundin")
    page.get_by_label("Passwort").fill("test-pass-123")
    page.get_by_role("button", name="Anmelden").click()
    page.goto(f"/geschaefte/{shop['merchant'].slug}/")
    page.get_by_label(f"Menge von {shop['product'].name}").fill("2")
    page.get_by_role("button", name=f"{shop['product'].name} in den Warenkorb").click()
    page.goto("/kasse/")
    expect(page.locator("#fee")).to_have_text("kostenlos")
    expect(page.locator("#total")).to_have_text("30,00\u00a0€")
    # when: she switches to a locker, then back to her door
    page.get_by_label("an eine Paketstation").check()
    # then: the fee and total follow, as the server wrote them out
    expect(page.locator("#fee")).to_have_text("1,90\u00a0€")
    expect(page.locator("#total")).to_have_text("31,90\u00a0€")
    page.get_by_label("an die Haustür").check()
    expect(page.locator("#total")).to_have_text("30,00\u00a0€")


def test_place_names_on_the_checkout_map_are_text_not_markup(page, shop, customer, town,
                                                             monday):
    # given a pickup point whose name carries markup (typed in the admin, or imported)
    name = '<img src=x onerror="window.hacked=1">Kiosk'
    PickupPoint.objects.filter(pk=town["point"].pk).update(name=name)
    # when a customer with a basket looks at the places on the checkout map
    sign_in(page, "kundin", "/")
    page.get_by_role("link", name="Geschäfte").first.click()
    page.get_by_role("link", name="Buchladen Eins").click()
    page.get_by_role("button", name="Buch von Buchladen Eins in den Warenkorb").click()
    page.goto("/kasse/")
    page.get_by_label("an eine Abholstelle").check()
    markers = page.locator("#drop-map path.leaflet-interactive")
    expect(markers).to_have_count(2)
    for i in range(2):
        markers.nth(i).hover()
    # then the name is shown as it is written, and nothing in it runs
    expect(page.locator(".leaflet-tooltip", has_text="Kiosk")).to_have_count(1)
    assert page.locator(".leaflet-tooltip", has_text="Kiosk").inner_text() == name
    assert page.locator(".leaflet-tooltip img").count() == 0
    assert page.evaluate("window.hacked") is None


def test_a_two_shop_basket_shows_the_courier_and_an_eta_inside_the_wave(
        page, shop, other_shop, customer, shifts, staff_users, settings):
    # given: one checkout from two shops to her door, packed by both, planned, published
    settings.LOUISE_ORDER_POLL_SECONDS = 1
    orders, tour = two_shop_basket_published(shop, other_shop, customer, staff_users)
    # her door is the last stop and the plan expects the courier at 20:26 (wave ends 20:30)
    drops = tour.stops.filter(kind=StopKind.DELIVERY).order_by("sequence")
    later = drops.last()
    wave_end = later.leg.order.wave_end.astimezone(BERLIN)
    TourStop.objects.filter(pk__in=[d.pk for d in drops]).update(
        eta=wave_end - timedelta(minutes=4))
    sign_in(page, "kundin", f"/bestellungen/{later.leg.order.number}/")
    # then: the promised window ends with the wave, not after it
    expect(page.locator(".eta")).to_contain_text(
        f"{wave_end - timedelta(minutes=30):%H:%M}–{wave_end:%H:%M}")
    # when: the parcels went via the depot and the rider has collected both there (the
    # other order's drop may come first)
    through_the_depot(orders, tour)
    for stop in tour.stops.filter(kind=StopKind.PICKUP, status=StopStatus.PENDING):
        stop_complete(stop_id=stop.pk, rider=tour.shift.rider, parcels=1)
    # then: without a reload she sees the courier on the map
    expect(page.get_by_text("Ihr Kurier ist ganz in der Nähe.")).to_be_visible()
    expect(page.locator("#courier-map .leaflet-interactive")).to_have_count(2)
