"""Revenue from the billing ledger: the fees booked in the period, less what the ledger gave
back of them (a failed delivery's fee, a cancelled order's fee), worked out by hand."""

import time_machine

from louise.accounts.models import Role
from louise.billing.ledger import order_balance
from louise.billing.models import EntryKind, LedgerEntry
from louise.conftest import MONDAY_MORNING, fees_set, order_placed
from louise.hotline.tests.test_shopping import buy, list_placed, planned, store
from louise.orders.lifecycle import order_transition
from louise.orders.services import order_accept, order_cancel, order_mark_ready
from louise.orders.shopping import purchase_answer
from louise.reports.selectors import CREDITS, Period, report_for

MONDAY = MONDAY_MORNING.date()
__all__ = ["store"]


def test_fee_credits_are_subtracted_from_the_ledgers_fees(shop, customer, other_customer,
                                                          staff_users):
    fees_set(door_cents=390)
    anna, ben = customer[0], other_customer[0]
    order_placed(anna, shop["product"], now=MONDAY_MORNING)  # 15 € + 3,90 €, delivered later
    failed = order_placed(ben, shop["product"], now=MONDAY_MORNING)  # its delivery fails once
    cancelled = order_placed(ben, shop["product"], now=MONDAY_MORNING)
    with time_machine.travel(MONDAY_MORNING, tick=False):  # cancelled that Monday, too
        order_cancel(order_number=cancelled.number, by=ben)  # fee and goods given back
    order_accept(order_number=failed.number, by=shop["staff"], now=MONDAY_MORNING)
    order_mark_ready(order_number=failed.number, by=shop["staff"], now=MONDAY_MORNING)
    failed.refresh_from_db()
    for event in ("collect", "dispatch", "fail", "retry"):
        order_transition(failed, event, now=MONDAY_MORNING)  # the fee is given back
    # the ledger as the services booked it: three fees, two of them given back
    fees = LedgerEntry.objects.filter(merchant__isnull=True)
    assert sorted(fees.values_list("kind", "amount_cents")) == [
        (EntryKind.CANCELLED, -390), (EntryKind.DELIVERY, 390), (EntryKind.DELIVERY, 390),
        (EntryKind.DELIVERY, 390), (EntryKind.FAILED, -390)]
    revenue = report_for(staff_users[Role.OPERATOR], None,
                         Period("day", MONDAY, MONDAY)).revenue
    assert revenue.from_ledger
    # 3 × 3,90 € booked; given back: the failed delivery's 3,90 € and the cancelled
    # order's 3,90 € (its 15 € of goods are the shop's, not LOUISE's revenue)
    assert revenue.by_kind["Liefergebühren"] == 1170
    assert revenue.by_kind[CREDITS] == -780
    assert revenue.by_kind["Hol- und Bringservice"] == 0
    assert revenue.by_kind["Einkaufszettel"] == 0
    # no fee schedule for the shop: its share and fees are nothing
    assert revenue.total == 1170 - 780


def test_a_shopping_lists_fee_is_revenue_and_its_receipt_is_not(store, customer,
                                                                staff_users, shifts):
    """A list's fee is LOUISE's; the goods on its receipt are the store's, charged through
    LOUISE and given back with the fee when the customer declines the purchase."""
    fees_set(door_cents=300, shopping_list_cents=500)
    list_placed(store, customer)  # 5 € fee, nothing bought yet
    declined, tour = planned(store, customer, staff_users, budget_cents=1000)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        buy(declined, tour.shift.rider, 1500)  # 15 € on the receipt, over the budget
        purchase_answer(order_number=declined.number, by=customer[0], confirm=False)
    assert order_balance(declined.pk) == 0  # fee and receipt given back
    revenue = report_for(staff_users[Role.OPERATOR], None,
                         Period("day", MONDAY, MONDAY)).revenue
    # two fees of 5 € booked, one given back; the 15 € receipt neither revenue nor credit
    assert revenue.by_kind["Einkaufszettel"] == 1000
    assert revenue.by_kind[CREDITS] == -500
    assert revenue.total == 500
