"""Background job ``accessibility.compute``: payload ``{"standards": [code, …]}`` (optional)."""

from __future__ import annotations

from typing import Any

from miasto.accessibility.services import accessibility_compute
from miasto.core.jobs import JobContext, JobError, job_registry


def compute_job(ctx: JobContext) -> dict[str, Any]:
    codes = ctx.payload.get("standards") or None
    try:
        run = accessibility_compute(codes=codes, progress=lambda p, m: ctx.progress(p, m))
    except ValueError as exc:
        raise JobError(str(exc)) from exc
    return {"run_id": run.pk, "duration_s": run.duration_s, "stats": run.stats}


job_registry.register("accessibility.compute", compute_job)
