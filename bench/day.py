"""``bench day``: a realistic town day planned by the real app, end to end.

In a throwaway database (a temporary LOUISE_VAR_DIR with its own SQLite file; the user's
database is never opened) the demo towns are seeded (`louise.demo.seed`), the town grows to
the day's volume (more customers, more vehicles each with a rider and a weekly shift,
`seed.town_grow`), its operator opens enough delivery slots and the shops stock up. A
warm-up working day is lived by `louise simulate` (service bookings only), so the shops
have items that go back to their owners on the benchmark day. On the benchmark day the
simulation's customers and shops act as on any day (`simulation.runner.town_wakes`:
checkouts through `checkout_place`, baskets from two shops to one door, doors, points,
lockers, cooled and bulky goods, service bookings; shops accept and pack), but no
dispatcher plans during the day: at twenty minutes before the wave riders are called in for
the legs the day really has (`fleet_for_the_day`), the day is planned once with
`logistics.services.plan_day` and the time limit, and its tours are published. The figures
are read from the rows afterwards (`simulation.plan_figures`).

The dates are fixed (a Sunday evening seed, Monday warm-up, Tuesday 9 March 2027: no
holiday, shops on weekday hours), so runs on different days compare. The number of legs
is steered by the number of checkouts; the day gets about the legs asked for.
"""

from __future__ import annotations

import json
import logging
import math
import os
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from louise.core.calendar import BERLIN

if TYPE_CHECKING:  # Django is set up only inside `main` (a throwaway database)
    from louise.accounts.models import User
    from louise.geo.models import Town
    from louise.logistics.models import PlanRun

SEED_AT = datetime(2027, 3, 7, 18, 0, tzinfo=BERLIN)  # Sunday: the demo's own day is Monday
WARM_UP = date(2027, 3, 8)  # Monday: items are fetched for the shops' services
DAY = date(2027, 3, 9)  # Tuesday: the benchmark day
# Legs of the day per checkout, measured (seed 1, 580 checkouts: 497 deliveries): an
# order per shop (one basket in ten has two), less the 20 % placed after the cut-off (next
# wave), the cancelled and declined ones, and those packed too late.
LEGS_PER_CHECKOUT = 0.86
# Per service booking (25 a day: 24 items fetched, 11 repaired items going back).
LEGS_PER_BOOKING = 1.4
BOOKINGS_PER_LEG = 0.05  # service bookings per leg of the day (warm-up day likewise)
LEGS_PER_VEHICLE = 12  # vehicles on shift: as `bench city`, a quarter of them e-cars
PLAN_BEFORE_WAVE = timedelta(minutes=20)  # when the dispatcher plans: the simulation's last round
WARM_UP_TIME_LIMIT = 2.0


