"""A town's stop times and one handover per visit: new legs take their service from the
town's settings; parcels collected at one shop one after the other share the meeting at
its counter (the town's `StopTimes.shared`); the bridge hands the planner each leg's own
part, the tour's rows say so, the checker passes them as written, and the report counts
the time at the counter as spent."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db.models import F

from louise.accounts.models import Role
from louise.core.calendar import BERLIN
from louise.geo.stop_times import StopTimes
from louise.logistics.models import Leg, StopKind, StopStatus, Tour, TourStop
from louise.logistics.planning_bridge import Day, own_service_s, place, to_leg
from louise.logistics.publishing import tour_violations
from louise.logistics.ridden import served_of
from louise.logistics.services import plan_day
from louise.logistics.windows import handover_at

from ...conftest import MONDAY_MORNING, the_town, town_set
from .conftest import order_ready

pytestmark = pytest.mark.django_db

MONDAY: date = MONDAY_MORNING.date()


def test_a_handover_at_shops_and_doors_none_at_the_hub_or_a_riders_position():
    times = StopTimes(pickup=timedelta(minutes=2), drop=timedelta(minutes=3),
                      shared=timedelta(seconds=75), hub=timedelta(seconds=30),
                      shopping=timedelta(minutes=20), depot=timedelta(minutes=3))
    assert handover_at("merchant:3", times) == handover_at("address:7", times) == times.shared
    assert (handover_at("hub:1", times) == handover_at("stop:5", times)
            == handover_at("pos:2", times) == timedelta(0))
    assert place("point:4", 51.5, 6.9, times).handover_s == 75


def test_a_new_town_keeps_the_stop_times_plans_were_made_with():
    assert the_town().stop_times == StopTimes(
        pickup=timedelta(seconds=120), drop=timedelta(seconds=180),
        shared=timedelta(seconds=90), hub=timedelta(seconds=30), shopping=timedelta(minutes=20),
        depot=timedelta(minutes=3))


def _ready(shop, customer, key: str) -> Leg:
    order = order_ready(shop, *customer, key)
    return Leg.objects.get(order=order, pickup_ref__startswith="merchant:")


def _counter_and_door(order) -> tuple[int, int]:
    """The order's service seconds at the shop's counter and at the door."""
    return (Leg.objects.get(order=order, pickup_ref__startswith="merchant:").pickup_service_s,
            Leg.objects.get(order=order, drop_ref__startswith="address:").drop_service_s)


def test_a_towns_stop_times_go_into_its_new_legs(shop, customer, other_customer):
    before = order_ready(shop, *customer, "a")
    # when: the depot has measured its stops and entered them
    town_set(stop_pickup_s=100, stop_drop_s=240)
    after = order_ready(shop, *other_customer, "b")
    # then: the new order's legs take them, at the shop's counter and at the door
    assert _counter_and_door(after) == (100, 240)
    # and the legs made before keep their own
    assert _counter_and_door(before) == (120, 180)


@pytest.mark.parametrize("shared", [90, 45])
def test_the_planner_gets_each_legs_own_part_and_windows_for_after_the_handover(
        shop, customer, shared):
    leg = _ready(shop, customer, "a")
    town_set(stop_shared_s=shared)  # the town's shared part, read when the day is planned
    day = Day(MONDAY, leg.town_id)
    planned = to_leg(leg, day)
    assert planned.pickup.handover_s == shared
    assert planned.pickup_service == leg.pickup_service_s - shared
    assert own_service_s(leg, StopKind.PICKUP, day.times) == planned.pickup_service
    epoch = datetime.combine(MONDAY, time(0), BERLIN)
    assert planned.pickup_window.start == (leg.pickup_from - epoch).total_seconds() + shared
    assert planned.pickup_window.end == (leg.pickup_until - epoch).total_seconds() + shared


def test_two_parcels_from_one_shop_share_its_counter(shop, customer, other_customer, shifts,
                                                     staff_users):
    # given: two orders of one shop to two doors
    legs = [_ready(shop, customer, "a"), _ready(shop, other_customer, "b")]
    # when: the day is planned by the real solver
    with time_machine.travel(MONDAY_MORNING, tick=False):
        run = plan_day(town=the_town(), day=MONDAY, by=staff_users[Role.DISPATCHER],
                       time_limit=1)
    stops = list(TourStop.objects.filter(tour__plan_run=run, kind=StopKind.PICKUP,
                                         leg__in=legs).order_by("sequence"))
    # then: one rider fetches both in one visit; the second follows the first's own 30 s
    first, second = stops
    assert first.tour_id == second.tour_id and second.sequence == first.sequence + 1
    shared = the_town().stop_times.shared
    own = timedelta(seconds=legs[0].pickup_service_s) - shared
    assert first.planned_departure - first.planned_arrival == own
    assert second.planned_arrival == first.planned_departure
    assert second.planned_departure - second.planned_arrival == own
    # and the checker, timing the tour on its own, finds nothing wrong
    assert tour_violations(Tour.objects.get(pk=first.tour_id)) == []
    # once both are done, the town's report counts the counter once for the two
    TourStop.objects.filter(pk__in=[first.pk, second.pk]).update(
        status=StopStatus.DONE, done_at=F("planned_departure"))
    served = served_of([first.tour_id])[first.tour_id]
    assert (served.stops, served.parcels) == (2, 0)
    assert served.service_s == 2 * legs[0].pickup_service_s - shared.total_seconds()
