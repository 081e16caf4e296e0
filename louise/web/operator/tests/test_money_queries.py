"""The money pages' database work does not grow with their rows: a town with 22 shops, 22
customers and their debits, returns and statements stays within a fixed query budget on
every page and button (an earlier review found a query per row on several)."""

from datetime import date, datetime, timedelta

import pytest

from louise.billing.collection import collection_run
from louise.billing.models import Debit, MerchantAccount, MerchantFees
from louise.billing.returns import camt_import
from louise.billing.services import creditor_save
from louise.billing.tests.conftest import CREDITOR_IBAN, CREDITOR_ID, camt054
from louise.conftest import (
    MONDAY_MORNING,
    _shop,
    fees_set,
    make_customer,
    order_placed,
    the_town,
)
from louise.core.calendar import BERLIN
from louise.web.conftest import signed_in

ROWS = 22
DUE = date(2026, 12, 4)


@pytest.fixture
def busy_town(staff_users):
    """22 shops, each with one customer's order, and their payout accounts; the shops pay
    5 % and 10 € a month."""
    fees_set(door_cents=390)
    MerchantFees.objects.filter(town=the_town()).delete()
    MerchantFees.objects.create(town=the_town(), valid_from=date(2000, 1, 1), percent_bp=500,
                                monthly_cents=1000)
    creditor_save(by=staff_users["operator"], town_id=the_town().pk, creditor_name="LOUISE",
                  creditor_id=CREDITOR_ID, iban=CREDITOR_IBAN, bic="BYLADEM1001",
                  block_after_returns=1)
    for n in range(ROWS):
        merchant, product = _shop(f"Laden {n:02d}", 51.52 + n / 10_000, 6.93)
        MerchantAccount.objects.create(merchant=merchant, holder=f"Laden {n}",
                                       iban="DE89370400440532013000")
        person, _address = make_customer(f"kunde{n:02d}")
        order_placed(person, product, now=MONDAY_MORNING)


@pytest.fixture
def operator_client(busy_town):
    return signed_in("operator")


def test_collection_run_and_its_pages(operator_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        response = operator_client.post("/betrieb/geld/einzug/", {"due": DUE.isoformat()})
    assert response.status_code == 302
    run = Debit.objects.first().run
    assert run.count == ROWS
    with django_assert_max_num_queries(15):
        page = operator_client.get(f"/betrieb/geld/einzug/{run.pk}/")
    assert page.content.decode().count("Rücklastschrift buchen") == ROWS
    with django_assert_max_num_queries(15):
        operator_client.get("/betrieb/geld/einzug/")


def test_returns_page_with_every_debit_returned(operator_client, django_assert_max_num_queries):
    run = collection_run(town_id=the_town().pk, due=DUE, now=MONDAY_MORNING + timedelta(hours=1))
    camt_import(town_id=the_town().pk,
                content=camt054(*[(d.end_to_end_id, "AC04") for d in run.debits.all()]))
    with django_assert_max_num_queries(16):
        page = operator_client.get("/betrieb/geld/ruecklastschriften/").content.decode()
    assert page.count("AC04") == ROWS
    assert page.count("Freigeben") == ROWS  # each blocked after one return


def test_month_close_and_the_statements_page(busy_town, django_assert_max_num_queries,
                                             time_machine):
    collection_run(town_id=the_town().pk, due=DUE, now=MONDAY_MORNING + timedelta(hours=1))
    time_machine.move_to(datetime(2027, 1, 4, 10, tzinfo=BERLIN), tick=False)
    operator_client = signed_in("operator")
    with django_assert_max_num_queries(12 + 2 * ROWS):  # each invoice and statement: its row
        response = operator_client.post("/betrieb/geld/abrechnungen/",
                                        {"month": "2026-12-01"})
    assert response["Location"] == "/betrieb/geld/abrechnungen/"
    with django_assert_max_num_queries(15):
        page = operator_client.get("/betrieb/geld/abrechnungen/").content.decode()
    assert page.count("RE-") >= 2 * ROWS  # each statement's invoice and the invoice list


def test_fees_page_with_a_schedule_per_shop(operator_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        operator_client.get("/betrieb/geld/")
