"""E-mails to customers about their orders, in German, as plain text and HTML.

Every status change passes through `order_transition`, which calls `order_status_notify`;
a checkout calls `checkout_notify`. Mails are sent by a background task queued once the
transaction commits (a rolled-back change never mails), and the task reads the order fresh,
so a retried task sends what is true now. Which mails a customer gets is their choice
(`accounts.NotificationPreferences`); without a choice they get all of them. A failed drop
is told by `logistics.fallback`, which knows what happens next (locker, point, next wave).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from louise.accounts.models import NotificationPreferences

from .models import Checkout, DeliveryMethod, Order, OrderStatus
from .tracking import order_tracking


@dataclass(frozen=True)
class Mail:
    preference: str  # the NotificationPreferences field that lets this mail through
    subject: str
    lead: str


def _mail_for(order: Order) -> Mail | None:
    number = order.number
    by_status = {
        OrderStatus.ACCEPTED: Mail("confirmed", _("Bestellung %s bestätigt") % number,
                                   _("%s hat Ihre Bestellung angenommen.") % order.merchant),
        OrderStatus.DECLINED: Mail("confirmed", _("Bestellung %s abgelehnt") % number,
                                   _("%(shop)s kann Ihre Bestellung leider nicht ausführen: "
                                     "%(reason)s. Sie zahlen nichts.")
                                   % {"shop": order.merchant, "reason": order.decline_reason}),
        OrderStatus.OUT_FOR_DELIVERY: Mail("on_its_way", _("Bestellung %s ist unterwegs") % number,
                                           _("Ihre Lieferung ist auf dem Weg zu Ihnen.")),
        OrderStatus.DELIVERED: Mail("delivered", _("Bestellung %s zugestellt") % number,
                                    _("Ihre Lieferung ist angekommen.")),
    }
    return by_status.get(order.status)


def customer_wants_mail(user, preference: str) -> bool:
    """Whether the customer wants this kind of mail (a `NotificationPreferences` field)."""
    prefs = NotificationPreferences.objects.filter(user=user).first()
    return prefs is None or getattr(prefs, preference)


def _send(user, subject: str, template: str, context: dict, attachments=()) -> None:
    context = {**context, "base_url": settings.LOUISE_BASE_URL, "user": user}
    mail = EmailMultiAlternatives(subject=subject, to=[user.email],
                                  body=render_to_string(f"orders/email/{template}.txt", context))
    mail.attach_alternative(render_to_string(f"orders/email/{template}.html", context),
                            "text/html")
    for name, content, mimetype in attachments:
        mail.attach(name, content, mimetype)
    mail.send()


def _proof_photo(order: Order) -> list[tuple[str, bytes, str]]:
    """The delivery photo of a door drop, attached to the 'delivered' mail."""
    path = (order.legs.filter(stops__proof__photo__gt="").order_by("-id")
            .values_list("stops__proof__photo", flat=True).first())
    if order.delivery_method != DeliveryMethod.DOOR or not path:
        return []
    with default_storage.open(path) as photo:
        return [("zustellfoto.jpg", photo.read(), "image/jpeg")]


@task
def order_mail_send(order_id: int, status: str) -> str:
    """Mail the order's status to its customer, if they want that mail and the order is
    still in it (a failed drop that is re-routed at once mails only the new way)."""
    order = Order.objects.select_related("customer", "merchant", "locker").filter(
        pk=order_id).first()
    if order is None or order.customer is None or not order.customer.email:
        return "no recipient"
    if order.status != status:
        return "superseded"
    mail = _mail_for(order)
    if mail is None or not customer_wants_mail(order.customer, mail.preference):
        return "not wanted"
    code = ""
    if order.status == OrderStatus.DELIVERED and order.delivery_method == DeliveryMethod.LOCKER \
            and customer_wants_mail(order.customer, "locker_code"):
        compartment = getattr(order, "compartment", None)
        code = compartment.code if compartment else ""
    attachments = _proof_photo(order) if order.status == OrderStatus.DELIVERED else []
    _send(order.customer, mail.subject, "status",
          {"order": order, "lead": mail.lead, "tracking": order_tracking(order=order),
           "locker_code": code}, attachments)
    return mail.subject


@task
def checkout_mail_send(checkout_id: int) -> str:
    """The receipt for a whole checkout: every shop's order, the slot, the fee."""
    checkout = Checkout.objects.select_related("customer", "slot").get(pk=checkout_id)
    if checkout.customer is None or not checkout.customer.email:
        return "no recipient"
    orders = list(checkout.orders.select_related("merchant").prefetch_related("lines"))
    subject = _("Ihre Bestellung %s bei LOUISE") % checkout.reference
    _send(checkout.customer, subject, "checkout",
          {"checkout": checkout, "orders": orders,
           "total_cents": sum(o.total_cents for o in orders)})
    return subject


def order_status_notify(order: Order) -> None:
    """Queue the status mail once the change is committed."""
    if _mail_for(order) is not None:
        order_id, status = order.pk, order.status
        transaction.on_commit(lambda: order_mail_send.enqueue(order_id, status))


def checkout_notify(checkout: Checkout) -> None:
    checkout_id = checkout.pk
    transaction.on_commit(lambda: checkout_mail_send.enqueue(checkout_id))
