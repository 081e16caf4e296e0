"""The City-Station: legs via the hub, one drop per delivery, the depot's desk, the
dispatcher's choice of way, and the repair item that spends the night at the hub."""

import secrets
from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest
import time_machine

from louise import planning
from louise.accounts.models import Role
from louise.catalog.services import opening_exception_set
from louise.conftest import (
    MONDAY_MORNING,
    make_customer,
    make_user,
    other_town,
    service_booked,
    the_town,
)
from louise.core.calendar import BERLIN
from louise.core.errors import Conflict, Invalid, NotFound
from louise.logistics import hub_desk, hub_routing
from louise.logistics.models import (
    HubScan,
    Leg,
    LegKind,
    LegStatus,
    StopKind,
    Tour,
    TourStatus,
    TourStop,
)
from louise.logistics.planning_bridge import Day, drop_groups, expanded, problem_for
from louise.logistics.running import legs_insert
from louise.logistics.services import plan_day, stop_complete, tour_publish
from louise.orders import services as orders
from louise.orders.checkout import Destination, LineRequest, checkout_place
from louise.orders.labels import label_payload
from louise.orders.models import EventKind, Order, OrderStatus

pytestmark = pytest.mark.django_db
MONDAY = MONDAY_MORNING.date()


def at(hour: int, minute: int = 0, day=MONDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), BERLIN)


def basket(customer, *products) -> list[Order]:
    """One checkout with a product of each shop, packed by each shop on Monday morning."""
    person, address = customer
    with time_machine.travel(MONDAY_MORNING, tick=False):
        checkout = checkout_place(
            customer=person, lines=[LineRequest(p.pk, 1) for p in products],
            destination=Destination("door", address_id=address.pk),
            idempotency_key=secrets.token_hex(8), now=MONDAY_MORNING)
    return list(checkout.orders.order_by("pk"))


def packed(order: Order, staff) -> Order:
    orders.order_accept(order_number=order.number, by=staff)
    orders.order_mark_ready(order_number=order.number, by=staff, now=MONDAY_MORNING)
    order.refresh_from_db()
    return order


@pytest.fixture
def two_shop_basket(shop, other_shop, customer):
    first, second = basket(customer, shop["product"], other_shop["product"])
    return [packed(first, shop["staff"]), packed(second, other_shop["staff"])]


def legs_of(order: Order) -> list[Leg]:
    return list(order.legs.exclude(status=LegStatus.CANCELLED).order_by("pk"))


# --- legs via the hub ------------------------------------------------------------------------


def test_a_basket_from_two_shops_goes_via_the_hub_as_one_group(two_shop_basket, town):
    hub = f"hub:{town['hub'].pk}"
    groups = set()
    for order in two_shop_basket:
        transfer, onward = legs_of(order)
        assert (transfer.kind, transfer.pickup_ref, transfer.drop_ref) == (
            LegKind.TRANSFER, f"merchant:{order.merchant_id}", hub)
        # the afternoon round from 14:00 (the shop is open 08-20), at the hub by 17:00
        assert (transfer.pickup_from, transfer.pickup_until) == (at(14), at(17))
        assert transfer.drop_until == at(17)
        assert (onward.kind, onward.pickup_ref, onward.depends_on) == (
            LegKind.DELIVERY, hub, transfer)
        assert onward.drop_ref == f"address:{order.address_id}"
        assert (onward.pickup_from, onward.drop_from, onward.drop_until) == (
            at(17), order.wave_start, order.wave_end)
        assert onward.released_at is None
        groups.add(onward.group)
        # at the hub a parcel is scanned in and handed out sorted: a short stop; at the
        # shop's counter and the door the handovers of any leg
        assert (transfer.pickup_service_s, transfer.drop_service_s) == (120, 30)
        assert (onward.pickup_service_s, onward.drop_service_s) == (30, 180)
    assert groups == {f"checkout:{two_shop_basket[0].checkout_id}"}


