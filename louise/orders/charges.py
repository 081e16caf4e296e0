"""What an order books in the customer ledger (`billing.ledger`), for every channel alike:
the goods or service and the delivery fee when it is placed, an accepted quote, and the
credits when it is called off, its delivery fails or the customer refuses the goods.
Counter deliveries have no customer: the shop pays for those (merchant statement)."""

from datetime import datetime

from louise.billing.ledger import entry_book, order_balance
from louise.billing.models import EntryKind

from .models import Order, OrderKind

GOODS_KINDS = frozenset({EntryKind.GOODS, EntryKind.SERVICE, EntryKind.QUOTE})


def _book(order: Order, kind: str, amount_cents: int, at: datetime | None = None, *,
          goods: bool = True) -> None:
    """Goods entries name the shop they are collected for (its statement); fee entries
    are LOUISE's own and name none."""
    if order.customer_id is not None:
        entry_book(town_id=order.town_id, customer_id=order.customer_id, kind=kind,
                   amount_cents=amount_cents, order_id=order.pk,
                   merchant_id=order.merchant_id if goods else None, at=at)


def order_charge(order: Order) -> None:
    """A new order: its goods (or a priced service) and the fee it carries."""
    _book(order, EntryKind.SERVICE if order.kind == OrderKind.SERVICE else EntryKind.GOODS,
          order.subtotal_cents, order.placed_at)
    _book(order, EntryKind.DELIVERY, order.fee_cents, order.placed_at, goods=False)


def quote_settle(order: Order) -> None:
    """An answered quote sets the service's price: the accepted quote, or nothing when
    declined; the difference to what was booked at booking (a list price) is booked."""
    _book(order, EntryKind.QUOTE, order.subtotal_cents - order_balance(order.pk, GOODS_KINDS))


def shopping_settle(order: Order, at: datetime) -> None:
    """A bought shopping list's price, the receipt's total: LOUISE paid it at the till, so
    it names no shop (a fee-like entry, given back whole if the order is called off)."""
    _book(order, EntryKind.SHOPPING, order.subtotal_cents, at, goods=False)


def transition_credit(order: Order, event: str, now: datetime) -> None:
    """Give back what is owed no more: everything of a declined or cancelled order, the
    delivery fee of a failed delivery (once, however often it fails)."""
    if event in ("cancel", "decline"):
        _book(order, EntryKind.CANCELLED, order_balance(order.pk, goods=True), now)
        _book(order, EntryKind.CANCELLED, order_balance(order.pk, goods=False), now,
              goods=False)
    elif event == "fail" and not order_balance(order.pk, frozenset({EntryKind.FAILED})):
        _book(order, EntryKind.FAILED,
              order_balance(order.pk, frozenset({EntryKind.DELIVERY})), now, goods=False)


def refused_credit(order: Order, now: datetime) -> None:
    """The customer refused the goods at the door: they go back, and are not paid for."""
    if not order_balance(order.pk, frozenset({EntryKind.REFUSED})):
        _book(order, EntryKind.REFUSED, order_balance(order.pk, GOODS_KINDS), now)
