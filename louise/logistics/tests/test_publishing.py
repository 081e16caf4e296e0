"""No dead ends between dispatcher and rider: a tour the checker rejects needs an audited
override, nothing is published while the day is being planned, a failed background
insertion reaches the console, the checker speaks German, a failed pickup goes back."""

import pytest
import time_machine

from louise.accounts.models import Role
from louise.core.errors import Conflict, Invalid
from louise.logistics.adjust import stop_move
from louise.logistics.jobs import plan_enqueue
from louise.logistics.models import (
    InsertionFailure,
    LegStatus,
    PublishOverride,
    Shift,
    StopKind,
    StopStatus,
    TourStatus,
)
from louise.logistics.publishing import tour_violations
from louise.logistics.rider_actions import rider_action_apply, rider_action_outcome
from louise.logistics.selectors import dispatch_day
from louise.logistics.services import tour_publish

from ...conftest import MONDAY_MORNING, make_customer, the_town
from .conftest import MONDAY_EVENING, order_ready

DAY = MONDAY_MORNING.date()


def ordered(tour) -> list:
    return list(tour.stops.select_related("leg__order").order_by("sequence"))


def drop_first(tour, dispatcher) -> None:
    """The dispatcher's slip: a drop moved in front of its pickup."""
    drop = next(s for s in ordered(tour) if s.kind == StopKind.DELIVERY)
    assert not stop_move(stop_id=drop.pk, by=dispatcher, tour_id=tour.pk, position=1).ok


@pytest.mark.django_db
def test_a_tour_the_checker_rejects_is_published_only_with_a_recorded_reason(drafts,
                                                                             staff_users):
    # given a draft whose first stop is now a drop before its pickup
    dispo, tour = staff_users[Role.DISPATCHER], drafts[0]
    drop_first(tour, dispo)
    # when the dispatcher publishes it as it is
    with pytest.raises(Conflict) as refused:
        tour_publish(tour=tour, by=dispo)
    # then it is refused with what the checker found, and stays a draft
    assert refused.value.code == "tour_infeasible"
    assert "Stopp 1" in refused.value.message
    assert "Zustellung vor Abholung" in refused.value.message
    tour.refresh_from_db()
    assert tour.status == TourStatus.DRAFT
    # and a blank reason is no override
    with pytest.raises(Conflict):
        tour_publish(tour=tour, by=dispo, override_reason="   ")
    with pytest.raises(Invalid):
        tour_publish(tour=tour, by=dispo, override_reason="ok")
    # when they give a reason
    tour_publish(tour=tour, by=dispo, override_reason="Kundin holt selbst im Laden ab")
    # then it is published, and who, when, why and what was wrong are on record
    tour.refresh_from_db()
    assert tour.status == TourStatus.PUBLISHED
    record = PublishOverride.objects.get(tour=tour)
    assert record.by == dispo and record.at is not None
    assert record.reason == "Kundin holt selbst im Laden ab"
    assert any("Zustellung vor Abholung" in v for v in record.violations)
    # and the console shows it on the tour
    seen = dispatch_day(user=dispo, town=the_town(), day=DAY)["tours"][0]["override"]
    assert seen["reason"] == record.reason and seen["by"] == dispo.display_name


@pytest.mark.django_db
def test_a_clean_tour_is_published_without_a_record(drafts, staff_users):
    tour_publish(tour=drafts[0], by=staff_users[Role.DISPATCHER])
    assert not PublishOverride.objects.exists()


@pytest.mark.django_db
def test_nothing_is_published_while_the_day_is_being_planned(drafts, staff_users,
                                                             django_capture_on_commit_callbacks):
    # given a planning run of the day queued (its result would replace the drafts)
    dispo = staff_users[Role.DISPATCHER]
    with django_capture_on_commit_callbacks(execute=False):
        run = plan_enqueue(town=the_town(), day=DAY, by=dispo, time_limit=1)
    # when the dispatcher publishes a draft of that day
    with pytest.raises(Conflict, match="Planung läuft – bitte warten") as refused:
        tour_publish(tour=drafts[0], by=dispo)
    # then it is refused and nothing changed
    assert refused.value.code == "plan_running"
    drafts[0].refresh_from_db()
    assert drafts[0].status == TourStatus.DRAFT
    # and once the run is over, publishing works again
    run.status = "done"
    run.save(update_fields=["status"])
    tour_publish(tour=drafts[0], by=dispo)


@pytest.mark.django_db(transaction=True)
def test_a_failed_background_insertion_shows_on_the_console(drafts, staff_users, shop):
    # given a tour published with a drop before its pickup (overridden)
    dispo, tour = staff_users[Role.DISPATCHER], drafts[0]
    drop_first(tour, dispo)
    tour_publish(tour=tour, by=dispo, override_reason="Absichtlich so, Test")
    # when a new order is packed during the wave and its insertion fails
    person, address = make_customer("spaet", lat=51.5260, lon=6.9330)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        late = order_ready(shop, person, address, "late")
    # then the failure is kept with the planner's reason ...
    failure = InsertionFailure.objects.get()
    assert failure.legs == [late.legs.get().pk]
    assert "nicht an Bord" in failure.message
    # ... and the console shows it while the leg is still open, as a left-out order (the
    # job itself ran)
    shown = dispatch_day(user=dispo, town=the_town(), day=DAY)["failures"]
    assert [(f["title"], f["message"]) for f in shown] == [("Nicht eingefügt: 1 Auftrag",
                                                             failure.message)]


