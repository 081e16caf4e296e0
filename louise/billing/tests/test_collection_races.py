"""Two collection runs started at once, each in its own thread and database connection:
every charge is debited once. Only PostgreSQL runs them truly in parallel."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Sum

from louise.billing.collection import collection_run
from louise.billing.models import Debit, DebitLine, LedgerEntry
from louise.core.errors import DomainError

from ...conftest import MONDAY_MORNING, fees_set, order_placed, the_town

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'",
                       reason="needs a database with concurrent writers (PostgreSQL)"),
]


def _all_at_once(dues: list[date]) -> list[str]:
    barrier = threading.Barrier(len(dues))
    outcome = [""] * len(dues)
    town_id = the_town().pk

    def run(i: int, due: date) -> None:
        try:
            barrier.wait()
            outcome[i] = f"run {collection_run(town_id=town_id, due=due,
                                               now=MONDAY_MORNING + timedelta(hours=1)).pk}"
        except DomainError as exc:
            outcome[i] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, d)) for i, d in enumerate(dues)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


@pytest.mark.parametrize("dues", [[date(2026, 12, 4)] * 2,
                                  [date(2026, 12, 4), date(2026, 12, 11)]])
def test_two_runs_at_once_debit_each_charge_once(shop, customer, other_customer, creditor,
                                                 dues):
    # given
    fees_set(door_cents=390)
    for person in (customer[0], other_customer[0]):
        order_placed(person, shop["product"], now=MONDAY_MORNING)
    # when
    outcome = _all_at_once(dues)
    # then
    assert all(o.startswith("run") or o == "nothing_due" for o in outcome), outcome
    assert DebitLine.objects.count() == LedgerEntry.objects.count() == 4
    assert Debit.objects.count() == 2
    assert (Debit.objects.aggregate(s=Sum("amount_cents"))["s"]
            == LedgerEntry.objects.aggregate(s=Sum("amount_cents"))["s"] == 2 * 1890)
