"""Planning as a background job: stored status and result, on the inline and the real backend."""

import logging
from datetime import timedelta

import django_rq
import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus, default_task_backend
from django.utils import timezone
from django_tasks_rq import Job
from rq import SimpleWorker

from louise.accounts.models import Role
from louise.cli import main as cli_main
from louise.core.errors import Forbidden
from louise.logistics import jobs
from louise.logistics.jobs import plan_enqueue
from louise.logistics.models import PlanRun, RunStatus, Tour

from ...conftest import MONDAY_MORNING, the_town


@pytest.mark.django_db(transaction=True)
def test_plan_job_runs_after_commit_and_stores_its_result(two_orders, shifts, staff_users,
                                                          caplog):
    # given two packed orders and the Monday fleet
    # when the dispatcher queues a planning run (tests run tasks inline, after commit)
    with caplog.at_level(logging.INFO, logger="louise"):
        run = plan_enqueue(town=the_town(),
                           day=MONDAY_MORNING.date(), by=staff_users[Role.DISPATCHER],
                           time_limit=1)
    # then the stored job is done, with progress and result
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 1.0
    assert run.summary["assigned"] == 2 and run.task_id
    assert Tour.objects.filter(plan_run=run).count() == 1
    # and its start and end are logged with the figures
    started, finished = [r for r in caplog.records if r.name == "louise.logistics.services"]
    assert (started.getMessage(), started.run, started.legs) == ("plan run started", run.pk, 2)
    assert finished.getMessage() == "plan run finished"
    assert (finished.run, finished.legs, finished.tours, finished.unassigned) == (run.pk, 2, 1, 0)
    assert 0 < finished.seconds < 30


@pytest.mark.django_db
def test_a_crashed_plan_job_is_logged_and_marked_failed(two_orders, shifts, staff_users,
                                                        caplog, monkeypatch):
    # given a solver that crashes
    def crash(**kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(jobs, "plan_run_compute", crash)
    run, _created = jobs.plan_run_create(town=the_town(), day=MONDAY_MORNING.date(),
                                         by=staff_users[Role.DISPATCHER])
    # when the job runs
    with pytest.raises(RuntimeError):
        jobs.plan_run_execute.call(run.pk)
    # then the run is failed and the crash logged with its traceback
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "solver crashed" in run.error
    [record] = [r for r in caplog.records if r.name == "louise.logistics.jobs"]
    assert (record.levelname, record.getMessage(), record.run) == ("ERROR", "plan job crashed",
                                                                   run.pk)
    assert record.exc_info is not None


@pytest.mark.django_db(transaction=True)
def test_plan_job_on_the_database_backend_waits_for_the_worker(two_orders, shifts, staff_users,
                                                                database_tasks):
    # given the real database task backend
    # when a run is queued
    run = plan_enqueue(town=the_town(), day=MONDAY_MORNING.date(), by=staff_users[Role.DISPATCHER],
                       time_limit=1)
    # then nothing happens until a worker picks it up ...
    assert PlanRun.objects.get(pk=run.pk).status == RunStatus.QUEUED
    # ... and the worker computes it
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.summary["assigned"] == 2
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_another_day_is_planned_while_a_run_is_still_running(two_orders, shifts, staff_users,
                                                             database_tasks):
    # given a worker busy with Tuesday's run
    dispatcher = staff_users[Role.DISPATCHER]
    tuesday = MONDAY_MORNING.date() + timedelta(days=1)
    busy, _created = jobs.plan_run_create(town=the_town(), day=tuesday, by=dispatcher)
    PlanRun.objects.filter(pk=busy.pk).update(status=RunStatus.RUNNING,
                                              heartbeat_at=timezone.now())
    # when dispatch asks for Monday's plan (and for Tuesday's again)
    monday = plan_enqueue(town=the_town(), day=MONDAY_MORNING.date(), by=dispatcher,
                          time_limit=1)
    again = plan_enqueue(town=the_town(), day=tuesday, by=dispatcher, time_limit=1)
    # then Tuesday's request joins the running run, and Monday's is a job of its own that a
    # second worker computes meanwhile: no run waits for another town's or day's
    assert again.pk == busy.pk and monday.pk != busy.pk
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    monday.refresh_from_db()
    assert monday.status == RunStatus.DONE and monday.summary["assigned"] == 2, monday.error
    assert PlanRun.objects.get(pk=busy.pk).status == RunStatus.RUNNING
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_plan_job_on_redis_waits_for_an_rq_worker(two_orders, shifts, staff_users, rq_tasks):
    # given the Redis/RQ task backend (LOUISE_REDIS_URL)
    # when a run is queued
    run = plan_enqueue(town=the_town(), day=MONDAY_MORNING.date(),
                       by=staff_users[Role.DISPATCHER], time_limit=1)
    # then it waits in Redis as a job of its own ...
    assert PlanRun.objects.get(pk=run.pk).status == RunStatus.QUEUED
    queue = django_rq.get_queue("default", job_class=Job)
    assert queue.job_ids == [run.task_id]
    # ... until an RQ worker (here in this process, without forking) computes it
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.summary["assigned"] == 2
    assert default_task_backend.get_result(run.task_id).status == TaskResultStatus.SUCCESSFUL
    assert queue.job_ids == []


@pytest.mark.django_db
def test_only_dispatch_may_queue_a_plan(staff_users, customer):
    # given a rider and a customer
    for user in (staff_users[Role.RIDER], customer[0]):
        # when they try to queue a plan / then they are refused
        with pytest.raises(Forbidden):
            plan_enqueue(town=the_town(), day=MONDAY_MORNING.date(), by=user)


def test_louise_worker_refuses_a_backend_that_runs_jobs_itself(capsys):
    # given the tests' inline task backend
    # when someone starts `louise worker` / then it says why it does not run
    assert cli_main(["worker"]) == 2
    assert "braucht keinen Worker" in capsys.readouterr().err


@pytest.mark.django_db
@pytest.mark.parametrize(("legs_per_second", "day", "seconds"), [
    (0.1, 0, 20.0),  # the two open legs of Monday: a second per 0.1 legs
    (0.01, 0, 60.0),  # 200 s wanted: at most LOUISE_PLAN_TIME_MAX
    (0.1, 1, 5.0),  # Tuesday has no open leg: at least LOUISE_PLAN_TIME_LIMIT
])
def test_a_run_without_a_time_limit_gets_one_by_the_days_open_legs(
        two_orders, staff_users, settings, legs_per_second, day, seconds):
    # given the app's rule: a second per so many legs, within 5 and 60 s
    settings.LOUISE_PLAN_TIME_LIMIT, settings.LOUISE_PLAN_TIME_MAX = 5.0, 60.0
    settings.LOUISE_PLAN_LEGS_PER_SECOND = legs_per_second
    # when the dispatcher asks for a plan without a time limit
    run, _created = jobs.plan_run_create(town=the_town(), by=staff_users[Role.DISPATCHER],
                                         day=MONDAY_MORNING.date() + timedelta(days=day))
    # then the run searches as long as the day's size asks
    assert run.time_limit_s == seconds


@pytest.mark.django_db
def test_a_time_limit_asked_for_is_kept_whatever_the_days_size(two_orders, staff_users, settings):
    settings.LOUISE_PLAN_LEGS_PER_SECOND = 0.01
    run, _created = jobs.plan_run_create(town=the_town(), day=MONDAY_MORNING.date(),
                                         by=staff_users[Role.DISPATCHER], time_limit=1.5)
    assert run.time_limit_s == 1.5
