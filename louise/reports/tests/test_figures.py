"""Each figure of the town's report on a tiny hand-made history, the expected value worked out
by hand in the comment beside it. The quality figures are counted in the database, so their
history is written into it (`history.py`)."""

from datetime import date, datetime, timedelta

import pytest

from louise.conftest import the_town
from louise.core.calendar import BERLIN
from louise.geo.vehicle_costs import VehicleCosts
from louise.reports.figures import (
    Baselines,
    Basis,
    TourRow,
    WhatIf,
    costs_of,
    drop_costs,
    environment,
    fleet,
    what_if,
)
from louise.reports.selectors import Period, report_of

from .history import Drop, drops_recorded

DAY = date(2026, 12, 1)
UNTIL = datetime(2026, 12, 1, 20, 30, tzinfo=BERLIN)  # the wave's promised end


def at(hh: int, mm: int, day: int = 1) -> datetime:
    return datetime(2026, 12, day, hh, mm, tzinfo=BERLIN)


def drop(order: int, method: str, done_at: datetime, *, until: datetime = UNTIL,
         service_s: int = 180, done=True, failure="", fallback="") -> Drop:
    return Drop(order=order, method=method, at=done_at, until=until, service_s=service_s,
                done=done, failure=failure, fallback=fallback)


DROPS = [
    drop(1, "door", at(19, 0)),  # on time
    drop(2, "point", at(20, 35)),  # arrived 20:32 (less 3 min service): 2 min late
    drop(3, "door", at(18, 0), done=False, failure="not_home", fallback="locker"),
    # the fallback the next evening, in its own window: on time, not the same day
    drop(3, "locker", at(19, 30, day=2), until=UNTIL + timedelta(days=1)),
    drop(4, "locker", at(20, 40), service_s=120),  # arrived 20:38: 8 min late
]
DONE_BY_BIKE = {"bike": 4}  # the done drops above

BIKE = VehicleCosts(cents_per_hour=2200, cents_per_km=5, cents_per_day=800, co2_g_per_km=6,
                    park_seconds=45)
CAR = VehicleCosts(cents_per_hour=2200, cents_per_km=13, cents_per_day=2500, co2_g_per_km=80,
                   park_seconds=180)
PRICES = {"bike": BIKE, "car": CAR}
TOURS = [
    # 2 h on the road, 12 km at 12 km/h = 1 h riding, 10 stops of 3 min = 0.5 h: 0.5 h waiting
    TourRow(day=DAY, vehicle=1, kind="bike", seconds=7200, metres=12_000, stops=10,
            service_s=1800, speed_kmh=12, parcels=8),
    # 1 h, 30 km at 30 km/h = 1 h riding: no waiting
    TourRow(day=DAY, vehicle=2, kind="car", seconds=3600, metres=30_000, stops=4,
            service_s=0, speed_kmh=30, parcels=4),
]


def quality_of(drops: list[Drop], town, shop, customer, last: date = date(2026, 12, 2)):
    drops_recorded(town, shop, customer, drops)
    return report_of("Bottrop", [the_town()], Period("custom", DAY, last)).quality


def test_quality_on_time_first_attempt_failures_lateness_same_day(town, shop, customer):
    figures = quality_of(DROPS, town, shop, customer)
    # done: orders 1, 2, 3 (the locker), 4 = 4 drops; late: 2 and 4 -> 2 of 4 on time
    assert figures.on_time == 0.5
    # first attempt per order: 1 done, 2 done, 3 failed, 4 done -> 3 of 4
    assert figures.first_attempt == 0.75
    assert figures.failures == {"not_home": 1}
    assert figures.fallbacks == {"locker": 1}
    # late drops: 2 min and 8 min -> 5 min on average
    assert figures.lateness_min == 5.0
    # promised the same evening: 4 orders; handed over that day: 1, 2, 4 -> 3 of 4
    assert figures.same_day == 0.75


def test_an_order_handed_over_twice_counts_once(town, shop, customer):
    drops = [drop(1, "door", at(19, 0)), drop(1, "door", at(19, 30)),  # two legs, both done
             drop(2, "door", at(19, 10))]
    figures = quality_of(drops, town, shop, customer, DAY)
    # promised the same evening: orders 1 and 2; handed over that day: both -> 2 of 2, not
    # the three drops
    assert figures.same_day == 1.0
    assert figures.first_attempt == 1.0  # each order's first drop was done
    assert figures.on_time == 1.0  # all three by 20:30


def test_quality_of_no_drops_is_no_number(town, shop, customer):
    figures = quality_of([], town, shop, customer)
    assert (figures.on_time, figures.first_attempt, figures.lateness_min,
            figures.same_day) == (None, None, None, None)


