"""The independent checks of a planned day on tiny hand-made days: each finds what breaks
its rule and passes what keeps it."""

from dataclasses import replace
from datetime import datetime, timedelta

from louise.core.calendar import BERLIN
from louise.simulation.plan_checks import (
    Drop,
    Ride,
    StopRow,
    Visit,
    in_one_drop,
    outside_hours,
    retime,
    zone_breaches,
)

HUB = (51.5236, 6.9285)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, 9, hour, minute, tzinfo=BERLIN)


SHOP_HOURS = {"merchant:1": [(at(9), at(18, 30))],
              "merchant:2": [(at(9), at(13)), (at(15), at(18))],  # a lunch break
              "point:1": []}  # closed that day (a holiday, a special day)


def test_a_stop_in_a_shop_after_closing_time_is_outside_its_hours():
    late = Visit("merchant:1", at(19, 19))
    assert outside_hours([late, Visit("merchant:1", at(10))], SHOP_HOURS) == [late]


def test_a_stop_begun_at_closing_time_is_inside_but_not_a_minute_later():
    assert outside_hours([Visit("merchant:1", at(18, 30))], SHOP_HOURS) == []
    assert len(outside_hours([Visit("merchant:1", at(18, 31))], SHOP_HOURS)) == 1


def test_the_lunch_break_of_a_split_shift_is_closed():
    assert len(outside_hours([Visit("merchant:2", at(14))], SHOP_HOURS)) == 1
    assert outside_hours([Visit("merchant:2", at(15, 30))], SHOP_HOURS) == []


def test_a_place_closed_all_day_is_outside_at_any_time_and_a_door_never():
    assert len(outside_hours([Visit("point:1", at(12))], SHOP_HOURS)) == 1
    assert outside_hours([Visit("address:5", at(23, 30)), Visit("locker:1", at(3))],
                         SHOP_HOURS) == []


ALLOWED = {"merchant:7": frozenset({"car"}),  # a shop in a car-only zone
           "address:1": frozenset({"bike", "car"}), "address:2": frozenset({"car"}),
           "address:3": frozenset(),  # a switched-off zone
           "address:4": None}  # in no zone


def test_a_bike_leg_from_a_shop_in_a_car_only_zone_breaks_the_zone_rule():
    bike = Ride(1, "merchant:7", "address:1", "bike")  # the door allows bikes, the shop not
    assert zone_breaches([bike, Ride(2, "merchant:7", "address:1", "car")], ALLOWED) == [bike]


def test_the_drop_end_counts_too_and_a_switched_off_zone_allows_nothing():
    to_car_only = Ride(1, "address:1", "address:2", "bike")
    to_closed = Ride(2, "address:1", "address:3", "car")
    assert zone_breaches([to_car_only, to_closed], ALLOWED) == [to_car_only, to_closed]


def test_a_place_in_no_zone_or_unknown_has_no_zone_rule():
    assert zone_breaches([Ride(1, "address:4", "hub:1", "bike")], ALLOWED) == []


def test_a_delivery_is_in_one_drop_only_when_its_stops_follow_each_other_at_one_place():
    assert in_one_drop([Drop(1, 4, "address:9"), Drop(1, 5, "address:9")])
    assert in_one_drop([Drop(1, 4, "address:9")])  # consolidated at the hub into one leg
    assert not in_one_drop([Drop(1, 4, "address:9"), Drop(1, 6, "address:9")])  # a stop between
    assert not in_one_drop([Drop(1, 4, "address:9"), Drop(2, 5, "address:9")])  # two vehicles
    assert not in_one_drop([Drop(1, 4, "address:9"), Drop(1, 5, "point:1")])  # two places
    assert not in_one_drop([Drop(1, 4, "address:9"), None])  # one left out
    assert not in_one_drop([])


def row(lat: float, lon: float, opens: datetime, closes: datetime,
        planned: datetime | None = None, service_s: int = 120) -> StopRow:
    return StopRow(lat, lon, opens, closes, service_s, planned or opens)


