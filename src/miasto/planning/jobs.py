"""Background jobs of planning; at a million parcels a capacity run takes over a minute, too
long for a web request, so staff start these (a POST: :func:`start_job`, allowed by
:func:`may_start`) and pages and the API show their progress; a GET never starts one:

- ``planning.capacity`` — payload ``{"as_of": "YYYY-MM-DD"}``: the capacity run of the plans in
  force on that date;
- ``planning.scenario`` — payload ``{"scenario_id": N}``: the capacity runs a scenario's
  comparison needs (the plans in force and the scenario)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from miasto.core.jobs import JobContext, JobError, job_enqueue, job_registry
from miasto.core.models import Job


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


def capacity_job(ctx: JobContext) -> dict[str, Any]:
    from miasto.planning.analyses.capacity import capacity_run
    from miasto.planning.zoneset import ZoneSet

    try:
        as_of = dt.date.fromisoformat(str(ctx.payload.get("as_of")))
    except ValueError as exc:
        raise JobError("Błędna data w parametrach zadania.") from exc
    ctx.progress(5, "Chłonność według planów obowiązujących", force=True)
    return {"run": capacity_run(ZoneSet(as_of=as_of))["id"]}


def scenario_job(ctx: JobContext) -> dict[str, Any]:
    from miasto.planning.analyses.capacity import capacity_run
    from miasto.planning.models import Scenario
    from miasto.planning.scenarios import scenario_zoneset
    from miasto.planning.zoneset import ZoneSet

    scenario = Scenario.objects.filter(pk=ctx.payload.get("scenario_id")).first()
    if scenario is None:
        raise JobError("Nie ma takiego scenariusza (usunięty?).")
    alt = scenario_zoneset(scenario)
    ctx.progress(5, "Chłonność według planów obowiązujących", force=True)
    base = capacity_run(ZoneSet(as_of=alt.as_of))
    ctx.progress(50, "Chłonność w scenariuszu", force=True)
    run = capacity_run(alt)
    return {"scenario_id": scenario.pk, "runs": {"base": base["id"], "scenario": run["id"]}}


job_registry.register("planning.capacity", capacity_job)
job_registry.register("planning.scenario", scenario_job)
