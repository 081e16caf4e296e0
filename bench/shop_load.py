"""Load on the customer shop: many customers browsing, searching and checking out at once.

Runs against a served LOUISE (best on PostgreSQL, `louise serve`) with the Bottrop demo
loaded. Each virtual customer signs in as one of the demo customers (kunde001, kunde002, …)
before the clock starts, then loops over a weighted mix of page visits with its own
keep-alive connection; the report gives requests per second and latency percentiles per
kind of request. Only the standard library is used, so it runs anywhere LOUISE runs:

    python -m bench.shop_load --url http://127.0.0.1:8000 --users 20 --seconds 30

or, with `--serve`, it starts `louise serve` itself (same environment: DATABASE_URL …) on
the URL's port, waits until it answers, and stops it afterwards:

    python -m bench.shop_load --serve --workers 3 --threads 4 --users 50 --seconds 30

A checkout that meets an empty shelf or a full slot is answered with the form and its
message (HTTP 200); it is counted as `checkout-refused`, not as an error. The customer takes
the wave the page offers, or the next one with room when that is full (as the waves fill
up during a run), and gives up, refused, when every wave is full.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

PASSWORD = "bottrop2026"
QUERIES = [
    "Schuh",
    "Brot",
    "Wein",
    "Buch",
    "Kaffee",
    "Käse",
    "Reparatur",
    "Blumen",
    "Tee",
    "Seife",
    "Fahrrad",
    "Bio",
    "Hemd",
    "Kuchen",
]
# (kind, weight): most visitors look around, some search, few buy.
MIX = [
    ("home", 10),
    ("shops", 10),
    ("shop", 30),
    ("search", 25),
    ("basket", 10),
    ("order-list", 5),
    ("checkout", 10),
]


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # why requests failed ("HTTP 500", "RemoteDisconnected", …), so an error can be told
    # apart as the server's or the load generator's
    reasons: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, failure: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if failure is not None:
                self.errors[kind] += 1
                self.reasons[failure] += 1


class Browser:
    """One customer's keep-alive connection with cookies (session, CSRF)."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.cookies: dict[str, str] = {}

    def reconnect(self) -> None:
        """A new connection. The customers who signed in first wait for the last at the
        start line longer than the server keeps an idle connection open (gunicorn: 5 s);
        their first request on the old one would meet a closed socket and count as the
        server's error (the "connection closed" errors of the earlier runs)."""
        self.conn.close()
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": f"http://{self.host}:{self.port}{path}",
        }
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            raise
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), text

    def sign_in(self, username: str) -> None:
        self.request("GET", "/konto/anmelden/")
        status, _, _ = self.request(
            "POST", "/konto/anmelden/", {"username": username, "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"sign-in as {username} failed ({status})")


def _links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, html)))


def _checkout(browser: Browser, rng: random.Random, products: list[str]) -> tuple[bool, str]:
    browser.request(
        "POST", "/warenkorb/hinzufuegen/", {"product": rng.choice(products), "quantity": 1}
    )
    status, _, page = browser.request("GET", "/kasse/")
    if status == 302:  # the product sold out before it reached the basket
        return True, "checkout-refused"
    key = re.search(r'name="key" value="([^"]+)"', page)
    # the wave offered first, or, when that one is full (disabled), the next with room, as a
    # customer would choose; with every wave full the checkout is refused, not failed
    slot = (re.search(r'name="slot" id="slot-\d+" value="([^"]+)" checked', page)
            or re.search(r'name="slot" id="slot-\d+" value="([^"]+)" required', page))
    if key and not slot and re.search(r'name="slot"', page):
        return True, "checkout-refused"
    # To a pickup point: lockers have few compartments and would soon be full.
    point = re.search(r'name="pickup_point"[^>]*>\s*<option value="(\d+)"', page)
    if not (key and slot and point):
        return False, "checkout-refused"
    status, location, _ = browser.request(
        "POST",
        "/kasse/",
        {
            "key": key.group(1),
            "slot": slot.group(1),
            "method": "point",
            "pickup_point": point.group(1),
        },
    )
    if status == 302 and location.startswith("/einkauf/"):
        return True, "checkout"
    browser.request("POST", "/warenkorb/aendern/", {"product": products[0], "quantity": 0})
    return status == 200, "checkout-refused"


@dataclass
class Customer:
    browser: Browser
    rng: random.Random
    shops: list[str]
    products: list[str]


# Signing in hashes the password on purpose slowly (PBKDF2, about a second of a core): 50
# customers signing in at once kept a 2-core server busy past the 30-s socket timeout.
SIGN_INS = threading.BoundedSemaphore(2)


