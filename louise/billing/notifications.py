"""The pre-notification of a direct debit: amount, due date, mandate reference and creditor
id, mailed to each customer of a run when the run is made, which is at least the agreed
number of days before the due date (`collection_run`)."""

from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from louise.core.logs import logged_failure
from louise.core.mail import mail_send
from louise.core.money import euro_text

from .models import BillingSettings, CollectionRun, Debit


@task
@logged_failure
def prenotice_send(debit_id: int) -> str:
    """Mail one pre-notification, once (a retried task finds it sent)."""
    debit = Debit.objects.select_related("run__town", "mandate", "customer").get(pk=debit_id)
    if debit.notified_at is not None or debit.customer is None or not debit.customer.email:
        return "nothing to send"
    creditor = BillingSettings.objects.get(town=debit.run.town)
    context = {"debit": debit, "creditor": creditor, "customer": debit.customer,
               "amount": euro_text(debit.amount_cents)}
    subject = f"Ankündigung Ihrer SEPA-Lastschrift zum {debit.run.due:%d.%m.%Y}"
    mail_send(subject=subject, to=[debit.customer.email],
              body=render_to_string("billing/email/prenotice.txt", context))
    Debit.objects.filter(pk=debit.pk).update(notified_at=timezone.now())
    return subject


def prenotice_queue(run: CollectionRun) -> None:
    ids = list(run.debits.values_list("pk", flat=True))
    transaction.on_commit(lambda: [prenotice_send.enqueue(pk) for pk in ids])


@task
@logged_failure
def return_notice_send(debit_id: int) -> str:
    """Tell the customer a debit came back, why, and that it is collected again."""
    debit = Debit.objects.select_related("run__town", "mandate", "customer").get(pk=debit_id)
    if debit.customer is None or not debit.customer.email:
        return "no recipient"
    subject = "Ihre SEPA-Lastschrift wurde zurückgegeben"
    mail_send(subject=subject, to=[debit.customer.email],
              body=render_to_string("billing/email/returned.txt", {
                  "debit": debit, "customer": debit.customer,
                  "amount": euro_text(debit.amount_cents)}))
    return subject


def return_notice_queue(debit: Debit) -> None:
    debit_id = debit.pk
    transaction.on_commit(lambda: return_notice_send.enqueue(debit_id))
