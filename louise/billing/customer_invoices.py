"""Invoices for customers who pay by invoice instead of by SEPA direct debit.

Once a month (or whenever the operator presses the button) each such customer's open
ledger entries of the town, netted as a collection run nets them, become one invoice: a
PDF with one line per entry, numbered without gaps per town and year in its own series.
The entries are marked as invoiced, so neither a collection run nor the next invoice
takes them again; credits larger than the charges stay open for the next invoice.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from louise.accounts.models import User
from louise.core.calendar import BERLIN
from louise.core.money import euro_text
from louise.geo.models import Town
from louise.geo.towns import town_managed

from .collection import billing_settings_of
from .invoices import next_number, pdf_of_rows
from .ledger import open_by_customer
from .models import BillingSettings, CustomerInvoice, InvoicedEntry, InvoicePayer, LedgerEntry
from .notifications import postal_address

PAYMENT_DAYS = 14


def _line(entry: LedgerEntry) -> str:
    order = f" {entry.order.number}" if entry.order is not None else ""
    return (f"{entry.at.astimezone(BERLIN):%d.%m.%Y} {entry.get_kind_display()}{order}: "
            f"{euro_text(entry.amount_cents)}")


def _pdf(invoice: CustomerInvoice, creditor: BillingSettings, customer: User,
         entries: list[LedgerEntry]) -> bytes:
    rows = [(f"Rechnung {invoice.label}", 14), (creditor.creditor_name, 10),
            (creditor.address, 10), ("", 10)]
    rows += [(line, 10) for line in postal_address(customer)]
    rows += [("", 10), (f"Rechnungsdatum: {invoice.issued_on:%d.%m.%Y}", 10), ("", 10)]
    rows += [(_line(entry), 10) for entry in entries]
    rows += [("", 10), (f"Gesamt (inkl. USt.): {euro_text(invoice.total_cents)}", 12),
             (f"Bitte überweisen Sie den Betrag bis zum {invoice.due_on:%d.%m.%Y} an "
              f"{creditor.creditor_name}, IBAN {creditor.iban},", 9),
             (f"Verwendungszweck {invoice.label}.", 9)]
    return pdf_of_rows(invoice.label, rows)


def customer_invoices_issue(*, town_id: int, by: User | None = None,
                            now: datetime | None = None) -> list[CustomerInvoice]:
    """One invoice per customer of the town who pays by invoice and owes something now.
    `by` is the operator pressing the console's button (checked for the town)."""
    now = now or timezone.now()
    with transaction.atomic():
        # The town row is the lock: numbers are drawn one after the other.
        town = (town_managed(by=by, pk=town_id) if by is not None
                else Town.objects.select_for_update().get(pk=town_id))
        creditor = billing_settings_of(town)
        by_customer = open_by_customer(
            town.pk, now, customers=InvoicePayer.objects.values("customer_id"))
        today = now.astimezone(BERLIN).date()
        number = next_number(CustomerInvoice, town, today.year)
        issued = []
        for entries in by_customer.values():
            total = sum(entry.amount_cents for entry in entries)
            customer = entries[0].customer
            if total <= 0 or customer is None:
                continue
            invoice = CustomerInvoice(town=town, customer=customer, year=today.year,
                                      number=number, issued_on=today, total_cents=total,
                                      due_on=today + timedelta(days=PAYMENT_DAYS))
            invoice.pdf = _pdf(invoice, creditor, customer, entries)
            invoice.save()
            number += 1
            InvoicedEntry.objects.bulk_create(InvoicedEntry(invoice=invoice, entry=entry)
                                              for entry in entries)
            issued.append(invoice)
    return issued
