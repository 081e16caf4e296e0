"""A service order inside the shop: the item is received, inspected, maybe quoted, and done.

    item_picked_up ──intake──▶ in_service ──inspect (optional quote)──▶ done (mark_ready)

A quote stops the work until the customer answers on their order page: accepted, the
quoted price becomes the order's price; declined, the item goes back unrepaired and
nothing is charged. Either answer lets the shop release the return trip. Inspections are
written to the order's audit trail (`OrderEvent` without a status change), so the
customer and the shop read the same history. The customer hears of a quote by a mail
queued once the quote is committed.
"""

from django.db import transaction
from django.tasks import task

from louise.accounts.access import require_role, visible_to
from louise.accounts.models import Role, User
from louise.core.errors import Conflict, Invalid, NotFound
from louise.core.logs import logged_failure
from louise.core.mail import mail_send
from louise.core.money import euro_text

from .charges import quote_settle
from .labels import label_payload_parse
from .lifecycle import order_transition
from .models import EventKind, Order, OrderEvent, OrderKind, OrderStatus, QuoteStatus
from .selectors import order_for_merchant_staff

MAX_QUOTE_CENTS = 1_000_000  # 10,000 €: anything above is a typo at the counter


def _service_for_staff(order_number: str, by: User) -> Order:
    require_role(by, Role.MERCHANT)
    order = order_for_merchant_staff(number=order_number, user=by)
    order = Order.objects.select_for_update().select_related("merchant").get(pk=order.pk)
    if order.kind != OrderKind.SERVICE:
        raise Conflict(f"Bestellung {order.number} ist keine Dienstleistung.", code="not_service")
    return order


@transaction.atomic
def service_intake(*, order_number: str, by: User) -> Order:
    """The shop scans the item the rider brought. Scanning twice is harmless."""
    order = _service_for_staff(order_number, by)
    if order.status == OrderStatus.IN_SERVICE:
        return order
    order_transition(order, "receive_item", by=by, note="im Geschäft angenommen")
    return order


def service_intake_scan(*, code: str, by: User) -> Order:
    """The same, from a scanned label or a typed number at the intake screen."""
    require_role(by, Role.MERCHANT)
    scan = label_payload_parse(code)
    try:
        order = order_for_merchant_staff(number=scan.number, user=by)
    except NotFound as exc:
        raise Invalid(f"Zu „{scan.number}“ gibt es in Ihrem Geschäft keine Bestellung.",
                      field="code") from exc
    if order.kind != OrderKind.SERVICE:
        raise Conflict(f"{order.number} ist eine Warenbestellung, kein Gegenstand zur "
                       "Bearbeitung.", code="not_service")
    return service_intake(order_number=order.number, by=by)


@transaction.atomic
def service_inspect(*, order_number: str, by: User, findings: str,
                    quote_cents: int | None = None) -> Order:
    """Record what the shop found; with a price, the customer must agree before work starts."""
    order = _service_for_staff(order_number, by)
    findings = findings.strip()
    if not findings:
        raise Invalid("Bitte den Befund kurz beschreiben.", field="findings")
    if order.status != OrderStatus.IN_SERVICE:
        raise Conflict("Erst den Gegenstand annehmen, dann begutachten.",
                       code="illegal_transition")
    if order.quote_status == QuoteStatus.ACCEPTED:
        raise Conflict("Der Kostenvoranschlag ist schon angenommen.", code="quote_closed")
    kind, note = EventKind.INSPECTED, findings
    if quote_cents is not None:
        if not 0 < quote_cents <= MAX_QUOTE_CENTS:
            raise Invalid("Der Kostenvoranschlag muss zwischen 0,01 € und 10.000 € liegen.",
                          field="quote_cents")
        order.quote_cents, order.quote_status = quote_cents, QuoteStatus.PENDING
        order.save(update_fields=["quote_cents", "quote_status"])
        kind, note = EventKind.QUOTE_SENT, f"{findings} · {euro_text(quote_cents)}"
    OrderEvent.objects.create(order=order, kind=kind, from_status=order.status,
                              to_status=order.status, by=by, note=note[:300])
    if quote_cents is not None:
        order_id = order.pk
        transaction.on_commit(lambda: quote_mail_send.enqueue(order_id))
    return order


