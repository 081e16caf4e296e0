"""Two towns, one platform: each plans its own legs with its own fleet, at the same time, and
a customer's delivery comes from one town."""

from datetime import datetime, time

import pytest
import time_machine

from louise.accounts.models import Role
from louise.catalog.services import merchant_create, product_create
from louise.conftest import (
    MONDAY_MORNING,
    OPEN_ALL_WEEK,
    make_customer,
    make_user,
    order_placed,
    the_town,
)
from louise.core.calendar import BERLIN
from louise.core.errors import Invalid, NotFound
from louise.geo import services as geo
from louise.geo.models import Town
from louise.logistics.models import PlanRun, RunStatus, Tour
from louise.logistics.services import plan_day, plan_run_create, shift_create, vehicle_create
from louise.orders import services
from louise.orders.checkout import Destination, LineRequest, checkout_place

DAY = MONDAY_MORNING.date()


@pytest.fixture
def neighbour(town):
    """A second town 8 km north with its own zone, hub, bike, rider, dispatcher and shop."""
    other = Town.from_settings(name="Nachbarstadt", slug="nachbarstadt")
    other.save()
    geo.zone_create(town=other, name="Nord", postcodes=["46282"], vehicle_kinds=["bike"])
    hub = geo.hub_create(town=other, name="Depot Nord", street="Marktplatz 1",
                         postcode="46282", lat=51.60, lon=6.93)
    bike = vehicle_create(name="Rad Nord", kind="bike", hub=hub, capacity_g=100_000,
                          capacity_ml=400_000, capacity_parcels=20, range_km=50)
    rider = make_user("fahrer-nord", Role.RIDER, town_ids=[other.pk])
    shift_create(rider=rider, vehicle=bike,
                 starts_at=datetime.combine(DAY, time(14), BERLIN),
                 ends_at=datetime.combine(DAY, time(21), BERLIN))
    merchant = merchant_create(town=other, name="Nordbuch", category="books",
                               street="Marktplatz 2", postcode="46282", lat=51.601,
                               lon=6.931, opening_hours=OPEN_ALL_WEEK)
    product = product_create(merchant=merchant, name="Nordbuch-Band", price_cents=900,
                             stock=5, weight_g=500, volume_ml=1000)
    staff = make_user("laden-nord", Role.MERCHANT, merchant=merchant)
    dispatcher = make_user("dispo-nord", Role.DISPATCHER, town_ids=[other.pk])
    customer, _ = make_customer("kunde-nord", postcode="46282", lat=51.603, lon=6.935)
    return {"town": other, "bike": bike, "product": product, "staff": staff,
            "dispatcher": dispatcher, "customer": customer}


def _ready(order, staff):
    services.order_accept(order_number=order.number, by=staff)
    services.order_mark_ready(order_number=order.number, by=staff, now=MONDAY_MORNING)


def test_each_town_plans_its_own_legs_with_its_own_fleet(shop, customer, shifts, staff_users,
                                                          neighbour):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        here = order_placed(customer[0], shop["product"])
        there = order_placed(neighbour["customer"], neighbour["product"])
        _ready(here, shop["staff"])
        _ready(there, neighbour["staff"])
    assert (here.town, there.town) == (the_town(), neighbour["town"])
    assert {leg.town_id for leg in there.legs.all()} == {neighbour["town"].pk}

    # Both towns' runs of the same day may be queued at once: they are separate jobs.
    run_a, _ = plan_run_create(town=the_town(), day=DAY, by=staff_users[Role.DISPATCHER])
    run_b, _ = plan_run_create(town=neighbour["town"], day=DAY, by=neighbour["dispatcher"])
    assert run_a.pk != run_b.pk
    assert PlanRun.objects.filter(day=DAY, status=RunStatus.QUEUED).count() == 2

    plan_day(town=the_town(), day=DAY, time_limit=1)
    plan_day(town=neighbour["town"], day=DAY, time_limit=1)
    for tour in Tour.objects.filter(plan_run__day=DAY).select_related("plan_run", "shift"):
        assert tour.shift.vehicle.town_id == tour.plan_run.town_id
        assert {s.leg.town_id for s in tour.stops.select_related("leg")} == {
            tour.plan_run.town_id}
    north = Tour.objects.get(plan_run__town=neighbour["town"])
    assert north.shift.vehicle == neighbour["bike"]
    assert {s.leg.order_id for s in north.stops.all()} == {there.pk}


def test_a_dispatcher_cannot_plan_another_towns_day(town, staff_users, neighbour):
    with pytest.raises(NotFound):
        plan_run_create(town=neighbour["town"], day=DAY, by=staff_users[Role.DISPATCHER])
    assert not PlanRun.objects.exists()


def test_a_town_delivers_only_inside_its_own_zones(shop, customer, neighbour):
    with pytest.raises(Invalid) as refused, time_machine.travel(MONDAY_MORNING, tick=False):
        order_placed(customer[0], neighbour["product"])
    assert refused.value.code == "outside_service_area"
    assert "Nachbarstadt" in refused.value.message


def test_one_basket_comes_from_one_town(shop, customer, neighbour):
    with pytest.raises(Invalid) as refused, time_machine.travel(MONDAY_MORNING, tick=False):
        checkout_place(customer=customer[0],
                       lines=[LineRequest(shop["product"].pk, 1),
                              LineRequest(neighbour["product"].pk, 1)],
                       destination=Destination("door", address_id=customer[1].pk),
                       idempotency_key="two-towns")
    assert refused.value.code == "several_towns"
    assert not shop["merchant"].orders.exists()
