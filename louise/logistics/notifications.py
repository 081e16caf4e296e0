"""The customer's status mails: accepted, declined, on its way, delivered (with the ETA of
the tour, the locker code and the door photo), queued after the commit of the change."""

from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext as _

from louise.core.calendar import BERLIN
from louise.core.logs import logged_failure
from louise.core.sms import sms_send
from louise.orders.models import DeliveryMethod, Order, OrderStatus
from louise.orders.notifications import customer_mail_send, customer_wants_mail

from .tracking import order_tracking


@dataclass(frozen=True)
class Mail:
    preference: str  # the NotificationPreferences field that lets this mail through
    subject: str
    lead: str


def _mail_for(order: Order) -> Mail | None:
    number = order.number
    by_status: dict[str, Mail] = {
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


def _proof_photo(order: Order) -> list[tuple[str, bytes, str]]:
    """The delivery photo of a door drop, attached to the 'delivered' mail."""
    path = (order.legs.filter(stops__proof__photo__gt="").order_by("-id")
            .values_list("stops__proof__photo", flat=True).first())
    if order.delivery_method != DeliveryMethod.DOOR or not path:
        return []
    with default_storage.open(path) as photo:
        return [("zustellfoto.jpg", photo.read(), "image/jpeg")]


@task
@logged_failure
def order_mail_send(order_id: int, status: str) -> str:
    """Mail the order's status to its customer, if they want that mail and the order is
    still in it (a failed drop that is re-routed at once mails only the new way)."""
    order = Order.objects.select_related("customer", "merchant", "locker").filter(
        pk=order_id).first()
    if order is None or order.customer is None or not (order.customer.email
                                                       or order.customer.phone):
        return "no recipient"
    if order.status != status:
        return "superseded"
    mail = _mail_for(order)
    if mail is None or not customer_wants_mail(order.customer, mail.preference):
        return "not wanted"
    if not order.customer.email:
        return _sms_send(order)
    code = ""
    if order.status == OrderStatus.DELIVERED \
            and customer_wants_mail(order.customer, "locker_code"):
        compartment = getattr(order, "compartment", None)
        code = compartment.code if compartment else ""
    attachments = _proof_photo(order) if order.status == OrderStatus.DELIVERED else []
    customer_mail_send(order.customer, mail.subject, "status",
          {"order": order, "lead": mail.lead, "tracking": order_tracking(order=order),
           "locker_code": code}, attachments)
    return mail.subject


def _sms_send(order: Order) -> str:
    """The short form of the status mail, by SMS, for a customer without e-mail (one the
    hotline looks after): "kommt heute zwischen 17:30 und 18:00"."""
    assert order.customer is not None  # checked by the caller
    text = f"LOUISE: Ihre Bestellung {order.number} "
    if order.status == OrderStatus.OUT_FOR_DELIVERY:
        tracking = order_tracking(order=order)
        start, end = ((tracking.eta_from, tracking.eta_until) if tracking.eta_from
                      and tracking.eta_until else (order.wave_start, order.wave_end))
        text += (f"kommt heute zwischen {start.astimezone(BERLIN):%H:%M} und "
                 f"{end.astimezone(BERLIN):%H:%M} Uhr.")
    elif order.status == OrderStatus.DELIVERED:
        compartment = getattr(order, "compartment", None)
        text += "ist zugestellt." + (
            f" Paketstation {order.locker}, Code {compartment.code}." if compartment
            and order.locker and customer_wants_mail(order.customer, "locker_code") else "")
    elif order.status == OrderStatus.DECLINED:
        text += f"kann {order.merchant} leider nicht ausführen. Sie zahlen nichts."
    else:
        text += f"ist {order.get_status_display()}."
    sms_send(to=order.customer.phone, text=text)
    return text


def order_status_notify(order: Order) -> None:
    """Queue the status mail once the change is committed."""
    if _mail_for(order) is not None:
        order_id, status = order.pk, order.status
        transaction.on_commit(lambda: order_mail_send.enqueue(order_id, status))


