"""Reads for billing."""

from collections.abc import Iterable

from django.db.models import QuerySet

from louise.accounts.access import require_shop_owner
from louise.accounts.models import User
from louise.core.errors import NotFound
from louise.geo.models import Town

from .models import (
    CollectionRun,
    CustomerFees,
    CustomerInvoice,
    Debit,
    DebitStatus,
    Invoice,
    InvoicePayer,
    MerchantFees,
    PayoutRun,
    SepaMandate,
    Statement,
)


def mandate_active(*, customer: User) -> SepaMandate | None:
    return SepaMandate.objects.filter(customer=customer, active=True).order_by("-signed_at").first()


def mandates_active(customer_ids: Iterable[int]) -> dict[int, SepaMandate]:
    """`mandate_active` of many customers in one query (a collection run's)."""
    found: dict[int, SepaMandate] = {}
    for mandate in SepaMandate.objects.filter(customer_id__in=list(customer_ids), active=True
                                              ).order_by("signed_at"):
        found[mandate.customer_id] = mandate  # the latest wins
    return found


def pays_by_invoice(customer: User) -> bool:
    """The operator or the hotline lets this customer pay by invoice (`billing.services
    .invoice_payment_set`)."""
    return InvoicePayer.objects.filter(customer=customer).exists()


def invoice_payers(customer_ids: Iterable[int]) -> set[int]:
    """`pays_by_invoice` of many customers in one query (a collection run's)."""
    return set(InvoicePayer.objects.filter(customer_id__in=list(customer_ids))
               .values_list("customer_id", flat=True))


# The console's lists of one town (the caller has checked the operator works for it, through
# `geo.selectors.town_for`).

def fees_of(town: Town) -> tuple[QuerySet[CustomerFees], QuerySet[MerchantFees]]:
    return (CustomerFees.objects.filter(town=town).order_by("-valid_from"),
            MerchantFees.objects.filter(town=town).select_related("merchant")
            .order_by("merchant__name", "-valid_from"))


def runs_of(town: Town) -> QuerySet[CollectionRun]:
    return CollectionRun.objects.filter(town=town).order_by("-due")


def run_of(town: Town, run_id: int) -> CollectionRun:
    run = CollectionRun.objects.filter(town=town, pk=run_id).first()
    if run is None:
        raise NotFound("Diesen Einzugslauf gibt es nicht.")
    return run


def returns_of(town: Town) -> QuerySet[Debit]:
    return (Debit.objects.filter(run__town=town, status=DebitStatus.RETURNED)
            .select_related("customer", "run").order_by("-returned_at"))


# Lists leave the invoices' PDFs in the database; only a download reads one.

def statements_of(town: Town) -> QuerySet[Statement]:
    return (Statement.objects.filter(town=town).select_related("merchant", "invoice")
            .defer("invoice__pdf").order_by("-month", "merchant__name"))


def invoices_of(town: Town) -> QuerySet[Invoice]:
    """With the document each one cancels or is cancelled by (the list offers a cancel
    button only for invoices neither)."""
    return (Invoice.objects.filter(town=town)
            .select_related("merchant", "cancels", "credit_note")
            .defer("pdf", "cancels__pdf", "credit_note__pdf").order_by("-year", "-number"))


def customer_invoices_of(town: Town) -> QuerySet[CustomerInvoice]:
    return (CustomerInvoice.objects.filter(town=town).select_related("customer")
            .order_by("-year", "-number"))


def customer_invoice_of(town: Town, invoice_id: int) -> CustomerInvoice:
    invoice = CustomerInvoice.objects.filter(town=town, pk=invoice_id).first()
    if invoice is None:
        raise NotFound("Diese Rechnung gibt es nicht.")
    return invoice


def invoices_of_customer(customer: User) -> QuerySet[CustomerInvoice]:
    """A customer's own invoices (they pay by invoice), newest first."""
    return CustomerInvoice.objects.filter(customer=customer).order_by("-issued_on", "-pk")


def invoice_of(town: Town, invoice_id: int) -> Invoice:
    invoice = Invoice.objects.filter(town=town, pk=invoice_id).first()
    if invoice is None:
        raise NotFound("Diese Rechnung gibt es nicht.")
    return invoice


def payout_of(town: Town, payout_id: int) -> PayoutRun:
    payout = PayoutRun.objects.filter(town=town, pk=payout_id).first()
    if payout is None:
        raise NotFound("Diesen Auszahlungslauf gibt es nicht.")
    return payout


def payouts_of(town: Town) -> QuerySet[PayoutRun]:
    return PayoutRun.objects.filter(town=town).order_by("-month")


def statements_for_shop(user: User) -> QuerySet[Statement]:
    """The shop's own statements, for its owner (staff at the counter see no money)."""
    require_shop_owner(user)
    return (Statement.objects.filter(merchant=user.merchant)
            .select_related("invoice").defer("invoice__pdf").order_by("-month"))


def invoices_for_shop(user: User) -> QuerySet[Invoice]:
    require_shop_owner(user)
    return (Invoice.objects.filter(merchant=user.merchant).select_related("cancels")
            .order_by("-year", "-number"))


def invoice_for_shop(user: User, invoice_id: int) -> Invoice:
    invoice = invoices_for_shop(user).filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound("Diese Rechnung gibt es nicht.")
    return invoice
