"""E-mails to customers, in German, as plain text and HTML: how every mail is sent, and the
receipt of a checkout.

Mails are sent by a background task queued once the transaction commits (a rolled-back
change never mails), and the task reads the data fresh, so a retried task sends what is
true now. Which mails a customer gets is their choice (`accounts.NotificationPreferences`);
without a choice they get all of them. Status mails, which show the ETA of the tour, are
sent by `louise.logistics.notifications`; a failed drop is told by `logistics.fallback`,
which knows what happens next (locker, point, next wave).
"""

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from louise.accounts.models import NotificationPreferences, User
from louise.core.logs import logged_failure
from louise.core.mail import mail_send

from .models import Checkout


def customer_wants_mail(user: User, preference: str) -> bool:
    """Whether the customer wants this kind of mail (a `NotificationPreferences` field)."""
    prefs = NotificationPreferences.objects.filter(user=user).first()
    return prefs is None or getattr(prefs, preference)


def customer_mail_send(user: User, subject: str, template: str, context: dict,
                       attachments=()) -> None:
    context = {**context, "base_url": settings.LOUISE_BASE_URL, "user": user}
    mail_send(subject=subject, to=[user.email], attachments=attachments,
              body=render_to_string(f"orders/email/{template}.txt", context),
              html=render_to_string(f"orders/email/{template}.html", context))


@task
@logged_failure
def checkout_mail_send(checkout_id: int) -> str:
    """The receipt for a whole checkout: every shop's order, the slot, the fee."""
    checkout = Checkout.objects.select_related("customer", "slot").get(pk=checkout_id)
    if checkout.customer is None or not checkout.customer.email:
        return "no recipient"
    orders = list(checkout.orders.select_related("merchant").prefetch_related("lines"))
    subject = _("Ihre Bestellung %s bei LOUISE") % checkout.reference
    customer_mail_send(checkout.customer, subject, "checkout",
          {"checkout": checkout, "orders": orders, "total_cents": checkout.total_cents})
    return subject


def checkout_notify(checkout: Checkout) -> None:
    checkout_id = checkout.pk
    transaction.on_commit(lambda: checkout_mail_send.enqueue(checkout_id))
