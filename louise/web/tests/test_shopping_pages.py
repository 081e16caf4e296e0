"""The shopping-list service's pages: the customer's list and answer, the shopper's page
in the store, the hotline's list and answer, the operator's switch; who may open each."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from louise.accounts.models import AuditEntry, Role
from louise.billing.customer_invoices import customer_invoices_issue
from louise.billing.services import creditor_save
from louise.billing.tests.conftest import CREDITOR_IBAN, CREDITOR_ID
from louise.conftest import (
    MONDAY_MORNING,
    make_user,
    order_placed,
    other_town,
    the_town,
    tiny_jpeg,
)
from louise.hotline.services import invoice_payment_allow
from louise.logistics.models import Tour
from louise.logistics.services import plan_day, tour_publish
from louise.logistics.tests.journeys import first_wave
from louise.orders.checkout import Destination, shopping_list_place
from louise.orders.models import Approval, Order, OrderKind, OrderStatus


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def store(shop):
    shop["merchant"].shopping_service = True
    shop["merchant"].save(update_fields=["shopping_service"])
    return shop


@pytest.fixture
def planned(store, customer, staff_users, shifts):
    """A list of two items with a 10 € budget, planned and published on Monday."""
    person, address = customer
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = shopping_list_place(
            customer=person, merchant_id=store["merchant"].pk, items="Milch\nBrot",
            budget_cents=1000, destination=Destination("door", address_id=address.pk),
            slot_start=first_wave(), idempotency_key="list-1").orders.get()
        plan_day(town=the_town(), day=MONDAY_MORNING.date(), by=staff_users[Role.DISPATCHER],
                 time_limit=1)
        tour = Tour.objects.get()
        tour_publish(tour=tour, by=staff_users[Role.DISPATCHER])
    return order, tour


def receipt_post(total: str) -> dict:
    return {"item-0": "bought", "item-1": "missing", "total": total,
            "receipt_photo": SimpleUploadedFile("bon.jpg", tiny_jpeg(), "image/jpeg")}


def test_the_customer_writes_a_list_on_the_stores_page(store, customer):
    person, address = customer
    client = signed_in(person)
    page = client.get(f"/geschaefte/{store['merchant'].slug}/")
    assert "Einkaufszettel schreiben" in page.content.decode()
    url = f"/geschaefte/{store['merchant'].slug}/einkaufszettel/"
    form = client.get(url)
    assert form.status_code == 200
    slot = form.context["form"].fields["slot"].choices[0][0]
    refused = client.post(url, {"key": "k1", "items": "Milch", "budget": "0",
                                "address": address.pk, "slot": slot})
    assert "zwischen 0,01 € und 500 €" in refused.content.decode()
    assert not Order.objects.exists()
    done = client.post(url, {"key": "k1", "items": "Milch\nBrot", "budget": "12,50",
                             "substitutions": "notfalls normale", "address": address.pk,
                             "slot": slot})
    order = Order.objects.get()
    assert done.status_code == 302 and done.url == f"/bestellungen/{order.number}/"
    assert order.kind == OrderKind.SHOPPING and order.shopping.budget_cents == 1250
    # its page prices it by the receipt to come, not as 0 €
    page = client.get(done.url).content.decode()
    assert "noch offen (Budget 12,50" in page and "nach Kassenbon" in page


def test_a_store_without_the_service_has_no_list_page(shop, customer):
    client = signed_in(customer[0])
    assert client.get(f"/geschaefte/{shop['merchant'].slug}/einkaufszettel/").status_code == 404


def test_the_shopper_records_the_receipt_and_the_customer_confirms(planned, customer,
                                                                   other_customer):
    order, tour = planned
    rider = signed_in(tour.shift.rider)
    url = f"/fahrer/einkauf/{order.number}/"
    assert "Milch" in rider.get(url).content.decode()
    refused = rider.post(url, receipt_post("0,00"), follow=True)
    assert "größer als 0 €" in refused.content.decode()
    order.refresh_from_db()
    assert order.shopping.purchased_at is None
    rider.post(url, receipt_post("12,40"))
    order.refresh_from_db()
    assert order.shopping.approval == Approval.PENDING
    # the form sent once more (a second tab): a message, not a crash
    again = rider.post(url, receipt_post("12,40"), follow=True)
    assert again.status_code == 200
    assert "wartet auf die Bestätigung des Kunden" in again.content.decode()
    mine = signed_in(customer[0])
    page = mine.get(f"/bestellungen/{order.number}/").content.decode()
    assert "12,40" in page and "Einkauf bestätigen" in page
    photo = order.shopping.receipt_photo.url
    assert mine.get(photo).status_code == 200
    theirs = signed_in(other_customer[0])
    assert theirs.get(photo).status_code == 404
    assert theirs.post(f"/bestellungen/{order.number}/einkauf/",
                       {"answer": "confirm"}).status_code == 404
    mine.post(f"/bestellungen/{order.number}/einkauf/", {"answer": "confirm"})
    order.refresh_from_db()
    assert order.status == OrderStatus.READY and order.subtotal_cents == 1240
    page = mine.get(f"/bestellungen/{order.number}/").content.decode()
    assert "Einkauf laut Kassenbon" in page and "nach Kassenbon" not in page


def test_a_declined_purchase_says_so_on_the_order_page_and_charges_nothing(planned, customer):
    order, tour = planned
    signed_in(tour.shift.rider).post(f"/fahrer/einkauf/{order.number}/", receipt_post("12,40"))
    mine = signed_in(customer[0])
    mine.post(f"/bestellungen/{order.number}/einkauf/", {"answer": "decline"})
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.total_cents == 0
    page = mine.get(f"/bestellungen/{order.number}/").content.decode()
    assert "12,40\xa0€ – abgelehnt, nicht berechnet" in page


def test_a_rider_not_on_that_tour_and_a_customer_cannot_open_the_shoppers_page(
        planned, customer):
    order, _tour = planned
    url = f"/fahrer/einkauf/{order.number}/"
    stranger = signed_in(make_user("fahrer9", Role.RIDER))
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, receipt_post("5,00")).status_code == 404
    assert signed_in(customer[0]).get(url).status_code == 403
    order.refresh_from_db()
    assert order.shopping.purchased_at is None


def test_the_hotline_gives_a_list_and_answers_for_the_caller_of_its_town_only(
        planned, customer, staff_users):
    order, tour = planned
    person = customer[0]
    agent = signed_in(staff_users[Role.HOTLINE])
    caller = agent.get(f"/hotline/kunden/{person.pk}/").content.decode()
    assert "Einkaufszettel aufgeben" in caller
    signed_in(tour.shift.rider).post(f"/fahrer/einkauf/{order.number}/", receipt_post("15"))
    town2 = other_town()
    elsewhere = signed_in(make_user("hotline9", Role.HOTLINE, town_ids=[town2.pk]))
    answer = f"/hotline/kunden/{person.pk}/bestellungen/{order.number}/einkauf/"
    assert elsewhere.post(f"{answer}?stadt={town2.slug}",
                          {"answer": "decline"}).status_code == 404
    order.refresh_from_db()
    assert order.shopping.approval == Approval.PENDING
    assert "Kassenbon ansehen" in agent.get(f"/hotline/kunden/{person.pk}/").content.decode()
    agent.post(answer, {"answer": "decline"})
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert AuditEntry.objects.filter(action="Mehrbetrag abgelehnt").exists()


def test_the_hotline_lets_a_caller_pay_by_invoice(town, customer, staff_users):
    person = customer[0]
    agent = signed_in(staff_users[Role.HOTLINE])
    agent.post(f"/hotline/kunden/{person.pk}/rechnung/", {"allowed": "1"})
    page = agent.get(f"/hotline/kunden/{person.pk}/").content.decode()
    assert "Darf auf Rechnung zahlen." in page
    assert AuditEntry.objects.filter(action="Rechnung erlaubt").exists()


def test_the_operator_switches_the_service_on_and_shop_staff_cannot(shop, staff_users):
    operator = signed_in(staff_users[Role.OPERATOR])
    merchant = shop["merchant"]
    operator.post(f"/betrieb/geschaefte/{merchant.pk}/einkaufsservice/", {"on": "1"})
    merchant.refresh_from_db()
    assert merchant.shopping_service
    assert AuditEntry.objects.filter(action="Einkaufsservice an").exists()
    merchant_staff = signed_in(shop["staff"])
    assert merchant_staff.post(f"/betrieb/geschaefte/{merchant.pk}/einkaufsservice/",
                               {"on": "0"}).status_code == 403
    merchant.refresh_from_db()
    assert merchant.shopping_service


def test_the_hotline_home_lists_purchases_waiting_for_a_call_in_its_town_only(
        planned, staff_users):
    order, tour = planned
    signed_in(tour.shift.rider).post(f"/fahrer/einkauf/{order.number}/", receipt_post("15"))
    home = signed_in(staff_users[Role.HOTLINE]).get("/hotline/").content.decode()
    assert "Einkäufe über Budget" in home and order.number in home
    town2 = other_town()
    elsewhere = signed_in(make_user("hotline9", Role.HOTLINE, town_ids=[town2.pk]))
    assert order.number not in elsewhere.get("/hotline/").content.decode()


def test_a_customer_who_pays_by_invoice_downloads_their_own_invoices_only(
        shop, customer, other_customer, staff_users):
    person = customer[0]
    creditor_save(by=staff_users[Role.OPERATOR], town_id=the_town().pk,
                  creditor_name="LOUISE Bottrop", creditor_id=CREDITOR_ID, iban=CREDITOR_IBAN,
                  bic="BYLADEM1001")
    invoice_payment_allow(by=staff_users[Role.HOTLINE], town=the_town(), customer_id=person.pk,
                          allowed=True)
    order_placed(person, shop["product"], now=MONDAY_MORNING)
    [invoice] = customer_invoices_issue(town_id=the_town().pk)
    mine = signed_in(person)
    page = mine.get("/konto/").content.decode()
    assert "Sie zahlen auf Rechnung." in page and invoice.label in page
    pdf = mine.get(f"/konto/rechnungen/{invoice.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert signed_in(other_customer[0]).get(
        f"/konto/rechnungen/{invoice.pk}.pdf").status_code == 404
