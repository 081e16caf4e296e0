"""One handover per visit: parcels collected at one shop one after the other share the
meeting at its counter (`windows.SHARED_HANDOVER`); the bridge hands the planner each leg's
own part, the tour's rows say so, the checker passes them as written, and the report
counts the time at the counter as spent."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db.models import F

from louise.accounts.models import Role
from louise.core.calendar import BERLIN
from louise.logistics.models import Leg, StopKind, StopStatus, Tour, TourStop
from louise.logistics.planning_bridge import Day, own_service_s, place, to_leg
from louise.logistics.publishing import tour_violations
from louise.logistics.ridden import served_of
from louise.logistics.services import plan_day
from louise.logistics.windows import SHARED_HANDOVER, handover_at

from ...conftest import MONDAY_MORNING, the_town
from .conftest import order_ready

pytestmark = pytest.mark.django_db

MONDAY: date = MONDAY_MORNING.date()


def test_a_handover_at_shops_and_doors_none_at_the_hub_or_a_riders_position():
    assert handover_at("merchant:3") == handover_at("address:7") == SHARED_HANDOVER
    assert handover_at("hub:1") == handover_at("stop:5") == handover_at("pos:2") == timedelta(0)
    assert place("point:4", 51.5, 6.9).handover_s == SHARED_HANDOVER.total_seconds()


def _ready(shop, customer, key: str) -> Leg:
    order = order_ready(shop, *customer, key)
    return Leg.objects.get(order=order, pickup_ref__startswith="merchant:")


def test_the_planner_gets_each_legs_own_part_and_windows_for_after_the_handover(
        shop, customer):
    leg = _ready(shop, customer, "a")
    planned = to_leg(leg, Day(MONDAY, leg.town_id))
    shared = int(SHARED_HANDOVER.total_seconds())
    assert planned.pickup.handover_s == shared
    assert planned.pickup_service == leg.pickup_service_s - shared
    assert own_service_s(leg, StopKind.PICKUP) == planned.pickup_service
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
    own = timedelta(seconds=legs[0].pickup_service_s) - SHARED_HANDOVER
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
    assert served.service_s == 2 * legs[0].pickup_service_s - SHARED_HANDOVER.total_seconds()
