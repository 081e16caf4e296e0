"""A shopping list after its checkout: the shopper buys it, and its price is settled.

    accepted ──purchase (receipt total, photo, items ticked)──▶ ready ─▶ … ─▶ delivered
                         └─ over budget + tolerance: waits ─ confirmed ─▶ ready
                                                           └ declined ─▶ cancelled

The receipt's total is the price of the goods: it is booked in the ledger (LOUISE paid
the store at the till, so no shop is named) when the purchase is within the town's
tolerance over the budget, or once the customer (or the hotline for them) confirms a
dearer one. A declined purchase calls the order off, and its credits give back everything
booked (the fee), so the customer pays nothing; the shopper takes the goods back. Who may
record a purchase (the rider of the stop, the hub's staff) is decided in
`logistics.shopping`, which calls `purchase_record` here.
"""

from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from louise.accounts.access import require_role, visible_to
from louise.accounts.models import Role, User
from louise.core.errors import Conflict, Invalid, NotFound
from louise.core.images import image_upload
from louise.core.logs import logged_failure
from louise.core.mail import mail_send
from louise.core.money import euro_text

from .charges import shopping_settle
from .lifecycle import order_transition
from .models import Approval, EventKind, Order, OrderEvent, OrderKind, OrderStatus, ShoppingList
from .slots import slot_release_for

BOUGHT, MISSING = "bought", "missing"
ITEM_STATES = {BOUGHT: _("gekauft"), MISSING: _("fehlt")}
RECEIPT_MAX_CENTS = 100_000  # 1,000 €: anything above is a typo on the phone


def over_budget(shopping: ShoppingList, tolerance_pct: int) -> bool:
    """Dearer than the budget by more than the town's tolerance: the customer must agree."""
    total = shopping.receipt_total_cents or 0
    return total * 100 > shopping.budget_cents * (100 + tolerance_pct)


def _settle(order: Order, by: User | None, now: datetime) -> None:
    """The receipt's total becomes the order's price and is booked; the bag may go out."""
    order.subtotal_cents = order.shopping.receipt_total_cents or 0
    order.save(update_fields=["subtotal_cents"])
    shopping_settle(order, now)
    order_transition(order, "mark_ready", by=by, now=now, note="eingekauft")


def purchase_record(*, order: Order, by: User, states: list[str], receipt_total_cents: int,
                    photo: UploadedFile | None, now: datetime | None = None) -> Order:
    """Record what the shopper bought (call with the order row locked, inside a transaction;
    the caller has checked that `by` is this order's shopper). Refused as a whole, before
    anything is written, for a total of 0 € or less, a list not fully ticked or no photo."""
    now = now or timezone.now()
    if order.kind != OrderKind.SHOPPING or order.status != OrderStatus.ACCEPTED:
        raise Conflict(f"Bestellung {order.number} wartet auf keinen Einkauf.",
                       code="not_to_buy")
    shopping = order.shopping
    if shopping.approval == Approval.PENDING:
        raise Conflict("Der Einkauf ist erfasst und wartet auf die Bestätigung des Kunden.",
                       code="purchase_pending")
    if receipt_total_cents <= 0:
        raise Invalid("Die Summe laut Kassenbon muss größer als 0 € sein.",
                      field="receipt_total_cents", code="receipt_total")
    if receipt_total_cents > RECEIPT_MAX_CENTS:
        raise Invalid("Die Summe laut Kassenbon kann höchstens 1.000 € sein.",
                      field="receipt_total_cents", code="receipt_total")
    if len(states) != len(shopping.items) or any(s not in ITEM_STATES for s in states):
        raise Invalid("Bitte jeden Artikel als gekauft oder fehlend markieren.",
                      field="items", code="items_unticked")
    if photo is None:
        raise Invalid("Bitte ein Foto des Kassenbons hochladen.", field="receipt_photo",
                      code="receipt_photo")
    picture = image_upload(photo, field="receipt_photo")
    shopping.items = [{"text": item["text"], "state": state}
                      for item, state in zip(shopping.items, states, strict=True)]
    shopping.receipt_total_cents, shopping.purchased_at, shopping.purchased_by = (
        receipt_total_cents, now, by)
    shopping.receipt_photo.save("kassenbon.jpg", picture, save=False)
    dearer = over_budget(shopping, order.town.shopping_tolerance_pct)
    shopping.approval = Approval.PENDING if dearer else ""
    shopping.save()
    missing = [item["text"] for item in shopping.items if item["state"] == MISSING]
    note = (f"{euro_text(receipt_total_cents)} laut Kassenbon (Budget "
            f"{euro_text(shopping.budget_cents)})"
            + (f"; fehlt: {', '.join(missing)}" if missing else ""))
    OrderEvent.objects.create(order=order, kind=EventKind.PURCHASED, by=by, at=now,
                              from_status=order.status, to_status=order.status,
                              note=note[:300])
    if dearer:
        order_id = order.pk
        transaction.on_commit(lambda: purchase_mail_send.enqueue(order_id))
    else:
        _settle(order, by, now)
    return order


