"""The figures of a planned day read from its rows, on a tiny hand-made day: one basket from
two shops to one door, its tour laid out by hand, then broken one rule at a time."""

from dataclasses import dataclass
from datetime import datetime, time

import pytest
import time_machine

from louise.accounts.models import Role
from louise.catalog.services import merchant_update, opening_exception_set
from louise.conftest import MONDAY_MORNING, the_town
from louise.core.calendar import BERLIN
from louise.logistics.hub_routing import route_force
from louise.logistics.models import (
    Leg,
    LegStatus,
    PlanRun,
    RunStatus,
    Shift,
    StopKind,
    Tour,
    TourStop,
)
from louise.orders import services as orders
from louise.orders.checkout import Destination, LineRequest, checkout_place
from louise.simulation.plan_figures import CO2_G_PER_KM, plan_figures

MONDAY = MONDAY_MORNING.date()


def at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(MONDAY, time(hour, minute), BERLIN)


@dataclass
class Day:
    legs: list[Leg]  # the first shop's, then the second's
    run: PlanRun
    bike: Shift
    car: Shift


@pytest.fixture
def day(town, shop, other_shop, customer, shifts, staff_users) -> Day:
    kundin, home = customer
    with time_machine.travel(MONDAY_MORNING, tick=False):
        checkout = checkout_place(
            customer=kundin, lines=[LineRequest(shop["product"].pk, 1),
                                    LineRequest(other_shop["product"].pk, 1)],
            destination=Destination("door", address_id=home.pk), idempotency_key="korb",
            now=MONDAY_MORNING)
        for order in checkout.orders.select_related("merchant").order_by("pk"):
            staff = order.merchant.staff.get()
            orders.order_accept(order_number=order.number, by=staff)
            orders.order_mark_ready(order_number=order.number, by=staff, now=MONDAY_MORNING)
            # the dispatcher sends both direct (not via the City-Depot), so the tour of the
            # two shops' legs can be laid out by hand
            route_force(by=staff_users[Role.DISPATCHER], leg_id=order.legs.first().pk,
                        route="direct", now=MONDAY_MORNING)
    legs = list(Leg.objects.filter(order__checkout=checkout, status=LegStatus.OPEN)
                .order_by("order_id"))
    run = PlanRun.objects.create(town=the_town(), day=MONDAY, status=RunStatus.DONE)
    return Day(legs, run, *shifts)


def tour(day: Day, shift: Shift, stops: list[tuple[Leg, str, datetime]]) -> Tour:
    """A tour laid out by hand: its stops in this order, each planned at its time."""
    made = Tour.objects.create(plan_run=day.run, shift=shift, starts_at=at(14),
                               ends_at=at(21))
    for sequence, (leg, kind, when) in enumerate(stops, start=1):
        TourStop.objects.create(tour=made, sequence=sequence, leg=leg, kind=kind,
                                planned_arrival=when, planned_departure=when)
    return made


def together(day: Day) -> Tour:
    """The bike collects at both shops and drops both parcels at the door one after the
    other: every rule kept."""
    a, b = day.legs
    return tour(day, day.bike, [(a, StopKind.PICKUP, at(15)), (b, StopKind.PICKUP, at(15, 20)),
                                (a, StopKind.DELIVERY, at(18)),
                                (b, StopKind.DELIVERY, at(18, 5))])


