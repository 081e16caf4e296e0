"""Erasing an account and the money: refused while amounts are open; once collected, the
account goes and the debit's record stays (the bank file keeps what it was sent)."""

from datetime import date, timedelta

import pytest

from louise.accounts.models import User
from louise.billing.collection import collection_run
from louise.billing.models import Debit
from louise.billing.tests.conftest import creditor, operator
from louise.conftest import MONDAY_MORNING, order_placed, the_town
from louise.core.errors import Conflict
from louise.customers.privacy import customer_erase
from louise.orders.lifecycle import order_transition
from louise.orders.services import order_accept, order_mark_ready

__all__ = ["creditor", "operator"]  # fixtures


def test_erase_waits_for_open_amounts_then_keeps_the_debit(shop, customer, creditor):
    person = customer[0]
    order = order_placed(person, shop["product"], now=MONDAY_MORNING)
    order_accept(order_number=order.number, by=shop["staff"], now=MONDAY_MORNING)
    order_mark_ready(order_number=order.number, by=shop["staff"], now=MONDAY_MORNING)
    order.refresh_from_db()
    for event in ("collect", "dispatch", "deliver"):
        order_transition(order, event, now=MONDAY_MORNING)
    with pytest.raises(Conflict, match="Beträge offen"):
        customer_erase(user=person)
    assert User.objects.filter(pk=person.pk).exists()
    collection_run(town_id=the_town().pk, due=date(2026, 12, 4),
                   now=MONDAY_MORNING + timedelta(hours=1))
    customer_erase(user=person)
    debit = Debit.objects.get()
    assert (debit.customer, debit.mandate, debit.amount_cents) == (None, None, 1500)
