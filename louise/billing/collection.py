"""Collection runs: a town's open ledger entries, netted per customer, become one SEPA
direct-debit file (pain.008.001.02) for a due date.

A run is made once per town and due date (a unique row); runs of one town wait for each
other on the town's row lock, and an entry can stand in only one debit at a time (a
database constraint), so neither a second run for the same date nor two runs started at
once debit a charge twice. Credits larger than a customer's charges stay open and are set
off against the next run.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from sepaxml import SepaDD

from louise.accounts.models import User
from louise.core.calendar import BERLIN
from louise.core.errors import Invalid
from louise.geo.models import Town
from louise.geo.towns import town_managed

from .ledger import open_by_customer
from .models import BillingSettings, CollectionRun, Debit, DebitLine, LedgerEntry, SepaMandate
from .notifications import prenotice_queue
from .selectors import invoice_payers, mandates_active

SCHEMA = "pain.008.001.02"


def billing_settings_of(town: Town) -> BillingSettings:
    found = BillingSettings.objects.filter(town=town).first()
    if found is None:
        raise Invalid(f"Für {town.name} ist noch kein SEPA-Gläubiger eingerichtet (Betrieb → "
                      "Geld → Gläubiger).", code="no_creditor")
    return found


@dataclass(frozen=True)
class _Due:
    customer: User
    mandate: SepaMandate
    entries: list[LedgerEntry]

    @property
    def amount_cents(self) -> int:
        return sum(entry.amount_cents for entry in self.entries)


def _dues(town: Town, now: datetime) -> list[_Due]:
    """Per customer with a valid mandate, the open charges booked so far and every open
    credit (a credit is set off as soon as there is one), if they add up to something owed.
    A customer who pays by invoice is left out: their entries go on their invoice."""
    by_customer = open_by_customer(town.pk, now)
    mandates, invoiced = mandates_active(by_customer), invoice_payers(by_customer)
    dues = []
    for customer_id, entries in by_customer.items():
        customer = entries[0].customer
        assert customer is not None
        mandate = mandates.get(customer_id)
        if (mandate is not None and sum(e.amount_cents for e in entries) > 0
                and customer_id not in invoiced):
            dues.append(_Due(customer, mandate, entries))
    return dues


def _sepa_file(creditor: BillingSettings, run: CollectionRun, debits: list[Debit]) -> str:
    """The pain.008.001.02 document, validated against its schema by `sepaxml`."""
    sepa = SepaDD({"name": creditor.creditor_name, "IBAN": creditor.iban, "BIC": creditor.bic,
                   "batch": True, "creditor_id": creditor.creditor_id, "currency": "EUR"},
                  schema=SCHEMA)
    sepa.msg_id = run.message_id
    for debit in debits:
        mandate = debit.mandate
        assert mandate is not None  # the debit was just made with it
        payment = {"name": mandate.holder, "IBAN": mandate.iban, "amount": debit.amount_cents,
                   "type": debit.sequence, "collection_date": run.due,
                   "mandate_id": mandate.reference,
                   "mandate_date": mandate.signed_at.astimezone(BERLIN).date(),
                   "description": f"LOUISE {creditor.town.name} Einkaeufe bis "
                                  f"{run.created_at.astimezone(BERLIN):%d.%m.%Y}",
                   "endtoend_id": debit.end_to_end_id}
        if mandate.bic:
            payment["BIC"] = mandate.bic
        sepa.add_payment(payment)
    return sepa.export(validate=True).decode()


def collection_run(*, town_id: int, due: date, by: User | None = None,
                   now: datetime | None = None) -> CollectionRun:
    """The town's run for `due`: made now if there is none, else the one made before. `by`
    is the operator pressing the console's button (checked for the town); the command line
    (`louise billing collect`) runs as the system."""
    now = now or timezone.now()
    with transaction.atomic():
        # The town row is the run's lock: runs of one town happen one after the other.
        town = (town_managed(by=by, pk=town_id) if by is not None
                else Town.objects.select_for_update().get(pk=town_id))
        if (existing := CollectionRun.objects.filter(town=town, due=due).first()) is not None:
            return existing
        creditor = billing_settings_of(town)
        today = now.astimezone(BERLIN).date()
        earliest = today + timedelta(days=creditor.notice_days)
        if due < earliest:
            raise Invalid(f"Die Fälligkeit muss wegen der Vorabankündigung "
                          f"({creditor.notice_days} Tag(e)) frühestens am "
                          f"{earliest:%d.%m.%Y} sein.", field="due", code="due_too_early")
        dues = _dues(town, now)
        if not dues:
            raise Invalid(f"In {town.name} ist nichts offen, das eingezogen werden kann.",
                          code="nothing_due")
        run = CollectionRun.objects.create(
            town=town, due=due, created_at=now, created_by=by,
            message_id=f"LOUISE-{town.pk}-{due:%Y%m%d}-{now:%H%M%S}")
        used = set(Debit.objects.filter(mandate__in=[owed.mandate for owed in dues])
                   .values_list("mandate_id", flat=True))
        debits = Debit.objects.bulk_create(
            Debit(run=run, customer=owed.customer, mandate=owed.mandate,
                  end_to_end_id=f"L{run.pk}-{n}-{owed.customer.pk}",
                  sequence="RCUR" if owed.mandate.pk in used else "FRST",
                  amount_cents=owed.amount_cents)
            for n, owed in enumerate(dues, start=1))
        DebitLine.objects.bulk_create(DebitLine(debit=debit, entry=entry)
                                      for debit, owed in zip(debits, dues, strict=True)
                                      for entry in owed.entries)
        run.xml = _sepa_file(creditor, run, debits)
        run.total_cents = sum(d.amount_cents for d in debits)
        run.count = len(debits)
        run.save(update_fields=["xml", "total_cents", "count"])
        prenotice_queue(run, creditor, today)
    return run