def test_retiming_waits_for_the_window_and_for_the_planned_time():
    near = (51.5300, 6.9300)  # about 0.7 km from the hub
    timed = retime(start=at(14), hub=HUB, speed_kmh=12.0, stops=[
        row(*near, at(14), at(16), planned=at(14)),  # reached at about 14:04, no wait
        row(*near, at(17, 30), at(20, 30)),  # the drop window opens at 17:30
        row(*near, at(17), at(20, 30), planned=at(18)),  # the plan says 18:00
    ])
    first, second, third = timed.stops
    assert first.window_wait_s == 0 and first.idle_s == 0 and at(14) < first.start < at(14, 10)
    assert second.start == at(17, 30) and second.window_wait_s > 3 * 3600
    assert third.start == at(18) and third.window_wait_s == 0 and third.idle_s > 0
    assert timed.end > third.departure and timed.metres > 2 * 700
    assert not any(t.late for t in timed.stops)


def test_retiming_finds_a_stop_that_cannot_be_reached_in_its_window():
    far = (51.6190, 6.8830)  # Feldhausen, about 11 km from the hub: about an hour by bike
    timed = retime(start=at(17), hub=HUB, speed_kmh=12.0,
                   stops=[row(*far, at(17), at(17, 30))])
    assert timed.stops[0].late
    assert timed.stops[0].arrival - at(17) > timedelta(minutes=50)


def test_retiming_parks_at_each_new_place_but_not_twice_nor_at_the_hub():
    near = (51.5300, 6.9300)
    stops = [row(*near, at(14), at(20)), row(*near, at(14), at(20)),
             row(*HUB, at(14), at(20))]  # back at the hub for the next load
    plain = retime(start=at(14), hub=HUB, speed_kmh=12.0, stops=stops)
    parked = retime(start=at(14), hub=HUB, speed_kmh=12.0, stops=stops, park_s=180)
    assert [p.arrival - s.arrival for p, s in zip(parked.stops, plain.stops, strict=True)] == [
        timedelta(seconds=180)] * 3  # the second stop there follows on foot
    assert parked.end - plain.end == timedelta(seconds=180)
    assert parked.driving_s == plain.driving_s


def test_an_empty_tour_takes_no_time():
    timed = retime(start=at(14), hub=HUB, speed_kmh=12.0, stops=[])
    assert timed.end == at(14) and timed.metres == 0 and timed.driving_s == 0


def test_retiming_hands_over_once_per_place_and_not_before_the_window_opens():
    # given: three parcels at one shop counter (2 minutes each alone, 90 s of it meeting
    # the shop), the shop's window opening after the rider gets there, and a door after it
    near, door = (51.5300, 6.9300), (51.5320, 6.9330)
    shop = [replace(row(*near, at(14, 30), at(18)), handover_s=90) for _ in range(3)]
    timed = retime(start=at(14), hub=HUB, speed_kmh=12.0,
                   stops=[*shop, replace(row(*door, at(14), at(18), service_s=180),
                                         handover_s=90)])
    first, second, third, at_door = timed.stops
    # then: the handover begins when the window opens, the parcels follow 30 s each
    assert first.arrival < at(14, 30) and first.start == at(14, 30)
    assert first.departure == at(14, 32)
    assert second.departure == first.departure + timedelta(seconds=30)
    assert third.departure == at(14, 33) and not any(t.late for t in timed.stops)
    # a new place: its own handover again, the whole 3 minutes of a single parcel
    assert at_door.departure - at_door.start == timedelta(minutes=3)
    assert at_door.start - at_door.arrival == timedelta(0)
    # and each alone (as before the handover was shared) takes a full 2 minutes
    alone = retime(start=at(14), hub=HUB, speed_kmh=12.0,
                   stops=[row(*near, at(14, 30), at(18))] * 3)
    assert alone.stops[-1].departure == at(14, 36)


def test_a_stop_after_another_at_its_place_is_late_by_its_legs_window():
    # given: two parcels at one shop; the rider gets there at `came`, hands over 90 s, the
    # first parcel's own 30 s, then the second's: begun 30 s after `came` by its leg's
    # measure (the window is for the begin of a whole 2-minute stop)
    near = (51.5300, 6.9300)
    came = retime(start=at(14), hub=HUB, speed_kmh=12.0,
                  stops=[row(*near, at(14), at(15))]).stops[0].arrival

    def second(closes: datetime):
        shop = [replace(row(*near, at(14), at(15)), handover_s=90),
                replace(row(*near, at(14), closes), handover_s=90)]
        return retime(start=at(14), hub=HUB, speed_kmh=12.0, stops=shop).stops[1]

    assert second(came + timedelta(seconds=30)).late is False
    assert second(came + timedelta(seconds=29)).late is True