def test_the_towns_collection_and_sorting_times_shape_the_chain(shop, other_shop, customer):
    town = the_town()
    town.hub_collection_start, town.hub_sorting_deadline = time(15), time(16, 30)
    town.save()
    first, _second = basket(customer, shop["product"], other_shop["product"])
    transfer, onward = legs_of(packed(first, shop["staff"]))
    assert (transfer.pickup_from, transfer.drop_until, onward.pickup_from) == (
        at(15), at(16, 30), at(16, 30))


def test_a_single_shop_near_the_door_stays_direct(shop, customer):
    (order,) = basket(customer, shop["product"])
    (leg,) = legs_of(packed(order, shop["staff"]))
    assert (leg.kind, leg.pickup_ref, leg.group) == (
        LegKind.DELIVERY, f"merchant:{shop['merchant'].pk}", "")


def test_a_single_shop_closing_before_the_wave_goes_via_the_hub(shop, customer, town):
    opening_exception_set(merchant=shop["merchant"], day=MONDAY, closed=False,
                          hours=[["09:00", "16:00"]], note="Inventur")
    (order,) = basket(customer, shop["product"])
    transfer, onward = legs_of(packed(order, shop["staff"]))
    assert (transfer.pickup_from, transfer.pickup_until) == (at(14), at(15, 58))  # 2 min pickup
    assert onward.group == f"checkout:{order.checkout_id}"


def test_the_estimate_prefers_the_hub_only_when_it_saves_riding(town):
    # the town's default stop times: a pickup 2 min (400 m at 12 km/h), of it 90 s shared
    # with the shop's other parcels in a round (100 m left); 30 s at the hub's bay at either
    # end and the depot's 3 min between them (800 m)
    wave, times = at(17, 30), town["hub"].town.stop_times
    # a shop on the way from the hub to the door: direct
    on_the_way = dict(shop_closes=at(20), wave_start=wave, hub_to_shop_m=300,
                      shop_to_door_m=900, hub_to_door_m=1100, times=times)
    assert not hub_routing.hub_pays(**on_the_way)  # direct 1,600 m, via 90 + 100 + 800 + 1,100
    # a shop 2 km the other way: the afternoon round fetches it for a share of the way
    other_way = dict(on_the_way, hub_to_shop_m=2000, shop_to_door_m=2800)
    assert hub_routing.hub_pays(**other_way)  # direct 5,200 m, via 600 + 100 + 800 + 1,100
    # an outlying shop with its customer next door: fetching it to the centre and back costs
    outlying = dict(on_the_way, hub_to_shop_m=4000, shop_to_door_m=500, hub_to_door_m=4300)
    assert not hub_routing.hub_pays(**outlying)  # direct 4,900 m, via 1,200 + 900 + 4,300
    assert hub_routing.hub_pays(**dict(outlying, shop_closes=at(17)))  # shut in the wave
    # a depot whose bay takes 10 minutes at each end: the shop the other way goes direct too
    slow_bay = replace(times, hub=timedelta(minutes=10))
    assert not hub_routing.hub_pays(**dict(other_way, times=slow_bay))
    # and so does it where the depot's staff need 20 minutes a parcel (via 6,000 m)
    slow_staff = replace(times, depot=timedelta(minutes=20))
    assert not hub_routing.hub_pays(**dict(other_way, times=slow_staff))


def test_a_basket_packed_after_the_sorting_deadline_goes_direct(shop, other_shop, customer):
    first, _second = basket(customer, shop["product"], other_shop["product"])
    orders.order_accept(order_number=first.number, by=shop["staff"])
    orders.order_mark_ready(order_number=first.number, by=shop["staff"], now=at(17, 5))
    (leg,) = legs_of(first)
    assert (leg.kind, leg.pickup_ref, leg.group) == (
        LegKind.DELIVERY, f"merchant:{shop['merchant'].pk}", "")


