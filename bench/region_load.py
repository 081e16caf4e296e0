"""``bench region``: a region's day through the API, with real processes.

Five towns (`--towns`) of `--orders-per-town` orders each live one delivery day through
`/api/v1/` against `louise serve --workers W` and M `louise worker` processes on
PostgreSQL: customers place their orders, the shops accept and pack them, each town's
dispatcher asks for the plan of the day (all towns at once: the plan jobs go through the
queue to the workers), publishes the tours, and the riders collect and deliver every stop
(`POST /rider/actions`). The day is run once per worker count (`--worker-counts 1,3`), each
time on a fresh copy of the same seeded database, and the report gives the time of each
phase, the total, and p50/p95 per endpoint.

The towns are Kirchbergen's shape (`louise/demo/kirchbergen.py`) under other names,
postcodes and places, built by the demo's seed functions (services all the way), grown to a
customer for every third order (beyond Kirchbergen's 100) and a vehicle (with rider and
weekly shift) for every `LEGS_PER_VEHICLE` orders, as `bench day` does. Signing in is not
what is measured: the seed hands every person a bearer token as `POST /auth/token` would.

    python -m bench.region_load --database-url postgresql://postgres@127.0.0.1:5432/me_db \\
        --orders-per-town 1000 --time-limit 10

The databases are made next to the one named (`<name>_seed`, `<name>_w1`, …) and dropped
afterwards; the one named is never touched. The load generator runs on the same machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from .day import LEGS_PER_VEHICLE
from .shop_load import percentile

ROOT = Path(__file__).resolve().parents[1]
# Invented towns of the region (none of them is real); Kirchbergen's shape for each.
TOWN_NAMES = ("Emscherfeld", "Haldenau", "Kanalstein", "Zechenrode", "Lippewiesen",
              "Schachtheim", "Bruchhof", "Kohlenberg")
DAY_WAIT_S = 900  # how long a phase waits for the plans before giving up


# --- the towns (run inside a Django process) -----------------------------------------------


def town_data(k: int) -> ModuleType:
    """The region's `k`-th town (0-based): Kirchbergen's data under its own name, postcodes
    (459k1, 459k3, 459k5), logins (`r<k>-…`) and place, 6 km further south each."""
    from louise.demo import kirchbergen

    name = TOWN_NAMES[k]
    tag = f"r{k}"
    data = ModuleType(f"region_{k}")
    data.__dict__.update({n: getattr(kirchbergen, n) for n in dir(kirchbergen) if n.isupper()})

    def code(postcode: str) -> str:
        return f"459{k}{postcode[-1]}"

    def moved(lat: float) -> float:
        return lat - 0.055 * (k + 1)

    hub: dict[str, Any] = dict(kirchbergen.HUB)
    shops = {row[0]: f"{row[0]} {name}" for row in kirchbergen.MERCHANTS}  # mail: info@<name>
    data.__dict__.update(
        NAME=name, SLUG=name.lower(), SEED=kirchbergen.SEED + k + 1,
        STAFF=[(f"{tag}-{role}", role, first, last, label)
               for _u, role, first, last, label in kirchbergen.STAFF],
        SHOPPING_STORE=shops[kirchbergen.SHOPPING_STORE],
        SHOP_OWNER=(f"{tag}-laden", shops[kirchbergen.SHOP_OWNER[1]],
                    *kirchbergen.SHOP_OWNER[2:]),
        CUSTOMER_FIRST=f"{tag}-kunde", CUSTOMER_NAME=f"{tag}-kunde-{{:04d}}",
        RIDER_NAME=f"{tag}-fahrer-{{}}",
        HUB={**hub, "name": f"Depot {name}", "lat": moved(hub["lat"]),
             "postcode": code(hub["postcode"])},
        DISTRICTS={d: (code(pc), moved(lat), lon)
                   for d, (pc, lat, lon) in kirchbergen.DISTRICTS.items()},
        ZONES=[(f"{zone} ({name})", [code(pc) for pc in postcodes], kinds, active)
               for zone, postcodes, kinds, active in kirchbergen.ZONES],
        MERCHANTS=[(shops[row[0]], *row[1:]) for row in kirchbergen.MERCHANTS],
        PICKUP_POINTS=[(f"{p} ({name})", *rest) for p, *rest in kirchbergen.PICKUP_POINTS],
        LOCKERS=[(f"{p} ({name})", *rest) for p, *rest in kirchbergen.LOCKERS],
    )
    return data


def region_seed(towns: int, orders: int) -> dict:
    """Build the towns (Django set up, an empty migrated database) and return, per town,
    the tokens and ids the load needs."""
    from django.db import transaction
    from django.utils import timezone

    from louise.accounts.models import ApiToken, Role, User
    from louise.catalog.models import Merchant, Product
    from louise.catalog.services import catalog_entry_update
    from louise.core.calendar import BERLIN
    from louise.demo import seed as demo
    from louise.geo.models import Address
    from louise.geo.towns import town_update
    from louise.orders.models import Slot

    today = timezone.now().astimezone(BERLIN).date()
    vehicles = max(2, math.ceil(orders / LEGS_PER_VEHICLE))
    cars = max(1, vehicles // 4)

    def token(user: User) -> str:
        key = ApiToken.new_key()
        ApiToken.objects.create(user=user, key_hash=ApiToken.hash(key),
                                expires_at=timezone.now() + timedelta(days=2))
        return key

    out = []
    for k in range(towns):
        data = town_data(k)
        town, _made = demo.town_seed(data, today=today)
        demo.town_grow(data, customers=max(10, orders // 3), bikes=vehicles - cars, cars=cars,
                       today=today)
        with transaction.atomic():
            operator = demo.town_staff(data, Role.OPERATOR)
            town = town_update(by=operator, town_id=town.pk,
                               slot_capacity=max(town.slot_capacity, 2 * orders))
            Slot.objects.filter(town=town).update(capacity=town.slot_capacity)
            for product in Product.objects.filter(merchant__town=town, bulky=False):
                catalog_entry_update(entry=product, stock=max(product.stock, 2 * orders))
            shops = [{"token": token(demo.merchant_staff(m)),
                      "products": list(m.products.filter(bulky=False)
                                       .values_list("pk", flat=True))}
                     for m in Merchant.objects.filter(town=town).order_by("pk")
                     if m.products.filter(bulky=False).exists()]
            customers = [{"token": token(c), "address": Address.objects.filter(owner=c)
                          .values_list("pk", flat=True).first()}
                         for c in demo.customers_of(town)]
            riders = [token(r) for r in town.staff.filter(role=Role.RIDER).order_by("pk")]
            dispatcher = token(demo.town_staff(data, Role.DISPATCHER))
        out.append({"slug": town.slug, "dispatcher": dispatcher, "shops": shops,
                    "customers": customers, "riders": riders})
    return {"towns": out, "vehicles_per_town": vehicles}


# --- the load (this process; plain HTTP) ----------------------------------------------------


@dataclass
class Stats:
    """Latency per endpoint; `refused` are 4xx answers (the rules said no), `errors` 5xx
    and broken connections."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    refused: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, seconds: float, status: int, body: dict) -> None:
        with self.lock:
            self.latencies[name].append(seconds)
            if status >= 500 or status == 0:
                self.errors[name] += 1
            elif status >= 400:
                self.refused[name] += 1
            if status >= 400 or status == 0:
                self.examples.setdefault(f"{name} {status}", str(body.get("detail", body))[:160])


