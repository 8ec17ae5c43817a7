"""Background jobs: a :class:`~miasto.core.models.Job` people see, run by procrastinate.

``job_enqueue(kind=..., payload=...)`` stores a :class:`~miasto.core.models.Job` (what pages and
``/api/v1/jobs/{id}`` show) and, in the same transaction, defers the procrastinate task
``miasto.job`` carrying its id; ``miasto worker`` (procrastinate's worker,
:mod:`miasto.core.worker`) runs the handler registered for the kind. Handlers get a
:class:`JobContext` to report progress and raise :class:`JobError` with a message a person
understands when the input is bad.

What procrastinate gives, and how it is used here (docs/architecture.md, "Background jobs"):

- retries: an error worth retrying (the database went away, a time-out) puts the job back in
  the queue with a growing wait (:data:`RETRY`); a :class:`JobError` or a bug fails it at once;
- locks: jobs with the same lock run one at a time, in order — by default one per kind (one
  capacity run at a time), or what the kind registered in :data:`lock_registry`; and
  :func:`start_job` defers with a queueing lock, so two requests never queue the same work;
- periodic tasks: :func:`periodic` registers housekeeping that the workers run on a schedule
  (procrastinate defers each run once, however many workers there are);
- cancellation: :func:`job_cancel` cancels a queued job, and stops a running one at its next
  progress report (its statement is cancelled too);
- several workers, on several machines: they share the queue in PostgreSQL.

A running job holds a PostgreSQL advisory lock (session level) on its id for as long as it
runs, so a worker that dies — killed, its machine gone, its connection lost — lets go of it with
its connection. Every worker, when it starts and then once a minute, fails the running jobs
whose lock nobody holds (:func:`jobs_recover`), calls the clean-up their kind registered in
:data:`abandoned_registry` (e.g. the data hub drops the dead import's staging tables), and
puts back in the queue the jobs a dead worker had taken but not started (procrastinate's
stalled jobs: their worker's heartbeat stopped). What a job writes for good it writes in one
transaction, which PostgreSQL rolls back when its session dies: a job is done or it left
nothing behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import psycopg
from asgiref.sync import sync_to_async
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.utils import timezone
from procrastinate import App, RetryStrategy, exceptions
from procrastinate import JobContext as TaskContext
from procrastinate import jobs as procrastinate_jobs
from procrastinate import sql as procrastinate_sql
from procrastinate.contrib.django import app as procrastinate_app
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.manager import JobManager
from procrastinate.tasks import configure_task

from miasto.core.db import execute, fetch_value
from miasto.core.models import Job
from miasto.core.registry import Registry

log = logging.getLogger(__name__)

Handler = Callable[["JobContext"], dict[str, Any] | None]
job_registry: Registry[Handler] = Registry("jobs", "jobs")
#: kind → the lock of a job of that kind (jobs with one lock run one at a time); a kind not
#: registered here locks on its name: one computation of a kind at a time.
lock_registry: Registry[Callable[[dict[str, Any]], str]] = Registry("job locks", "jobs")


@dataclass(frozen=True)
class PeriodicTask:
    """Housekeeping the workers run every ``every`` seconds (``cron``: at those times)."""

    name: str
    every: float
    run: Callable[[], object]
    cron: str = ""

    @property
    def schedule(self) -> str:
        """The cron line procrastinate defers the task by."""
        return self.cron or every_cron(self.every)


#: Apps register periodic tasks in their ``jobs`` module (:func:`periodic`), next to their
#: job handlers.
periodic_registry: Registry[PeriodicTask] = Registry("periodic tasks", "jobs")
#: kind → clean-up after a job of that kind whose worker died (called with the failed job).
abandoned_registry: Registry[Callable[[Job], object]] = Registry("abandoned-job clean-ups", "jobs")

#: The procrastinate task that runs every job, and the queues of jobs and of housekeeping.
TASK_NAME = "miasto.job"
JOBS_QUEUE = "jobs"
PERIODIC_QUEUE = "periodic"
#: Errors worth another attempt: the database or the network failed, not the job's input.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    ConnectionError,
    TimeoutError,
)
#: Three more attempts, after about 9 s, 21 s and 69 s (5 + 4 ** (attempt + 1) seconds).
RETRY = RetryStrategy(
    max_attempts=3, wait=5, exponential_wait=4, retry_exceptions=set(TRANSIENT_ERRORS)
)

#: First key of the advisory lock a running job holds ("jobs" in ASCII); the second: its id.
LOCK_NAMESPACE = 0x6A6F6273
#: Is a job's advisory lock held (parameters: the namespace, the job's key)? And: cancel the
#: statement of the session holding it.
LOCK_HELD_SQL = (
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND classid = %s::oid AND objid = %s::oid AND objsubid = 2)"
)
LOCK_HOLDER_CANCEL_SQL = (
    "SELECT pg_cancel_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND classid = %s::oid AND objid = %s::oid AND objsubid = 2 AND pid <> pg_backend_pid()"
)
#: A worker whose heartbeat is older is dead (procrastinate's ``stalled_worker_timeout``).
STALLED_AFTER_SECONDS = 30.0
#: How often a worker looks for running jobs whose worker is gone (a cron line: every minute).
RECOVER_CRON = "* * * * *"
ABANDONED_MESSAGE = (
    "Zadanie zostało przerwane: proces, który je wykonywał, zakończył pracę przed jego końcem "
    "(np. restart serwera). Nic nie zostało zapisane; uruchom zadanie ponownie."
)
RETRY_MESSAGE = "Chwilowy błąd ({error}); ponowna próba za {seconds} s."


class JobError(Exception):
    """A job failed for a reason the user can fix (bad file, bad parameter)."""


class JobFailed(Exception):
    """Raised to procrastinate by a job that failed (its error recorded in the job)."""


class JobCancelled(Exception):
    """Raised in a running job (at its progress report) that staff cancelled."""


F = TypeVar("F", bound=Callable[[], object])


def every_cron(seconds: float) -> str:
    """A cron line for "every ``seconds``": whole minutes dividing an hour, whole hours
    dividing a day, or whole days; anything else needs an explicit cron line."""
    whole = int(seconds)
    minutes, hours, days = whole // 60, whole // 3600, whole // 86400
    if whole != seconds or whole <= 0 or whole % 60:
        raise ValueError(f"no cron line for every {seconds} s: give one")
    if minutes < 60 and 60 % minutes == 0:
        return "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"
    if whole % 3600 == 0 and hours < 24 and 24 % hours == 0:
        return "0 * * * *" if hours == 1 else f"0 */{hours} * * *"
    if whole % 86400 == 0:
        return "0 3 * * *" if days == 1 else f"0 3 */{days} * *"
    raise ValueError(f"no cron line for every {seconds} s: give one")


def periodic(name: str, *, every: float | timedelta, cron: str = "") -> Callable[[F], F]:
    """Register the decorated function (no arguments) as housekeeping the workers run every
    ``every`` (or at the times of ``cron``), one run at a time across all workers::

        @periodic("datahub.freshness", every=timedelta(days=1))
        def freshness_check() -> None: ...
    """
    seconds = every.total_seconds() if isinstance(every, timedelta) else float(every)
    cron = cron or every_cron(seconds)  # (a period cron cannot say fails here, at start-up)

    def register(run: F) -> F:
        periodic_registry.register(name, PeriodicTask(name, seconds, run, cron))
        return run

    return register


class JobContext:
    def __init__(self, job: Job) -> None:
        self.job = job
        self._last = 0.0

    @property
    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = self.job.payload  # a JSONField: always an object here
        return payload

    def progress(self, percent: float, message: str = "", force: bool = False) -> None:
        """Record progress (throttled to one write per half second). Raises
        :class:`JobCancelled` when staff cancelled the job meanwhile."""
        now = time.monotonic()
        if not force and now - self._last < 0.5:
            return
        self._last = now
        self.job.progress = max(0, min(100, int(percent)))
        if message:
            self.job.message = message[:300]
        written = (
            Job.objects.filter(pk=self.job.pk)
            .exclude(status=Job.Status.CANCELLED)
            .update(progress=self.job.progress, message=self.job.message)
        )
        if not written:
            raise JobCancelled(self.job.pk)


# --- queueing -----------------------------------------------------------------------------


class QueueConnector(DjangoConnector):
    """procrastinate's Django connector, reading the jobs' arguments as JSON: Django's
    connection hands ``jsonb`` over as text (for its JSONField), procrastinate's worker wants
    them parsed."""

    def _dictfetch(self, cursor: Any) -> Iterator[dict[str, Any]]:
        for row in super()._dictfetch(cursor):
            if isinstance(row.get("args"), str):
                row["args"] = json.loads(row["args"])
            yield row


def queue_manager() -> JobManager:
    """procrastinate's queue on this thread's Django connection: a job is deferred, cancelled
    or recovered in the transaction that records it in :class:`Job`."""
    if _Queue.manager is None:
        _Queue.manager = JobManager(QueueConnector())
    return _Queue.manager


class _Queue:
    manager: JobManager | None = None


def job_lock_name(kind: str, payload: dict[str, Any]) -> str:
    """The procrastinate lock of a job: jobs with the same one run one at a time."""
    key = lock_registry.get(kind)
    return key(payload) if key is not None else kind


def _queueing_lock(kind: str, payload: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode())
    return f"{kind}:{digest.hexdigest()[:32]}"


def _enqueue(kind: str, payload: dict[str, Any], user: Any, queueing_lock: str | None) -> Job:
    """The job and its procrastinate job, made in one transaction (both or neither)."""
    if kind not in job_registry:
        raise ValueError(f"unknown job kind {kind!r}")
    with transaction.atomic():
        job = Job.objects.create(kind=kind, payload=payload, created_by=user if user else None)
        deferrer = configure_task(
            name=TASK_NAME,
            job_manager=queue_manager(),
            queue=JOBS_QUEUE,
            lock=job_lock_name(kind, payload),
            queueing_lock=queueing_lock,
        )
        job.task_id = deferrer.defer(job_id=job.pk)
        job.save(update_fields=["task_id"])
    return job


def job_enqueue(*, kind: str, payload: dict[str, Any], user: Any = None) -> Job:
    return _enqueue(kind, payload, user, None)


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
    :func:`may_start` and call this from a POST. Two requests at once queue one job: the
    second meets the first's queueing lock and answers with its job."""
    job = pending_job(kind, payload)
    if job is not None and job.status != Job.Status.FAILED:
        return job
    owner = user if getattr(user, "pk", None) else None
    lock = _queueing_lock(kind, payload)
    for attempt in range(2):
        try:
            return _enqueue(kind, payload, owner, lock)
        except exceptions.AlreadyEnqueued:
            job = pending_job(kind, payload)
            if job is not None and job.status != Job.Status.FAILED:
                return job  # another request queued it first
            if attempt or not _release_orphaned_lock(lock):
                raise
    raise AssertionError("unreachable")


