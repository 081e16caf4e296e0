"""`louise`: the one command for everything a user runs.

    louise demo [--port 8000] [--no-serve]   set up the database, seed the towns, plan, serve
    louise serve [--host H] [--port P]        serve the site with waitress
    louise plan [--day YYYY-MM-DD] [--time-limit S]
    louise simulate --days N [--start YYYY-MM-DD] [--town SLUG] [--seed S] [--json OUT]
                                              live N working days of the towns (docs/simulation.md)
    louise report --town T --month YYYY-MM --pdf OUT.pdf [--csv DIR] [--xlsx OUT.xlsx]
                                              the town's month for the funding body (docs/report.md)
    louise bench lilim|city|eta|day ...       planning benchmarks (see docs/planning.md)
    louise <django command> ...               e.g. `louise migrate`, `louise createsuperuser`
"""

import argparse
import os
import sys


def _django() -> None:
    """Set Django up; a configuration that the settings refuse (no secret key) ends the
    command with the settings' own explanation instead of a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "louise.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        sys.exit(f"louise: {exc}")


def _prepare_database() -> None:
    from django.conf import settings
    from django.core.management import call_command

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)


def _collectstatic() -> None:
    from django.core.management import call_command

    call_command("collectstatic", verbosity=0, interactive=False)


def serve(host: str, port: int) -> None:
    """Serve the site; with the database task backend a worker thread runs alongside, so
    "Plan" on the dispatch page works without starting anything else."""
    from waitress import serve as waitress_serve

    from louise.logistics.jobs import worker_thread_start
    from louise.wsgi import application

    worker_thread_start()

    print(f"LOUISE läuft auf http://{host}:{port}/  (Strg+C beendet)", flush=True)
    waitress_serve(application, host=host, port=port, threads=8)


def cmd_demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="louise demo")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-serve", action="store_true", help="set up and plan, then exit")
    parser.add_argument("--time-limit", type=float, default=5.0)
    args = parser.parse_args(argv)
    # A laptop demo: the settings make a secret key once and keep it in var/secret_key.
    os.environ.setdefault("LOUISE_DEMO", "1")
    _django()
    _prepare_database()
    from louise.demo import seed

    report = seed.run(time_limit=args.time_limit)
    print(report.text(f"http://{args.host}:{args.port}"))
    if not args.no_serve:
        _collectstatic()
        serve(args.host, args.port)
    return 0


def cmd_serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="louise serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    _django()
    _prepare_database()
    _collectstatic()
    serve(args.host, args.port)
    return 0


def cmd_plan(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="louise plan")
    parser.add_argument("--day", help="YYYY-MM-DD; default: the day of the next wave")
    parser.add_argument("--town", help="Kurzname der Stadt; default: every active town")
    parser.add_argument("--time-limit", type=float, default=None)
    args = parser.parse_args(argv)
    _django()
    from datetime import date

    from django.utils import timezone

    from louise.core.calendar import wave_for
    from louise.geo.models import Town
    from louise.logistics.services import plan_day

    towns = Town.objects.filter(active=True).order_by("name")
    if args.town:
        towns = towns.filter(slug=args.town)
        if not towns:
            print(f"Keine aktive Stadt mit dem Kurznamen „{args.town}“.", file=sys.stderr)
            return 2
    for town in towns:
        day = (date.fromisoformat(args.day) if args.day
               else wave_for(timezone.now(), town.schedule).day)
        run = plan_day(town=town, day=day, time_limit=args.time_limit)
        s = run.summary
        print(f"{town.name}: Planungslauf {run.pk} für {day:%d.%m.%Y}: {s['tours']} Touren, "
              f"{s['assigned']}/{s['legs']} Aufträge eingeplant, {s['distance_km']} km "
              f"({s['solver']}).")
        for item in s["unassigned"]:
            print(f"  nicht eingeplant: Auftrag {item['leg']}: {item['reason']}")
    return 0


def cmd_simulate(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="louise simulate",
        description="Simulierte Werktage der Städte durch LOUISEs eigene Dienste: Kundinnen "
                    "bestellen, Geschäfte packen, die Disposition plant, Fahrer liefern.")
    parser.add_argument("--days", type=int, required=True, help="wie viele Werktage")
    parser.add_argument("--start", help="YYYY-MM-DD; default: nach dem letzten simulierten "
                                        "Tag, sonst der nächste Werktag nach heute")
    parser.add_argument("--town", help="Kurzname der Stadt; default: jede aktive Stadt")
    parser.add_argument("--seed", type=int, default=0, help="Startwert des Zufalls")
    parser.add_argument("--json", dest="json_out", help="die Kennzahlen als JSON in diese Datei")
    parser.add_argument("--time-limit", type=float, default=2.0,
                        help="Sekunden je Planungslauf (default 2)")
    parser.add_argument("--orders", type=int, help="Einkäufe je Stadt und Tag (default: "
                                                   "15 %% der Kundinnen und Kunden)")
    parser.add_argument("--bookings", type=int, help="Service-Buchungen je Stadt und Tag "
                                                     "(default: 1,5 %% der Kundschaft)")
    args = parser.parse_args(argv)
    # Like `louise demo`: the demo's towns on a laptop (a key of its own under var/).
    os.environ.setdefault("LOUISE_DEMO", "1")
    _django()
    _prepare_database()
    import json
    import time
    from datetime import date

    from louise.core.errors import DomainError
    from louise.simulation.agenda import Options
    from louise.simulation.runner import simulate
    from louise.simulation.table import day_table

    try:
        start = date.fromisoformat(args.start) if args.start else None
    except ValueError:
        print(f"louise simulate: „{args.start}“ ist kein Datum (JJJJ-MM-TT).", file=sys.stderr)
        return 2
    began = time.perf_counter()
    try:
        result = simulate(days=args.days, start=start, town=args.town, seed=args.seed,
                          options=Options(time_limit=args.time_limit, orders=args.orders,
                                          bookings=args.bookings),
                          on_day=lambda day: print(day_table(day), flush=True))
    except DomainError as exc:
        print(f"louise simulate: {exc.message}", file=sys.stderr)
        return 2
    for line in result.notes:
        print(f"Hinweis: {line}")
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as out:
            json.dump(result.as_json(), out, ensure_ascii=False, indent=2)
    print(f"{len(result.days)} Stadt-Tage simuliert in {time.perf_counter() - began:.0f} s"
          + (f"; Kennzahlen in {args.json_out}" if args.json_out else "") + ".")
    return 0


def cmd_report(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="louise report",
        description="Der Monatsbericht einer Stadt: PDF, dazu die Tabellen als CSV und XLSX.")
    parser.add_argument("--town", required=True, help="Kurzname der Stadt")
    parser.add_argument("--month", required=True, help="JJJJ-MM, ein vergangener Monat")
    parser.add_argument("--pdf", required=True, help="die PDF-Datei")
    parser.add_argument("--csv", help="ein Verzeichnis für die Tabellen als CSV")
    parser.add_argument("--xlsx", help="die Tabellen als XLSX in diese Datei")
    args = parser.parse_args(argv)
    _django()
    from pathlib import Path

    from django.utils import timezone

    from louise.core.errors import DomainError
    from louise.reports.exports import month_files

    try:
        written = month_files(town_slug=args.town, month=args.month, pdf=Path(args.pdf),
                              csv_dir=Path(args.csv) if args.csv else None,
                              xlsx=Path(args.xlsx) if args.xlsx else None, now=timezone.now())
    except DomainError as exc:
        print(f"louise report: {exc.message}", file=sys.stderr)
        return 2
    print("Geschrieben: " + ", ".join(map(str, written)))
    return 0


def cmd_bench(argv: list[str]) -> int:
    from bench.cli import main as bench_main

    return bench_main(argv)


COMMANDS = {"demo": cmd_demo, "serve": cmd_serve, "plan": cmd_plan, "simulate": cmd_simulate,
            "report": cmd_report, "bench": cmd_bench}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:])
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["louise", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
