import pytest
from django.core.management import call_command

from louise.accounts.models import Role, User
from louise.catalog.models import Merchant, ServiceOffer
from louise.demo import seed
from louise.geo.models import Locker, PickupPoint
from louise.logistics.models import Leg, Shift, Tour, TourStatus
from louise.orders.models import Channel, Checkout, Order, Slot

from ...conftest import MONDAY_MORNING


def counts() -> dict[str, int]:
    return {"users": User.objects.count(), "merchants": Merchant.objects.count(),
            "orders": Order.objects.count(), "legs": Leg.objects.count(),
            "shifts": Shift.objects.count(),
            "published": Tour.objects.filter(status=TourStatus.PUBLISHED).count()}


@pytest.mark.django_db
def test_demo_seeds_bottrop_plans_and_can_run_again():
    # when
    report = seed.run(time_limit=1, now=MONDAY_MORNING)
    first = counts()
    again = seed.run(time_limit=1, now=MONDAY_MORNING)
    # then: the brief's town, and nothing duplicated on the second run
    assert first == counts()
    assert Merchant.objects.count() >= 25
    assert ServiceOffer.objects.values("merchant").distinct().count() >= 3
    assert User.objects.filter(role=Role.CUSTOMER).count() == 300
    assert PickupPoint.objects.count() == 6 and Locker.objects.count() == 2
    assert first["published"] >= 1
    assert report.wave.day == MONDAY_MORNING.date()
    assert "Geplant und veröffentlicht" in report.text("http://x")
    assert "Demo-Daten waren schon da" in again.text("http://x")
    for _, username in [*seed.LOGINS, *report.riders]:
        assert User.objects.filter(username=username).exists(), username
    # every order went through the checkout: a stop of the wave, and for a locker a
    # compartment the customer can open with a code
    assert not Order.objects.filter(checkout=None).exists()
    assert set(Checkout.objects.values_list("channel", flat=True)) == {Channel.DEMO}
    lockered = Order.objects.filter(delivery_method="locker")
    assert lockered.exists()
    assert all(len(order.compartment.code) == 6 for order in lockered)
    assert Slot.objects.get(start=report.wave.start).booked == Checkout.objects.count()
    # every rider login the demo names has a published tour to ride
    assert report.riders and all(f"  {u}" in again.text("http://x") for _, u in report.riders)


def fingerprint() -> tuple:
    return (
        tuple(User.objects.filter(role=Role.CUSTOMER).order_by("username")
              .values_list("username", "first_name", "last_name", "addresses__street")),
        tuple(Order.objects.order_by("checkout__idempotency_key").values_list(
            "checkout__idempotency_key", "merchant__name", "delivery_method", "subtotal_cents")),
    )


@pytest.mark.django_db(transaction=True)
def test_demo_is_deterministic():
    # given: one demo town
    seed.run(time_limit=1, now=MONDAY_MORNING)
    first = fingerprint()
    # when: the database is emptied and the demo built again
    call_command("flush", interactive=False, verbosity=0)
    seed.run(time_limit=1, now=MONDAY_MORNING)
    # then: the same people, addresses and orders
    assert fingerprint() == first