def test_a_day_that_keeps_every_rule(day):
    together(day)
    figures = plan_figures(the_town(), MONDAY)
    assert (figures.legs, figures.unassigned) == (2, 0)
    assert (figures.multi_shop, figures.multi_shop_one_drop) == (1, 1)
    assert figures.outside_hours == [] and figures.zone_breaches == []
    assert figures.late_stops == 0 and figures.checker_rejects == []
    bike = figures.kinds["bike"]
    assert (bike.vehicles, bike.drops, bike.parcels) == (1, 2, 2)
    assert 3 < bike.vehicle_hours < 5  # 14:00 until back from the last drop after 18:05
    # paid from the shift's start until back at the hub, rounded up to 5 minutes (the app
    # ends the shift then, `shifts.shift_end_to_return`), not until the shift's 21:00
    assert bike.vehicle_hours <= bike.paid_hours < bike.vehicle_hours + 5 / 60
    assert round(bike.paid_hours * 12, 6) == round(bike.paid_hours * 12)
    # At the door from about 15:30 until the drop window opens at 17:30, then until the
    # planned 18:00; at the shops until the planned 15:00 and 15:20.
    assert 1.9 < bike.window_wait_hours < 2.2 and 1.5 < bike.idle_hours < 2
    assert figures.bike_drop_share == 1.0
    assert figures.idle_shifts == 1  # the car's shift has no tour
    json = figures.as_json()
    assert json["by_kind"]["bike"]["co2_kg"] == round(bike.km * CO2_G_PER_KM["bike"] / 1000, 2)
    assert json["by_kind"]["bike"]["parcels_per_paid_hour"] == round(2 / bike.paid_hours, 2)
    # the town's rates: the paid hours, the km and one day of the bike
    rates = the_town().costs_of("bike")
    expected = rates.cents_per_hour * bike.paid_hours + rates.cents_per_km * bike.km \
        + rates.cents_per_day
    assert json["by_kind"]["bike"]["cost_eur"] == round(expected / 100, 2) > 0


def test_two_vehicles_for_one_basket_are_not_one_drop(day):
    a, b = day.legs
    tour(day, day.bike, [(a, StopKind.PICKUP, at(15)), (a, StopKind.DELIVERY, at(18))])
    tour(day, day.car, [(b, StopKind.PICKUP, at(15)), (b, StopKind.DELIVERY, at(19))])
    figures = plan_figures(the_town(), MONDAY)
    assert (figures.multi_shop, figures.multi_shop_one_drop) == (1, 0)
    assert figures.bike_drop_share == 0.5


def test_a_left_out_leg_counts_as_unassigned_and_breaks_the_one_drop(day):
    a, _b = day.legs
    tour(day, day.bike, [(a, StopKind.PICKUP, at(15)), (a, StopKind.DELIVERY, at(18))])
    figures = plan_figures(the_town(), MONDAY)
    assert figures.unassigned == 1 and figures.multi_shop_one_drop == 0


def test_a_pickup_at_a_shop_closed_that_day_is_outside_its_hours(day, shop):
    opening_exception_set(merchant=shop["merchant"], day=MONDAY, closed=True)
    together(day)
    figures = plan_figures(the_town(), MONDAY)
    assert len(figures.outside_hours) == 1
    assert "Buchladen Eins" in figures.outside_hours[0] and "16:00" not in \
        figures.outside_hours[0]


def test_a_bike_collecting_at_a_shop_in_a_car_only_zone_breaks_the_zone_rule(day, other_shop):
    # The door allows bikes; the second shop now lies in Kirchhellen (cars only).
    merchant_update(merchant=other_shop["merchant"], postcode="46244")
    together(day)
    figures = plan_figures(the_town(), MONDAY)
    assert figures.zone_breaches == [f"Auftrag {day.legs[1].pk} (bike): {day.legs[1]}"]
    assert str(day.legs[1]).startswith("Laden Zwei")


def test_a_stop_the_rider_cannot_reach_in_its_window_is_late(day):
    a, b = day.legs
    # Both drops planned after the window (17:30–20:30) closes.
    tour(day, day.bike, [(a, StopKind.PICKUP, at(15)), (b, StopKind.PICKUP, at(15, 20)),
                         (a, StopKind.DELIVERY, at(20, 40)), (b, StopKind.DELIVERY, at(20, 45))])
    assert plan_figures(the_town(), MONDAY).late_stops == 2


def test_a_tour_the_planners_checker_rejects_is_reported(day):
    a, b = day.legs
    tour(day, day.bike, [(a, StopKind.DELIVERY, at(17, 30)), (a, StopKind.PICKUP, at(15)),
                         (b, StopKind.PICKUP, at(15, 20)), (b, StopKind.DELIVERY, at(18))])
    rejects = plan_figures(the_town(), MONDAY).checker_rejects
    assert len(rejects) == 1 and "Zustellung vor Abholung" in rejects[0]
