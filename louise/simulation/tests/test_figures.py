"""The arithmetic of a day's figures, without a database."""

from datetime import date, datetime, timedelta

import pytest

from louise.accounts.models import AuditEntry
from louise.conftest import the_town
from louise.core.calendar import BERLIN
from louise.logistics.models import Shift
from louise.logistics.ridden import TourUse, Visit, route_metres, tour_use
from louise.planning.matrix import DETOUR_FACTOR, great_circle_m
from louise.simulation.dispatch import patterns_ensure
from louise.simulation.figures import VehicleUse, on_time, share, vehicle_use

HUB = (51.5236, 6.9285)
SHOP = (51.5245, 6.9260)
DOOR = (51.5280, 6.9350)
TWO = datetime(2026, 12, 1, 14, 0, tzinfo=BERLIN)


def test_a_route_is_measured_as_the_planner_measures_it():
    assert route_metres([HUB]) == 0
    assert route_metres([HUB, SHOP, DOOR]) == pytest.approx(
        (great_circle_m(*HUB, *SHOP) + great_circle_m(*SHOP, *DOOR)) * DETOUR_FACTOR)


def test_a_finished_tour_counts_the_way_home_an_unfinished_one_stops_at_its_last_stop():
    visits = [Visit(*SHOP, TWO + timedelta(minutes=10)), Visit(*DOOR, TWO + timedelta(hours=1))]
    running = tour_use(kind="bike", hub=HUB, start=TWO, visits=visits, back=False,
                       speed_kmh=12)
    done = tour_use(kind="bike", hub=HUB, start=TWO, visits=visits, back=True, speed_kmh=12)
    assert running == TourUse("bike", 3600, route_metres([HUB, SHOP, DOOR]))
    home = route_metres([DOOR, HUB])
    assert done.metres == pytest.approx(running.metres + home)
    assert done.seconds == 3600 + round(home * 3.6 / (12 * DETOUR_FACTOR))
    assert tour_use(kind="car", hub=HUB, start=TWO, visits=[], back=True, speed_kmh=25) \
        == TourUse("car", 0, 0)


def test_vehicle_use_adds_up_per_kind():
    used = vehicle_use([TourUse("bike", 3600, 10_000), TourUse("car", 1800, 30_500),
                        TourUse("bike", 5400, 2_345)])
    assert used == {"bike": VehicleUse(2, 2.5, 12.35), "car": VehicleUse(1, 0.5, 30.5)}


def test_a_drop_is_on_time_when_the_rider_arrived_by_the_windows_end():
    end = TWO + timedelta(hours=6)
    assert on_time(end + timedelta(seconds=180), 180, end)
    assert not on_time(end + timedelta(seconds=181), 180, end)


def test_share_of_nothing_is_no_number():
    assert share(0, 0) is None
    assert share(2, 3) == 0.667


def test_a_town_without_patterns_gets_the_pilots_rhythm_from_its_operator(town, staff_users):
    made = patterns_ensure(the_town(), date(2026, 11, 30), date(2026, 11, 30))
    assert len(made) == 1  # one rider, two vehicles: one pattern
    entry = AuditEntry.objects.get(model="Schichtmuster")
    assert entry.by == staff_users["operator"] and entry.action == "angelegt"
    assert Shift.objects.filter(pattern__isnull=False, rider=staff_users["rider"]).exists()
    assert patterns_ensure(the_town(), date(2026, 11, 30), date(2026, 11, 30)) == []
