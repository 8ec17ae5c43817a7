"""Bounds of a web request: :func:`run_bounded` (a forked child with a deadline and a memory
limit) and the statement timeout of web requests' queries."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from miasto.core.limits import LimitExceeded, run_bounded


def _spin() -> None:
    while True:
        pass


def _allocate(mb: int) -> int:
    return len(bytearray(mb * 1024 * 1024))


def _fail() -> None:
    raise ValueError("zła wartość")


def test_result_comes_back():
    assert run_bounded(sum, [1, 2, 3], seconds=30, memory_mb=100) == 6
    assert run_bounded(_allocate, 20, seconds=30, memory_mb=100) == 20 * 1024 * 1024


def test_time_limit_kills_the_child():
    with pytest.raises(LimitExceeded) as info:
        run_bounded(_spin, seconds=0.3, memory_mb=100)
    assert info.value.kind == "time"


def test_cpu_limit_kills_the_child():
    """The CPU limit counts the work's own time, whatever the machine's load."""
    with pytest.raises(LimitExceeded) as info:
        run_bounded(_spin, seconds=120, memory_mb=100, cpu_seconds=1)
    assert info.value.kind == "time" and info.value.seconds == 1


def test_interrupted_parent_leaves_no_child():
    """An exception in the waiting parent (here an alarm) kills and reaps the child."""
    import os
    import signal

    def expired(signum, frame):  # type: ignore[no-untyped-def]
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        with pytest.raises(TimeoutError):
            run_bounded(_spin, seconds=120, memory_mb=100)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_memory_limit():
    with pytest.raises(LimitExceeded) as info:
        run_bounded(_allocate, 400, seconds=30, memory_mb=50)
    assert info.value.kind == "memory"


def test_exception_is_raised_in_the_parent():
    with pytest.raises(ValueError, match="zła wartość"):
        run_bounded(_fail, seconds=30, memory_mb=100)


def test_parent_connection_survives(db):
    """The child shares the parent's database socket: it must not end the session."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    run_bounded(sum, [1], seconds=30, memory_mb=100)
    with pytest.raises(LimitExceeded):
        run_bounded(_spin, seconds=0.2, memory_mb=100)
    time.sleep(0.05)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] == pid


# --- statement timeout ------------------------------------------------------------------


@pytest.mark.urls("tests.core.timeout_urls")
def test_web_request_has_the_timeout(client, db, settings):
    settings.MIASTO_WEB_STATEMENT_TIMEOUT_MS = 1500
    assert client.get("/api/v1/test/show").json() == {"statement_timeout": "1500ms"}
    # reset after the request: the connection is the test's (or the next request's)
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.urls("tests.core.timeout_urls")
def test_timeout_off(client, db, settings):
    settings.MIASTO_WEB_STATEMENT_TIMEOUT_MS = 0
    assert client.get("/api/v1/test/show").json() == {"statement_timeout": "0"}


def test_default_is_a_few_seconds(settings):
    assert 1000 <= settings.MIASTO_WEB_STATEMENT_TIMEOUT_MS <= 30_000


@pytest.mark.urls("tests.core.timeout_urls")
def test_cancelled_query_is_503_in_polish(client, transactional_db, settings):
    settings.MIASTO_WEB_STATEMENT_TIMEOUT_MS = 200
    response = client.get("/api/v1/test/slow")
    assert response.status_code == 503
    body = response.json()
    assert body["error"] == "timeout"
    assert "trwało dłużej niż 0,2 s" in body["message"]
    assert response["Retry-After"]
    page = client.get("/strona/slow")
    assert page.status_code == 503
    assert "przerwane" in page.content.decode()
    with connection.cursor() as cursor:  # the session is usable and unbounded again
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


def test_a_web_server_process_has_the_timeout_on_its_connections(db):
    """gunicorn's workers load config/wsgi.py: their connections open with the timeout, and no
    SET or RESET goes with each request."""
    import os
    import subprocess
    import sys

    d = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgis://{d['USER']}:{d['PASSWORD']}@{d['HOST']}:{d['PORT']}/{d['NAME']}",
        "MIASTO_WEB_STATEMENT_TIMEOUT_MS": "2500",
    }
    env.pop("MIASTO_WEB_PROCESS", None)
    code = (
        "import miasto.config.wsgi\n"
        "from django.conf import settings\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW statement_timeout')\n"
        "    print(c.fetchone()[0], settings.MIASTO_WEB_PROCESS)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["2500ms", "True"]


def test_commands_run_without_timeout(db):
    """Outside web requests (worker, CLI, migrations) nothing sets a timeout."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