class Api:
    """A JSON client of `/api/v1` with one keep-alive connection per thread."""

    def __init__(self, base: str, stats: Stats) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.stats = stats
        self.local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        if getattr(self.local, "conn", None) is None:
            self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        return self.local.conn

    def call(self, name: str, method: str, path: str, token: str, body: dict | None = None,
             form: dict | None = None) -> tuple[int, dict]:
        headers = {"Authorization": f"Bearer {token}"}
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body), "application/json"
        elif form is not None:
            data, headers["Content-Type"] = urlencode(form), "application/x-www-form-urlencoded"
        begin = time.perf_counter()
        try:
            conn = self._connection()
            conn.request(method, f"/api/v1{path}", body=data, headers=headers)
            response = conn.getresponse()
            status, raw = response.status, response.read()
        except (http.client.HTTPException, OSError) as exc:
            self.local.conn = None
            status, raw = 0, json.dumps({"detail": repr(exc)}).encode()
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {"detail": raw[:160].decode("utf-8", "replace")}
        self.stats.add(name, time.perf_counter() - begin, status, answer)
        return status, answer if isinstance(answer, dict) else {"items": answer}


def _in_parallel(clients: int, jobs: Iterable[Callable[[], None]]) -> None:
    pool = ThreadPoolExecutor(clients)
    try:
        for future in [pool.submit(job) for job in jobs]:
            future.result()
    finally:  # Ctrl+C or a failed job: the jobs not started yet are dropped
        pool.shutdown(cancel_futures=True)


