"""Transport follows an order's status whoever changed it (`logistics.reactions`)."""

import pytest

from louise.logistics.models import Leg, LegStatus
from louise.orders import services
from louise.orders.tests.test_place import place

from ...conftest import MONDAY_MORNING, service_booked

pytestmark = pytest.mark.django_db


def test_ready_goods_become_one_open_leg(shop, customer):
    order = place(*customer, shop["product"])
    services.order_accept(order_number=order.number, by=shop["staff"])
    services.order_mark_ready(order_number=order.number, by=shop["staff"], parcels=2,
                              now=MONDAY_MORNING)
    leg = Leg.objects.get(order=order)
    assert (leg.status, leg.parcels, leg.pickup_ref) == (
        LegStatus.OPEN, 2, f"merchant:{shop['merchant'].pk}")
    assert leg.drop_from == order.wave_start
    assert leg.zone.name == "Mitte"


def test_service_round_trip_legs(shop, customer):
    person, address = customer
    order = service_booked(person, shop["service"], address, now=MONDAY_MORNING)
    services.order_accept(order_number=order.number, by=shop["staff"])
    fetch, back = order.legs.order_by("id")
    assert (fetch.kind, fetch.status) == ("item_pickup", LegStatus.OPEN)
    assert (back.kind, back.status, back.depends_on) == ("return", LegStatus.WAITING, fetch)


def test_cancelling_a_ready_order_cancels_its_leg(shop, customer):
    order = place(*customer, shop["product"])
    services.order_accept(order_number=order.number, by=shop["staff"])
    services.order_mark_ready(order_number=order.number, by=shop["staff"], now=MONDAY_MORNING)
    services.order_cancel(order_number=order.number, by=customer[0])
    assert list(Leg.objects.filter(order=order).values_list("status", flat=True)) == [
        LegStatus.CANCELLED]


def _cancel(order):
    """The customer calls off a packed order that is already on a tour."""
    services.order_cancel(order_number=order.number, by=order.customer)


def test_a_cancelled_order_leaves_the_draft_tour(two_orders, drafts):
    gone, kept = two_orders
    tour = drafts[0]
    assert tour.stops.filter(leg__order=gone).count() == 2
    _cancel(gone)
    stops = list(tour.stops.order_by("sequence"))
    assert [s.leg.order_id for s in stops] == [kept.pk, kept.pk]
    assert [s.sequence for s in stops] == [1, 2]  # numbered afresh: "Stopp 1 von 2"


def test_a_cancelled_order_leaves_the_published_tour(two_orders, running_tour):
    gone, kept = two_orders
    before = {s.pk: s.eta for s in running_tour.stops.filter(leg__order=kept)}
    _cancel(gone)
    stops = list(running_tour.stops.order_by("sequence"))
    assert {s.leg.order_id for s in stops} == {kept.pk}
    assert [s.sequence for s in stops] == [1, 2]
    assert all(s.eta is not None for s in stops) and set(before) == {s.pk for s in stops}