def _release_orphaned_lock(queueing_lock: str) -> bool:
    """Cancel the queued procrastinate jobs holding ``queueing_lock`` whose :class:`Job` is no
    longer queued (removed, or ended by the recovery or a cancellation while its task stayed
    in the queue): left there, they would refuse every new job for that input."""
    manager = queue_manager()
    released = False
    for task in manager.list_jobs(queueing_lock=queueing_lock, status="todo"):
        args = task.task_kwargs
        job_id = (json.loads(args) if isinstance(args, str) else args).get("job_id")
        live = isinstance(job_id, int) and (
            Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).exists()
        )
        if task.id is not None and not live:
            released = manager.cancel_job_by_id(task.id) or released
    return released


def job_cancel(job: Job) -> bool:
    """Cancel a queued or running job (staff only: callers check). A queued one never runs; a
    running one stops at its next progress report, and the statement it runs is cancelled
    (what it wrote in its transaction is rolled back). False: the job had ended already."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status not in (Job.Status.QUEUED, Job.Status.RUNNING):
            return False
        running = job.status == Job.Status.RUNNING
        job.status, job.finished_at = Job.Status.CANCELLED, timezone.now()
        job.save(update_fields=["status", "finished_at"])
        if job.task_id is not None:
            queue_manager().cancel_job_by_id(job.task_id, abort=True)
    if running:
        _cancel_statement(job.pk)
    log.warning("job %s (%s) cancelled", job.pk, job.kind)
    return True


def _cancel_statement(pk: int) -> None:
    """Cancel the statement of the session that runs job ``pk`` (it holds the job's lock)."""
    execute(LOCK_HOLDER_CANCEL_SQL, [LOCK_NAMESPACE, _lock_key(pk)])


# --- running ------------------------------------------------------------------------------


def _lock_key(pk: int) -> int:
    return pk % 2**31  # PostgreSQL's int4 key


def job_lock(pk: int) -> None:
    """Hold job ``pk``'s lock in this session (released by :func:`job_unlock` or when the
    session ends)."""
    execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, _lock_key(pk)])


