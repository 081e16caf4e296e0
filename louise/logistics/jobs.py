"""Planning as a background job: a stored `PlanRun` (status, progress, result) computed by a
Django task, so the dispatcher's page stays responsive while the solver works.

The task backend is a setting (`TASKS`): the database backend by default, Redis (RQ) when
`LOUISE_REDIS_URL` is set, inline in tests. `louise worker` runs the jobs of either in
processes of their own, never in a web process (a plan holds a core for seconds); any
number of them may run, and each run is its own job, so towns and days plan in parallel.
"""

import logging
import threading
import time
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.management import call_command
from django.db import Error, connections, transaction
from django.tasks import task

from louise.accounts.models import User
from louise.core.errors import DomainError
from louise.geo.models import Town
from louise.planning import warm as planning_warm

from .models import PlanRun, RunStatus
from .services import plan_run_compute, plan_run_create, plan_runs_expire

if TYPE_CHECKING:
    from django_tasks_db.management.commands.db_worker import Worker

log = logging.getLogger(__name__)


@task
def plan_run_execute(run_id: int) -> dict:
    """Idempotent: a run that is already done or failed is not computed twice."""
    run = PlanRun.objects.get(pk=run_id)
    if run.status in (RunStatus.DONE, RunStatus.FAILED):
        return run.summary
    try:
        plan_run_compute(run=run)
    except DomainError as exc:
        # Stored on the run as FAILED with its reason, nothing left to do.
        log.warning("plan job failed", extra={"run": run_id, "error": exc.message})
        return {}
    except BaseException as exc:
        # The run must not stay "running" for ever; the task result keeps the traceback.
        PlanRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=repr(exc))
        log.exception("plan job crashed", extra={"run": run_id})
        raise
    return run.summary


def plan_enqueue(*, town: Town, day: date, by: User,
                 time_limit: float | None = None) -> PlanRun:
    """Store the run and queue its computation once the row is committed; while a run of
    the town's day is queued or running, that one is returned and nothing new is queued.
    Each run is its own job, so two towns plan in parallel on two workers."""
    with transaction.atomic():
        run, created = plan_run_create(town=town, day=day, by=by, time_limit=time_limit)
        if created:
            transaction.on_commit(lambda: _enqueue(run))
    run.refresh_from_db()
    return run


def _enqueue(run: PlanRun) -> None:
    result = plan_run_execute.enqueue(run.pk)
    PlanRun.objects.filter(pk=run.pk).update(task_id=str(result.id))


DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
RQ_BACKEND = "django_tasks_rq.RQBackend"
BACKOFF_MAX_S = 30.0


def _work_database(worker: "Worker") -> None:
    """Run the database backend's worker until it stops (or, in batch mode, runs dry).

    A dropped database connection (a restarted server, a network blip) must not end all
    background work until the next restart: the broken connection is closed and the
    worker starts over after a growing pause (up to `BACKOFF_MAX_S`)."""
    pause = worker.interval or 0.5
    try:
        while worker.running:
            started = time.monotonic()
            try:
                plan_runs_expire()
                worker.run()
                if worker.batch:
                    return
            except Error:
                if time.monotonic() - started > BACKOFF_MAX_S:
                    pause = worker.interval or 0.5  # it ran fine for a while
                log.warning("Datenbank nicht erreichbar; der Hintergrund-Worker versucht "
                            "es in %.1f s wieder", pause, exc_info=True)
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, BACKOFF_MAX_S)
    finally:
        connections.close_all()


def _database_worker(*, interval: float, batch: bool) -> "Worker":
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(queue_names=["default"], interval=interval, batch=batch,
                  backend_name="default", startup_delay=False, max_tasks=None,
                  worker_id=f"louise-{get_random_string(8)}", excluded_queue_names=[])


def work(*, burst: bool = False) -> None:
    """`louise worker`: run the configured backend's jobs in this process until SIGTERM
    (which lets the current job finish) or, with `burst`, until the queue is empty."""
    backend = settings.TASKS["default"]["BACKEND"]
    # The planning kernels come from numba's disk cache once per process (about 0.2 s):
    # here, not inside the first plan's time limit (RQ's forks inherit them).
    planning_warm()
    if backend == RQ_BACKEND:
        # RQ forks a fresh process per job; django-rq closes the parent's connections.
        call_command("rqworker", "default", job_class="django_tasks_rq.Job", burst=burst)
        return
    if backend != DATABASE_BACKEND:
        raise DomainError(f"Das Task-Backend {backend} führt Aufträge selbst aus; es braucht "
                          "keinen Worker.")
    worker = _database_worker(interval=0.5, batch=burst)
    worker.configure_signals()
    log.info("Hintergrund-Worker läuft (%s)", worker.worker_id)
    _work_database(worker)


class WorkerThread(threading.Thread):
    """The database backend's worker in a daemon thread of this process (tests of the
    real backend; `louise worker` runs the same loop in its main thread)."""

    def __init__(self, worker: "Worker") -> None:
        super().__init__(name="louise-task-worker", daemon=True)
        self.worker = worker

    def run(self) -> None:
        _work_database(self.worker)

    def stop(self, timeout: float = 10.0) -> None:
        """Let the current task finish, then end the thread."""
        self.worker.running = False
        self.join(timeout)


def worker_thread_start(interval: float = 0.5) -> WorkerThread | None:
    """Start the database backend's worker thread; other backends bring their own workers."""
    if settings.TASKS["default"]["BACKEND"] != DATABASE_BACKEND:
        return None
    thread = WorkerThread(_database_worker(interval=interval, batch=False))
    thread.start()
    log.info("Hintergrund-Worker läuft (%s)", thread.name)
    return thread