# --- one drop per delivery -------------------------------------------------------------------


def test_the_planner_drops_a_delivery_from_two_shops_in_one_stop(two_shop_basket, shifts,
                                                                 staff_users):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        run = plan_day(town=the_town(), day=MONDAY, by=staff_users[Role.DISPATCHER],
                       time_limit=1)
    assert run.summary["unassigned"] == []
    onward = [legs_of(o)[1] for o in two_shop_basket]
    drops = list(TourStop.objects.filter(leg__in=onward, kind=StopKind.DELIVERY)
                 .order_by("sequence"))
    assert len({s.tour_id for s in drops}) == 1
    assert drops[1].sequence == drops[0].sequence + 1
    assert drops[1].planned_arrival == drops[0].planned_departure  # handed over together
    pickups = list(TourStop.objects.filter(leg__in=onward, kind=StopKind.PICKUP)
                   .order_by("sequence"))
    assert [s.tour_id for s in pickups] == [drops[0].tour_id] * 2
    assert pickups[0].planned_arrival >= at(17)
    # the transfers reach the hub before the sorting deadline
    for order in two_shop_basket:
        drop = TourStop.objects.get(leg=legs_of(order)[0], kind=StopKind.DELIVERY)
        assert drop.planned_arrival <= at(17)
    # and the publish check agrees with the plan
    tour = Tour.objects.get(pk=drops[0].tour_id)
    tour_publish(tour=tour, by=staff_users[Role.DISPATCHER])


def test_a_delivery_whose_parcel_cannot_reach_the_hub_is_not_sent_out(two_shop_basket, shifts,
                                                                       staff_users):
    # the second shop's parcel is too heavy for any vehicle: it never reaches the depot, so
    # no rider is sent to the depot for the delivery (it waits, and the dispatcher is told)
    too_heavy = legs_of(two_shop_basket[1])[0]
    Leg.objects.filter(pk=too_heavy.pk).update(weight_g=10_000_000)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        run = plan_day(town=the_town(), day=MONDAY, by=staff_users[Role.DISPATCHER],
                       time_limit=1)
    reasons = {u["leg"]: u["code"] for u in run.summary["unassigned"]}
    onward = [legs_of(o)[1] for o in two_shop_basket]
    assert reasons == {too_heavy.pk: "size", onward[0].pk: "chain", onward[1].pk: "chain"}
    assert not TourStop.objects.filter(leg__in=onward).exists()
    # the first shop's parcel still goes to the depot, where it waits for its partner
    assert TourStop.objects.filter(leg=legs_of(two_shop_basket[0])[0]).count() == 2


def test_a_group_is_one_planning_leg_and_comes_back_as_its_members_stops(two_shop_basket):
    legs = [leg for order in two_shop_basket for leg in legs_of(order)]
    first, second = (legs_of(order)[1] for order in two_shop_basket)
    groups = drop_groups(legs)
    assert groups == {first.pk: [first, second]}
    problem = problem_for(Day(MONDAY, the_town().pk), legs, [], groups=groups)
    (merged,) = [leg for leg in problem.legs if leg.group]
    assert len(problem.legs) == 3 and merged.id == str(first.pk)
    assert merged.size == (first.weight_g + second.weight_g,
                           first.volume_ml + second.volume_ml, 2)
    # 2 × 30 s at the hub; at the door one handover (on coming there) and 2 × 90 s
    assert (merged.pickup_service, merged.delivery_service) == (60, 180)
    assert (merged.pickup.handover_s, merged.delivery.handover_s) == (0, 90)
    # the second parcel is handed over after the first: the drop begins in time for it
    alone = {leg.id: leg for leg in problem_for(Day(MONDAY, the_town().pk), legs, []).legs}
    ends = [alone[str(member.pk)].delivery_window.end for member in (first, second)]
    assert merged.delivery_window.end == min(ends[0], ends[1] - 90) < ends[1]
    door = planning.Stop(merged.id, "delivery", merged.delivery, 100, 200, 380, (0, 0, 0))
    assert [(leg, start, end) for leg, _kind, start, end in
            expanded([door], groups, {leg.pk: leg for leg in legs}, the_town().stop_times)] == [
        (first, 200, 290), (second, 290, 380)]


