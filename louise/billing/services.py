"""Writes for billing."""

import secrets

from django.db import transaction
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from louise.accounts.models import User
from louise.core.errors import Invalid
from louise.core.validation import save_validated

from .models import SepaMandate


@transaction.atomic
def mandate_create(*, customer: User, holder: str, iban: str) -> SepaMandate:
    """Record a customer's mandate; the IBAN is checked (checksum, country format, bank code).
    A new mandate replaces the customer's valid one (a new account); the old one stays on
    record for the orders it paid."""
    try:
        parsed = IBAN(iban)
    except SchwiftyException as exc:
        raise Invalid(f"Die IBAN ist ungültig: {exc}", field="iban", code="bad_iban") from exc
    if not holder.strip():
        raise Invalid("Bitte den Namen des Kontoinhabers angeben.", field="holder")
    bic = parsed.bic
    SepaMandate.objects.filter(customer=customer, active=True).update(active=False)
    mandate = SepaMandate(
        customer=customer, holder=holder.strip(), iban=parsed.compact,
        bic=str(bic) if bic else "", reference=f"LOUISE-{secrets.token_hex(8).upper()}",
    )
    return save_validated(mandate)
