"""A worker killed in the middle of an import (issue #12, reliability).

A real ``miasto worker`` process imports a new parcels version; this test holds the dataset's
row so that the import waits in its last transaction — the staging tables made, the version
being written — and kills the worker there (SIGKILL: no clean-up of its own). When a worker
starts again, the job is failed with a message, no second version exists, the first one is
still current and the spine still holds it, and the dead import's staging tables, work folder
and upload are gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from miasto.core.jobs import job_enqueue
from miasto.core.models import Job
from miasto.datahub import services
from miasto.datahub.models import Dataset
from miasto.territory.models import Parcel
from tests.datahub.conftest import data_tables, parcel_features, write_geojson

pytestmark = pytest.mark.django_db(transaction=True)


def worker_env(work_dir: Path) -> dict[str, str]:
    """The environment of a worker process on the test database."""
    s = connection.settings_dict
    url = (
        f"postgis://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        f"/{s['NAME']}"
    )
    return dict(os.environ, DATABASE_URL=url, MIASTO_WORK_DIR=str(work_dir))


def wait_for(check: Callable[[], Any], what: str, timeout: float = 90.0) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if value := check():
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def backend_waiting_on_lock(job: Job) -> int | None:
    job.refresh_from_db()
    assert job.status in ("queued", "running"), (job.status, job.error, job.result)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_stat_clear_snapshot()")  # (read once a transaction otherwise)
        cur.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        row = cur.fetchone()
    return row[0] if row else None


def backend_alive(pid: int) -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s)", [pid])
        return bool(cur.fetchone()[0])


def spine() -> dict[str, str]:
    return dict(Parcel.objects.values_list("identifier", "land_use"))


def test_killed_worker_leaves_no_half_written_version(city, make_dataset, tmp_path, work_dir):  # type: ignore[no-untyped-def]
    dataset = make_dataset("parcels")
    first = services.version_import(
        dataset=dataset,
        path=write_geojson(tmp_path / "a.geojson", parcel_features(range(10))),
        source_name="a.geojson",
    )
    assert first.status == "ready" and first.is_current
    before = spine()
    upload = work_dir / "uploads" / ("a" * 32) / "b.geojson"
    upload.parent.mkdir(parents=True)
    write_geojson(upload, parcel_features(range(15), land_use="R"))
    job = job_enqueue(
        kind="datahub.import",
        payload={"dataset_id": dataset.pk, "path": str(upload), "source_name": "b.geojson"},
    )
    env = worker_env(work_dir)
    log = (tmp_path / "worker.log").open("w")
    with transaction.atomic():
        Dataset.objects.select_for_update().get(pk=dataset.pk)  # the version's writer waits
        worker = subprocess.Popen(
            [sys.executable, "-m", "miasto", "worker"], env=env, stdout=log, stderr=log
        )
        try:
            pid = wait_for(lambda: backend_waiting_on_lock(job), "the import to wait")
            assert Job.objects.get(pk=job.pk).status == "running"
            assert any(t.startswith("stg_") for t in data_tables())  # its work is there
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        finally:
            if worker.poll() is None:
                worker.kill()
    # the dead worker's session gets the row now, finds its client gone and rolls back
    wait_for(lambda: not backend_alive(pid), "the killed worker's session to end")
    assert Job.objects.get(pk=job.pk).status == "running"  # nobody has noticed yet

    # a worker starts again
    again = subprocess.run(
        [sys.executable, "-m", "miasto", "worker", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    job.refresh_from_db()
    assert job.status == "failed" and "przerwane" in job.error and job.finished_at
    assert list(dataset.versions.values_list("number", flat=True)) == [1]
    assert Dataset.objects.get(pk=dataset.pk).current_version == first
    assert spine() == before
    assert data_tables() == [f"v{first.pk}"]  # no staging or work table left
    assert not [p for p in work_dir.iterdir() if p.name.startswith("import-")]
    assert not upload.parent.exists()
