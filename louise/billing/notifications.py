"""The pre-notification of a direct debit: amount, due date, mandate reference and creditor
id, mailed to each customer of a run the agreed number of days before the due date (the
town's `BillingSettings.notice_days`; the mandate text names it).

A run is usually made earlier than that: the nightly `louise billing prenotify` then sends
each notice once its day has come. A run made within the notice period (at the latest
possible day, `collection_run` refuses later ones) sends its notices at once. Each debit is
notified once: the send claims it first, so a retried task or two timers at once mail it
one time.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from louise.accounts.access import require_role
from louise.accounts.audit import audit_record
from louise.accounts.models import Role, User
from louise.core.errors import Conflict, NotFound
from louise.core.logs import logged_failure
from louise.core.mail import mail_send
from louise.core.money import euro_text
from louise.geo.models import Town
from louise.geo.towns import town_managed

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
    subject = _prenotice_subject(debit)
    try:
        mail_send(subject=subject, to=[debit.customer.email],
                  body=_prenotice_text(debit, creditor))
    except Exception:
        Debit.objects.filter(pk=debit.pk).update(notified_at=None)
        raise
    return subject


def _prenotice_subject(debit: Debit) -> str:
    return f"Ankündigung Ihrer SEPA-Lastschrift zum {debit.run.due:%d.%m.%Y}"


def _prenotice_text(debit: Debit, creditor: BillingSettings) -> str:
    """The notice's words, the same in the mail and in the letter."""
    return render_to_string("billing/email/prenotice.txt", {
        "debit": debit, "creditor": creditor, "customer": debit.customer,
        "amount": euro_text(debit.amount_cents)})


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


def letters_waiting(*, today: date, town: Town | None = None) -> int:
    """Notices due that no mail can carry (customers without e-mail) and not yet recorded
    as posted: the nightly timer names them, the run's page prints them."""
    creditors = BillingSettings.objects.all() if town is None else \
        BillingSettings.objects.filter(town=town)
    return sum(prenotices_due(creditor, today).filter(customer__email="").count()
               for creditor in creditors)


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


# --- by letter: customers without an e-mail address (often the hotline's callers) ---------


def letters_of(run: CollectionRun) -> QuerySet[Debit]:
    """The run's standing debits whose customer has no e-mail address: their notice goes
    by post, printed from the run's page."""
    return (run.debits.filter(status=DebitStatus.SUBMITTED, customer__email="")
            .select_related("run", "mandate", "customer").order_by("pk"))


def postal_address(customer: User) -> list[str]:
    """The lines of a letter's address window: the name and the customer's first address
    (the one they registered with, or the hotline entered); prefetched for a run's
    letters (`prenotice_letters_pdf`)."""
    address = min(customer.addresses.all(), key=lambda a: a.pk, default=None)
    if address is None:
        return [customer.display_name]
    return [customer.display_name, address.street, f"{address.postcode} {address.city}"]


def _letter(debit: Debit, creditor: BillingSettings, today: date) -> list[tuple[str, int]]:
    """One DIN-A4 letter: sender line, the customer's postal address, date, subject, text."""
    assert debit.customer is not None  # `letters_of` reads debits with a customer only
    rows = [(f"{creditor.creditor_name} · {creditor.address}", 8), ("", 10)]
    rows += [(line, 10) for line in postal_address(debit.customer)]
    rows += [("", 10), (f"{today:%d.%m.%Y}", 10), ("", 10), (_prenotice_subject(debit), 12),
             ("", 10)]
    return rows + [(line, 10) for line in _prenotice_text(debit, creditor).splitlines()]


def prenotice_letters_pdf(*, run: CollectionRun, today: date) -> bytes:
    """The run's notices by post in one PDF, a page per customer without e-mail (printed
    again as often as needed; `prenotice_letters_sent` records that they went out)."""
    from .invoices import pdf_of_documents  # reportlab loads with the download only

    creditor = BillingSettings.objects.get(town=run.town)
    return pdf_of_documents(f"Vorabankündigungen zum {run.due:%d.%m.%Y}",
                            [_letter(debit, creditor, today) for debit in
                             letters_of(run).prefetch_related("customer__addresses")])


@transaction.atomic
def prenotice_letters_sent(*, by: User, run_id: int, now: datetime | None = None) -> int:
    """The operator posted the printed notices: they count as given, so the nightly timer
    stops listing them; audited. The number newly recorded."""
    require_role(by, Role.OPERATOR)
    run = CollectionRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound("Diesen Einzugslauf gibt es nicht.")
    town_managed(by=by, pk=run.town_id)
    sent = letters_of(run).filter(notified_at__isnull=True).update(
        notified_at=now or timezone.now())
    if not sent:
        raise Conflict("Alle Briefe dieses Einzugslaufs sind schon als versandt vermerkt.",
                       code="letters_sent")
    audit_record(by=by, action="Vorabankündigungen per Brief versandt", obj=run,
                 town_id=run.town_id, note=f"{sent} Briefe")
    return sent