def test_fleet_per_kind():
    use = fleet(TOURS, {"bike": 4.0, "car": 2.0}, DONE_BY_BIKE)
    bike, car = use["bike"], use["car"]
    assert (bike.km, bike.hours, bike.vehicle_days) == (12.0, 2.0, 1)
    assert bike.stops_per_hour == 5.0  # 10 stops in 2 h
    assert bike.parcels_per_hour == 4.0  # 8 parcels in 2 h
    assert bike.waiting_share == 0.25  # 0.5 h of 2 h
    assert bike.utilisation == 0.5  # 2 h on tour of 4 paid
    assert bike.drops == 4  # the done drops above were all by bike
    assert (car.waiting_share, car.utilisation, car.stops_per_hour) == (0.0, 0.5, 4.0)


def test_co2_emitted_and_avoided():
    use = fleet(TOURS, {}, {})
    base = Baselines(van_g_per_km=250, car_g_per_km=166, trip_m=6000, car_trip_share_pct=50)
    figures = environment(use, PRICES, base, delivered=10)
    # emitted: 12 km × 6 g + 30 km × 80 g = 72 + 2400 = 2472 g
    assert figures.co2_kg == 2.47
    # a diesel van on the same 42 km: 42 × 250 = 10,500 g; less 2472 = 8028 g
    assert figures.avoided_vs_van_kg == 8.03
    # 10 deliveries, half of them a 6 km car trip at 166 g/km: 10 × 6 × 166 × 0.5 = 4980 g;
    # less 2472 = 2508 g
    assert figures.avoided_vs_trips_kg == 2.51
    assert figures.km == {"bike": 12.0, "car": 30.0}


def test_costs_and_cost_per_stop():
    use = fleet(TOURS, {"bike": 4.0, "car": 2.0}, {})
    costs = costs_of(use, PRICES, hub_rent_month=91_250, software_month=36_500, days=1)
    assert costs.riders == 13_200  # (4 h + 2 h) × 22 €
    assert costs.km == 450  # 12 km × 5 ct + 30 km × 13 ct = 60 + 390
    assert costs.vehicle_days == 3300  # one bike day 8 €, one car day 25 €
    assert costs.hub_rent == 3000  # 912.50 € × 12 / 365 for one day
    assert costs.software == 1200  # 365 € × 12 / 365
    assert costs.total == 21_150
    # 14 stops done (10 + 4): 211.50 € / 14 = 15.107 € a stop
    assert round(costs.total / sum(u.stops for u in use.values()), 1) == 1510.7


def test_unit_cost_of_a_drop_is_the_riders_time_and_the_km():
    use = fleet(TOURS[:1], {}, DONE_BY_BIKE)
    # bike: 2 h × 22 € + 12 km × 5 ct = 44.60 € for its 4 drops = 11.15 € a drop
    assert drop_costs(use, PRICES) == {"bike": 4460}
    assert drop_costs(use, PRICES)["bike"] / use["bike"].drops == 1115


def test_break_even_orders_per_day():
    basis = Basis(goods_per_order=4000, merchant_other_per_order=50, bike_cents_per_drop=300,
                  car_cents_per_drop=500, fixed_per_day=10_000)
    outcome = what_if(basis, WhatIf(fee_cents=300, merchant_percent=5, orders_per_day=40,
                                    bike_share=0.75))
    # revenue: 3 € fee + 5 % of 40 € goods + 0.50 € other shop fees = 5.50 €
    assert outcome.revenue_per_order == 550
    # cost: 0.75 × 3 € + 0.25 × 5 € = 3.50 €
    assert outcome.cost_per_order == 350
    assert outcome.contribution_per_order == 200
    # 40 orders × 2 € − 100 € fixed = −20 € a day; 100 € / 2 € = 50 orders to break even
    assert outcome.result_per_day == -2000
    assert outcome.break_even_per_day == 50


@pytest.mark.parametrize(("fee", "expected"), [(0, None), (100, None), (201, 1), (200, 2)])
def test_break_even_rounds_up_and_is_none_when_every_order_loses(fee, expected):
    basis = Basis(goods_per_order=0, merchant_other_per_order=0, bike_cents_per_drop=100,
                  car_cents_per_drop=100, fixed_per_day=101)
    # contribution: fee − 1 €, 1.01 € fixed: a fee of 1 € or less never pays; at 2.01 € one
    # order does (1.01 / 1.01); at 2 € it takes 1.01 / 1.00 = 1.01, so two
    assert what_if(basis, WhatIf(fee, 0, 10, 1)).break_even_per_day == expected


def test_a_drop_one_second_after_the_window_is_late(town, shop, customer):
    in_time = drop(1, "door", UNTIL + timedelta(seconds=180))
    late = drop(2, "door", UNTIL + timedelta(seconds=181))
    assert quality_of([in_time, late], town, shop, customer, DAY).on_time == 0.5
