"""Background work and planning survive faults: a dropped database connection, a killed
worker, two dispatchers pressing "Planen" at the same moment.

The race and the dropped connection need PostgreSQL (SQLite serialises writers and has no
server to drop a connection); they skip elsewhere and CI runs them on PostgreSQL.
"""

import threading
import time
from datetime import timedelta
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from louise.accounts.models import Role
from louise.logistics.jobs import plan_enqueue, worker_thread_start
from louise.logistics.models import PlanRun, RunStatus, Tour, TourStatus
from louise.logistics.services import plan_day

from ...conftest import MONDAY_MORNING, the_town

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="needs a database server that can drop a connection and concurrent writers "
           "(PostgreSQL)")


@task
def echo(value: str) -> str:
    return value


@task
def drop_own_connection() -> None:
    """The database server ends this task's connection while the task runs."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")


def _wait_until(done, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        time.sleep(0.1)
    return done()


def _finished(result) -> bool:
    result.refresh()
    return result.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_worker_thread_reconnects_after_the_database_dropped_its_connection(
        database_tasks):
    # given the in-process worker of `louise serve`
    thread = worker_thread_start(interval=0.05)
    try:
        # when the database ends the worker's connection in the middle of a task
        dropped = drop_own_connection.enqueue()
        assert _wait_until(lambda: dropped.refresh() or dropped.status != "READY")
        # then the worker keeps going: the next job (a mail, a plan) still runs
        later = echo.enqueue("noch da")
        assert _wait_until(lambda: _finished(later)), "the worker thread died"
        assert later.status == TaskResultStatus.SUCCESSFUL and later.return_value == "noch da"
        assert thread.is_alive()
    finally:
        thread.stop()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_request_on_a_connection_the_database_dropped_is_answered(town):
    # given a server thread holding its persistent connection from an earlier request
    handler, answers = WSGIHandler(), []

    def get(path: str) -> str:
        environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET"}
        setup_testing_defaults(environ)
        b"".join(handler(environ, lambda status, headers: answers.append(status)))
        return answers[-1]

    assert get("/").startswith("200")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    # when the database drops it (a restart, a network blip) between two requests
    def terminate() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        connection.close()

    killer = threading.Thread(target=terminate)
    killer.start()
    killer.join()
    # then the next request on this thread gets a fresh connection instead of a 500
    assert get("/").startswith("200")


@pytest.mark.django_db
def test_a_second_plan_request_joins_the_queued_run(two_orders, shifts, staff_users):
    # given a queued planning run of Monday (in tests the job would run after commit)
    dispatcher = staff_users[Role.DISPATCHER]
    first = plan_enqueue(town=the_town(), day=MONDAY_MORNING.date(), by=dispatcher, time_limit=1)
    # when the dispatcher (or a colleague) presses "Planen" again before it ran
    second = plan_enqueue(town=the_town(), day=MONDAY_MORNING.date(), by=staff_users[Role.OPERATOR],
                          time_limit=1)
    # then both get the same run, and computing the day joins it as well
    assert second.pk == first.pk
    done = plan_day(town=the_town(), day=MONDAY_MORNING.date(), by=dispatcher, time_limit=1)
    assert done.pk == first.pk and done.status == RunStatus.DONE
    assert PlanRun.objects.count() == 1
    assert Tour.objects.filter(status=TourStatus.DRAFT).count() == 1


@pytest.mark.django_db
def test_the_api_joins_a_running_plan(two_orders, shifts, staff_users, api):
    # given a dispatcher's queued run
    dispatch = api(Role.DISPATCHER)
    first = dispatch.post("/dispatch/plan", {"day": "2026-11-30", "time_limit": 1})
    # when the planning is asked for again through either endpoint
    again = dispatch.post("/dispatch/plan", {"day": "2026-11-30", "time_limit": 1})
    other = dispatch.post("/plans", {"day": "2026-11-30", "time_limit": 1})
    # then the answer names the same run
    assert first.status_code == again.status_code == other.status_code == 202
    assert first.json()["id"] == again.json()["id"] == other.json()["id"]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_planning_the_same_day_at_once_get_one_set_of_drafts(
        two_orders, shifts, staff_users):
    # given two dispatchers
    people = [staff_users[Role.DISPATCHER], staff_users[Role.OPERATOR]]
    barrier, runs, failures = threading.Barrier(2), [None, None], []

    def plan(i: int) -> None:
        try:
            barrier.wait()
            runs[i] = plan_day(town=the_town(),
                               day=MONDAY_MORNING.date(), by=people[i], time_limit=1).pk
        except Exception as exc:
            failures.append(exc)
        finally:
            connection.close()

    # when both plan Monday at the same moment
    threads = [threading.Thread(target=plan, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then there is one run and one set of drafts, not two publishable copies
    assert not failures, failures
    assert runs[0] == runs[1]
    assert PlanRun.objects.count() == 1
    assert Tour.objects.filter(status=TourStatus.DRAFT).count() == 1


@pytest.mark.django_db
def test_a_run_whose_worker_died_is_failed_by_the_next_plan_request(two_orders, shifts,
                                                                   staff_users):
    # given a run left "running" by a worker killed ten minutes ago
    dispatcher = staff_users[Role.DISPATCHER]
    dead = PlanRun.objects.create(day=MONDAY_MORNING.date(), status=RunStatus.RUNNING,
                                  heartbeat_at=timezone.now() - timedelta(minutes=10))
    # when the dispatcher plans the day again
    run = plan_day(town=the_town(), day=MONDAY_MORNING.date(), by=dispatcher, time_limit=1)
    # then the dead run is failed with a reason and the new one plans the day
    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILED and "antwortet nicht" in dead.error
    assert run.pk != dead.pk and run.status == RunStatus.DONE
    # and a run that computes shows signs of life
    run.refresh_from_db()
    assert run.heartbeat_at is not None


@pytest.mark.django_db
def test_a_live_run_is_not_failed(two_orders, shifts, staff_users):
    # given a run that reported a moment ago
    live = PlanRun.objects.create(day=MONDAY_MORNING.date(), status=RunStatus.RUNNING,
                                  heartbeat_at=timezone.now())
    # when the day is asked for again / then that run is joined, not failed or duplicated
    joined = plan_enqueue(town=the_town(),
                          day=MONDAY_MORNING.date(), by=staff_users[Role.DISPATCHER])
    assert joined.pk == live.pk and joined.status == RunStatus.RUNNING


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_starting_worker_fails_the_runs_of_a_dead_one(town, database_tasks):
    # given a run left "running" by a worker that was killed
    dead = PlanRun.objects.create(day=MONDAY_MORNING.date(), status=RunStatus.RUNNING,
                                  heartbeat_at=timezone.now() - timedelta(minutes=10))
    # when the server starts its worker again
    thread = worker_thread_start(interval=0.05)
    try:
        # then the dead run is failed, so the day can be planned again
        assert _wait_until(lambda: PlanRun.objects.get(pk=dead.pk).status == RunStatus.FAILED)
    finally:
        thread.stop()
