"""The same-day rule: orders by the cut-off on a working day go out in that evening's wave.

Times are settings (`LOUISE_ORDER_CUTOFF`, `LOUISE_WAVE_START`, `LOUISE_WAVE_END`); days
are working days (`LOUISE_WORKING_DAYS`, less the public holidays of
`LOUISE_HOLIDAY_REGION`). All arithmetic is on local dates and wall-clock times in
Europe/Berlin and converted to aware datetimes at the end, so DST changes cannot shift
a wave by an hour.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

from .hours import WEEKDAY_NAMES

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class Wave:
    day: date
    start: datetime  # aware, Europe/Berlin
    end: datetime

    @property
    def label(self) -> str:
        """"Mo, 30.11.2026, 17:30–20:30 Uhr": people pick a delivery by its weekday."""
        return (f"{WEEKDAY_NAMES[self.day.weekday()]}, {self.day:%d.%m.%Y}, "
                f"{self.start:%H:%M}–{self.end:%H:%M} Uhr")


@lru_cache(maxsize=16)
def _holidays(region: str, year: int) -> holidays.HolidayBase:
    country, _, subdiv = region.partition("-")
    return holidays.country_holidays(country, subdiv=subdiv or None, years=year)


def is_working_day(day: date) -> bool:
    return (day.weekday() in settings.LOUISE_WORKING_DAYS
            and day not in _holidays(settings.LOUISE_HOLIDAY_REGION, day.year))


def next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def wave_on(day: date) -> Wave:
    start = datetime.combine(day, time.fromisoformat(settings.LOUISE_WAVE_START), BERLIN)
    end = datetime.combine(day, time.fromisoformat(settings.LOUISE_WAVE_END), BERLIN)
    return Wave(day=day, start=start, end=end)


def wave_for(placed_at: datetime) -> Wave:
    """The first wave an order placed at `placed_at` (aware) can go out in."""
    local = placed_at.astimezone(BERLIN)
    cutoff = time.fromisoformat(settings.LOUISE_ORDER_CUTOFF)
    if is_working_day(local.date()) and local.time() < cutoff:
        return wave_on(local.date())
    return wave_on(next_working_day(local.date()))


def waves_from(placed_at: datetime, count: int) -> list[Wave]:
    """The next `count` bookable waves, for slot pickers."""
    waves = [wave_for(placed_at)]
    while len(waves) < count:
        waves.append(wave_on(next_working_day(waves[-1].day)))
    return waves