@dataclass(frozen=True)
class Volume:
    """What the town is given for the day: checkouts, bookings, vehicles by kind."""

    checkouts: int
    bookings: int
    bikes: int
    cars: int

    @classmethod
    def for_legs(cls, legs: int) -> Volume:
        bookings = round(legs * BOOKINGS_PER_LEG)
        vehicles = max(2, math.ceil(legs / LEGS_PER_VEHICLE))
        cars = max(1, vehicles // 4)
        return cls(math.ceil(max(0.0, legs - LEGS_PER_BOOKING * bookings) / LEGS_PER_CHECKOUT),
                   bookings, vehicles - cars, cars)


def fleet_for_the_day(data: ModuleType, town: Town, seed: int) -> dict[str, int]:
    """Riders called in for the legs the day really has, one vehicle per
    `LEGS_PER_VEHICLE` as `bench city`: the hub makes two legs of a parcel through it
    (shop → hub in the afternoon rounds, hub → door in the wave), about 830 legs on the
    500-leg day, which the vehicles sized for the 500 asked left partly unplanned. The
    cars stay a quarter of the fleet sized by the legs asked (what only they may carry
    needs no more); the bikes, which ride the rounds and the wave, are added. Shifts
    without a tour are not paid (`plan_figures`: listed apart)."""
    from louise.demo import seed as demo
    from louise.logistics.models import Vehicle
    from louise.logistics.planning_bridge import Day, plannable_legs

    legs = plannable_legs(Day(DAY, town.pk)).count()
    have = {kind: Vehicle.objects.filter(town=town, kind=kind).count() for kind in KINDS}
    bikes = max(have["bike"], math.ceil(legs / LEGS_PER_VEHICLE) - have["car"])
    demo.town_grow(data, customers=0, bikes=bikes, cars=have["car"], today=DAY, seed=seed)
    return {"bike": bikes, "car": have["car"]}


def publish(plan_run: PlanRun, dispatcher: User) -> int:
    """The dispatcher hands the plan's tours to the riders (each shift then begins with its
    tour, `shifts.shift_start_to_tour`); returns how many the checker kept back."""
    from louise.core.errors import Conflict
    from louise.logistics.models import TourStatus
    from louise.logistics.services import tour_publish

    kept = 0
    for tour in plan_run.tours.filter(status=TourStatus.DRAFT).order_by("pk"):
        try:
            tour_publish(tour=tour, by=dispatcher)
        except Conflict:
            kept += 1
    return kept


def _throwaway_django(var: Path) -> None:
    """Django on a database of its own under `var`, whatever the environment names."""
    from django.conf import settings

    if settings.configured:
        sys.exit("louise bench day: Django ist schon eingerichtet; der Benchmark braucht "
                 "eine eigene Wegwerf-Datenbank (als eigener Prozess starten).")
    os.environ.update({"LOUISE_VAR_DIR": str(var), "LOUISE_DEMO": "1",
                       "DATABASE_URL": f"sqlite:///{var / 'bench.sqlite3'}",
                       "DJANGO_SETTINGS_MODULE": "louise.settings"})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    logging.getLogger("louise").setLevel(logging.WARNING)


def main(legs: int, seed: int, town: str, time_limit: float | None, json_out: str | None,
         keep: bool = False) -> int:
    started = time.perf_counter()
    var = Path(tempfile.mkdtemp(prefix="louise-bench-day-"))
    try:
        _throwaway_django(var)
        report = run(legs=legs, seed=seed, town_slug=town,
                     time_limit=time_limit)
        report["run_seconds"] = round(time.perf_counter() - started, 1)
        report["cpu_seconds"] = round(_cpu_seconds(), 1)
        print(table(report))
        if json_out:
            Path(json_out).write_text(json.dumps(report, ensure_ascii=False, indent=2),
                                      encoding="utf-8")
    finally:
        if keep:
            print(f"Datenbank bleibt in {var} / database kept in {var}")
        else:
            shutil.rmtree(var, ignore_errors=True)
    return 0


def _cpu_seconds() -> float:
    """Processor time of this process and of the planner's workers: on a shared machine the
    wall clock says more about the neighbours."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def run(*, legs: int, seed: int, town_slug: str, time_limit: float | None) -> dict:
    """Seed, grow, warm up, live the day, plan it once, read the figures (Django set up).
    Without a `time_limit` the day gets the app's (`planning_bridge.plan_time_limit`)."""
    import time_machine
    from django.test import override_settings

    from louise.accounts.models import User
    from louise.catalog.models import Product
    from louise.catalog.services import catalog_entry_update
    from louise.demo import seed as demo
    from louise.geo.models import Town
    from louise.geo.towns import town_update
    from louise.logistics.services import plan_day
    from louise.orders.models import Slot
    from louise.simulation.agenda import Agenda, Life, Options, day_start
    from louise.simulation.cast import cast_for
    from louise.simulation.dice import Dice
    from louise.simulation.plan_figures import plan_figures
    from louise.simulation.runner import AT_ONCE, NO_MAIL, simulate, town_wakes

    data = next((d for d in demo.TOWNS if town_slug == d.SLUG), None)
    if data is None:
        sys.exit(f"louise bench day: keine Demo-Stadt „{town_slug}“ (es gibt: "
                 f"{', '.join(d.SLUG for d in demo.TOWNS)}).")
    volume = Volume.for_legs(legs)
    quiet = override_settings(TASKS=AT_ONCE, MAILERS=NO_MAIL)
    phases: dict[str, float] = {}
    clock = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal clock
        phases[name] = round(time.perf_counter() - clock, 1)
        clock = time.perf_counter()

    with quiet, time_machine.travel(SEED_AT, tick=False):
        demo.run(time_limit=1.0, now=SEED_AT)
        # As many customers as the day's checkouts (the demo has 15 per 100 and day).
        demo.town_grow(data, customers=volume.checkouts, bikes=volume.bikes, cars=volume.cars,
                       today=SEED_AT.date(), seed=seed)
        # A busy day: the operator opens enough stops in the wave, the shops stock up.
        town = Town.objects.get(slug=town_slug)
        region = User.objects.get(username=demo.REGION_LOGIN[0])
        town = town_update(by=region, town_id=town.pk,
                           slot_capacity=max(town.slot_capacity, 2 * volume.checkouts))
        # Waves booked already (the demo's standing deliveries) keep the capacity they were
        # made with; widen them as an operator would in the admin.
        Slot.objects.filter(town=town).update(capacity=town.slot_capacity)
        for product in Product.objects.filter(merchant__town=town).order_by("pk"):
            catalog_entry_update(entry=product, stock=max(product.stock, volume.checkouts))
    phase("seed")
    simulate(days=1, start=WARM_UP, town=town_slug, seed=seed,
             options=Options(time_limit=WARM_UP_TIME_LIMIT, orders=0, bookings=volume.bookings))
    phase("warm_up")
    with quiet, time_machine.travel(day_start(DAY), tick=False) as traveller:
        agenda = Agenda(traveller, day_start(DAY))
        cast = cast_for(town)
        life = Life(town=town, day=DAY, cast=cast, dice=Dice(seed), agenda=agenda,
                    options=Options(time_limit=time_limit, orders=volume.checkouts,
                                    bookings=volume.bookings))
        town_wakes(life)
        agenda.run_until(life.clock(town.wave_start) - PLAN_BEFORE_WAVE)
        shifts = fleet_for_the_day(data, town, seed)
        phase("day")
        plan_run = plan_day(town=town, day=DAY, by=cast.dispatcher, time_limit=time_limit,
                            seed=seed)
        phase("plan")
        unpublished = publish(plan_run, cast.dispatcher)
        figures = plan_figures(town, DAY)
        phase("figures")
    return {
        "legs_asked": legs, "seed": seed, "time_limit": plan_run.time_limit_s,
        "checkouts": volume.checkouts, "bookings": volume.bookings,
        "refused_checkouts": dict(sorted(life.refused.items())),
        "incidents": life.incidents,
        "shifts": shifts, "unpublished": unpublished,
        "plan_run": plan_run.pk, "solver": plan_run.summary.get("solver"),
        "plan_seconds": phases["plan"], "phase_seconds": phases,
        **figures.as_json(),
    }


# --- the table ------------------------------------------------------------------------------

KINDS = {"bike": "Rad/bike", "car": "Auto/car"}
ROWS = [  # (label, key, decimals, summed over kinds)
    ("Fahrzeuge im Einsatz / vehicles used", "vehicles", 0, True),
    ("km", "km", 1, True),
    ("Fahrzeugstunden (Tour) / vehicle-hours", "vehicle_hours", 1, True),
    ("bezahlte Stunden (Schicht) / paid hours", "paid_hours", 1, True),
    ("Wartestunden / waiting hours", "waiting_hours", 1, True),
    ("  auf Zeitfenster / for windows", "window_wait_hours", 1, True),
    ("  Leerlauf laut Plan / idle by plan", "idle_hours", 1, True),
    ("Zustellungen / drops", "drops", 0, True),
    ("Pakete / parcels", "parcels", 0, True),
    ("Pakete je Fahrzeugstunde / per vehicle-hour", "parcels_per_vehicle_hour", 2, False),
    ("Pakete je bezahlte Stunde / per paid hour", "parcels_per_paid_hour", 2, False),
    ("CO2 (kg, Schätzung / estimate)", "co2_kg", 1, True),
    ("Kosten € (Sätze der Stadt) / cost (town's rates)", "cost_eur", 0, True),
]


def _cell(value: float | None, decimals: int) -> str:
    if value is None:
        return "–"
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")


def table(r: dict) -> str:
    """The report as a German/English table."""
    by_kind = r["by_kind"]
    width = 46
    head = f"{'':<{width}}" + "".join(f"{KINDS.get(k, k):>12}" for k in by_kind) + \
        f"{'gesamt/total':>14}"
    lines = [f"bench day {r['town']} {r['day']}: {r['legs']} Aufträge/legs "
             f"(gefragt/asked {r['legs_asked']}), seed {r['seed']}, "
             f"time limit {r['time_limit']:g} s", head]
    for label, key, decimals, summed in ROWS:
        values = [by_kind[k][key] for k in by_kind]
        total = sum(v for v in values if v is not None) if summed else None
        if key.startswith("parcels_per_"):
            hours = "vehicle_hours" if key.endswith("vehicle_hour") else "paid_hours"
            spent = sum(by_kind[k][hours] for k in by_kind)
            total = round(sum(by_kind[k]["parcels"] for k in by_kind) / spent, 2) if spent \
                else None
        lines.append(f"{label:<{width}}" + "".join(f"{_cell(v, decimals):>12}" for v in values)
                     + f"{_cell(total, decimals):>14}")
    share = r["bike_drop_share"]
    codes = ", ".join(f"{code} {n}" for code, n in r["unassigned_codes"].items())
    lines += [
        "",
        f"Zustellungen per Rad / drops by bike: "
        f"{'–' if share is None else _cell(share * 100, 1) + ' %'}",
        f"nicht eingeplant / unassigned: {r['unassigned']}" + (f" ({codes})" if codes else ""),
        f"Lieferungen aus mehreren Geschäften / multi-shop deliveries: "
        f"{r['multi_shop_deliveries']}, in einem Stopp / in one drop: "
        f"{r['multi_shop_in_one_drop']}",
        f"Stopps außerhalb der Öffnungszeiten / stops outside opening hours: "
        f"{r['outside_hours']}",
        *(f"    {e}" for e in r["outside_hours_examples"]),
        f"Aufträge auf in einer Zone gesperrter Fahrzeugart / legs on a vehicle type a zone "
        f"forbids: {r['zone_breaches']}",
        *(f"    {e}" for e in r["zone_breaches_examples"]),
        f"Stopps zu spät (nachgerechnet) / late stops (re-timed): {r['late_stops']}",
        f"Touren, die der Prüfer ablehnt / tours the checker rejects: "
        f"{r['tours_rejected_by_checker']}",
        *(f"    {e}" for e in r["checker_examples"]),
        "Schichten / shifts: " + ", ".join(f"{KINDS.get(k, k)} {n}"
                                             for k, n in r["shifts"].items())
        + f"; ohne Tour / without a tour: {r['idle_shifts']} "
        f"({_cell(r['idle_shift_hours'], 1)} h); nicht veröffentlicht / tours not published: "
        f"{r.get('unpublished', 0)}",
        f"Einkäufe/checkouts {r['checkouts']}, Service-Buchungen/bookings {r['bookings']}, "
        f"abgelehnt/refused {r['refused_checkouts'] or 0}, Zwischenfälle/incidents "
        f"{len(r['incidents'])}",
        f"Planung/plan {_cell(r['plan_seconds'], 1)} s ({r['solver']}), "
        f"Laufzeit/run time {_cell(r.get('run_seconds'), 0)} s, CPU "
        f"{_cell(r.get('cpu_seconds'), 0)} s ("
        + ", ".join(f"{name} {_cell(s, 0)} s" for name, s in r["phase_seconds"].items()) + ")",
    ]
    return "\n".join(lines)
