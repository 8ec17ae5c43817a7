"""A small PostgreSQL-backed job queue: no extra service.

``job_enqueue(kind=..., payload=...)`` stores a :class:`~miasto.core.models.Job`; ``miasto worker``
takes queued jobs with ``SELECT … FOR UPDATE SKIP LOCKED`` and runs the handler registered for
the kind. Handlers get a :class:`JobContext` to report progress (shown in the UI) and raise
:class:`JobError` with a message a person understands when the input is bad.

A running job holds a PostgreSQL advisory lock (session level) on its id for as long as it
runs, so a worker that dies — killed, its machine gone, its connection lost — lets go of it with
its connection. Every worker, when it starts and then once a minute, fails the running jobs
whose lock nobody holds (:func:`jobs_recover`) and calls the clean-up their kind registered in
:data:`abandoned_registry` (e.g. the data hub drops the dead import's staging tables). What a
job writes for good it writes in one transaction, which PostgreSQL rolls back when its session
dies: a job is done or it left nothing behind.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
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
#: kind → clean-up after a job of that kind whose worker died (called with the failed job).
abandoned_registry: Registry[Callable[[Job], object]] = Registry("abandoned-job clean-ups", "jobs")

#: First key of the advisory lock a running job holds ("jobs" in ASCII); the second: its id.
LOCK_NAMESPACE = 0x6A6F6273
#: How often a worker looks for running jobs whose worker is gone.
RECOVER_EVERY_SECONDS = 60.0
ABANDONED_MESSAGE = (
    "Zadanie zostało przerwane: proces, który je wykonywał, zakończył pracę przed jego końcem "
    "(np. restart serwera). Nic nie zostało zapisane; uruchom zadanie ponownie."
)


class JobError(Exception):
    """A job failed for a reason the user can fix (bad file, bad parameter)."""


class JobContext:
    def __init__(self, job: Job) -> None:
        self.job = job
        self._last = 0.0

    @property
    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = self.job.payload  # a JSONField: always an object here
        return payload

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


def may_start(user: Any) -> bool:
    """Whether ``user`` may start a computation: the city's staff (planners and the other
    staff roles), never an anonymous visitor — reading never starts work."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def pending_job(kind: str, payload: dict[str, Any]) -> Job | None:
    """The job of ``kind`` for ``payload`` that is queued or running, or the last failed one;
    None when there is none. Never creates one: reads (GET) only report."""
    return (
        Job.objects.filter(
            kind=kind,
            payload=payload,
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.FAILED],
        )
        .order_by("-pk")
        .first()
    )


def start_job(kind: str, payload: dict[str, Any], *, user: Any) -> Job:
    """The queued or running job of ``kind`` for ``payload``, else a new one (also after a
    failure) — one computation per input, however many times it is asked for. Callers check
    :func:`may_start` and call this from a POST."""
    job = pending_job(kind, payload)
    if job is None or job.status == Job.Status.FAILED:
        owner = user if getattr(user, "pk", None) else None
        job = job_enqueue(kind=kind, payload=payload, user=owner)
    return job


def _lock_key(pk: int) -> int:
    return pk % 2**31  # PostgreSQL's int4 key


def job_lock(pk: int) -> None:
    """Hold job ``pk``'s lock in this session (released by :func:`job_unlock` or when the
    session ends)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, _lock_key(pk)])


def job_unlock(pk: int) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, _lock_key(pk)])
    except DatabaseError:
        pass  # the connection is gone, and the lock with it


def job_alive(pk: int) -> bool:
    """Does a session (this one included) hold job ``pk``'s lock, i.e. is it being run?"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND classid = %s::oid AND objid = %s::oid AND objsubid = 2)",
            [LOCK_NAMESPACE, _lock_key(pk)],
        )
        return bool(cursor.fetchone()[0])


def job_run(job: Job, *, locked: bool = False) -> Job:
    """Run one job now (the worker calls this; tests and the CLI may too). ``locked``: the
    caller holds the job's lock already (:func:`job_take`); it is released at the end."""
    if not locked:
        job_lock(job.pk)
    try:
        return _run(job)
    finally:
        job_unlock(job.pk)


def _run(job: Job) -> Job:
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
    """The oldest queued job, marked running, its lock held by this session (taken before the
    mark is committed: no one ever sees it running and unlocked while it lives)."""
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(skip_locked=True)
            .filter(status=Job.Status.QUEUED)
            .order_by("created_at")
            .first()
        )
        if job is None:
            return None
        job_lock(job.pk)
        try:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.RUNNING, started_at=timezone.now()
            )
        except BaseException:
            job_unlock(job.pk)  # (a session lock outlives the rollback)
            raise
    return job


def jobs_recover() -> list[Job]:
    """Fail the running jobs whose worker is gone (nobody holds their lock), then run the
    clean-up their kind registered. Returns them."""
    recovered = []
    for pk in Job.objects.filter(status=Job.Status.RUNNING).values_list("pk", flat=True):
        with transaction.atomic():
            job = (
                Job.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=Job.Status.RUNNING)
                .first()
            )
            if job is None or job_alive(pk):
                continue
            job.status, job.error = Job.Status.FAILED, ABANDONED_MESSAGE
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "error", "finished_at"])
        log.warning("job %s (%s) was abandoned by its worker: failed", job.pk, job.kind)
        cleanup = abandoned_registry.get(job.kind)
        if cleanup is not None:
            try:
                cleanup(job)
            except Exception:  # noqa: BLE001 — the periodic clean-ups catch what is left
                log.exception("clean-up after abandoned job %s failed", job.pk)
        recovered.append(job)
    return recovered


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

    First, and then every minute, the worker fails the jobs other workers abandoned
    (:func:`jobs_recover`). Between jobs it runs the due periodic tasks (by default not with
    ``once``). A lost database connection does not stop it: it waits and connects again.
    """
    done = 0
    periodic = not once if periodic is None else periodic
    last_run: dict[str, float] = {}
    recovered_at: float | None = None
    while True:
        try:
            if not connection.in_atomic_block:  # (tests run inside a transaction)
                close_old_connections()
            if recovered_at is None or time.monotonic() - recovered_at >= RECOVER_EVERY_SECONDS:
                recovered_at = time.monotonic()
                jobs_recover()
            if periodic:
                periodic_run_due(last_run)
            job = job_take()
            if job is None:
                if once:
                    return done
                time.sleep(poll)
                continue
            job_run(job, locked=True)
            done += 1
        except (OperationalError, InterfaceError):
            if once or connection.in_atomic_block:
                raise
            # the database restarted or the network failed: a job running then lost its lock
            # with the connection, and is failed by the recovery once we are connected again
            log.exception("database connection lost; the worker waits and reconnects")
            connection.close()
            recovered_at = None
            time.sleep(max(poll, 5.0))