@dataclass
class Placed:
    number: str
    shop: int
    day: str


def depot(api: Api, town: dict, database_url: str) -> Callable[[], None]:
    """The town's City-Depot desk (its dispatcher may work it): every parcel on the way out
    of the depot scanned in, then each delivery marked sorted. The desk has no JSON list of
    its deliveries (its page shows them), so their ids are read from the database."""
    def job() -> None:
        import psycopg

        with psycopg.connect(database_url) as db:
            rows = db.execute(
                """SELECT DISTINCT o.number, o.parcels, l."group" FROM logistics_leg l
                   JOIN orders_order o ON o.id = l.order_id JOIN geo_town t ON t.id = l.town_id
                   WHERE t.slug = %s AND l.pickup_ref LIKE 'hub:%%' AND l."group" <> ''
                   AND l.released_at IS NULL AND l.status = 'planned'""",
                [town["slug"]]).fetchall()
        for number, parcels, _group in rows:
            for parcel in range(1, parcels + 1):
                api.call("POST /hub/scans", "POST", "/hub/scans", town["dispatcher"],
                         {"label": f"LOUISE:{number}:{parcel}/{parcels}", "town": town["slug"]})
        for group in sorted({group for _n, _p, group in rows}):
            api.call("POST /hub/sorted", "POST", "/hub/sorted", town["dispatcher"],
                     {"group": group, "town": town["slug"]})
    return job


def day_run(api: Api, region: dict, *, database_url: str, clients: int, orders: int,
            time_limit: float, seed: int) -> dict[str, float]:
    """One day of every town through the API; returns the seconds of each phase."""
    import random

    rng = random.Random(seed)
    phases: dict[str, float] = {}
    placed: dict[str, list[Placed]] = {t["slug"]: [] for t in region["towns"]}

    @contextmanager
    def phase(name: str) -> Iterator[None]:
        begin = time.perf_counter()
        yield
        phases[name] = round(time.perf_counter() - begin, 1)
        print(f"  {name}: {phases[name]} s", flush=True)

    def place(town: dict, i: int) -> Callable[[], None]:
        customer = town["customers"][i % len(town["customers"])]
        shop_index = rng.randrange(len(town["shops"]))
        product = rng.choice(town["shops"][shop_index]["products"])

        def job() -> None:
            status, order = api.call("POST /orders", "POST", "/orders", customer["token"], {
                "lines": [{"product_id": product, "quantity": 1}],
                "destination": {"method": "door", "address_id": customer["address"]}})
            if status == 201:
                placed[town["slug"]].append(Placed(order["number"], shop_index,
                                                   order["wave_start"][:10]))
        return job

    with phase("place"):
        _in_parallel(clients, [place(town, i) for i in range(orders)
                               for town in region["towns"]])
    def shop(town: dict, order: Placed, step: str) -> Callable[[], None]:
        def job() -> None:
            api.call(f"POST /orders/{{n}}/{step}", "POST", f"/orders/{order.number}/{step}",
                     town["shops"][order.shop]["token"], {})
        return job

    for step in ("accept", "ready"):
        with phase(step):
            _in_parallel(clients, [shop(town, order, step) for town in region["towns"]
                                   for order in placed[town["slug"]]])
    days = {slug: max({o.day for o in done}, key=[o.day for o in done].count)
            for slug, done in placed.items() if done}
    with phase("plan"):
        runs = {}
        for town in region["towns"]:
            if town["slug"] in days:
                _s, runs[town["slug"]] = api.call(
                    "POST /plans", "POST", "/plans", town["dispatcher"],
                    {"day": days[town["slug"]], "town": town["slug"], "time_limit": time_limit})
        deadline = time.monotonic() + DAY_WAIT_S
        while any(r.get("status") in ("queued", "running") for r in runs.values()):
            if time.monotonic() > deadline:
                raise SystemExit(f"bench region: plans not done after {DAY_WAIT_S} s: {runs}")
            time.sleep(0.5)
            for town in region["towns"]:
                run = runs.get(town["slug"], {})
                if run.get("status") in ("queued", "running"):
                    runs[town["slug"]] = api.call("GET /plans/{id}", "GET",
                                                  f"/plans/{run['id']}", town["dispatcher"])[1]
    for slug, run in runs.items():
        s = run.get("summary") or {}
        print(f"    {slug}: {run.get('status')} {s.get('assigned')}/{s.get('legs')} legs, "
              f"{s.get('tours')} tours {run.get('error', '')}", flush=True)

    def publish(town: dict, tour: int) -> Callable[[], None]:
        def job() -> None:
            status, answer = api.call("POST /tours/{id}/publish", "POST",
                                      f"/tours/{tour}/publish", town["dispatcher"])
            if status == 409 and answer.get("code") == "tour_infeasible":
                api.call("POST /tours/{id}/publish (override)", "POST",
                         f"/tours/{tour}/publish", town["dispatcher"],
                         {"override_reason": "Lasttest: trotzdem veröffentlichen"})
        return job

    with phase("publish"):
        drafts = []
        for town in region["towns"]:
            if town["slug"] in days:
                listed = api.call("GET /tours", "GET", f"/tours?day={days[town['slug']]}",
                                  town["dispatcher"])[1].get("items", [])
                drafts += [publish(town, t["id"]) for t in listed if t["status"] == "draft"]
        _in_parallel(clients, drafts)

    # A rider goes through the tour's stops in order and waits at a pickup from the depot
    # that is not sorted yet; the depot scans and sorts, then the riders go on.
    waiting: dict[str, list[dict]] = {}

    def ride(town: dict, rider: str) -> Callable[[], None]:
        def job() -> None:
            # a refused action's key answers with its refusal again: a new key after waiting
            attempt = 2 if rider in waiting else 1
            stops = waiting.pop(rider, None)
            if stops is None:
                stops = [s for tour in api.call(
                    "GET /tours (rider)", "GET", f"/tours?day={days[town['slug']]}",
                    rider)[1].get("items", [])
                         for s in sorted(tour["stops"], key=lambda s: s["sequence"])]
            for i, stop in enumerate(stops):
                data = ({"parcels": stop["parcels"]} if stop["kind"] == "pickup"
                        else {"proof_method": "name", "recipient_name": "Nachbarin"})
                _status, answer = api.call(
                    f"POST /rider/actions ({stop['kind']})", "POST", "/rider/actions", rider,
                    form={"key": f"bench-{attempt}-{stop['id']}", "kind": "complete",
                          "stop_id": stop["id"], "data": json.dumps(data)})
                if answer.get("code") == "not_sorted":
                    waiting[rider] = stops[i:]
                    return
        return job

    riders = [(town, rider) for town in region["towns"] if town["slug"] in days
              for rider in town["riders"]]
    with phase("complete"):
        _in_parallel(clients, [ride(town, rider) for town, rider in riders])
    with phase("depot"):
        _in_parallel(clients, [depot(api, town, database_url) for town in region["towns"]])
    with phase("complete 2"):
        _in_parallel(clients, [ride(town, rider) for town, rider in riders
                               if rider in waiting])
    phases["total"] = round(sum(phases.values()), 1)
    return phases


