"""``miasto worker``: procrastinate's worker running the jobs and periodic tasks of
:mod:`miasto.core.jobs` — started again when the database goes away, stopped by SIGTERM or
SIGINT once its job ends (at once on a second signal) — and ``worker_loop(once=True)``, the
queue run in this process and thread (``miasto worker --once``, tests)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from asgiref.sync import async_to_sync, sync_to_async
from django.db import close_old_connections, connection, connections
from procrastinate import App
from procrastinate.contrib.django import app as procrastinate_app
from procrastinate.contrib.django.utils import connector_params
from procrastinate.psycopg_connector import PsycopgConnector

from miasto.core.jobs import (
    JOBS_QUEUE,
    PERIODIC_QUEUE,
    RECOVER_CRON,
    PeriodicTask,
    QueueConnector,
    Runs,
    jobs_recover,
    periodic_registry,
    periodic_run_due,
    register_task,
)

log = logging.getLogger(__name__)


# --- periodic tasks -----------------------------------------------------------------------


def _periodic_body(task: PeriodicTask) -> Callable[[int], None]:
    def run(timestamp: int) -> None:
        try:
            task.run()
        finally:
            # procrastinate runs it in a pool thread, a different one each time: its
            # connection is not reused, so it is not left open for CONN_MAX_AGE
            connections.close_all()

    run.__name__ = run.__qualname__ = task.name.replace(".", "_")
    return run


def periodic_schedule(app: App) -> list[str]:
    """Make the periodic tasks procrastinate tasks deferred by the workers on their schedule
    (the registered ones and the recovery of abandoned jobs); each runs one at a time (its
    lock) and is queued once (its queueing lock). Returns their task names."""
    recover = PeriodicTask("core.jobs_recover", 60.0, jobs_recover, RECOVER_CRON)
    tasks = [*periodic_registry, recover]
    names = []
    for task in tasks:
        name = f"periodic.{task.name}"
        names.append(name)
        if name in app.tasks:
            continue
        procrastinate_task = app.task(
            name=name, queue=PERIODIC_QUEUE, lock=name, queueing_lock=name
        )(_periodic_body(task))
        app.periodic(cron=task.schedule)(procrastinate_task)
    return names


# --- the worker ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerOptions:
    poll: float = 5.0
    restart_after: float = 5.0


def _sync_app() -> App:
    """An app on this thread's Django connection (it sees this transaction's rows) that runs
    jobs only: ``worker --once`` and tests run the queue with it, in this thread."""
    if _DrainApp.app is None:
        app = App(connector=QueueConnector())
        register_task(app)
        _DrainApp.app = app
    return _DrainApp.app


class _DrainApp:
    app: App | None = None


def worker_loop(*, once: bool = False, poll: float = 5.0, periodic: bool | None = None) -> int:
    """Run jobs: with ``once`` the queued ones, in this process and thread, then stop (and run
    the periodic tasks once with ``periodic``); without, the procrastinate worker until stopped
    (SIGTERM, SIGINT), periodic tasks included. Either first fails the jobs other workers
    abandoned (:func:`jobs_recover`). Returns the number of jobs run."""
    periodic = not once if periodic is None else periodic
    if not once:
        asyncio.run(_serve(WorkerOptions(poll=poll)))
        return Runs.count
    if not connection.in_atomic_block:  # (tests run inside a transaction)
        close_old_connections()
    jobs_recover()
    if periodic:
        periodic_run_due({})
    before = Runs.count
    async_to_sync(_sync_app().run_worker_async)(
        queues=[JOBS_QUEUE], wait=False, listen_notify=False, install_signal_handlers=False
    )
    return Runs.count - before


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def _serve(options: WorkerOptions) -> None:
    """procrastinate's worker, started again when it stops on a lost database (the database
    restarted, the network failed): a job running then lost its lock with the connection and
    is failed by the recovery once the worker is connected again."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, _on_stop_signal, stop)
    periodic_schedule(procrastinate_app)
    while not stop.is_set():
        try:
            await sync_to_async(_recover_now, thread_sensitive=True)()
            await _until(_worker_run(options), stop)
            if not stop.is_set():  # procrastinate stops it when LISTEN or the heartbeat fails
                log.warning("the worker stopped (database connection lost?); it starts again")
        except Exception:  # noqa: BLE001 — a lost database must not end the worker
            log.exception("the worker stopped on an error; it starts again")
            await sync_to_async(connections.close_all, thread_sensitive=True)()
        if not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), options.restart_after)


def _on_stop_signal(stop: asyncio.Event) -> None:
    """The first signal stops the worker once its job ends; a second one at once (the job's
    session ends with the process: the next worker fails it, nothing of it is kept)."""
    if stop.is_set():
        log.warning("stopped again: the worker ends now, its job is failed by the next one")
        os._exit(1)
    log.warning("stopping: the worker ends when its job does (stop again to end it now)")
    stop.set()


def _recover_now() -> None:
    close_old_connections()
    jobs_recover()


async def _worker_run(options: WorkerOptions) -> None:
    # the queue's own pool: one connection listens, one or two fetch, finish and beat (the job
    # runs on Django's connection in its thread)
    connector = PsycopgConnector(kwargs=connector_params(), min_size=2, max_size=3)
    with procrastinate_app.replace_connector(connector) as app:
        async with app.open_async():
            await app.run_worker_async(
                name=worker_name(),
                fetch_job_polling_interval=options.poll,
                install_signal_handlers=False,
            )


T = TypeVar("T")


async def _until(work: Coroutine[Any, Any, T], stop: asyncio.Event) -> None:
    """Run ``work`` until it ends or ``stop`` is set; then stop it gracefully (procrastinate's
    worker ends the job it runs first)."""
    task = asyncio.ensure_future(work)
    stopped = asyncio.ensure_future(stop.wait())
    await asyncio.wait([task, stopped], return_when=asyncio.FIRST_COMPLETED)
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return
    stopped.cancel()
    task.result()
