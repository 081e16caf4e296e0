"""`louise bench day` end to end on a small day: the demo seeded, grown, a warm-up day
lived, the day's orders placed and packed, the day planned once and its figures read."""

import json

import pytest

from bench.day import Volume, run, table


def test_the_volume_grows_with_the_legs_asked_for():
    small, day = Volume.for_legs(24), Volume.for_legs(500)
    assert (day.bikes, day.cars) == (32, 10)  # 500 / 12 vehicles, a quarter e-cars
    assert day.bookings == 25 and 500 < day.checkouts < 600
    assert small.cars == 1 and small.checkouts < day.checkouts


@pytest.mark.django_db
def test_a_small_day_is_planned_by_the_app_and_measured_from_its_rows():
    report = run(legs=24, seed=1, town_slug="bottrop", time_limit=1.0)
    assert 12 <= report["legs"] <= 80  # a parcel via the City-Depot is two legs
    drops = sum(kind["drops"] for kind in report["by_kind"].values())
    assert 0 < drops <= report["legs"] - report["unassigned"]
    # riders called in for the legs the day has (a vehicle per 12), the cars as asked
    assert report["shifts"]["bike"] + report["shifts"]["car"] >= report["legs"] / 12
    assert report["shifts"]["car"] == Volume.for_legs(24).cars
    # the plan is published: each shift is paid from its tour's start until back at the hub
    bike = report["by_kind"]["bike"]
    assert bike["vehicle_hours"] <= bike["paid_hours"] < bike["vehicle_hours"] + \
        bike["vehicles"] * 10 / 60
    assert report["unpublished"] == 0
    assert report["plan_run"] and set(report["phase_seconds"]) == {
        "seed", "warm_up", "day", "plan", "figures"}
    json.dumps(report)
    text = table(report)
    assert "Zustellungen per Rad / drops by bike" in text and "bench day bottrop" in text