def test_a_parcel_packed_later_joins_its_delivery_on_the_running_tour(shop, other_shop,
                                                                      customer, shifts,
                                                                      staff_users):
    # the first shop closes at 15:00, so the round starts early enough to fetch the second
    # parcel too (a published tour's shift begins with it: `shifts.shift_start_to_tour`)
    opening_exception_set(merchant=shop["merchant"], day=MONDAY, closed=False,
                          hours=[["09:00", "15:00"]], note="Inventur")
    first, second = basket(customer, shop["product"], other_shop["product"])
    packed(first, shop["staff"])
    with time_machine.travel(MONDAY_MORNING, tick=False):
        plan_day(town=the_town(), day=MONDAY, by=staff_users[Role.DISPATCHER], time_limit=1)
    for tour in Tour.objects.filter(status=TourStatus.DRAFT):
        tour_publish(tour=tour, by=staff_users[Role.DISPATCHER])
    late = legs_of(packed(second, other_shop["staff"]))
    with time_machine.travel(MONDAY_MORNING, tick=False):
        inserted = legs_insert(day=Day(MONDAY, the_town().pk), legs=late)
    assert inserted.unassigned == []
    drops = list(TourStop.objects.filter(leg__in=[legs_of(first)[1], late[1]],
                                         kind=StopKind.DELIVERY).order_by("sequence"))
    assert drops[0].tour_id == drops[1].tour_id
    assert drops[1].sequence == drops[0].sequence + 1


def _leg(lid: str, group: str | None, where: str = "door") -> planning.Leg:
    return planning.Leg(
        id=lid, pickup=planning.Location("hub:1", 51.5236, 6.9285),
        delivery=planning.Location(where, 51.528, 6.935),
        pickup_window=planning.TimeWindow(0, 10_000),
        delivery_window=planning.TimeWindow(0, 10_000), group=group)


def _vehicle(vid: str) -> planning.Vehicle:
    hub = planning.Location("hub:1", 51.5236, 6.9285)
    return planning.Vehicle(id=vid, profile="bike", capacity=(10, 10, 10),
                            shift=planning.TimeWindow(0, 20_000), start=hub, end=hub)


def _plan(problem: planning.Problem, orders_by_vehicle: dict[str, list[tuple[str, str]]]):
    legs = {leg.id: leg for leg in problem.legs}
    vehicles = {v.id: v for v in problem.vehicles}
    tours = [planning.make_tour(vehicles[vid], [(legs[lid], kind) for lid, kind in stops],
                                (0, 0, 0), planning.HaversineMatrix())
             for vid, stops in orders_by_vehicle.items()]
    return planning.make_plan(tours, (), "manual")


def test_the_checker_rejects_a_group_split_across_vehicles_or_stops():
    problem = planning.Problem(legs=(_leg("a", "g"), _leg("b", "g"), _leg("c", None, "x")),
                               vehicles=(_vehicle("v1"), _vehicle("v2")))
    together = _plan(problem, {"v1": [("a", "pickup"), ("b", "pickup"), ("a", "delivery"),
                                      ("b", "delivery"), ("c", "pickup"), ("c", "delivery")]})
    assert planning.check(problem, together) == []
    split = _plan(problem, {"v1": [("a", "pickup"), ("a", "delivery")],
                            "v2": [("b", "pickup"), ("b", "delivery"), ("c", "pickup"),
                                   ("c", "delivery")]})
    assert [v.rule for v in planning.check(problem, split)] == ["group"]
    apart = _plan(problem, {"v1": [("a", "pickup"), ("b", "pickup"), ("c", "pickup"),
                                   ("a", "delivery"), ("c", "delivery"), ("b", "delivery")]})
    assert [(v.rule, v.leg_id) for v in planning.check(problem, apart)] == [("group", "b")]


