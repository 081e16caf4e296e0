"""The order's life as an explicit state machine.

Goods:   placed → accepted → ready → collected → [at_hub] → out_for_delivery → delivered
Service: placed → accepted → item_picked_up → in_service → ready → collected → … → delivered
Branches: declined (by the shop), cancelled (before collection), failed → out_for_delivery
(fallback to a point, locker or the next wave).

Only `order_transition` changes `Order.status`; it writes the audit event in the same
transaction, so the trail and the state cannot disagree, and then sends `order_changed`
inside that transaction. Higher layers react there without this module knowing them:
logistics makes or cancels the transport legs and queues the customer's e-mail
(`louise.logistics.reactions`), so every channel that changes an order gets the same
consequences.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from statemachine import State, StateMachine
from statemachine.exceptions import TransitionNotAllowed

from louise.accounts.models import User
from louise.core.errors import Conflict

from .charges import transition_credit
from .models import Approval, EventKind, Order, OrderEvent, OrderKind, OrderStatus
from .signals import order_changed

S = OrderStatus


class OrderFlow(StateMachine):
    placed = State(initial=True, value=S.PLACED)
    accepted = State(value=S.ACCEPTED)
    declined = State(final=True, value=S.DECLINED)
    item_picked_up = State(value=S.ITEM_PICKED_UP)
    in_service = State(value=S.IN_SERVICE)
    ready = State(value=S.READY)
    collected = State(value=S.COLLECTED)
    at_hub = State(value=S.AT_HUB)
    out_for_delivery = State(value=S.OUT_FOR_DELIVERY)
    delivered = State(final=True, value=S.DELIVERED)
    failed = State(value=S.FAILED)
    cancelled = State(final=True, value=S.CANCELLED)

    accept = placed.to(accepted)
    decline = placed.to(declined)
    pick_up_item = accepted.to(item_picked_up)
    receive_item = item_picked_up.to(in_service)
    # A service is done only after the shop has the item (intake): before that, "ready"
    # would release a return trip for an item that never left the customer.
    # A shopping list is ready once it is bought and its price settled (orders/shopping.py).
    mark_ready = accepted.to(ready, cond="ships_without_service") | in_service.to(ready)
    collect = ready.to(collected)
    arrive_at_hub = collected.to(at_hub)
    dispatch = collected.to(out_for_delivery) | at_hub.to(out_for_delivery)
    deliver = out_for_delivery.to(delivered)
    fail = out_for_delivery.to(failed)
    retry = failed.to(out_for_delivery)
    cancel = placed.to(cancelled) | accepted.to(cancelled) | ready.to(cancelled)


    def ships_without_service(self) -> bool:
        """Goods are ready when packed; a shopping list only once bought and its price
        settled, so nobody (the store's staff included) readies an unbought, unpriced bag."""
        if self.model.kind == OrderKind.SHOPPING:
            bag = self.model.shopping
            return bag.receipt_total_cents is not None and bag.approval not in (
                Approval.PENDING, Approval.DECLINED)
        return self.model.kind == OrderKind.GOODS


# Past participles: "Bestellung … kann im Status „…“ nicht <participle> werden."
EVENT_NAMES = {
    "accept": "angenommen", "decline": "abgelehnt", "pick_up_item": "beim Kunden abgeholt",
    "receive_item": "im Geschäft angenommen", "mark_ready": "als fertig gemeldet",
    "collect": "abgeholt", "arrive_at_hub": "im City-Depot eingescannt",
    "dispatch": "auf den Weg gebracht", "deliver": "zugestellt",
    "fail": "als fehlgeschlagen gemeldet", "retry": "erneut zugestellt", "cancel": "storniert",
}


def can(order: Order, event: str) -> bool:
    flow = OrderFlow(model=order, state_field="status")
    return event in {e.id for e in flow.enabled_events()}


@transaction.atomic
def order_transition(order: Order, event: str, *, by: User | None = None, note: str = "",
                     now: datetime | None = None, kind: str = EventKind.STATUS) -> Order:
    """Apply one lifecycle event; an illegal one raises `Conflict` with the reason in words.
    `now` is when it happened (legs made in reaction are timed from it); `kind` types the
    audit event when the change stands for more than a status (a fallback's new way)."""
    before = order.status
    flow = OrderFlow(model=order, state_field="status")
    try:
        flow.send(event)
    except TransitionNotAllowed as exc:
        label = OrderStatus(before).label
        if event == "mark_ready" and before == OrderStatus.ACCEPTED:
            raise Conflict(f"Auftrag {order.number}: Der Gegenstand ist noch nicht im Geschäft "
                           "angekommen. Erst nach der Annahme kann die Arbeit als erledigt "
                           "gemeldet werden.", code="item_not_received") from exc
        raise Conflict(
            f"Bestellung {order.number} kann im Status „{label}“ nicht "
            f"{EVENT_NAMES.get(event, event)} werden.", code="illegal_transition",
        ) from exc
    order.save(update_fields=["status"])
    OrderEvent.objects.create(order=order, kind=kind, from_status=before,
                              to_status=order.status, by=by, note=note)
    now = now or timezone.now()
    transition_credit(order, event, now)
    order_changed.send(sender=Order, order=order, event=event, before=before, now=now)
    return order
