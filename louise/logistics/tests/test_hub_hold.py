"""Holding back an incomplete delivery at the City-Depot: it leaves tonight's tour (the
rider rides the rest), goes whole in the next wave, the customer is told; refused for a
delivery that is complete, sorted or with a rider, and for anyone but the town's depot
and dispatch."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail

from louise.accounts.audit import AuditEntry
from louise.accounts.models import Role
from louise.conftest import MONDAY_MORNING, make_user, other_town, the_town
from louise.core.calendar import BERLIN
from louise.core.errors import Conflict, Forbidden, NotFound
from louise.logistics import hub_desk
from louise.logistics.models import (
    Leg,
    LegKind,
    LegStatus,
    StopKind,
    StopStatus,
    Tour,
    TourStop,
)
from louise.logistics.planning_bridge import Day, plannable_legs
from louise.logistics.services import stop_complete
from louise.logistics.tests.journeys import two_shop_basket_published
from louise.orders.models import EventKind, Order

pytestmark = pytest.mark.django_db
MONDAY, TUESDAY = MONDAY_MORNING.date(), datetime(2026, 12, 1).date()


def at(hour: int, minute: int = 0, day=MONDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), BERLIN)


def onward(order: Order) -> Leg:
    return Leg.objects.exclude(status=LegStatus.CANCELLED).get(order=order, kind=LegKind.DELIVERY)


@pytest.fixture
def one_parcel_missing(shop, other_shop, customer, shifts, staff_users):
    """A basket from two shops, published on one tour; the rider brought the first shop's
    parcel to the depot and the staff scanned it in; the second shop's parcel is still at
    its shop (its collection not done)."""
    orders, tour = two_shop_basket_published(shop, other_shop, customer, staff_users)
    first, second = orders
    for stop in tour.stops.filter(leg__order=first, leg__kind=LegKind.TRANSFER):
        stop_complete(stop_id=stop.pk, rider=tour.shift.rider, parcels=1,
                      proof_method="name", recipient_name="Depot")
    depot = make_user("depot", Role.HUB)
    hub_desk.parcel_scan(by=depot, town=the_town(), code=first.number)
    mail.outbox.clear()
    return Order.objects.get(pk=first.pk), Order.objects.get(pk=second.pk), tour, depot


def test_the_incomplete_delivery_leaves_the_tour_and_goes_whole_in_the_next_wave(
        one_parcel_missing, django_capture_on_commit_callbacks):
    first, second, tour, depot = one_parcel_missing
    group = onward(first).group
    with django_capture_on_commit_callbacks(execute=True):
        held = hub_desk.delivery_hold(by=depot, town=the_town(), group=group, now=at(17, 40))
    assert held.wave.day == TUESDAY
    assert held.missing == [f"{second.number} ({second.merchant.name}): Paket 1/1"]
    # tonight's tour keeps only what is done: the held stops are gone, nothing pending
    # waits for the delivery, so the rider rides on
    assert not tour.stops.filter(status=StopStatus.PENDING).exists()
    assert list(tour.stops.values_list("sequence", flat=True)) == [1, 2]
    # the parcel in the depot waits there: its leg out of it is in Tuesday's wave
    kept = onward(first)
    assert (kept.status, kept.released_at, kept.group) == (LegStatus.OPEN, None, group)
    assert kept.pickup_from == at(17, day=TUESDAY)
    assert kept.drop_from.astimezone(BERLIN).date() == TUESDAY
    # the parcel still at its shop gets a fresh chain for Tuesday, in the same delivery
    transfer = Leg.objects.get(order=second, kind=LegKind.TRANSFER, status=LegStatus.OPEN)
    assert transfer.pickup_from.astimezone(BERLIN).date() == TUESDAY
    assert onward(second).group == group and onward(second).depends_on == transfer
    assert Leg.objects.filter(order=second, status=LegStatus.CANCELLED).count() == 2
    assert {leg.pk for leg in plannable_legs(Day(TUESDAY, the_town().pk))} == {
        kept.pk, transfer.pk, onward(second).pk}
    for order in (first, second):
        order.refresh_from_db()
        assert order.wave_start == held.wave.start
        event = order.events.last()
        assert event.kind == EventKind.HELD
        assert event.text == ("im City-Depot zurückgestellt: kommt vollständig mit der "
                              f"nächsten Lieferwelle: {held.wave.label}")
    (delivery,) = hub_desk.desk_day(user=depot, town=the_town(), day=TUESDAY).deliveries
    assert delivery.missing == held.missing
    assert not hub_desk.desk_day(user=depot, town=the_town(), day=MONDAY).deliveries
    entry = AuditEntry.objects.get(action="zurückgestellt")
    assert entry.by == depot and second.number in entry.changes["notiz"]
    (sent,) = mail.outbox
    assert sent.subject == f"Ihre Lieferung {first.number}, {second.number} kommt mit der " \
                           "nächsten Lieferwelle"
    assert held.wave.label in sent.body


def test_a_complete_sorted_or_collected_delivery_is_not_held(one_parcel_missing, staff_users):
    first, second, tour, depot = one_parcel_missing
    town, group = the_town(), onward(first).group
    with pytest.raises(NotFound):
        hub_desk.delivery_hold(by=depot, town=town, group="checkout:999999")
    with pytest.raises(NotFound):
        hub_desk.delivery_hold(by=depot, town=town, group="")
    for stop in tour.stops.filter(leg__order=second, leg__kind=LegKind.TRANSFER):
        stop_complete(stop_id=stop.pk, rider=tour.shift.rider, parcels=1,
                      proof_method="name", recipient_name="Depot")
    hub_desk.parcel_scan(by=depot, town=town, code=second.number)
    with pytest.raises(Conflict, match="vollständig: bitte sortieren"):
        hub_desk.delivery_hold(by=depot, town=town, group=group)
    hub_desk.delivery_sort(by=depot, town=town, group=group)
    with pytest.raises(Conflict, match="schon sortiert"):
        hub_desk.delivery_hold(by=depot, town=town, group=group)
    pickup = TourStop.objects.get(leg=onward(first), kind=StopKind.PICKUP)
    stop_complete(stop_id=pickup.pk, rider=tour.shift.rider, parcels=1)
    with pytest.raises(Conflict, match="schon unterwegs"):
        hub_desk.delivery_hold(by=staff_users[Role.DISPATCHER], town=town, group=group)
    assert not Order.objects.filter(events__kind=EventKind.HELD).exists()
    assert tour.stops.filter(status=StopStatus.PENDING).exists()


def test_a_delivery_is_not_held_while_its_parcels_may_still_come(one_parcel_missing):
    # at noon the afternoon's collection rounds may still bring the missing parcel: holding
    # would send tonight's delivery a day late; from half an hour before loading it may be
    first, _second, _tour, depot = one_parcel_missing
    group = onward(first).group
    loading = onward(first).pickup_from.astimezone(BERLIN)
    with pytest.raises(Conflict, match="Noch zu früh") as early:
        hub_desk.delivery_hold(by=depot, town=the_town(), group=group, now=at(12))
    assert early.value.code == "too_early"
    assert f"{loading:%H:%M}" in early.value.message
    assert not Order.objects.filter(events__kind=EventKind.HELD).exists()
    held = hub_desk.delivery_hold(by=depot, town=the_town(), group=group,
                                  now=loading - timedelta(minutes=30))
    assert held.orders


def test_only_the_towns_depot_and_dispatch_may_hold(one_parcel_missing, staff_users):
    first, _second, tour, _depot = one_parcel_missing
    town, group = the_town(), onward(first).group
    gladbeck = other_town()
    stranger = make_user("depot-gladbeck", Role.HUB, town_ids=[gladbeck.pk])
    with pytest.raises(NotFound):
        hub_desk.delivery_hold(by=stranger, town=town, group=group)
    with pytest.raises(NotFound):  # in its own town, the group is not there
        hub_desk.delivery_hold(by=stranger, town=gladbeck, group=group)
    for role in (Role.RIDER, Role.HOTLINE):
        with pytest.raises(Forbidden):
            hub_desk.delivery_hold(by=staff_users[role], town=town, group=group)
    assert onward(first).status == LegStatus.PLANNED
    held = hub_desk.delivery_hold(by=staff_users[Role.OPERATOR], town=town, group=group,
                                  now=at(17, 40))
    assert held.orders[0].pk == first.pk
    assert Tour.objects.get(pk=tour.pk).stops.filter(status=StopStatus.PENDING).count() == 0
