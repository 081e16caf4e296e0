"""The same-day rule: orders by the cut-off on a working day go out in that evening's wave.

Each town has its own `Schedule` (cut-off, wave, working days, the state whose public
holidays apply), edited by its operator; the `LOUISE_*` settings are the defaults a new
town starts from and what a caller without a town gets. All arithmetic is on local
dates and wall-clock times in Europe/Berlin and converted to aware datetimes at the end,
so DST changes cannot shift a wave by an hour.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAY_NAMES = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


@dataclass(frozen=True)
class Schedule:
    """A town's delivery rhythm: wall-clock times as "HH:MM", weekdays 0 = Monday."""

    cutoff: str
    wave_start: str
    wave_end: str
    working_days: tuple[int, ...]
    holiday_region: str  # "DE-NW": country and state, as the `holidays` package names them


def default_schedule() -> Schedule:
    """The schedule the settings describe: a new town's defaults."""
    return Schedule(cutoff=settings.LOUISE_ORDER_CUTOFF, wave_start=settings.LOUISE_WAVE_START,
                    wave_end=settings.LOUISE_WAVE_END,
                    working_days=tuple(settings.LOUISE_WORKING_DAYS),
                    holiday_region=settings.LOUISE_HOLIDAY_REGION)


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
    return holidays.country_holidays(country, subdiv=subdiv or None, years=year, language="de")


def public_holiday(day: date, schedule: Schedule | None = None) -> str | None:
    """The German name of the public holiday on `day` in the schedule's state, or None:
    no waves go out then, and shops that close on holidays are closed."""
    region = (schedule or default_schedule()).holiday_region
    return _holidays(region, day.year).get(day)


def is_working_day(day: date, schedule: Schedule | None = None) -> bool:
    schedule = schedule or default_schedule()
    return day.weekday() in schedule.working_days and public_holiday(day, schedule) is None


def next_working_day(day: date, schedule: Schedule | None = None) -> date:
    day += timedelta(days=1)
    while not is_working_day(day, schedule):
        day += timedelta(days=1)
    return day


def wave_on(day: date, schedule: Schedule | None = None) -> Wave:
    schedule = schedule or default_schedule()
    start = datetime.combine(day, time.fromisoformat(schedule.wave_start), BERLIN)
    end = datetime.combine(day, time.fromisoformat(schedule.wave_end), BERLIN)
    return Wave(day=day, start=start, end=end)


def wave_for(placed_at: datetime, schedule: Schedule | None = None) -> Wave:
    """The first wave an order placed at `placed_at` (aware) can go out in."""
    schedule = schedule or default_schedule()
    local = placed_at.astimezone(BERLIN)
    if is_working_day(local.date(), schedule) and local.time() < time.fromisoformat(
            schedule.cutoff):
        return wave_on(local.date(), schedule)
    return wave_on(next_working_day(local.date(), schedule), schedule)


def waves_from(placed_at: datetime, count: int, schedule: Schedule | None = None) -> list[Wave]:
    """The next `count` bookable waves, for slot pickers."""
    waves = [wave_for(placed_at, schedule)]
    while len(waves) < count:
        waves.append(wave_on(next_working_day(waves[-1].day, schedule), schedule))
    return waves
