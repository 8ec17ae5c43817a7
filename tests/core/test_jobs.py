"""The job queue (procrastinate under core.Job): enqueue, run, progress, failures with readable
messages, cancellation, retries, locks, periodic tasks, recovery of dead workers' jobs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from procrastinate import App
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import Status as ProcrastinateStatus

from miasto.core import jobs
from miasto.core.models import Job
from miasto.core.worker import periodic_schedule, worker_loop

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
    assert worker_loop(once=True) == 1
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


# --- on procrastinate: cancellation, retries, locks, periodic tasks, recovery -------------


def queue_row(job: Job) -> dict:
    """The procrastinate job of ``job``."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT status::text, lock, queueing_lock, attempts, scheduled_at, queue_name "
            "FROM procrastinate_jobs WHERE id = %s",
            [job.task_id],
        )
        row = cur.fetchone()
    assert row is not None, "no procrastinate job"
    keys = ("status", "lock", "queueing_lock", "attempts", "scheduled_at", "queue_name")
    return dict(zip(keys, row, strict=True))


def test_enqueue_defers_a_procrastinate_job(handlers):  # type: ignore[no-untyped-def]
    job = jobs.job_enqueue(kind="test.ok", payload={"numbers": [1]})
    row = queue_row(job)
    assert (row["status"], row["queue_name"], row["lock"]) == ("todo", "jobs", "test.ok")
    assert row["queueing_lock"] is None  # job_enqueue: every call is a new job
    assert jobs.job_lock_name("datahub.import", {"dataset_id": 7}) == "datahub.import:7"


def test_start_job_queues_one_job_per_input(handlers, make_user):  # type: ignore[no-untyped-def]
    user = make_user("planner")
    first = jobs.start_job("test.ok", {"numbers": [1]}, user=user)
    assert jobs.start_job("test.ok", {"numbers": [1]}, user=user) == first
    assert queue_row(first)["queueing_lock"].startswith("test.ok:")
    # a second request that did not see the first job yet meets its queueing lock
    lock = jobs._queueing_lock("test.ok", {"numbers": [1]})
    with pytest.raises(AlreadyEnqueued):
        jobs._enqueue("test.ok", {"numbers": [1]}, None, lock)
    assert Job.objects.filter(kind="test.ok").count() == 1  # its job was rolled back


def test_start_job_releases_a_lock_its_job_no_longer_holds(handlers, make_user):  # type: ignore[no-untyped-def]
    """A queued task whose job ended (or was removed) while it stayed in the queue must not
    refuse every later request for that input (it answered 500 before)."""
    user = make_user("planner")
    first = jobs.start_job("test.ok", {"numbers": [2]}, user=user)
    Job.objects.filter(pk=first.pk).update(status=Job.Status.FAILED)
    second = jobs.start_job("test.ok", {"numbers": [2]}, user=user)
    assert second.pk != first.pk and second.status == Job.Status.QUEUED
    assert queue_row(first)["status"] == "cancelled"
    assert queue_row(second)["status"] == "todo"
    Job.objects.filter(pk=second.pk).delete()
    third = jobs.start_job("test.ok", {"numbers": [2]}, user=user)
    assert queue_row(third)["status"] == "todo" and queue_row(second)["status"] == "cancelled"


def test_queued_job_is_cancelled_and_never_runs(client, handlers, make_user):  # type: ignore[no-untyped-def]
    job = jobs.job_enqueue(kind="test.ok", payload={"numbers": [1]})
    url = f"/api/v1/jobs/{job.pk}/cancel"
    assert client.post(url).status_code == 404  # anonymous
    client.force_login(make_user(None))
    assert client.post(url).status_code == 404  # not staff
    client.force_login(make_user("planner"))
    assert client.get(url).status_code == 405
    answer = client.post(url)
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    assert queue_row(job)["status"] == "cancelled"
    assert worker_loop(once=True) == 0
    job.refresh_from_db()
    assert (job.status, job.result, job.started_at) == ("cancelled", {}, None)
    assert job.finished_at is not None
    assert client.post(url).status_code == 409  # ended already


def test_running_job_stops_at_its_next_progress_report(handlers):  # type: ignore[no-untyped-def]
    steps: list[str] = []

    def long(ctx: jobs.JobContext) -> dict:
        steps.append("first")
        assert jobs.job_cancel(Job.objects.get(pk=ctx.job.pk))  # staff, meanwhile
        ctx.progress(50, "druga połowa", force=True)
        steps.append("second")
        return {}

    jobs.job_registry.register("test.long", long)
    try:
        job = jobs.job_enqueue(kind="test.long", payload={})
        assert worker_loop(once=True) == 1
    finally:
        jobs.job_registry.unregister("test.long")
    job.refresh_from_db()
    assert steps == ["first"] and job.status == "cancelled" and job.progress == 0
    assert queue_row(job)["status"] == "aborted"