def job_unlock(pk: int) -> None:
    with contextlib.suppress(DatabaseError):  # the connection is gone, and the lock with it
        execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, _lock_key(pk)])


def job_alive(pk: int) -> bool:
    """Does a session (this one included) hold job ``pk``'s lock, i.e. is it being run?"""
    return bool(fetch_value(LOCK_HELD_SQL, [LOCK_NAMESPACE, _lock_key(pk)]))


@dataclass(frozen=True)
class Attempt:
    """How a run may end: ``retry`` decides whether an error is tried again (and when)."""

    retry: Callable[[BaseException], int | None] = lambda exc: None


def job_run(job: Job, *, locked: bool = False) -> Job:
    """Run one job now, in this process (tests and the CLI; the worker runs it through
    procrastinate). ``locked``: the caller holds the job's lock already; it is released at
    the end. Its procrastinate job, if still queued, is dropped: the job is run here."""
    if not locked:
        job_lock(job.pk)
    try:
        if job.task_id is not None:
            _queued_task_drop(job.task_id)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
        job.status = Job.Status.RUNNING
        return _run(job, Attempt())
    finally:
        job_unlock(job.pk)


def _queued_task_drop(task_id: int) -> None:
    with contextlib.suppress(exceptions.ProcrastinateException):
        queue_manager().cancel_job_by_id(task_id, delete_job=True)


