"""Writes for billing."""

import secrets

from django.db import transaction
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu import at_02
from stdnum.exceptions import ValidationError

from louise.accounts.audit import audit_record, snapshot
from louise.accounts.models import User
from louise.catalog.models import Merchant
from louise.core.errors import Invalid, NotFound
from louise.core.validation import save_validated
from louise.geo.towns import town_managed

from .models import BillingSettings, InvoicePayer, MerchantAccount, SepaMandate


def iban_parse(iban: str) -> IBAN:
    """An IBAN checked (checksum, country format, bank code), or the reason it is none."""
    try:
        return IBAN(iban)
    except SchwiftyException as exc:
        raise Invalid(f"Die IBAN ist ungültig: {exc}", field="iban", code="bad_iban") from exc


@transaction.atomic
def mandate_create(*, customer: User, holder: str, iban: str) -> SepaMandate:
    """Record a customer's mandate; the IBAN is checked (checksum, country format, bank code).
    A new mandate replaces the customer's valid one (a new account); the old one stays on
    record for the orders it paid."""
    parsed = iban_parse(iban)
    if not holder.strip():
        raise Invalid("Bitte den Namen des Kontoinhabers angeben.", field="holder")
    bic = parsed.bic
    SepaMandate.objects.filter(customer=customer, active=True).update(active=False)
    mandate = SepaMandate(
        customer=customer, holder=holder.strip(), iban=parsed.compact,
        bic=str(bic) if bic else "", reference=f"LOUISE-{secrets.token_hex(8).upper()}",
    )
    return save_validated(mandate)


@transaction.atomic
def creditor_save(*, by: User, town_id: int, creditor_name: str, creditor_id: str, iban: str,
                  bic: str, notice_days: int = 1, block_after_returns: int = 2,
                  vat_id: str = "", address: str = "") -> BillingSettings:
    """The town's SEPA creditor (name, creditor identifier, account) and dunning rules, set
    by its operator; every value is checked before anything is stored."""
    town = town_managed(by=by, pk=town_id)
    try:
        creditor_id = at_02.validate(creditor_id)
    except ValidationError as exc:
        raise Invalid("Die Gläubiger-Identifikationsnummer ist ungültig.",
                      field="creditor_id") from exc
    account = iban_parse(iban)
    if not creditor_name.strip():
        raise Invalid("Bitte den Namen des Gläubigers angeben.", field="creditor_name")
    if not 1 <= notice_days <= 14:
        raise Invalid("Die Vorabankündigung muss 1 bis 14 Tage vorher sein.",
                      field="notice_days")
    if not 1 <= block_after_returns <= 10:
        raise Invalid("Die Sperre muss nach 1 bis 10 Rücklastschriften greifen.",
                      field="block_after_returns")
    found = BillingSettings.objects.filter(town=town).first()
    row = found or BillingSettings(town=town)
    before = snapshot(row) if found else None
    row.creditor_name, row.creditor_id = creditor_name.strip(), creditor_id
    row.iban, row.bic = account.compact, (bic.strip().upper() or str(account.bic or ""))
    row.notice_days, row.block_after_returns = notice_days, block_after_returns
    row.vat_id, row.address = vat_id.strip().upper().replace(" ", ""), address.strip()
    save_validated(row, exclude=["town"])
    audit_record(by=by, action="geändert" if found else "angelegt", obj=row, before=before,
                 town_id=town.pk)
    return row


@transaction.atomic
def merchant_account_save(*, by: User, merchant_id: int, holder: str, iban: str,
                          vat_id: str = "") -> MerchantAccount:
    """Where a shop's payouts go, set by the operator of its town (audited)."""
    merchant = Merchant.objects.filter(pk=merchant_id).first()
    if merchant is None:
        raise NotFound("Dieses Geschäft gibt es nicht.")
    town_managed(by=by, pk=merchant.town_id)
    account = iban_parse(iban)
    if not holder.strip():
        raise Invalid("Bitte den Namen des Kontoinhabers angeben.", field="holder")
    found = MerchantAccount.objects.filter(merchant=merchant).first()
    row = found or MerchantAccount(merchant=merchant)
    before = snapshot(row) if found else None
    row.holder, row.iban = holder.strip()[:70], account.compact
    row.bic = str(account.bic or "")
    row.vat_id = vat_id.strip().upper().replace(" ", "")
    save_validated(row, exclude=["merchant"])
    audit_record(by=by, action="geändert" if found else "angelegt", obj=row,
                 before=before, town_id=merchant.town_id)
    return row


def invoice_payment_set(*, by: User, customer: User, allowed: bool, town_id: int) -> bool:
    """Let a customer pay by invoice (no SEPA mandate needed to order; their charges stay
    out of the collection runs and go on an invoice), or take it back; audited. The caller
    has checked that `by` may decide for this customer (`hotline.services`)."""
    if allowed:
        _row, changed = InvoicePayer.objects.get_or_create(customer=customer,
                                                           defaults={"allowed_by": by})
    else:
        changed = InvoicePayer.objects.filter(customer=customer).delete()[0] > 0
    if changed:
        audit_record(by=by, action="Rechnung erlaubt" if allowed else "Rechnung entzogen",
                     obj=customer, town_id=town_id)
    return changed
