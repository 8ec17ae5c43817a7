"""A small PostgreSQL-backed job queue: no extra service.

``job_enqueue(kind=..., payload=...)`` stores a :class:`~miasto.core.models.Job`; ``miasto worker``
takes queued jobs with ``SELECT … FOR UPDATE SKIP LOCKED`` and runs the handler registered for
the kind. Handlers get a :class:`JobContext` to report progress (shown in the UI) and raise
:class:`JobError` with a message a person understands when the input is bad.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from miasto.core.models import Job
from miasto.core.registry import Registry

log = logging.getLogger(__name__)

Handler = Callable[["JobContext"], dict[str, Any] | None]
job_registry: Registry[Handler] = Registry("jobs", "jobs")


@dataclass(frozen=True)
class PeriodicTask:
    """Housekeeping the worker runs between jobs: at its start, then every ``every`` seconds."""

    name: str
    every: float
    run: Callable[[], object]


#: Apps register periodic tasks in their ``jobs`` module, next to their job handlers.
periodic_registry: Registry[PeriodicTask] = Registry("periodic tasks", "jobs")


class JobError(Exception):
    """A job failed for a reason the user can fix (bad file, bad parameter)."""


class JobContext:
    def __init__(self, job: Job) -> None:
        self.job = job
        self._last = 0.0

    @property
    def payload(self) -> dict[str, Any]:
        return self.job.payload

    def progress(self, percent: float, message: str = "", force: bool = False) -> None:
        """Record progress (throttled to one write per half second)."""
        now = time.monotonic()
        if not force and now - self._last < 0.5:
            return
        self._last = now
        self.job.progress = max(0, min(100, int(percent)))
        if message:
            self.job.message = message[:300]
        Job.objects.filter(pk=self.job.pk).update(
            progress=self.job.progress, message=self.job.message
        )


def job_enqueue(*, kind: str, payload: dict[str, Any], user: Any = None) -> Job:
    if kind not in job_registry:
        raise ValueError(f"unknown job kind {kind!r}")
    return Job.objects.create(kind=kind, payload=payload, created_by=user if user else None)


def job_run(job: Job) -> Job:
    """Run one job now (the worker calls this; tests and the CLI may too)."""
    handler = job_registry.get(job.kind)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    job.status = Job.Status.RUNNING
    context = JobContext(job)
    try:
        if handler is None:
            raise JobError(f"Nieznany rodzaj zadania: {job.kind}")
        result = handler(context) or {}
    except JobError as exc:
        job.status, job.error = Job.Status.FAILED, str(exc)
    except Exception as exc:  # noqa: BLE001 — recorded, never lost
        log.exception("job %s failed", job.pk)
        job.status = Job.Status.FAILED
        job.error = f"Błąd wewnętrzny ({exc.__class__.__name__}). Zgłoś go administratorowi."
        job.result = {"traceback": traceback.format_exc()[-4000:]}
    else:
        job.status, job.result, job.progress = Job.Status.DONE, result, 100
    job.finished_at = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=job.status,
        error=job.error,
        result=job.result,
        progress=job.progress,
        finished_at=job.finished_at,
    )
    return job


def job_take() -> Job | None:
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(skip_locked=True)
            .filter(status=Job.Status.QUEUED)
            .order_by("created_at")
            .first()
        )
        if job is None:
            return None
        Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    return job


def periodic_run_due(last_run: dict[str, float], now: float | None = None) -> list[str]:
    """Run the periodic tasks that are due (``last_run``: task → monotonic time of its last
    run, updated). A failing task is logged and retried at its next period; it never stops
    the worker."""
    now = time.monotonic() if now is None else now
    ran = []
    for task in periodic_registry:
        last = last_run.get(task.name)
        if last is not None and now - last < task.every:
            continue
        last_run[task.name] = now
        try:
            task.run()
        except Exception:  # noqa: BLE001 — housekeeping must not stop the jobs
            log.exception("periodic task %s failed", task.name)
        ran.append(task.name)
    return ran


def worker_loop(*, once: bool = False, poll: float = 1.0, periodic: bool | None = None) -> int:
    """Run queued jobs until stopped (or until the queue is empty with ``once``).

    Between jobs the worker runs the due periodic tasks (by default not with ``once``).
    """
    done = 0
    periodic = not once if periodic is None else periodic
    last_run: dict[str, float] = {}
    while True:
        if not connection.in_atomic_block:  # (tests run inside a transaction)
            close_old_connections()
        if periodic:
            periodic_run_due(last_run)
        job = job_take()
        if job is None:
            if once:
                return done
            time.sleep(poll)
            continue
        job_run(job)
        done += 1
