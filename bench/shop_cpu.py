"""CPU and queries per request of the shop load's mix, in one process, without a server.

`bench.shop_load` measures throughput, which on a shared 2-core machine mostly measures
the neighbours. What bounds the throughput of a busy server is the CPU each request costs
the web process, and that does not depend on the load: this runs each kind of request of
`bench.shop_load`'s mix through Django's handler (test client, signed in as the demo's
customers) against a copy of the demo database and reports, per kind, the median CPU time
of the process (`time.process_time`: the database's own CPU is not in it) and the
number of queries. A checkout is its three requests: add to the basket, the checkout
page, the order.

    DATABASE_URL=postgresql://…/copy_of_the_demo LOUISE_DEMO=1 python -m bench.shop_cpu

Run it on a copy: every checkout buys. `--profile KIND` prints cProfile's top functions
of that kind.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import re
import statistics
import time
from collections.abc import Callable

import django

KINDS = ("home", "shops", "shop", "search", "basket", "order-list", "checkout-add",
         "checkout-page", "checkout-post")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="requests per kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", choices=KINDS, help="cProfile one kind")
    parser.add_argument("--sort", default="cumulative", help="with --profile: pstats order "
                        "(cumulative, tottime, …; cProfile's times are wall times)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "louise.settings")
    django.setup()
    # After setup: the test client needs the apps.
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.shop_load import QUERIES
    from louise.accounts.models import User

    rng = random.Random(args.seed)
    client = Client()
    customers = list(User.objects.filter(username__startswith="kunde").order_by("username")[:20])
    client.force_login(customers[0])
    shops = sorted(set(re.findall(r'href="(/geschaefte/[\w-]+/)"',
                                  client.get("/geschaefte/").content.decode())))
    products = [p for shop in shops for p in
                re.findall(r'name="product" value="(\d+)"', client.get(shop).content.decode())]
    checkout_form: dict[str, str] = {}

    def add() -> None:
        client.post("/warenkorb/hinzufuegen/", {"product": rng.choice(products), "quantity": 1})

    def page() -> None:
        text = client.get("/kasse/").content.decode()
        key = re.search(r'name="key" value="([^"]+)"', text)
        slot = re.search(r'name="slot" id="slot-\d+" value="([^"]+)" checked', text)
        point = re.search(r'name="pickup_point"[^>]*>\s*<option value="(\d+)"', text)
        assert key and slot and point, "no checkout form (empty basket, full slots?)"
        checkout_form.update(key=key.group(1), slot=slot.group(1), method="point",
                             pickup_point=point.group(1))

    def post() -> None:
        response = client.post("/kasse/", checkout_form)
        assert response.status_code == 302, response.content.decode()[-2000:]

    gets: dict[str, Callable[[], str]] = {
        "home": lambda: "/", "shops": lambda: "/geschaefte/", "shop": lambda: rng.choice(shops),
        "search": lambda: "/suche/?q=" + rng.choice(QUERIES), "basket": lambda: "/warenkorb/",
        "order-list": lambda: "/bestellungen/",
    }
    requests: dict[str, Callable[[], object]] = {
        kind: (lambda path=path: client.get(path())) for kind, path in gets.items()}
    checkout_steps = {"checkout-add": add, "checkout-page": page, "checkout-post": post}

    cpu: dict[str, list[float]] = {kind: [] for kind in KINDS}
    queries: dict[str, list[int]] = {kind: [] for kind in KINDS}
    profiler = cProfile.Profile()

    def timed(kind: str, call: Callable[[], object], count: bool) -> None:
        if count:
            with CaptureQueriesContext(connection) as captured:
                call()
            queries[kind].append(len(captured))
            return
        if kind == args.profile:
            profiler.enable()
        begin = time.process_time()
        call()
        cpu[kind].append(time.process_time() - begin)
        if kind == args.profile:
            profiler.disable()

    for round_ in range(args.rounds + 3):
        count = round_ < 2  # two rounds counting queries, one to warm up, then timed
        warm = round_ == 2
        client.force_login(customers[round_ % len(customers)])
        for kind, call in requests.items():
            if warm:
                call()
            else:
                timed(kind, call, count)
        for kind, step in checkout_steps.items():
            if warm:
                step()
            else:
                timed(kind, step, count)

    print(f"{args.rounds} rounds, median CPU ms of this process, queries per request")
    print(f"{'kind':<15}{'cpu ms':>8}{'queries':>9}")
    for kind in KINDS:
        print(f"{kind:<15}{statistics.median(cpu[kind]) * 1000:>8.1f}"
              f"{max(queries[kind]):>9}")
    checkout = sum(statistics.median(cpu[k]) for k in checkout_steps)
    print(f"{'checkout (3)':<15}{checkout * 1000:>8.1f}"
          f"{sum(max(queries[k]) for k in checkout_steps):>9}")
    if args.profile:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(45)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
