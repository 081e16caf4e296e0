"""Riders at work: the offline outbox exactly once, failures and their fallback, positions."""

import io
import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from louise.accounts.models import AuditEntry
from louise.conftest import town_set
from louise.core.calendar import BERLIN
from louise.core.errors import Conflict, Invalid, NotFound
from louise.geo.models import LockerCompartment
from louise.logistics.legs import PICKUP_LEAD
from louise.logistics.models import (
    Leg,
    LegStatus,
    RiderAction,
    RiderPosition,
    Shift,
    StopKind,
    StopStatus,
    Tour,
    TourStatus,
    TourStop,
)
from louise.logistics.positions import position_record
from louise.logistics.rider_actions import rider_action_apply, rider_action_outcome
from louise.logistics.selectors import customer_may_see_rider
from louise.logistics.shifts import paid_until
from louise.orders.models import EventKind, OrderStatus
from louise.planning.matrix import great_circle_m

from .conftest import MONDAY_EVENING


def stops_of(tour) -> list[TourStop]:
    return list(tour.stops.select_related("leg__order").order_by("sequence"))


def fail_first_drop(tour, rider, reason: str) -> tuple[TourStop, RiderAction]:
    """Collect every parcel on the evening, then fail the first drop with `reason`."""
    with time_machine.travel(MONDAY_EVENING, tick=False):
        collect_all(tour, rider)
        drop = next(s for s in stops_of(tour) if s.kind == StopKind.DELIVERY)
        action = rider_action_apply(rider=rider, key=f"k-fail-{reason}", kind="fail",
                                    stop_id=drop.pk, data={"reason": reason})
    return drop, action


def fallback_mails() -> list:
    """The failure mails (the retried parcel's "on its way" mail aside)."""
    return [m for m in mail.outbox if "Zustellung nicht möglich" in m.subject]


def collect_all(tour, rider) -> None:
    for stop in stops_of(tour):
        if stop.kind == StopKind.PICKUP:
            rider_action_apply(rider=rider, key=f"pickup-{stop.pk}", kind="complete",
                               stop_id=stop.pk, data={"parcels": stop.leg.parcels})


@pytest.mark.django_db
def test_an_action_replayed_with_its_key_lands_once(running_tour, tour_rider):
    # given the first stop of the published tour
    first = stops_of(running_tour)[0]
    with time_machine.travel(MONDAY_EVENING, tick=False):
        # when the phone sends the same queued action three times
        for _ in range(3):
            action = rider_action_apply(rider=tour_rider, key="k-000001", kind="complete",
                                        stop_id=first.pk, data={"parcels": 1})
    # then it was applied once and every answer is the first one
    assert RiderAction.objects.filter(rider=tour_rider).count() == 1
    assert rider_action_outcome(action)["status"] == StopStatus.DONE
    first.refresh_from_db()
    assert first.status == StopStatus.DONE


@pytest.mark.django_db
def test_a_refused_action_is_refused_again_on_replay(running_tour, tour_rider):
    # given a pickup where the rider scanned the wrong number of parcels
    first = stops_of(running_tour)[0]
    with time_machine.travel(MONDAY_EVENING, tick=False):
        action = rider_action_apply(rider=tour_rider, key="k-000002", kind="complete",
                                    stop_id=first.pk, data={"parcels": 3})
        replay = rider_action_apply(rider=tour_rider, key="k-000002", kind="complete",
                                    stop_id=first.pk, data={"parcels": 3})
    # then both answers carry the same refusal and nothing changed
    assert action.pk == replay.pk
    with pytest.raises(Invalid, match="Anzahl stimmt nicht"):
        rider_action_outcome(replay)
    first.refresh_from_db()
    assert first.status == StopStatus.PENDING


@pytest.mark.django_db
def test_a_stop_of_tomorrows_tour_cannot_be_done_today(running_tour, tour_rider):
    # given Monday's tour, which the rider's app shows on Sunday already
    first = stops_of(running_tour)[0]
    # when the rider reports its first pickup failed on Sunday evening
    with time_machine.travel(MONDAY_EVENING - timedelta(days=1), tick=False):
        action = rider_action_apply(rider=tour_rider, key="k-sunday-1", kind="fail",
                                    stop_id=first.pk, data={"reason": "shop_closed"})
    # then it is refused, saying for when the tour is, and nothing changed
    with pytest.raises(Conflict, match="erst an diesem Tag") as refused:
        rider_action_outcome(action)
    assert refused.value.code == "tour_not_today" and "30.11.2026" in refused.value.message
    first.refresh_from_db()
    assert (first.status, first.failure_reason) == (StopStatus.PENDING, "")


