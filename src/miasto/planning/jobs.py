"""Background job ``planning.scenario``: payload ``{"scenario_id": N}`` — compute (and store)
the capacity runs a scenario's comparison needs, for the plans in force and for the scenario.
At a million parcels each run takes over a minute, too long for a web request."""

from __future__ import annotations

from typing import Any

from miasto.core.jobs import JobContext, JobError, job_registry


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


job_registry.register("planning.scenario", scenario_job)
