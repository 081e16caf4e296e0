"""The customer ledger: charges and credits, appended and never changed.

The orders layer books here when money becomes owed or is given back (`orders.charges`);
collection runs net a customer's open entries into one debit (`billing.collection`).
"""

from collections import defaultdict
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from .models import DebitLine, EntryKind, InvoicedEntry, LedgerEntry

CREDITS = frozenset({EntryKind.CANCELLED, EntryKind.FAILED, EntryKind.REFUSED})


def entry_book(*, town_id: int, customer_id: int, kind: str, amount_cents: int,
               order_id: int | None = None, merchant_id: int | None = None,
               at: datetime | None = None) -> LedgerEntry | None:
    """Book one charge (or a price correction, either sign) or a credit (given positive,
    stored negative); nothing for a zero amount, which owes nobody anything."""
    if amount_cents == 0 or (kind in CREDITS and amount_cents < 0):
        return None
    signed = -amount_cents if kind in CREDITS else amount_cents
    return LedgerEntry.objects.create(town_id=town_id, customer_id=customer_id, kind=kind,
                                      amount_cents=signed, order_id=order_id,
                                      merchant_id=merchant_id, at=at or timezone.now())


def open_entries(town_id: int) -> QuerySet[LedgerEntry]:
    """Entries of the town no standing debit and no customer invoice has taken: never
    collected, or returned."""
    standing = DebitLine.objects.filter(entry=OuterRef("pk"), standing=True)
    return (LedgerEntry.objects.filter(town_id=town_id).exclude(Exists(standing))
            .exclude(Exists(InvoicedEntry.objects.filter(entry=OuterRef("pk")))))


def open_by_customer(town_id: int, now: datetime, customers: QuerySet | None = None
                     ) -> dict[int, list[LedgerEntry]]:
    """Per customer (of `customers`, else all), the town's open charges booked by `now`
    and every open credit (a credit is set off as soon as there is one), oldest first:
    what a collection run debits and what a customer invoice bills."""
    rows = (open_entries(town_id).filter(Q(at__lte=now) | Q(amount_cents__lt=0),
                                         customer__isnull=False)
            .select_related("customer", "order").order_by("customer_id", "id"))
    if customers is not None:
        rows = rows.filter(customer__in=customers)
    by_customer: dict[int, list[LedgerEntry]] = defaultdict(list)
    for entry in rows:
        assert entry.customer_id is not None  # filtered above
        by_customer[entry.customer_id].append(entry)
    return by_customer


def order_balance(order_id: int, kinds: frozenset[str] | None = None, *,
                  goods: bool | None = None) -> int:
    """What an order's entries (of `kinds`; only its goods' or only its fees' entries, as
    `goods` says; else all) add up to."""
    rows = LedgerEntry.objects.filter(order_id=order_id)
    if kinds is not None:
        rows = rows.filter(kind__in=kinds)
    if goods is not None:
        rows = rows.filter(merchant__isnull=not goods)
    return rows.aggregate(s=Sum("amount_cents"))["s"] or 0


def customer_balance(customer_id: int) -> int:
    """What the customer owes (positive) or is owed (negative) that no standing debit has
    settled."""
    standing = DebitLine.objects.filter(entry=OuterRef("pk"), standing=True)
    return (LedgerEntry.objects.filter(customer_id=customer_id).exclude(Exists(standing))
            .aggregate(s=Sum("amount_cents"))["s"] or 0)