@task
@logged_failure
def quote_mail_send(order_id: int) -> str:
    """Ask the customer to answer the quote, unless they already did (a late or retried task
    reads the order as it is now)."""
    order = Order.objects.select_related("customer", "merchant").get(pk=order_id)
    if order.customer is None or not order.customer.email:
        return "no recipient"
    if order.quote_status != QuoteStatus.PENDING or order.quote_cents is None:
        return "answered"
    subject = f"Kostenvoranschlag zu Ihrer Bestellung {order.number}"
    mail_send(
        subject=subject, to=[order.customer.email],
        body=f"{order.merchant.name} hat Ihren Gegenstand begutachtet. Die Arbeit kostet "
             f"{euro_text(order.quote_cents)}. Bitte stimmen Sie auf Ihrer Bestellseite zu "
             "oder lehnen Sie ab; bis dahin wird nichts gemacht.",
    )
    return subject


def _pending_quote_for(order_number: str, by: User) -> Order:
    require_role(by, Role.CUSTOMER, Role.HOTLINE)
    order = visible_to(Order.objects.select_for_update(), by).filter(number=order_number).first()
    if order is None:
        raise NotFound(f"Bestellung {order_number} gibt es nicht.")
    if order.quote_status != QuoteStatus.PENDING:
        raise Conflict("Zu dieser Bestellung wartet kein Kostenvoranschlag auf Antwort.",
                       code="no_pending_quote")
    return order


@transaction.atomic
def quote_accept(*, order_number: str, by: User) -> Order:
    """The customer (or the hotline for them) agrees: the quoted price is what they pay."""
    order = _pending_quote_for(order_number, by)
    assert order.quote_cents is not None  # a pending quote has its price
    order.quote_status, order.subtotal_cents = QuoteStatus.ACCEPTED, order.quote_cents
    order.save(update_fields=["quote_status", "subtotal_cents"])
    order.lines.update(unit_price_cents=order.quote_cents)
    OrderEvent.objects.create(order=order, kind=EventKind.QUOTE_ACCEPTED, by=by,
                              from_status=order.status, to_status=order.status)
    quote_settle(order)
    return order


@transaction.atomic
def quote_decline(*, order_number: str, by: User, reason: str = "") -> Order:
    """The customer says no: the item comes back unrepaired and nothing is charged."""
    order = _pending_quote_for(order_number, by)
    order.quote_status, order.subtotal_cents = QuoteStatus.DECLINED, 0
    order.save(update_fields=["quote_status", "subtotal_cents"])
    order.lines.update(unit_price_cents=0)
    OrderEvent.objects.create(order=order, kind=EventKind.QUOTE_DECLINED, by=by,
                              from_status=order.status, to_status=order.status,
                              note=reason.strip()[:300])
    quote_settle(order)
    return order


INSPECTION_KINDS = (EventKind.INSPECTED, EventKind.QUOTE_SENT, EventKind.QUOTE_ACCEPTED,
                    EventKind.QUOTE_DECLINED)


def inspections_of(order: Order) -> list[OrderEvent]:
    """The shop's findings and the customer's answers, oldest first."""
    return [event for event in order.events.all() if event.kind in INSPECTION_KINDS]


def require_no_pending_quote(order: Order) -> None:
    """Guard for "done": a pending quote blocks the work (called from `order_mark_ready`)."""
    if order.kind == OrderKind.SERVICE and order.quote_status == QuoteStatus.PENDING:
        raise Conflict("Der Kunde hat dem Kostenvoranschlag noch nicht zugestimmt.",
                       code="quote_pending")
