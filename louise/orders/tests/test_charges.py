"""What orders book in the customer ledger: charges when placed or a quote is answered,
credits when called off, failed or refused; the ledger itself is never changed."""

import pytest

from louise.billing.ledger import order_balance
from louise.billing.models import AppendOnly, EntryKind, LedgerEntry
from louise.orders.charges import refused_credit
from louise.orders.lifecycle import order_transition
from louise.orders.quotes import quote_accept, service_inspect, service_intake
from louise.orders.services import order_accept, order_cancel, order_mark_ready

from ...conftest import MONDAY_MORNING, fees_set, order_placed, service_booked


def kinds(order) -> list[tuple[str, int]]:
    return list(LedgerEntry.objects.filter(order=order).values_list("kind", "amount_cents"))


@pytest.fixture
def fees(town):
    return fees_set(door_cents=390, service_cents=590)


def test_placed_order_books_goods_and_fee_and_a_cancellation_credits_both(shop, customer, fees):
    person, _address = customer
    order = order_placed(person, shop["product"], 2, now=MONDAY_MORNING)
    assert kinds(order) == [(EntryKind.GOODS, 3000), (EntryKind.DELIVERY, 390)]
    order_cancel(order_number=order.number, by=person)
    assert kinds(order)[-2:] == [(EntryKind.CANCELLED, -3000), (EntryKind.CANCELLED, -390)]
    assert order_balance(order.pk) == 0


def test_failed_delivery_credits_the_fee_once_and_refused_goods_their_price(shop, customer,
                                                                            fees):
    # given an order on its way
    person, _address = customer
    order = order_placed(person, shop["product"], now=MONDAY_MORNING)
    staff = shop["staff"]
    order_accept(order_number=order.number, by=staff, now=MONDAY_MORNING)
    order_mark_ready(order_number=order.number, by=staff, now=MONDAY_MORNING)
    order.refresh_from_db()
    for event in ("collect", "dispatch", "fail", "retry", "fail"):
        order_transition(order, event, now=MONDAY_MORNING)
    # when the customer refused it
    refused_credit(order, MONDAY_MORNING)
    refused_credit(order, MONDAY_MORNING)
    # then
    assert kinds(order) == [(EntryKind.GOODS, 1500), (EntryKind.DELIVERY, 390),
                            (EntryKind.FAILED, -390), (EntryKind.REFUSED, -1500)]


def test_accepted_quote_replaces_the_list_price(shop, customer, fees):
    person, address = customer
    order = service_booked(person, shop["service"], address, now=MONDAY_MORNING)
    staff = shop["staff"]
    order_accept(order_number=order.number, by=staff, now=MONDAY_MORNING)
    order.refresh_from_db()
    order_transition(order, "pick_up_item", now=MONDAY_MORNING)
    service_intake(order_number=order.number, by=staff)
    service_inspect(order_number=order.number, by=staff, findings="Rücken lose",
                    quote_cents=2500)
    quote_accept(order_number=order.number, by=person)
    assert kinds(order) == [(EntryKind.SERVICE, 900), (EntryKind.DELIVERY, 590),
                            (EntryKind.QUOTE, 1600)]
    assert order_balance(order.pk) == 2500 + 590



def test_ledger_is_append_only(shop, customer, fees):
    person, _address = customer
    order = order_placed(person, shop["product"], now=MONDAY_MORNING)
    entry = LedgerEntry.objects.filter(order=order).first()
    entry.amount_cents = 1
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount_cents == 1500
