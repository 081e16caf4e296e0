"""`louise`: the one command for everything a user runs.

    louise demo [--port 8000] [--no-serve] [--history-days N]
                                              set up the database, seed the towns, plan, serve
                                              (with one `louise worker` child for the jobs and
                                              one simulating the N working days before today)
    louise serve [--host H] [--port P] [--workers N] [--threads T]
                                              serve the site: gunicorn, N web processes
    louise worker [--burst]                   run background jobs (planning, mails): the
                                              database queue, or RQ when LOUISE_REDIS_URL is set
    louise plan [--day YYYY-MM-DD] [--time-limit S]
    louise simulate --days N [--start YYYY-MM-DD] [--town SLUG] [--seed S] [--json OUT]
                                              live N working days of the towns (docs/simulation.md)
    louise simulate --history N               the N working days before today (the demo's past)
    louise report --town T --month YYYY-MM --pdf OUT.pdf [--csv DIR] [--xlsx OUT.xlsx]
                                              the town's month for the funding body (docs/report.md)
    louise bench lilim|city|eta|day|region ...
                                              benchmarks (docs/planning.md, docs/operations.md)
    louise <django command> ...               e.g. `louise migrate`, `louise createsuperuser`
"""

import argparse
import os
import signal
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.core.handlers.wsgi import WSGIHandler

    from louise.simulation.agenda import Options
    from louise.simulation.runner import Simulation


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


# Threads per web process: a request waiting for the database (or for SQLite's write lock)
# leaves its process free for others (3 single-threaded processes served 24 requests/s of
# the shop load where waitress's one process of 8 threads served 57; docs/operations.md).
THREADS = 4


def workers_count(text: str) -> int:
    """`--workers` of `serve` and `demo`: a whole number of web processes, at least one."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("mindestens 1 (eine ganze Zahl)")
    return int(text)


def default_workers() -> int:
    """Web processes for this machine: one per core and one more, so a process waiting for
    the database does not leave a core idle (3 on two cores, on PostgreSQL, served 51
    requests/s of the shop load where waitress served 26)."""
    return (os.cpu_count() or 1) + 1


def serve(host: str, port: int, workers: int, threads: int = THREADS) -> None:
    """Serve the site with gunicorn's pre-forked web processes (static files through
    whitenoise). They only answer requests: background jobs run in `louise worker`."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    # The workers are forked from this process: none may inherit its database connection.
    connections.close_all()

    class Gunicorn(BaseApplication):
        def load_config(self) -> None:
            for key, value in {"bind": f"{host}:{port}", "workers": workers,
                               "worker_class": "gthread", "threads": threads,
                               # a client on a busy machine may pause between requests
                               "keepalive": 5,
                               "preload_app": True, "accesslog": None,
                               "graceful_timeout": 10, "proc_name": "louise-web",
                               # one per server: none shared in the home directory
                               "control_socket_disable": True}.items():
                self.cfg.set(key, value)

        def load(self) -> "WSGIHandler":
            from louise.wsgi import application

            return application

    print(f"LOUISE läuft auf http://{host}:{port}/  ({workers} Web-Prozesse × {threads} "
          "Threads; Strg+C beendet)",
          flush=True)
    Gunicorn().run()


def _louise(*args: str) -> list[str]:
    """The command line of a `louise` child process (this interpreter, this package)."""
    return [sys.executable, "-m", "louise", *args]


def cmd_demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="louise demo")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=workers_count, default=2,
                        help="Web-Prozesse (default 2)")
    parser.add_argument("--no-serve", action="store_true", help="set up and plan, then exit")
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--history-days", type=history_days_count, default=None, metavar="N",
                        help="Verlauf: die N Werktage vor heute simulieren (default 60 beim "
                             "Servieren, im Hintergrund; mit --no-serve 0, sonst vorher); "
                             "0: keiner")
    args = parser.parse_args(argv)
    # A laptop demo: the settings make a secret key once and keep it in var/secret_key.
    os.environ.setdefault("LOUISE_DEMO", "1")
    if not args.no_serve:
        return _demo_serve(args)
    _django()
    _prepare_database()
    from louise.demo import seed

    report = seed.run(time_limit=args.time_limit)
    print(report.text(f"http://{args.host}:{args.port}"))
    if args.history_days:
        from louise.simulation.agenda import Options

        print(f"Verlauf: die {args.history_days} Werktage vor heute werden simuliert …",
              flush=True)
        _history(args.history_days, 0, Options(time_limit=HISTORY_TIME_LIMIT))
    return 0


# The demo's history is simulated with a short planning time: a day's three plan runs
# are most of its computing time, and the past needs plausible tours, not the best ones.
HISTORY_TIME_LIMIT = 1.0
DEMO_HISTORY_DAYS = 60
# How long `louise demo`, ending, lets the history finish the town-day under way.
HISTORY_GRACE_S = 30


def history_days_count(text: str) -> int:
    """`--history-days` of `demo`: 0 (no history) up to the simulation's limit."""
    from louise.simulation import MAX_DAYS

    if not text.isdigit() or int(text) > MAX_DAYS:
        raise argparse.ArgumentTypeError(f"eine ganze Zahl von 0 bis {MAX_DAYS}")
    return int(text)