def customer_prepare(base: str, username: str, seed: int) -> Customer:
    """Sign in and learn the shop and product links (not timed)."""
    browser = Browser(base)
    with SIGN_INS:
        browser.sign_in(username)
    shops = _links(browser.request("GET", "/geschaefte/")[2], r'href="(/geschaefte/[\w-]+/)"')
    pages = [browser.request("GET", shop)[2] for shop in shops]
    products = [p for page in pages for p in re.findall(r'name="product" value="(\d+)"', page)]
    return Customer(browser, random.Random(seed), shops, products)


def customer_run(customer: Customer, deadline: list[float], stats: Stats) -> None:
    kinds, weights = zip(*MIX, strict=True)
    browser, rng = customer.browser, customer.rng
    while time.perf_counter() < deadline[0]:
        kind = rng.choices(kinds, weights)[0]
        begin = time.perf_counter()
        try:
            if kind == "checkout":
                ok, kind = _checkout(browser, rng, customer.products)
                failure = None if ok else "checkout failed"
            else:
                path = {
                    "home": "/",
                    "shops": "/geschaefte/",
                    "shop": rng.choice(customer.shops),
                    "search": "/suche/?" + urlencode({"q": rng.choice(QUERIES)}),
                    "basket": "/warenkorb/",
                    "order-list": "/bestellungen/",
                }[kind]
                status = browser.request("GET", path)[0]
                failure = None if status == 200 else f"HTTP {status}"
        except (http.client.HTTPException, OSError) as exc:
            failure = type(exc).__name__
        stats.add(kind, time.perf_counter() - begin, failure)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(stats: Stats, seconds: float) -> str:
    lines = [f"{'kind':<18}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'errors':>8}"]
    every: list[float] = []
    for kind, values in sorted(stats.latencies.items()):
        every += values
        lines.append(
            f"{kind:<18}{len(values):>9}{len(values) / seconds:>8.1f}"
            f"{statistics.median(values) * 1000:>8.0f}"
            f"{percentile(values, 0.95) * 1000:>8.0f}{stats.errors[kind]:>8}"
        )
    lines.append(
        f"{'all':<18}{len(every):>9}{len(every) / seconds:>8.1f}"
        f"{statistics.median(every) * 1000:>8.0f}{percentile(every, 0.95) * 1000:>8.0f}"
        f"{sum(stats.errors.values()):>8}"
    )
    if stats.reasons:
        lines.append("errors: " + ", ".join(f"{n} × {why}" for why, n in
                                             stats.reasons.most_common()))
    return "\n".join(lines)


def serve(url: str, workers: int | None, threads: int | None) -> subprocess.Popen:
    """`louise serve` on the URL's port in the environment of this process, once it
    answers."""
    parts = urlsplit(url)
    command = [sys.executable, "-m", "louise", "serve", "--host", parts.hostname or "127.0.0.1",
               "--port", str(parts.port or 80)]
    command += ["--workers", str(workers)] if workers else []
    command += ["--threads", str(threads)] if threads else []
    server = subprocess.Popen(command, start_new_session=True)
    for _ in range(240):
        time.sleep(0.5)
        if server.poll() is not None:
            raise RuntimeError(f"louise serve ended ({server.returncode})")
        try:
            Browser(url).request("GET", "/")
            return server
        except OSError:
            continue
    server.terminate()
    raise RuntimeError("louise serve did not answer within 2 minutes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--serve", action="store_true",
                        help="start `louise serve` on the URL's port first, stop it after")
    parser.add_argument("--workers", type=int, help="with --serve: web processes")
    parser.add_argument("--threads", type=int, help="with --serve: threads per process")
    args = parser.parse_args(argv)
    server = serve(args.url, args.workers, args.threads) if args.serve else None
    try:
        load(args)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    return 0


def load(args: argparse.Namespace) -> None:
    """The customers' run, and its report on stdout."""
    stats = Stats()
    deadline: list[float] = []
    # The clock starts once every customer has signed in and warmed up.
    start = threading.Barrier(
        args.users, action=lambda: deadline.append(time.perf_counter() + args.seconds)
    )

    failures: list[str] = []

    def run(i: int) -> None:
        try:
            customer = customer_prepare(args.url, f"kunde{i + 1:03d}", args.seed + i)
        except (RuntimeError, http.client.HTTPException, OSError) as exc:
            failures.append(f"kunde{i + 1:03d}: {exc!r}")
            start.abort()  # the others would wait for this one forever
            return
        try:
            start.wait()
        except threading.BrokenBarrierError:
            return
        customer.browser.reconnect()
        customer_run(customer, deadline, stats)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(args.users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit("no run: a customer could not get ready: " + "; ".join(failures))
    print(f"{args.users} customers, {args.seconds:.0f} s against {args.url}")
    print(report(stats, args.seconds))


if __name__ == "__main__":
    raise SystemExit(main())