# --- the depot's desk ------------------------------------------------------------------------


@pytest.fixture
def collected(two_shop_basket, shifts, staff_users):
    """Monday planned and published; the rider has collected both transfers at the shops
    and dropped them at the hub."""
    with time_machine.travel(MONDAY_MORNING, tick=False):
        plan_day(town=the_town(), day=MONDAY, by=staff_users[Role.DISPATCHER], time_limit=1)
    for tour in Tour.objects.filter(status=TourStatus.DRAFT):
        tour_publish(tour=tour, by=staff_users[Role.DISPATCHER])
    for order in two_shop_basket:
        transfer = legs_of(order)[0]
        for kind in (StopKind.PICKUP, StopKind.DELIVERY):
            stop = TourStop.objects.get(leg=transfer, kind=kind)
            stop_complete(stop_id=stop.pk, rider=stop.tour.shift.rider, parcels=1,
                          proof_method="name", recipient_name="Depot")
    return [Order.objects.get(pk=o.pk) for o in two_shop_basket]


@pytest.fixture
def depot(town):
    return make_user("depot", Role.HUB)


def test_scanning_parcels_in_puts_the_order_in_the_depot(collected, depot):
    first, second = collected
    assert first.status == OrderStatus.COLLECTED  # the rider's drop at the hub is not a scan
    hub_desk.parcel_scan(by=depot, town=the_town(), code=label_payload(first, 1))
    first.refresh_from_db()
    assert first.status == OrderStatus.AT_HUB
    assert first.events.last().text == "im City-Depot"
    desk = hub_desk.desk_day(user=depot, town=the_town(), day=MONDAY)
    (delivery,) = desk.deliveries
    assert delivery.missing == [f"{second.number} ({second.merchant.name}): Paket 1/1"]
    assert delivery.tour and not delivery.released
    assert desk.outbound == [delivery]


def test_bad_scans_change_nothing_and_say_why(collected, depot, shop, customer):
    first, _second = collected
    town = the_town()
    hub_desk.parcel_scan(by=depot, town=town, code=first.number)  # typed: parcel 1
    with pytest.raises(Conflict, match="schon eingescannt"):
        hub_desk.parcel_scan(by=depot, town=town, code=label_payload(first, 1))
    with pytest.raises(NotFound, match="Unbekannter Code"):
        hub_desk.parcel_scan(by=depot, town=town, code="LOUISE:B-NICHTDA:1/1")
    with pytest.raises(Exception, match="kein LOUISE-Etikett"):
        hub_desk.parcel_scan(by=depot, town=town, code="hallo welt")
    (cancelled,) = basket(customer, shop["product"])
    orders.order_cancel(order_number=cancelled.number, by=customer[0])
    with pytest.raises(Conflict, match="storniert"):
        hub_desk.parcel_scan(by=depot, town=town, code=label_payload(cancelled, 1))
    elsewhere = other_town()
    Order.objects.filter(pk=cancelled.pk).update(town=elsewhere, status=OrderStatus.COLLECTED)
    with pytest.raises(Conflict, match="gehört nach Gladbeck"):
        hub_desk.parcel_scan(by=depot, town=town, code=label_payload(cancelled, 1))
    assert list(HubScan.objects.values_list("order__number", "parcel")) == [(first.number, 1)]
    assert first.events.filter(to_status=OrderStatus.AT_HUB).count() == 1


