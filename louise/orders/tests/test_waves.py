from datetime import UTC, datetime

import pytest

from louise.core.calendar import BERLIN, wave_for, waves_from


def local(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("placed", "wave_day"),
    [
        (local(2026, 11, 30, 13, 59, 59), (2026, 11, 30)),  # Monday, just before the cut-off
        (local(2026, 11, 30, 14, 0, 0), (2026, 12, 1)),     # at the cut-off: next day
        (local(2026, 12, 4, 15, 0), (2026, 12, 7)),          # Friday afternoon → Monday
        (local(2026, 12, 5, 9, 0), (2026, 12, 7)),           # Saturday morning → Monday
        (local(2026, 12, 6, 11, 0), (2026, 12, 7)),          # Sunday → Monday
        (local(2026, 12, 24, 15, 0), (2026, 12, 28)),        # Christmas (Fri) → Monday
        (local(2026, 12, 25, 9, 0), (2026, 12, 28)),         # a public holiday morning
    ],
)
def test_wave_follows_cutoff_weekends_and_holidays(placed, wave_day):
    # when
    wave = wave_for(placed)
    # then
    assert wave.day == datetime(*wave_day).date()
    assert (wave.start.hour, wave.start.minute) == (17, 30)


def test_cutoff_is_judged_in_berlin_time_not_utc():
    # given: 13:30 UTC is 14:30 in Berlin in winter – after the cut-off
    placed = datetime(2026, 11, 30, 13, 30, tzinfo=UTC)
    # then
    assert wave_for(placed).day == datetime(2026, 12, 1).date()


def test_wave_keeps_wall_clock_time_across_dst_end():
    # given: Friday 23 Oct 2026 (summer time), the clocks go back on Sunday 25 Oct
    friday = wave_for(local(2026, 10, 23, 10, 0))
    monday = wave_for(local(2026, 10, 23, 15, 0))
    # then: both waves start at 17:30 local, which is a different hour in UTC
    assert friday.start.astimezone(UTC).hour == 15
    assert monday.day == datetime(2026, 10, 26).date()
    assert monday.start.astimezone(UTC).hour == 16
    assert monday.start.astimezone(BERLIN).hour == 17


def test_wave_across_dst_start_and_easter():
    # Summer time starts on Easter Sunday, 28 March 2027; Good Friday and Easter Monday are
    # holidays in NRW, so Thursday afternoon's order goes out on Tuesday, 17:30 CEST.
    wave = wave_for(local(2027, 3, 25, 16, 0))
    assert wave.day == datetime(2027, 3, 30).date()
    assert wave.start.astimezone(UTC).hour == 15


def test_cutoff_and_wave_times_are_settings(settings):
    settings.LOUISE_ORDER_CUTOFF = "11:00"
    settings.LOUISE_WAVE_START = "16:00"
    wave = wave_for(local(2026, 11, 30, 11, 30))
    assert wave.day == datetime(2026, 12, 1).date()
    assert wave.start.hour == 16


def test_saturday_can_be_made_a_working_day(settings):
    settings.LOUISE_WORKING_DAYS = [0, 1, 2, 3, 4, 5]
    assert wave_for(local(2026, 12, 4, 15, 0)).day == datetime(2026, 12, 5).date()


def test_waves_from_lists_consecutive_working_days():
    days = [w.day.isoformat() for w in waves_from(local(2026, 12, 3, 15, 0), 3)]
    assert days == ["2026-12-04", "2026-12-07", "2026-12-08"]
