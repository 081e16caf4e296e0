"""How fast the town's report answers for one town and one month at a big town's volume.

    DATABASE_URL=postgresql://… python -m bench.report [--orders 60000] [--month YYYY-MM]

On an empty, migrated database it builds the test town (zones, hub, a shop, a bike and a
car, one customer with an address) through the services, then writes the month and the one
before it (the dashboard compares the two) in bulk, each month's delivered orders per working
day its share of `--orders`, each a door delivery with its leg,
a pickup and a drop done on a finished tour of 40 drops (one shift per tour, bikes and
every fifth tour by car), which keeps its km and hours as closing a tour does
(`logistics.ridden`). The rows are written directly, not through the checkout: a
benchmark of the report's reading needs volume, not the checkout's rules (those have their
own tests and `bench.shop_load`). Then it times `report_of` for the month, the dashboard's
page as an operator of the town gets it (both months' reports, measured at once on
PostgreSQL; the figures, the charts' tables; the page draws no chart), and then each chart
as the browser asks for it after the page, best of three each; the CPU the two reports cost
this process and its PostgreSQL backend, one after the other; and it prints the plans of
the heaviest queries.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "louise.settings")
    os.environ.setdefault("LOUISE_DEMO", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _world() -> dict:
    from louise.accounts.models import Role
    from louise.conftest import build_shop, build_town, make_customer, make_user

    world = build_town()
    world |= build_shop()
    world["customer"], world["address"] = make_customer("kundin")
    world["rider"] = make_user("fahrer", Role.RIDER)
    return world


def _month_days(month: date) -> list[date]:
    from louise.core.calendar import is_working_day
    from louise.reports.statements import month_span

    first, last = month_span(month)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)
            if is_working_day(first + timedelta(days=n))]


def fill(world: dict, month: date, orders: int, seed: int = 0) -> int:
    """A month of delivered door orders, written in bulk (see the module's note)."""
    from louise.core.calendar import BERLIN
    from louise.geo.models import Town
    from louise.logistics.models import (
        Leg,
        LegKind,
        LegStatus,
        PlanRun,
        RunStatus,
        Shift,
        StopKind,
        StopStatus,
        Tour,
        TourStatus,
        TourStop,
    )
    from louise.logistics.ridden import ridden_store
    from louise.orders.models import DeliveryMethod, Order, OrderStatus

    dice = random.Random(seed)
    town = Town.objects.order_by("pk").first()
    shop, address = world["merchant"], world["address"]
    days = _month_days(month)
    made = 0
    for number, day in enumerate(days):
        count = orders // len(days) + (1 if number < orders % len(days) else 0)
        def at(h: int, m: int = 0, day: date = day) -> datetime:
            return datetime.combine(day, clock(h, m), BERLIN)

        wave = (at(17, 30), at(20, 30))
        run = PlanRun.objects.create(town=town, day=day, status=RunStatus.DONE, progress=1)
        placed = Order.objects.bulk_create([Order(
            number=f"B{day:%m%d}-{n:05d}", town=town, merchant=shop,
            customer=world["customer"], recipient_name="Kundin", address=address,
            delivery_method=DeliveryMethod.DOOR, status=OrderStatus.DELIVERED,
            wave_start=wave[0], wave_end=wave[1], placed_at=at(8) + timedelta(
                minutes=dice.randrange(360)), subtotal_cents=1500, fee_cents=350)
            for n in range(count)], batch_size=5000)
        legs = Leg.objects.bulk_create([Leg(
            town=town, order=order, kind=LegKind.DELIVERY, status=LegStatus.DELIVERED,
            pickup_ref=f"merchant:{shop.pk}", pickup_label=shop.name, pickup_lat=shop.lat,
            pickup_lon=shop.lon, pickup_from=at(14), pickup_until=at(17),
            drop_ref=f"address:{address.pk}", drop_label="Kundin",
            drop_lat=address.lat + dice.uniform(-0.02, 0.02),
            drop_lon=address.lon + dice.uniform(-0.03, 0.03),
            drop_from=wave[0], drop_until=wave[1]) for order in placed], batch_size=5000)
        tours, stops = [], []
        for first in range(0, len(legs), 40):
            vehicle = world["car"] if (first // 40) % 5 == 4 else world["bike"]
            shift = Shift.objects.create(rider=world["rider"], vehicle=vehicle,
                                         starts_at=at(14), ends_at=at(21))
            tours.append(Tour(plan_run=run, shift=shift, status=TourStatus.DONE,
                              starts_at=at(16, 30), ends_at=at(20, 30)))
        Tour.objects.bulk_create(tours)
        for n, leg in enumerate(legs):
            tour, k = tours[n // 40], n % 40
            pickup = at(16, 40) + timedelta(minutes=k // 4)
            drop = at(17, 35) + timedelta(minutes=k * 4 + dice.randrange(8))
            stops += [TourStop(tour=tour, sequence=k, leg=leg, kind=StopKind.PICKUP,
                               planned_arrival=pickup, planned_departure=pickup,
                               status=StopStatus.DONE, done_at=pickup),
                      TourStop(tour=tour, sequence=40 + k, leg=leg, kind=StopKind.DELIVERY,
                               planned_arrival=drop, planned_departure=drop,
                               status=StopStatus.DONE, done_at=drop)]
        TourStop.objects.bulk_create(stops, batch_size=5000)
        ridden_store(list(Tour.objects.filter(plan_run=run).select_related("shift__vehicle__hub")))
        made += count
    return made


URL = "/betrieb/bericht/"


def _operator(town):
    """A client signed in as an operator of `town`."""
    from django.test import Client

    from louise.accounts.models import Role, User
    from louise.conftest import make_user

    person = (User.objects.filter(username="bench-stadt").first()
              or make_user("bench-stadt", Role.OPERATOR, town_ids=[town.pk]))
    client = Client()
    client.force_login(person)
    return client


def _answered(client, url: str, query: dict) -> None:
    response = client.get(url, query)
    assert response.status_code == 200, (url, response.status_code)


def _timed(work, times: int = 3) -> float:
    best = float("inf")
    for _ in range(times):
        began = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - began)
    return best


def _cpu(work, times: int = 3) -> tuple[float, float]:
    """The CPU seconds one run of `work` costs this process and its PostgreSQL backend (best
    of `times`), with the backend's parallel workers off so that it does all the work
    itself: what the answer costs, whatever else the machine runs (wall time on a shared
    machine waits for the other jobs). Linux only (/proc)."""
    from django.db import connection

    ticks = os.sysconf("SC_CLK_TCK")
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def backend_s() -> float:
        with open(f"/proc/{backend}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime

    best = (float("inf"), float("inf"))
    try:
        for _ in range(times):
            began = (time.process_time(), backend_s())
            work()
            spent = (time.process_time() - began[0], backend_s() - began[1])
            best = min(best, spent, key=sum)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET max_parallel_workers_per_gather")
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report")
    parser.add_argument("--orders", type=int, default=60_000)
    parser.add_argument("--month", help="YYYY-MM, default: last month")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reuse", action="store_true",
                        help="die Bestellungen einer früheren Messung nehmen, nichts schreiben")
    args = parser.parse_args(argv)
    _setup()
    from django.db import connection

    from louise.geo.models import Town
    from louise.orders.models import Order
    from louise.reports.selectors import period_parse, report_of

    today = date.today()
    month = (date.fromisoformat(f"{args.month}-01") if args.month
             else (today.replace(day=1) - timedelta(days=1)).replace(day=1))
    if args.reuse:
        print(f"{Order.objects.count()} Bestellungen aus einer früheren Messung "
              f"({connection.vendor}).")
    elif Order.objects.exists():
        print("bench.report: die Datenbank hat schon Bestellungen; bitte eine leere nehmen "
              "(oder --reuse).", file=sys.stderr)
        return 2
    else:
        began, world = time.perf_counter(), _world()
        before = (month - timedelta(days=1)).replace(day=1)
        made = [fill(world, first, args.orders, args.seed + n)
                for n, first in enumerate((before, month))]
        print(f"{made[0]} und {made[1]} Bestellungen für {before:%m/%Y} und {month:%m/%Y} "
              f"geschrieben in {time.perf_counter() - began:.0f} s ({connection.vendor}).")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a day's writes
    town = Town.objects.order_by("pk").first()
    assert town is not None
    period = period_parse("month", f"{month:%Y-%m}", today=today)
    queries: list[tuple[float, str, tuple]] = []

    def record(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - began, sql, params))

    report = report_of(town.name, [town], period)
    print(f"Bericht: {report.service['orders']} Bestellungen, "
          f"{sum(report.drops_by_method.values())} Zustellungen, "
          f"{sum(u.km for u in report.fleet.values()):.0f} km, "
          f"pünktlich {report.quality.on_time}")
    alone = _timed(lambda: report_of(town.name, [town], period))
    client, query = _operator(town), {"zeitraum": "month", "ab": f"{month:%Y-%m-%d}"}
    page = _timed(lambda: _answered(client, URL, query))
    charts = {key: _timed(lambda key=key: _answered(client, f"{URL}grafik/{key}.svg", query))
              for key in ("orders", "drops", "km", "zones")}
    print(f"report_of (ein Monat): {alone:.2f} s; die Seite des Berichts (Monat und Vormonat, "
          f"ohne Diagramme): {page:.2f} s; danach je Diagramm: " + ", ".join(
              f"{key} {seconds:.2f} s" for key, seconds in charts.items())
          + " (jeweils das Beste aus 3)")
    with connection.execute_wrapper(record):
        report_of(town.name, [town], period)
    print(f"{len(queries)} Abfragen, zusammen {sum(q[0] for q in queries):.2f} s in der "
          "Datenbank und beim Abholen der Zeilen")
    if connection.vendor == "postgresql":
        # the page measures the two months at once in two connections; what they cost in
        # all is measured one after the other in this one
        python_s, database_s = _cpu(lambda: (report_of(town.name, [town], period),
                                             report_of(town.name, [town], period.previous())))
        print(f"Rechenzeit beider Berichte der Seite (nacheinander, ohne parallele Worker, "
              f"das Beste aus 3): Python "
              f"{python_s:.2f} s, PostgreSQL {database_s:.2f} s – auf einem freien Rechner "
              "etwa die Antwortzeit, auf einem ausgelasteten wartet man länger")
        for seconds, sql, params in sorted(queries, key=lambda q: q[0], reverse=True)[:3]:
            print(f"\n--- {seconds:.3f} s: {sql[:160]}…")
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                print("\n".join(row[0] for row in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