def _run(job: Job, attempt: Attempt) -> Job:
    """Run the handler of a job marked running; record how it ended (unless it was cancelled
    meanwhile). Re-raises an error that ``attempt`` retries, the job queued again."""
    handler = job_registry.get(job.kind)
    context = JobContext(job)
    retry_in: int | None = None
    try:
        if handler is None:
            raise JobError(f"Nieznany rodzaj zadania: {job.kind}")
        result = handler(context) or {}
    except JobError as exc:
        job.status, job.error = Job.Status.FAILED, str(exc)
    except JobCancelled:
        pass  # job_cancel recorded it
    except Exception as exc:  # noqa: BLE001 — recorded, never lost
        if _cancelled(job):  # (its statement was cancelled: the error is the cancellation)
            return job
        retry_in = attempt.retry(exc)
        if retry_in is not None:
            _requeue(job, exc, retry_in)
            raise
        log.exception("job %s failed", job.pk)
        job.status = Job.Status.FAILED
        job.error = f"Błąd wewnętrzny ({exc.__class__.__name__}). Zgłoś go administratorowi."
        job.result = {"traceback": traceback.format_exc()[-4000:]}
    else:
        job.status, job.result, job.progress = Job.Status.DONE, result, 100
    return _record(job)


def _cancelled(job: Job) -> bool:
    with contextlib.suppress(DatabaseError):
        job.refresh_from_db(fields=["status", "finished_at"])
    return job.status == Job.Status.CANCELLED


