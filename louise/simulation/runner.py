"""`simulate`: run towns through consecutive working days with their own services.

Each calendar day gets one agenda for every town working that day (the clock moves once,
forwards): at 6:00 the shifts come from the patterns; from 7:00 customers check out and
book services, shops accept, decline and pack while open, and finish yesterday's repairs;
just after the cut-off the dispatcher plans and publishes, and slots late orders in
twice more; riders ride their tours with proofs, and the app's fallbacks take the drops
that fail; customers empty their locker compartments and move deliveries whose wave has
passed. Background jobs run at once (a worker that keeps up); mail goes nowhere, as the
simulated people read none.

At the end of each town's day its figures are read from the database (`figures`) and
kept as a `SimulatedDay`, so the next run goes on after the last simulated day. Chance
comes from the seed only (`dice`): the same seed on the same database places the same
orders. The planner has a time limit, so its tours, and what follows from them, may
differ from run to run on a busy machine.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from time import perf_counter

import time_machine
from django.db import transaction
from django.db.models import Q
from django.test import override_settings
from django.utils import timezone

from louise.core.calendar import is_working_day, next_working_day
from louise.core.errors import Invalid
from louise.geo.models import Town

from . import MAX_DAYS, customers, goods, repairs
from .agenda import Agenda, Life, Options, day_end, day_start
from .cast import Cast, cast_for
from .dice import Dice
from .dispatch import dispatching, patterns_ensure
from .figures import DayFigures, figures_for
from .models import SimulatedDay

AT_ONCE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
NO_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


@dataclass(frozen=True)
class TownDay:
    """One town's simulated day: its figures, and what only the simulation knows (the
    checkouts the app refused, by code; the steps it refused, in words)."""

    figures: DayFigures
    seed: int
    refused: dict[str, int]
    incidents: list[str]
    seconds: float

    def as_json(self) -> dict:
        return {**self.figures.as_json(), "seed": self.seed, "refused": self.refused,
                "incidents": self.incidents, "run_seconds": round(self.seconds, 1)}


@dataclass(frozen=True)
class Simulation:
    days: list[TownDay]
    notes: list[str]  # towns left out, and what was set up before the first day

    def as_json(self) -> list[dict]:
        return [result.as_json() for result in self.days]


def _towns(name: str | None) -> list[Town]:
    towns = Town.objects.filter(active=True).order_by("name")
    if name:
        towns = towns.filter(Q(slug=name) | Q(name__iexact=name))
    found = list(towns)
    if not found:
        raise Invalid(f"Keine aktive Stadt „{name}“." if name else "Es gibt keine aktive Stadt.",
                      field="town")
    return found


def _cast(towns: list[Town], *, named: bool) -> tuple[list[Town], dict[int, Cast], list[str]]:
    """Who plays whom in each town. A town that cannot live a day (no customers, no
    dispatcher) is left out with a note, unless it was asked for by name."""
    casts: dict[int, Cast] = {}
    notes = []
    for town in towns:
        try:
            casts[town.pk] = cast_for(town)
        except Invalid as exc:
            if named:
                raise
            notes.append(f"{town.name}: nicht simuliert – {exc.message}")
    if not casts:
        raise Invalid("Keine Stadt kann simuliert werden: " + " ".join(notes), field="town")
    return [t for t in towns if t.pk in casts], casts, notes


def _first_day(town: Town, start: date | None) -> date:
    """The town's first day of this run: `start` (or the next working day from it), else the
    working day after its last simulated one or after today, whichever is later (a history
    of past days simulated after a demo, `history`, goes on tomorrow, not in the past)."""
    last = (SimulatedDay.objects.filter(town=town).order_by("-day")
            .values_list("day", flat=True).first())
    if start is None:
        today = timezone.localdate()
        return next_working_day(max(last or today, today), town.schedule)
    if last is not None and start <= last:
        raise Invalid(f"{town.name} ist schon bis {last:%d.%m.%Y} simuliert; der Start muss "
                      f"danach liegen (ohne Start geht es am "
                      f"{next_working_day(last, town.schedule):%d.%m.%Y} weiter).",
                      field="start", code="already_simulated")
    return start if is_working_day(start, town.schedule) else next_working_day(
        start, town.schedule)


def working_days(town: Town, first: date, count: int) -> list[date]:
    days = [first]
    while len(days) < count:
        days.append(next_working_day(days[-1], town.schedule))
    return days


def _morning(life: Life) -> None:
    """What the town's day holds when it begins: the dispatcher's and riders' plans, and
    the customers and shops with what is new and what earlier days left."""
    dispatching(life)
    town_wakes(life)


def town_wakes(life: Life) -> None:
    """The customers' and shops' day without the dispatcher (`louise bench day` plans it
    once itself): what is new, and what earlier days left."""
    customers.waves_missed(life)
    customers.lockers_emptied(life)
    goods.shopping(life)
    repairs.bookings(life)


def simulate(*, days: int, start: date | None = None, town: str | None = None, seed: int = 0,
             options: Options | None = None,
             on_day: Callable[[TownDay], None] | None = None) -> Simulation:
    """Live `days` working days of every active town (or the one named by slug or name),
    each from its own first day (see `_first_day`); `on_day` hears of each town's day as
    soon as it is over. Refuses, changing nothing, what cannot run: no such town, a start
    on or before a town's last simulated day, a named town without customers or
    dispatcher (unnamed, such a town is left out with a note)."""
    if not 1 <= days <= MAX_DAYS:
        raise Invalid(f"Bitte zwischen 1 und {MAX_DAYS} Tage simulieren.", field="days")
    options = options or Options()
    towns, casts, notes = _cast(_towns(town), named=town is not None)
    plans = {t.pk: working_days(t, _first_day(t, start), days) for t in towns}
    calendar = sorted({day for planned in plans.values() for day in planned})
    results: list[TownDay] = []
    today = timezone.localdate()  # before the clock moves
    with (override_settings(TASKS=AT_ONCE, MAILERS=NO_MAIL),
          time_machine.travel(day_start(calendar[0]), tick=False) as traveller):
        with transaction.atomic():
            notes += [f"{t.name}: {line}" for t in towns
                      for line in patterns_ensure(t, plans[t.pk][0], today)]
        for day in calendar:
            agenda = Agenda(traveller, day_start(day))
            lives = [Life(town=t, day=day, cast=casts[t.pk], dice=Dice(seed), options=options,
                          agenda=agenda) for t in towns if day in plans[t.pk]]
            for life in lives:
                _morning(life)
            agenda.run_until(day_end(day))
            for life in lives:
                started = perf_counter()
                figures = figures_for(life.town, day)
                result = TownDay(figures, seed, dict(sorted(life.refused.items())),
                                 life.incidents, life.seconds + perf_counter() - started)
                SimulatedDay.objects.create(town=life.town, day=day, seed=seed,
                                            figures=result.as_json())
                results.append(result)
                if on_day is not None:
                    on_day(result)
    return Simulation(results, notes)
