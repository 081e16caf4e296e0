"""The dispatcher's adjustments and the running plan: locks survive a re-plan, moves are
checked, new orders slot into published tours without disturbing what riders started."""

import pytest
import time_machine

from louise.accounts.models import Role
from louise.catalog.models import Product
from louise.core.calendar import BERLIN
from louise.core.errors import Conflict, Forbidden
from louise.logistics.adjust import stop_lock, stop_move, tours_check
from louise.logistics.jobs import plan_enqueue
from louise.logistics.models import (
    LegKind,
    LegStatus,
    Shift,
    StopKind,
    StopStatus,
    Tour,
    TourStatus,
)
from louise.logistics.planning_bridge import Day
from louise.logistics.publishing import tour_violations
from louise.logistics.rider_actions import rider_action_apply
from louise.logistics.running import open_legs_insert
from louise.logistics.services import plan_day

from ...conftest import MONDAY_MORNING, make_customer, the_town
from .conftest import MONDAY_EVENING, order_ready
from .journeys import repair_booked


def ordered(tour: Tour) -> list:
    return list(tour.stops.select_related("leg").order_by("sequence"))


@pytest.mark.django_db
def test_a_locked_stop_keeps_its_vehicle_when_the_day_is_replanned(drafts, staff_users):
    # given a draft tour and its first stop locked by the dispatcher
    dispo = staff_users[Role.DISPATCHER]
    first = ordered(drafts[0])[0]
    stop_lock(stop_id=first.pk, by=dispo, locked=True)
    # when the day is planned again
    with time_machine.travel(MONDAY_MORNING, tick=False):
        run = plan_day(town=the_town(), day=MONDAY_MORNING.date(), by=dispo, time_limit=1)
    # then the leg is on the same shift, still locked, and the old draft is discarded
    new = Tour.objects.get(plan_run=run)
    assert new.shift_id == drafts[0].shift_id
    assert all(s.locked for s in new.stops.filter(leg=first.leg))
    drafts[0].refresh_from_db()
    assert drafts[0].status == TourStatus.DISCARDED


@pytest.mark.django_db
def test_moving_a_drop_before_its_pickup_is_reported(drafts, staff_users):
    # given a planned draft tour
    stops = ordered(drafts[0])
    drop = next(s for s in stops if s.kind == StopKind.DELIVERY)
    # when the dispatcher moves the drop to the very front
    result = stop_move(stop_id=drop.pk, by=staff_users[Role.DISPATCHER],
                       tour_id=drafts[0].pk, position=1)
    # then the order is kept but the checker names what broke
    assert ordered(drafts[0])[0].pk == drop.pk
    assert not result.ok
    assert any("Zustellung vor Abholung" in m for m in result.messages)
    # and moving it back makes the plan clean again
    assert stop_move(stop_id=drop.pk, by=staff_users[Role.DISPATCHER], tour_id=drafts[0].pk,
                     position=stops.index(drop) + 1).ok


@pytest.mark.django_db
def test_the_untouched_plan_checks_clean(drafts):
    assert tours_check(day=Day(MONDAY_MORNING.date(), the_town().pk)).ok


@pytest.mark.django_db
def test_published_tours_and_other_roles_cannot_be_adjusted(running_tour, staff_users):
    first = ordered(running_tour)[0]
    with pytest.raises(Conflict):
        stop_lock(stop_id=first.pk, by=staff_users[Role.DISPATCHER], locked=True)
    with pytest.raises(Forbidden):
        stop_lock(stop_id=first.pk, by=staff_users[Role.RIDER], locked=True)


@pytest.mark.django_db
def test_a_new_order_is_slotted_into_the_running_tour(running_tour, tour_rider, shop,
                                                      staff_users):
    # given the rider has already collected at the first stop
    with time_machine.travel(MONDAY_EVENING, tick=False):
        first = ordered(running_tour)[0]
        rider_action_apply(rider=tour_rider, key="k-new-0001", kind="complete",
                           stop_id=first.pk, data={"parcels": 1})
    before = [(s.pk, s.kind) for s in ordered(running_tour)]
    # and a third customer's order is packed during the day
    person, address = make_customer("spaet", lat=51.5260, lon=6.9330)
    late = order_ready(shop, person, address, "late")
    # when the dispatcher inserts new orders into the running plan
    with time_machine.travel(MONDAY_EVENING, tick=False):
        result = open_legs_insert(town=the_town(),
                                  day=MONDAY_MORNING.date(), by=staff_users[Role.DISPATCHER])
    # then the new leg is on the tour, and nothing the rider had was dropped or renumbered
    leg = late.legs.get()
    assert result.placed == {leg.pk: running_tour.pk} and not result.unassigned
    leg.refresh_from_db()
    assert leg.status == LegStatus.PLANNED
    after = ordered(running_tour)
    assert len(after) == 6 and after[0].pk == first.pk and after[0].sequence == 1
    assert {pk for pk, _ in before} <= {s.pk for s in after}
    assert [s.sequence for s in after] == list(range(1, 7))
    assert all(s.eta for s in after if s.status == StopStatus.PENDING)


