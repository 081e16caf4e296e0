"""The simulated depot holds back a delivery whose parcel never came, and its rider rides the
rest of the tour instead of giving up at the depot."""

import secrets
from datetime import date

import pytest
import time_machine

from louise.accounts.models import Role
from louise.conftest import MONDAY_MORNING, make_customer, the_town
from louise.core.calendar import BERLIN
from louise.logistics.models import Leg, LegKind, LegStatus, StopStatus, Tour, TourStatus, TourStop
from louise.logistics.planning_bridge import Day, plannable_legs
from louise.logistics.services import plan_day, tour_publish
from louise.logistics.withdrawal import stops_withdraw
from louise.orders.checkout import Destination, LineRequest, checkout_place
from louise.orders.models import EventKind, Order
from louise.orders.services import order_accept, order_mark_ready
from louise.simulation.agenda import Agenda, Life, Options, day_end, day_start
from louise.simulation.cast import cast_for
from louise.simulation.dice import Dice
from louise.simulation.riders import ride

pytestmark = pytest.mark.django_db
MONDAY, TUESDAY = MONDAY_MORNING.date(), date(2026, 12, 1)


def bought(person, address, *products) -> list[Order]:
    orders = checkout_place(
        customer=person, lines=[LineRequest(p.pk, 1) for p in products],
        destination=Destination("door", address_id=address.pk),
        idempotency_key=secrets.token_hex(8), now=MONDAY_MORNING).orders.order_by("pk")
    return list(orders)


@pytest.fixture
def monday_with_a_parcel_missing(shop, other_shop, customer, shifts, staff_users):
    """Monday's tours published: a basket from two shops (via the depot) and a neighbour's
    book; the second shop's collection was never planned (its stops left the tour)."""
    neighbour = make_customer("nachbarin", lat=51.5300, lon=6.9400)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        basket = bought(*customer, shop["product"], other_shop["product"])
        single = bought(*neighbour, shop["product"])
        for order in [*basket, *single]:
            staff = (shop if order.merchant_id == shop["merchant"].pk else other_shop)["staff"]
            order_accept(order_number=order.number, by=staff)
            order_mark_ready(order_number=order.number, by=staff, now=MONDAY_MORNING)
        plan_day(town=the_town(), day=MONDAY, by=staff_users[Role.DISPATCHER], time_limit=1)
    for tour in Tour.objects.filter(status=TourStatus.DRAFT):
        tour_publish(tour=tour, by=staff_users[Role.DISPATCHER])
    missing = Leg.objects.get(order=basket[1], kind=LegKind.TRANSFER)
    stops_withdraw([missing.pk])
    Leg.objects.filter(pk=missing.pk).update(status=LegStatus.OPEN)
    return basket, single


def test_the_depot_holds_the_incomplete_delivery_and_the_tours_are_ridden(
        monday_with_a_parcel_missing):
    basket, (single,) = monday_with_a_parcel_missing
    group = Leg.objects.get(order=basket[0], kind=LegKind.DELIVERY).group
    assert TourStop.objects.filter(leg__group=group, status=StopStatus.PENDING).exists()
    # when: Monday is lived by the simulated riders and depot
    with time_machine.travel(day_start(MONDAY), tick=False) as traveller:
        agenda = Agenda(traveller, day_start(MONDAY))
        life = Life(town=the_town(), day=MONDAY, cast=cast_for(the_town()), dice=Dice(3),
                    options=Options(), agenda=agenda)
        for tour in Tour.objects.filter(status=TourStatus.PUBLISHED):
            ride(life, tour)
        agenda.run_until(day_end(MONDAY))
    # then: nothing was refused, every tour was ridden to its end
    assert life.incidents == []
    assert not TourStop.objects.filter(status=StopStatus.PENDING).exists()
    assert TourStop.objects.filter(leg__order=single, status=StopStatus.DONE).exists()
    # ... and the basket waits, whole, for Tuesday's wave, the customer's timeline says so
    live = Leg.objects.filter(order__in=basket).exclude(status__in=[LegStatus.CANCELLED,
                                                                    LegStatus.DELIVERED])
    assert {leg.status for leg in live} == {LegStatus.OPEN}
    assert {leg.drop_from.astimezone(BERLIN).date() for leg in live} == {TUESDAY}
    assert set(live.values_list("pk", flat=True)) <= set(
        plannable_legs(Day(TUESDAY, the_town().pk)).values_list("pk", flat=True))
    assert Leg.objects.filter(order__in=basket, kind=LegKind.DELIVERY).exclude(
        status=LegStatus.CANCELLED).values("group").distinct().count() == 1
    for order in basket:
        assert order.events.filter(kind=EventKind.HELD).count() == 1
