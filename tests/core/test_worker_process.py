"""A ``miasto worker`` process outlives a database outage (issue #12, reliability): its
session ended under it and connections refused for a while, it connects again when the
database is back and runs the next job. Staff cancel a job it runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from miasto.core.jobs import job_cancel, job_enqueue
from miasto.core.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(check: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if value := check():
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def maintenance(sql: str) -> None:
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(sql)


def other_sessions() -> list[int]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [r[0] for r in cur.fetchall()]


def worker_env(tmp_path: Path) -> dict[str, str]:
    s = connection.settings_dict
    return dict(
        os.environ,
        DATABASE_URL=f"postgis://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}",
        MIASTO_WORK_DIR=str(tmp_path / "work"),
    )


def test_worker_reconnects_after_its_session_ends(tmp_path: Path) -> None:
    env = worker_env(tmp_path)
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "miasto", "worker"], env=env, stdout=log, stderr=log
    )
    try:
        first = job_enqueue(kind="planning.capacity", payload={"as_of": "nie-data"})
        wait_for(lambda: Job.objects.get(pk=first.pk).status == "failed", "the first job")
        # the database goes down: the worker's sessions end, new ones are refused for a while
        name = connection.settings_dict["NAME"]
        maintenance(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            with connection.cursor() as cur:
                for pid in other_sessions():
                    cur.execute("SELECT pg_terminate_backend(%s)", [pid])
            time.sleep(3)  # the worker looks for jobs every second: it meets the refusal
        finally:
            maintenance(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        second = job_enqueue(kind="planning.capacity", payload={"as_of": "też-nie-data"})
        wait_for(lambda: Job.objects.get(pk=second.pk).status != "queued", "the second job")
        second.refresh_from_db()
        assert (second.status, second.error) == ("failed", "Błędna data w parametrach zadania.")
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def waiting_on_lock() -> int | None:
    """The backend of another session waiting for a lock, if any."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_stat_clear_snapshot()")  # (read once a transaction otherwise)
        cur.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        row = cur.fetchone()
    return row[0] if row else None


def test_staff_cancel_a_running_job(tmp_path: Path) -> None:
    """A capacity run waits on a table another session locked; cancelled, its statement is
    cancelled, it ends "cancelled" (its procrastinate job aborted), and the worker goes on."""
    env = worker_env(tmp_path)
    log = (tmp_path / "worker.log").open("w")
    params = connection.get_connection_params()
    with psycopg.connect(**params) as blocker:
        blocker.execute("LOCK TABLE planning_capacity_run IN ACCESS EXCLUSIVE MODE")
        worker = subprocess.Popen(
            [sys.executable, "-m", "miasto", "worker"], env=env, stdout=log, stderr=log
        )
        try:
            job = job_enqueue(kind="planning.capacity", payload={"as_of": "2024-01-01"})
            pid = wait_for(waiting_on_lock, "the capacity run to wait")
            assert Job.objects.get(pk=job.pk).status == "running"
            assert job_cancel(Job.objects.get(pk=job.pk))
            wait_for(lambda: waiting_on_lock() != pid, "the statement to be cancelled")
            blocker.rollback()
            wait_for(lambda: task_status(job) == "aborted", "the procrastinate job to end")
            job.refresh_from_db()
            assert (job.status, job.result, job.error) == ("cancelled", {}, "")
            # the worker goes on with the next job
            second = job_enqueue(kind="planning.capacity", payload={"as_of": "nie-data"})
            wait_for(lambda: Job.objects.get(pk=second.pk).status == "failed", "the next job")
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        finally:
            worker.terminate()
            worker.wait(timeout=30)


def task_status(job: Job) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT status::text FROM procrastinate_jobs WHERE id = %s", [job.task_id])
        return str(cur.fetchone()[0])
