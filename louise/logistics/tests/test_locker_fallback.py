"""A parcel for a locker that cannot be reached keeps exactly one compartment, or none when
it goes elsewhere: lockers must not fill up with boxes nobody will open."""

from datetime import timedelta

import pytest
import time_machine

from louise.geo.models import LockerCompartment, PickupPoint
from louise.logistics.models import Leg, StopKind
from louise.logistics.services import stop_complete, stop_fail
from louise.orders.checkout import Destination
from louise.orders.models import OrderStatus

from ...conftest import MONDAY_MORNING, town_set
from .journeys import one_book_bought, packed_planned_published

MONDAY_EVENING = MONDAY_MORNING.replace(hour=18)


@pytest.fixture
def locker_parcel_on_board(shop, customer, town, shifts, staff_users):
    """A book for the town's locker (one compartment reserved at checkout), collected."""
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = one_book_bought(shop, customer[0],
                                Destination("locker", locker_id=town["locker"].pk), "box")
        tour = packed_planned_published(shop, [order], staff_users)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        stop_complete(stop_id=tour.stops.get(kind=StopKind.PICKUP).pk,
                      rider=tour.shift.rider, parcels=1)
    assert LockerCompartment.objects.filter(order=order).count() == 1
    return order, tour


def fail_at_the_door(tour, reason: str) -> None:
    with time_machine.travel(MONDAY_EVENING.replace(minute=10), tick=False):
        stop_fail(stop_id=tour.stops.get(kind=StopKind.DELIVERY).pk, rider=tour.shift.rider,
                  reason=reason)


def test_unreachable_locker_reroutes_to_a_locker_with_one_box(locker_parcel_on_board,
                                                              settings):
    # given
    town_set(fallback_order=["locker", "point", "next_wave"])
    order, tour = locker_parcel_on_board
    # when: the rider cannot get to the locker
    fail_at_the_door(tour, "no_access")
    # then: the parcel is on its way to a locker again, holding exactly one compartment
    order.refresh_from_db()
    assert order.status == OrderStatus.OUT_FOR_DELIVERY
    assert order.delivery_method == "locker"
    assert LockerCompartment.objects.filter(order=order).count() == 1


def test_rerouting_to_a_pickup_point_frees_the_box(locker_parcel_on_board, settings):
    town_set(fallback_order=["point", "next_wave"])
    order, tour = locker_parcel_on_board
    fail_at_the_door(tour, "no_access")
    order.refresh_from_db()
    assert order.delivery_method == "point"
    assert not LockerCompartment.objects.filter(order=order).exists()


def test_goods_going_back_to_the_hub_free_the_box(locker_parcel_on_board):
    order, tour = locker_parcel_on_board
    fail_at_the_door(tour, "damaged")
    assert not LockerCompartment.objects.filter(order=order).exists()


def test_compartments_out_of_service_are_skipped_by_the_fallback(locker_parcel_on_board):
    # given: every compartment of the town's locker is out of service
    town_set(fallback_order=["locker", "point", "next_wave"])
    order, tour = locker_parcel_on_board
    LockerCompartment.objects.update(out_of_service=True)
    # when the rider cannot get to the locker
    fail_at_the_door(tour, "no_access")
    # then no compartment is taken: the parcel goes to the pickup point
    order.refresh_from_db()
    assert order.delivery_method == "point"
    assert not LockerCompartment.objects.filter(order=order).exists()


def test_a_failed_drop_is_rerouted_to_a_point_only_until_it_closes(locker_parcel_on_board,
                                                                   town):
    # given the locker cannot be reached at 18:10, the kiosk is open until 18:35
    town_set(fallback_order=["point", "next_wave"])
    PickupPoint.objects.update(opening_hours={"0": [["08:00", "18:35"]]})
    order, tour = locker_parcel_on_board
    # when the drop fails
    fail_at_the_door(tour, "no_access")
    # then the parcel goes to the kiosk, dropped (3 minutes) before it closes, not later
    order.refresh_from_db()
    assert order.delivery_method == "point"
    leg = Leg.objects.get(order=order, drop_ref=f"point:{town['point'].pk}")
    assert leg.drop_until == MONDAY_EVENING.replace(minute=32)


def test_a_point_closing_before_the_rider_can_get_there_is_passed_over(locker_parcel_on_board,
                                                                       town):
    # given the kiosk closes at 18:20, ten minutes after the failed drop
    town_set(fallback_order=["point", "next_wave"])
    PickupPoint.objects.update(opening_hours={"0": [["08:00", "18:20"]]})
    order, tour = locker_parcel_on_board
    # when the drop fails
    fail_at_the_door(tour, "no_access")
    # then the parcel is not sent to the shutting kiosk but waits for Tuesday's wave
    order.refresh_from_db()
    assert order.delivery_method == "locker"
    assert order.wave_start.date() == MONDAY_MORNING.date() + timedelta(days=1)