def _record(job: Job) -> Job:
    """Write how the job ended — unless staff cancelled it meanwhile (then: as cancelled)."""
    job.finished_at = timezone.now()
    written = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        status=job.status,
        error=job.error,
        result=job.result,
        progress=job.progress,
        finished_at=job.finished_at,
    )
    if not written:
        job.refresh_from_db()
    return job


def _requeue(job: Job, exc: BaseException, retry_in: int) -> None:
    log.warning("job %s: %r, tried again in %s s", job.pk, exc, retry_in)
    message = RETRY_MESSAGE.format(error=exc.__class__.__name__, seconds=retry_in)[:300]
    for _attempt in range(2):
        try:
            Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.QUEUED, message=message
            )
            return
        except DatabaseError:
            if connection.in_atomic_block:
                return
            # the error was the connection's: once more on a new one (else the job stays
            # "running" without its lock, and the recovery fails it)
            connection.close()


def job_claim(pk: int) -> Job | None:
    """Job ``pk`` marked running, its lock held by this session (taken before the mark is
    committed: no one ever sees it running and unlocked while it lives) — or None when it is
    no longer queued (cancelled, run already, deleted)."""
    with transaction.atomic():
        job = (
            Job.objects.select_for_update()
            .filter(pk=pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
            .first()
        )
        # (running: an attempt that failed with a lost connection could not queue it again)
        if job is None or (job.status == Job.Status.RUNNING and job_alive(pk)):
            return None
        job_lock(job.pk)
        try:
            job.status, job.started_at = Job.Status.RUNNING, timezone.now()
            job.save(update_fields=["status", "started_at"])
        except BaseException:
            job_unlock(job.pk)  # (a session lock outlives the rollback)
            raise
    return job


class Runs:
    """How many jobs this process ran (``worker_loop(once=True)`` answers it)."""

    count = 0


def task_body(context: TaskContext, job_id: int) -> None:
    """What procrastinate's task ``miasto.job`` does: claim the job and run it."""
    if not connection.in_atomic_block:  # (tests run inside a transaction)
        close_old_connections()
    job = job_claim(job_id)
    if job is None:
        log.info("job %s is no longer queued (cancelled or run already): skipped", job_id)
        return
    Runs.count += 1
    try:
        _run(job, Attempt(lambda exc: _retry_in(exc, context)))
    finally:
        job_unlock(job.pk)
    if job.status == Job.Status.CANCELLED:
        raise exceptions.JobAborted()
    if job.status == Job.Status.FAILED:  # procrastinate's record says so too (no retry)
        raise JobFailed(f"job {job.pk} ({job.kind}) failed: {job.error}")


def _retry_in(exc: BaseException, context: TaskContext) -> int | None:
    """Seconds until the next attempt after ``exc`` (procrastinate's decision), or None."""
    if context.job is None:
        return None
    decision = RETRY.get_retry_decision(exception=exc, job=context.job)
    if decision is None:
        return None
    if decision.retry_at is None:
        return 0
    return max(0, round((decision.retry_at - timezone.now()).total_seconds()))


async def job_task(context: TaskContext, job_id: int) -> None:
    """The task: :func:`task_body` in Django's thread for synchronous code. procrastinate
    aborts a cancelled asynchronous job by cancelling its asyncio task; the handler's thread
    cannot be stopped that way, so the task waits for it (it stops at its next progress
    report)."""
    run = asyncio.ensure_future(sync_to_async(task_body, thread_sensitive=True)(context, job_id))
    while True:
        try:
            return await asyncio.shield(run)
        except asyncio.CancelledError:
            if run.done():
                raise


def register_task(app: App) -> None:
    if TASK_NAME not in app.tasks:
        app.task(name=TASK_NAME, queue=JOBS_QUEUE, pass_context=True, retry=RETRY)(job_task)


register_task(procrastinate_app)


# --- recovery -----------------------------------------------------------------------------


def jobs_recover() -> list[Job]:
    """Fail the running jobs whose worker is gone (nobody holds their lock), then run the
    clean-up their kind registered; put back in the queue the jobs of dead workers that never
    started. Returns the failed jobs."""
    recovered = []
    for pk in Job.objects.filter(status=Job.Status.RUNNING).values_list("pk", flat=True):
        job = _abandon(pk)
        if job is None:
            continue
        log.warning("job %s (%s) was abandoned by its worker: failed", job.pk, job.kind)
        cleanup = abandoned_registry.get(job.kind)
        if cleanup is not None:
            try:
                cleanup(job)
            except Exception:  # noqa: BLE001 — the periodic clean-ups catch what is left
                log.exception("clean-up after abandoned job %s failed", job.pk)
        recovered.append(job)
    _stalled_requeue()
    return recovered


def _abandon(pk: int) -> Job | None:
    """Job ``pk`` failed as abandoned (and its procrastinate job with it, which else would hold
    its lock for ever), or None when it is alive or not running any more."""
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=Job.Status.RUNNING)
            .first()
        )
        if job is None or job_alive(pk):
            return None
        job.status, job.error = Job.Status.FAILED, ABANDONED_MESSAGE
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        if job.task_id is not None:
            _task_finish(job.task_id, procrastinate_jobs.Status.FAILED)
    return job