def test_a_typed_number_counts_the_next_parcel_and_a_wrong_label_is_refused(collected, depot):
    first, _second = collected
    Order.objects.filter(pk=first.pk).update(parcels=2)
    first.refresh_from_db()
    town = the_town()
    with pytest.raises(Invalid, match="Etikett passt nicht"):
        hub_desk.parcel_scan(by=depot, town=town, code=f"LOUISE:{first.number}:1/3")
    assert hub_desk.parcel_scan(by=depot, town=town, code=first.number).parcel == 1
    first.refresh_from_db()
    assert first.status == OrderStatus.COLLECTED  # one of two parcels is in
    assert hub_desk.parcel_scan(by=depot, town=town, code=first.number).parcel == 2
    first.refresh_from_db()
    assert first.status == OrderStatus.AT_HUB
    with pytest.raises(Conflict, match=r"Paket 1/2 .* schon eingescannt"):
        hub_desk.parcel_scan(by=depot, town=town, code=first.number)


def test_a_depot_of_another_town_cannot_scan_here(collected):
    elsewhere = other_town()
    stranger = make_user("depot-gladbeck", Role.HUB, town_ids=[elsewhere.pk])
    with pytest.raises(NotFound):
        hub_desk.parcel_scan(by=stranger, town=the_town(), code=collected[0].number)
    rider = make_user("fahrer-x", Role.RIDER)
    with pytest.raises(Exception, match="Berechtigung"):
        hub_desk.parcel_scan(by=rider, town=the_town(), code=collected[0].number)
    assert not HubScan.objects.exists()


@pytest.fixture
def published(two_shop_basket, shifts, staff_users):
    """Monday planned and published; no rider has been to the shops yet."""
    with time_machine.travel(MONDAY_MORNING, tick=False):
        plan_day(town=the_town(), day=MONDAY, by=staff_users[Role.DISPATCHER], time_limit=1)
    for tour in Tour.objects.filter(status=TourStatus.DRAFT):
        tour_publish(tour=tour, by=staff_users[Role.DISPATCHER])
    return two_shop_basket


def test_a_parcel_the_shop_brings_itself_leaves_the_riders_round(published, depot):
    first, second = published
    transfer = legs_of(first)[0]
    tour = TourStop.objects.get(leg=transfer, kind=StopKind.PICKUP).tour
    stops_before = tour.stops.count()
    # when: the first shop's parcel is scanned in before any rider fetched it
    hub_desk.parcel_scan(by=depot, town=the_town(), code=label_payload(first, 1))
    # then: its way to the depot is done and off the tour; the order is in the depot
    transfer.refresh_from_db()
    first.refresh_from_db()
    assert transfer.status == LegStatus.DELIVERED
    assert not TourStop.objects.filter(leg=transfer).exists()
    assert tour.stops.count() == stops_before - 2
    assert list(tour.stops.order_by("sequence").values_list("sequence", flat=True)) == list(
        range(1, stops_before - 1))
    assert first.status == OrderStatus.AT_HUB
    assert "selbst ins City-Depot gebracht" in first.events.get(
        to_status=OrderStatus.COLLECTED).note
    # the other shop's parcel is still fetched, and the delivery leaves as one drop
    assert TourStop.objects.filter(leg=legs_of(second)[0]).count() == 2
    assert TourStop.objects.filter(leg=legs_of(first)[1]).count() == 2


def test_a_parcel_scanned_while_its_round_is_under_way_stays_on_the_tour(published, depot):
    # given: the rider has begun the round (the other shop's parcel fetched)
    first, second = published
    other = TourStop.objects.get(leg=legs_of(second)[0], kind=StopKind.PICKUP)
    transfer = legs_of(first)[0]
    mine = TourStop.objects.get(leg=transfer, kind=StopKind.PICKUP)
    assert mine.tour_id == other.tour_id
    stop_complete(stop_id=other.pk, rider=other.tour.shift.rider, parcels=1)
    # when: the first parcel is scanned in (its rider's confirmation may still be offline)
    hub_desk.parcel_scan(by=depot, town=the_town(), code=label_payload(first, 1))
    # then: on the trail, the stops stay for the rider to confirm
    transfer.refresh_from_db()
    first.refresh_from_db()
    assert transfer.status == LegStatus.PLANNED
    assert TourStop.objects.filter(leg=transfer).count() == 2
    assert first.status == OrderStatus.READY
    assert first.events.filter(kind=EventKind.AT_HUB).exists()
    stop_complete(stop_id=mine.pk, rider=mine.tour.shift.rider, parcels=1)
    first.refresh_from_db()
    assert first.status == OrderStatus.COLLECTED


