"""A month of money, end to end: orders, a cancellation, a failed delivery and an accepted
quote → the ledger → a collection file that matches it (pain.008 XSD) → a camt.054 return
re-opens one debit → the month's statements, invoices (Factur-X, its XML checked against
the schema) and payout file (pain.001 XSD)."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from facturx import get_xml_from_pdf, xml_check_xsd
from pypdf import PdfReader

from louise.billing.collection import collection_run
from louise.billing.fees import Span, merchant_fees_create
from louise.billing.invoices import invoice_cancel
from louise.billing.ledger import open_entries
from louise.billing.models import AppendOnly, Invoice, LedgerEntry, MerchantAccount
from louise.billing.returns import camt_import
from louise.billing.tests.conftest import camt054, sepa, xsd_valid
from louise.core.errors import Forbidden, Invalid
from louise.orders.lifecycle import order_transition
from louise.orders.quotes import quote_accept, service_inspect, service_intake
from louise.orders.services import order_accept, order_cancel, order_mark_ready
from louise.reports.statements import month_close

from ...conftest import MONDAY_MORNING, fees_set, order_placed, service_booked, the_town

DECEMBER = date(2026, 12, 1)
NEW_YEAR = date(2027, 1, 4)


def ledger_sum(**filters) -> int:
    return sum(LedgerEntry.objects.filter(**filters).values_list("amount_cents", flat=True))


@pytest.fixture
def month(shop, other_shop, customer, other_customer, creditor, operator):
    """November's orders, collected on 4 December."""
    town = the_town()
    fees_set(door_cents=390, service_cents=590)
    merchant_fees_create(by=operator, town_id=town.pk, today=date(2026, 1, 1),
                         span=Span(date(2026, 2, 1), None), percent_bp=500,
                         per_order_cents=20, per_parcel_cents=10, monthly_cents=1000)
    for tag, s in (("eins", shop), ("zwei", other_shop)):
        MerchantAccount.objects.create(merchant=s["merchant"], holder=f"Laden {tag}",
                                       iban="DE89370400440532013000", vat_id="DE123456789")
    anna, ben = customer[0], other_customer[0]
    order_placed(anna, shop["product"], 2, now=MONDAY_MORNING)                   # 30 + 3,90
    other = order_placed(ben, other_shop["product"], now=MONDAY_MORNING)         # 15 + 3,90
    cancelled = order_placed(ben, shop["product"], now=MONDAY_MORNING)
    order_cancel(order_number=cancelled.number, by=ben)                          # 0
    staff = other_shop["staff"]
    order_accept(order_number=other.number, by=staff, now=MONDAY_MORNING)
    order_mark_ready(order_number=other.number, by=staff, now=MONDAY_MORNING)
    other.refresh_from_db()
    for event in ("collect", "dispatch", "fail", "retry", "deliver"):
        order_transition(other, event, now=MONDAY_MORNING)                       # − 3,90
    repair = service_booked(anna, shop["service"], customer[1], now=MONDAY_MORNING)
    order_accept(order_number=repair.number, by=shop["staff"], now=MONDAY_MORNING)
    repair.refresh_from_db()
    order_transition(repair, "pick_up_item", now=MONDAY_MORNING)
    service_intake(order_number=repair.number, by=shop["staff"])
    service_inspect(order_number=repair.number, by=shop["staff"], findings="Rücken lose",
                    quote_cents=2500)
    with time_machine.travel(MONDAY_MORNING + timedelta(hours=1), tick=False):
        quote_accept(order_number=repair.number, by=anna)                         # 25 + 5,90
    run = collection_run(town_id=town.pk, due=date(2026, 12, 4),
                         now=MONDAY_MORNING + timedelta(hours=2))
    return {"run": run, "anna": anna, "ben": ben}


def bens_debit_returned(month: dict) -> None:
    """Ben's bank returns his debit: his charges are open again, Anna's stay collected."""
    camt_import(town_id=the_town().pk, content=camt054(
        (month["run"].debits.get(customer=month["ben"]).end_to_end_id, "MD06")))


