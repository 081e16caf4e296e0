"""The pre-notification of a direct debit: amount, due date, mandate reference and creditor
id, mailed to each customer of a run the agreed number of days before the due date (the
town's `BillingSettings.notice_days`; the mandate text names it).

A run is usually made earlier than that: the nightly `louise billing prenotify` then sends
each notice once its day has come. A run made within the notice period (at the latest
possible day, `collection_run` refuses later ones) sends its notices at once. Each debit is
notified once: the send claims it first, so a retried task or two timers at once mail it
one time.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from louise.core.logs import logged_failure
from louise.core.mail import mail_send
from louise.core.money import euro_text
from louise.geo.models import Town

from .models import BillingSettings, CollectionRun, Debit, DebitStatus

NOTHING = "nothing to send"  # what a send that mailed nothing answers


@task
@logged_failure
def prenotice_send(debit_id: int) -> str:
    """Mail one pre-notification, once: the debit is claimed before the mail goes, and
    released again if the mail fails (the next night tries again)."""
    debit = Debit.objects.select_related("run__town", "mandate", "customer").get(pk=debit_id)
    if debit.customer is None or not debit.customer.email:
        return NOTHING
    if not Debit.objects.filter(pk=debit.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()):
        return NOTHING
    creditor = BillingSettings.objects.get(town=debit.run.town)
    context = {"debit": debit, "creditor": creditor, "customer": debit.customer,
               "amount": euro_text(debit.amount_cents)}
    subject = f"Ankündigung Ihrer SEPA-Lastschrift zum {debit.run.due:%d.%m.%Y}"
    try:
        mail_send(subject=subject, to=[debit.customer.email],
                  body=render_to_string("billing/email/prenotice.txt", context))
    except Exception:
        Debit.objects.filter(pk=debit.pk).update(notified_at=None)
        raise
    return subject


def prenotices_due(creditor: BillingSettings, today: date,
                   days: int | None = None) -> QuerySet[Debit]:
    """The town's standing debits not yet notified whose notice day has come: due within
    `days` (the town's notice period unless given) from `today`, or overdue (a night the
    timer missed: late is better than never)."""
    # never later than the notice period the mandate text promises
    window = creditor.notice_days if days is None else max(days, creditor.notice_days)
    return Debit.objects.filter(run__town_id=creditor.town_id, status=DebitStatus.SUBMITTED,
                                notified_at__isnull=True,
                                run__due__lte=today + timedelta(days=window)).order_by("pk")


def prenotify(*, today: date, days: int | None = None, town: Town | None = None) -> int:
    """The nightly timer (`louise billing prenotify`): mail every pre-notification due, in
    every town with a creditor or in `town`; the number mailed."""
    creditors = BillingSettings.objects.all()
    if town is not None:
        creditors = creditors.filter(town=town)
    sent = 0
    for creditor in creditors:
        for debit_id in prenotices_due(creditor, today, days).values_list("pk", flat=True):
            try:
                sent += prenotice_send.call(debit_id) != NOTHING
            except Exception:  # logged and released by `prenotice_send`: tried again
                continue       # tomorrow, and the other customers still get theirs tonight
    return sent


def prenotice_queue(run: CollectionRun, creditor: BillingSettings, today: date) -> None:
    """A new run's notices whose day has already come go out once it is committed."""
    ids = list(prenotices_due(creditor, today).filter(run=run).values_list("pk", flat=True))
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
