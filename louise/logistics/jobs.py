"""Planning as a background job: a stored `PlanRun` (status, progress, result) computed by a
Django task, so the dispatcher's page stays responsive while the solver works.

The task backend is a setting (`TASKS`): the database backend by default, with a worker
thread started by `louise demo` (`worker_thread_start`) or `louise db_worker` on a server;
Redis when `LOUISE_REDIS_URL` is set; run inline in tests.
"""

import logging
import threading
from datetime import date

from django.db import transaction
from django.tasks import task

from louise.accounts.models import User
from louise.core.errors import DomainError

from .models import PlanRun, RunStatus
from .services import plan_run_compute, plan_run_create

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


def plan_enqueue(*, day: date, by: User, time_limit: float | None = None) -> PlanRun:
    """Store the run and queue its computation once the row is committed."""
    with transaction.atomic():
        run = plan_run_create(day=day, by=by, time_limit=time_limit)
        transaction.on_commit(lambda: _enqueue(run))
    run.refresh_from_db()
    return run


def _enqueue(run: PlanRun) -> None:
    result = plan_run_execute.enqueue(run.pk)
    PlanRun.objects.filter(pk=run.pk).update(task_id=str(result.id))


def worker_thread_start(interval: float = 0.5) -> threading.Thread | None:
    """Run the database backend's worker in a daemon thread of this process (embedded
    setup: one command, nothing else to start). Other backends bring their own workers."""
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return None
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["default"], interval=interval, batch=False,
                    backend_name="default", startup_delay=False, max_tasks=None,
                    worker_id=f"louise-{get_random_string(8)}", excluded_queue_names=[])
    thread = threading.Thread(target=worker.run, name="louise-task-worker", daemon=True)
    thread.start()
    log.info("Hintergrund-Worker läuft (%s)", thread.name)
    return thread
