"""Paying by invoice: customers the operator or the hotline allow order without a SEPA
mandate, and their charges go on an invoice instead of into the collection run."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from louise.accounts.models import AuditEntry, Role
from louise.billing.collection import collection_run
from louise.billing.customer_invoices import customer_invoices_issue
from louise.billing.ledger import open_entries
from louise.billing.models import InvoicedEntry, InvoicePayer, SepaMandate
from louise.core.errors import Forbidden, Invalid, NotFound
from louise.hotline.services import invoice_payment_allow

from ...conftest import MONDAY_MORNING, fees_set, make_user, order_placed, other_town, the_town

LATER = MONDAY_MORNING + timedelta(hours=1)


@pytest.fixture
def without_mandate(customer):
    SepaMandate.objects.filter(customer=customer[0]).delete()
    return customer[0]


def test_without_the_flag_and_without_a_mandate_the_checkout_is_still_refused(
        shop, without_mandate):
    with pytest.raises(Invalid) as refused:
        order_placed(without_mandate, shop["product"], now=MONDAY_MORNING)
    assert refused.value.code == "mandate_missing"


def test_an_allowed_customer_orders_without_a_mandate_and_is_invoiced_not_debited(
        shop, without_mandate, other_customer, staff_users, creditor):
    fees_set(door_cents=390)
    agent = staff_users[Role.HOTLINE]
    assert invoice_payment_allow(by=agent, town=the_town(), customer_id=without_mandate.pk,
                                 allowed=True)
    assert AuditEntry.objects.filter(action="Rechnung erlaubt", by=agent).exists()
    order = order_placed(without_mandate, shop["product"], 2, now=MONDAY_MORNING)
    assert order.mandate is None
    order_placed(other_customer[0], shop["product"], now=MONDAY_MORNING)
    run = collection_run(town_id=the_town().pk, due=date(2026, 12, 4), now=LATER)
    assert [d.customer for d in run.debits.all()] == [other_customer[0]]
    invoices = customer_invoices_issue(town_id=the_town().pk, now=LATER)
    assert [i.customer for i in invoices] == [without_mandate]
    invoice = invoices[0]
    assert invoice.total_cents == 2 * 1500 + 390 and invoice.label.startswith("KR-")
    text = PdfReader(io.BytesIO(invoice.pdf)).pages[0].extract_text()
    assert order.number in text and "33,90" in text
    address = without_mandate.addresses.get()  # the invoice goes by post, too: addressed
    assert f"{address.postcode} {address.city}" in text and address.street in text
    # taken once: neither the next invoice nor a later collection run takes them again
    assert InvoicedEntry.objects.filter(invoice=invoice).count() == 2
    assert customer_invoices_issue(town_id=the_town().pk, now=LATER) == []
    assert not open_entries(the_town().pk).filter(customer=without_mandate).exists()


def test_the_flag_is_taken_back_and_only_the_towns_people_set_it(shop, without_mandate,
                                                                  staff_users):
    agent = staff_users[Role.HOTLINE]
    operator = staff_users[Role.OPERATOR]
    invoice_payment_allow(by=operator, town=the_town(), customer_id=without_mandate.pk,
                          allowed=True)
    invoice_payment_allow(by=agent, town=the_town(), customer_id=without_mandate.pk,
                          allowed=False)
    with pytest.raises(Invalid):
        order_placed(without_mandate, shop["product"], now=MONDAY_MORNING)
    elsewhere = other_town()
    agent2 = make_user("hotline9", Role.HOTLINE, town_ids=[elsewhere.pk])
    for town in (elsewhere, the_town()):
        with pytest.raises(NotFound):
            invoice_payment_allow(by=agent2, town=town, customer_id=without_mandate.pk,
                                  allowed=True)
    with pytest.raises(Forbidden):
        invoice_payment_allow(by=without_mandate, town=the_town(),
                              customer_id=without_mandate.pk, allowed=True)
    assert not InvoicePayer.objects.filter(customer=without_mandate).exists()


def test_the_command_writes_one_pdf_per_invoiced_customer(shop, without_mandate, staff_users,
                                                         creditor, tmp_path):
    invoice_payment_allow(by=staff_users[Role.HOTLINE], town=the_town(),
                          customer_id=without_mandate.pk, allowed=True)
    order_placed(without_mandate, shop["product"], now=MONDAY_MORNING)
    out = io.StringIO()
    call_command("billing", "invoices", "--town", the_town().slug, "--out", str(tmp_path),
                 stdout=out)
    assert "1 Rechnungen" in out.getvalue()
    [pdf] = tmp_path.glob("KR-*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
