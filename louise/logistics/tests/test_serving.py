"""The production layout for real: `louise serve` with two gunicorn web processes and a
separate `louise worker`, as subprocesses on free ports, sharing a file SQLite database (or
a fresh PostgreSQL database when DATABASE_URL is set). An order placed through the API is
planned by the worker, never by a web process, with either task backend: the database's
queue or RQ on Redis."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from louise.core.tests.fresh import REAL_KEY, ROOT

from .conftest import redis_url

SEED = """
from louise.conftest import (BERLIN, build_shop, build_staff_users, build_town, make_customer,
                             shift_create)
from louise.accounts.models import Role
from datetime import date, datetime, time, timedelta
world, shop, staff = build_town(), build_shop(), build_staff_users()
_customer, address = make_customer("kundin")
for offset in range(8):
    day = date.today() + timedelta(days=offset)
    shift_create(rider=staff[Role.RIDER], vehicle=world["bike"],
                 starts_at=datetime.combine(day, time(8), BERLIN),
                 ends_at=datetime.combine(day, time(21, 30), BERLIN))
print(shop["product"].pk, address.pk, shop["staff"].username)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_url() -> Iterator[str | None]:
    """None (a file SQLite under the var folder), or a PostgreSQL database of this test's own
    next to the one DATABASE_URL names, dropped afterwards."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield None
        return
    import psycopg

    name = f"louise_serving_{os.getpid()}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Site:
    """The processes of one installation and a small JSON client for its API."""

    def __init__(self, var_dir: Path, database_url: str | None, redis: str | None) -> None:
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("LOUISE_", "DJANGO_", "DATABASE_URL"))}
        self.env = {**base, "DJANGO_SETTINGS_MODULE": "louise.settings",
                    "LOUISE_SECRET_KEY": REAL_KEY, "LOUISE_VAR_DIR": str(var_dir),
                    "LOUISE_PLAN_TIME_LIMIT": "1", "PYTHONPATH": str(ROOT)}
        if database_url:
            self.env["DATABASE_URL"] = database_url
        if redis:
            self.env["LOUISE_REDIS_URL"] = redis
        self.port = _free_port()
        self.processes: list[subprocess.Popen] = []
        self.logs = var_dir

    def run(self, *args: str) -> str:
        done = subprocess.run([sys.executable, *args], cwd=ROOT, env=self.env, text=True,
                              capture_output=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("w")
        process = subprocess.Popen([sys.executable, "-m", "louise", *args], cwd=ROOT,
                                   env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text()

    def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()

    def call(self, method: str, path: str, body: dict | None = None,
             token: str | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/v1{path}", method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json",
                     **({"Authorization": f"Bearer {token}"} if token else {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as refused:
            return refused.code, json.loads(refused.read() or b"{}")

    def token(self, username: str) -> str:
        status, body = self.call("POST", "/auth/token", {"username": username,
                                                         "password": "test-pass-123"})
        assert status == 200, body
        return body["token"]

    def wait_until_up(self, server: subprocess.Popen, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert server.poll() is None, self.log("web")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5):
                    return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        pytest.fail("louise serve answered no request:\n" + self.log("web"))


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's web workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.parametrize("queue", ["database", "redis"])
def test_two_web_processes_take_an_order_and_a_separate_worker_plans_it(tmp_path, database_url,
                                                                        queue):
    site = Site(tmp_path, database_url, redis_url(14) if queue == "redis" else None)
    # given a migrated installation with a shop, a customer, a dispatcher and riders' shifts
    site.run("-m", "louise", "migrate", "--verbosity", "0")
    product_id, address_id, merchant = site.run("-c", SEED).split()
    try:
        # and `louise serve` with two web processes, no worker yet
        web = site.start("web", "serve", "--port", str(site.port), "--workers", "2")
        site.wait_until_up(web)
        assert len(_children(web.pid)) == 2, _children(web.pid)
        # when the customer orders through the API and the shop accepts and packs it
        status, order = site.call(
            "POST", "/orders",
            {"lines": [{"product_id": int(product_id), "quantity": 1}],
             "destination": {"method": "door", "address_id": int(address_id)}},
            site.token("kundin"))
        assert status == 201, order
        shop_token = site.token(merchant)
        for step in ("accept", "ready"):
            status, body = site.call("POST", f"/orders/{order['number']}/{step}", {}, shop_token)
            assert status == 200, body
        # and dispatch asks for the plan of the order's day
        day = datetime.fromisoformat(order["wave_start"]).date().isoformat()
        dispatch = site.token("dispatcher")
        status, run = site.call("POST", "/plans", {"day": day, "time_limit": 1}, dispatch)
        assert status == 202 and run["status"] == "queued", run
        # then no web process plans it ...
        time.sleep(3)
        assert site.call("GET", f"/plans/{run['id']}", token=dispatch)[1]["status"] == "queued"
        # ... but the worker does, through the queue
        site.start("worker", "worker")
        deadline = time.monotonic() + 120
        while run["status"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.5)
            run = site.call("GET", f"/plans/{run['id']}", token=dispatch)[1]
        assert run["status"] == "done", (run, site.log("worker"))
        assert run["summary"]["assigned"] == 1, run
    finally:
        site.stop()