# --- processes and databases ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database(admin_url: str, name: str, template: str | None = None) -> str:
    """A fresh database `name` (a copy of `template`) on the server of `admin_url`."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"'
                      + (f' TEMPLATE "{template}"' if template else ""))
    return urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))


def _drop(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Installation:
    """`louise serve` and `louise worker`s of one database, as child processes."""

    def __init__(self, var: Path, database_url: str, key: str) -> None:
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("LOUISE_", "DJANGO_", "DATABASE_URL"))}
        # LOUISE_DEMO: mails into files under var/ (the machine has no mail server).
        self.env = {**base, "DJANGO_SETTINGS_MODULE": "louise.settings", "LOUISE_DEMO": "1",
                    "LOUISE_SECRET_KEY": key, "LOUISE_VAR_DIR": str(var),
                    "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
        self.var = var
        self.processes: list[subprocess.Popen] = []

    def python(self, *args: str) -> str:
        done = subprocess.run([sys.executable, *args], cwd=ROOT, env=self.env, text=True,
                              capture_output=True, check=False)
        if done.returncode:
            raise SystemExit(f"bench region: {' '.join(args)[:80]} failed:\n{done.stderr}")
        return done.stdout

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = (self.var / f"{name}.log").open("w")
        process = subprocess.Popen([sys.executable, "-m", "louise", *args], cwd=ROOT,
                                   env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def wait_until_up(self, port: int, server: subprocess.Popen) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit("bench region: louise serve ended:\n"
                                 + (self.var / "web.log").read_text())
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/v1/slots")
                conn.getresponse().read()
                return
            except OSError:
                time.sleep(0.5)
        raise SystemExit("bench region: louise serve answered nothing within 120 s")

    def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes = []


SEED_SCRIPT = """
import json, sys, django
django.setup()
from bench.region_load import region_seed
print(json.dumps(region_seed(int(sys.argv[1]), int(sys.argv[2]))))
"""


def report(stats: Stats) -> str:
    lines = [f"{'endpoint':<40}{'calls':>7}{'p50 ms':>8}{'p95 ms':>8}{'refused':>8}"
             f"{'errors':>7}"]
    for name, values in sorted(stats.latencies.items()):
        lines.append(f"{name:<40}{len(values):>7}{statistics.median(values) * 1000:>8.0f}"
                     f"{percentile(values, 0.95) * 1000:>8.0f}{stats.refused[name]:>8}"
                     f"{stats.errors[name]:>7}")
    lines += [f"  {kind}: {text}" for kind, text in sorted(stats.examples.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="louise bench region",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""),
                        help="a PostgreSQL database of yours; the bench makes its own "
                             "databases next to it (default: $DATABASE_URL)")
    parser.add_argument("--towns", type=int, default=5, choices=range(1, len(TOWN_NAMES) + 1))
    parser.add_argument("--orders-per-town", type=int, default=1000)
    parser.add_argument("--worker-counts", default="1,3",
                        help="louise worker processes, one day per count (default 1,3)")
    parser.add_argument("--web", type=int, default=(os.cpu_count() or 1) + 1,
                        help="web processes of louise serve (default: cores + 1)")
    parser.add_argument("--clients", type=int, default=8, help="parallel API clients")
    parser.add_argument("--time-limit", type=float, default=5.0,
                        help="seconds of search per town's plan (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", dest="json_out", metavar="OUT", help="the figures as JSON")
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgres"):
        parser.error("--database-url (or DATABASE_URL) must name a PostgreSQL database")
    counts = [int(c) for c in args.worker_counts.split(",") if c.strip()]
    name = urlsplit(args.database_url).path.lstrip("/") or "louise"
    var = Path(tempfile.mkdtemp(prefix="louise-bench-region-"))
    key = secrets.token_urlsafe(50)
    results = []
    try:
        begin = time.perf_counter()
        seeded = Installation(var, _database(args.database_url, f"{name}_seed"), key)
        seeded.python("-m", "louise", "migrate", "--verbosity", "0")
        region = json.loads(seeded.python("-c", SEED_SCRIPT, str(args.towns),
                                          str(args.orders_per_town)).splitlines()[-1])
        print(f"bench region: {args.towns} towns × {args.orders_per_town} orders, "
              f"{region['vehicles_per_town']} vehicles per town, seeded in "
              f"{time.perf_counter() - begin:.0f} s", flush=True)
        for workers in counts:
            run_name = f"{name}_w{workers}"
            site = Installation(var, _database(args.database_url, run_name, f"{name}_seed"),
                                key)
            port = _free_port()
            try:
                web = site.start("web", "serve", "--port", str(port), "--workers",
                                 str(args.web))
                for i in range(workers):
                    site.start(f"worker{i}", "worker")
                site.wait_until_up(port, web)
                load = os.getloadavg()
                print(f"{workers} worker(s), {args.web} web processes, load before "
                      f"{load[0]:.1f}", flush=True)
                stats = Stats()
                phases = day_run(Api(f"http://127.0.0.1:{port}", stats), region,
                                                  database_url=site.env["DATABASE_URL"],
                                 clients=args.clients, orders=args.orders_per_town,
                                 time_limit=args.time_limit, seed=args.seed)
                print(report(stats), flush=True)
                results.append({
                    "workers": workers, "web": args.web, "load_before": round(load[0], 2),
                    "phases": phases,
                    "endpoints": {n: {"calls": len(v),
                                      "p50_ms": round(statistics.median(v) * 1000),
                                      "p95_ms": round(percentile(v, 0.95) * 1000),
                                      "refused": stats.refused[n], "errors": stats.errors[n]}
                                  for n, v in sorted(stats.latencies.items())}})
            finally:
                site.stop()
                _drop(args.database_url, run_name)
    finally:
        _drop(args.database_url, f"{name}_seed")
        shutil.rmtree(var, ignore_errors=True)
    print(f"\n{'workers':<8}" + "".join(f"{p:>11}" for p in results[0]["phases"]))
    for r in results:
        print(f"{r['workers']:<8}" + "".join(f"{s:>11.1f}" for s in r["phases"].values()))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(
            {"towns": args.towns, "orders_per_town": args.orders_per_town,
             "time_limit": args.time_limit, "seed": args.seed,
             "started": datetime.now().isoformat(timespec="seconds"), "runs": results},
            indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
