"""Opening hours are read one way for shops, pickup points and the hub: spans on a date,
split shifts, "24:00" and public holidays."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from louise.core.calendar import BERLIN, is_working_day, public_holiday
from louise.core.hours import hours_from_lines, hours_on, hours_to_lines

SPLIT = {"0": [["15:00", "18:30"], ["09:00", "13:00"]], "4": [["09:00", "18:00"]],
         "5": [["20:00", "24:00"]]}
MONDAY, CHRISTMAS, SATURDAY = date(2026, 11, 30), date(2026, 12, 25), date(2026, 11, 28)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, datetime.min.time(), BERLIN).replace(hour=hour, minute=minute)


def test_a_split_shift_is_open_in_both_spans_and_closed_at_lunch():
    monday = hours_on(SPLIT, MONDAY)
    assert monday.times == [(at(MONDAY, 9), at(MONDAY, 13)), (at(MONDAY, 15), at(MONDAY, 18, 30))]
    assert monday.open_until(at(MONDAY, 9)) == at(MONDAY, 13)
    assert monday.open_until(at(MONDAY, 12, 59)) == at(MONDAY, 13)
    assert monday.open_until(at(MONDAY, 13)) is None  # closing time is closed
    assert monday.open_until(at(MONDAY, 14)) is None
    assert monday.open_until(at(MONDAY, 17)) == at(MONDAY, 18, 30)
    assert monday.open_until(at(MONDAY, 8, 59)) is None
    assert hours_on(SPLIT, date(2026, 12, 1)).closed  # no hours on Tuesdays


def test_24_00_closes_at_the_next_midnight():
    saturday = hours_on(SPLIT, SATURDAY)
    assert saturday.open_until(at(SATURDAY, 23, 59)) == at(date(2026, 11, 29), 0)


def test_a_public_holiday_closes_only_places_that_close_on_holidays():
    assert public_holiday(CHRISTMAS) == "Erster Weihnachtstag"
    closed = hours_on(SPLIT, CHRISTMAS, closed_on_holidays=True)
    assert (closed.closed, closed.reason) == (True, "Erster Weihnachtstag")
    assert closed.open_until(at(CHRISTMAS, 10)) is None
    opened = hours_on(SPLIT, CHRISTMAS)
    assert opened.open_until(at(CHRISTMAS, 10)) == at(CHRISTMAS, 18)


@pytest.mark.parametrize(("day", "working"), [(MONDAY, True), (CHRISTMAS, False),
                                              (SATURDAY, False), (date(2026, 6, 4), False)])
def test_waves_skip_the_same_holidays(day, working):
    assert is_working_day(day) is working


def test_hours_are_read_from_one_line_per_weekday_as_written_on_a_door():
    lines = ["08:00-12:00, 14:00-18:00", "8 – 12.30", "", "geschlossen", "14:00-18:00,08:00-12:00",
             "09:00-24:00", "  "]
    hours = hours_from_lines(lines)
    assert hours == {"0": [["08:00", "12:00"], ["14:00", "18:00"]], "1": [["08:00", "12:30"]],
                     "4": [["08:00", "12:00"], ["14:00", "18:00"]], "5": [["09:00", "24:00"]]}
    # and written back the same way (a closed day as an empty line)
    assert hours_to_lines(hours) == ["08:00-12:00, 14:00-18:00", "08:00-12:30", "", "",
                                     "08:00-12:00, 14:00-18:00", "09:00-24:00", ""]


@pytest.mark.parametrize(("line", "says"), [
    ("8 bis 12", "Mo: „8 bis 12“ ist keine Zeitspanne"),
    ("08:00-12:00; 14-18", "keine Zeitspanne"),
    ("25:00-26:00", "keine Zeitspanne"),
    ("08:70-09:00", "keine Zeitspanne"),
    ("12:00-08:00", "Mo: Beginn muss vor Ende liegen"),
    ("08:00-13:00, 12:00-18:00", "Mo: Die Zeitspannen überschneiden sich"),
])
def test_a_line_that_is_not_understood_names_its_weekday(line, says):
    with pytest.raises(ValidationError, match=says):
        hours_from_lines([line, "", "", "", "", "", ""])

