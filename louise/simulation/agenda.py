"""A simulated day: its clock, and the agenda of what happens when.

The clock is moved by time_machine, so every service sees the simulated time, also those
that take no `now=` (publishing a tour, a rider's stop, a job queued after a commit). Steps
run in time order with the clock standing at their time; the clock never runs backwards, so
a step due in the past runs at once. A step the app refuses (a `DomainError`: a slot full,
a stop closed) is noted as an incident of its town and the day goes on, as it would.
"""

import heapq
import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import perf_counter

from django.db.models import QuerySet
from time_machine import Traveller

from louise.accounts.models import User
from louise.core.calendar import BERLIN
from louise.core.errors import DomainError
from louise.geo.models import Address, Town
from louise.orders.models import Order

from .cast import Cast
from .dice import Dice

Step = Callable[[], None]
GROWN_FROM = 0.5  # the share of the customers signed up on a history's first day


@dataclass(frozen=True)
class Options:
    """How the town-days are lived: the planner's time per run (None: the app's, by the
    day's legs), how many checkouts and
    service bookings a town gets per day (None: from the number of its customers), and
    `until`, the first day the run must leave alone (None: none): the past simulated under
    a live demo places, handles and finishes nothing for a wave on or after it, so the
    live day's orders and tours stay as they are. `growing_from`: a history's first day,
    from which the town grows (see `Life.customers`)."""

    time_limit: float | None = 2.0
    orders: int | None = None
    bookings: int | None = None
    until: date | None = None
    growing_from: date | None = None


@dataclass
class Life:
    """One town on one simulated day: who plays whom, the chance, and what went wrong."""

    town: Town
    day: date
    cast: Cast
    dice: Dice
    options: Options
    agenda: "Agenda"
    refused: Counter[str] = field(default_factory=Counter)
    incidents: list[str] = field(default_factory=list)
    seconds: float = 0.0  # computing time spent on this town's day
    riding: set[int] = field(default_factory=set)  # tours whose riders are on their way

    def at(self, when: datetime, label: str, step: Step) -> None:
        self.agenda.add(when, self, label, step)

    @property
    def customers(self) -> list[tuple[User, Address]]:
        """Who has signed up by this day. A history grows as a new service does: on its
        first day half of the cast's customers (the earliest accounts first) are customers,
        then more each day until all are on the day before `until`; so the report of a
        month in the history finds new customers, and more orders than the month before
        (the orders of a day follow the number of customers)."""
        first, until = self.options.growing_from, self.options.until
        everyone = self.cast.customers
        if first is None or until is None or self.day >= until or until <= first:
            return everyone
        grown = max(0, (self.day - first).days) / (until - first).days
        return everyone[:max(1, round(len(everyone) * (GROWN_FROM + (1 - GROWN_FROM) * grown)))]

    def clock(self, at: time) -> datetime:
        """A wall-clock time of the simulated day."""
        return datetime.combine(self.day, at, BERLIN)

    def now(self) -> datetime:
        return self.agenda.now

    def reaches(self, wave_day: date) -> bool:
        """Whether the run may act for a wave on `wave_day` (before `Options.until`)."""
        return self.options.until is None or wave_day < self.options.until

    def own(self, orders: "QuerySet[Order]") -> "QuerySet[Order]":
        """Of `orders`, those whose wave the run may act for (see `reaches`)."""
        if self.options.until is None:
            return orders
        return orders.filter(wave_start__lt=day_start(self.options.until))


@dataclass(order=True)
class _Entry:
    at: datetime
    order: int
    life: Life = field(compare=False)
    label: str = field(compare=False)
    step: Step = field(compare=False)


class Agenda:
    """The day's steps of every town, run in time order on one clock."""

    def __init__(self, traveller: Traveller, start: datetime) -> None:
        self.traveller, self.now = traveller, start
        self._entries: list[_Entry] = []
        self._counter = itertools.count()
        traveller.move_to(start)

    def add(self, when: datetime, life: Life, label: str, step: Step) -> None:
        heapq.heappush(self._entries, _Entry(when, next(self._counter), life, label, step))

    def run_until(self, end: datetime) -> None:
        """Run every step due before `end`; later ones are dropped (the next day starts
        from what the database holds, so nothing is lost that matters)."""
        while self._entries and self._entries[0].at < end:
            entry = heapq.heappop(self._entries)
            if entry.at > self.now:
                self.now = entry.at
                self.traveller.move_to(self.now)
            started = perf_counter()
            try:
                entry.step()
            except DomainError as exc:
                entry.life.incidents.append(
                    f"{self.now.astimezone(BERLIN):%H:%M} {entry.label}: {exc.message}")
            finally:
                entry.life.seconds += perf_counter() - started
        self._entries.clear()
        self.now = max(self.now, end)
        self.traveller.move_to(self.now)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), BERLIN)


def day_end(day: date) -> datetime:
    return day_start(day) + timedelta(days=1)
