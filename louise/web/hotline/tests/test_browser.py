"""A hotline agent's call in a real browser: finds a caller despite a typo, makes a new
customer without e-mail, takes the paper mandate, orders from two shops to a locker; the
customer's own order page then says who ordered for her."""

import pytest
from playwright.sync_api import expect

from louise.accounts.models import User
from louise.conftest import PASSWORD
from louise.orders.models import Order
from louise.web.conftest import DESKTOP, screenshot, sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_agent_finds_a_caller_makes_a_customer_and_orders_from_two_shops_to_a_locker(
        page, browser, live_server, shop, other_shop, customer, staff_users):
    page.set_viewport_size(DESKTOP)
    sign_in(page, "hotline", "/hotline/")
    # finds the existing caller though the name is misspelt
    page.get_by_label("Name, Telefonnummer oder Straße").fill("Kundn Tset")
    page.get_by_role("button", name="Suchen").click()
    expect(page.locator("#hits")).to_contain_text("Test, kundin")
    # a new caller: name, phone and address only
    page.get_by_label("Vorname").fill("Erna")
    page.get_by_label("Nachname").fill("Schmidt")
    page.get_by_label("Telefon:", exact=True).fill("02041 98 76 54")
    page.get_by_label("Straße und Hausnummer").fill("Gartenstraße 7")
    page.get_by_label("PLZ").fill("46236")
    page.get_by_role("button", name="Anlegen").click()
    expect(page.get_by_text("Erna Schmidt ist angelegt.")).to_be_visible()
    expect(page.get_by_text("keine E-Mail-Adresse")).to_be_visible()
    # the signed mandate came back by post
    page.get_by_label("IBAN").fill("DE89 3704 0044 0532 0130 00")
    page.get_by_role("button", name="Mandat auf Papier erfassen").click()
    expect(page.locator("#mandate")).to_contain_text("Papier, erhalten am")
    # one book from each shop, to the locker
    basket = page.locator("#order-form")
    basket.get_by_label(shop["product"].name).fill("1")
    basket.get_by_label(other_shop["product"].name).fill("2")
    page.get_by_label("Wohin").select_option(label="Paketstation: Station Test")
    screenshot(page, "hotline-caller")
    page.get_by_role("button", name="Verbindlich bestellen").click()
    expect(page.get_by_text("ist bestellt.")).to_be_visible()
    erna = User.objects.get(last_name="Schmidt")
    orders = Order.objects.filter(customer=erna)
    assert orders.count() == 2 and {o.delivery_method for o in orders} == {"locker"}
    expect(page.locator("#orders li")).to_have_count(2)

    # Erna later gets a web login; her order page names the agent
    erna.set_password(PASSWORD)
    erna.save()
    context = browser.new_context(viewport=DESKTOP, locale="de-DE", base_url=live_server.url,
                                  timezone_id="Europe/Berlin")
    hers = context.new_page()
    sign_in(hers, erna.username, f"/bestellungen/{orders.first().number}/")
    expect(hers.locator("#placed-by")).to_have_text("per Hotline von hotline")
    context.close()
