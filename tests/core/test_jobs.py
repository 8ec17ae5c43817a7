"""The PostgreSQL job queue: enqueue, run, progress, failures with readable messages."""

from __future__ import annotations

import pytest

from miasto.core import jobs
from miasto.core.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def handlers():  # type: ignore[no-untyped-def]
    def ok(ctx: jobs.JobContext) -> dict:
        ctx.progress(50, "połowa", force=True)
        assert Job.objects.get(pk=ctx.job.pk).progress == 50
        return {"sum": sum(ctx.payload["numbers"])}

    def bad_input(ctx: jobs.JobContext) -> None:
        raise jobs.JobError("Plik jest pusty.")

    def crash(ctx: jobs.JobContext) -> None:
        raise RuntimeError("boom")

    for name, fn in [("test.ok", ok), ("test.bad", bad_input), ("test.crash", crash)]:
        jobs.job_registry.register(name, fn)
    yield
    for name in ("test.ok", "test.bad", "test.crash"):
        jobs.job_registry.unregister(name)


def test_job_runs_and_reports_result(handlers):  # type: ignore[no-untyped-def]
    job = jobs.job_enqueue(kind="test.ok", payload={"numbers": [1, 2, 3]})
    assert job.status == Job.Status.QUEUED
    assert jobs.worker_loop(once=True) == 1
    job.refresh_from_db()
    assert (job.status, job.progress, job.result) == ("done", 100, {"sum": 6})
    assert job.message == "połowa" and job.finished_at is not None


def test_user_error_is_kept_verbatim(handlers):  # type: ignore[no-untyped-def]
    job = jobs.job_run(jobs.job_enqueue(kind="test.bad", payload={}))
    job.refresh_from_db()
    assert job.status == "failed" and job.error == "Plik jest pusty."


def test_crash_is_recorded_without_leaking(handlers):  # type: ignore[no-untyped-def]
    job = jobs.job_run(jobs.job_enqueue(kind="test.crash", payload={}))
    job.refresh_from_db()
    assert job.status == "failed"
    assert "RuntimeError" in job.error and "administratorowi" in job.error
    assert "traceback" in job.result


def test_unknown_kind_is_refused(db):  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        jobs.job_enqueue(kind="nope", payload={})


def test_job_status_api(client, handlers, make_user):  # type: ignore[no-untyped-def]
    owner = make_user("data_steward")
    job = jobs.job_enqueue(kind="test.ok", payload={"numbers": [2]}, user=owner)
    jobs.job_run(job)
    assert client.get(f"/api/v1/jobs/{job.pk}").status_code == 404  # anonymous
    client.force_login(make_user("data_steward"))
    assert client.get(f"/api/v1/jobs/{job.pk}").status_code == 404  # someone else's
    client.force_login(owner)
    data = client.get(f"/api/v1/jobs/{job.pk}").json()
    assert data["status"] == "done" and data["result"] == {"sum": 2}