def _demo_serve(args: argparse.Namespace) -> int:
    """Seed and plan in a child process, run the jobs in a `louise worker` child, simulate
    the history in a child of its own (its clock travels in that process only, and it
    takes no core from the worker's planning jobs), and serve: the web processes never
    plan (a plan holds a core for seconds)."""
    seeded = subprocess.run(_louise("demo", "--no-serve", "--host", args.host,
                                    "--port", str(args.port),
                                    "--time-limit", str(args.time_limit),
                                    "--history-days", "0"), check=False)
    if seeded.returncode:
        return seeded.returncode
    children = [subprocess.Popen(_louise("worker"))]
    try:
        _django()
        days = DEMO_HISTORY_DAYS if args.history_days is None else args.history_days
        if days:
            children.append(_history_child(days))
        _collectstatic()
        serve(args.host, args.port, args.workers)
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child, grace in zip(children, (15, HISTORY_GRACE_S), strict=False):
            try:
                child.wait(grace)
            except subprocess.TimeoutExpired:
                child.kill()
    return 0


def _history_child(days: int) -> subprocess.Popen:
    """`louise simulate --history` in the background, its day tables in var/history.log."""
    from django.conf import settings

    log_path = settings.VAR_DIR / "history.log"
    print(f"Verlauf: die {days} Werktage vor heute werden im Hintergrund simuliert (etwa "
          f"eine halbe bis eine Minute je Werktag; Protokoll: {log_path}). Der Bericht "
          "/betrieb/bericht/ zeigt den Fortschritt; der heutige Tag bleibt, wie er ist.",
          flush=True)
    with open(log_path, "a", encoding="utf-8") as log:
        return subprocess.Popen(_louise("simulate", "--history", str(days),
                                        "--time-limit", str(HISTORY_TIME_LIMIT)),
                                stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)


def cmd_serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="louise serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=workers_count, default=default_workers(),
                        help="Web-Prozesse (default: Kerne + 1)")
    parser.add_argument("--threads", type=workers_count, default=THREADS,
                        help=f"Threads je Web-Prozess (default {THREADS})")
    args = parser.parse_args(argv)
    _django()
    _prepare_database()
    _collectstatic()
    serve(args.host, args.port, args.workers, args.threads)
    return 0


def cmd_worker(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="louise worker",
        description="Führt Hintergrund-Aufträge aus (Planung, E-Mails). Beliebig viele Worker "
                    "auf beliebig vielen Rechnern teilen sich die Warteschlange.")
    parser.add_argument("--burst", action="store_true",
                        help="nur die wartenden Aufträge ausführen, dann enden")
    args = parser.parse_args(argv)
    _django()
    from louise.core.errors import DomainError
    from louise.logistics.jobs import work

    try:
        work(burst=args.burst)
    except DomainError as exc:
        print(f"louise worker: {exc.message}", file=sys.stderr)
        return 2
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
    span = parser.add_mutually_exclusive_group(required=True)
    span.add_argument("--days", type=int, help="wie viele Werktage")
    span.add_argument("--history", type=int, metavar="N",
                      help="die N Werktage vor heute je Stadt (der Verlauf der Demo; der "
                           "heutige Tag bleibt unberührt, ein abgebrochener Lauf geht weiter)")
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
    if args.history is not None and (start or args.town):
        print("louise simulate: --history simuliert jede aktive Stadt bis gestern; ohne "
              "--start und --town.", file=sys.stderr)
        return 2
    options = Options(time_limit=args.time_limit, orders=args.orders, bookings=args.bookings)
    began = time.perf_counter()
    try:
        if args.history is not None:
            result = _history(args.history, args.seed, options)
        else:
            result = simulate(days=args.days, start=start, town=args.town, seed=args.seed,
                              options=options,
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


def _history(days: int, seed: int, options: "Options") -> "Simulation":
    """`louise simulate --history N`: the past before today, one town-day at a time. Ctrl+C
    or SIGTERM (`louise demo` ending) stops it after the town-day under way, so no day is
    left half lived; the next run goes on from there."""
    from louise.simulation.history import history_run
    from louise.simulation.table import day_table

    asked: list[int] = []

    def ask_to_stop(signum: int, _frame: object) -> None:
        if not asked:
            print("Verlauf: endet nach dem laufenden Tag …", flush=True)
        asked.append(signum)

    before = {signum: signal.signal(signum, ask_to_stop)
              for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        return history_run(days=days, seed=seed, options=options, stop=lambda: bool(asked),
                           on_day=lambda day: print(day_table(day), flush=True))
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


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
    except OSError as exc:  # a folder that does not exist or cannot be written
        print(f"louise report: {exc.filename}: kann nicht geschrieben werden ({exc.strerror})",
              file=sys.stderr)
        return 2
    print("Geschrieben: " + ", ".join(map(str, written)))
    return 0


def cmd_bench(argv: list[str]) -> int:
    from bench.cli import main as bench_main

    return bench_main(argv)


COMMANDS = {"demo": cmd_demo, "serve": cmd_serve, "worker": cmd_worker, "plan": cmd_plan,
            "simulate": cmd_simulate, "report": cmd_report, "bench": cmd_bench}


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
