"""The shop's two main paths in a real browser, on a tablet-sized screen."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from louise.conftest import order_placed, service_booked
from louise.geo.gazetteer import StreetIn
from louise.geo.services import gazetteer_replace
from louise.logistics.models import Leg, LegKind, LegStatus
from louise.orders import quotes
from louise.orders import services as orders
from louise.orders.lifecycle import order_transition
from louise.web.conftest import screenshot, sign_in

from .test_orders import decode_qr_codes

TABLET = {"width": 1024, "height": 768}


def sign_in_at_the_counter(page) -> None:
    page.set_viewport_size(TABLET)
    sign_in(page, "laden1", "/laden/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_add_product_receive_order_accept_and_print_label(page, shop, customer):
    # given
    sign_in_at_the_counter(page)
    # when: the shop adds a product
    page.get_by_role("link", name="Katalog").click()
    page.get_by_role("link", name="Produkt hinzufügen").click()
    page.get_by_label("Name").fill("Stadtplan Bottrop")
    page.get_by_label("Preis (€)").fill("6,90")
    page.get_by_label("Bestand").fill("10")
    screenshot(page, "merchant-product-form")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("link", name="Stadtplan Bottrop")).to_be_visible()
    assert "6,90\u00a0€" in page.locator("tr", has_text="Stadtplan Bottrop").inner_text()
    # and a customer orders it
    buyer, _address = customer
    product = shop["merchant"].products.get(name="Stadtplan Bottrop")
    order = order_placed(buyer, product)
    # then: the badge shows it on the next page
    page.get_by_role("link", name="Katalog").click()
    expect(page.locator("#inbox-badge")).to_have_text("1")  # once the page's poll answered
    # when: the shop opens the inbox, accepts and packs
    page.get_by_role("link", name="Eingang").click()
    screenshot(page, "merchant-inbox")
    page.get_by_role("link", name=order.number).click()
    page.get_by_role("button", name="Annehmen").click()
    expect(page.locator(".msg").first).to_contain_text("angenommen")
    page.get_by_label("Pakete").fill("1")
    page.get_by_role("button", name="Als gepackt melden").click()
    screenshot(page, "merchant-order")
    # and prints the label
    href = page.get_by_role("link", name="Etikett drucken (PDF)").get_attribute("href")
    pdf = page.request.get(href)
    # then
    assert pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.body()))
    assert order.number in reader.pages[0].extract_text()
    assert decode_qr_codes(pdf.body()) == [f"LOUISE:{order.number}:1/1"]
    assert Leg.objects.get(order=order).status == LegStatus.OPEN


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_repair_intake_quote_and_done(page, shop, customer):
    # given: a repair booked, accepted, and the item fetched from the customer's door
    buyer, address = customer
    order = service_booked(buyer, shop["service"], address, "Bibel, Rücken lose")
    order = orders.order_accept(order_number=order.number, by=shop["staff"])
    order_transition(order, "pick_up_item")
    sign_in_at_the_counter(page)
    # when: the rider hands it over and the shop scans the label
    page.get_by_role("link", name="Annahme").click()
    page.get_by_label("Etikett scannen oder Bestellnummer eingeben").fill(
        f"LOUISE:{order.number}:1/1")
    page.get_by_role("button", name="Annehmen").click()
    page.wait_for_url(f"**/laden/bestellungen/{order.number}/")
    # and records the inspection with a quote
    page.get_by_label("Befund").fill("Buchrücken gebrochen, neu binden")
    page.get_by_label("Kostenvoranschlag (€), leer lassen ohne").fill("24,50")
    page.get_by_role("button", name="Befund speichern").click()
    # then: done is blocked until the customer agrees
    expect(page.locator("#quote-status")).to_have_text("wartet auf Zustimmung")
    assert page.get_by_role("button", name="Erledigt – Rückgabe freigeben").is_disabled()
    screenshot(page, "merchant-service-quote")
    # when: the customer accepts on their order page, and the shop finishes the work
    quotes.quote_accept(order_number=order.number, by=buyer)
    page.reload()
    page.get_by_role("button", name="Erledigt – Rückgabe freigeben").click()
    # then: the return trip is released into planning
    expect(page.locator("h1 .badge")).to_contain_text("versandbereit")
    screenshot(page, "merchant-service-done")
    assert Leg.objects.get(order=order, kind=LegKind.RETURN).status == LegStatus.OPEN


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_counter_delivery_with_address_suggestions(page, shop, customer):
    # given: the town's gazetteer knows Gartenstraße
    gazetteer_replace(area="test", streets=[
        StreetIn("Gartenstraße", "46236", "Bottrop", "", [(51.528, 6.935)])])
    sign_in_at_the_counter(page)
    page.get_by_role("link", name="Lieferung aufgeben").click()
    # when: the shop types a name, a few letters of the street, and picks the suggestion
    page.get_by_label("Empfänger").fill("Erika Muster")
    page.get_by_role("combobox", name="Straße und Hausnummer").fill("Gart")
    page.get_by_role("option", name="Gartenstraße, 46236 Bottrop").click()
    page.get_by_label("Straße und Hausnummer").press("End")
    page.get_by_label("Straße und Hausnummer").press_sequentially("17")
    assert page.get_by_label("PLZ").input_value() == "46236"
    screenshot(page, "merchant-counter")
    page.get_by_role("button", name="Lieferung anlegen").click()
    # then
    page.wait_for_url("**/laden/bestellungen/B*/")
    assert "Gartenstraße 17" in page.content()
    expect(page.locator("h1 .badge")).to_contain_text("versandbereit")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_owner_imports_a_catalogue_and_reads_the_turnover(page, shop, customer):
    # given: the owner, and one accepted order today
    from louise.catalog.invitations import shop_owner_grant

    shop_owner_grant(user=shop["staff"])
    buyer, _address = customer
    order = order_placed(buyer, shop["product"], 2)
    orders.order_accept(order_number=order.number, by=shop["staff"])
    sign_in_at_the_counter(page)
    # when: a spreadsheet with one bad line is uploaded
    page.get_by_role("link", name="Katalog").click()
    page.get_by_role("link", name="CSV importieren").click()
    bad = ("typ;name;preis_eur;bestand\nprodukt;Kerze;4,50;3\nprodukt;Vase;teuer;1\n")
    page.get_by_label("CSV-Datei").set_input_files(
        {"name": "katalog.csv", "mimeType": "text/csv", "buffer": bad.encode()})
    page.get_by_role("button", name="Importieren").click()
    # then: line 3 is named and nothing is imported
    result = page.locator("#import-result")
    assert "Nichts importiert" in result.inner_text()
    assert "3\tpreis_eur: „teuer“ ist kein Betrag" in result.inner_text()
    screenshot(page, "merchant-import-errors")
    assert not shop["merchant"].products.filter(name="Kerze").exists()
    # when: the owner looks at this month's turnover
    page.get_by_role("link", name="Umsatz").click()
    # then
    assert page.locator("#total-gross").inner_text() == "30,00\u00a0€"
    screenshot(page, "merchant-turnover")
    page.get_by_role("link", name="Profil").click()
    screenshot(page, "merchant-profile")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_new_order_slides_into_the_open_inbox(page, shop, customer):
    # given: the inbox is open on the counter tablet
    page.clock.install()
    sign_in_at_the_counter(page)
    assert page.locator("#inbox-badge").is_hidden()
    # when: a customer orders, and the next poll comes round
    buyer, _address = customer
    order = order_placed(buyer, shop["product"])
    page.clock.fast_forward("00:16")
    # then: badge, title and the card, without a reload
    page.locator("#lanes").get_by_role("link", name=order.number).wait_for()
    assert page.locator("#inbox-badge").inner_text() == "1"
    assert page.title().startswith("(1) ")
    assert page.locator("#inbox-live").inner_text() == f"Neue Bestellung {order.number}"