@pytest.mark.django_db
def test_another_riders_stop_is_not_found(running_tour, other_rider):
    # given a stop on someone else's tour
    first = stops_of(running_tour)[0]
    # when another rider tries to complete it
    action = rider_action_apply(rider=other_rider, key="k-000003", kind="complete",
                                stop_id=first.pk, data={"parcels": 1})
    # then it does not exist for them
    with pytest.raises(NotFound):
        rider_action_outcome(action)


@pytest.mark.django_db
def test_not_at_home_goes_to_the_nearest_locker_and_the_customer_is_told(
        running_tour, tour_rider, caplog, django_capture_on_commit_callbacks):
    # given both parcels collected / when the first customer is not at home
    with caplog.at_level(logging.INFO, logger="louise"), \
            django_capture_on_commit_callbacks(execute=True):
        drop, action = fail_first_drop(running_tour, tour_rider, "not_home")
    # then the parcel is rerouted to the locker, slotted into this tour
    assert rider_action_outcome(action)["fallback"] == "locker"
    order = drop.leg.order
    order.refresh_from_db()
    assert order.status == OrderStatus.OUT_FOR_DELIVERY
    assert order.delivery_method == "locker"
    box = LockerCompartment.objects.get(order=order)
    new_leg = Leg.objects.get(fallback_for=drop.leg)
    assert new_leg.status == LegStatus.COLLECTED and new_leg.drop_ref.startswith("locker:")
    new_stop = TourStop.objects.get(leg=new_leg)
    assert new_stop.tour == running_tour and new_stop.status == StopStatus.PENDING
    # and the customer got one German mail with the compartment and its code
    assert len(fallback_mails()) == 1 and box.code in fallback_mails()[0].body
    assert "Paketstation" in fallback_mails()[0].body
    # and the trail and the log name the way taken
    event = order.events.get(kind=EventKind.FALLBACK)
    assert (event.from_status, event.to_status) == (OrderStatus.FAILED,
                                                    OrderStatus.OUT_FOR_DELIVERY)
    assert event.note.startswith("Paketstation – ") and box.code not in event.note
    [record] = [r for r in caplog.records if r.getMessage() == "fallback applied"]
    assert (record.order, record.reason, record.fallback) == (order.number, "not_home",
                                                              "locker")
    # when the rider drops it there with the code
    with time_machine.travel(MONDAY_EVENING + timedelta(minutes=20), tick=False):
        wrong = rider_action_apply(rider=tour_rider, key="k-lock-0", kind="complete",
                                   stop_id=new_stop.pk,
                                   data={"proof_method": "locker_code", "locker_code": "x"})
        done = rider_action_apply(rider=tour_rider, key="k-lock-1", kind="complete",
                                  stop_id=new_stop.pk,
                                  data={"proof_method": "locker_code", "locker_code": box.code})
    # then a wrong code is refused and the right one delivers the order
    with pytest.raises(Invalid, match="Code passt nicht"):
        rider_action_outcome(wrong)
    assert rider_action_outcome(done)["status"] == StopStatus.DONE
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED


@pytest.mark.django_db
def test_refused_goods_go_back_to_the_hub(running_tour, tour_rider,
                                          django_capture_on_commit_callbacks):
    # given the parcels collected / when the customer refuses
    with django_capture_on_commit_callbacks(execute=True):
        drop, action = fail_first_drop(running_tour, tour_rider, "refused")
    # then no new drop is planned, the order stays failed, the customer is told
    assert rider_action_outcome(action)["fallback"] == "hub"
    assert not Leg.objects.filter(fallback_for=drop.leg).exists()
    drop.leg.order.refresh_from_db()
    assert drop.leg.order.status == OrderStatus.FAILED
    [told] = fallback_mails()
    assert "City-Station" in told.body
    assert drop.leg.order.events.get(kind=EventKind.FALLBACK).text == (
        "Ersatzweg: zurück zur City-Station")


@pytest.mark.django_db
def test_a_failure_report_rolled_back_mails_nobody(running_tour, tour_rider,
                                                   django_capture_on_commit_callbacks):
    # when the failed drop is reported in a transaction that fails afterwards
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), \
            transaction.atomic():
        drop, _ = fail_first_drop(running_tour, tour_rider, "refused")
        raise RuntimeError("the request fails after the report")
    # then the customer got no failure mail, and nothing of the fallback is kept
    assert fallback_mails() == []
    assert not drop.leg.order.events.filter(kind=EventKind.FALLBACK).exists()