def test_transient_error_is_retried_with_back_off(handlers):  # type: ignore[no-untyped-def]
    calls: list[int] = []

    def flaky(ctx: jobs.JobContext) -> dict:
        calls.append(len(calls))
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return {"attempt": len(calls)}

    jobs.job_registry.register("test.flaky", flaky)
    try:
        job = jobs.job_enqueue(kind="test.flaky", payload={})
        before = timezone.now()
        assert worker_loop(once=True) == 1
        job.refresh_from_db()
        assert job.status == "queued" and "ponowna próba" in job.message
        row = queue_row(job)
        assert (row["status"], row["attempts"]) == ("todo", 1)
        assert row["scheduled_at"] - before >= timedelta(seconds=8)  # 5 + 4 s
        assert worker_loop(once=True) == 0  # not due yet
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE procrastinate_jobs SET scheduled_at = now() WHERE id = %s", [job.task_id]
            )
        assert worker_loop(once=True) == 1
    finally:
        jobs.job_registry.unregister("test.flaky")
    job.refresh_from_db()
    assert (job.status, job.result) == ("done", {"attempt": 2})
    # a user error and a bug are not worth another attempt
    bad, crash = (jobs.job_enqueue(kind=k, payload={}) for k in ("test.bad", "test.crash"))
    assert worker_loop(once=True) == 2
    assert [Job.objects.get(pk=j.pk).status for j in (bad, crash)] == ["failed", "failed"]
    assert queue_row(crash)["status"] == "failed" and queue_row(crash)["attempts"] == 1


def test_one_job_of_a_kind_runs_at_a_time(handlers):  # type: ignore[no-untyped-def]
    first = jobs.job_enqueue(kind="test.ok", payload={"numbers": [1]})
    second = jobs.job_enqueue(kind="test.ok", payload={"numbers": [2]})
    with connection.cursor() as cur:  # a worker elsewhere (alive: its heartbeat) runs the first
        cur.execute("INSERT INTO procrastinate_workers DEFAULT VALUES RETURNING id")
        worker = cur.fetchone()[0]
        cur.execute(
            "UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = %s",
            [worker, first.task_id],
        )
    assert worker_loop(once=True) == 0  # the second waits for the kind's lock
    jobs._task_finish(first.task_id, ProcrastinateStatus.SUCCEEDED)
    assert worker_loop(once=True) == 1
    second.refresh_from_db()
    assert second.status == "done"


def test_periodic_tasks_are_procrastinate_periodic_tasks(db):  # type: ignore[no-untyped-def]
    assert jobs.every_cron(3600) == "0 * * * *"
    assert jobs.every_cron(60) == "* * * * *"
    assert jobs.every_cron(15 * 60) == "*/15 * * * *"
    assert jobs.every_cron(6 * 3600) == "0 */6 * * *"
    assert jobs.every_cron(86400) == "0 3 * * *"
    with pytest.raises(ValueError):
        jobs.every_cron(90)
    with pytest.raises(ValueError):
        jobs.periodic("test.odd", every=7 * 60)

    @jobs.periodic("test.daily", every=timedelta(days=1))
    def daily() -> None:
        pass

    try:
        assert jobs.periodic_registry.get("test.daily") == jobs.PeriodicTask(
            "test.daily", 86400.0, daily, "0 3 * * *"
        )
        app = App(connector=jobs.QueueConnector())
        names = periodic_schedule(app)
    finally:
        jobs.periodic_registry.unregister("test.daily")
    assert {"periodic.datahub.cleanup", "periodic.core.jobs_recover"} <= set(names)
    scheduled = {t.task.name: t.cron for t in app.periodic_registry.periodic_tasks.values()}
    assert scheduled["periodic.datahub.cleanup"] == "0 * * * *"
    assert scheduled["periodic.test.daily"] == "0 3 * * *"
    assert scheduled["periodic.core.jobs_recover"] == "* * * * *"
    assert app.tasks["periodic.datahub.cleanup"].lock == "periodic.datahub.cleanup"


def test_recovery_of_jobs_whose_worker_died(handlers):  # type: ignore[no-untyped-def]
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) "
            "VALUES (now() - interval '1 hour') RETURNING id"
        )
        dead_worker = cur.fetchone()[0]
    taken = jobs.job_enqueue(kind="test.ok", payload={"numbers": [3]})  # taken, never started
    started = jobs.job_enqueue(kind="test.crash", payload={})  # started, then died
    Job.objects.filter(pk=started.pk).update(status=Job.Status.RUNNING)
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s WHERE id = ANY(%s)",
            [dead_worker, [taken.task_id, started.task_id]],
        )
    assert jobs.jobs_recover() == [Job.objects.get(pk=started.pk)]
    started.refresh_from_db()
    assert started.status == "failed" and "przerwane" in started.error
    assert queue_row(started)["status"] == "failed"  # its lock is free again
    assert queue_row(taken)["status"] == "todo"  # queued again
    assert worker_loop(once=True) == 1
    assert Job.objects.get(pk=taken.pk).result == {"sum": 3}


def test_the_queue_forgets_jobs_finished_a_week_ago(handlers):  # type: ignore[no-untyped-def]
    """procrastinate's rows of old finished jobs go (daily, ``core.queue_prune``); recent
    ones, unfinished ones and the people-facing :class:`Job` records stay."""
    old, recent = (jobs.job_enqueue(kind="test.ok", payload={"numbers": [n]}) for n in (1, 2))
    assert worker_loop(once=True) == 2
    waiting = jobs.job_enqueue(kind="test.ok", payload={"numbers": [3]})
    old.refresh_from_db()
    recent.refresh_from_db()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE procrastinate_events SET at = now() - interval '8 days' WHERE job_id = %s",
            [old.task_id],
        )
    jobs.queue_prune()
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM procrastinate_jobs")
        left = {r[0] for r in cur.fetchall()}
    assert old.task_id not in left
    assert {recent.task_id, waiting.task_id} <= left
    assert Job.objects.filter(pk=old.pk, status=Job.Status.DONE).exists()
    assert "core.queue_prune" in {t.name for t in jobs.periodic_registry}