def test_a_month_from_orders_to_payout(month, shop, other_shop, operator):
    town = the_town()
    run = month["run"]
    # the collection file matches the ledger and the schema
    document = xsd_valid(run.xml, "pain.008.001.02")
    assert ledger_sum() == 3000 + 390 + 1500 + 2500 + 590 == run.total_cents
    assert sepa(document, "//s:GrpHdr/s:CtrlSum/text()") == ["79.80"]
    assert sepa(document, "//s:GrpHdr/s:NbOfTxs/text()") == ["2"] and run.count == 2
    assert sorted(d.amount_cents for d in run.debits.all()) == [1500, 3000 + 390 + 2500 + 590]
    assert not open_entries(town.pk).exists()
    bens_debit_returned(month)
    assert sum(open_entries(town.pk).values_list("amount_cents", flat=True)) == 1500
    # the month's statements: goods collected for each shop, minus its fees
    statements, payout = month_close(by=operator, town_id=town.pk, month=DECEMBER,
                                     today=NEW_YEAR)
    by_shop = {s.merchant: s for s in statements}
    assert set(by_shop) == {shop["merchant"], other_shop["merchant"]}
    mine = by_shop[shop["merchant"]]
    assert mine.goods_cents == 3000 + 2500 == ledger_sum(
        merchant=shop["merchant"], debit_lines__standing=True)
    # 5 % of 55 € + 2 orders × 0,20 + 2 parcels × 0,10 + 10 € flat = 13,35 € net, 15,89 € gross
    assert [f["net_cents"] for f in mine.fees] == [275, 40, 20, 1000]
    assert (mine.fees_gross_cents, mine.payout_cents) == (1589, 5500 - 1589)
    theirs = by_shop[other_shop["merchant"]]  # Ben's goods came back: only the flat fee
    assert (theirs.goods_cents, theirs.fees_gross_cents) == (0, 1190)
    assert sum(s.goods_cents for s in statements) == ledger_sum(
        merchant__isnull=False, debit_lines__standing=True)
    assert sum(s.payout_cents for s in statements) == (
        sum(s.goods_cents for s in statements) - sum(s.fees_gross_cents for s in statements))
    # payouts: only the positive one, in a valid pain.001
    transfer = xsd_valid(payout.xml, "pain.001.001.03")
    assert sepa(transfer, "//s:GrpHdr/s:CtrlSum/text()") == ["39.11"]
    # invoices: numbered 1, 2; a PDF with an EN 16931 XML that the schema accepts
    assert list(Invoice.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
    xml_name, xml = get_xml_from_pdf(bytes(mine.invoice.pdf), check_xsd=False)
    assert xml_name == "factur-x.xml"
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert b"<ram:GrandTotalAmount>15.89</ram:GrandTotalAmount>" in xml
    text = PdfReader(io.BytesIO(bytes(mine.invoice.pdf))).pages[0].extract_text()
    assert "Gesamt: 15,89" in text
    # closing again changes nothing; a wrong invoice is cancelled by a credit note
    again, _payout = month_close(by=operator, town_id=town.pk, month=DECEMBER, today=NEW_YEAR)
    assert {s.pk for s in again} == {s.pk for s in statements}
    note = invoice_cancel(by=operator, invoice_id=mine.invoice.pk, issued_on=NEW_YEAR)
    assert (note.number, note.net_cents, note.cancels) == (3, -1335, mine.invoice)
    _name, note_xml = get_xml_from_pdf(bytes(note.pdf), check_xsd=False)
    assert xml_check_xsd(note_xml, flavor="factur-x", level="en16931")
    assert b"<ram:TypeCode>381</ram:TypeCode>" in note_xml
    mine.invoice.net_cents = 0
    with pytest.raises(AppendOnly):
        mine.invoice.save()


def test_a_month_not_over_is_not_closed(month, operator):
    with pytest.raises(Invalid, match="noch nicht zu Ende"):
        month_close(by=operator, town_id=the_town().pk, month=DECEMBER,
                    today=date(2026, 12, 31))


def test_a_shop_owner_cannot_close_a_month(month, shop):
    with pytest.raises(Forbidden):
        month_close(by=shop["staff"], town_id=the_town().pk, month=DECEMBER, today=NEW_YEAR)


def test_a_negative_month_is_carried_into_the_next_statement_not_paid(
        month, shop, other_shop, operator):
    """December: the second shop's goods came back, its flat fee leaves it at −11,90 €. No
    transfer; January's statement starts with that balance, and pays only what is left."""
    town = the_town()
    bens_debit_returned(month)
    december, _payout = month_close(by=operator, town_id=town.pk, month=DECEMBER,
                                    today=NEW_YEAR)
    theirs = next(s for s in december if s.merchant == other_shop["merchant"])
    assert (theirs.payout_cents, theirs.carried_cents) == (-1190, 0)
    # January: Ben's returned debit is collected again, and Anna buys there twice
    january_morning = MONDAY_MORNING + timedelta(days=35)  # Monday, 4 January 2027
    order_placed(month["anna"], other_shop["product"], 2, now=january_morning)
    collection_run(town_id=town.pk, due=date(2027, 1, 8),
                   now=january_morning + timedelta(hours=1))
    statements, payout = month_close(by=operator, town_id=town.pk, month=date(2027, 1, 1),
                                     today=date(2027, 2, 1))
    again = next(s for s in statements if s.merchant == other_shop["merchant"])
    assert again.goods_cents == 1500 + 2 * 1500
    assert again.carried_cents == -1190
    assert again.payout_cents == again.goods_cents - again.fees_gross_cents - 1190 > 0
    # the shop that was positive in December carries nothing; its January is only the flat
    # fee, so it is carried on in turn, and no transfer pays a negative amount
    mine = next(s for s in statements if s.merchant == shop["merchant"])
    assert (mine.carried_cents, mine.payout_cents) == (0, -1190)
    transfer = xsd_valid(payout.xml, "pain.001.001.03")
    assert sepa(transfer, "//s:GrpHdr/s:NbOfTxs/text()") == ["1"]
    assert payout.total_cents == again.payout_cents


def test_a_month_before_a_closed_one_is_refused(month, operator):
    month_close(by=operator, town_id=the_town().pk, month=DECEMBER, today=NEW_YEAR)
    with pytest.raises(Invalid, match="12/2026 ist schon abgerechnet"):
        month_close(by=operator, town_id=the_town().pk, month=date(2026, 11, 1),
                    today=NEW_YEAR)