def _task_finish(task_id: int, status: procrastinate_jobs.Status) -> None:
    """End procrastinate job ``task_id`` if it is still queued or taken."""
    execute(
        "SELECT procrastinate_finish_job_v1(id, %s::procrastinate_job_status, false) "
        "FROM procrastinate_jobs WHERE id = %s AND status IN ('todo', 'doing')",
        [status.value, task_id],
    )


def _stalled_requeue() -> None:
    """The procrastinate jobs a dead worker (no heartbeat for a while) had taken: queued again
    when their job never started, ended when it had (:func:`_abandon` failed it)."""
    manager = queue_manager()
    stalled = manager.connector.get_sync_connector().execute_query_all(
        query=procrastinate_sql.queries["select_stalled_jobs_by_heartbeat"],
        queue=JOBS_QUEUE,
        task_name=TASK_NAME,
        seconds_since_heartbeat=STALLED_AFTER_SECONDS,
    )
    for row in stalled:
        job_id = row["args"].get("job_id")
        status = Job.objects.filter(pk=job_id).values_list("status", flat=True).first()
        if status == Job.Status.QUEUED:
            log.warning("job %s was taken by a worker that died: queued again", job_id)
            # (due at once: a time past on any clock, the database's included)
            manager.retry_job_by_id(row["id"], retry_at=timezone.now() - timedelta(days=1))
        elif status != Job.Status.RUNNING:
            _task_finish(row["id"], procrastinate_jobs.Status.FAILED)


# --- periodic tasks -----------------------------------------------------------------------


def periodic_run_due(last_run: dict[str, float], now: float | None = None) -> list[str]:
    """Run the periodic tasks that are due (``last_run``: task → monotonic time of its last
    run, updated) in this process (``miasto worker --once``). A failing task is logged and
    retried at its next period; it never stops the caller."""
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


#: procrastinate's rows of finished jobs are kept this long (the :class:`Job` records that
#: people see stay; each periodic run adds a row, so the queue table would only grow)
QUEUE_KEPT = timedelta(days=7)
FINISHED = ("succeeded", "failed", "cancelled", "aborted")


def queue_prune() -> None:
    """Delete the queue's rows of jobs that finished more than :data:`QUEUE_KEPT` ago, by
    procrastinate's own statement (``delete_old_jobs``; their events go with them)."""
    execute(
        procrastinate_sql.queries["delete_old_jobs"],
        {
            "nb_hours": int(QUEUE_KEPT.total_seconds() // 3600),
            "queue": None,
            "statuses": list(FINISHED),
        },
    )


periodic("core.queue_prune", every=timedelta(days=1))(queue_prune)