def test_sorted_releases_the_delivery_and_the_rider_waits_for_it(collected, depot):
    first, second = collected
    town = the_town()
    onward = legs_of(first)[1]
    pickup = TourStop.objects.get(leg=onward, kind=StopKind.PICKUP)
    rider = pickup.tour.shift.rider
    hub_desk.parcel_scan(by=depot, town=town, code=first.number)
    with pytest.raises(Conflict, match="es fehlt: " + second.number):
        hub_desk.delivery_sort(by=depot, town=town, group=onward.group)
    with pytest.raises(Conflict, match="noch nicht sortiert"):
        stop_complete(stop_id=pickup.pk, rider=rider, parcels=1)
    hub_desk.parcel_scan(by=depot, town=town, code=second.number)
    assert hub_desk.delivery_sort(by=depot, town=town, group=onward.group) == 2
    with pytest.raises(Conflict, match="schon sortiert"):
        hub_desk.delivery_sort(by=depot, town=town, group=onward.group)
    stop_complete(stop_id=pickup.pk, rider=rider, parcels=1)
    first.refresh_from_db()
    assert first.status == OrderStatus.OUT_FOR_DELIVERY


def test_a_delivery_with_a_leg_not_yet_on_a_tour_is_neither_sorted_nor_shown_planned(
        collected, depot):
    # a parcel that joined the delivery after planning: its leg has no stop yet, and the
    # others' release does not make the whole delivery "sortiert"
    _first, second = collected
    town = the_town()
    for order in collected:
        hub_desk.parcel_scan(by=depot, town=town, code=order.number)
    late = legs_of(second)[1]
    hub_desk.delivery_sort(by=depot, town=town, group=late.group)
    TourStop.objects.filter(leg=late).delete()
    Leg.objects.filter(pk=late.pk).update(released_at=None)
    (delivery,) = hub_desk.desk_day(user=depot, town=town, day=MONDAY).deliveries
    assert delivery.unplanned == 1 and delivery.tour
    assert not delivery.released


# --- the dispatcher's choice -----------------------------------------------------------------


def test_the_dispatcher_forces_hub_or_direct(shop, customer, staff_users, town):
    dispatcher = staff_users[Role.DISPATCHER]
    (order,) = basket(customer, shop["product"])
    (direct,) = legs_of(packed(order, shop["staff"]))
    transfer, onward = hub_routing.route_force(by=dispatcher, leg_id=direct.pk,
                                               route=hub_routing.VIA_HUB, now=MONDAY_MORNING)
    direct.refresh_from_db()
    assert direct.status == LegStatus.CANCELLED
    assert (transfer.kind, onward.depends_on, onward.group) == (
        LegKind.TRANSFER, transfer, f"checkout:{order.checkout_id}")
    assert order.events.filter(kind=EventKind.ROUTED).get().note == "über das City-Depot"
    with pytest.raises(Conflict, match="läuft schon über das City-Depot"):
        hub_routing.route_force(by=dispatcher, leg_id=onward.pk, route=hub_routing.VIA_HUB)
    (back,) = hub_routing.route_force(by=dispatcher, leg_id=onward.pk,
                                      route=hub_routing.DIRECT, now=MONDAY_MORNING)
    assert (back.pickup_ref, back.group) == (f"merchant:{shop['merchant'].pk}", "")
    assert [leg.pk for leg in legs_of(order)] == [back.pk]
    with pytest.raises(Exception, match="Berechtigung"):
        hub_routing.route_force(by=staff_users[Role.RIDER], leg_id=back.pk,
                                route=hub_routing.VIA_HUB)