@pytest.mark.django_db(transaction=True)
def test_a_leg_the_insertion_leaves_out_shows_why_on_the_day_page(drafts, staff_users, shop):
    # given the day's tour published, its bike's shift ending when the tour ends, and the
    # car's rider called off
    dispo, tour = staff_users[Role.DISPATCHER], drafts[0]
    tour = tour_publish(tour=tour, by=dispo)
    Shift.objects.filter(pk=tour.shift_id).update(ends_at=tour.ends_at)
    Shift.objects.exclude(pk=tour.shift_id).delete()
    # when a new order is packed during the wave and finds no room
    person, address = make_customer("spaet", lat=51.5260, lon=6.9330)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        late = order_ready(shop, person, address, "late")
    # then the day page gives the planner's reason for the open leg, not just "open"
    day = dispatch_day(user=dispo, town=the_town(), day=DAY)
    (row,) = [leg for leg in day["legs"] if leg["id"] == late.legs.get().pk]
    assert row["status"] == "open" and row["reason"]
    assert row["reason"] in [f["message"] for f in day["failures"]]


@pytest.mark.django_db
def test_the_checker_speaks_german_with_units(drafts, staff_users):
    # given a draft on a bike that (after a change in the fleet) carries 1 kg and 1 parcel
    tour = drafts[0]
    vehicle = tour.shift.vehicle
    vehicle.capacity_g, vehicle.capacity_parcels = 1000, 1
    vehicle.save()
    stops = ordered(tour)
    second = stops[1]
    assert [s.kind for s in stops[:2]] == [StopKind.PICKUP, StopKind.PICKUP]
    kg = sum(s.leg.weight_g for s in stops[:2]) / 1000
    # when the tour is checked
    messages = tour_violations(tour)
    # then the breach names the stop, the place and the amounts, in German
    expected = (f"Rad 1, Stopp {second.sequence} ({second.label}): Ladung über der Kapazität "
                f"(Gewicht {kg:.1f} kg von 1 kg, Pakete 2 von 1)").replace(".", ",")
    assert expected in messages
    assert not any("[" in m or "delivery" in m for m in messages)


@pytest.mark.django_db
def test_a_moved_drop_is_told_once_in_words(drafts, staff_users):
    tour = drafts[0]
    drop = next(s for s in ordered(tour) if s.kind == StopKind.DELIVERY)
    result = stop_move(stop_id=drop.pk, by=staff_users[Role.DISPATCHER], tour_id=tour.pk,
                       position=1)
    assert result.messages == [f"Rad 1, Stopp 1 ({drop.label}): Zustellung vor Abholung"]


def act(rider, stop, key: str, **data):
    with time_machine.travel(MONDAY_EVENING, tick=False):
        action = rider_action_apply(rider=rider, key=key, kind="fail", stop_id=stop.pk,
                                    data=data)
    return action


@pytest.mark.django_db
def test_a_failed_pickup_gives_the_leg_back_to_the_dispatcher(running_tour, tour_rider,
                                                              staff_users):
    # given the rider at the shop, which is closed
    stops = ordered(running_tour)
    pickup = stops[0]
    drop = next(s for s in stops if s.leg_id == pickup.leg_id and s.kind == StopKind.DELIVERY)
    # a reason for doors does not fit a shop, and a shop's reason does not fit a door
    with pytest.raises(Invalid, match="Abholung"):
        rider_action_outcome(act(tour_rider, pickup, "k-pick-0001", reason="refused"))
    other = stops[1]
    with time_machine.travel(MONDAY_EVENING, tick=False):
        rider_action_apply(rider=tour_rider, key="k-coll-0001", kind="complete",
                           stop_id=other.pk, data={"parcels": 1})
    other_drop = next(s for s in stops if s.leg_id == other.leg_id and s != other)
    with pytest.raises(Invalid, match="Zustellung"):
        rider_action_outcome(act(tour_rider, other_drop, "k-drop-0001", reason="shop_closed"))
    # when the rider reports the pickup failed
    rider_action_outcome(act(tour_rider, pickup, "k-pick-0002", reason="shop_closed"))
    # then the stop is failed, its drop has left the tour, the rest is untouched
    pickup.refresh_from_db()
    assert pickup.status == StopStatus.FAILED and pickup.failure_reason == "shop_closed"
    left = ordered(running_tour)
    assert drop.pk not in {s.pk for s in left} and len(left) == 3
    assert other_drop.pk in {s.pk for s in left}
    running_tour.refresh_from_db()
    assert running_tour.status == TourStatus.PUBLISHED
    # and the leg is open again, and the dispatcher sees why
    pickup.leg.refresh_from_db()
    assert pickup.leg.status == LegStatus.OPEN
    day = dispatch_day(user=staff_users[Role.DISPATCHER], town=the_town(), day=DAY)
    leg = next(x for x in day["legs"] if x["id"] == pickup.leg_id)
    assert leg["reason"] == "Abholung gescheitert: Geschäft geschlossen"
    stop = next(s for t in day["tours"] for s in t["stops"] if s["id"] == pickup.pk)
    assert stop["failure"] == "Geschäft geschlossen"


@pytest.mark.django_db
def test_the_api_refuses_a_rejected_tour_and_takes_the_reason(api, drafts, staff_users):
    # given a draft with a drop before its pickup, and the dispatcher's API client
    tour = drafts[0]
    drop_first(tour, staff_users[Role.DISPATCHER])
    client = api(staff_users[Role.DISPATCHER].username)
    # when it is published without a reason: 409 with the findings, as JSON
    refused = client.post(f"/tours/{tour.pk}/publish")
    assert refused.status_code == 409
    assert refused.json()["code"] == "tour_infeasible"
    assert refused.json()["field"] == "override_reason"
    # when with a reason: published
    done = client.post(f"/tours/{tour.pk}/publish", {"override_reason": "Kunde wartet im Laden"})
    assert done.status_code == 200 and done.json()["status"] == "published"