@pytest.mark.django_db
def test_without_lockers_or_points_the_parcel_waits_for_the_next_wave(running_tour, tour_rider,
                                                                      settings):
    # given a town where the rules only allow the next wave
    town_set(fallback_order=["next_wave"])
    # when nobody is at home
    drop, _ = fail_first_drop(running_tour, tour_rider, "not_home")
    # then an open leg from the hub waits in Tuesday's wave
    leg = Leg.objects.get(fallback_for=drop.leg)
    assert leg.status == LegStatus.OPEN and leg.pickup_ref.startswith("hub:")
    assert leg.drop_ref == drop.leg.drop_ref
    assert leg.drop_from.date().isoformat() == "2026-12-01"
    # and may be fetched from the hub as early as a shop's parcel without opening hours
    assert leg.pickup_from == leg.drop_from - PICKUP_LEAD


@pytest.mark.django_db
def test_positions_only_on_tour_kept_for_the_day(running_tour, tour_rider, other_rider):
    # given a rider on their published tour in the evening
    with time_machine.travel(MONDAY_EVENING, tick=False):
        # when they send a position
        position_record(rider=tour_rider, lat=51.524, lon=6.929)
        # then it is stored and the ETAs are re-projected from it
        assert RiderPosition.objects.filter(rider=tour_rider).count() == 1
        assert all(s.eta for s in stops_of(running_tour))
        # and a rider without a tour is refused
        with pytest.raises(Conflict):
            position_record(rider=other_rider, lat=51.524, lon=6.929)
    # when the next day begins and the nightly purge runs
    with time_machine.travel(MONDAY_EVENING + timedelta(days=1), tick=False):
        call_command("positions_purge", stdout=io.StringIO())
    # then yesterday's positions are gone
    assert not RiderPosition.objects.exists()


@pytest.mark.django_db
def test_a_customer_sees_the_rider_only_on_the_way_to_their_stop(running_tour, tour_rider):
    # given the tour: pickups first, then the two drops
    with time_machine.travel(MONDAY_EVENING, tick=False):
        drops = [s for s in stops_of(running_tour) if s.kind == StopKind.DELIVERY]
        # then before the pickups are done, no customer may see the rider
        assert not any(customer_may_see_rider(stop=s) for s in drops)
        # when the pickups are done
        collect_all(running_tour, tour_rider)
    # then only the customer of the next drop may see the rider
    assert [customer_may_see_rider(stop=s) for s in drops] == [True, False]


@pytest.mark.django_db
def test_a_signature_is_a_proof_and_an_empty_one_is_not(running_tour, tour_rider):
    # given both parcels collected
    with time_machine.travel(MONDAY_EVENING, tick=False):
        collect_all(running_tour, tour_rider)
        drop = next(s for s in stops_of(running_tour) if s.kind == StopKind.DELIVERY)
        # when the rider sends an empty signature, then a drawn one
        empty = rider_action_apply(rider=tour_rider, key="k-sig-000", kind="complete",
                                   stop_id=drop.pk, data={"proof_method": "signature"})
        svg = '<svg xmlns="http://www.w3.org/2000/svg"><polyline points="1,1 9,9"/></svg>'
        signed = rider_action_apply(rider=tour_rider, key="k-sig-001", kind="complete",
                                    stop_id=drop.pk,
                                    data={"proof_method": "signature", "signature_svg": svg})
    # then the first is refused and the second delivers with the drawing kept
    with pytest.raises(Invalid, match="fehlt der Inhalt"):
        rider_action_outcome(empty)
    assert rider_action_outcome(signed)["status"] == StopStatus.DONE
    assert drop.proof.signature_svg == svg


@pytest.mark.django_db
def test_a_label_of_another_order_is_refused(running_tour, tour_rider):
    # given the first pickup / when the rider scans a label of some other order
    first = stops_of(running_tour)[0]
    with time_machine.travel(MONDAY_EVENING, tick=False):
        action = rider_action_apply(rider=tour_rider, key="k-label-1", kind="complete",
                                    stop_id=first.pk, data={"codes": ["LOUISE:B999999-XX:1/1"]})
    # then it is refused by name
    with pytest.raises(Invalid, match="gehört zu Bestellung B999999-XX"):
        rider_action_outcome(action)


@pytest.mark.django_db
@pytest.mark.parametrize("claimed", [datetime(2000, 1, 1, tzinfo=UTC),
                                     MONDAY_EVENING - timedelta(hours=25),
                                     MONDAY_EVENING + timedelta(hours=2)])
def test_an_implausible_reported_time_is_not_believed(running_tour, tour_rider, claimed):
    # given the first stop of the published tour, on Monday evening
    first = stops_of(running_tour)[0]
    with time_machine.travel(MONDAY_EVENING, tick=False):
        # when the phone reports it done long ago (a backdated proof) or far ahead
        rider_action_apply(rider=tour_rider, key="k-backdated", kind="complete",
                           stop_id=first.pk, data={"parcels": 1}, at=claimed)
    # then it counts, at the server's time
    first.refresh_from_db()
    assert first.status == StopStatus.DONE and first.done_at == MONDAY_EVENING


