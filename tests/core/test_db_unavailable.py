"""The web app through a database outage (issue #12, reliability).

A real gunicorn process (persistent connections, health checks: the production settings)
serves the test database. Its connections are ended under it, as a PostgreSQL restart ends
them: the next requests reconnect without an error. While the database refuses connections,
every request gets a 503 with a Polish message — JSON under /api/, a page in the site's layout
otherwise — and once it accepts them again everything works, without restarting the app.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.territory import factories as tf

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read().decode()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    s = connection.settings_dict
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=(
            f"postgis://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:"
            f"{s['PORT'] or 5432}/{s['NAME']}"
        ),
        MIASTO_TILE_CACHE_DIR=str(tmp_path / "tiles"),
    )
    env.pop("DEBUG", None)
    log = (tmp_path / "gunicorn.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "miasto.config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "4", "--timeout", "60"],
        env=env, stdout=log, stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        end = time.monotonic() + 90
        while True:
            try:
                if get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None and time.monotonic() < end, "gunicorn did not start"
            time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def admin(sql: str) -> None:
    """As the app's role, on the server's maintenance database (a database's owner may stop
    connections to it and end its own role's sessions)."""
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(sql)


def end_sessions() -> None:
    """End the app's sessions and wait until they are gone (``pg_terminate_backend`` only
    signals them: a request in between would meet a session still dying, which a real restart,
    over before the server accepts again, does not leave)."""
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT array_agg(pid) FILTER (WHERE pg_terminate_backend(pid)) "
            "FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        pids = cur.fetchone()[0] or []
        end = time.monotonic() + 10
        while pids and time.monotonic() < end:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY (%s)", [pids])
            if cur.fetchone()[0] == 0:
                break
            time.sleep(0.02)


def test_requests_during_an_outage_get_503_then_the_app_recovers(server):  # type: ignore[no-untyped-def]
    base, proc = server
    tf.CityFactory()
    parcel = tf.ParcelFactory()
    urls = [f"{base}/api/v1/city", f"{base}/api/v1/parcels/{parcel.identifier}", f"{base}/"]
    load = urls * 4
    with ThreadPoolExecutor(8) as pool:
        assert [r[0] for r in pool.map(get, load)] == [200] * len(load)

        # the database restarts between two requests: the app's sessions end under it
        end_sessions()
        assert [r[0] for r in pool.map(get, load)] == [200] * len(load)

        # ... and while it is down, nothing connects
        name = connection.settings_dict["NAME"]
        admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            end_sessions()
            during = list(pool.map(get, load))
        finally:
            admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        assert [r[0] for r in during] == [503] * len(load)
        for url, (_status, ctype, body) in zip(load, during, strict=True):
            if "/api/" in url:
                assert ctype.startswith("application/json")
                assert "Baza danych jest chwilowo niedostępna" in body
            else:  # a page of the site, in Polish
                assert ctype.startswith("text/html")
                assert "Baza danych jest chwilowo niedostępna." in body
                assert 'class="site-header"' in body and "Usługa chwilowo niedostępna" in body

        # back: everything works again, in the same process
        assert [r[0] for r in pool.map(get, load)] == [200] * len(load)
    assert proc.poll() is None
