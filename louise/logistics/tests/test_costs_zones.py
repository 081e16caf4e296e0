"""Issue 15 in the app: zones at both ends of a leg, the town's vehicle costs in the plan,
and the riders' paid time (plan summary, shifts starting with their published tour)."""

from datetime import timedelta

import pytest
import time_machine

from louise.accounts.models import AuditEntry, Role
from louise.catalog.services import merchant_create, product_create
from louise.logistics.models import Leg, Shift, Tour, TourStatus
from louise.logistics.planning_bridge import Day, to_vehicle
from louise.logistics.selectors import dispatch_day
from louise.logistics.services import plan_day, tour_publish
from louise.orders import services as orders
from louise.orders.checkout import Destination

from ...conftest import MONDAY_MORNING, OPEN_ALL_WEEK, make_user, order_placed, the_town
from .conftest import order_ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop_in_kirchhellen(town):
    """A shop in the car-only zone (Kirchhellen, 46244) and its staff."""
    merchant = merchant_create(name="Hofladen Kirchhellen", category="books",
                               street="Hauptstraße 9", postcode="46244", lat=51.6050,
                               lon=6.9220, opening_hours=OPEN_ALL_WEEK)
    product = product_create(merchant=merchant, name="Honig", price_cents=700, stock=5,
                             weight_g=500, volume_ml=500)
    return {"merchant": merchant, "product": product,
            "staff": make_user("hofladen", Role.MERCHANT, merchant=merchant)}


def test_a_leg_has_the_zone_of_both_its_ends(shop, shop_in_kirchhellen, customer):
    # given: one shop in Mitte (bike and car), one in car-only Kirchhellen; the door in Mitte
    person, address = customer
    # when
    near = order_ready(shop, person, address, "near")
    far = order_ready(shop_in_kirchhellen, person, address, "far")
    # then: the legs that collect at the shops (direct to the door, or to the City-Depot in
    # Mitte) carry the shop's zone and their drop's
    zones = {leg.order_id: (leg.pickup_zone.name, leg.zone.name) for leg in
             Leg.objects.filter(pickup_ref__startswith="merchant:")
             .select_related("zone", "pickup_zone")}
    assert zones == {near.pk: ("Mitte", "Mitte"), far.pk: ("Kirchhellen", "Mitte")}


def test_a_leg_from_a_car_only_zone_rides_the_car(shop, shop_in_kirchhellen, customer,
                                                  shifts, staff_users):
    # given: a door in Mitte, goods from a shop in Mitte and from one in Kirchhellen
    person, address = customer
    near = order_ready(shop, person, address, "near")
    far = order_ready(shop_in_kirchhellen, person, address, "far")
    # when
    with time_machine.travel(MONDAY_MORNING, tick=False):
        run = plan_day(town=the_town(), day=MONDAY_MORNING.date(),
                       by=staff_users[Role.DISPATCHER], time_limit=1)
    # then: the Kirchhellen leg is on the car, never on the bike
    kind = {t.shift.vehicle.kind for t in Tour.objects.filter(
        plan_run=run, stops__leg__order=far, stops__leg__pickup_zone__name="Kirchhellen")}
    assert kind == {"car"}
    assert run.summary["assigned"] == run.summary["legs"] >= 2
    assert Tour.objects.filter(plan_run=run, stops__leg__order=near).exists()


def test_vehicles_carry_the_towns_costs_into_the_plan(shifts):
    # given: the car's km made dearer in the town's settings
    town = the_town()
    town.vehicle_costs["car"]["cents_per_km"] = 45
    town.vehicle_costs["bike"] = {"co2_g_per_km": 4}  # the rest stays the default
    town.vehicle_costs["car"]["park_seconds"] = 240
    town.save()
    day = Day(MONDAY_MORNING.date(), the_town().pk)
    bike, car = (to_vehicle(Shift.objects.select_related("vehicle__hub__town").get(pk=s.pk),
                            day) for s in shifts)
    # then
    assert (car.cost_per_km, car.cost_per_hour, car.fixed_cost) == (45, 2200, 2500)
    assert (bike.cost_per_km, bike.co2_g_per_km, bike.fixed_cost) == (5, 4, 800)
    assert car.co2_g_per_km > bike.co2_g_per_km
    assert bike.charge_s == shifts[0].vehicle.charge_minutes * 60
    assert (car.park_s, bike.park_s) == (240, 45)


def test_the_plan_reports_paid_and_vehicle_hours(drafts):
    run = drafts[0].plan_run
    summary = run.summary
    # two shifts of 14:00–21:00 are paid; one bike tour does the two orders in the evening
    assert summary["paid_hours"] == 14.0
    assert 0 < summary["vehicle_hours"] < 4
    bike = summary["vehicles"]["bike"]
    assert (bike["tours"], bike["drops"]) == (1, 2)
    assert bike["co2_kg"] > 0 and bike["cost_cents"] > 800
    assert summary["vehicles"]["car"]["tours"] == 0
    # named as the fleet pages name them, for the console's line per kind
    assert (bike["label"], summary["vehicles"]["car"]["label"]) == ("E-Lastenrad", "E-Auto")


def test_publishing_starts_the_shift_when_its_tour_leaves(drafts, staff_users):
    # given: a draft tour leaving well after its shift begins at 14:00
    tour = drafts[0]
    shift_start = tour.shift.starts_at
    assert tour.starts_at - shift_start > timedelta(hours=1)
    # when
    tour_publish(tour=tour, by=staff_users[Role.DISPATCHER])
    # then: the shift begins at the last 5 minutes before the tour leaves; its end stays
    shift = Shift.objects.get(pk=tour.shift_id)
    assert shift.starts_at <= tour.starts_at < shift.starts_at + timedelta(minutes=5)
    assert shift.starts_at.minute % 5 == 0
    assert shift.ends_at == tour.shift.ends_at
    entry = AuditEntry.objects.get(action="an die Tour angepasst")
    assert entry.by == staff_users[Role.DISPATCHER]
    assert Tour.objects.get(pk=tour.pk).status == TourStatus.PUBLISHED
    # the day page shows the paid hours against the tour's
    view = dispatch_day(user=staff_users[Role.DISPATCHER], town=the_town(),
                        day=MONDAY_MORNING.date())
    mine = next(s for s in view["shifts"] if s["id"] == shift.pk)
    assert mine["paid_hours"] < 7 and 0 < mine["tour_hours"] <= mine["paid_hours"]


def test_an_order_to_a_pickup_point_has_the_points_zone(shop, customer, town):
    person, _address = customer
    order = order_ready_to(shop, person, Destination("point", pickup_point_id=town["point"].pk))
    leg = Leg.objects.get(order=order)
    assert (leg.pickup_zone.name, leg.zone.name) == ("Mitte", "Mitte")


def order_ready_to(shop, person, destination: Destination):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        order = order_placed(person, shop["product"], now=MONDAY_MORNING,
                             destination=destination)
        orders.order_accept(order_number=order.number, by=shop["staff"])
        orders.order_mark_ready(order_number=order.number, by=shop["staff"],
                                now=MONDAY_MORNING)
    return order
