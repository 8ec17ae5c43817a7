"""Bounds on the work one web request can cause.

- :func:`run_bounded` runs a CPU-heavy call (a PDF layout) in a child process with a deadline,
  a CPU-time limit and an address-space limit: a pathological input costs the request a 503,
  never a worker held for minutes or gigabytes of memory. The child is forked, so it starts
  warm (libraries and fonts the parent loaded) and needs no arguments pickled; only its result
  comes back (pickled through a pipe). It must not use the database: it shares the parent's
  connection socket, so its handles are detached first (a query would open a connection of
  its own).
- :class:`StatementTimeoutMiddleware` sets PostgreSQL's ``statement_timeout`` for the duration
  of each web request (``MIASTO_WEB_STATEMENT_TIMEOUT_MS``; the worker, CLI commands and
  migrations never pass through it, so they run unbounded) and answers a query cancelled by it
  with 503 and a Polish message instead of a 500. In a web server's process the connections
  carry the timeout from the start (settings: ``MIASTO_WEB_PROCESS``), which saves the SET and
  RESET around each request.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import math
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import DatabaseError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from psycopg import sql

from miasto.core.db import execute
from miasto.core.errors import service_unavailable

log = logging.getLogger(__name__)
T = TypeVar("T")


class LimitExceeded(Exception):
    """The bounded call ran out of time (``kind == "time"``) or memory (``"memory"``)."""

    def __init__(self, kind: str, seconds: float, memory_mb: int) -> None:
        super().__init__(f"{kind} limit exceeded ({seconds} s, {memory_mb} MB)")
        self.kind = kind
        self.seconds = seconds
        self.memory_mb = memory_mb


def _vm_size() -> int:
    """This process's current address-space size in bytes (Linux ``/proc``)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _trim_heap() -> None:
    """Give the heap's free pages back to the system before forking: the child's budget is
    address space on top of what is mapped, and free pages still mapped would be spent
    without counting (glibc's ``malloc_trim``; elsewhere nothing to do)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _child(
    func: Callable[..., Any], args: tuple[Any, ...], memory_mb: int, cpu: float | None, out: int
) -> None:
    """Run in the forked child: limit memory (and CPU), call, write the pickled outcome, never
    return."""
    code = 0
    # the parent's connections, kept referenced: freed, libpq would say goodbye on the shared
    # socket and end the parent's session
    kept = []
    try:
        for conn in connections.all(initialized_only=True):  # never talk on the parent's socket
            kept.append(conn.connection)
            conn.connection = None
            conn.in_atomic_block = False
        # the budget on top of what the parent already had mapped when it forked
        limit = _vm_size() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if cpu is not None:  # a forked child's CPU time starts at 0; SIGXCPU ends it
            whole = max(1, math.ceil(cpu))
            resource.setrlimit(resource.RLIMIT_CPU, (whole, whole + 1))
        try:
            outcome: tuple[str, Any] = ("ok", func(*args))
        except (MemoryError, SystemError):
            # a C extension whose allocation failed under the ceiling raises SystemError
            # ("error return without exception set") rather than MemoryError
            outcome = ("memory", None)
        except Exception as exc:  # noqa: BLE001 — re-raised in the parent
            outcome = ("error", exc)
        try:
            data = pickle.dumps(outcome)
        except Exception as exc:  # noqa: BLE001 — an unpicklable exception: keep its text
            data = pickle.dumps(("error", RuntimeError(repr(exc))))
        view = memoryview(data)
        while view:
            view = view[os.write(out, view) :]
    except BaseException:  # noqa: BLE001 — the child must never run the parent's code on
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no connection close: the parent owns those


def run_bounded(
    func: Callable[..., T],
    *args: Any,
    seconds: float,
    memory_mb: int,
    cpu_seconds: float | None = None,
) -> T:
    """``func(*args)`` computed in a forked child within ``seconds`` of wall time, at most
    ``cpu_seconds`` of CPU time (whole seconds, at least 1: the work's own cost, whatever the
    machine's load) and ``memory_mb`` MB of address space more than this process has; raises
    :class:`LimitExceeded` when it does not finish in time or runs out of memory, and
    re-raises its exception otherwise. Where ``fork`` is missing, calls ``func`` directly."""
    if not hasattr(os, "fork"):  # pragma: no cover — non-POSIX development machines
        return func(*args)
    _trim_heap()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover — the child (coverage does not follow it)
        os.close(read_end)
        _child(func, args, memory_mb, cpu_seconds, write_end)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    ended = timed_out = False
    try:
        while not ended:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _w, _x = select.select([read_end], [], [], left)
            if ready:
                chunk = os.read(read_end, 1 << 20)
                chunks.append(chunk)
                ended = not chunk
    finally:  # also when this process is interrupted: never leave the child running
        os.close(read_end)
        if not ended:
            os.kill(pid, signal.SIGKILL)
        _pid, status = os.waitpid(pid, 0)
    if timed_out:
        raise LimitExceeded("time", seconds, memory_mb)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        raise LimitExceeded("time", cpu_seconds or seconds, memory_mb)  # its CPU time
    if os.waitstatus_to_exitcode(status) != 0:
        # crashed (a C library's allocation failed) or could not send its result
        log.warning("bounded child ended with status %s", status)
        raise LimitExceeded("memory", seconds, memory_mb)
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "memory":
        raise LimitExceeded("memory", seconds, memory_mb)
    if kind == "error":
        raise value
    return cast(T, value)  # what fn returned, pickled by the child


# --- statement timeout of web requests ----------------------------------------------------

TIMEOUT_MESSAGE = (
    "Zapytanie do bazy danych trwało dłużej niż {seconds} s i zostało przerwane. "
    "Zawęź zakres (mniej działek, krótszy okres, jedna dzielnica) albo spróbuj później."
)


def _is_timeout(exc: BaseException) -> bool:
    from psycopg import errors

    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, errors.QueryCanceled):
            return True
        cause = cause.__cause__
    return False


def _set_timeout(ms: int) -> None:
    # (SET takes no parameters: the value goes in as a literal)
    execute(sql.SQL("SET statement_timeout = {}").format(sql.Literal(int(ms))))


class StatementTimeoutMiddleware:
    """Every web request's queries run under ``statement_timeout`` (setting
    ``MIASTO_WEB_STATEMENT_TIMEOUT_MS``, 0 = none); reset when the request ends, since the
    connection outlives it (persistent connections, the test client). Put it after
    :class:`miasto.core.errors.JsonErrorMiddleware`, so that its ``process_exception`` sees a
    cancelled query first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ms = int(getattr(settings, "MIASTO_WEB_STATEMENT_TIMEOUT_MS", 0) or 0)
        if ms <= 0 or settings.MIASTO_WEB_PROCESS:  # (then the connection has it: settings)
            return self.get_response(request)
        try:
            _set_timeout(ms)
        except DatabaseError:  # database down: the view answers that in its own way
            return self.get_response(request)
        try:
            return self.get_response(request)
        finally:
            # an aborted transaction: the setting resets with its rollback
            with contextlib.suppress(DatabaseError):
                execute("RESET statement_timeout")

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError) or not _is_timeout(exception):
            return None

        ms = int(getattr(settings, "MIASTO_WEB_STATEMENT_TIMEOUT_MS", 0) or 0)
        message = TIMEOUT_MESSAGE.format(seconds=f"{ms / 1000:g}".replace(".", ","))
        return service_unavailable(request, message, code="timeout")