def test_a_published_leg_keeps_its_way(collected, staff_users):
    onward = legs_of(collected[0])[1]
    with pytest.raises(Conflict):
        hub_routing.route_force(by=staff_users[Role.DISPATCHER], leg_id=onward.pk,
                                route=hub_routing.DIRECT)
    assert legs_of(collected[0])[1] == onward


# --- the closed-shop repair ------------------------------------------------------------------


def test_a_repair_item_spends_the_night_at_the_hub_when_the_shop_closes_first(shop, customer,
                                                                              town):
    person, address = customer
    opening_exception_set(merchant=shop["merchant"], day=MONDAY, closed=False,
                          hours=[["09:00", "17:00"]])
    order = service_booked(person, shop["service"], address, now=MONDAY_MORNING)
    orders.order_accept(order_number=order.number, by=shop["staff"])
    fetch, onward, back = legs_of(order)
    hub = f"hub:{town['hub'].pk}"
    assert (fetch.kind, fetch.pickup_ref, fetch.drop_ref) == (
        LegKind.ITEM_PICKUP, f"address:{address.pk}", hub)
    assert (fetch.drop_from, fetch.drop_until) == (order.wave_start, order.wave_end)
    tuesday = MONDAY + timedelta(days=1)
    assert (onward.kind, onward.pickup_ref, onward.drop_ref, onward.depends_on) == (
        LegKind.TRANSFER, hub, f"merchant:{shop['merchant'].pk}", fetch)
    assert (onward.drop_from, onward.drop_until) == (at(8, day=tuesday), at(19, 57, day=tuesday))
    assert onward.group == hub_routing.group_of(order)
    assert (back.status, back.depends_on) == (LegStatus.WAITING, onward)


def test_the_overnight_item_reaches_a_split_shift_shop_in_its_afternoon_span(shop, customer,
                                                                           town):
    # given a shop open only until 17:00 on Monday, and 09–13 and 15–18:30 on Tuesday
    person, address = customer
    opening_exception_set(merchant=shop["merchant"], day=MONDAY, closed=False,
                          hours=[["09:00", "17:00"]])
    tuesday = MONDAY + timedelta(days=1)
    opening_exception_set(merchant=shop["merchant"], day=tuesday, closed=False,
                          hours=[["09:00", "13:00"], ["15:00", "18:30"]])
    # when a repair is booked for Monday's wave
    order = service_booked(person, shop["service"], address, now=MONDAY_MORNING)
    orders.order_accept(order_number=order.number, by=shop["staff"])
    # then the hand-in waits for Tuesday afternoon, when the riders' shifts run
    _fetch, onward, _back = legs_of(order)
    assert (onward.drop_from, onward.drop_until) == (at(15, day=tuesday),
                                                     at(18, 27, day=tuesday))


def test_a_repair_item_goes_straight_to_an_open_shop(shop, customer):
    person, address = customer
    order = service_booked(person, shop["service"], address, now=MONDAY_MORNING)
    orders.order_accept(order_number=order.number, by=shop["staff"])
    fetch, back = legs_of(order)
    assert fetch.drop_ref == f"merchant:{shop['merchant'].pk}"
    assert back.depends_on == fetch


def test_new_customer_far_away_from_two_shops(shop, other_shop):
    """A second customer's basket gets its own group: one drop per delivery, not per day."""
    first = basket(make_customer("a1"), shop["product"], other_shop["product"])
    second = basket(make_customer("a2", lat=51.5300, lon=6.9200), shop["product"],
                    other_shop["product"])
    groups = {legs_of(packed(o, s["staff"]))[1].group
              for pair in (first, second) for o, s in zip(pair, (shop, other_shop), strict=True)}
    assert len(groups) == 2
