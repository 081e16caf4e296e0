"""The town's operator collects the money in a real browser: sets up the creditor, makes a
collection run with the button (amounts in German), imports the bank's camt.054 (a file of
another account is refused with its reason), and sees the return listed."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from louise.billing.models import Debit, DebitStatus
from louise.billing.tests.conftest import CREDITOR_IBAN, CREDITOR_ID, camt054
from louise.conftest import MONDAY_MORNING, fees_set, order_placed
from louise.web.conftest import DESKTOP, screenshot, sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_operator_collects_and_books_a_return(page, staff_users, shop, customer, tmp_path):
    # given a customer's order of 33,90 €
    fees_set(door_cents=390)
    order_placed(customer[0], shop["product"], 2, now=MONDAY_MORNING)
    page.set_viewport_size(DESKTOP)
    sign_in(page, "operator", "/betrieb/")
    # when the operator sets up the creditor
    page.get_by_role("link", name="Geld: Gebühren und Gläubiger").click()
    page.get_by_label("Gläubiger (Name)").fill("LOUISE Bottrop")
    page.get_by_label("Gläubiger-Identifikationsnummer").fill(CREDITOR_ID)
    page.get_by_label("IBAN", exact=True).fill(CREDITOR_IBAN)
    page.get_by_label("BIC").fill("BYLADEM1001")
    page.get_by_role("button", name="Gläubiger speichern").click()
    expect(page.get_by_text("Gläubiger gespeichert.")).to_be_visible()
    # and makes a collection run
    page.get_by_role("link", name="Einzugsläufe").first.click()
    due = date.today() + timedelta(days=3)
    page.get_by_label("Fälligkeit").fill(due.isoformat())
    page.get_by_role("button", name="Einzugslauf erstellen").click()
    # then the run shows its one debit in German
    expect(page.locator("#run-total")).to_have_text("33,90\xa0€")
    expect(page.locator("#debits")).to_contain_text("FRST")
    screenshot(page, "operator-money-run")
    debit = Debit.objects.get()
    # when the bank's file of another account is uploaded
    page.get_by_role("link", name="Rücklastschriften").first.click()
    wrong = tmp_path / "fremd.xml"
    wrong.write_bytes(camt054((debit.end_to_end_id, "AC04"), iban="DE89370400440532013000"))
    page.get_by_label("camt.054-Datei der Bank").set_input_files(str(wrong))
    page.get_by_role("button", name="Einlesen").click()
    # then it is refused with its reason, and nothing changed
    expect(page.get_by_text("nicht das Gläubigerkonto dieser Stadt")).to_be_visible()
    assert Debit.objects.get().status == DebitStatus.SUBMITTED
    # when the right file comes
    right = tmp_path / "camt.xml"
    right.write_bytes(camt054((debit.end_to_end_id, "AC04")))
    page.get_by_label("camt.054-Datei der Bank").set_input_files(str(right))
    page.get_by_role("button", name="Einlesen").click()
    # then the return is listed with its reason and amount
    expect(page.get_by_text("1 Rücklastschrift(en) gebucht.")).to_be_visible()
    expect(page.locator("#returns")).to_contain_text("AC04")
    expect(page.locator("#returns")).to_contain_text("33,90\xa0€")
    screenshot(page, "operator-money-returns")
    assert Debit.objects.get().status == DebitStatus.RETURNED
    # and the statements page is there for the month's end
    page.get_by_role("link", name="Abrechnungen und Rechnungen").first.click()
    expect(page.get_by_role("button", name="Monat abrechnen")).to_be_visible()
