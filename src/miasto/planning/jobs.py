"""Background jobs of planning; at a million parcels a capacity run takes over a minute, too
long for a web request, so staff start these (a POST: :func:`miasto.core.jobs.start_job`,
allowed by :func:`miasto.core.jobs.may_start`) and pages and the API show their progress; a
GET never starts one:

- ``planning.capacity`` — payload ``{"as_of": "YYYY-MM-DD"}``: the capacity run of the plans in
  force on that date;
- ``planning.scenario`` — payload ``{"scenario_id": N}``: the capacity runs a scenario's
  comparison needs (the plans in force and the scenario)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from miasto.core.jobs import JobContext, JobError, job_registry
from miasto.planning.analyses.capacity import capacity_run
from miasto.planning.models import Scenario
from miasto.planning.scenarios import scenario_zoneset
from miasto.planning.zoneset import ZoneSet


def capacity_job(ctx: JobContext) -> dict[str, Any]:
    try:
        as_of = dt.date.fromisoformat(str(ctx.payload.get("as_of")))
    except ValueError as exc:
        raise JobError("Błędna data w parametrach zadania.") from exc
    ctx.progress(5, "Chłonność według planów obowiązujących", force=True)
    return {"run": capacity_run(ZoneSet(as_of=as_of))["id"]}


def scenario_job(ctx: JobContext) -> dict[str, Any]:
    scenario = Scenario.objects.filter(pk=ctx.payload.get("scenario_id") or 0).first()
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
