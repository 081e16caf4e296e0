"""Paying shops out: one SEPA credit transfer file (pain.001.001.03) per town and month from
the month's statements; made once (a second call answers with it)."""

from datetime import date

from django.db import transaction
from sepaxml import SepaTransfer

from louise.geo.models import Town

from .collection import billing_settings_of
from .models import MerchantAccount, PayoutRun, Statement

SCHEMA = "pain.001.001.03"


def payout_run(*, town: Town, month: date, execute_on: date) -> PayoutRun:
    """The transfers of the month's positive payouts to the shops' accounts (a negative one
    is carried into the shop's next statement; a shop without an account is left out and
    named in the console). Call with the town's row locked."""
    if (existing := PayoutRun.objects.filter(town=town, month=month).first()) is not None:
        return existing
    creditor = billing_settings_of(town)
    sepa = SepaTransfer({"name": creditor.creditor_name, "IBAN": creditor.iban,
                         "BIC": creditor.bic, "batch": True, "currency": "EUR"}, schema=SCHEMA)
    total = count = 0
    statements = Statement.objects.filter(town=town, month=month, payout_cents__gt=0)
    accounts = {a.merchant_id: a for a in MerchantAccount.objects.filter(
        merchant__in=statements.values("merchant"))}
    for statement in statements.order_by("merchant_id"):
        account = accounts.get(statement.merchant_id)
        if account is None:
            continue
        payment = {"name": account.holder, "IBAN": account.iban,
                   "amount": statement.payout_cents, "execution_date": execute_on,
                   "description": f"LOUISE Auszahlung {month:%m/%Y}",
                   "endtoend_id": f"P{town.pk}-{month:%Y%m}-{statement.merchant_id}"}
        if account.bic:
            payment["BIC"] = account.bic
        sepa.add_payment(payment)
        total, count = total + statement.payout_cents, count + 1
    xml = sepa.export(validate=True).decode() if count else ""
    with transaction.atomic():
        return PayoutRun.objects.create(town=town, month=month, xml=xml, total_cents=total,
                                        count=count)
