"""A demo's past: the working days before today, lived by the simulation after the demo is
set up (`louise simulate --history N`, started by `louise demo` beside its worker), so the
town report has weeks of recorded orders, tours, stops and proofs to show.

The past is simulated one town-day at a time, oldest first and the towns in turn, each
through `runner.simulate` (the clock moved in this process only). It stops short of the
live day: `Options.until` is today, so nothing is placed, handled or finished for today's
wave or a later one, and the demo's orders and published tours stay as they were seeded.
A run that was stopped goes on after the last simulated day of each town; the report page
shows how far it is (`history_progress`) until a run has finished.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.utils import timezone

from louise.core.calendar import is_working_day
from louise.core.errors import DomainError, Invalid
from louise.geo.models import Town

from . import MAX_DAYS
from .agenda import Options
from .models import History, SimulatedDay
from .runner import Simulation, TownDay, simulate


@dataclass(frozen=True)
class Progress:
    """How far a town's history is: `done` of its `days` working days from `first_day`
    to `last_day` simulated, and whether its run has `finished`."""

    town: str
    done: int
    days: int
    first_day: date
    last_day: date
    finished: bool


def history_days(town: Town, days: int, until: date) -> list[date]:
    """The town's last `days` working days before `until`, oldest first."""
    found: list[date] = []
    day = until
    while len(found) < days:
        day -= timedelta(days=1)
        if is_working_day(day, town.schedule):
            found.append(day)
    return found[::-1]


def _last_simulated(town: Town) -> date | None:
    return (SimulatedDay.objects.filter(town=town).order_by("-day")
            .values_list("day", flat=True).first())


def history_run(*, days: int, seed: int = 0, options: Options | None = None,
                until: date | None = None, stop: Callable[[], bool] = lambda: False,
                on_day: Callable[[TownDay], None] | None = None) -> Simulation:
    """Simulate each active town's `days` working days before `until` (default today) that
    are still missing after its last simulated day; `stop` is asked before each town-day
    (a signal to end leaves no day half done). The history is recorded first, so the
    report shows its progress while this runs, and marked finished at the end."""
    if not 1 <= days <= MAX_DAYS:
        raise Invalid(f"Bitte zwischen 1 und {MAX_DAYS} Tage Verlauf simulieren.",
                      field="history")
    until = until or timezone.localdate()
    towns = list(Town.objects.filter(active=True).order_by("name"))
    missing: dict[int, list[date]] = {}
    first_days = []
    for town in towns:
        wanted = history_days(town, days, until)
        History.objects.update_or_create(town=town, defaults={
            "days": days, "first_day": wanted[0], "until": until, "finished": None})
        last = _last_simulated(town)
        missing[town.pk] = [day for day in wanted if last is None or day > last]
        first_days.append(wanted[0])
    # the towns grow through their history (`agenda.Life.customers`)
    options = replace(options or Options(), until=until, growing_from=min(first_days, default=None))
    results: list[TownDay] = []
    notes: list[str] = []
    left_out: set[int] = set()
    for day in sorted({day for planned in missing.values() for day in planned}):
        for town in towns:
            if day not in missing[town.pk] or town.pk in left_out:
                continue
            if stop():
                return Simulation(results, notes)
            try:
                lived = simulate(days=1, start=day, town=town.slug, seed=seed, options=options,
                                 on_day=on_day)
            except DomainError as exc:  # a town that cannot live a day (no customers, …)
                notes.append(f"{town.name}: kein Verlauf – {exc.message}")
                left_out.add(town.pk)
                continue
            results += lived.days
            notes += lived.notes
    History.objects.filter(town__in=towns).update(finished=timezone.now())
    return Simulation(results, notes)


def history_progress(towns: Iterable[Town]) -> list[Progress]:
    """The histories of `towns`, with how many of their days are simulated."""
    return [Progress(h.town.name, SimulatedDay.objects.filter(
                town=h.town, day__gte=h.first_day, day__lt=h.until).count(), h.days,
                h.first_day, h.until - timedelta(days=1), h.finished is not None)
            for h in History.objects.filter(town__in=list(towns)).select_related("town")
            .order_by("town__name")]
