"""A shopping list in a real browser: the customer writes it on the store's page, the rider
buys it with a receipt over budget, the customer confirms, it is delivered and charged."""

import pytest
import time_machine
from playwright.sync_api import expect

from louise.accounts.models import Role
from louise.billing.ledger import order_balance
from louise.conftest import MONDAY_MORNING, fees_set, the_town, tiny_jpeg
from louise.logistics.models import StopKind, Tour
from louise.logistics.services import plan_day, stop_complete, tour_publish
from louise.orders.models import Order, OrderStatus
from louise.web.conftest import screenshot, sign_in


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY_MORNING, tick=True):
        yield


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_list_is_bought_over_budget_confirmed_delivered_and_charged(
        page, browser, live_server, monday, shop, customer, staff_users, shifts):
    fees_set(shopping_list_cents=490)
    shop["merchant"].shopping_service = True
    shop["merchant"].save(update_fields=["shopping_service"])
    # the customer writes her list on the store's page
    sign_in(page, "kundin", f"/geschaefte/{shop['merchant'].slug}/")
    page.get_by_role("link", name="Einkaufszettel schreiben").click()
    page.get_by_label("Einkaufszettel (ein Artikel je Zeile)").fill("Bio-Milch 1 l\nVollkornbrot")
    page.get_by_label("Budget (€)").fill("10,00")
    page.get_by_label("Ersatzwünsche").fill("wenn keine Bio-Milch, dann normale")
    page.get_by_role("button", name="Einkaufszettel zahlungspflichtig abschicken").click()
    expect(page.locator("#shopping")).to_contain_text("Vollkornbrot")
    order = Order.objects.get()
    # the dispatcher plans the day; the rider buys it in the store, dearer than the budget
    plan_day(town=the_town(), day=MONDAY_MORNING.date(), by=staff_users[Role.DISPATCHER],
             time_limit=1)
    tour = Tour.objects.get()
    tour_publish(tour=tour, by=staff_users[Role.DISPATCHER])
    rider = browser.new_context(viewport={"width": 360, "height": 780}, locale="de-DE",
                                base_url=live_server.url, timezone_id="Europe/Berlin").new_page()
    sign_in(rider, "rider", "/fahrer/")
    rider.get_by_role("link", name="Einkaufszettel: erst einkaufen").click()
    expect(rider.get_by_text("wenn keine Bio-Milch, dann normale")).to_be_visible()
    rider.locator('input[name="item-0"][value="bought"]').check()
    rider.locator('input[name="item-1"][value="missing"]').check()
    rider.get_by_label("Summe laut Kassenbon (€)").fill("12,80")
    rider.get_by_label("Foto des Kassenbons").set_input_files(
        {"name": "bon.jpg", "mimeType": "image/jpeg", "buffer": tiny_jpeg()})
    rider.get_by_role("button", name="Einkauf erfassen").click()
    expect(rider.locator(".msg-success")).to_contain_text("wartet auf die Bestätigung")
    # the customer sees the receipt and confirms
    page.reload()
    expect(page.locator("#receipt-total")).to_have_text("12,80\u00a0€")
    expect(page.get_by_role("link", name="Kassenbon ansehen")).to_be_visible()
    screenshot(page, "shopping-list-confirm")
    page.get_by_role("button", name="Einkauf bestätigen").click()
    expect(page.get_by_text("Ihr Einkauf kommt")).to_be_visible()
    # the rider leaves the store with it and delivers it
    for kind, proof in ((StopKind.PICKUP, {"parcels": 1}),
                        (StopKind.DELIVERY, {"proof_method": "name",
                                             "recipient_name": "Kundin"})):
        stop_complete(stop_id=tour.stops.get(kind=kind).pk, rider=tour.shift.rider, **proof)
    page.reload()
    expect(page.locator("#live")).to_contain_text("zugestellt")
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order_balance(order.pk) == 1280 + 490