@pytest.mark.django_db
def test_inserting_without_a_published_plan_says_so(drafts, staff_users):
    with pytest.raises(Conflict, match="veröffentlichten"):
        open_legs_insert(town=the_town(),
                         day=MONDAY_MORNING.date(), by=staff_users[Role.DISPATCHER])


@pytest.mark.django_db(transaction=True)
def test_an_order_packed_during_the_wave_joins_the_running_tour_by_itself(running_tour,
                                                                          shop):
    # given a published tour / when a new order is packed (its leg opens and is announced)
    person, address = make_customer("spaet", lat=51.5260, lon=6.9330)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        late = order_ready(shop, person, address, "late")
    # then the background job has slotted it into the tour, without the dispatcher
    leg = late.legs.get()
    assert leg.status == LegStatus.PLANNED
    assert running_tour.stops.filter(leg=leg).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_repair_accepted_during_the_day_is_fetched_by_the_running_tour_by_itself(
        running_tour, shop, customer):
    # given a published tour / when the shop accepts a repair booked for today's wave
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = repair_booked(shop, customer, "spaet-reparatur")
    # then the item's fetch is on the tour, without the dispatcher; the way back waits
    fetch = order.legs.get(kind=LegKind.ITEM_PICKUP)
    assert fetch.status == LegStatus.PLANNED
    assert running_tour.stops.filter(leg=fetch).count() == 2
    assert order.legs.get(kind=LegKind.RETURN).status == LegStatus.WAITING


def bulky_order_ready(shop, key: str):
    """A late door order of something only the car carries (the running tour is a bike's)."""
    Product.objects.filter(pk=shop["product"].pk).update(bulky=True)
    person, address = make_customer(f"sperrig-{key}", lat=51.5260, lon=6.9330)
    return order_ready(shop, person, address, key)


@pytest.mark.django_db
@pytest.mark.parametrize(("now", "begun"), [(MONDAY_EVENING, True), (MONDAY_MORNING, False)])
def test_a_new_order_no_running_tour_can_carry_rides_with_a_rider_without_a_tour(
        running_tour, shop, staff_users, now, begun):
    # given the bike's tour is published and the car's rider (14:00–21:00) has none
    car_shift = Shift.objects.get(vehicle__kind="car")
    assert not car_shift.tours.exists()
    late = bulky_order_ready(shop, "late-bulky")
    # when the dispatcher inserts new orders into the running plan
    with time_machine.travel(now, tick=False):
        result = open_legs_insert(town=the_town(), day=MONDAY_MORNING.date(),
                                  by=staff_users[Role.DISPATCHER])
    # then the car's rider gets a published tour with it, checked clean, not "no room"
    leg = late.legs.get()
    tour = car_shift.tours.get()
    assert result.placed == {leg.pk: tour.pk} and not result.unassigned
    assert tour.status == TourStatus.PUBLISHED and tour.published_at == now
    assert tour.plan_run_id == running_tour.plan_run_id
    assert [s.kind for s in ordered(tour)] == [StopKind.PICKUP, StopKind.DELIVERY]
    assert tour_violations(tour) == []
    leg.refresh_from_db()
    assert leg.status == LegStatus.PLANNED
    # the shift begins with the tour unless the rider has been on duty since 14:00
    car_shift.refresh_from_db()
    starts = car_shift.starts_at.astimezone(BERLIN)
    assert (starts.hour == 14 and starts.minute == 0) == begun
    assert car_shift.starts_at <= tour.starts_at
    # and the bike's tour is as it was
    assert running_tour.stops.count() == 4


@pytest.mark.django_db
def test_while_the_day_is_being_planned_no_rider_without_a_tour_gets_one(
        running_tour, shop, staff_users, django_capture_on_commit_callbacks):
    # given a plan run of the day queued: its drafts are for the riders without a tour
    dispo = staff_users[Role.DISPATCHER]
    with django_capture_on_commit_callbacks(execute=False):
        plan_enqueue(town=the_town(), day=MONDAY_MORNING.date(), by=dispo, time_limit=1)
    late = bulky_order_ready(shop, "late-while-planning")
    # when new orders are inserted meanwhile
    with time_machine.travel(MONDAY_EVENING, tick=False):
        result = open_legs_insert(town=the_town(), day=MONDAY_MORNING.date(), by=dispo)
    # then the car's rider gets no second plan: the leg waits for the run, saying why
    assert not Shift.objects.get(vehicle__kind="car").tours.exists()
    assert [u["leg"] for u in result.unassigned] == [late.legs.get().pk]