@task
@logged_failure
def purchase_mail_send(order_id: int) -> str:
    """Ask the customer to answer a purchase over budget, unless it is answered already;
    a customer without e-mail is called by the hotline (its list of waiting purchases)."""
    order = Order.objects.select_related("customer", "shopping").get(pk=order_id)
    if order.customer is None or not order.customer.email:
        return "no recipient"
    if order.shopping.approval != Approval.PENDING:
        return "answered"
    subject = f"Ihr Einkauf {order.number} ist teurer als Ihr Budget"
    mail_send(
        subject=subject, to=[order.customer.email],
        body=f"Ihr Einkauf kostet laut Kassenbon "
             f"{euro_text(order.shopping.receipt_total_cents or 0)} (Budget "
             f"{euro_text(order.shopping.budget_cents)}). Bitte bestätigen Sie ihn auf Ihrer "
             "Bestellseite oder lehnen Sie ab; bis dahin bleibt er im Geschäft.")
    return subject


def _pending_for(order_number: str, by: User) -> Order:
    require_role(by, Role.CUSTOMER, Role.HOTLINE)
    order = (visible_to(Order.objects.select_for_update(of=("self",)), by)
             .select_related("shopping").filter(number=order_number).first())
    if order is None:
        raise NotFound(f"Bestellung {order_number} gibt es nicht.")
    if order.kind != OrderKind.SHOPPING or order.shopping.approval != Approval.PENDING:
        raise Conflict("Zu dieser Bestellung wartet kein Einkauf auf Bestätigung.",
                       code="no_pending_purchase")
    return order


@transaction.atomic
def purchase_answer(*, order_number: str, by: User, confirm: bool,
                    now: datetime | None = None) -> Order:
    """The customer (or the hotline after a call) answers a purchase over budget: confirmed,
    its total is charged and it goes out; declined, the order is called off and nothing
    is charged."""
    now = now or timezone.now()
    order = _pending_for(order_number, by)
    shopping = order.shopping
    shopping.approval = Approval.CONFIRMED if confirm else Approval.DECLINED
    shopping.save(update_fields=["approval"])
    OrderEvent.objects.create(
        order=order, by=by, at=now, from_status=order.status, to_status=order.status,
        kind=EventKind.PURCHASE_CONFIRMED if confirm else EventKind.PURCHASE_DECLINED,
        note=euro_text(shopping.receipt_total_cents or 0))
    if confirm:
        _settle(order, by, now)
    else:
        order_transition(order, "cancel", by=by, now=now,
                         note="Einkauf über Budget abgelehnt; die Ware geht zurück.")
        slot_release_for(order)  # its wave's place (and locker) as every call-off frees it
    return order


def receipt_photo_visible(*, name: str, user) -> bool:
    """A receipt's photo: the customer's, and LOUISE's people of the order's town (the
    hotline answers questions about it)."""
    if not name or not user.is_authenticated or not user.is_active:
        return False
    return visible_to(Order, user).filter(shopping__receipt_photo=name).exists()