@pytest.mark.django_db
def test_an_offline_phone_keeps_its_time(running_tour, tour_rider):
    # given a phone that was offline for an hour
    first = stops_of(running_tour)[0]
    with time_machine.travel(MONDAY_EVENING, tick=False):
        rider_action_apply(rider=tour_rider, key="k-offline1", kind="complete",
                           stop_id=first.pk, data={"parcels": 1},
                           at=MONDAY_EVENING - timedelta(hours=1))
    # then the stop was done when the rider did it
    first.refresh_from_db()
    assert first.done_at == MONDAY_EVENING - timedelta(hours=1)


def deliver_all(tour, rider) -> TourStop:
    """Every stop of the tour done, drops signed; returns the last."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><polyline points="1,1 9,9"/></svg>'
    collect_all(tour, rider)
    for stop in stops_of(tour):
        if stop.kind == StopKind.DELIVERY:
            rider_action_apply(rider=rider, key=f"dropkey-{stop.pk}", kind="complete",
                               stop_id=stop.pk,
                               data={"proof_method": "signature", "signature_svg": svg})
    return stops_of(tour)[-1]


@pytest.mark.django_db
def test_the_shift_ends_when_the_rider_is_back_from_the_last_stop(running_tour, tour_rider):
    # given the published tour's shift, planned until 21:00
    shift = Shift.objects.get(pk=running_tour.shift_id)
    planned_end = shift.ends_at
    # when the rider does every stop by 17:45
    with time_machine.travel(MONDAY_EVENING, tick=False):
        last = deliver_all(running_tour, tour_rider)
    shift.refresh_from_db()
    running_tour.refresh_from_db()
    # then the tour is done and the shift ends on the first 5 minutes after the ride back
    # from the last stop (at the vehicle's pace), not at 21:00
    assert running_tour.status == TourStatus.DONE
    hub = shift.vehicle.hub
    ride = timedelta(seconds=great_circle_m(last.lat, last.lon, hub.lat, hub.lon) * 1.3 * 3.6
                     / (shift.vehicle.speed_kmh * 1.3))
    back = last.done_at + ride
    assert back <= shift.ends_at < back + timedelta(minutes=5, seconds=1)
    assert shift.ends_at.astimezone(BERLIN).minute % 5 == 0
    assert shift.ends_at < planned_end
    entry = AuditEntry.objects.filter(action="an die Tour angepasst",
                                      object_id=str(shift.pk)).order_by("-pk").first()
    assert entry is not None and entry.by == tour_rider and "ends_at" in entry.changes


@pytest.mark.django_db
def test_a_shift_with_another_tour_to_ride_keeps_its_end(running_tour, tour_rider,
                                                         staff_users):
    # given a second draft tour on the same shift
    shift = Shift.objects.get(pk=running_tour.shift_id)
    planned_end = shift.ends_at
    Tour.objects.create(plan_run=running_tour.plan_run, shift=shift, starts_at=planned_end
                        - timedelta(hours=1), ends_at=planned_end)
    # when the first tour is done
    with time_machine.travel(MONDAY_EVENING, tick=False):
        deliver_all(running_tour, tour_rider)
    # then the shift still ends as planned
    shift.refresh_from_db()
    assert shift.ends_at == planned_end


@pytest.mark.django_db
def test_stops_recorded_before_the_shift_began_leave_it_as_planned(running_tour, tour_rider):
    # the stops are entered at noon (after the fact, or a clock off), before the 14:00 start:
    # the shift keeps its times instead of ending before it began
    shift = Shift.objects.get(pk=running_tour.shift_id)
    planned = (shift.starts_at, shift.ends_at)
    with time_machine.travel(MONDAY_EVENING.replace(hour=12, minute=0), tick=False):
        deliver_all(running_tour, tour_rider)
    shift.refresh_from_db()
    running_tour.refresh_from_db()
    assert running_tour.status == TourStatus.DONE
    assert (shift.starts_at, shift.ends_at) == planned


def test_paid_time_ends_on_the_next_round_time_inside_the_shift():
    start = datetime(2026, 11, 30, 14, 0, tzinfo=BERLIN)
    shift = Shift(starts_at=start, ends_at=start + timedelta(hours=7))
    at = start.replace(hour=19, minute=41, second=3)
    assert paid_until(shift, at) == start.replace(hour=19, minute=45)
    assert paid_until(shift, start.replace(hour=19, minute=40)) == start.replace(hour=19,
                                                                                 minute=40)
    assert paid_until(shift, start.replace(hour=22)) == shift.ends_at  # overtime not planned
    assert paid_until(shift, start - timedelta(hours=1)) == start
